"""A report read by several processes at once, with the figures of one pass.

Each process reads every log but decodes and counts only the records of its people (a hash of
the person each line names, `read.Part`); the parts' counters then add up (`Aggregator.absorb`).
Splitting by person is what keeps the figures exact: sessions of active time depend on the order
of one person's requests, and each person's requests are all in one part, in the order of the
logs. A part that decodes a record of a person routed elsewhere (a hand-edited line whose text
names its person otherwise) makes the whole report run again in one process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from aigate.report.aggregate import Aggregator, person_of
from aigate.report.counters import Filters
from aigate.report.read import AuditRecord, Part, ReadStats, read_records

PARALLEL_BYTES = 32 * 1024 * 1024  # less log than this is read in one process by default
MAX_JOBS = 64  # processes one report may use
AUTO_JOBS = 8  # at most, by default


def default_jobs(paths: Sequence[str | Path]) -> int:
    """One process for small logs (starting more costs more than it saves), else one per CPU
    this process may run on, up to `AUTO_JOBS`."""
    size = 0
    for path in paths:
        try:
            size += os.path.getsize(path)
        except OSError:
            continue  # the reader reports it
    if size < PARALLEL_BYTES:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), AUTO_JOBS))


def read_in_parts(
    paths: Sequence[str | Path], filters: Filters, options: dict[str, float], jobs: int
) -> tuple[Aggregator, ReadStats] | None:
    """The aggregator and read statistics of all the records, counted by `jobs` processes (this
    one among them); None if a part met a record of another part's person, or processes could
    not be started: the caller then reads in one process.

    The parts are forked: they start at once, with what this process imported, and never run
    a caller's script again as spawned processes do. A process with threads is not forked (a
    thread's lock would stay held in the child): it reads in one process."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return None
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(jobs - 1, mp_context=context) as pool:
            others = [pool.submit(read_part, paths, filters, options, Part(index, jobs))
                      for index in range(1, jobs)]
            mine = read_part(paths, filters, options, Part(0, jobs))
            parts = [mine, *(other.result() for other in others)]
    except (OSError, BrokenProcessPool):
        return None
    if any(part is None for part in parts):
        return None
    aggregator, stats = parts[0]
    for theirs, their_stats in parts[1:]:
        aggregator.absorb(theirs)
        stats.absorb(their_stats)
    return aggregator, stats


class _Misplaced(Exception):
    """A part decoded a request of a person another part holds."""


def read_part(
    paths: Sequence[str | Path], filters: Filters, options: dict[str, float], part: Part
) -> tuple[Aggregator, ReadStats] | None:
    """One part's counters (flushed, ready to add up) and what it read; None, as soon as it
    meets it, if a request belongs to another part's person."""
    stats = ReadStats()
    aggregator = Aggregator(filters, **options)  # type: ignore[arg-type]
    try:
        aggregator.add_records(_checked(read_records(paths, stats, part), part))
    except _Misplaced:
        return None
    aggregator.flush()
    aggregator.tracks = {}  # counted: not sent back
    return aggregator, stats


def _checked(records: Iterable[AuditRecord], part: Part) -> Iterator[AuditRecord]:
    for record in records:
        if record.event == "decision" and not part.holds(person_of(record)):
            raise _Misplaced
        yield record
