"""HTTP/2 on both legs: block, warn and acknowledge, DLP block and redaction, end to end.

Browsers speak h2 to chatgpt.com and the AI APIs, and so does curl. Here both clients, curl
(`--http2`) and Debian's Chromium (Playwright), negotiate h2 with the proxy inside the CONNECT
tunnel, and the fake upstream (tests/proxy/proxyharness.py, `http2=True`) offers h2 by ALPN, so
a forwarded request is HTTP/2 on the way out too. Each test checks the protocol on each leg: what
the client negotiated (curl's `%{http_version}`, the page's `nextHopProtocol`), what mitmproxy
parsed (`flow.request.http_version`), and what the upstream received (its ALPN and the request's
HTTP version). The upstream's h2 state machine (the `h2` library) refuses a body whose length
disagrees with its Content-Length, and any such error is recorded and asserted absent.

The policy is the proxy tests' (tests/proxy/data/policy.yaml): chat.blocked.test and
api.openai.test are blocked, chat.warn.test is warned, secrets are blocked, and card numbers to
the shipped catalog's Mistral API are redacted. Every host resolves to the fake upstream on
127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import h2.config
import h2.connection
import h2.events
import pytest
from aigate.flowstate import FLOW_KEY
from aigate.proxy import build_addons
from aigate.respond.cookies import AckSigner, load_or_create_key
from browserharness import fresh_page, launch_browser
from components import require_command
from playwright.sync_api import Browser, Page
from proxyharness import (
    BROWSER_HEADERS,
    OPENAI_ANSWER,
    FakeUpstream,
    RunningProxy,
    SeenRequest,
    catalog_hosts,
    open_tunnel,
    start_proxy,
    wait_for,
    write_test_policy,
)

HOSTS = ("api.openai.test", "allowed.openai.test", "chat.blocked.test", "chat.warn.test",
         "warn.api.test", "approved.test")
ANSWER = OPENAI_ANSWER["choices"][0]["message"]["content"]
# An AWS key pair shaped like real ones (not AWS's documentation example, which is ignored).
AWS_KEY_ID = "AKIAQ3EGRLMNV4XKTYJW"
AWS_SECRET = "q8Vz3LmT0rXk7NbWc2YhJ5dGf9PsA1eUo4RtKi6E"
CARD = "4111 1111 1111 1111"
REDACTED_CARD = "[REDACTED:credit_card]"
ACK_COOKIE = "aigate_ack"
TOKEN = re.compile(r'name="token" value="([^"]+)"')
CLIENT_LENGTH = "test.client_content_length"


# --- the proxy, the h2 upstream, the clients --------------------------------------------------


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeUpstream]:
    server = FakeUpstream(
        tmp_path_factory.mktemp("h2-upstream"), [*HOSTS, *catalog_hosts()], http2=True
    )
    yield server
    server.close()


class ClientLength:
    """Test-only addon: keeps the Content-Length the client sent (None without one), before a
    redaction rewrites it, in `flow.metadata[CLIENT_LENGTH]`."""

    def requestheaders(self, flow) -> None:
        flow.metadata[CLIENT_LENGTH] = flow.request.headers.get("content-length")


@pytest.fixture(scope="module")
def proxy(
    upstream: FakeUpstream, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningProxy]:
    work = tmp_path_factory.mktemp("h2-proxy")
    policy = write_test_policy(work / "policy")
    (work / "confdir").mkdir()
    addons = [ClientLength(), *build_addons()]
    running = start_proxy(work / "confdir", upstream, {"aigate_policy": str(policy)}, addons)
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def no_errors(proxy: RunningProxy, upstream: FakeUpstream) -> Iterator[None]:
    """Every test ends with no ERROR logged by the proxy and the upstream's HTTP/2 parser
    content with everything the proxy sent."""
    errors, h2_errors = len(proxy.errors), len(upstream.h2_errors)
    yield
    assert proxy.errors[errors:] == []
    assert upstream.h2_errors[h2_errors:] == []


@dataclass(frozen=True)
class CurlReply:
    status: int
    http_version: str  # curl's %{http_version}: "2" for HTTP/2
    headers: dict[str, str]  # names lowercased
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


@pytest.fixture(scope="module")
def curl_path() -> str:
    return require_command("curl", "curl")


@pytest.fixture
def curl(curl_path: str, proxy: RunningProxy, tmp_path: Path):
    """`curl(url, *args, stdin=None)`: one `curl --http2` call through the proxy, trusting only
    its CA, in one attempt (`--retry 3` would show a retried refusal as a second flow)."""

    def call(url: str, *args: str, stdin: bytes | None = None) -> CurlReply:
        head, body = tmp_path / "head.txt", tmp_path / "body.bin"
        env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy")}
        result = subprocess.run(
            [curl_path, "-sS", "--http2", "--retry", "3", "-x", proxy.url,
             "--cacert", str(proxy.ca_path), "-D", str(head), "-o", str(body),
             "-w", "%{http_code} %{http_version}", *args, url],
            input=stdin, capture_output=True, timeout=30, env=env,
        )
        assert result.returncode == 0, result.stderr.decode()
        status, version = result.stdout.decode().split()
        # -D holds the CONNECT reply first, then the response.
        heads = re.split(r"\r?\n\r?\n", head.read_bytes().decode("latin-1"))
        last = [b.strip() for b in heads if b.strip()][-1]
        assert last.startswith(f"HTTP/{version} {status}"), last
        headers = {}
        for line in last.splitlines()[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return CurlReply(int(status), version, headers, body.read_bytes())

    return call


def chat(prompt: str) -> bytes:
    return json.dumps(
        {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]}
    ).encode()


def json_post(body: bytes) -> tuple[str, ...]:
    return ("-H", "content-type: application/json", "--data-binary", body.decode())


def browser_headers() -> tuple[str, ...]:
    return tuple(arg for k, v in BROWSER_HEADERS.items() for arg in ("-H", f"{k}: {v}"))


def last_flow(proxy: RunningProxy, url: str):
    """The proxy's last finished flow to `url` (flows are logged just after the reply)."""
    wait_for(lambda: any(f.request.url == url for f in proxy.flows), what=url)
    return next(f for f in reversed(proxy.flows) if f.request.url == url)


