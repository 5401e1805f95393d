"""`aigate render`: the policy document people read, in HTML and Markdown, from the same YAML."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
from aigate.catalog import Catalog, Service
from aigate.cli import main
from aigate.policy.model import Policy
from aigate.respond.document import render_policy

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
    "Purpose",
    "Scope",
    "Definitions",
    "Do",
    "Don't",
    "Approved and restricted AI tools",
    "Rules for other AI services",
    "Exceptions",
    "Requesting a new AI tool",
    "Training",
    "Violations",
    "Disclaimer",
    "Contact",
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
        "Requires the training: AI basics",
        "operator based in CN",
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
        "| [Acme Assistant](<https://assistant.example/>) | Acme Assistant Inc | Allowed |" in text
    )
    assert "Redirected to [work.acme.example](<https://work.acme.example/chat>)" in text


def test_tools_are_listed_allowed_first_blocked_last() -> None:
    text = _render("markdown")
    assert text.index("Acme Assistant Inc") < text.index("ChatGPT Inc") < text.index("DeepSeek Inc")


def test_monitor_mode_is_stated() -> None:
    assert "monitoring mode" in _render("html", mode="monitor")
    assert "monitoring mode" not in _render("html")


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_policy_text_is_escaped_and_unsafe_links_dropped(fmt: str) -> None:
    document = {**POLICY["document"], "purpose": HOSTILE, "definitions": {HOSTILE: HOSTILE}}
    services = {
        "deepseek": {
            "action": "block",
            "reason": HOSTILE,
            "alternatives": [{"name": "Evil", "url": "javascript:alert(1)"}],
        }
    }
    out = _render(fmt, document=document, services=services, exceptions=[])
    assert "<script>" not in out
    assert "javascript:" not in out
    if fmt == "markdown":
        assert "\\<script\\>" in out and "\\| pipe" in out


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
