import io
import json
import threading

import pytest
from aigate.record.audit import (
    AuditLog,
    ack_record,
    clean_path,
    decision_record,
    in_rotation_order,
    policy_record,
    rfc3339,
    rotated_files,
)
from aigate.record.events import PolicyEvent
from aigate.record.ledger import verify
from flow_factories import found, make_inspection, make_state


def read_all(path):
    return [json.loads(line) for f in rotated_files(path) for line in f.read_text().splitlines()]


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/v1/chat/completions", "/v1/chat/completions"),
        ("/v1beta/models/g:generateContent?key=AIzaSECRET", "/v1beta/models/g:generateContent"),
        ("/search?q=my+prompt#frag", "/search"),
        ("?only=query", "/"),
    ],
)
def test_clean_path_drops_query_string_and_fragment(path, expected):
    assert clean_path(path) == expected


def test_rfc3339_is_utc_with_z():
    assert rfc3339(0) == "1970-01-01T00:00:00.000Z"


def test_decision_record_has_the_issue_fields_and_no_query():
    state = make_state(
        inspection=make_inspection(
            120, found("aws_key", "secret", 2, "AKIA****************"), action="block"
        )
    )
    record = decision_record(
        state, host="chatgpt.com", method="POST", path="/c?prompt=hello", status=403, time=0
    )
    for key in ("time", "event", "request_id", "user", "groups", "client_ip", "service",
                "category", "host", "method", "path", "action", "rule", "reason", "mode",
                "policy_version", "policy_hash", "findings", "inspected", "unscanned_reason",
                "bytes_scanned", "added_latency_seconds"):
        assert key in record, key
    assert record["path"] == "/c"
    assert record["findings"] == [
        {"detector": "aws_key", "class": "secret", "confidence": "validated", "count": 2,
         "preview": "AKIA****************"}
    ]
    assert record["mode"] == "enforce"
    assert "hello" not in json.dumps(record)


def test_uninspected_flow_says_so():
    record = decision_record(make_state(), host="h", method="GET", path="/", status=200, time=0)
    assert record["inspected"] is None and record["findings"] == []


def test_monitor_mode_is_recorded():
    record = decision_record(
        make_state(action="block", outcome="monitored", enforced=False),
        host="h", method="GET", path="/", status=200, time=0,
    )
    assert (record["mode"], record["action"], record["outcome"]) == (
        "monitor", "block", "monitored"
    )


def test_ack_record_only_for_acknowledgements():
    assert ack_record(make_state(), time=0) is None
    record = ack_record(make_state(outcome="acknowledged", ack=True), time=0)
    assert record["event"] == "ack" and record["policy_version"] == "2026.1"


def test_policy_record_names_result():
    record = policy_record(PolicyEvent(ok=False, reload=True, source="p.yaml", error="p.yaml:3: x"))
    assert (record["event"], record["result"], record["error"]) == (
        "policy_reload", "failure", "p.yaml:3: x"
    )


def test_stdout_sink_writes_one_line_per_record():
    out = io.StringIO()
    log = AuditLog("-", stdout=out)
    log.write({"event": "decision", "n": 1})
    log.write({"event": "decision", "n": 2})
    assert [json.loads(line)["n"] for line in out.getvalue().splitlines()] == [1, 2]


def test_record_is_on_disk_as_soon_as_write_returns(tmp_path):
    log = AuditLog(tmp_path / "a.jsonl")
    log.write({"event": "decision"})
    assert (tmp_path / "a.jsonl").read_text().count("\n") == 1
    log.close()


def test_rotation_loses_nothing_and_keeps_the_chain(tmp_path):
    path = tmp_path / "a.jsonl"
    log = AuditLog(path, max_bytes=600, backups=100)
    for n in range(200):
        log.write({"event": "ack" if n % 3 == 0 else "decision", "n": n})
    log.close()
    files = rotated_files(path)
    assert len(files) > 5
    assert sorted(r["n"] for r in read_all(path)) == list(range(200))
    assert [r["n"] for r in read_all(path)] == list(range(200))  # oldest file first
    assert verify(files).ok


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("/v1/chat\udcff", "/v1/chat\\xff"),  # a raw byte mitmproxy kept as a surrogate
        ("bob\udcc3\udca9", "bob\u00e9"),  # raw UTF-8 bytes read back as what they spell
        ("half \ud83d", "half \\ud83d"),  # a lone surrogate
        ("plain é", "plain é"),
    ],
)
def test_a_record_holding_text_that_is_no_utf8_is_written_readable_not_lost(
    tmp_path, text, written
):
    path = tmp_path / "a.jsonl"
    log = AuditLog(path)
    log.write({"event": "decision", "path": text, "findings": [{"preview": text}]})
    log.write({"event": "ack", "user": text})
    log.close()
    first, ack = read_all(path)
    assert first["path"] == first["findings"][0]["preview"] == written
    assert ack["user"] == written
    assert verify(rotated_files(path)).ok


def test_rotation_drops_only_beyond_backups(tmp_path):
    path = tmp_path / "a.jsonl"
    log = AuditLog(path, max_bytes=100, backups=2)
    for n in range(50):
        log.write({"event": "decision", "n": n})
    log.close()
    assert len(rotated_files(path)) == 3


def test_reopening_continues_the_ledger(tmp_path):
    path = tmp_path / "a.jsonl"
    first = AuditLog(path, max_bytes=300, backups=10)
    for _ in range(5):
        first.write({"event": "ack", "user": "a"})
    first.close()
    second = AuditLog(path, max_bytes=300, backups=10)
    second.write({"event": "ack", "user": "b"})
    second.close()
    result = verify(rotated_files(path))
    assert result.ok and result.acks == 6


def test_concurrent_writers_interleave_whole_lines(tmp_path):
    path = tmp_path / "a.jsonl"
    log = AuditLog(path, max_bytes=2000, backups=1000)

    def worker(k):
        for n in range(50):
            log.write({"event": "ack", "k": k, "n": n, "pad": "x" * 50})

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log.close()
    assert len(read_all(path)) == 400
    assert verify(rotated_files(path)).ok


def test_in_rotation_order_puts_backups_oldest_first(tmp_path):
    names = ["a.jsonl", "a.jsonl.1", "a.jsonl.10", "a.jsonl.2", "b.jsonl"]
    ordered = in_rotation_order([tmp_path / n for n in names])
    assert [p.name for p in ordered] == ["a.jsonl.10", "a.jsonl.2", "a.jsonl.1", "a.jsonl",
                                          "b.jsonl"]
