"""Block and redirect through a real proxy: the right answer for people and for each API shape,
never an upstream connection."""

from __future__ import annotations

import json

import pytest
from aigate.flowstate import FLOW_KEY
from proxyharness import BROWSER_HEADERS, open_tunnel, read_response_head, wait_for

HTML = BROWSER_HEADERS


def _json(body: bytes) -> dict:
    return json.loads(body)


BLOCK_CASES = [
    # (id, method, url, headers, content type, check of the body)
    (
        "openai",
        "POST",
        "https://api.openai.test/v1/chat/completions",
        {"content-type": "application/json"},
        "application/json",
        lambda b: _json(b)["error"]["type"] == "permission_denied"
        and "not approved for company data" in _json(b)["error"]["message"],
    ),
    (
        "anthropic",
        "POST",
        "https://api.anthropic.test/v1/messages",
        {"content-type": "application/json"},
        "application/json",
        lambda b: _json(b)["type"] == "error"
        and _json(b)["error"]["type"] == "permission_error"
        and "Anthropic API is not approved" in _json(b)["error"]["message"],
    ),
    (
        "gemini",
        "POST",
        "https://gemini.googleapis.test/v1beta/models/gemini-pro:generateContent",
        {"content-type": "application/json"},
        "application/json",
        lambda b: _json(b)["error"]["status"] == "PERMISSION_DENIED"
        and _json(b)["error"]["code"] == 403,
    ),
    (
        "generic",
        "POST",
        "https://api.generic.test/v1/run",
        {"content-type": "application/json"},
        "application/json",
        lambda b: "generic API is not approved" in _json(b)["error"]["message"],
    ),
    (
        "html-navigation",
        "GET",
        "https://chat.blocked.test/c/123",
        HTML,
        "text/html",
        lambda b: b"Test Chat" in b and b"&lt;script&gt;" in b and b"<script>" not in b
        and b"https://approved.test/" in b,
    ),
    (
        "text-for-scripts",
        "POST",
        "https://chat.blocked.test/backend/conversation",
        {"content-type": "application/json", "accept": "application/json"},
        "text/plain",
        lambda b: b"blocked by the Test Corp AI policy" in b,
    ),
    (
        "plain-http",
        "GET",
        "http://chat.blocked.test/",
        HTML,
        "text/html",
        lambda b: b"is blocked" in b,
    ),
]


@pytest.mark.parametrize(
    ("method", "url", "headers", "content_type", "check"),
    [case[1:] for case in BLOCK_CASES],
    ids=[case[0] for case in BLOCK_CASES],
)
def test_blocked_service_gets_its_answer_and_no_upstream_connection(
    proxy, client, upstream, method, url, headers, content_type, check
):
    before = upstream.snapshot()
    response = client.request(method, url, headers=headers, content=b"{}")
    assert response.status_code == 403
    assert response.headers["content-type"].startswith(content_type)
    assert response.headers["x-should-retry"] == "false"
    assert check(response.content), response.text
    request_id = response.headers["x-aigate-request-id"]
    wait_for(lambda: any(f.request.url == url for f in proxy.flows))
    state = next(f for f in reversed(proxy.flows) if f.request.url == url).metadata[FLOW_KEY]
    assert state.outcome == "blocked"
    assert state.request_id == request_id
    assert state.decision_seconds > 0
    if content_type == "text/html":
        assert request_id.encode() in response.content
    assert upstream.connections_since(before) == 0


@pytest.mark.parametrize(
    ("headers", "status", "location"),
    [
        (HTML, 302, "https://approved.test/start"),
        ({"accept": "application/json", "sec-fetch-mode": "cors"}, 403, None),
    ],
    ids=["navigation-redirected", "api-call-blocked"],
)
def test_redirect_sends_people_to_the_approved_tool(client, upstream, headers, status, location):
    before = upstream.snapshot()
    response = client.get("https://chat.redirect.test/", headers=headers)
    assert response.status_code == status
    assert response.headers.get("location") == location
    assert upstream.connections_since(before) == 0


def test_allowed_service_reaches_upstream_without_alt_svc(proxy, client, upstream):
    before = upstream.snapshot()
    response = client.post("https://allowed.openai.test/v1/chat/completions", json={})
    assert response.status_code == 200
    assert response.json()["id"] == "chatcmpl-fake"
    assert response.headers["x-upstream"] == "fake"
    assert "alt-svc" not in response.headers
    assert upstream.connections_since(before) == 1
    wait_for(lambda: proxy.flows_for("allowed.openai.test"))
    assert proxy.flows_for("allowed.openai.test")[-1].metadata[FLOW_KEY].outcome == "allowed"


def _websocket_upgrade(proxy, host: str) -> tuple[int, dict[str, str]]:
    sock = open_tunnel(proxy, host, proxy.ssl_context())
    try:
        sock.sendall(
            f"GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            .encode()
        )
        return read_response_head(sock)
    finally:
        sock.close()


@pytest.mark.parametrize(
    ("host", "status", "upstream_connections"),
    [("chat.blocked.test", 403, 0), ("approved.test", 101, 1)],
    ids=["blocked-service-refused", "allowed-service-upgrades"],
)
def test_websocket_upgrade_follows_the_service_decision(
    proxy, upstream, host, status, upstream_connections
):
    before = upstream.snapshot()
    got, _headers = _websocket_upgrade(proxy, host)
    assert got == status
    assert upstream.connections_since(before) == upstream_connections