def assert_h2_to_upstream(flow, seen: list[SeenRequest]) -> None:
    """The proxy forwarded `flow` over an h2 connection and the upstream read it as HTTP/2."""
    assert flow.server_conn.alpn == b"h2"
    assert seen, "the upstream received nothing"
    assert {r.http_version for r in seen} == {"HTTP/2"}


def assert_never_contacted(upstream: FakeUpstream, before: tuple[int, int]) -> None:
    """No connection and no request since `before` (curl is the only client meanwhile)."""
    assert upstream.connections_since(before) == 0
    assert upstream.requests_since(before) == []


def assert_host_never_contacted(upstream: FakeUpstream, host: str) -> None:
    """No connection named `host` and no request to it: Chromium's own background requests
    (update and account checks, passed through untouched) reach the upstream meanwhile."""
    assert host not in upstream.sni
    assert [r for r in upstream.requests if r.host == host] == []


# --- curl --http2 ----------------------------------------------------------------------------


def test_allowed_request_is_http2_on_both_legs(curl, proxy, upstream):
    before = upstream.snapshot()
    reply = curl("https://allowed.openai.test/v1/chat/completions", *json_post(chat("hi")))
    assert (reply.status, reply.http_version) == (200, "2")
    assert reply.json()["choices"][0]["message"]["content"] == ANSWER
    assert "alt-svc" not in reply.headers  # dropped on AI responses: no move to QUIC
    flow = last_flow(proxy, "https://allowed.openai.test/v1/chat/completions")
    assert flow.request.http_version == "HTTP/2.0"
    assert flow.metadata[FLOW_KEY].outcome == "allowed"
    seen = upstream.requests_since(before)
    assert_h2_to_upstream(flow, seen)
    assert upstream.alpn[-1] == "h2"
    assert [(r.method, r.host, r.path) for r in seen] == [
        ("POST", "allowed.openai.test", "/v1/chat/completions")
    ]
    assert json.loads(seen[0].body) == json.loads(chat("hi"))


