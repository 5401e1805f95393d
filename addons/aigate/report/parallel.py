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

from aigate.report.aggregate import Aggregator, _user_of
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
            aggregator, stats, misplaced = read_part(paths, filters, options, Part(0, jobs))
            if misplaced:
                for other in others:
                    other.cancel()
                return None
            for other in others:
                theirs, their_stats, misplaced = other.result()
                if misplaced:
                    return None
                aggregator.absorb(theirs)
                stats.absorb(their_stats)
    except (OSError, BrokenProcessPool):
        return None
    return aggregator, stats


def read_part(
    paths: Sequence[str | Path], filters: Filters, options: dict[str, float], part: Part
) -> tuple[Aggregator, ReadStats, int]:
    """One part's counters (flushed, ready to add up), what it read, and how many of its
    records belong to another part's person."""
    stats = ReadStats()
    aggregator = Aggregator(filters, **options)  # type: ignore[arg-type]
    misplaced = [0]
    aggregator.add_records(_checked(read_records(paths, stats, part), part, misplaced))
    aggregator.flush()
    aggregator.tracks = {}  # counted: not sent back
    return aggregator, stats, misplaced[0]


def _checked(
    records: Iterable[AuditRecord], part: Part, misplaced: list[int]
) -> Iterator[AuditRecord]:
    """The records, counting the requests of people another part holds."""
    for record in records:
        if record.event == "decision" and not part.holds(_user_of(record)):
            misplaced[0] += 1
        yield record
