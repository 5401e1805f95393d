"""Host-name tricks through the real proxy. A blocked service stays blocked whatever spelling,
port or mix of names (CONNECT host, TLS SNI, Host header, absolute URL) reaches it: every name a
request carries is judged and the strictest decision applies. For each refusal the fake upstream
saw nothing, an audit record says `blocked`, and no hook logged an error.

What the proxy cannot see is documented in docs/routing.md: TLS passed through undecrypted (no
AI name in the SNI or the CONNECT host, e.g. an IP literal without SNI) hides its Host header.
"""

from __future__ import annotations

import socket
import ssl

import pytest
from aigate.classify import normalize_host
from cryptography import x509
from proxyharness import RunningProxy, connect_tunnel, read_jsonl, read_to_end, wait_for

BLOCKED = "chat.blocked.test"
ALLOWED = "allowed.openai.test"
HOMOGLYPH = "ch\u0430t.blocked.test"  # a Cyrillic a (U+0430) in place of the Latin one


@pytest.fixture(scope="module")
def audited(launch, tmp_path_factory):
    log = tmp_path_factory.mktemp("host-tricks") / "audit.jsonl"
    with launch(aigate_audit_log=str(log)) as running:
        running.audit_log = log  # type: ignore[attr-defined]
        yield running


def _records(proxy: RunningProxy) -> list[dict]:
    return read_jsonl(proxy.audit_log)  # type: ignore[attr-defined]


