"""One keep-alive client connection carries many requests, whatever the proxy does with them.

Browsers and SDKs keep connections open. Each case sends `REQUESTS` sequential requests on one
client connection; every one must be answered quickly, forwarded ones over a reused upstream
connection (mitmproxy holds at most five upstream connections per address per client
connection, so one leaked per request stalls the sixth request).
"""

from __future__ import annotations

import ssl
import time

import httpx2 as httpx
import pytest
from proxyharness import make_client

REQUESTS = 20
MAX_SECONDS = 1.0
PASSED_THROUGH = "https://example.org"
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}

CASES = [
    # (id, method, url, status, upstream connections for the whole run)
    ("allowed_ai_host", "POST", "https://allowed.openai.test/v1/chat/completions", 200, 1),
    ("blocked_ai_host", "POST", "https://api.openai.test/v1/chat/completions", 403, 0),
    ("warned_api_request", "POST", "https://warn.api.test/v1/chat/completions", 200, 1),
    ("plain_http_non_ai", "GET", "http://example.org/page", 200, 1),
    ("passthrough_tls_non_ai", "GET", "https://example.org/page", 200, 1),
]


def _client(proxy, upstream, url: str, http2: bool = False) -> httpx.Client:
    if url.startswith(PASSED_THROUGH):  # the client sees the upstream's own certificate
        verify = ssl.create_default_context(cafile=str(upstream.ca_path))
        return httpx.Client(proxy=proxy.url, verify=verify, timeout=3)
    return make_client(proxy, timeout=3, http2=http2, http1=not http2)


def _send_all(client: httpx.Client, method: str, url: str) -> list[httpx.Response]:
    responses = []
    for _ in range(REQUESTS):
        started = time.monotonic()
        response = client.request(method, url, json=CHAT if method == "POST" else None)
        assert time.monotonic() - started < MAX_SECONDS, f"request {len(responses) + 1} was slow"
        responses.append(response)
    return responses


def _client_connections(proxy, host: str, count: int) -> set[str]:
    flows = proxy.flows_for(host)[-count:]
    assert len(flows) == count
    return {f.client_conn.id for f in flows}


@pytest.mark.parametrize(
    ("method", "url", "status", "upstream_connections"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_many_requests_on_one_keepalive_connection_are_all_answered_quickly(
    proxy, upstream, method, url, status, upstream_connections
):
    before = upstream.snapshot()
    with _client(proxy, upstream, url) as client:
        responses = _send_all(client, method, url)
    assert [r.status_code for r in responses] == [status] * REQUESTS
    assert upstream.connections_since(before) == upstream_connections
    forwarded = len(upstream.requests_since(before))
    assert forwarded == (REQUESTS if upstream_connections else 0)
    if not url.startswith(PASSED_THROUGH):  # the proxy sees no flows in a passed-through tunnel
        assert len(_client_connections(proxy, url.split("/")[2], REQUESTS)) == 1


def test_warned_api_requests_on_one_connection_each_carry_the_notice(proxy):
    with make_client(proxy, timeout=3) as client:
        responses = _send_all(client, "POST", "https://warn.api.test/v1/chat/completions")
    assert all(r.headers.get("x-aigate-notice") for r in responses)


def test_plain_http_connection_alternating_blocked_and_forwarded_hosts_keeps_working(
    proxy, upstream
):
    before = upstream.snapshot()
    statuses = []
    with make_client(proxy, timeout=3) as client:
        for index in range(REQUESTS):
            url = "http://chat.blocked.test/" if index % 2 else "http://example.org/page"
            started = time.monotonic()
            statuses.append(client.get(url).status_code)
            assert time.monotonic() - started < MAX_SECONDS, f"request {index + 1} was slow"
    assert statuses == [200, 403] * (REQUESTS // 2)
    assert len(upstream.requests_since(before)) == REQUESTS // 2
    assert upstream.connections_since(before) == 1


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("https://allowed.openai.test/v1/chat/completions", 200),
        ("https://api.openai.test/v1/chat/completions", 403),
        ("https://warn.api.test/v1/chat/completions", 200),
    ],
    ids=["allowed_ai_host", "blocked_ai_host", "warned_api_request"],
)
def test_many_http2_requests_on_one_connection_are_all_answered_quickly(
    proxy, upstream, url, status
):
    with _client(proxy, upstream, url, http2=True) as client:
        responses = _send_all(client, "POST", url)
    assert {r.http_version for r in responses} == {"HTTP/2"}
    assert [r.status_code for r in responses] == [status] * REQUESTS
    assert len(_client_connections(proxy, url.split("/")[2], REQUESTS)) == 1