def test_blocked_api_gets_the_provider_error_json_over_http2_without_upstream(
    curl, proxy, upstream
):
    before = upstream.snapshot()
    url = "https://api.openai.test/v1/chat/completions"
    reply = curl(url, *json_post(chat("hi")))
    assert (reply.status, reply.http_version) == (403, "2")
    assert reply.headers["content-type"].startswith("application/json")
    assert reply.headers["x-should-retry"] == "false"
    error = reply.json()["error"]  # OpenAI's shape: the SDKs raise PermissionDeniedError
    assert error["type"] == "permission_denied"
    assert "The test OpenAI API is not approved for company data" in error["message"]
    flow = last_flow(proxy, url)
    assert flow.request.http_version == "HTTP/2.0"
    assert flow.metadata[FLOW_KEY].outcome == "blocked"
    assert flow.server_conn.alpn is None  # no upstream connection was opened
    assert_never_contacted(upstream, before)
    assert "api.openai.test" not in upstream.sni


def test_blocked_web_app_gets_the_block_page_over_http2_without_upstream(curl, proxy, upstream):
    before = upstream.snapshot()
    reply = curl("https://chat.blocked.test/", *browser_headers())
    assert (reply.status, reply.http_version) == (403, "2")
    assert reply.headers["content-type"].startswith("text/html")
    page = reply.body.decode()
    heading = re.search(r"<h1[^>]*>([^<]*)</h1>", page).group(1)
    assert heading.startswith("Test Chat") and heading.endswith("is blocked")
    assert "<script>alert(1)</script>" not in page
    assert int(reply.headers["content-length"]) == len(reply.body)
    flow = last_flow(proxy, "https://chat.blocked.test/")
    assert flow.request.http_version == "HTTP/2.0"
    assert flow.metadata[FLOW_KEY].outcome == "blocked"
    assert_never_contacted(upstream, before)
    assert "chat.blocked.test" not in upstream.sni


def test_warn_page_and_acknowledgement_over_http2(curl, proxy, upstream, tmp_path):
    page_url = "https://chat.warn.test/c/42?model=x"
    before = upstream.snapshot()
    warn = curl(page_url, *browser_headers())
    assert (warn.status, warn.http_version) == (200, "2")
    assert "Test Warned Chat is not contracted" in warn.body.decode()
    assert upstream.connections_since(before) == 0
    assert last_flow(proxy, page_url).metadata[FLOW_KEY].outcome == "warned"

    token = TOKEN.search(warn.body.decode()).group(1)
    jar = tmp_path / "cookies.txt"
    ack = curl("https://chat.warn.test/.aigate/ack", *browser_headers(), "-c", str(jar),
               "--data-urlencode", f"token={token}")
    assert (ack.status, ack.http_version) == (302, "2")
    assert ack.headers["location"] == page_url
    assert ack.headers["set-cookie"].startswith(f"{ACK_COOKIE}=")
    ack_flow = last_flow(proxy, "https://chat.warn.test/.aigate/ack")
    assert ack_flow.request.http_version == "HTTP/2.0"
    assert ack_flow.metadata[FLOW_KEY].outcome == "acknowledged"
    assert upstream.connections_since(before) == 0

    seen_before = upstream.snapshot()
    # A second cookie beside aigate's: over h2 the proxy must keep it and drop only aigate's.
    page = curl(page_url, *browser_headers(), "-b", str(jar), "-b", "theme=dark")
    assert (page.status, page.http_version) == (200, "2")
    echoed = page.json()
    assert (echoed["host"], echoed["path"], echoed["http_version"]) == (
        "chat.warn.test", "/c/42?model=x", "HTTP/2"
    )
    flow = last_flow(proxy, page_url)
    assert flow.metadata[FLOW_KEY].outcome == "continued"
    seen = upstream.requests_since(seen_before)
    assert_h2_to_upstream(flow, seen)
    assert [r.headers.get("cookie") for r in seen] == ["theme=dark"]


