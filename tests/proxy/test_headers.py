"""The one-pass header reads return exactly what mitmproxy's own accessors return."""

from __future__ import annotations

import pytest
from aigate.proxy.headers import header_values, host_header
from mitmproxy import http
from mitmproxy.test import tutils

FIELDS = [
    pytest.param((), id="none"),
    pytest.param(((b"Host", b"api.openai.com"),), id="one"),
    pytest.param(((b"HOST", b"a.test:8443"), (b"x", b"1")), id="upper-case-with-port"),
    pytest.param(((b"host", b"a.test"), (b"Host", b"b.test")), id="repeated"),
    pytest.param(((b"host", b""),), id="empty"),
    pytest.param(((b"host", b"caf\xc3\xa9.test\xff"),), id="non-ascii-bytes"),
]


def _request(fields: tuple[tuple[bytes, bytes], ...], version: str = "HTTP/1.1") -> http.Request:
    request = tutils.treq(http_version=version.encode())
    request.headers = http.Headers(fields)
    if version != "HTTP/1.1":
        request.authority = "authority.test"
    return request


@pytest.mark.parametrize("fields", FIELDS)
@pytest.mark.parametrize("version", ["HTTP/1.1", "HTTP/2.0"])
def test_host_header_is_mitmproxys(fields: tuple, version: str) -> None:
    request = _request(fields, version)
    assert host_header(request) == request.host_header


@pytest.mark.parametrize("fields", FIELDS)
def test_header_values_are_headers_get(fields: tuple) -> None:
    request = _request(
        (*fields, (b"Content-Type", b"application/json"), (b"content-type", b"charset=utf-8"))
    )
    expected = [request.headers.get(n) for n in ("content-type", "host", "content-encoding")]
    assert header_values(request, b"content-type", b"host", b"content-encoding") == expected
