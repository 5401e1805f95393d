"""Suite-wide rule: under CI (`CI=true`) a skipped test fails the run.

Locally, a test without its Debian component skips with the package to install
(`components.require_command`); in CI every component is installed, so any skip, from any cause,
means something was not really tested.
"""

from __future__ import annotations

import pytest
from components import on_ci
from hypothesis import settings


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if on_ci() and skipped and exitstatus == pytest.ExitCode.OK:
        reporter.write_line(f"CI=true: {len(skipped)} skipped test(s) fail the run", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# CI replays the same examples on every run (a red build must be reproducible, not a dice roll);
# exploring new inputs is for local runs, e.g. AIGATE_FUZZ_EXAMPLES=5000.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if on_ci():
    settings.load_profile("ci")
