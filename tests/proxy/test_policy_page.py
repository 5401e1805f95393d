"""The proxy serves the policy document itself at http(s)://aigate.policy/: rendered from the
policy in force, never dialled upstream, never counted as AI traffic, linked from block pages."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from aigate.cli.pac import host_patterns
from aigate.flowstate import FLOW_KEY
from aigate.policy.load import load_policy
from aigate.proxy.metrics import COUNTED_KEY
from aigate.respond.document import style_csp_source
from proxyharness import BROWSER_HEADERS, TEST_POLICY, open_tunnel, read_response_head, wait_for

SCHEMES = ["http", "https"]


@pytest.fixture
def fresh(upstream):
    """Fails the test if anything reached the fake upstream while it ran."""
    before = upstream.snapshot()
    yield
    assert upstream.connections_since(before) == 0
    assert upstream.requests_since(before) == []


def _flow(proxy, url: str):
    wait_for(lambda: any(f.request.url == url for f in proxy.flows))
    return next(f for f in reversed(proxy.flows) if f.request.url == url)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_policy_document_is_served_without_dialling_upstream(proxy, client, upstream, fresh,
                                                             scheme):
    response = client.get(f"{scheme}://aigate.policy/", headers=BROWSER_HEADERS)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert "<h1>Test Corp AI acceptable use policy</h1>" in page
    for section in ("Purpose", "AI tools", "Blocked tools", "Data rules", "Contact"):
        assert f">{section}</h2>" in page or f">{section}</h3>" in page
    assert "Test Chat stores prompts abroad &lt;script&gt;" in page
    flow = _flow(proxy, f"{scheme}://aigate.policy/")
    assert FLOW_KEY not in flow.metadata  # not AI traffic: nothing to audit or count as AI
    assert flow.metadata.get(COUNTED_KEY) is True  # nor counted as passed through
    assert "aigate.policy" not in upstream.sni


def test_https_policy_page_uses_a_certificate_from_the_proxy_ca(proxy, fresh):
    context = proxy.ssl_context()
    with socket.create_connection((proxy.host, proxy.port), timeout=10) as raw:
        raw.sendall(b"CONNECT aigate.policy:443 HTTP/1.1\r\nHost: aigate.policy:443\r\n\r\n")
        assert raw.recv(4096).startswith(b"HTTP/1.1 200")
        with context.wrap_socket(raw, server_hostname="aigate.policy") as tls:
            cert = tls.getpeercert()
            issuer = dict(item[0] for item in cert["issuer"])
            assert "mitmproxy" in issuer["organizationName"]
            names = [value for kind, value in cert["subjectAltName"] if kind == "DNS"]
            assert "aigate.policy" in names


@pytest.mark.parametrize("scheme", SCHEMES)
def test_markdown_copy_is_served(client, fresh, scheme):
    response = client.get(f"{scheme}://aigate.policy/policy.md")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/markdown; charset=utf-8"
    assert response.text.startswith("# Test Corp AI acceptable use policy\n")
    assert "## Data rules" in response.text


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", ["/admin", "/policy.html", "/.aigate/ack", "/favicon.ico"])
def test_other_paths_are_not_found(client, fresh, scheme, path):
    response = client.get(f"{scheme}://aigate.policy{path}")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'href="http://aigate.policy/"' in response.text


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_only_reading_is_allowed(client, fresh, method):
    response = client.request(method, "http://aigate.policy/", content=b"x")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_head_gives_the_headers_without_the_document(client, fresh, scheme):
    get = client.get(f"{scheme}://aigate.policy/")
    head = client.head(f"{scheme}://aigate.policy/")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["etag"] == get.headers["etag"]
    again = client.get(f"{scheme}://aigate.policy/")  # the connection is still usable
    assert again.content == get.content


def test_security_headers_allow_only_the_inline_stylesheet(client, fresh):
    response = client.get("http://aigate.policy/")
    csp = response.headers["content-security-policy"]
    # The hash of the stylesheet the page embeds, and no other.
    assert csp.startswith(f"default-src 'none'; style-src {style_csp_source()}; ")
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "max-age=60"
    assert not re.search(r"<(script|img|link|iframe)\b", response.text)


def test_unchanged_document_is_not_sent_again(client, fresh):
    first = client.get("http://aigate.policy/")
    again = client.get("http://aigate.policy/", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_block_page_links_to_the_served_policy(client, scheme):
    response = client.get(f"{scheme}://chat.blocked.test/", headers=BROWSER_HEADERS)
    assert response.status_code == 403
    assert '<a class="policy" href="http://aigate.policy/">Read the full AI policy</a>' in (
        response.text
    )
    # One policy link (issue 19): the served copy, not a second link to the published one.
    assert response.text.count("Read the full AI policy") == 1
    assert 'href="https://intranet.test/ai-policy"' not in response.text


def test_warn_page_links_to_the_served_policy(client):
    response = client.get("https://chat.warn.test/", headers=BROWSER_HEADERS)
    assert response.status_code == 200
    assert 'href="http://aigate.policy/">Read the full AI policy</a>' in response.text


def test_the_host_is_an_option(proxy, client, upstream):
    proxy.set(aigate_policy_host="Policy.Corp.Test")
    try:
        before = upstream.snapshot()
        for scheme in SCHEMES:
            page = client.get(f"{scheme}://policy.corp.test/")
            assert page.status_code == 200
            assert "Test Corp AI acceptable use policy" in page.text
        assert upstream.connections_since(before) == 0
        blocked = client.get("https://chat.blocked.test/", headers=BROWSER_HEADERS)
        assert 'href="http://policy.corp.test/"' in blocked.text
    finally:
        proxy.set(aigate_policy_host="aigate.policy")
    assert client.get("http://aigate.policy/").status_code == 200


def _served_version(client) -> str:
    return re.search(r"· version ([^ <]+)", client.get("http://aigate.policy/").text).group(1)


def test_the_document_follows_policy_edits(proxy, client):
    policy = Path(proxy.master.options.aigate_policy)
    original = policy.read_text()
    assert _served_version(client) == "t1"
    try:
        policy.write_text(original.replace('version: "t1"', 'version: "t2"'))
        wait_for(lambda: _served_version(client) == "t2", timeout=15)
    finally:
        policy.write_text(original)
        wait_for(lambda: _served_version(client) == "t1", timeout=15)


@pytest.mark.parametrize("host", ["bad host", "-x.test", "a/b"])
def test_a_bad_host_option_is_refused(proxy, host):
    with pytest.raises(Exception, match="aigate_policy_host"):
        proxy.set(aigate_policy_host=host)
    assert proxy.master.options.aigate_policy_host == "aigate.policy"



def test_pac_file_sends_the_policy_host_to_the_proxy():
    exact, _, _ = host_patterns(load_policy(TEST_POLICY))
    assert "aigate.policy" in exact


@pytest.mark.parametrize(
    ("tunnel", "host_header", "status", "kind"),
    [
        ("aigate.policy", "chat.blocked.test", 200, "text/html"),  # answered here, never forwarded
        ("chat.blocked.test", "aigate.policy", 403, "text/html"),  # the tunnel's host is judged
        ("allowed.openai.test", "aigate.policy", 200, "application/json"),  # forwarded as usual
    ],
)
def test_a_host_header_naming_the_other_site_cannot_bypass_enforcement(
    proxy, upstream, tunnel, host_header, status, kind
):
    before = upstream.snapshot()
    with open_tunnel(proxy, tunnel, proxy.ssl_context()) as sock:
        sock.sendall(
            f"GET / HTTP/1.1\r\nHost: {host_header}\r\nAccept: text/html\r\n"
            "Sec-Fetch-Mode: navigate\r\nConnection: close\r\n\r\n".encode()
        )
        got, headers = read_response_head(sock)
    assert (got, headers["content-type"].split(";")[0]) == (status, kind)
    dialled = upstream.connections_since(before)
    # A forwarded page load: aigate's connection check (aigate.proxy.upstream), then mitmproxy's.
    assert dialled == (2 if tunnel == "allowed.openai.test" else 0)