def test_warned_api_call_passes_with_the_notice_header_over_http2(curl, proxy, upstream):
    before = upstream.snapshot()
    reply = curl("https://warn.api.test/v1/chat/completions", *json_post(chat("hi")))
    assert (reply.status, reply.http_version) == (200, "2")
    assert "allowed with a warning" in reply.headers["x-aigate-notice"]
    flow = last_flow(proxy, "https://warn.api.test/v1/chat/completions")
    assert_h2_to_upstream(flow, upstream.requests_since(before))


def test_dlp_blocks_an_aws_key_pair_in_a_json_post_over_http2(curl, proxy, upstream):
    before = upstream.snapshot()
    url = "https://allowed.openai.test/v1/chat/completions"
    prompt = (f"deploy fails with aws_access_key_id = {AWS_KEY_ID} and "
              f"aws_secret_access_key = {AWS_SECRET}, why?")
    reply = curl(url, *json_post(chat(prompt)))
    assert (reply.status, reply.http_version) == (403, "2")
    assert reply.headers["x-should-retry"] == "false"
    error = reply.json()["error"]
    assert error["code"] == "sensitive_data_blocked"
    assert "AWS access key id" in error["message"]
    assert "Credentials never leave the company" in error["message"]
    assert AWS_KEY_ID.encode() not in reply.body and AWS_SECRET.encode() not in reply.body
    flow = last_flow(proxy, url)
    assert flow.request.http_version == "HTTP/2.0"
    state = flow.metadata[FLOW_KEY]
    assert (state.outcome, state.inspection.action, state.inspection.rule) == (
        "blocked", "block", "no-secrets"
    )
    assert {f.data_class for f in state.inspection.findings} == {"secret"}
    assert upstream.requests_since(before) == []


@pytest.mark.parametrize(
    "sending",
    ["content-length", "gzip", "no-length"],
)
def test_redacted_prompt_reaches_the_h2_upstream_as_valid_json_with_its_true_length(
    curl, proxy, upstream, sending
):
    """Redaction changes the body's length: the upstream must get the new one (an h2 peer resets
    a stream whose DATA disagrees with content-length), never a stale one, whether the client
    sent a length, a compressed body, or (h2 allows it) no length at all."""
    url = "https://api.mistral.ai/v1/chat/completions"
    body = chat(f"my card is {CARD}, thanks")
    before = upstream.snapshot()
    if sending == "content-length":
        reply = curl(url, *json_post(body))
    elif sending == "gzip":
        body = gzip.compress(body, mtime=0)
        reply = curl(url, "-H", "content-type: application/json", "-H", "content-encoding: gzip",
                     "--data-binary", "@-", stdin=body)
    else:  # an upload of unknown length: curl sends h2 DATA frames without content-length
        reply = curl(url, "-H", "content-type: application/json", "-X", "POST", "-T", "-",
                     stdin=body)
    assert (reply.status, reply.http_version) == (200, "2")
    assert reply.json()["choices"][0]["message"]["content"] == ANSWER
    flow = last_flow(proxy, url)
    assert flow.request.http_version == "HTTP/2.0"
    # What the client sent, before the redaction rewrote it.
    assert flow.metadata[CLIENT_LENGTH] == (None if sending == "no-length" else str(len(body)))
    state = flow.metadata[FLOW_KEY]
    assert (state.outcome, state.inspection.action, state.inspection.rule) == (
        "allowed", "redact", "cards-redacted-for-mistral"
    )
    seen = upstream.requests_since(before)
    assert_h2_to_upstream(flow, seen)
    (sent,) = seen
    assert "content-encoding" not in sent.headers
    assert int(sent.headers["content-length"]) == len(sent.body)
    assert json.loads(sent.body)["messages"][0]["content"] == f"my card is {REDACTED_CARD}, thanks"
    assert CARD.encode() not in sent.body


