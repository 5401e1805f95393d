"""Fixtures for tests against a real mitmproxy running the aigate addons (see proxyharness.py).

- `upstream` (session): one fake TLS upstream for every AI host, shared by all tests.
- `launch` (session): `with launch(policy_path, **options) as proxy:` starts a proxy routed to
  the upstream; use it in a module-scoped fixture so a module shares one proxy.
- `proxy` (module): the proxy with the test policy (`data/policy.yaml`), for modules that
  need nothing else.
- `client(proxy)`: an httpx client through the proxy that trusts its CA.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from proxyharness import (
    TEST_POLICY,
    FakeUpstream,
    RunningProxy,
    catalog_hosts,
    make_client,
    start_proxy,
)

TEST_HOSTS = (
    "api.openai.test", "api.anthropic.test", "gemini.googleapis.test", "api.generic.test",
    "allowed.openai.test", "allowed.anthropic.test", "warn.api.test", "chat.blocked.test",
    "chat.warn.test", "chat.redirect.test", "approved.test", "tenant.test", "stream.api.test",
    "code.group.test",
)

Launcher = Callable[..., contextlib.AbstractContextManager[RunningProxy]]


@pytest.fixture(scope="session")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeUpstream]:
    server = FakeUpstream(tmp_path_factory.mktemp("upstream"), [*TEST_HOSTS, *catalog_hosts()])
    yield server
    server.close()


@pytest.fixture(scope="session")
def shared_confdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mitmproxy confdir (CA, ack key) for the session: the CA is generated once."""
    return tmp_path_factory.mktemp("confdir")


@pytest.fixture(scope="session")
def launch(
    upstream: FakeUpstream, shared_confdir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Launcher:
    """Start a proxy: `with launch(policy, confdir=None, addons=None, **options) as proxy:`.

    The policy file is copied to a fresh directory (with the test catalog), so a test may edit
    it. Only one proxy may run at a time in a process (mitmproxy's `ctx` is global).
    """

    @contextlib.contextmanager
    def run(
        policy: Path | str = TEST_POLICY,
        confdir: Path | None = None,
        addons: list[Any] | None = None,
        **options: Any,
    ) -> Iterator[RunningProxy]:
        work = tmp_path_factory.mktemp("policy")
        policy = Path(policy)
        shutil.copy(policy, work / policy.name)
        if (policy.parent / "catalog.yaml").exists():
            shutil.copy(policy.parent / "catalog.yaml", work / "catalog.yaml")
        proxy = start_proxy(
            confdir or shared_confdir,
            upstream,
            {"aigate_policy": str(work / policy.name), **options},
            addons,
        )
        try:
            yield proxy
        finally:
            proxy.stop()

    return run


@pytest.fixture(scope="module")
def proxy(launch: Launcher) -> Iterator[RunningProxy]:
    with launch() as running:
        yield running


@pytest.fixture
def client(proxy: RunningProxy) -> Iterator[httpx.Client]:
    with make_client(proxy) as c:
        yield c
