"""`aigate render`: the policy document people read, in HTML and Markdown, from the same YAML."""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from aigate.catalog import Catalog, Service
from aigate.cli import main
from aigate.policy.load import load_policy
from aigate.policy.model import Policy
from aigate.respond.document import render_policy, style_csp_source

HOSTILE = "<script>alert(1)</script> | pipe"


def _service(sid: str, name: str, category: str = "chat", jurisdiction: str = "US") -> Service:
    return Service(
        id=sid,
        name=name,
        vendor=f"{name} Inc",
        category=category,
        hosts=(f"{sid}.example",),
        jurisdiction=jurisdiction,
        trains_on_inputs=False,
        enterprise_tier=True,
        risk="medium",
        risk_reason="",
        url=f"https://{sid}.example/",
    )


CATALOG = Catalog(
    {
        s.id: s
        for s in (
            _service("assistant", "Acme Assistant"),
            _service("chatgpt", "ChatGPT"),
            _service("deepseek", "DeepSeek", jurisdiction="CN"),
            _service("painter", "Painter", category="image"),
        )
    }
)

POLICY = {
    "organisation": "Acme",
    "version": "2026.2",
    "contact": {"name": "AI Office", "email": "ai@acme.example", "url": "https://i.acme.example/"},
    "policy_url": "https://i.acme.example/ai-policy",
    "document": {
        "purpose": "Use AI safely.",
        "scope": "Everyone.\n\nAlso contractors.",
        "definitions": {"LLM": "A large language model."},
        "guidelines": {"dos": ["Check output"], "donts": ["Paste secrets"]},
        "requesting_tools": "Open a ticket.",
        "training": "Take the course.",
        "violations": "Disciplinary action.",
        "disclaimer": "Rights are not limited.",
        "acknowledgement": "I will follow it.",
    },
    "groups": {"security": {"description": "Security team", "users": ["carol"]}},
    "training": {"basics": {"name": "AI basics", "url": "https://learn.acme.example/"}},
    "default": {"action": "warn", "reason": "Not reviewed."},
    "services": {
        "assistant": {"action": "allow", "reason": "Contracted.", "requires_training": "basics"},
        "deepseek": {
            "action": "block",
            "reason": "Data in China.",
            "alternatives": [{"service": "assistant"}],
        },
        "chatgpt": {
            "action": "redirect",
            "reason": "Use the workspace.",
            "redirect_to": "https://work.acme.example/chat",
        },
    },
    "risk_rules": [
        {
            "id": "far",
            "action": "block",
            "reason": "Jurisdiction.",
            "when": {"jurisdiction": ["CN"]},
        }
    ],
    "categories": {"image": {"action": "warn", "reason": "Licensing."}},
    "exceptions": [
        {
            "id": "research",
            "groups": ["security"],
            "services": ["deepseek"],
            "action": "warn",
            "reason": "Threat research.",
        }
    ],
}

SECTIONS = (
    "Acme AI acceptable use policy",
    "Contents",
    "Purpose",
    "Scope",
    "Groups",
    "Definitions",
    "Guidelines",
    "Do",
    "Don't",
    "AI tools",
    "Approved tools",
    "Redirected tools",
    "Blocked tools",
    "Rules for other AI services",
    "Exceptions for groups",
    "Requesting a new AI tool",
    "Data rules",
    "Kinds of data",
    "Which data may go where",
    "Content that cannot be checked",
    "Training",
    "Contact",
    "Violations",
    "Disclaimer",
    "Acknowledgement",
)


def _render(fmt: str, **changes: object) -> str:
    policy = Policy.model_validate({**POLICY, **changes})
    return render_policy(policy, CATALOG, fmt, today=date(2026, 1, 2))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.hrefs: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_heading = tag in ("h1", "h2", "h3")
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")

    def handle_data(self, data: str) -> None:
        if self._in_heading:
            self.headings.append(data)
            self._in_heading = False


def test_html_has_every_section_and_every_rule() -> None:
    page = _render("html")
    parsed = _Text()
    parsed.feed(page)
    assert [h for h in SECTIONS if h not in parsed.headings] == []
    for text in (
        "Contracted.",
        "Data in China.",
        "Jurisdiction.",
        "Licensing.",
        "Not reviewed.",
        "Threat research.",
        "After the training: AI basics",
        "are run from CN",
        "are image generators",
    ):
        assert text in page
    assert 'href="https://work.acme.example/chat"' in page
    assert 'href="mailto:ai@acme.example"' in page
    assert page.startswith('<!doctype html><html lang="en">') and "<script" not in page


def test_markdown_has_every_section_and_tables() -> None:
    text = _render("markdown")
    headings = {line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")}
    assert [h for h in SECTIONS if h not in headings] == []
    assert (
        "| [Acme Assistant](<https://assistant.example/>) | Acme Assistant Inc | Contracted. | "
        "After the training: AI basics |" in text
    )
    assert "| [ChatGPT](<https://chatgpt.example/>) | ChatGPT Inc | " in text
    assert "[work.acme.example](<https://work.acme.example/chat>) | Use the workspace. |" in text


def test_md_is_the_markdown_format() -> None:
    assert _render("md") == _render("markdown")


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="html, md, markdown"):
        _render("pdf")


