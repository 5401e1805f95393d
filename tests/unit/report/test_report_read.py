"""Reading audit logs: plain, gzip, rotated backups in order, damaged lines counted, and every
line judged as orjson judges it, whichever decoder reads it."""

from __future__ import annotations

import gzip
from pathlib import Path

import gen_audit  # bench/, see conftest.py
import msgspec
import orjson
from aigate.record.audit import candidate_record, error_record, json_line, resumed_record
from aigate.record.events import CandidateHost, HookError
from aigate.report.read import KEPT_PROBLEMS, AuditRecord, ReadStats, read_records
from report_log import TEMPLATE, UNLISTED_TEMPLATE, decision, websocket, write_jsonl


def times(paths, stats=None) -> list[str]:
    return [r.time[:19] for r in read_records(paths, stats or ReadStats())]


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


def every_kind_of_record() -> list[dict]:
    """One record of each kind the proxy writes, as it writes them."""
    with_findings = decision("2026-03-02T09:00:00", "a", inspected=True, dlp_action="block",
                             findings=(("email", "pii", 2),))
    return [
        TEMPLATE, UNLISTED_TEMPLATE, with_findings, websocket("2026-03-02T09:00:00", "a"),
        candidate_record(CandidateHost("notes.ai", ".ai domain", "10.0.0.1", "a", time=1e9)),
        resumed_record(1e9, 3, "OSError", time=1e9 + 5),
        error_record(HookError("request", "KeyError", "r1", time=1e9)),
        *(r for r in gen_audit.Traffic(users=5, seed=2).records(days=1)
          if r["event"] != "decision"),  # policy_load, ack
    ]


def test_every_kind_of_record_the_proxy_writes_is_decoded_on_the_fast_path():
    """Typed decoding refusing a field the proxy writes would send every record through orjson:
    the same figures, at half the speed."""
    for record in every_kind_of_record():
        decoded = msgspec.json.decode(json_line(record), type=AuditRecord)
        assert decoded == AuditRecord.of(record), record["event"]


ODD = [  # values of other types than the proxy writes: read as orjson reads them
    b'{"event":"decision","user":5,"groups":"sales","inspected":1,"time":"2026-03-02T09:00:00Z"}',
    b'{"event":"decision","user":18446744073709551616,"path":["/"],"navigation":"yes"}',
    b'{"event":"decision","findings":[{"count":18446744073709551615},{"count":1e300},7]}',
    b'{"event":"decision","findings":[{"count":9223372036854775808,"class":["x"]}]}',
    b'{"user":"first","user":5}',
    b'{"user":5,"user":"last","extra":{"deep":[1,2,{"x":null}]}}',
    b'{"mode":null,"status":"200","unscanned":[1],"scan_seconds":true}',
]


def test_values_of_odd_types_are_read_as_orjson_reads_them(tmp_path: Path):
    log = tmp_path / "audit.jsonl"
    log.write_bytes(b"\n".join(ODD) + b"\n")
    stats = ReadStats()
    records = list(read_records([log], stats))
    assert records == [AuditRecord.of(orjson.loads(line)) for line in ODD]
    assert stats.bad_lines == 0


REFUSED = [  # lines orjson refuses, in parts of the record the report does not read
    b'{"event":"decision","reason":"caf\xe9"}',  # Latin-1, not UTF-8
    b'{"event":"decision","request_id":"\xed\xa0\x80"}',  # an encoded surrogate
    b'{"event":"decision","status":1e400}',
    b'{"event":"decision","decision_seconds":1' + b"0" * 400 + b"}",
    b'{"event":"decision","unscanned":[1e400]}',
    b'{"event":"decision","deep":' + b"[" * 1100 + b"]" * 1100 + b"}",
]


def test_lines_orjson_refuses_are_bad_lines_even_where_the_report_does_not_look(tmp_path: Path):
    log = tmp_path / "audit.jsonl"
    log.write_bytes(b"\n".join(REFUSED) + b"\n")
    stats = ReadStats()
    assert list(read_records([log], stats)) == []
    assert stats.bad_lines == len(REFUSED)
    assert all(": not JSON (" in problem for problem in stats.problems)


def test_non_ascii_text_is_read_on_the_fast_path(tmp_path: Path):
    record = decision("2026-03-02T09:00:00", "jürgen", groups=("ventes-été",))
    log = write_jsonl(tmp_path / "audit.jsonl", [record])
    (read,) = read_records([log], ReadStats())
    assert (read.user, read.groups) == ("jürgen", ["ventes-été"])
