"""Privacy first: TLS to non-AI hosts is relayed without decryption; AI hosts are intercepted."""

from __future__ import annotations

import contextlib
import re
import socket
import ssl

import pytest
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.proxy.passthrough import intercept_pattern
from aigate.record import metrics
from cryptography import x509
from proxyharness import TEST_POLICY, connect_tunnel, open_tunnel, read_to_end, wait_for


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
        reply = read_to_end(sock)
    finally:
        sock.close()
    assert reply.startswith(b"HTTP/1.1 200")
    assert upstream.connections_since(before) == 1
    assert not proxy.flows_for("example.org"), "a passed-through request was decrypted"
    expected = intercept_pattern(proxy_policy(proxy), ["aigate.policy"])  # + the policy page
    assert proxy.master.options.allow_hosts == [expected]


def proxy_policy(proxy):
    return load_policy(proxy.master.options.aigate_policy)


def test_ai_host_is_intercepted_with_the_proxy_certificate(proxy):
    sock = open_tunnel(proxy, "chat.blocked.test", proxy.ssl_context())
    try:
        assert "mitmproxy" in _issuer(sock)
    finally:
        sock.close()


def test_admins_own_allow_hosts_is_kept_and_tls_clienthello_still_passes_non_ai(
    launch, upstream
):
    with launch(allow_hosts=[r".*"]) as proxy:
        assert proxy.master.options.allow_hosts == [r".*"]
        sock = open_tunnel(
            proxy, "example.org", ssl.create_default_context(cafile=str(upstream.ca_path))
        )
        try:
            assert "aigate test upstream CA" in _issuer(sock)
        finally:
            sock.close()


def _hosts_to_try(loaded) -> list[str]:
    hosts = ["example.org", "www.example.org", "openai.com.evil.org", "xopenai.com", "intranet"]
    for service in loaded.catalog.services.values():
        for host in service.hosts:
            hosts.append(host.replace("*", "a-1"))
            hosts.append("x." + host.replace("*", "b"))
            hosts.append(host.replace("*.", "", 1))
        for domain in service.domains:
            hosts += [domain, "www." + domain, "x" + domain]
    return hosts


@pytest.mark.parametrize("policy", [TEST_POLICY, DEFAULT_POLICY], ids=["test", "default"])
def test_allow_hosts_pattern_intercepts_exactly_what_the_policy_intercepts(policy):
    loaded = load_policy(policy)
    pattern = re.compile(intercept_pattern(loaded), re.IGNORECASE)
    for host in _hosts_to_try(loaded):
        assert bool(pattern.search(f"{host}:443")) == loaded.intercepts(host), host


def _passed(protocol: str) -> float:
    return metrics.REGISTRY.get_sample_value(
        "aigate_passthrough_connections_total", {"protocol": protocol}
    ) or 0.0


def _handshake_not_trusting_the_upstream(proxy) -> None:
    """A TLS client that trusts only aigate's CA, so the passed-through site's certificate
    fails its handshake."""
    with pytest.raises(ssl.SSLCertVerificationError):
        open_tunnel(proxy, "example.org", proxy.ssl_context()).close()


def _unparseable_client_hello(proxy) -> None:
    """A complete TLS handshake record whose ClientHello is garbage: mitmproxy cannot read an
    SNI, decides by the CONNECT host, and the site ends the handshake."""
    with contextlib.closing(connect_tunnel(proxy, "example.org:443")) as sock:
        sock.sendall(b"\x16\x03\x01\x00\x08" + b"\x01\x00\x00\x04" + b"\xff" * 4)
        with contextlib.suppress(OSError):
            sock.recv(100)


def _not_tls(proxy) -> None:
    with contextlib.closing(connect_tunnel(proxy, "example.org:22")) as sock:
        sock.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
        with contextlib.suppress(OSError, socket.timeout):
            sock.settimeout(1)
            sock.recv(100)


def test_a_passed_through_connection_is_counted_as_what_the_client_spoke(launch):
    # A proxy of its own: mitmproxy's `ctx` is global, so an earlier `launch` in this module
    # (allow_hosts=.*) would decide for the module's proxy too.
    cases = [(_handshake_not_trusting_the_upstream, "tls"), (_unparseable_client_hello, "tls"),
             (_not_tls, "tcp")]
    with launch() as proxy:
        for client, protocol in cases:
            other = "tcp" if protocol == "tls" else "tls"
            before, before_other = _passed(protocol), _passed(other)
            client(proxy)
            expected = before + 1
            wait_for(lambda p=protocol, n=expected: _passed(p) == n, what=client.__name__)
            assert _passed(other) == before_other, client.__name__
        assert not proxy.flows_for("example.org")
