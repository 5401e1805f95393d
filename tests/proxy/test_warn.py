"""Warn -> acknowledge -> continue through a real proxy, and every way a cookie is refused."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from aigate.flowstate import FLOW_KEY
from aigate.respond.cookies import AckSigner, load_or_create_key
from proxyharness import BROWSER_HEADERS, RunningProxy, make_client, wait_for

PAGE = "https://chat.warn.test/c/42?model=x"
ACK = "https://chat.warn.test/.aigate/ack"
TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture(scope="module")
def proxy(launch) -> Iterator[RunningProxy]:
    with launch(proxyauth="any") as running:
        yield running


def _state(proxy: RunningProxy, url: str):
    wait_for(lambda: any(f.request.url == url for f in proxy.flows))
    return next(f for f in reversed(proxy.flows) if f.request.url == url).metadata[FLOW_KEY]


def acknowledge(proxy: RunningProxy, user: str) -> str:
    """Open the page, click "I understand, continue"; return the acknowledgement cookie."""
    with make_client(proxy, auth=f"{user}:pw") as client:
        page = client.get(PAGE, headers=BROWSER_HEADERS)
        assert page.status_code == 200
        assert 'action="/.aigate/ack"' in page.text
        token = TOKEN.search(page.text).group(1)
        done = client.post(ACK, data={"token": token}, headers=BROWSER_HEADERS)
    assert done.status_code == 302
    assert done.headers["location"] == PAGE
    cookie = done.headers["set-cookie"]
    for attribute in ("HttpOnly", "Secure", "SameSite=Lax", "Path=/", "Max-Age=3600"):
        assert attribute in cookie
    return cookie.split(";", 1)[0]


def test_navigation_to_warned_service_shows_interstitial_without_upstream(proxy, upstream):
    before = upstream.snapshot()
    with make_client(proxy, auth="alice:pw") as client:
        page = client.get(PAGE, headers=BROWSER_HEADERS)
    assert page.status_code == 200
    assert "Test Warned Chat is not contracted" in page.text
    assert "I understand, continue" in page.text
    assert _state(proxy, PAGE).outcome == "warned"
    assert upstream.connections_since(before) == 0


def test_acknowledged_person_continues_and_upstream_never_sees_the_cookie(proxy, upstream):
    cookie = acknowledge(proxy, "alice")
    state = _state(proxy, ACK)
    assert state.outcome == "acknowledged"
    assert (state.ack.user, state.ack.service_id, state.ack.policy_version) == (
        "alice", "t-warn-chat", "t1"
    )
    before = upstream.snapshot()
    with make_client(proxy, auth="alice:pw") as client:
        response = client.get(PAGE, headers={**BROWSER_HEADERS, "cookie": f"theme=dark; {cookie}"})
    assert response.status_code == 200
    assert response.json()["path"] == "/c/42?model=x"
    seen = upstream.requests_since(before)
    assert [r.headers.get("cookie") for r in seen] == ["theme=dark"]
    assert _state(proxy, PAGE).outcome == "continued"


def _expired_cookie(proxy: RunningProxy) -> str:
    signer = AckSigner(load_or_create_key(proxy.confdir / "aigate-ack.key"))
    return "aigate_ack=" + signer.sign("alice", "t-warn-chat", "t1", int(time.time()) - 10)


@pytest.mark.parametrize(
    ("user", "cookie"),
    [
        ("alice", lambda proxy: "aigate_ack=9999999999.Zm9yZ2Vk"),
        ("alice", _expired_cookie),
        ("bob", lambda proxy: acknowledge(proxy, "alice")),
        ("alice", lambda proxy: acknowledge(proxy, "alice").replace("aigate_ack=", "aigate_ack=1")),
    ],
    ids=["forged", "expired", "other-user", "tampered"],
)
def test_invalid_acknowledgement_cookie_gets_the_interstitial_again(proxy, upstream, user, cookie):
    value = cookie(proxy)
    before = upstream.snapshot()
    with make_client(proxy, auth=f"{user}:pw") as client:
        response = client.get(PAGE, headers={**BROWSER_HEADERS, "cookie": value})
    assert response.status_code == 200
    assert "I understand, continue" in response.text
    assert upstream.connections_since(before) == 0


def test_forged_continue_token_is_refused(proxy, upstream):
    before = upstream.snapshot()
    with make_client(proxy, auth="alice:pw") as client:
        response = client.post(ACK, data={"token": "eyJ4Ijp9.AAAA"}, headers=BROWSER_HEADERS)
    assert response.status_code == 403
    assert "set-cookie" not in response.headers
    assert upstream.connections_since(before) == 0


def test_api_request_to_warned_service_passes_with_a_notice_header(proxy, upstream):
    before = upstream.snapshot()
    with make_client(proxy, auth="alice:pw") as client:
        response = client.post("https://warn.api.test/v1/chat/completions", json={})
    assert response.status_code == 200
    assert response.json()["id"] == "chatcmpl-fake"
    assert "The warned API is not contracted" in response.headers["x-aigate-notice"]
    assert upstream.connections_since(before) == 1
    assert _state(proxy, "https://warn.api.test/v1/chat/completions").outcome == "allowed"
