"""Proxy authentication becomes the policy identity: users, groups and group exceptions."""

from __future__ import annotations

from collections.abc import Iterator

import bcrypt
import httpx2 as httpx
import pytest
from aigate.flowstate import FLOW_KEY
from proxyharness import RunningProxy, make_client, wait_for

TOOL = "https://code.group.test/v1/chat/completions"


@pytest.fixture(scope="module")
def proxy(launch, tmp_path_factory) -> Iterator[RunningProxy]:
    htpasswd = tmp_path_factory.mktemp("auth") / "htpasswd"
    htpasswd.write_text(
        "".join(
            f"{user}:{bcrypt.hashpw(pw.encode(), bcrypt.gensalt(4)).decode()}\n"
            for user, pw in (("alice", "alice-secret"), ("bob", "bob-secret"))
        )
    )
    with launch(proxyauth=f"@{htpasswd}") as running:
        yield running


@pytest.mark.parametrize(
    ("user", "status", "outcome"),
    [("alice", 200, "allowed"), ("bob", 403, "blocked")],
    ids=["engineering-exception-allows", "others-get-the-service-rule"],
)
def test_group_exception_applies_to_the_authenticated_user(proxy, user, status, outcome):
    with make_client(proxy, auth=f"{user}:{user}-secret") as client:
        response = client.post(TOOL, json={})
    assert response.status_code == status
    wait_for(lambda: any(f.metadata.get(FLOW_KEY) and
                         f.metadata[FLOW_KEY].identity.user == user for f in proxy.flows))
    state = next(
        f.metadata[FLOW_KEY] for f in reversed(proxy.flows)
        if f.metadata.get(FLOW_KEY) and f.metadata[FLOW_KEY].identity.user == user
    )
    assert state.outcome == outcome
    assert ("engineering" in state.identity.groups) is (user == "alice")
    assert state.identity.client_ip == "127.0.0.1"
    assert f"{user}-secret" not in repr(state), "the password leaked into FlowState"


def test_wrong_password_is_refused_by_the_proxy(proxy):
    with make_client(proxy, auth="alice:wrong") as client, pytest.raises(httpx.ProxyError):
        client.post(TOOL, json={})
