"""The proxy's one-pass header reads return what mitmproxy's own accessors return."""

from __future__ import annotations

import pytest
from aigate.proxy.headers import negotiation_headers
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
