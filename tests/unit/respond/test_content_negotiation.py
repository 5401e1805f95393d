"""Who gets a page and who gets an API error."""

from __future__ import annotations

import pytest
from aigate.respond.negotiate import response_kind, wants_html

CHROME_NAV = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Dest": "document",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36",
}
CHROME_FETCH = {
    "Accept": "*/*",
    "Content-Type": "application/json",
    "Sec-Fetch-Mode": "cors",
    "Sec-Fetch-Dest": "empty",
    "User-Agent": "Mozilla/5.0 Chrome/131.0",
}
OLD_BROWSER = {"accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "user-agent": "Mozilla"}
CURL = {"Accept": "*/*", "User-Agent": "curl/8.5.0"}
OPENAI_SDK = {
    "Accept": "application/json",
    "Content-Type": "application/json",
    "User-Agent": "OpenAI/Python 1.55.0",
}
ANTHROPIC_SDK = {"accept": "application/json", "user-agent": "Anthropic/Python 0.40.0"}


@pytest.mark.parametrize(
    ("method", "headers", "expected"),
    [
        ("GET", CHROME_NAV, True),
        ("POST", CHROME_NAV, True),  # a form submission is a navigation too
        ("GET", {"sec-fetch-dest": "iframe", "sec-fetch-mode": "navigate"}, True),
        ("GET", OLD_BROWSER, True),  # no Fetch Metadata, but asks for HTML
        ("GET", {"ACCEPT": "text/html"}, True),  # header names are case-insensitive
        ("GET", {"Accept": "text/html", "User-Agent": "curl/8.5.0"}, True),
        ("GET", CURL, False),
        ("GET", {}, False),
        ("POST", OPENAI_SDK, False),
        ("POST", ANTHROPIC_SDK, False),
        ("GET", {"Accept": "text/html", "User-Agent": "OpenAI/Python 1.55.0"}, False),
        ("POST", CHROME_FETCH, False),
        ("GET", {**CHROME_FETCH, "Accept": "text/html"}, False),  # fetch() asking for HTML
        ("GET", {"Accept": "text/html", "X-Requested-With": "XMLHttpRequest"}, False),
        ("POST", {"Accept": "text/html"}, False),  # no metadata: only GET counts
        ("GET", {"Accept": "application/json, text/html;q=0.5"}, False),
        ("GET", {"Accept": "text/html;q=0"}, False),
    ],
    ids=[
        "chrome navigation",
        "form post navigation",
        "iframe",
        "browser without fetch metadata",
        "upper-case header name",
        "curl asking for html",
        "curl",
        "no headers",
        "openai sdk",
        "anthropic sdk",
        "sdk agent asking for html",
        "fetch from a page",
        "fetch asking for html",
        "xhr",
        "post without metadata",
        "json preferred",
        "html refused",
    ],
)
def test_wants_html(method: str, headers: dict[str, str], expected: bool) -> None:
    assert wants_html(method, headers) is expected


@pytest.mark.parametrize(
    ("method", "headers", "api_format", "expected"),
    [
        ("GET", CHROME_NAV, "openai", "html"),
        ("POST", OPENAI_SDK, "openai", "api"),
        ("GET", CURL, "openai", "api"),
        ("GET", CURL, None, "html"),  # `curl https://chat.deepseek.com/` shows the block page
        ("GET", {}, None, "html"),
        ("POST", CURL, None, "text"),
        ("POST", CHROME_FETCH, None, "text"),
        ("GET", {"Accept": "application/json"}, None, "text"),
    ],
)
def test_response_kind(method: str, headers: dict, api_format: str | None, expected: str) -> None:
    assert response_kind(method, headers, api_format) == expected
