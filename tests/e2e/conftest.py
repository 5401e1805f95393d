"""Fixtures of the end-to-end tests: a fake upstream for the test hosts, one a module; for the
browser tests (see browserharness.py) one proxy on the shipped policy, its fake upstream and one
headless Chromium a module, and a fresh profile a test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browserharness import Shipped, fresh_page, shipped_browser
from playwright.sync_api import Page
from recordharness import FakeUpstream, running_upstream


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeUpstream]:
    """The fake upstream for recordharness.TEST_HOSTS (subprocess proxies reach it by routing)."""
    with running_upstream(tmp_path_factory.mktemp("upstream")) as server:
        yield server


@pytest.fixture(scope="module")
def browser_trusts_upstream() -> bool:
    """Whether Chromium trusts the fake upstream's CA too; a module overrides it to say no."""
    return True


@pytest.fixture(scope="module")
def shipped(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
    browser_trusts_upstream: bool,
) -> Iterator[Shipped]:
    work = tmp_path_factory.mktemp(request.module.__name__)
    with shipped_browser(work, browser_trusts_upstream) as running:
        yield running


@pytest.fixture
def page(shipped: Shipped) -> Iterator[Page]:
    with fresh_page(shipped.browser) as tab:
        yield tab
