"""Privacy first: TLS to non-AI hosts is relayed without decryption; AI hosts are intercepted."""

from __future__ import annotations

import ssl

from cryptography import x509
from proxyharness import open_tunnel


def _issuer(sock: ssl.SSLSocket) -> str:
    der = sock.getpeercert(binary_form=True)
    assert der is not None
    return x509.load_der_x509_certificate(der).issuer.rfc4514_string()


def test_non_ai_host_is_passed_through_with_the_upstreams_own_certificate(proxy, upstream):
    trusts_upstream_only = ssl.create_default_context(cafile=str(upstream.ca_path))
    before = upstream.snapshot()
    sock = open_tunnel(proxy, "example.org", trusts_upstream_only)
    try:
        assert "aigate test upstream CA" in _issuer(sock)
        sock.sendall(b"GET /private HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    finally:
        sock.close()
    assert reply.startswith(b"HTTP/1.1 200")
    assert upstream.connections_since(before) == 1
    assert not proxy.flows_for("example.org"), "a passed-through request was decrypted"


def test_ai_host_is_intercepted_with_the_proxy_certificate(proxy):
    sock = open_tunnel(proxy, "chat.blocked.test", proxy.ssl_context())
    try:
        assert "mitmproxy" in _issuer(sock)
    finally:
        sock.close()
