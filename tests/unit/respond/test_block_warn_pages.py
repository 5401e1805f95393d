"""Block, warn and notice pages: content people need, and nothing reflected unescaped."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest
from aigate.catalog import Service
from aigate.decide import Alternative, Decision
from aigate.policy.model import Contact, Document, Guidelines, Policy, Rule
from aigate.respond.pages import PageContext, block_page, notice_page, safe_url, warn_page

HOSTILE = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"


def _ctx(**changes: object) -> PageContext:
    base = PageContext(
        request_id="req-123",
        host="chat.deepseek.com",
        reason="Data is stored outside approved jurisdictions.",
        rule="services.deepseek",
        service_id="deepseek",
        service_name="DeepSeek",
        service_vendor="DeepSeek",
        service_category="chat",
        alternatives=(Alternative("Acme Assistant", "https://assistant.acme.example/"),),
        organisation="Acme",
        contact_name="AI Governance",
        contact_email="ai@acme.example",
        contact_url="https://intranet.acme.example/ai",
        policy_url="https://intranet.acme.example/ai-policy",
        policy_version="2026.1",
        dos=("Use your work account",),
        donts=("Paste customer data",),
        requesting_tools="Open an IT ticket.",
        acknowledgement="I will follow the policy.",
    )
    return dataclasses.replace(base, **changes)


class _Collector(HTMLParser):
    """Parses a page and keeps what accessibility and safety checks need."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def attr_values(self, tag: str, name: str) -> list[str | None]:
        return [attrs.get(name) for t, attrs in self.tags if t == tag and name in attrs]


def _parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    return collector


def _pages(ctx: PageContext) -> list[str]:
    return [block_page(ctx), warn_page(ctx, "/__aigate/continue", "tok")]


def test_block_page_shows_service_reason_alternatives_contact_policy_and_request_id() -> None:
    page = block_page(_ctx())
    for expected in (
        "DeepSeek is blocked",
        "chat.deepseek.com",
        "Data is stored outside approved jurisdictions.",
        'href="https://assistant.acme.example/"',
        "Acme Assistant",
        "Open an IT ticket.",
        'href="mailto:ai@acme.example"',
        'href="https://intranet.acme.example/ai-policy"',
        "2026.1",
        "req-123",
    ):
        assert expected in page


def test_block_page_lists_finding_kinds_and_counts_only() -> None:
    page = block_page(_ctx(findings=(("Credit card number", 2), ("Email address", 1))))
    assert "Sensitive data found" in page
    assert "Credit card number" in page and "&times;2" in page
    assert "Sensitive data found" not in block_page(_ctx())


@pytest.mark.parametrize("render", [block_page, lambda c: warn_page(c, "/c", "t")])
def test_pages_are_self_contained_and_accessible(render) -> None:
    page = render(_ctx())
    parsed = _parse(page)
    assert page.startswith("<!doctype html>")
    assert parsed.attr_values("html", "lang") == ["en"]
    assert [t for t, _ in parsed.tags].count("main") == 1
    assert "h1" in [t for t, _ in parsed.tags]
    assert re.search(r"<title>[^<]+</title>", page)
    assert "viewport" in page
    # No scripts and nothing fetched from elsewhere: the page replaces a site the browser trusts.
    assert "<script" not in page
    assert not parsed.attr_values("link", "href")
    assert not parsed.attr_values("img", "src")
    assert "url(" not in page and "@import" not in page


@pytest.mark.parametrize(
    "field",
    [
        "reason",
        "service_name",
        "service_vendor",
        "host",
        "organisation",
        "contact_name",
        "rule",
        "request_id",
        "requesting_tools",
        "acknowledgement",
        "policy_version",
    ],
)
def test_reflected_text_is_escaped(field: str) -> None:
    ctx = _ctx(**{field: HOSTILE})
    for page in _pages(ctx):
        assert "<script>" not in page
        assert "<img" not in page
        assert "onerror=alert(2)>" not in page


