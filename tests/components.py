"""Test components from Debian packages, asked for the same way by every test.

`require_command` is how a test asks for a Debian component (chromium, promtool, haproxy, ...):
a developer's machine without it skips the test with the package to install; CI (`CI=true`)
fails instead, because a skipped real-component test there would hide a missing install step.
"""

from __future__ import annotations

import os
import shutil

import pytest


def on_ci() -> bool:
    """Whether this run is CI's (`CI=true`), where every component must be present."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_command(command: str, package: str) -> str:
    """The path of `command`; skip (locally) or fail (under CI=true) when it is missing."""
    path = shutil.which(command)
    if path:
        return path
    message = f"needs `{command}`: apt-get install {package} (or run .ci/system-deps as root)"
    if on_ci():
        pytest.fail(f"CI is missing a test component: {message}", pytrace=False)
    pytest.skip(message)
