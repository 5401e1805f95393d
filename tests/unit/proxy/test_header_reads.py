"""The proxy's one-pass header reads return what mitmproxy's own accessors return."""

from __future__ import annotations

import pytest
from aigate.proxy.headers import host_header, negotiation_headers
from aigate.respond.negotiate import response_kind, wants_html
from mitmproxy import http

CASES = [
    [(b"Accept", b"text/html,application/xhtml+xml"), (b"Sec-Fetch-Mode", b"navigate"),
     (b"Sec-Fetch-Dest", b"document"), (b"User-Agent", b"Mozilla/5.0 Chrome/131")],
    [(b"accept", b"application/json"), (b"user-agent", b"OpenAI/Python 1.55.0")],
    [(b"ACCEPT", b"text/html"), (b"accept", b"application/json;q=0.5")],  # repeated, any case
    [(b"x-requested-with", b"XMLHttpRequest"), (b"accept", b"*/*")],
    [(b"cookie", b"a=b"), (b"accept", b"\xff\xfe")],  # not UTF-8
    [],
]


@pytest.mark.parametrize("fields", CASES)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_negotiation_reads_match_mitmproxys_headers(fields, method):
    request = http.Request.make(method, "https://chat.example/", b"", http.Headers(fields))
    headers = request.headers
    found = negotiation_headers(request)
    for name in ("sec-fetch-mode", "sec-fetch-dest", "x-requested-with", "user-agent", "accept"):
        assert found.get(name) == headers.get(name), name
    assert wants_html(method, found) == wants_html(method, headers)
    for api_format in (None, "openai"):
        assert response_kind(method, found, api_format) == response_kind(method, headers,
                                                                         api_format)


@pytest.mark.parametrize("fields", [
    [(b"Host", b"api.openai.com"), (b"accept", b"*/*")],
    [(b"HOST", b"a.example:8443"), (b"host", b"b.example")],  # repeated: folded as mitmproxy does
    [(b"accept", b"*/*")],  # none
    [(b"host", b"\xff.example")],  # not UTF-8
])
def test_host_header_matches_mitmproxy_and_follows_changes(fields):
    request = http.Request.make("GET", "https://chat.example/", b"", http.Headers(fields))
    assert host_header(request) == request.host_header
    assert host_header(request) == request.host_header  # remembered
    request.headers["host"] = "changed.example"  # a new fields tuple: read again
    assert host_header(request) == request.host_header == "changed.example"
    del request.headers["host"]
    assert host_header(request) is None
    request.headers = http.Headers([(b"host", b"other.example")])  # a new Headers object
    assert host_header(request) == "other.example"


def test_host_header_of_http2_is_the_authority():
    request = http.Request.make("GET", "https://chat.example/", b"", {"host": "ignored.example"})
    request.http_version = "HTTP/2.0"
    request.authority = "chat.example"
    assert host_header(request) == request.host_header == "chat.example"
