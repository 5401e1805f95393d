"""Reading audit logs: plain, gzip, rotated backups in order, damaged lines counted."""

from __future__ import annotations

import gzip
from pathlib import Path

from aigate.report.read import KEPT_PROBLEMS, ReadStats, read_records
from report_log import decision, write_jsonl


def times(paths, stats=None) -> list[str]:
    return [r["time"][:19] for r in read_records(paths, stats or ReadStats())]


def test_rotated_backups_are_read_oldest_first(tmp_path: Path):
    log = tmp_path / "audit.jsonl"
    for n, name in enumerate(["audit.jsonl.2", "audit.jsonl.10", "audit.jsonl.1", "audit.jsonl"]):
        write_jsonl(tmp_path / name, [decision(f"2026-03-0{n + 1}T09:00:00", "a")])
    shell_glob = sorted(tmp_path.iterdir())  # audit.jsonl, .1, .10, .2
    assert times(shell_glob) == [
        "2026-03-02T09:00:00", "2026-03-01T09:00:00", "2026-03-03T09:00:00", "2026-03-04T09:00:00"
    ]
    assert times([log]) == ["2026-03-04T09:00:00"]


def test_gzip_is_recognised_by_content_not_name(tmp_path: Path):
    plain = write_jsonl(tmp_path / "plain", [decision("2026-03-02T09:00:00", "a")])
    packed = tmp_path / "audit.jsonl.3"  # logrotate's compressed backup keeps a plain name
    packed.write_bytes(gzip.compress(plain.read_bytes() * 3))
    assert times([packed]) == ["2026-03-02T09:00:00"] * 3


def test_bad_lines_are_skipped_and_reported_with_file_and_line(tmp_path: Path):
    log = tmp_path / "audit.jsonl"
    good = write_jsonl(tmp_path / "g", [decision("2026-03-02T09:00:00", "a")]).read_bytes()
    log.write_bytes(good + b"\n" + b'{"time": "2026-03-0\n' + b"[1, 2]\n" + good[:-1])
    stats = ReadStats()
    assert len(times([log], stats)) == 2  # the last line lacks its newline: still read
    assert stats.lines == 4
    assert stats.bad_lines == 2
    assert stats.problems[0].startswith(f"{log}:3: not JSON")
    assert stats.problems[1] == f"{log}:4: not a JSON object"


def test_only_the_first_problems_are_kept(tmp_path: Path):
    log = tmp_path / "audit.jsonl"
    log.write_bytes(b"nope\n" * (KEPT_PROBLEMS + 5))
    stats = ReadStats()
    assert times([log], stats) == []
    assert (stats.bad_lines, len(stats.problems)) == (KEPT_PROBLEMS + 5, KEPT_PROBLEMS)


def test_a_truncated_gzip_keeps_what_was_read(tmp_path: Path):
    lines = write_jsonl(tmp_path / "g", [decision("2026-03-02T09:00:00", "a")] * 2000).read_bytes()
    packed = gzip.compress(lines)
    log = tmp_path / "audit.jsonl.1"
    log.write_bytes(packed[: len(packed) // 2])
    stats = ReadStats()
    assert 0 < len(times([log], stats)) < 2000
    assert stats.bad_lines == 1 and "unreadable" in stats.problems[0]


def test_records_are_streamed_not_loaded_first(tmp_path: Path):
    log = write_jsonl(tmp_path / "audit.jsonl", [decision("2026-03-02T09:00:00", "a")] * 3)
    stats = ReadStats()
    records = read_records([log], stats)
    next(records)
    assert stats.lines == 1  # one line read for one record
