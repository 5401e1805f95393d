"""XSS and header-injection payloads in everything a page or an error reflects: request host,
path and URL, the proxy-auth user, service and policy strings. Pages keep their structure (no
new elements or attributes, links only to http(s) and mailto), API errors stay valid JSON with
the text intact, and nothing can put a CR or LF into a response header."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from aigate.decide import Alternative
from aigate.proxy.answer import header_safe
from aigate.respond.api_errors import api_error, policy_message, text_error, unreachable_message
from aigate.respond.pages import (
    PageContext,
    block_page,
    location_url,
    notice_page,
    upstream_error_page,
    warn_page,
)

PAYLOADS = [
    "<script>alert(1)</script>",
    "\"><svg onload=alert(1)>",
    "'><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "</title><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "<!--<script>-->",
    "&lt;script&gt;",  # already-escaped text must not be unescaped into markup
    "\u202e<script>",  # right-to-left override
    "x\r\nSet-Cookie: pwned=1",
    "x\nLocation: https://evil.test/",
    "\x00<script>\x00",
    "{{7*7}}${7*7}",
    "`-alert(1)-`",
]
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "span", "strong", "main", "p",
    "svg", "path", "h1", "h2", "section", "ul", "li", "a", "code", "footer", "form", "input",
    "button", "br", "div", "details", "summary",
}
TEXT_FIELDS = [
    "host", "reason", "rule", "service_name", "service_vendor", "organisation", "contact_name",
    "policy_version", "requesting_tools", "acknowledgement", "request_id",
]
URL_FIELDS = ["contact_url", "policy_url", "contact_email", "request_url"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _ctx(**changes: object) -> PageContext:
    values: dict[str, object] = {
        "request_id": "req-1", "host": "chat.example.test", "reason": "Not approved.",
        "service_name": "Example Chat", "organisation": "Acme",
        "alternatives": (Alternative("Approved", "https://approved.test/"),),
        "contact_name": "IT", "contact_email": "it@acme.test",
        "contact_url": "https://it.acme.test/", "policy_url": "https://acme.test/policy",
        "policy_version": "1", "dos": ("Do this",), "donts": ("Not that",),
    }
    values.update(changes)
    return PageContext(**values)  # type: ignore[arg-type]


def _pages(ctx: PageContext) -> dict[str, str]:
    return {
        "block": block_page(ctx),
        "warn": warn_page(ctx, "/.aigate/ack", ctx.reason, back_url=ctx.policy_url),
        "upstream": upstream_error_page(ctx, ctx.reason, f"https://{ctx.host}/"),
    }


def _assert_inert(page: str, payload: str) -> None:
    parsed = _Tags()
    parsed.feed(page)
    parsed.close()
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> injected"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} injected"
            if name in ("href", "action", "src"):
                assert value is not None
                assert value.startswith(("https://", "http://", "mailto:", "/")), value
                assert not value.startswith("//")
    assert [t for t, _ in parsed.tags].count("script") == 0
    if any(c in payload for c in "<>\"'"):
        assert payload not in page


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_text_fields_are_escaped_on_block_and_warn_pages(field, payload):
    for page in _pages(_ctx(**{field: payload})).values():
        _assert_inert(page, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field", URL_FIELDS)
def test_hostile_urls_never_become_links(field, payload):
    for page in _pages(_ctx(**{field: payload})).values():
        _assert_inert(page, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_alternatives_guidelines_and_finding_labels_are_escaped(payload):
    ctx = _ctx(
        alternatives=(Alternative(payload, payload), Alternative("ok", f"https://x.test/{payload}")),
        dos=(payload,), donts=(payload,), findings=((payload, 2),),
    )
    for page in _pages(ctx).values():
        _assert_inert(page, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_continue_token_stays_inside_its_attribute(payload):
    page = warn_page(_ctx(), "/.aigate/ack", payload)
    _assert_inert(page, payload)


@pytest.mark.parametrize("target", ["javascript:alert(1)", "//evil.test/", "/x\" onclick=\"y",
                                    "data:text/html,x", "/ok\r\nx"])
def test_the_continue_form_refuses_a_target_that_is_not_http_or_same_origin(target):
    with pytest.raises(ValueError):
        warn_page(_ctx(), target, "token")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_upstream_error_page_escapes_the_problem_and_links_only_an_http_retry(payload):
    page = upstream_error_page(_ctx(host=payload), payload, payload)
    _assert_inert(page, payload)
    assert "Try again</a>" not in page  # not an http(s) URL: no link
    retry = upstream_error_page(_ctx(), "x", f"https://chat.example.test/?q={payload}")
    _assert_inert(retry, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_notice_pages_escape_title_and_message(payload):
    page = notice_page(payload, f"{payload}\n\n{payload}", payload, organisation=payload,
                       status=payload)
    _assert_inert(page, payload)


# --- API and text errors ----------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(
    "api_format", [None, "openai", "anthropic", "gemini", "bedrock", "cohere", "huggingface"]
)
def test_api_errors_stay_valid_json_with_the_reason_intact(api_format, payload):
    message = policy_message(payload, "req-1", organisation=payload, service=payload)
    body, headers = api_error(api_format, 403, message, "policy_blocked")
    assert message in _strings(json.loads(body))
    assert all("\r" not in v and "\n" not in v for v in headers.values())
    assert headers["content-type"] == "application/json"  # never sniffed as HTML


def _strings(node: object) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    return [node] if isinstance(node, str) else []


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("api_format", [None, "openai", "anthropic", "gemini", "bedrock"])
def test_upstream_errors_stay_valid_json_with_the_host_intact(api_format, payload):
    message = unreachable_message(payload, "it refused the connection", "req-1",
                                  organisation=payload)
    body, _ = api_error(api_format, 502, message, "upstream_unreachable")
    assert message in _strings(json.loads(body))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_errors_are_plain_text(payload):
    _, headers = text_error(payload)
    assert headers["content-type"].startswith("text/plain")


# --- headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_notice_header_is_one_line_of_printable_ascii(payload):
    value = header_safe(policy_message(payload, "req-1", service=payload, verb="allowed"))
    assert value.isascii() and value.isprintable()
    assert "\r" not in value and "\n" not in value


@pytest.mark.parametrize(
    "url",
    [
        "https://approved.test/start\r\nSet-Cookie: pwned=1",
        "https://approved.test/\nx",
        "https://approved.test/\x00",
        "https://approved.test/ a",
        "https://approved.test/\u2028",
        "https://approved.test/\x85",
        "javascript:alert(1)",
        "//approved.test/",
        "/relative",
        "",
        None,
        "https://[::1",
    ],
)
def test_a_url_unfit_for_a_location_header_is_refused(url):
    assert location_url(url) is None


@pytest.mark.parametrize(
    "url", ["https://approved.test/start", "http://a.test/c?q='x'&r=%0d%0a", "https://é.test/ü"]
)
def test_a_plain_url_may_be_a_location(url):
    assert location_url(url) == url
