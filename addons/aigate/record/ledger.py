"""The acknowledgement ledger: a hash chain through the `ack` records of the audit log.

Each acknowledgement record carries `prev_hash` (the `hash` of the acknowledgement before it, or
`GENESIS` for the first) and `hash`, the SHA-256 of the record's canonical JSON without `hash`.
Changing, removing or reordering any acknowledgement breaks the chain at that point. The chain
runs through the audit log, so it continues across rotated files; verification reads the files
oldest first. Records of other events in the same files are skipped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ACK_EVENT = "ack"
GENESIS = "0" * 64


def canonical(record: dict[str, Any]) -> bytes:
    """The bytes a record's hash covers: sorted keys, no whitespace, `hash` left out."""
    body = {k: v for k, v in record.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def record_hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


class Ledger:
    """Seals acknowledgement records into the chain. Not thread-safe: the audit writer serializes
    calls under its lock so that chain order is file order."""

    def __init__(self, last_hash: str = GENESIS) -> None:
        self.last_hash = last_hash

    def seal(self, record: dict[str, Any]) -> dict[str, Any]:
        sealed = {**record, "prev_hash": self.last_hash}
        sealed["hash"] = record_hash(sealed)
        self.last_hash = sealed["hash"]
        return sealed


@dataclass(frozen=True, slots=True)
class Line:
    file: str
    number: int
    record: dict[str, Any] | None  # None: not a JSON object
    raw: str


def read_lines(files: Iterable[str | Path]) -> Iterator[Line]:
    """Every line of the given files in order, parsed where possible."""
    for file in files:
        with open(file, encoding="utf-8", errors="replace") as fh:
            for number, raw in enumerate(fh, 1):
                raw = raw.rstrip("\n")
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw)
                except json.JSONDecodeError:
                    record = None
                yield Line(str(file), number, record if isinstance(record, dict) else None, raw)


def last_hash(files: Iterable[str | Path]) -> str:
    """The hash to chain the next acknowledgement to, from existing files (oldest first)."""
    last = GENESIS
    for line in read_lines(files):
        if line.record and line.record.get("event") == ACK_EVENT and "hash" in line.record:
            last = str(line.record["hash"])
    return last


@dataclass(frozen=True, slots=True)
class Break:
    """Where the chain breaks and why."""

    file: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.problem}"


@dataclass(frozen=True, slots=True)
class Verification:
    acks: int
    breaks: tuple[Break, ...]
    starts_mid_chain: bool  # the first acknowledgement does not chain to GENESIS

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify(files: Iterable[str | Path], *, partial: bool = False) -> Verification:
    """Check the chain across `files` (oldest first).

    With `partial`, the first acknowledgement may chain to a record in a file not given (older
    rotated files deleted); otherwise it must chain to GENESIS.
    """
    breaks: list[Break] = []
    expected: str | None = None if partial else GENESIS
    acks = 0
    starts_mid = False
    for line in read_lines(files):
        if line.record is None:
            if '"event":"ack"' in line.raw.replace(" ", ""):
                breaks.append(Break(line.file, line.number, "acknowledgement is not valid JSON"))
            continue
        record = line.record
        if record.get("event") != ACK_EVENT:
            continue
        acks += 1
        prev, stored = record.get("prev_hash"), record.get("hash")
        if expected is None:
            starts_mid = prev != GENESIS
        elif prev != expected:
            what = "the chain start" if expected == GENESIS else "the previous acknowledgement"
            breaks.append(
                Break(line.file, line.number, f"prev_hash does not match {what} (record missing, "
                      "removed or reordered before this line)")
            )
        if stored != record_hash(record):
            breaks.append(Break(line.file, line.number, "hash does not match the record's content "
                                "(record altered)"))
        expected = str(stored)
    return Verification(acks, tuple(breaks), starts_mid)


def acknowledgements(files: Iterable[str | Path]) -> Iterator[dict[str, Any]]:
    """The acknowledgement records in `files`, in order."""
    for line in read_lines(files):
        if line.record and line.record.get("event") == ACK_EVENT:
            yield line.record
