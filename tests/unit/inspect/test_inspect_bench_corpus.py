"""The benchmark's generated corpus, scored with aigate alone (the peers are slow to load):
the recall and decoy goals hold, and the timing harness runs."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[3] / "bench" / "bench_scan.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_scan", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_planted_values_are_found_and_decoys_are_not(bench):
    planted, decoys = bench.corpus(seed=3, per_kind=5)
    row = bench.measure(bench.Aigate(), planted, decoys, bench.prompts(3, 5), repeat=1)
    assert row["recall"] >= 0.95
    assert row["decoy_fp"] <= 0.02


def test_prompts_are_four_kilobytes(bench):
    assert {len(p) for p in bench.prompts(1, 5)} == {4096}


def test_tiny_prompts_are_timed_beside_the_4kb_ones_and_the_re2_floor(bench):
    planted, decoys = bench.corpus(seed=3, per_kind=2)
    tiny = bench.tiny_prompts(3, 50)
    assert len(tiny) == 50 and max(len(t.encode()) for t in tiny) < 200
    row = bench.measure(bench.Aigate(), planted, decoys, bench.prompts(3, 3), 1, tiny)
    assert 0 < row["tiny_p50_us"] <= row["tiny_p99_us"]
    assert bench.re2_floor(bench.prompts(3, 3), 1) > row["mb_s"]