def test_oversized_upload_without_a_length_is_refused_over_http2(curl, proxy, upstream):
    """h2 needs no Content-Length, so the size check on the headers cannot see this upload: the
    body is read, found over `dlp.max_scan_bytes`, and refused all the same."""
    url = "https://allowed.openai.test/v1/chat/completions"
    before = upstream.snapshot()
    body = chat("lorem ipsum " * 25_000 + f"aws_access_key_id = {AWS_KEY_ID}")  # about 300 KB
    reply = curl(url, "-H", "content-type: application/json", "-X", "POST", "-T", "-",
                 stdin=body)
    assert (reply.status, reply.http_version) == (403, "2")
    error = reply.json()["error"]
    assert error["code"] == "sensitive_data_blocked"
    assert "larger than the scan limit" in error["message"]
    flow = last_flow(proxy, url)
    assert flow.request.http_version == "HTTP/2.0"
    assert flow.metadata[CLIENT_LENGTH] is None
    state = flow.metadata[FLOW_KEY]
    assert (state.outcome, state.inspection.oversize, state.inspection.rule) == (
        "blocked", True, "dlp.on_oversize"
    )
    assert_never_contacted(upstream, before)


# --- a hand-written h2 client -----------------------------------------------------------------


H2Reply = tuple[int, dict[str, str], bytes]  # status, response headers, body


def h2_requests(proxy: RunningProxy, host: str, *requests: list[tuple[str, str]]) -> list[H2Reply]:
    """HTTP/2 requests (each its fields, pseudo-headers first), sent by the `h2` library as
    written, all at once on one connection through a CONNECT tunnel to `host`: the replies."""
    context = proxy.ssl_context()
    context.set_alpn_protocols(["h2"])
    with open_tunnel(proxy, host, context) as sock:
        assert sock.selected_alpn_protocol() == "h2"
        conn = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=True, header_encoding="utf-8")
        )
        conn.initiate_connection()
        streams = []
        for fields in requests:
            streams.append(conn.get_next_available_stream_id())
            conn.send_headers(streams[-1], fields, end_stream=True)
        sock.sendall(conn.data_to_send())
        replies: dict[int, list] = {stream_id: [0, {}, bytearray()] for stream_id in streams}
        done: set[int] = set()
        while len(done) < len(streams):
            data = sock.recv(65536)
            assert data, "the proxy closed the connection"
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.ResponseReceived):
                    headers = dict(event.headers)
                    replies[event.stream_id][:2] = int(headers.pop(":status")), headers
                elif isinstance(event, h2.events.DataReceived):
                    replies[event.stream_id][2].extend(event.data)
                    conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded):
                    done.add(event.stream_id)
                elif isinstance(event, h2.events.StreamReset):
                    raise AssertionError(f"stream reset: {event.error_code!r}")
            sock.sendall(conn.data_to_send())
    return [(status, headers, bytes(body)) for status, headers, body in replies.values()]


def get(authority: str, path: str, *fields: tuple[str, str]) -> list[tuple[str, str]]:
    return [(":method", "GET"), (":scheme", "https"), (":authority", authority),
            (":path", path), *fields]


def test_ack_cookie_in_split_h2_cookie_fields_is_honoured_and_removed(proxy, upstream):
    """HTTP/2 lets a client send each cookie as its own `cookie` field (RFC 9113 8.2.3, for
    better header compression): aigate's must be found and removed among them, the others kept."""
    signer = AckSigner(load_or_create_key(proxy.confdir / "aigate-ack.key"))
    ack = signer.sign("127.0.0.1", "t-warn-chat", "t1", int(time.time()) + 600)
    before = upstream.snapshot()
    [(status, headers, body)] = h2_requests(proxy, "chat.warn.test", get(
        "chat.warn.test", "/c/split", *BROWSER_HEADERS.items(),
        ("cookie", "theme=dark"), ("cookie", f"{ACK_COOKIE}={ack}"), ("cookie", "lang=en"),
    ))
    assert status == 200, body[:300]
    assert headers["x-upstream"] == "fake"
    flow = last_flow(proxy, "https://chat.warn.test/c/split")
    assert flow.request.http_version == "HTTP/2.0"
    assert flow.metadata[FLOW_KEY].outcome == "continued"
    seen = upstream.requests_since(before)
    assert_h2_to_upstream(flow, seen)
    assert [r.headers.get("cookie") for r in seen] == ["theme=dark; lang=en"]