def _insecure() -> ssl.SSLContext:
    """The attacker's client: it checks no certificate, so any name can be sent as SNI."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _exchange(sock: socket.socket, head: bytes) -> bytes:
    sock.sendall(head)
    return read_to_end(sock)


def _request(host_header: str, target: str = "/") -> bytes:
    return (f"GET {target} HTTP/1.1\r\nHost: {host_header}\r\nAccept: application/json\r\n"
            "Connection: close\r\n\r\n").encode()


def via_tunnel(
    proxy: RunningProxy, authority: str, sni: str | None, host_header: str, target: str = "/"
) -> bytes:
    sock = connect_tunnel(proxy, authority)
    tls = _insecure().wrap_socket(sock, server_hostname=sni)
    return _exchange(tls, _request(host_header, target))


def plain(proxy: RunningProxy, target: str, host_header: str) -> bytes:
    sock = socket.create_connection((proxy.host, proxy.port), timeout=10)
    return _exchange(sock, _request(host_header, target))


def _status(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0


FULLWIDTH = "\uff43\uff48\uff41\uff54.blocked.test"  # full-width "chat": IDNA maps it to "chat"

BLOCKED_CASES = {
    # name: (how, CONNECT authority or absolute URL, SNI, Host header)
    "trailing dot everywhere": ("tls", f"{BLOCKED}.:443", f"{BLOCKED}.", f"{BLOCKED}."),
    "mixed case": ("tls", "CHAT.Blocked.TEST:443", "Chat.BLOCKED.test", "cHaT.bLoCkEd.TeSt"),
    "explicit :443 in Host": ("tls", f"{BLOCKED}:443", BLOCKED, f"{BLOCKED}:443"),
    "port 8443": ("tls", f"{BLOCKED}:8443", BLOCKED, f"{BLOCKED}:8443"),
    "IP literal CONNECT, blocked SNI": ("tls", "127.0.0.1:443", BLOCKED, BLOCKED),
    "full-width letters in Host": ("tls", f"{ALLOWED}:443", ALLOWED, FULLWIDTH),
    # domain fronting: one name is allowed, another blocked
    "fronted: allowed CONNECT+SNI, blocked Host": ("tls", f"{ALLOWED}:443", ALLOWED, BLOCKED),
    "fronted: blocked CONNECT, allowed SNI+Host": ("tls", f"{BLOCKED}:443", ALLOWED, ALLOWED),
    "fronted: blocked SNI, allowed CONNECT+Host": ("tls", f"{ALLOWED}:443", BLOCKED, ALLOWED),
    "non-AI SNI and Host, blocked CONNECT": ("tls", f"{BLOCKED}:443", "example.org",
                                             "example.org"),
    # inside a TLS tunnel to the allowed service, an absolute-form target names another site
    # (an HTTP/1.1 server takes the host from it: RFC 9112 section 3.2.2)
    "tunnel: absolute https blocked URL": ("tls", f"{ALLOWED}:443", ALLOWED, ALLOWED,
                                           f"https://{BLOCKED}/"),
    "tunnel: absolute URL with port": ("tls", f"{ALLOWED}:443", ALLOWED, ALLOWED,
                                       f"https://{BLOCKED}:443/v1/chat"),
    "tunnel: absolute http URL": ("tls", f"{ALLOWED}:443", ALLOWED, ALLOWED, f"http://{BLOCKED}/"),
    "tunnel: absolute URL, mixed case": ("tls", f"{ALLOWED}:443", ALLOWED, ALLOWED,
                                         "HTTPS://Chat.Blocked.Test/"),
    # plain HTTP, absolute-form request target
    "absolute allowed URL, blocked Host": ("http", f"http://{ALLOWED}/", None, BLOCKED),
    "absolute blocked URL, allowed Host": ("http", f"http://{BLOCKED}/", None, ALLOWED),
    "absolute blocked URL, non-AI Host": ("http", f"http://{BLOCKED}/", None, "example.org"),
    "IP literal URL, blocked Host": ("http", "http://127.0.0.1/", None, BLOCKED),
    "userinfo in URL": ("http", f"http://user@{BLOCKED}/", None, ALLOWED),
    "userinfo in URL and Host": ("http", f"http://{ALLOWED}/", None, f"x@{BLOCKED}"),
}


# mitmproxy answers 400 itself before any addon runs: nothing to decide, nothing recorded.
REFUSED_BY_MITMPROXY = {"userinfo in URL"}


@pytest.mark.parametrize("case", sorted(BLOCKED_CASES))
def test_a_blocked_service_stays_blocked_whatever_the_names_say(audited, upstream, case):
    how, target, sni, host_header, *inner = BLOCKED_CASES[case]
    before = upstream.snapshot()
    seen = len(_records(audited))
    if how == "tls":
        reply = via_tunnel(audited, target, sni, host_header, *inner)
    else:
        reply = plain(audited, target, host_header)
    expected = 400 if case in REFUSED_BY_MITMPROXY else 403
    assert _status(reply) == expected, reply[:300]
    assert upstream.requests_since(before) == [], "a blocked request reached the upstream"
    if expected == 403:
        wait_for(lambda: any(r.get("outcome") == "blocked" for r in _records(audited)[seen:]))
        blocked = [r for r in _records(audited)[seen:] if r.get("outcome") == "blocked"]
        assert blocked[0]["service"] == "t-chat"
    assert audited.errors == []


def test_the_allowed_service_still_works_under_the_same_checks(audited, upstream):
    before = upstream.snapshot()
    reply = via_tunnel(audited, f"{ALLOWED}:443", ALLOWED, ALLOWED)
    assert _status(reply) == 200
    assert [r.host for r in upstream.requests_since(before)] == [ALLOWED]


def _issuer(tls: ssl.SSLSocket) -> str:
    der = tls.getpeercert(binary_form=True)
    assert der is not None
    return x509.load_der_x509_certificate(der).issuer.rfc4514_string()


@pytest.mark.parametrize(
    "authority, sni",
    [
        (f"{normalize_host(HOMOGLYPH)}:443", normalize_host(HOMOGLYPH)),  # punycode, as sent
        ("127.0.0.1:443", None),  # an IP literal is not a catalog host
    ],
)
def test_a_name_that_is_not_in_the_catalog_is_just_another_host(audited, upstream, authority,
                                                                 sni):
    """Passed through undecrypted: the proxy cannot read its Host header (docs/routing.md),
    and the connection goes to that other host, not to the blocked service."""
    sock = connect_tunnel(audited, authority)
    tls = _insecure().wrap_socket(sock, server_hostname=sni)
    try:
        assert "aigate test upstream CA" in _issuer(tls)  # the upstream's own certificate
    finally:
        tls.close()
    assert audited.errors == []


def test_a_homoglyph_is_not_the_blocked_service():
    punycode = normalize_host(HOMOGLYPH)
    assert punycode.startswith("xn--") and punycode != BLOCKED
    assert normalize_host(FULLWIDTH) == BLOCKED  # IDNA maps full-width letters, as browsers do
