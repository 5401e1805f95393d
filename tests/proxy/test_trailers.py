"""A chunked request with trailer fields: mitmproxy (12.x) cannot read HTTP/1 request trailers and
drops the connection before any addon runs (docs/routing.md lists this limit). What must hold:
nothing of it reaches the service, whatever the trailer carries."""

from __future__ import annotations

import ssl

import pytest
from proxyharness import connect_tunnel

BODY = b'{"model":"m","messages":[{"role":"user","content":"hi"}]}'


def _chunked(host: str, trailer: bytes, announce: bool) -> bytes:
    head = (
        f"POST /v1/chat/completions HTTP/1.1\r\nHost: {host}\r\n"
        "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n"
        "Connection: close\r\n"
    ).encode()
    if announce:
        head += b"Trailer: " + trailer.split(b":", 1)[0] + b"\r\n"
    chunk = hex(len(BODY))[2:].encode() + b"\r\n" + BODY + b"\r\n"
    return head + b"\r\n" + chunk + b"0\r\n" + trailer + b"\r\n\r\n"


@pytest.mark.parametrize(
    ("host", "trailer", "announce"),
    [
        ("allowed.openai.test", b"X-Note: aws_access_key_id = AKIAQ3EGRLMNV4XKTYJW", True),
        ("allowed.openai.test", b"X-Note: aws_access_key_id = AKIAQ3EGRLMNV4XKTYJW", False),
        ("chat.blocked.test", b"X-Checksum: 1234", True),
    ],
    ids=["secret-announced", "secret-unannounced", "blocked-service"],
)
def test_nothing_of_a_request_with_trailers_reaches_the_service(
    proxy, upstream, host, trailer, announce
):
    before = upstream.snapshot()
    sock = connect_tunnel(proxy, f"{host}:443")
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    tls = context.wrap_socket(sock, server_hostname=host)
    tls.settimeout(3)
    tls.sendall(_chunked(host, trailer, announce))
    try:
        reply = tls.recv(65536)
    except (TimeoutError, ssl.SSLError, ConnectionError):
        reply = b""
    finally:
        tls.close()
    assert not reply.startswith(b"HTTP/1.1 200")
    assert upstream.requests_since(before) == []
