"""Allowed AI requests whose site does not answer, through a real proxy (aigate.proxy.upstream).

mitmproxy 12.3 has no hook that replaces the 502 page it sends when it cannot connect upstream
(see the module doc of aigate.proxy.upstream), so aigate connects to the site itself before it
forwards a person's page load, every new connection under `aigate_upstream_check=all`, or any
request to a site that failed before, and answers in the site's place when that fails:

- API clients: the provider's error JSON, 502 (504 when the connection timed out),
  `x-should-retry: true`, `retry-after`, `x-aigate-request-id`; the OpenAI SDK retries it (its
  first attempt, unchecked under the default `pages`, gets mitmproxy's 502, which it retries too)
  and raises with aigate's message;
- people: a page in the block page's shell (viewport, request id, escaped host), 502 or 504;
- every failure, answered by aigate or by mitmproxy: outcome `upstream_error` with its kind in
  the audit record and `aigate_requests_total`; a request on the same site after it recovers is
  forwarded.

Upstream addresses are local: a closed port (refused), a listener whose accept queue is full
(SYNs are dropped: the connection times out), a server that accepts and hangs up (the TLS
handshake fails after the check passed). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import openai
import pytest
from aigate.flowstate import FLOW_KEY
from aigate.record import metrics
from proxyharness import (
    BROWSER_HEADERS,
    FakeUpstream,
    RunningProxy,
    make_client,
    read_jsonl,
    refused_port,
    start_proxy,
    wait_for,
    write_test_policy,
)

OPENAI_HOST = "allowed.openai.test"
ANTHROPIC_HOST = "allowed.anthropic.test"
PAGE = "https://approved.test/start?q=%3Cscript%3E"
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
CLIENT_TIMEOUT = 15


class Route:
    """What the harness's routing loop dials for every upstream connection (it reads `address`
    per connection): the shared fake upstream unless a test points it elsewhere."""

    def __init__(self, upstream: FakeUpstream) -> None:
        self.upstream = upstream
        self.ca_path = upstream.ca_path
        self.reset()

    def reset(self) -> None:
        self.address = self.upstream.address
        self.plain_address = self.upstream.plain_address



@contextlib.contextmanager
def silent_listener() -> Iterator[tuple[str, int]]:
    """A port whose accept queue is full: the kernel drops new SYNs, so a connect times out."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        address = listener.getsockname()[:2]
        with socket.create_connection(address) as queued:  # fills the queue of one
            with contextlib.suppress(OSError), socket.socket() as probe:
                probe.settimeout(0.3)
                probe.connect(address)
                pytest.fail("the accept queue did not fill; this kernel accepts more")
            yield address
            queued.close()


