"""Many logs in one run: one per worker or replica, each with rotated backups compressed by
logrotate (`log.1.gz`), give the figures of the same records in one plain file; and a person's
requests count in the right service, category and groups when those change."""

from __future__ import annotations

import gzip
from pathlib import Path

import gen_audit  # bench/, see conftest.py
import orjson
import pytest
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.report import build_report
from aigate.report.aggregate import Aggregator
from aigate.report.read import ReadStats, read_records
from report_log import decision, write_jsonl


@pytest.fixture(scope="module")
def policy():
    return load_policy(DEFAULT_POLICY)


def test_gzip_rotated_backups_are_read_oldest_first(tmp_path: Path):
    for day, name in ((1, "audit.jsonl.2.gz"), (2, "audit.jsonl.1.gz"), (3, "audit.jsonl")):
        lines = orjson.dumps(decision(f"2026-03-0{day}T09:00:00", "a")) + b"\n"
        (tmp_path / name).write_bytes(gzip.compress(lines) if name.endswith(".gz") else lines)
    shell_glob = sorted(tmp_path.iterdir())  # audit.jsonl, .1.gz, .2.gz: newest first
    days = [r.time[:10] for r in read_records(shell_glob, ReadStats())]
    assert days == ["2026-03-01", "2026-03-02", "2026-03-03"]


def test_workers_logs_with_gzip_backups_give_the_figures_of_one_log(tmp_path: Path, policy):
    one = tmp_path / "all.jsonl"
    gen_audit.write_log(one, gen_audit.Traffic(users=30, seed=5), days=5)
    lines = one.read_bytes().splitlines(keepends=True)
    logs = []
    for worker in (1, 2):  # a load balancer keeps each person on one worker
        mine = [line for line in lines
                if sum(str(orjson.loads(line).get("user")).encode()) % 2 == worker - 1]
        older, newer = mine[: len(mine) // 2], mine[len(mine) // 2:]
        log = tmp_path / f"audit-w{worker}.jsonl"
        log.write_bytes(b"".join(newer))
        Path(f"{log}.1.gz").write_bytes(gzip.compress(b"".join(older)))
        logs += [log, Path(f"{log}.1.gz")]  # as a shell glob lists them: newest first
    expected = build_report([one], policy).as_json()
    got = build_report(logs, policy).as_json()
    assert got["summary"].pop("files") == [str(p) for p in (logs[1], logs[0], logs[3], logs[2])]
    expected["summary"].pop("files")
    assert got == expected
    assert got["summary"]["requests"] > 1000


def groups_rows(report) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in report.tables["groups"].rows}


def test_a_person_who_changes_group_counts_in_each_group_for_the_requests_made_there():
    aggregator = Aggregator()
    aggregator.add_all([
        decision("2026-03-02T09:00:00", "ann", groups=("sales",)),
        decision("2026-03-02T09:01:00", "ann", groups=("sales",), inspected=True),
        decision("2026-03-02T09:02:00", "ann", groups=("legal",), findings=(("email", "pii", 1),)),
        decision("2026-03-03T09:00:00", "ann", groups=("sales", "legal"), outcome="blocked",
                 action="block"),
    ])
    report = aggregator.report()
    # requests, page views, prompts, people, services, unsanctioned, blocked, data loss, days
    by_group = {group: row[:9] for group, row in groups_rows(report).items()}
    assert by_group == {"sales": (3, 0, 1, 1, 1, 3, 1, 0, 2),
                        "legal": (2, 0, 0, 1, 1, 2, 1, 1, 2)}
    person = report.tables["users"].rows[0]
    assert person[:8] == ("ann", 4, 0, 1, 1, 2, 0.05, 1)  # one 2-minute session, one of 1 min
    assert report.daily_requests == [3, 1]
    assert report.tables["coverage"].rows[0][:3] == ("chatgpt", 1, 1)


def test_counts_are_complete_when_the_report_is_taken_twice_mid_stream():
    aggregator = Aggregator()
    aggregator.add(decision("2026-03-02T09:00:00", "ann"))
    assert aggregator.report().summary["requests"] == 1
    aggregator.add(decision("2026-03-02T09:05:00", "ann"))
    report = aggregator.report()
    assert report.tables["users"].rows[0][1] == 2
    assert report.daily_requests == [2]
    assert report.service_trend == {"chatgpt": [2]}


def test_reading_many_logs_is_streamed(tmp_path: Path):
    logs = [write_jsonl(tmp_path / f"w{n}.jsonl", [decision("2026-03-02T09:00:00", "a")] * 3)
            for n in range(3)]
    stats = ReadStats()
    records = read_records(logs, stats)
    next(records)
    assert (stats.lines, stats.files) == (1, [str(logs[0])])