def test_each_h2_stream_is_decided_by_its_own_authority(proxy, upstream):
    """One h2 connection, opened to an allowed API, carries streams for other sites at once:
    a stream whose :authority names a blocked service is blocked (never forwarded on the open
    upstream connection, where a fronting CDN would route it by :authority), while its
    neighbours on the same connection pass."""
    before = upstream.snapshot()
    replies = h2_requests(
        proxy, "allowed.openai.test",
        get("allowed.openai.test", "/first"),
        get("chat.blocked.test", "/fronted", *BROWSER_HEADERS.items()),
        get("api.openai.test", "/v1/models"),
        get("allowed.openai.test", "/last"),
    )
    assert [status for status, _, _ in replies] == [200, 403, 403, 200]
    assert "is blocked" in replies[1][2].decode()
    assert json.loads(replies[2][2])["error"]["type"] == "permission_denied"
    paths = ("/first", "/fronted", "/v1/models", "/last")
    wait_for(lambda: {f.request.path for f in proxy.flows} >= set(paths))
    flows = {f.request.path: f for f in proxy.flows if f.request.path in paths}
    # mitmproxy keeps the tunnel's host as the flow's host and the stream's :authority beside it
    assert {p: f.request.authority for p, f in flows.items()} == {
        "/first": "allowed.openai.test", "/fronted": "chat.blocked.test",
        "/v1/models": "api.openai.test", "/last": "allowed.openai.test",
    }
    assert {p: f.metadata[FLOW_KEY].outcome for p, f in flows.items()} == {
        "/first": "allowed", "/fronted": "blocked", "/v1/models": "blocked", "/last": "allowed"
    }
    assert {p: f.request.http_version for p, f in flows.items()} == dict.fromkeys(
        paths, "HTTP/2.0"
    )
    seen = upstream.requests_since(before)
    assert sorted((r.http_version, r.host, r.path) for r in seen) == [
        ("HTTP/2", "allowed.openai.test", "/first"), ("HTTP/2", "allowed.openai.test", "/last")
    ]


# --- Chromium ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(proxy: RunningProxy) -> Iterator[Browser]:
    with launch_browser(proxy.url, [proxy.ca_path]) as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with fresh_page(browser) as tab:
        yield tab


def next_hop(page: Page) -> str:
    """The protocol Chromium used for the page's document ("h2" for HTTP/2)."""
    return page.evaluate("performance.getEntriesByType('navigation')[0].nextHopProtocol")


FETCH_JSON = """async ([path, body]) => {
    const response = await fetch(path, {method: "POST", body,
                                        headers: {"content-type": "application/json"}});
    const text = await response.text();
    const timing = performance.getEntriesByName(response.url).pop();
    return {status: response.status, text, protocol: timing ? timing.nextHopProtocol : null};
}"""


def test_chromium_gets_the_block_page_over_http2_without_upstream(page, proxy, upstream):
    response = page.goto("https://chat.blocked.test/")
    assert response.status == 403
    heading = page.locator("h1").inner_text()
    assert heading.startswith("Test Chat") and heading.endswith("is blocked")
    assert next_hop(page) == "h2"
    flow = last_flow(proxy, "https://chat.blocked.test/")
    assert flow.request.http_version == "HTTP/2.0"
    assert flow.metadata[FLOW_KEY].outcome == "blocked"
    assert_host_never_contacted(upstream, "chat.blocked.test")


