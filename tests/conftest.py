"""Suite-wide rule: under CI (`CI=true`) a skipped, xfailed or xpassed test fails the run.

Locally, a test without its Debian component skips with the package to install
(`components.require_command`); in CI every component is installed, so any skip, from any cause,
means something was not really tested, and an expected failure is a test that proves nothing.
"""

from __future__ import annotations

import pytest
from components import on_ci
from hypothesis import settings


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not on_ci() or exitstatus != pytest.ExitCode.OK:
        return
    kinds = ("skipped", "xfailed", "xpassed")
    unproven = {kind: len(reporter.stats.get(kind, [])) for kind in kinds}
    if any(unproven.values()):
        counts = ", ".join(f"{n} {kind}" for kind, n in unproven.items() if n)
        reporter.write_line(f"CI=true: {counts} test(s) fail the run", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# CI replays the same examples on every run (a red build must be reproducible, not a dice roll);
# exploring new inputs is for local runs, e.g. AIGATE_FUZZ_EXAMPLES=5000.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if on_ci():
    settings.load_profile("ci")
