"""`aigate render`: the policy document people read, in HTML and Markdown, from the policy."""

from __future__ import annotations

import ast
import base64
import hashlib
import re
from datetime import date
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from aigate.catalog import Catalog, Service
from aigate.classify import Classifier
from aigate.cli import main
from aigate.endpoints import UNLISTED_ID
from aigate.policy.load import load_policy
from aigate.policy.loaded import LoadedPolicy
from aigate.policy.model import Policy
from aigate.respond.document import render_policy, style_csp_source
from aigate.respond.document.labels import UNLISTED_NAME
from aigate.templating import TEMPLATES

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


def _loaded(**changes: object) -> LoadedPolicy:
    """POLICY with `changes`, compiled against CATALOG without the loader's checks (so hostile
    values the loader would refuse still reach the document)."""
    policy = Policy.model_validate({**POLICY, **changes})
    return LoadedPolicy.compile(policy, None, CATALOG, Classifier(CATALOG), "0" * 64)


def _render(fmt: str, **changes: object) -> str:
    return render_policy(_loaded(**changes), fmt, today=date(2026, 1, 2))


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
        "Only after the training: AI basics",
        "are run from China",
        "are image generators",
    ):
        assert text in page
    assert 'href="https://work.acme.example/chat"' in page
    assert 'href="mailto:ai@acme.example"' in page
    assert page.startswith('<!doctype html>\n<html lang="en">') and "<script" not in page


