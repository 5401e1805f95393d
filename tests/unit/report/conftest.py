import sys
from pathlib import Path

# The traffic generator lives with the benchmarks (bench/gen_audit.py).
BENCH = str(Path(__file__).resolve().parents[3] / "bench")
if BENCH not in sys.path:
    sys.path.insert(0, BENCH)
