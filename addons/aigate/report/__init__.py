"""`aigate report`: what people do with AI, from the audit log.

`read` streams records from plain, gzip and rotated files; `aggregate` counts them in one pass in
bounded memory (`parallel`: in several processes, each counting its people's records);
`render_html` and `render_text` turn the result into HTML, Markdown, CSV or JSON.
Pure code: no mitmproxy.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from aigate.report.aggregate import Aggregator
from aigate.report.counters import Filters
from aigate.report.model import Report
from aigate.report.parallel import default_jobs, read_in_parts
from aigate.report.read import ReadStats, read_records

if TYPE_CHECKING:
    from aigate.policy.loaded import LoadedPolicy

__all__ = ["Filters", "Report", "build_report"]


def build_report(
    paths: Iterable[str | Path],
    policy: LoadedPolicy | None = None,
    filters: Filters = Filters(),  # noqa: B008  # frozen
    *,
    jobs: int | None = 1,
    **options: float,
) -> Report:
    """Read `paths` once and build the report; `options` go to `Aggregator` (session_gap,
    offender_blocks). `jobs` processes read it (None: as many as `parallel.default_jobs`
    judges worth it); the figures are the same."""
    paths = list(paths)
    if jobs is None:
        jobs = default_jobs(paths)
    read = read_in_parts(paths, filters, options, jobs) if jobs > 1 else None
    if read is None:
        stats = ReadStats()
        aggregator = Aggregator(filters, **options)  # type: ignore[arg-type]
        aggregator.add_records(read_records(paths, stats))
    else:
        aggregator, stats = read
    return aggregator.report(policy, stats)
