"""Stream audit records from JSON Lines files: plain, gzip-compressed, and rotated backups, of
any number of logs (one per worker or replica) in one run.

Files are read line by line and never held whole, so a report over gigabytes of log runs in flat
memory. A line that is not a JSON object is skipped and counted, and the first few are kept with
`file:line` so a damaged log is visible in the report rather than fatal.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from aigate.record.audit import in_rotation_order

GZIP_MAGIC = b"\x1f\x8b"
KEPT_PROBLEMS = 20
READ_BUFFER = 1024 * 1024


@dataclass(slots=True)
class ReadStats:
    """What the reader saw: files, lines, and the lines it had to skip."""

    files: list[str] = field(default_factory=list)
    lines: int = 0
    bad_lines: int = 0
    problems: list[str] = field(default_factory=list)  # the first KEPT_PROBLEMS, file:line

    def bad(self, where: str, why: str) -> None:
        self.bad_lines += 1
        if len(self.problems) < KEPT_PROBLEMS:
            self.problems.append(f"{where}: {why}")


def open_log(path: Path) -> IO[bytes]:
    """A binary stream of the file's lines, decompressed if it is gzip (by content, not name:
    rotated backups compressed by logrotate keep names like `log.3`)."""
    raw = open(path, "rb", buffering=READ_BUFFER)  # noqa: SIM115  # the caller closes it
    if raw.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


def read_records(paths: Iterable[str | Path], stats: ReadStats) -> Iterator[dict[str, Any]]:
    """Every JSON object in `paths`, each log's rotated backups first (oldest to newest).

    Unreadable files and lines that are not JSON objects are counted in `stats` and skipped.
    """
    loads = orjson.loads
    for path in in_rotation_order(paths):
        name = str(path)
        stats.files.append(name)
        try:
            stream = open_log(path)
        except OSError as e:
            stats.bad(name, f"cannot read: {e.strerror}")
            continue
        with stream:
            number = 0
            try:
                for number, line in enumerate(stream, 1):
                    if not line.strip():
                        continue
                    stats.lines += 1
                    try:
                        record = loads(line)
                    except orjson.JSONDecodeError as e:
                        stats.bad(f"{name}:{number}", f"not JSON ({e.msg})")
                        continue
                    if type(record) is not dict:
                        stats.bad(f"{name}:{number}", "not a JSON object")
                        continue
                    yield record
            except (OSError, EOFError) as e:  # a truncated or corrupt gzip member
                stats.bad(f"{name}:{number + 1}", f"unreadable ({e})")
