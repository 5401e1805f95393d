"""The CI rule for real-component tests: locally a missing Debian component skips with the package
to install; with CI=true it fails, and so does any other skip (tests/conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
SAMPLES = {
    "missing": 'require_command("aigate-no-such-tool", "aigate-pkg")',
    "present": 'require_command("sh", "dash")',
    "plain-skip": 'pytest.skip("some reason")',
}


def run_sample(tmp_path: Path, body: str, ci: str | None) -> subprocess.CompletedProcess:
    """pytest on one sample test, with the suite's conftest and components helper."""
    shutil.copy(TESTS / "conftest.py", tmp_path / "conftest.py")
    shutil.copy(TESTS / "components.py", tmp_path / "components.py")
    (tmp_path / "test_sample.py").write_text(
        "import pytest\nfrom components import require_command\n\n\n"
        f"def test_sample():\n    {body}\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # the sample needs no plugin; starts faster
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize(
    ("sample", "ci", "code", "says"),
    [
        ("missing", None, 0, "apt-get install aigate-pkg"),
        ("missing", "true", 1, "CI is missing a test component"),
        ("present", "true", 0, "1 passed"),
        ("plain-skip", None, 0, "1 skipped"),
        ("plain-skip", "true", 1, "skipped test(s) fail the run"),
    ],
    ids=["local-missing-skips", "ci-missing-fails", "ci-present-passes", "local-skip-skips",
         "ci-skip-fails"],
)
def test_missing_component_skips_locally_and_fails_under_ci(tmp_path, sample, ci, code, says):
    result = run_sample(tmp_path, SAMPLES[sample], ci)
    assert result.returncode == code, result.stdout + result.stderr
    assert says in result.stdout
