"""The audit log: one JSON object per line for every decision, acknowledgement, flagged WebSocket
message, policy load and error, written to a size-rotated file or to stdout.

Records are built here from `FlowState` and explicit request facts, never from a flow's metadata
or headers, so what can reach the log is exactly the fields below: no prompt or body, no secret
values (findings carry the inspect step's redacted preview only), no proxy-auth password and no
query string. Every record reaches the file in one unbuffered `write` before `write` returns (no
user-space buffer to lose); acknowledgements are sealed into the ledger's hash chain under the
same lock, so chain order is file order.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
import time as _time
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import orjson

from aigate.flowstate import FlowState, WebSocketVerdict
from aigate.record.events import CandidateHost, HookError, PolicyEvent
from aigate.record.ledger import ACK_EVENT, Ledger, last_hash

STDOUT = "-"
DEFAULT_FILENAME = "aigate-audit.jsonl"
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
DEFAULT_BACKUPS = 10
PATH_MAX_CHARS = 2048
FILE_MODE = 0o640
# After a failed write, a file system with less free space than this still counts as full: a
# short record may fit where the next one will not, and the log must not flap.
MIN_FREE_BYTES = 64 * 1024
NOT_INSPECTED: dict[str, Any] = {
    "inspected": None, "unscanned_reason": None, "unscanned": [], "bytes_scanned": 0,
    "dlp_action": None, "dlp_rule": None, "scan_seconds": None, "findings": [],
}


# orjson: ~10x faster than json.dumps for a decision record; same output for these records.
_JSON_OPTIONS = orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS
_second: tuple[int, str] = (0, "1970-01-01T00:00:00")  # the last second formatted


def rfc3339(epoch: float) -> str:
    """UTC time with milliseconds, e.g. 2026-01-31T12:00:00.123Z.

    The date and time of day are formatted once per second: records of one second share them.
    """
    global _second
    fraction, whole = math.modf(epoch)  # rounded to microseconds as `datetime` does
    seconds, micros = divmod(int(whole) * 1_000_000 + round(fraction * 1e6), 1_000_000)
    cached = _second
    if cached[0] != seconds:
        cached = _second = (seconds, _time.strftime("%Y-%m-%dT%H:%M:%S", _time.gmtime(seconds)))
    return f"{cached[1]}.{micros // 1000:03d}Z"


def json_line(record: dict[str, Any]) -> bytes:
    """One record as a UTF-8 JSON line; ValueError if it holds something JSON cannot."""
    try:
        return orjson.dumps(record, default=str, option=_JSON_OPTIONS)
    except orjson.JSONEncodeError as e:
        raise ValueError(f"record is not serializable as JSON: {e}") from e


def readable(value: Any) -> Any:
    """`value` with text that is no UTF-8 made so: a raw byte mitmproxy kept as a surrogate (a
    path or header holding `\\xff`) written as `\\xff`, a lone surrogate as `\\ud83d`. JSON
    cannot hold either, and a record is never dropped for them."""
    if isinstance(value, str):
        try:
            value.encode()
            return value
        except UnicodeEncodeError:
            try:
                return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            except UnicodeEncodeError:
                return value.encode("utf-8", "backslashreplace").decode()
    if isinstance(value, dict):
        return {readable(k): readable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [readable(v) for v in value]
    return value


def clean_path(path: str) -> str:
    """The request path without query string or fragment (they may carry keys or prompts)."""
    if "?" in path or "#" in path:  # most paths have neither: skip the splits
        for mark in ("?", "#"):
            path = path.split(mark, 1)[0]
    return path[:PATH_MAX_CHARS] or "/"


def rotated_files(path: str | Path) -> list[Path]:
    """An audit log and its rotated backups, oldest first (the order `verify` reads)."""
    path = Path(path)
    backups = []
    for sibling in path.parent.glob(path.name + ".*"):
        suffix = sibling.name[len(path.name) + 1 :]
        if suffix.isdigit():
            backups.append((int(suffix), sibling))
    ordered = [p for _, p in sorted(backups, reverse=True)]
    return [*ordered, path] if path.exists() else ordered


def in_rotation_order(paths: Iterable[str | Path]) -> list[Path]:
    """`paths` with each log's rotated backups put oldest first, before the log itself: numbered
    as aigate rotates (`log.2`, `log.1`) or compressed as logrotate does (`log.2.gz`).

    A shell glob lists `log, log.1, log.10, log.2` (or `log log.1.gz log.2.gz`, newest first);
    the chain reads `... log.2, log.1, log`. Logs of other names (other workers, replicas) keep
    the order given.
    """
    families: dict[str, int] = {}
    keyed = []
    for index, path in enumerate(map(Path, paths)):
        name = str(path).removesuffix(".gz")
        base, _, suffix = name.rpartition(".")
        number = int(suffix) if base and suffix.isdecimal() else 0
        family = base if number else name
        families.setdefault(family, index)
        keyed.append((families[family], -number, index, path))
    return [path for *_, path in sorted(keyed)]


def decision_record(
    state: FlowState,
    *,
    host: str,
    method: str,
    path: str,
    status: int | None,
    time: float,
    navigation: bool = False,
) -> dict[str, Any]:
    """The `decision` record of one AI flow (one dict literal: it is built for every request).
    `navigation`: a person's browser loading a page (what the report counts as a page view)."""
    decision, identity = state.decision, state.identity
    service = decision.service
    groups = identity.groups
    inspection = state.inspection_summary()
    decision_seconds = state.decision_seconds
    scan_seconds = inspection.seconds if inspection else None
    decided_in = round(decision_seconds, 6)
    # Nothing scanned: the same figure (rounding a float costs a few thousand instructions;
    # 0.0 and -0.0 are added to as before, so the sum's sign stays what it was).
    latency = (
        decided_in if not scan_seconds and decision_seconds
        else round(decision_seconds + (scan_seconds or 0.0), 6)
    )
    record = {
        "time": rfc3339(time),
        "event": "decision",
        "request_id": state.request_id,
        "user": identity.user,
        "groups": sorted(groups) if len(groups) > 1 else list(groups),
        "client_ip": identity.client_ip,
        "service": service.id if service else None,
        "category": decision.category,
        "host": host,
        "method": method,
        "path": clean_path(path),
        "navigation": navigation,
        "action": decision.action,
        "outcome": state.outcome,
        "rule": decision.rule,
        "reason": decision.reason,
        "mode": "enforce" if decision.enforced else "monitor",
        "policy_version": state.policy_version,
        "policy_hash": state.policy_hash,
        "status": status,
        "error_stage": state.error_stage,
        "decision_seconds": decided_in,
        "added_latency_seconds": latency,
        **(inspection.as_record() if inspection else NOT_INSPECTED),
    }
    if state.endpoint is not None:  # an unlisted AI endpoint: the host is outside the catalog
        record["unlisted"] = True
        record["endpoint"] = state.endpoint
    if state.upstream_error is not None:  # allowed, but the site did not answer
        record["upstream_error"] = state.upstream_error
    return record


