"""The audit log writer when the disk fails under it: no torn line, no broken acknowledgement
chain, and writing resumes by itself (the proxy-level behaviour is in tests/proxy/test_faults.py).
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from aigate.record.audit import AuditLog
from aigate.record.ledger import ACK_EVENT, verify


class FullAfter:
    """A file that takes `room` more bytes, then fails every write with ENOSPC."""

    def __init__(self, real, room: int) -> None:
        self.real = real
        self.room = room

    def write(self, data: bytes) -> int:
        if self.room <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        taken = self.real.write(bytes(data[: self.room]))
        self.room -= taken
        return taken

    def fileno(self) -> int:
        return self.real.fileno()

    def close(self) -> None:
        self.real.close()


def ack(n: int) -> dict:
    return {"time": "2026-01-01T00:00:00.000Z", "event": ACK_EVENT, "request_id": f"r{n}",
            "user": "alice", "service": "chatgpt", "policy_version": "1"}


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("room", [0, 1, 25], ids=["nothing-written", "one-byte", "part-line"])
def test_failed_write_leaves_no_partial_line_and_the_next_write_reopens(tmp_path, room):
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.write({"event": "decision", "n": 1})
    log._file = FullAfter(log._file, room)
    with pytest.raises(OSError):
        log.write({"event": "decision", "n": 2, "padding": "x" * 100})
    log.write({"event": "decision", "n": 3})  # the disk "freed up": a fresh file handle
    log.close()
    assert [r["n"] for r in lines(path)] == [1, 3]


def test_acknowledgement_that_was_not_written_does_not_break_the_chain(tmp_path):
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.write(ack(1))
    log._file = FullAfter(log._file, 10)
    with pytest.raises(OSError):
        log.write(ack(2))
    log.write(ack(3))
    log.close()
    assert [r["request_id"] for r in lines(path)] == ["r1", "r3"]
    assert verify([path]).ok


def test_rotation_into_a_missing_directory_fails_and_recovers(tmp_path):
    directory = tmp_path / "logs"
    path = directory / "audit.jsonl"
    log = AuditLog(path, max_bytes=60, backups=1)
    log.write({"event": "decision", "n": 1, "padding": "x" * 30})
    for child in directory.iterdir():
        child.unlink()
    directory.rmdir()
    with pytest.raises(OSError):
        log.write({"event": "decision", "n": 2, "padding": "x" * 30})  # rotation renames fail
    directory.mkdir()
    log.write({"event": "decision", "n": 3})
    log.close()
    assert [r["n"] for r in lines(path)] == [3]


def test_closed_log_refuses_writes(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    log.close()
    with pytest.raises(ValueError, match="closed"):
        log.write({"event": "decision"})
