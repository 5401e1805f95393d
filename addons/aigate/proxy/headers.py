"""Header reads on the per-request path, from one pass over the raw fields.

mitmproxy's `headers.get(name)` rescans every field through a method call per field, and
`request.host_header` is such a lookup; each costs about a microsecond, several times per request.
These return exactly what mitmproxy's accessors return (values folded with ", ").
"""

from __future__ import annotations

import functools

from mitmproxy import http

from aigate.respond.negotiate import wants_html

_AUTHORITY_VERSIONS = (b"HTTP/2.0", b"HTTP/3")  # `is_http2`, `is_http3`


def header_values(request: http.Request, *names: bytes) -> list[str | None]:
    """`request.headers.get(name)` for each lower-case name, in one pass."""
    found: list[list[bytes]] = [[] for _ in names]
    for name, value in request.headers.fields:
        lower = name.lower()
        if lower in names:
            found[names.index(lower)].append(value)
    return [b", ".join(v).decode("utf-8", "surrogateescape") if v else None for v in found]


def header_value(request: http.Request, name: bytes) -> str | None:
    """`request.headers.get(name)` for one lower-case name (half the cost of the general case)."""
    found = [value for key, value in request.headers.fields if key.lower() == name]
    return b", ".join(found).decode("utf-8", "surrogateescape") if found else None


# Where `host_header` keeps its answer: on the request's Headers object, with the fields it was
# read from. mitmproxy replaces `Headers.fields` (a tuple) on every change, so an answer whose
# fields are still the request's is still right, and it goes when the request goes.
_HOST_MEMO = "_aigate_host_header"


def host_header(request: http.Request) -> str | None:
    """`request.host_header`: the Host header, or the :authority of HTTP/2 and HTTP/3. Read once
    per request while its headers stay the same: enforcing, tenant pinning, inspection and the
    audit record all ask."""
    data = request.data
    if data.http_version in _AUTHORITY_VERSIONS:
        return request.host_header
    headers = data.headers
    fields = headers.fields
    known = headers.__dict__.get(_HOST_MEMO)
    if known is not None and known[0] is fields:
        return known[1]
    found = [value for key, value in fields if key.lower() == b"host"]
    host = b", ".join(found).decode("utf-8", "surrogateescape") if found else None
    headers.__dict__[_HOST_MEMO] = (fields, host)
    return host


# What content negotiation reads (`aigate.respond.negotiate`), raw name -> name.
_NEGOTIATION = {name.encode(): name for name in (
    "sec-fetch-mode", "sec-fetch-dest", "x-requested-with", "user-agent", "accept")}


def negotiation_headers(request: http.Request) -> dict[str, str]:
    """The headers `aigate.respond.negotiate` reads, as a plain dict of lower-case names, read in
    one pass: asking mitmproxy's Headers for each of them costs about 9 us a request."""
    found: dict[str, str] = {}
    for raw, value in request.headers.fields:
        name = _NEGOTIATION.get(raw.lower())
        if name is not None:
            text = value.decode("utf-8", "surrogateescape")
            found[name] = f"{found[name]}, {text}" if name in found else text
    return found


_NAVIGATION_KEY = "aigate.navigation"


def is_page_load(flow: http.HTTPFlow) -> bool:
    """`wants_html` of the flow's request (a person's browser loading a page), worked out once
    per flow: the upstream check and the audit record both ask."""
    known = flow.metadata.get(_NAVIGATION_KEY)
    if known is None:
        request = flow.request
        headers = negotiation_headers(request)
        if sum(map(len, headers.values())) <= _REMEMBERED_HEADERS_MAX:
            known = _wants_html(request.method, tuple(headers.items()))
        else:
            known = wants_html(request.method, headers)
        flow.metadata[_NAVIGATION_KEY] = known
    return known


# A client sends the same User-Agent and Accept with every request: the answer is remembered.
_REMEMBERED_HEADERS_MAX = 1024


@functools.lru_cache(maxsize=1024)
def _wants_html(method: str, headers: tuple[tuple[str, str], ...]) -> bool:
    return wants_html(method, dict(headers))