@pytest.mark.parametrize(
    "ctx",
    [
        _ctx(dos=(HOSTILE,), donts=(HOSTILE,)),
        _ctx(alternatives=(Alternative(HOSTILE, "https://ok.example/"),)),
        _ctx(findings=((HOSTILE, 3),)),
    ],
    ids=["guidelines", "alternative name", "finding label"],
)
def test_lists_are_escaped(ctx: PageContext) -> None:
    for page in _pages(ctx):
        assert "<script>" not in page and "<img" not in page


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/",
        'https://ok.example/"onmouseover=alert(1)',
        "file:///etc/passwd",
    ],
)
def test_only_http_urls_become_links(url: str) -> None:
    ctx = _ctx(
        alternatives=(Alternative("Other", url),),
        policy_url=url,
        contact_url=url,
        contact_email='a@b.example"><script>',
    )
    for page in [*_pages(ctx), warn_page(ctx, "/c", "t", back_url=url)]:
        hrefs = [h or "" for h in _parse(page).attr_values("a", "href")]
        assert all(h.startswith(("https://", "http://", "mailto:ai")) for h in hrefs), hrefs
        assert "javascript" not in page.lower() and "<script>" not in page


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://a.example/x?y=1&z=2", True),
        ("http://a.example", True),
        ("HTTPS://A.EXAMPLE/", True),
        ("https://", False),
        ("ftp://a.example/", False),
        ("mailto:a@b.example", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_url(url: str | None, safe: bool) -> None:
    assert (safe_url(url) is not None) is safe


def test_warn_page_posts_token_to_continue_url_and_offers_a_way_back() -> None:
    page = warn_page(
        _ctx(), "/__aigate/continue?x=1&y=2", 'tok"en<', back_url="https://back.example/"
    )
    parsed = _parse(page)
    forms = [attrs for tag, attrs in parsed.tags if tag == "form"]
    assert forms == [{"class": "actions", "method": "post", "action": "/__aigate/continue?x=1&y=2"}]
    hidden = [a for t, a in parsed.tags if t == "input"]
    assert hidden == [{"type": "hidden", "name": "token", "value": 'tok"en<'}]
    assert "I understand, continue" in page
    assert "https://back.example/" in parsed.attr_values("a", "href")
    for text in ("Use your work account", "Paste customer data", "I will follow the policy."):
        assert text in page


def test_warn_page_way_back_falls_back_to_an_alternative() -> None:
    page = warn_page(_ctx(), "/c", "t")
    assert "take me back" not in page  # it would not go back: say where it goes
    assert 'href="https://assistant.acme.example/">No thanks, use ' in page


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/x", "data:,x"])
def test_warn_page_refuses_unsafe_continue_url(url: str) -> None:
    with pytest.raises(ValueError, match="continue_url"):
        warn_page(_ctx(), url, "t")


def test_notice_page_escapes_and_shows_request_id() -> None:
    page = notice_page("aigate could not evaluate this request", HOSTILE, "req-9")
    assert "<script>" not in page and "req-9" in page
    assert "aigate could not evaluate this request" in page


@pytest.mark.parametrize("render", [block_page, lambda c: warn_page(c, "/.aigate/ack", "t")])
def test_pages_link_the_form_for_asking_for_a_tool(render) -> None:
    form = "https://it.acme.example/ai-tool?kind=ai&from=proxy"
    link = '<a href="https://it.acme.example/ai-tool?kind=ai&amp;from=proxy">Ask for a new AI tool'
    page = render(_ctx(request_url=form))
    section = page.split('aria-labelledby="h-request"')[1].split("</section>")[0]
    assert "Open an IT ticket." in section and link in section
    # Without the policy's text the form alone is still offered.
    assert link in render(_ctx(request_url=form, requesting_tools=""))
    assert "Ask for a new AI tool" not in render(_ctx())


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example/"])
def test_an_unsafe_tool_request_url_is_never_a_link(url: str) -> None:
    for page in _pages(_ctx(request_url=url)):
        assert "Ask for a new AI tool" not in page
        assert "javascript" not in page and "data:" not in page and "evil" not in page


def test_unknown_service_is_named_by_host() -> None:
    page = block_page(_ctx(service_name=None, service_vendor=None))
    assert "<h1>chat.deepseek.com is blocked</h1>" in page


def test_context_from_decision_takes_policy_document_and_contact() -> None:
    service = Service(
        id="deepseek",
        name="DeepSeek",
        vendor="DeepSeek AI",
        category="chat",
        hosts=("chat.deepseek.com",),
        jurisdiction="CN",
        trains_on_inputs=True,
        enterprise_tier=False,
        risk="high",
        risk_reason="",
        url="https://chat.deepseek.com/",
    )
    decision = Decision(
        action="block",
        service=service,
        rule="services.deepseek",
        reason="Not approved.",
        alternatives=(Alternative("Acme Assistant", "https://a.example/"),),
    )
    policy = Policy(
        organisation="Acme",
        version="7",
        contact=Contact(name="IT", email="it@acme.example"),
        policy_url="https://p.example/",
        document=Document(
            purpose="p",
            scope="s",
            guidelines=Guidelines(dos=["do"], donts=["dont"]),
            requesting_tools="Ask IT.",
            request_url="https://it.acme.example/ai-tool-request",
        ),
        default=Rule(action="warn", reason="Unreviewed AI service."),
        warn={"ack_ttl_hours": 48},
    )
    ctx = PageContext.from_decision(
        decision, policy, "req-1", "chat.deepseek.com", findings=[("Email", 2)]
    )
    assert ctx.service_label == "DeepSeek (DeepSeek AI)"
    assert (ctx.reason, ctx.rule, ctx.policy_version) == ("Not approved.", "services.deepseek", "7")
    assert ctx.alternatives == decision.alternatives
    assert (ctx.dos, ctx.donts, ctx.findings) == (("do",), ("dont",), (("Email", 2),))
    assert (ctx.contact_name, ctx.contact_email) == ("IT", "it@acme.example")
    assert ctx.request_url == "https://it.acme.example/ai-tool-request"
    assert ctx.ack_ttl_hours == 48


def _policy_links(page: str) -> list[str | None]:
    return [
        attrs.get("href") for tag, attrs in _parse(page).tags if tag == "a" and "policy" in (
            attrs.get("href") or "")
    ]


@pytest.mark.parametrize("render", [block_page, lambda c: warn_page(c, "/.aigate/ack", "t")])
def test_pages_link_one_policy_the_served_one_first(render) -> None:
    page = render(_ctx(policy_page_url="http://aigate.policy/"))
    assert '<a class="policy" href="http://aigate.policy/">Read the full AI policy</a>' in page
    assert _policy_links(page) == ["http://aigate.policy/"]
    assert "Acme AI policy, version 2026.1" in page
    # Without a served copy the published one is the link; a hostile URL is never a link.
    published = '<a class="policy" href="https://intranet.acme.example/ai-policy">'
    assert published in render(_ctx())
    assert published in render(_ctx(policy_page_url="javascript:alert(1)"))
    assert "Read the full AI policy" not in render(_ctx(policy_url="javascript:alert(1)"))


@pytest.mark.parametrize("render", [block_page, lambda c: warn_page(c, "/.aigate/ack", "t")])
def test_the_rule_id_is_only_inside_a_details_element(render) -> None:
    page = render(_ctx())
    before, details, after = re.split(r"<details class=\"tech\">|</details>\s*(?=</footer>)", page)
    assert "services.deepseek" in details
    assert "services.deepseek" not in before + after
    assert "<details" not in render(_ctx(rule=""))[page.index("<footer"):]


def test_warn_page_puts_the_reason_and_choice_before_the_folded_guidelines() -> None:
    page = warn_page(_ctx(ack_ttl_hours=720), "/.aigate/ack", "t")
    order = [page.index(s) for s in (
        'class="reason"', "I understand, continue", "No thanks, use Acme Assistant",
        '<details class="general">', "Use your work account",
    )]
    assert order == sorted(order)
    assert "recorded" in page and "for 30 days" in page


@pytest.mark.parametrize(
    ("hours", "said"),
    [(720, "30 days"), (24, "1 day"), (12, "12 hours"), (1, "1 hour"), (0.5, "30 minutes"),
     (36, "36 hours"), (100.5, "4 days")],
)
def test_warn_page_says_how_long_the_choice_is_remembered(hours, said) -> None:
    page = warn_page(_ctx(ack_ttl_hours=hours), "/.aigate/ack", "t")
    assert f"for {said}, or until the policy changes" in page
    assert "for " + said not in warn_page(_ctx(), "/.aigate/ack", "t")

def test_warn_page_way_back_reads_the_served_policy_without_a_published_one() -> None:
    ctx = _ctx(alternatives=(), policy_url=None, policy_page_url="http://aigate.policy/")
    page = warn_page(ctx, "/.aigate/ack", "t")
    assert '<a href="http://aigate.policy/">No thanks, read the policy</a>' in page