def test_tool_tables_go_from_approved_to_blocked() -> None:
    text = _render("markdown")
    order = ["### Approved tools", "Acme Assistant Inc", "### Redirected tools", "ChatGPT Inc",
             "### Blocked tools", "DeepSeek Inc"]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_monitor_mode_is_stated() -> None:
    assert "monitoring mode" in _render("html", mode="monitor")
    assert "monitoring mode" not in _render("html")


HOSTILE_URL = 'https://x.example/"><script>alert(1)</script>'


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_policy_text_is_escaped_and_unsafe_links_dropped(fmt: str) -> None:
    document = {
        **POLICY["document"],
        "purpose": HOSTILE,
        "definitions": {HOSTILE: HOSTILE},
        "guidelines": {"dos": [HOSTILE], "donts": [HOSTILE]},
        "acknowledgement": HOSTILE,
    }
    services = {
        "deepseek": {
            "action": "block",
            "reason": HOSTILE,
            "alternatives": [
                {"name": "Evil", "url": "javascript:alert(1)"},
                {"name": HOSTILE, "url": HOSTILE_URL},
            ],
        }
    }
    out = _render(
        fmt,
        organisation=HOSTILE,
        version=HOSTILE,
        contact={"name": HOSTILE, "email": "a@b.example<script>", "url": HOSTILE_URL},
        policy_url="javascript:alert(1)",
        document=document,
        services=services,
        exceptions=[],
        groups={"security": {"description": HOSTILE}},
        training={"basics": {"name": HOSTILE, "url": HOSTILE_URL}},
        dlp={"rules": [{"id": "x", "action": "block", "reason": HOSTILE}]},
    )
    assert "<script>" not in out
    assert 'href="javascript' not in out and "(<javascript" not in out  # shown as text at most
    assert HOSTILE_URL not in out
    if fmt == "markdown":
        assert "\\<script\\>" in out and "\\| pipe" in out
    else:
        assert out.count("&lt;script&gt;") >= 10


def _write_policy(path) -> None:
    path.write_text(
        "organisation: Acme\nversion: '1'\ncontact: {name: IT}\n"
        "document: {purpose: Safe use., scope: Everyone.}\n"
        "default: {action: warn, reason: Not reviewed.}\n"
    )


@pytest.mark.parametrize(("fmt", "marker"), [("html", "<!doctype html>"), ("markdown", "# Acme")])
def test_cli_writes_the_document(tmp_path, capsys, fmt: str, marker: str) -> None:
    policy = tmp_path / "policy.yaml"
    _write_policy(policy)
    out = tmp_path / "policy.out"
    assert main(["render", str(policy), "--format", fmt, "-o", str(out)]) == 0
    assert out.read_text().startswith(marker)
    assert main(["render", str(policy), "--format", fmt]) == 0
    assert capsys.readouterr().out.startswith(marker)


def test_cli_reports_an_invalid_policy(tmp_path, capsys) -> None:
    policy = tmp_path / "bad.yaml"
    policy.write_text("organisation: Acme\n")
    assert main(["render", str(policy)]) == 1
    assert "bad.yaml:" in capsys.readouterr().err


# --- the table of contents, the page itself -------------------------------------------------


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.fragments: list[str] = []
        self.assets: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        href = values.get("href") or ""
        if tag == "a" and href.startswith("#"):
            self.fragments.append(href[1:])
        if tag in ("link", "img", "script", "iframe", "object", "embed") or "src" in values:
            self.assets.append(tag)
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
            self._in_style = False


def test_html_contents_link_to_every_section() -> None:
    parsed = _Anchors()
    parsed.feed(_render("html"))
    assert parsed.fragments[:3] == ["purpose", "scope", "definitions"]
    assert "acknowledgement" in parsed.fragments and "data-rules" in parsed.fragments
    assert [f for f in parsed.fragments if f not in parsed.ids] == []


def test_markdown_contents_use_github_anchors() -> None:
    text = _render("md")
    assert "- [Don't](#dont)" not in text  # only level-2 sections are listed
    assert "- [Requesting a new AI tool](#requesting-a-new-ai-tool)" in text
    assert text.index("## Contents") < text.index("## Purpose")


def test_html_is_self_contained_and_printable() -> None:
    page = _render("html")
    parsed = _Anchors()
    parsed.feed(page)
    assert parsed.assets == []
    assert len(parsed.styles) == 1
    assert "@media print" in parsed.styles[0] and "@page" in parsed.styles[0]
    for external in ("@import", "url(", "@font-face", "<link"):
        assert external not in page
    digest = base64.b64encode(hashlib.sha256(parsed.styles[0].encode()).digest()).decode()
    assert style_csp_source() == f"'sha256-{digest}'"


def test_version_review_date_and_organisation_are_stated() -> None:
    text = _render("md", review_by="2027-03-31")
    assert "Acme · version 2026.2 · next review by 2027-03-31" in text
    assert "next review" not in _render("md")


