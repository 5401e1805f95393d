"""One decision path: the order of actions, how access and DLP combine, and the strictest of a
request's names (domain fronting), as the proxy, `explain`, `test` and `replay` share them."""

from __future__ import annotations

import json

import pytest
from aigate.actions import STRICTNESS, final_action, stricter
from aigate.cli import main
from aigate.decide import RequestFacts
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.verdict import decide_request, other_names

POLICY = load_policy(DEFAULT_POLICY)


def test_one_scale_orders_access_and_dlp_actions():
    order = sorted(STRICTNESS, key=STRICTNESS.get)
    assert order == ["passthrough", "allow", "log", "warn", "redirect", "redact", "block"]
    assert stricter("warn", "block") == "block"
    assert stricter("block", "warn") == "block"


@pytest.mark.parametrize(
    ("access", "dlp", "final"),
    [
        ("allow", None, "allow"),
        ("allow", "log", "allow"),
        ("allow", "warn", "warn"),
        ("warn", "redact", "redact"),
        ("warn", "block", "block"),
        ("warn", "allow", "warn"),
        ("block", "redact", "block"),  # the body never left: no DLP verdict applies
        ("redirect", "block", "redirect"),
        ("passthrough", "block", "passthrough"),
    ],
)
def test_final_action_combines_access_and_dlp(access, dlp, final):
    assert final_action(access, dlp) == final


def test_other_names_are_normalized_and_exclude_the_site():
    assert other_names("chatgpt.com", "ChatGPT.com.", None, "api.openai.com:443", "") == [
        "api.openai.com"
    ]


@pytest.mark.parametrize(
    ("site", "others", "service", "action"),
    [
        ("api.openai.com", [], "openai-api", "warn"),
        ("chat.deepseek.com", ["api.openai.com"], "deepseek", "block"),  # Host header fronting
        ("api.openai.com", ["chat.deepseek.com"], "deepseek", "block"),  # CONNECT host or SNI
        ("example.org", ["chat.deepseek.com"], "deepseek", "block"),  # non-AI Host, AI SNI
        ("chat.deepseek.com", ["example.org"], "deepseek", "block"),
        ("example.org", ["example.com"], None, "passthrough"),
    ],
)
def test_the_strictest_of_a_requests_names_stands(site, others, service, action):
    decision = decide_request(POLICY, RequestFacts(site, "/v1/models"), others)
    assert (decision.service.id if decision.service else None, decision.action) == (
        service,
        action,
    )


def test_explain_judges_a_fronted_host_header_as_the_proxy_does(capsys):
    argv = ["explain", "https://api.openai.com/v1/models", "--header", "Host: chat.deepseek.com"]
    assert main([*argv, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["service"], report["action"]) == ("deepseek", "block")
    assert report["names"] == ["chat.deepseek.com", "api.openai.com"]
    assert (
        main(
            ["explain", "https://api.openai.com/v1/models", "--sni", "chat.deepseek.com", "--json"]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["action"] == "block"