WEBSOCKET_EVENT = "websocket_message"


def websocket_record(
    state: FlowState, verdict: WebSocketVerdict, *, host: str, path: str, time: float
) -> dict[str, Any]:
    """A `websocket_message` record: the DLP verdict on one client-to-server message of the AI
    WebSocket opened by request `state.request_id` (its `decision` record). Sizes, the action
    and the findings summary (detector, class, confidence, count, redacted preview), never the
    message text."""
    decision, identity = state.decision, state.identity
    service = decision.service
    groups = identity.groups
    summary = verdict.summary
    return {
        "time": rfc3339(verdict.time or time),
        "event": WEBSOCKET_EVENT,
        "request_id": state.request_id,
        "message": verdict.ordinal,
        "user": identity.user,
        "groups": sorted(groups) if len(groups) > 1 else list(groups),
        "client_ip": identity.client_ip,
        "service": service.id if service else None,
        "category": decision.category,
        "host": host,
        "path": clean_path(path),
        "mode": "enforce" if decision.enforced else "monitor",
        "policy_version": verdict.policy_version,
        "policy_hash": verdict.policy_hash,
        "message_type": verdict.message_type,
        "message_bytes": verdict.message_bytes,
        "outcome": verdict.outcome,
        "error_stage": verdict.error_stage,
        **(summary.as_record() if summary else NOT_INSPECTED),
    }


def ack_record(state: FlowState, *, time: float) -> dict[str, Any] | None:
    """The `ack` record (a ledger entry) of a flow that carried an acknowledgement, else None."""
    ack = state.ack
    if ack is None:
        return None
    return {
        "time": rfc3339(time),
        "event": ACK_EVENT,
        "request_id": state.request_id,
        "user": ack.user,
        "groups": sorted(state.identity.groups),
        "client_ip": ack.client_ip,
        "service": ack.service_id,
        "policy_version": ack.policy_version,
        "policy_hash": state.policy_hash,
        "acknowledged_at": rfc3339(ack.time),
    }


def policy_record(event: PolicyEvent) -> dict[str, Any]:
    """A `policy_load` or `policy_reload` record."""
    return {
        "time": rfc3339(event.time),
        "event": "policy_reload" if event.reload else "policy_load",
        "result": "success" if event.ok else "failure",
        "policy_version": event.version,
        "policy_hash": event.sha256,
        "source": event.source,
        "error": event.error,
    }


def candidate_record(event: CandidateHost) -> dict[str, Any]:
    """A `candidate` record: a passed-through connection to a host that looks like AI."""
    return {
        "time": rfc3339(event.time),
        "event": "candidate",
        "host": event.host,
        "hint": event.hint,
        "user": event.user,
        "client_ip": event.client_ip,
    }


def resumed_record(since: float, lost: int, error: str, *, time: float) -> dict[str, Any]:
    """An `audit_resumed` record: the log could not be written from `since` until now, and
    `lost` records are missing from it (`error` says why, e.g. "No space left on device")."""
    return {
        "time": rfc3339(time),
        "event": "audit_resumed",
        "since": rfc3339(since),
        "lost_records": lost,
        "error": error,
    }


