"""`bench_scan.py --least` times each prompt by its fastest round, so a round in which the process
was descheduled does not move the figures."""

import importlib.util
import time
from pathlib import Path

BENCH = Path(__file__).parents[3] / "bench" / "bench_scan.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_scan", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_least_keeps_each_prompts_fastest_round():
    bench = _bench()
    calls = []

    def first_round_slow(text: str) -> None:
        calls.append(text)
        if len(calls) <= 2:  # the first round: as if descheduled
            time.sleep(0.02)

    least = bench._timed(first_round_slow, ["a", "b"], repeat=3, least=True)
    assert len(least) == 2 and max(least) < 0.01
    calls.clear()
    every = bench._timed(first_round_slow, ["a", "b"], repeat=3)
    assert len(every) == 6 and max(every) >= 0.02

