"""Reads a report in parts in a process of its own and prints it as JSON (`render_json`), or
`null` if the parts fell back to one process, once per number of parts asked for. The parts are
forked only from a process without threads, and the test process has some (other tests' servers
and browsers), so the tests of `aigate.report.parallel` run it here:

    python report_parts.py '{"paths": [...], "jobs": [2, 3], "filters": {...}, "options": {...}}'
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def in_parts(paths: list[Path], jobs: tuple[int, ...], filters: dict[str, Any] | None = None,
             options: dict[str, float] | None = None) -> list[str | None]:
    """The report's JSON read in each number of forked parts of `jobs`, None where they fell
    back to one process."""
    request = {"paths": [str(p) for p in paths], "jobs": jobs, "filters": filters or {},
               "options": options or {}}
    out = subprocess.run([sys.executable, __file__, json.dumps(request)], check=True,
                         capture_output=True, text=True, timeout=120)
    return json.loads(out.stdout)


def main(request: dict[str, Any]) -> None:
    from aigate.policy import DEFAULT_POLICY, load_policy
    from aigate.report import Filters
    from aigate.report.parallel import read_in_parts
    from aigate.report.render_text import render_json

    policy = load_policy(DEFAULT_POLICY)
    reports: list[str | None] = []
    for jobs in request["jobs"]:
        read = read_in_parts(request["paths"], Filters(**request["filters"]),
                             request["options"], jobs)
        reports.append(None if read is None else render_json(read[0].report(policy, read[1])))
    json.dump(reports, sys.stdout)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
