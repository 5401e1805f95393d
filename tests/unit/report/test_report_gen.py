"""The traffic generator (bench/gen_audit.py) writes what the proxy writes, and a generated week
gives a report with every part filled."""

from __future__ import annotations

from pathlib import Path

import gen_audit  # bench/, see conftest.py
import pytest
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.report import build_report
from report_log import TEMPLATE, UNLISTED_TEMPLATE


@pytest.fixture(scope="module")
def week(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "week.jsonl"
    gen_audit.write_log(path, gen_audit.Traffic(users=40, seed=3), days=7)
    return path


def test_generated_records_have_the_proxys_fields(week):
    import orjson

    kinds = {}
    with week.open("rb") as f:
        for line in f:
            record = orjson.loads(line)
            kinds.setdefault((record["event"], "unlisted" in record), set(record))
    assert kinds.pop(("decision", False)) == set(TEMPLATE)
    assert kinds.pop(("decision", True)) == set(UNLISTED_TEMPLATE)
    assert set(kinds) == {("policy_load", False), ("ack", False)}


def test_a_generated_week_fills_every_part_of_the_report(week):
    report = build_report([week], load_policy(DEFAULT_POLICY))
    s = report.summary
    assert s["days"] == 5  # people work Monday to Friday
    assert s["users"] == 40
    assert set(s["modes"]) == {"monitor", "enforce"}
    assert s["bad_lines"] == 0
    for table in ("services", "policy_status", "risky_services", "actions", "incidents",
                  "findings", "coverage", "offenders", "shadow", "unlisted"):
        assert report.tables[table].rows, table
    actions = {label for label, _ in report.action_totals}
    assert {"continued after warning", "blocked by policy", "would have been warned"} <= actions


def test_a_generated_week_has_page_loads_assets_and_acknowledgements(week):
    """Sessions on web apps open the page and its favicon; acknowledgements POST to aigate's own
    endpoint: the report tells them from prompts and leaves aigate's out."""
    s = build_report([week], load_policy(DEFAULT_POLICY)).summary
    assert s["page_views"] > 100 and s["prompts"] > 1000 and s["aigate_requests"] > 10
    assert s["requests"] > s["page_views"] * 2 + s["prompts"]  # a favicon per page, and more


def test_the_generator_is_deterministic_per_seed(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert gen_audit.write_log(a, gen_audit.Traffic(5, seed=9), days=1) == gen_audit.write_log(
        b, gen_audit.Traffic(5, seed=9), days=1)
    assert a.read_bytes() == b.read_bytes()


def test_a_size_limit_stops_the_endless_stream(tmp_path):
    count, size = gen_audit.write_log(tmp_path / "s", gen_audit.Traffic(5), max_bytes=100_000)
    assert 100_000 <= size < 103_000 and count > 50
