"""`document.request_url`: the form where people ask for a new AI tool, linked from block and
warn pages. `aigate check` refuses anything but an http(s) URL, naming the file and line."""

from __future__ import annotations

import pytest
from aigate.cli import main
from aigate.decide import RequestFacts, decide
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.respond.pages import PageContext, block_page, warn_page

POLICY = """organisation: Acme
version: "1"
contact: {name: IT}
document:
  purpose: p
  scope: s
  request_url: URL
default: {action: warn, reason: r}
"""


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "'data:text/html,<script>alert(1)</script>'", "it.example.com/x"]
)
def test_check_refuses_a_request_url_that_is_not_http_with_file_and_line(capsys, tmp_path, url):
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY.replace("URL", url))
    assert main(["check", str(policy)]) == 1
    shown = url.strip("'")
    assert (
        f"{policy}:7: document.request_url: '{shown}' is not an http(s) URL such as "
        "https://intranet.example/ai"
    ) in capsys.readouterr().err


def test_check_accepts_an_https_request_url(capsys, tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY.replace("URL", "https://it.example.com/ai-tool-request"))
    assert main(["check", str(policy)]) == 0, capsys.readouterr().err


@pytest.mark.parametrize(("host", "render"), [
    ("chat.deepseek.com", block_page),
    ("chatgpt.com", lambda ctx: warn_page(ctx, "/.aigate/ack", "t")),
])
def test_the_shipped_policy_links_its_tool_request_form(host, render):
    loaded = load_policy(DEFAULT_POLICY)
    ctx = PageContext.from_decision(decide(loaded, RequestFacts(host)), loaded.policy, "r", host)
    link = '<a href="https://it.example.com/ai-tool-request">Ask for a new AI tool</a>'
    assert link in render(ctx)