# --- data rules -------------------------------------------------------------------------------

DLP = {
    "keywords": [{"id": "code-names", "words": ["Project Nightjar"], "data_class": "confidential"}],
    "patterns": [{"id": "ticket-ids", "pattern": "TCK-[0-9]{6}"}],
    "disabled_detectors": ["ipv4_address"],
    "rules": [
        {"id": "secrets", "action": "block", "classes": ["secret"], "reason": "Never."},
        {
            "id": "assistant-pii",
            "action": "log",
            "classes": ["pii"],
            "detectors": ["code-names"],
            "services": ["assistant"],
            "categories": ["image"],
            "groups": ["security"],
            "reason": "Under contract.",
        },
    ],
    "default_action": "redact",
    "on_oversize": "log",
    "on_unscanned": "block",
}


def test_data_rules_say_which_data_may_go_where() -> None:
    text = _render("md", dlp=DLP)
    blocked = "Blocked: the request is stopped"
    assert f"| Credentials | any AI service | everyone | {blocked} | Never. |" in text
    assert (
        "| Personal data, company keyword list code-names | "
        "[Acme Assistant](<https://assistant.example/>), image generators | security | "
        "Allowed and recorded | Under contract. |" in text
    )
    assert "| Anything else found | any AI service | everyone | Removed:" in text
    assert "Requests larger than 4,096 KiB: allowed and recorded." in text
    assert "cannot be read: blocked." in text
    assert "switched off: IPv4 address" in text


def test_company_lists_are_named_but_never_spelled_out() -> None:
    for fmt in ("html", "md"):
        out = _render(fmt, dlp=DLP)
        assert "code-names" in out and "ticket-ids" in out
        assert "Nightjar" not in out
        assert "TCK-" not in out


def test_a_policy_without_inspection_says_so() -> None:
    text = _render("md", dlp={"enabled": False})
    assert "## Data rules" in text
    assert "not inspected automatically" in text
    assert "Which data may go where" not in text


# --- the shipped policies -----------------------------------------------------------------------

SHIPPED = sorted(
    [Path(__file__).resolve().parents[3] / "policies" / "default.yaml",
     *(Path(__file__).resolve().parents[3] / "policies" / "examples").glob("*.yaml")]
)
ALWAYS = ("Contents", "Purpose", "Scope", "Guidelines", "AI tools", "Rules for other AI services",
          "Requesting a new AI tool", "Data rules", "Contact")


def _listed_services(policy: Policy) -> set[str]:
    """Every catalog service the policy names anywhere."""
    ids = set(policy.services)
    for exc in policy.exceptions:
        ids.update(exc.services)
    for rule in policy.dlp.rules:
        ids.update(rule.services)
    rules = [*policy.services.values(), *policy.categories.values(), *policy.risk_rules,
             *policy.exceptions, policy.default]
    ids.update(alt.service for rule in rules for alt in rule.alternatives if alt.service)
    return ids


def _expected_sections(policy: Policy) -> list[str]:
    doc = policy.document
    optional = {
        "Definitions": doc.definitions,
        "Groups": [g for g in policy.groups.values() if g.description],
        "Do": doc.guidelines.dos,
        "Don't": doc.guidelines.donts,
        "Exceptions for groups": policy.exceptions,
        "Training": doc.training.strip() or policy.training,
        "Violations": doc.violations.strip(),
        "Disclaimer": doc.disclaimer.strip(),
        "Acknowledgement": doc.acknowledgement.strip(),
        "Which data may go where": policy.dlp.enabled,
        "Company lists": policy.dlp.keywords or policy.dlp.patterns or policy.dlp.exact_match,
    }
    return [*ALWAYS, *(title for title, present in optional.items() if present)]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_policy_document_has_every_section_and_every_listed_service(path: Path) -> None:
    loaded = load_policy(path)
    policy = loaded.policy
    html = render_policy(policy, loaded.catalog, "html")
    text = render_policy(policy, loaded.catalog, "md")
    parsed = _Text()
    parsed.feed(html)
    headings = {line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")}
    expected = _expected_sections(policy)
    assert [h for h in expected if h not in parsed.headings] == []
    assert [h for h in expected if h not in headings] == []
    assert f"{policy.organisation} AI acceptable use policy" in parsed.headings
    assert f"version {policy.version}" in html and f"version {policy.version}" in text
    names = {sid: loaded.catalog.get(sid).name for sid in _listed_services(policy)}
    assert [n for n in names.values() if escape(n, quote=True) not in html] == []
    assert [n for n in names.values() if n.replace("_", "\\_") not in text] == []
    for keywords in policy.dlp.keywords:
        assert [w for w in keywords.words if w in html or w in text] == []
    assert policy.contact.name in html


def test_cli_accepts_md_and_markdown(tmp_path, capsys) -> None:
    policy = tmp_path / "policy.yaml"
    _write_policy(policy)
    assert main(["render", str(policy), "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert main(["render", str(policy), "--format", "markdown"]) == 0
    assert capsys.readouterr().out == md
    assert md.startswith("# Acme AI acceptable use policy")