def error_record(error: HookError) -> dict[str, Any]:
    """An `error` record: where aigate failed, never the failing data."""
    return {
        "time": rfc3339(error.time),
        "event": "error",
        "stage": error.stage,
        "error": error.error_type,
        "request_id": error.request_id,
    }


class AuditLog:
    """A thread-safe JSON Lines writer with size-based rotation (or stdout when path is "-").

    A file rotates before a record that would take it past `max_bytes` (0: never): `log.N-1`
    becomes `log.N` (the oldest beyond `backups` is deleted), `log` becomes `log.1`. The ledger
    resumes from the newest acknowledgement already in the files.

    A write that fails (disk full, read-only file system) raises OSError and leaves no partial
    line behind; the file is reopened by the next write, so the log recovers by itself once the
    disk frees up, and an acknowledgement that was not written does not advance the chain.
    """

    def __init__(
        self,
        path: str | Path,
        max_bytes: int = DEFAULT_MAX_BYTES,
        backups: int = DEFAULT_BACKUPS,
        stdout: IO[str] | None = None,
    ) -> None:
        self.path = str(path)
        self.max_bytes = max_bytes
        self.backups = backups
        self._lock = threading.Lock()
        self._stdout = stdout
        self._file: IO[bytes] | None = None
        self._size = 0
        self._closed = False
        self._torn = False  # a failed write left part of a line that could not be removed
        if self.path == STDOUT:
            self.ledger = Ledger()
        else:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.ledger = Ledger(last_hash(rotated_files(self.path)))
            self._open()

    def _open(self) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        self._size = os.fstat(fd).st_size
        # Unbuffered: each write() is one system call, so a record is in the file on return.
        self._file = open(fd, "ab", buffering=0)  # noqa: SIM115  # closed in close()

    def _rotate(self) -> None:
        assert self._file is not None
        self._file.close()
        self._file = None  # reopened below, or by the next write if a rename fails
        oldest = f"{self.path}.{self.backups}"
        if os.path.exists(oldest):
            os.remove(oldest)
        for n in range(self.backups - 1, 0, -1):
            if os.path.exists(f"{self.path}.{n}"):
                os.replace(f"{self.path}.{n}", f"{self.path}.{n + 1}")
        os.replace(self.path, f"{self.path}.1")
        self._open()

    def write(self, record: dict[str, Any]) -> dict[str, Any]:
        """Append one record to the file (or flush it to stdout); returns the record as written
        (sealed for acks)."""
        with self._lock:
            last_hash = self.ledger.last_hash
            try:
                try:
                    record, line = self._sealed_line(record)
                except ValueError:  # text that is no UTF-8, most likely: written readable
                    self.ledger.last_hash = last_hash
                    record, line = self._sealed_line(readable(record))
                if self.path == STDOUT:
                    out = self._stdout or sys.stdout
                    out.write(line.decode())
                    out.flush()
                else:
                    self._append(line)
            except BaseException:
                self.ledger.last_hash = last_hash  # the chain links only records in the file
                raise
            return record

    def _sealed_line(self, record: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        if record.get("event") == ACK_EVENT:
            record = self.ledger.seal(record)
        return record, json_line(record)

    def _append(self, line: bytes) -> None:
        if self._closed:
            raise ValueError(f"audit log {self.path} is closed")
        if self._file is None:  # a write failed before: try the path afresh
            self._open()
        if self._torn:
            line = b"\n" + line
        size = len(line)
        full = self._size + size > self.max_bytes
        if self.max_bytes and self.backups and self._size and full:
            self._rotate()
        file = self._file
        assert file is not None
        written = 0
        try:
            while written < size:  # more than one round only after a short write
                count = file.write(line[written:] if written else line)
                if not count:
                    raise OSError(f"audit log {self.path}: the write made no progress")
                written += count
        except OSError:
            self._discard(file, written)
            raise
        self._size += size
        self._torn = False

    def _discard(self, file: IO[bytes], written: int) -> None:
        """After a failed write: cut off the part of the line that was written (a torn line
        would break every reader of the JSON Lines file) and drop the file for a reopen."""
        self._file = None
        if written:
            try:
                os.ftruncate(file.fileno(), self._size)
            except OSError:
                self._torn = True  # start the next record on a line of its own
        with contextlib.suppress(OSError):
            file.close()

    def has_room(self) -> bool:
        """Whether the log's file system has `MIN_FREE_BYTES` free (True if it cannot tell)."""
        if self.path == STDOUT:
            return True
        try:
            stat = os.statvfs(os.path.dirname(os.path.abspath(self.path)))
        except OSError:
            return True  # the write will tell
        return stat.f_bavail * stat.f_frsize >= MIN_FREE_BYTES

    def write_all(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            self.write(record)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._file is not None:
                self._file.close()
                self._file = None