def test_markdown_has_every_section_and_tables() -> None:
    text = _render("markdown")
    headings = {line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")}
    assert [h for h in SECTIONS if h not in headings] == []
    assert (
        "| [Acme Assistant](<https://assistant.example/>) by Acme Assistant Inc | Contracted. | "
        "Only after the training: AI basics; until then Blocked. |" in text
    )
    assert "| [ChatGPT](<https://chatgpt.example/>) by ChatGPT Inc | " in text
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
    assert "Requests larger than 4 MB: allowed and recorded." in text
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
    html = render_policy(loaded, "html")
    text = render_policy(loaded, "md")
    parsed = _Text()
    parsed.feed(html)
    headings = {line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")}
    expected = _expected_sections(policy)
    assert [h for h in expected if h not in parsed.headings] == []
    assert [h for h in expected if h not in headings] == []
    assert f"{policy.organisation} AI acceptable use policy" in parsed.headings
    assert f"version {policy.version}" in html and f"version {policy.version}" in text
    names = {
        sid: UNLISTED_NAME if sid == UNLISTED_ID else loaded.catalog.get(sid).name
        for sid in _listed_services(policy)
    }
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


# --- what the proxy decides, in plain words, on any screen ----------------------------------------


def test_group_differences_are_noted_next_to_the_tool() -> None:
    text = _render("md")
    row = next(line for line in text.splitlines() if line.startswith("| [DeepSeek]"))
    assert "For the security group: Allowed with care." in row
    assert "DeepSeek (for the security group: Allowed with care)" in text
    assert "Members of some groups get a different answer" in text
    alone = _render("md", exceptions=[])
    assert "security group" not in alone and "Members of some groups" not in alone


def test_a_group_that_completed_the_training_is_noted() -> None:
    training = {"basics": {"name": "AI basics", "completed_by": {"groups": ["security"]}}}
    row = next(line for line in _render("md", training=training).splitlines()
               if line.startswith("| [Acme Assistant]"))
    assert "For the security group: Allowed." in row
    assert "until then Blocked" in row


def test_a_training_gate_on_a_tool_to_use_with_care_is_stated_with_its_reason() -> None:
    services = {"chatgpt": {"action": "warn", "reason": "Careful.", "requires_training": "basics"}}
    row = next(line for line in _render("md", services=services, exceptions=[]).splitlines()
               if line.startswith("| [ChatGPT]"))
    assert "| Careful. Only after the training: AI basics; until then Blocked. |" in row


def test_general_rules_say_how_many_services_each_decides() -> None:
    text = _render("md")
    # DeepSeek, the only service in CN, is named by the policy: the risk rule decides nothing.
    assert "| are run from China (none at present) | Blocked |" in text
    assert "| are image generators (1 service) | Allowed with care |" in text


def test_every_service_is_listed_by_kind_with_what_happens() -> None:
    text = _render("md")
    assert "**Chat assistants: 3 (1 redirected, 2 blocked)**" in text
    assert "**Image generators: 1 (1 with care)**" in text
    assert "Allowed with care: the rule for image generators  \nPainter" in text
    assert ("Blocked until you complete the training AI basics, then allowed  \nAcme Assistant"
            in text)
    page = _render("html")
    assert page.count("<details>") == 2 and "<summary>Chat assistants: 3 (" in page


def test_approved_tools_keep_the_policy_order() -> None:
    services = {
        "painter": {"action": "allow", "reason": "Main tool."},
        "assistant": {"action": "allow", "reason": "Second."},
    }
    text = _render("md", services=services, exceptions=[])
    assert text.index("[Painter]") < text.index("[Acme Assistant]")


@pytest.mark.parametrize(
    ("codes", "words"),
    [(["CN"], "China"), (["CN", "RU", "KP", "IR"], "China, Russia, North Korea or Iran"),
     (["GB", "XQ"], "the United Kingdom or XQ")],
)
def test_countries_are_named_not_coded(codes: list[str], words: str) -> None:
    risk = [{"id": "far", "action": "block", "reason": "Far.", "when": {"jurisdiction": codes}}]
    assert f"| are run from {words} (" in _render("md", risk_rules=risk)


@pytest.mark.parametrize(
    ("size", "words"), [(4 << 20, "4 MB"), (512 << 10, "512 KB"), (3 << 19, "1.5 MB")]
)
def test_sizes_read_in_plain_units(size: int, words: str) -> None:
    assert f"Requests larger than {words}: blocked." in _render("md", dlp={"max_scan_bytes": size})


def test_the_document_itself_uses_plain_words() -> None:
    for fmt in ("html", "md"):
        text = _render(fmt, dlp=DLP).lower()
        for word in ("catalog", "yaml", "kib"):
            assert word not in text, (fmt, word)


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.header: list[str] = []
        self.cells: list[tuple[str, str | None]] = []  # (tag, data-label)
        self._in_header = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "thead":
            self.header, self._in_header = [], True
        elif tag == "td" or (tag == "th" and values.get("scope") == "row"):
            self.cells.append((tag, values.get("data-label")))
        elif tag == "th":
            self.header.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_header = False
        if tag == "tr" and self.cells:
            labels = [label for tag, label in self.cells]
            assert self.cells[0] == ("th", None)  # the row's own name heads it
            assert labels[1:] == self.labels[1:], (labels, self.labels)
            self.cells = []

    def handle_data(self, data: str) -> None:
        if self._in_header and self.header:
            self.header[-1] += data
            self.labels = self.header


def test_every_table_cell_is_labelled_by_its_column_for_narrow_screens() -> None:
    page = _render("html", dlp=DLP)
    _Cells().feed(page)
    assert '<td class="none" data-label="Use instead">-</td>' in page
    css = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "@media (max-width:40rem)" in css and "content:attr(data-label)" in css


def test_the_page_has_the_header_of_the_other_pages() -> None:
    page = _render("html")
    assert ('<header class="top">\n<span><strong>Acme</strong> AI policy</span>\n'
            "<span>enforced by aigate</span>\n</header>") in page


def test_catalog_text_is_escaped_too() -> None:
    hostile = Service(
        id="evil", name=HOSTILE, vendor=HOSTILE, category="chat", hosts=("evil.example",),
        jurisdiction="US", trains_on_inputs=False, enterprise_tier=True, risk="low",
        risk_reason="", url=HOSTILE_URL,
    )
    catalog = Catalog({**CATALOG.services, "evil": hostile})
    policy = Policy.model_validate({**POLICY, "services": {"evil": {"action": "allow",
                                                                    "reason": "Fine."}}})
    loaded = LoadedPolicy.compile(policy, None, catalog, Classifier(catalog), "0" * 64)
    page = render_policy(loaded, "html")
    assert "<script>" not in page and HOSTILE_URL not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt; | pipe") >= 3  # table, list


# --- the HTML is a template with autoescape (issue 14) -------------------------------------------

DOCUMENT_PACKAGE = Path(render_policy.__code__.co_filename).parent
POLICY_TEMPLATES = sorted((TEMPLATES / "policy").glob("*"))


@pytest.mark.parametrize("path", POLICY_TEMPLATES, ids=lambda p: p.name)
def test_no_policy_template_turns_escaping_off_or_links_a_raw_url(path: Path) -> None:
    source = path.read_text()
    assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup", source)
    assert not re.search(r"\.url\b", source)  # links come from Link.href, checked in Python


@pytest.mark.parametrize("path", sorted(DOCUMENT_PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_the_document_code_neither_escapes_by_hand_nor_writes_markup(path: Path) -> None:
    tree = ast.parse(path.read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not imported & {"escape", "html", "Markup", "markupsafe"}
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    assert [s for s in strings if isinstance(s, str) and re.search(r"<[A-Za-z!/]", s)] == []


def test_the_stylesheet_hash_is_of_the_stylesheet_the_page_embeds() -> None:
    css = (TEMPLATES / "policy" / "document.css").read_text().removesuffix("\n")
    assert f"<style>{css}</style>" in _render("html")
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert style_csp_source() == f"'sha256-{digest}'"