@contextlib.contextmanager
def hanging_up_server() -> Iterator[tuple[str, int]]:
    """Accepts TCP connections and closes them at once (no TLS)."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                sock, _ = listener.accept()
            except OSError:
                return
            sock.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield listener.getsockname()[:2]
    finally:
        stop.set()
        listener.close()


@pytest.fixture
def route(upstream: FakeUpstream) -> Route:
    return Route(upstream)


@contextlib.contextmanager
def proxy_on(work: Path, route: Route, **options: Any) -> Iterator[RunningProxy]:
    policy = write_test_policy(work / "policy")
    options.setdefault("aigate_audit_log", str(work / "audit.jsonl"))
    proxy = start_proxy(work / "confdir", route, {"aigate_policy": str(policy), **options})
    try:
        yield proxy
    finally:
        proxy.stop()


def decisions(work: Path, host: str) -> list[dict[str, Any]]:
    return [r for r in read_jsonl(work / "audit.jsonl")
            if r["event"] == "decision" and r["host"] == host]


def sample(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def requests_total(service: str, outcome: str) -> float:
    return sample("aigate_requests_total", service=service, category="api", action="allow",
                  outcome=outcome, group="none", rule_kind="services")


def openai_client(proxy: RunningProxy, max_retries: int) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=f"https://{OPENAI_HOST}/v1", api_key="sk-test", max_retries=max_retries,
        timeout=CLIENT_TIMEOUT,
        http_client=openai.DefaultHttpxClient(proxy=proxy.url, verify=proxy.ssl_context()),
    )


# --- API clients ------------------------------------------------------------------------------


def test_openai_sdk_retries_an_unreachable_site_and_raises_with_aigates_json_error(
    tmp_path, route
):
    route.address = ("127.0.0.1", refused_port())
    before = requests_total("t-allowed-api", "upstream_error")
    with proxy_on(tmp_path, route) as proxy, openai_client(proxy, max_retries=2) as client:
        started = time.monotonic()
        with pytest.raises(openai.InternalServerError) as raised:
            client.chat.completions.create(**CHAT)
        took = time.monotonic() - started
        wait_for(lambda: len(decisions(tmp_path, OPENAI_HOST)) == 3)
        flows = proxy.flows_for(OPENAI_HOST)
        errors = list(proxy.errors)
    error = raised.value
    response = error.response
    assert response.status_code == 502
    assert response.headers["x-should-retry"] == "true"
    assert response.headers["retry-after"] == "2"
    request_id = response.headers["x-aigate-request-id"]
    body = error.body
    assert body["type"] == "server_error" and body["code"] == "upstream_unreachable", body
    assert body["message"] == (
        f"This request was allowed by the Test Corp AI policy (aigate), but {OPENAI_HOST} did "
        "not answer: it refused the connection. It was not blocked; try again later. Request "
        f"id: {request_id}."
    )
    # Three attempts: mitmproxy's own 502 first (an API request is not checked before the site
    # has failed once), then aigate's JSON twice, the last after the 2 s the first one asked for.
    assert len(flows) == 3
    assert flows[0].response is None and "Connect call failed" in flows[0].error.msg
    assert [f.response.status_code for f in flows[1:]] == [502, 502]
    assert 2 <= took < CLIENT_TIMEOUT
    records = decisions(tmp_path, OPENAI_HOST)
    assert [(r["outcome"], r["upstream_error"], r["status"]) for r in records] == [
        ("upstream_error", "refused", None),
        ("upstream_error", "refused", 502),
        ("upstream_error", "refused", 502),
    ]
    assert records[-1]["request_id"] == request_id
    assert records[0]["action"] == "allow"
    assert requests_total("t-allowed-api", "upstream_error") == before + 3
    assert errors == []


@pytest.mark.parametrize(
    ("host", "path", "shape"),
    [
        (OPENAI_HOST, "/v1/chat/completions",
         lambda body: (body["error"]["type"], body["error"]["code"])),
        (ANTHROPIC_HOST, "/v1/messages", lambda body: (body["type"], body["error"]["type"])),
    ],
    ids=["openai", "anthropic"],
)
def test_check_all_answers_the_first_request_in_the_providers_shape(
    tmp_path, route, host, path, shape
):
    route.address = ("127.0.0.1", refused_port())
    with proxy_on(tmp_path, route, aigate_upstream_check="all") as proxy, \
            make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
        reply = client.post(f"https://{host}{path}", json=CHAT)
    assert reply.status_code == 502
    assert reply.headers["content-type"] == "application/json"
    assert reply.headers["x-should-retry"] == "true"
    assert reply.headers["x-aigate-request-id"]
    expected = {OPENAI_HOST: ("server_error", "upstream_unreachable"),
                ANTHROPIC_HOST: ("error", "api_error")}[host]
    assert shape(reply.json()) == expected
    assert reply.headers["x-aigate-request-id"] in reply.text


def test_a_site_that_does_not_accept_the_connection_in_time_gets_504(tmp_path, route):
    with silent_listener() as address:
        route.address = address
        with proxy_on(tmp_path, route, aigate_upstream_check="all",
                      aigate_upstream_connect_timeout="1") as proxy, \
                make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
            started = time.monotonic()
            openai_reply = client.post(f"https://{OPENAI_HOST}/v1/chat/completions", json=CHAT)
            took = time.monotonic() - started
            anthropic_reply = client.post(f"https://{ANTHROPIC_HOST}/v1/messages", json=CHAT)
            wait_for(lambda: decisions(tmp_path, ANTHROPIC_HOST))
    assert 1 <= took < 5
    assert openai_reply.status_code == anthropic_reply.status_code == 504
    assert openai_reply.json()["error"]["code"] == "upstream_timeout"
    assert "did not accept a connection within 1 seconds" in openai_reply.json()["error"][
        "message"]
    assert anthropic_reply.json()["error"]["type"] == "timeout_error"
    assert decisions(tmp_path, OPENAI_HOST)[0]["upstream_error"] == "timeout"


# --- people -------------------------------------------------------------------------------------


def test_a_person_gets_aigates_page_with_the_request_id_at_the_first_failure(tmp_path, route):
    route.address = ("127.0.0.1", refused_port())
    with proxy_on(tmp_path, route) as proxy, \
            make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
        reply = client.get(PAGE, headers=BROWSER_HEADERS)
        wait_for(lambda: decisions(tmp_path, "approved.test"))
    assert reply.status_code == 502
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    request_id = reply.headers["x-aigate-request-id"]
    page = reply.text
    assert '<meta name="viewport"' in page
    assert ("<title>Not reached: Test Approved Assistant (Approvedco) - Test Corp AI policy"
            "</title>") in page
    assert "<h1>Test Approved Assistant (Approvedco) did not answer</h1>" in page
    assert ("The AI policy allowed this request, but approved.test did not answer: it refused "
            "the connection.") in page
    assert f"Request id <code>{request_id}</code>" in page
    assert 'href="https://approved.test/start?q=%3Cscript%3E"' in page  # "Try again"
    assert "<script>" not in page
    assert "mitmproxy" not in page
    record = decisions(tmp_path, "approved.test")[0]
    assert (record["outcome"], record["upstream_error"], record["status"]) == (
        "upstream_error", "refused", 502)
    assert record["request_id"] == request_id


# --- what the check cannot see, and recovery -------------------------------------------------


def test_a_failure_after_the_check_keeps_mitmproxys_502_and_is_recorded(tmp_path, route):
    with hanging_up_server() as address:
        route.address = address
        with proxy_on(tmp_path, route, aigate_upstream_check="all") as proxy, \
                make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
            reply = client.post(f"https://{OPENAI_HOST}/v1/chat/completions", json=CHAT)
            wait_for(lambda: decisions(tmp_path, OPENAI_HOST))
            flows = proxy.flows_for(OPENAI_HOST)
    assert reply.status_code == 502
    assert "x-aigate-request-id" not in reply.headers  # mitmproxy's page: no hook replaces it
    assert flows[0].metadata[FLOW_KEY].outcome == "upstream_error"
    record = decisions(tmp_path, OPENAI_HOST)[0]
    assert (record["outcome"], record["upstream_error"], record["status"]) == (
        "upstream_error", "tls", None)


def test_a_site_that_recovers_is_forwarded_again_and_open_connections_are_not_checked(
    tmp_path, route, upstream
):
    route.address = ("127.0.0.1", refused_port())
    with proxy_on(tmp_path, route) as proxy, \
            make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
        url = f"https://{OPENAI_HOST}/v1/chat/completions"
        first = client.post(url, json=CHAT)  # mitmproxy's 502; the site is now known to fail
        second = client.post(url, json=CHAT)  # checked: aigate's 502
        route.reset()
        before = upstream.snapshot()
        recovered = client.post(url, json=CHAT)  # checked, forwarded: two connections
        again = client.post(url, json=CHAT)  # same client connection: not checked
        connections = upstream.connections_since(before)
        wait_for(lambda: len(decisions(tmp_path, OPENAI_HOST)) == 4)
    assert (first.status_code, "x-aigate-request-id" in first.headers) == (502, False)
    assert (second.status_code, second.json()["error"]["code"]) == (502, "upstream_unreachable")
    assert recovered.status_code == again.status_code == 200
    assert connections == 2  # aigate's check, then mitmproxy's connection, reused by `again`
    assert [r["outcome"] for r in decisions(tmp_path, OPENAI_HOST)] == [
        "upstream_error", "upstream_error", "allowed", "allowed"]


def test_check_off_leaves_mitmproxys_answer_and_still_records(tmp_path, route):
    route.address = ("127.0.0.1", refused_port())
    with proxy_on(tmp_path, route, aigate_upstream_check="off") as proxy, \
            make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
        page = client.get(PAGE, headers=BROWSER_HEADERS)
        wait_for(lambda: decisions(tmp_path, "approved.test"))
    assert page.status_code == 502 and "x-aigate-request-id" not in page.headers
    assert decisions(tmp_path, "approved.test")[0]["upstream_error"] == "refused"


def test_an_http2_client_whose_connection_mitmproxy_failed_gets_aigates_answer(tmp_path, route):
    """mitmproxy keeps a failed upstream connection for the life of the client connection and
    fails the client's later requests to that site at once, without dialling, even after the site
    is back; an HTTP/2 client keeps its connection, so those answers are aigate's."""
    route.address = ("127.0.0.1", refused_port())
    url = f"https://{OPENAI_HOST}/v1/chat/completions"
    with proxy_on(tmp_path, route) as proxy, httpx.Client(
        proxy=proxy.url, verify=proxy.ssl_context(), http2=True, timeout=CLIENT_TIMEOUT
    ) as client:
        first = client.post(url, json=CHAT)
        route.reset()  # the site is back, but not for this client connection
        second = client.post(url, json=CHAT)
    assert first.http_version == second.http_version == "HTTP/2"
    assert (first.status_code, "x-aigate-request-id" in first.headers) == (502, False)
    assert second.status_code == 502
    assert second.json()["error"]["code"] == "upstream_unreachable"
    assert "it refused the connection" in second.json()["error"]["message"]
