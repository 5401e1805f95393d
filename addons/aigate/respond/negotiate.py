"""Is this request a person's page navigation (show a page) or a program (send an API error)?

Browsers say so directly with Fetch Metadata (`Sec-Fetch-Mode: navigate`, `Sec-Fetch-Dest:
document`); for clients without it, an Accept header that asks for HTML on a GET is a navigation.
A fetch() from a page or an SDK gets a machine-readable answer: an HTML page would only break
their JSON parsing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

ResponseKind = Literal["html", "api", "text"]

_DOCUMENT_DESTS = frozenset({"document", "iframe", "frame", "embed", "object"})
# User agents of HTTP libraries and SDKs: never people, whatever Accept they send.
_PROGRAM_AGENTS = (
    "openai/",
    "anthropic/",
    "python-requests",
    "python-httpx",
    "aiohttp",
    "node-fetch",
    "undici",
    "axios",
    "okhttp",
    "go-http-client",
    "google-genai",
    "google-api-",
    "boto3",
    "botocore",
    "aws-sdk",
    "cohere",
)


def _header(headers: Mapping[str, str], name: str) -> str:
    """Case-insensitive lookup that works for plain dicts and mitmproxy Headers alike.

    Only a plain dict is scanned for another spelling: mitmproxy's Headers (not a dict) already
    match case-insensitively, and scanning them costs microseconds per header.
    """
    value = headers.get(name)
    if value is None:
        if not isinstance(headers, dict):
            return ""
        for key, candidate in headers.items():
            if key.lower() == name:
                return candidate
        return ""
    return value


def _quality(accept: str, media_type: str) -> float:
    """The q-value `accept` gives exactly `media_type` (wildcards do not count)."""
    for item in accept.lower().split(","):
        kind, *params = (p.strip() for p in item.split(";"))
        if kind != media_type:
            continue
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    return float(value)
                except ValueError:
                    return 0.0
        return 1.0
    return 0.0


def wants_html(method: str, headers: Mapping[str, str]) -> bool:
    """True for a navigation by a person in a browser; False for API clients and page scripts."""
    mode = _header(headers, "sec-fetch-mode").strip().lower()
    dest = _header(headers, "sec-fetch-dest").strip().lower()
    if mode == "navigate" or dest in _DOCUMENT_DESTS:
        return True
    if mode or dest:
        return False  # a browser told us this is fetch()/XHR/subresource, not a navigation
    if _header(headers, "x-requested-with"):
        return False
    agent = _header(headers, "user-agent").lower()
    if any(marker in agent for marker in _PROGRAM_AGENTS):
        return False
    if method.upper() not in ("GET", "HEAD"):
        return False
    accept = _header(headers, "accept")
    html = max(_quality(accept, "text/html"), _quality(accept, "application/xhtml+xml"))
    return html > 0 and html >= _quality(accept, "application/json")


def response_kind(method: str, headers: Mapping[str, str], api_format: str | None) -> ResponseKind:
    """Which answer to give: an HTML page, the provider's API error shape, or short text.

    A plain GET that accepts anything (`curl https://chat.example/`) to a service without an API
    format is somebody looking at a web app, so it gets the page too.
    """
    if wants_html(method, headers):
        return "html"
    if api_format:
        return "api"
    accept = _header(headers, "accept").strip()
    plain_get = method.upper() in ("GET", "HEAD") and accept in ("", "*/*")
    browser_script = _header(headers, "sec-fetch-mode") or _header(headers, "x-requested-with")
    return "html" if plain_get and not browser_script else "text"
