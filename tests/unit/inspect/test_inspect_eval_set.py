"""The held-out DLP evaluation set (bench/dlp_eval/, issue 17 item 7): it is well formed, and the
shipped detectors keep at least the recall, and at most the false-positive rate, they reach on it.

The floors start at what the detectors scored when the set was added, less a margin; raise them
as detection improves (`.venv/bin/python bench/bench_dlp_eval.py --json` prints the scores).
"""

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[3]
BENCH = ROOT / "bench" / "bench_dlp_eval.py"

# Family -> lowest recall (finding >= "context" overlapping the value) the detectors may fall to.
RECALL_FLOORS = {
    # measured when the set was added: 0.912, 0.784, 0.990, 0.786, 0.670, 0.924, 0.429; overall
    # 0.855; false positives 0.031. After the misses were fixed by class: 0.968, 1.000, 1.000,
    # 0.851, 0.972, 1.000, 1.000; overall 0.964; false positives 0.016 (all documented test
    # cards, which a DLP product rightly reads as cards).
    "secrets_vendor": 0.95,
    "secrets_generic": 0.97,
    "pii_contact": 0.97,
    "pii_national": 0.82,
    "pii_documents": 0.94,
    "financial": 0.97,
    "network": 0.95,
}
OVERALL_RECALL_FLOOR = 0.94
# Highest share of negatives with any finding >= "context".
FALSE_POSITIVE_CEILING = 0.02


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_dlp_eval", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows(bench):
    return bench.load()


def test_every_family_file_is_present_and_non_empty(bench, rows):
    counts = Counter(row["family"] for row in rows)
    assert set(counts) == set(bench.FAMILIES)
    assert all(counts[f] > 0 for f in bench.FAMILIES), counts
    for family in bench.FAMILIES:
        with (bench.DATA / f"{family}.jsonl").open(encoding="utf-8") as f:
            assert {json.loads(line)["family"] for line in f} == {family}


def test_rows_are_well_formed(rows):
    fields = {"id", "family", "kind", "text", "value", "positive", "source", "context"}
    url = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
    for row in rows:
        assert set(row) == fields, row["id"]
        assert isinstance(row["positive"], bool), row["id"]
        assert row["positive"] == (row["family"] != "negatives"), row["id"]
        assert row["value"] and row["value"] in row["text"], row["id"]
        assert row["text"].count(row["value"]) == 1, row["id"]
        assert url.match(row["source"]), (row["id"], row["source"])
        assert row["kind"] and re.fullmatch(r"[a-z0-9_]+", row["kind"]), row["id"]
        assert row["context"] in (
            {"decoy"} if row["family"] == "negatives" else {"bare", "labelled"}
        )


def test_ids_are_unique_and_the_set_is_broad(rows):
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    positives = [row for row in rows if row["positive"]]
    assert len(positives) >= 1500
    assert len(rows) - len(positives) >= 500
    vendor_kinds = {row["kind"] for row in positives if row["family"] == "secrets_vendor"}
    national_kinds = {row["kind"] for row in positives if row["family"] == "pii_national"}
    assert len(vendor_kinds) >= 100
    assert len(national_kinds) >= 50
    # every kind cites one source
    sources: dict[str, set[str]] = {}
    for row in rows:
        sources.setdefault(row["family"] + "/" + row["kind"], set()).add(row["source"])
    assert all(len(s) == 1 for s in sources.values()), [k for k, s in sources.items() if len(s) > 1]


def test_detectors_keep_their_scores(bench, rows):
    scores = bench.score(bench.scan_rows(bench.shipped_scanner(), rows), "context")
    families = scores["families"]
    print("\nfamily recall at >= context (floor):")
    for family, floor in RECALL_FLOORS.items():
        print(f"  {family:16} {families[family]['recall']:.3f} ({floor})")
    overall = scores["overall"]
    print(f"  {'overall':16} {overall['recall']:.3f} ({OVERALL_RECALL_FLOOR})")
    print(
        f"  false positives {overall['false_positive_rate']:.3f} (ceiling {FALSE_POSITIVE_CEILING})"
    )
    low = {
        f: families[f]["recall"]
        for f, floor in RECALL_FLOORS.items()
        if families[f]["recall"] < floor
    }
    assert not low, f"recall below the floor: {low}"
    assert overall["recall"] >= OVERALL_RECALL_FLOOR
    assert overall["false_positive_rate"] <= FALSE_POSITIVE_CEILING, scores["false_positive_kinds"]