def test_chromium_acknowledges_the_warning_over_http2_then_loads_from_upstream(
    page, proxy, upstream
):
    url = "https://chat.warn.test/c/7"
    before = upstream.snapshot()
    response = page.goto(url)
    assert response.status == 200
    assert page.locator("h1").inner_text().startswith("Before you use Test Warned Chat")
    assert next_hop(page) == "h2"
    assert last_flow(proxy, url).metadata[FLOW_KEY].outcome == "warned"
    navigations = [r for r in upstream.requests_since(before)
                   if r.headers.get("sec-fetch-mode") == "navigate"]
    assert navigations == []

    # A cookie of the site's own: the proxy must pass it on and drop only aigate's.
    page.context.add_cookies([{"name": "theme", "value": "dark", "url": url}])
    with page.expect_navigation(url=url) as landed:
        page.get_by_role("button", name="I understand, continue").click()
    assert landed.value.status == 200
    assert landed.value.headers["x-upstream"] == "fake"
    assert next_hop(page) == "h2"
    echoed = json.loads(page.locator("body").inner_text())
    assert (echoed["host"], echoed["path"], echoed["http_version"]) == (
        "chat.warn.test", "/c/7", "HTTP/2"
    )
    ack = last_flow(proxy, "https://chat.warn.test/.aigate/ack")
    assert ack.request.http_version == "HTTP/2.0"
    assert ack.metadata[FLOW_KEY].outcome == "acknowledged"
    flow = last_flow(proxy, url)
    assert flow.metadata[FLOW_KEY].outcome == "continued"
    assert flow.request.http_version == "HTTP/2.0"
    seen = [r for r in upstream.requests_since(before) if r.host == "chat.warn.test"]
    landed_seen = [r for r in seen if r.path == "/c/7"]
    assert_h2_to_upstream(flow, landed_seen)
    assert [r.headers.get("cookie") for r in landed_seen] == ["theme=dark"]
    assert not [r for r in seen if ACK_COOKIE in r.headers.get("cookie", "")]
    assert any(c["name"] == ACK_COOKIE for c in page.context.cookies(url))


def test_chromium_json_post_with_an_aws_key_pair_is_blocked_over_http2(page, proxy, upstream):
    page.goto("https://allowed.openai.test/")
    assert next_hop(page) == "h2"
    before = upstream.snapshot()
    prompt = f"aws_access_key_id = {AWS_KEY_ID}\naws_secret_access_key = {AWS_SECRET}"
    result = page.evaluate(FETCH_JSON, ["/v1/chat/completions", chat(prompt).decode()])
    assert (result["status"], result["protocol"]) == (403, "h2")
    error = json.loads(result["text"])["error"]
    assert error["code"] == "sensitive_data_blocked"
    assert "AWS access key id" in error["message"]
    assert AWS_KEY_ID not in result["text"] and AWS_SECRET not in result["text"]
    flow = last_flow(proxy, "https://allowed.openai.test/v1/chat/completions")
    assert flow.request.http_version == "HTTP/2.0"
    assert flow.metadata[FLOW_KEY].outcome == "blocked"
    assert [r for r in upstream.requests_since(before) if r.method == "POST"] == []


def test_chromium_json_post_with_a_card_is_redacted_on_its_way_to_the_h2_upstream(
    page, proxy, upstream
):
    page.goto("https://api.mistral.ai/")
    before = upstream.snapshot()
    body = chat(f"card {CARD} please")
    result = page.evaluate(FETCH_JSON, ["/v1/chat/completions", body.decode()])
    assert (result["status"], result["protocol"]) == (200, "h2")
    assert json.loads(result["text"])["choices"][0]["message"]["content"] == ANSWER
    flow = last_flow(proxy, "https://api.mistral.ai/v1/chat/completions")
    assert flow.request.http_version == "HTTP/2.0"
    assert flow.metadata[FLOW_KEY].inspection.action == "redact"
    posted = [r for r in upstream.requests_since(before) if r.method == "POST"]
    assert_h2_to_upstream(flow, posted)
    assert len(posted) == 1
    assert int(posted[0].headers["content-length"]) == len(posted[0].body)
    assert json.loads(posted[0].body)["messages"][0]["content"] == f"card {REDACTED_CARD} please"
