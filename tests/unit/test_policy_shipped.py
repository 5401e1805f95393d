"""The shipped policies: valid against the shipped catalog, editor-ready, and the schema current."""

from __future__ import annotations

import json

import pytest
from aigate.decide import RequestFacts, decide
from aigate.policy import DEFAULT_POLICY, SCHEMA_FILE, SHIPPED_DIR, load_policy
from aigate.policy.schema import schema_text

SHIPPED = sorted(p for p in SHIPPED_DIR.rglob("*.yaml") if not p.name.endswith(".cases.yaml"))


def test_default_policy_is_shipped():
    assert DEFAULT_POLICY in SHIPPED
    assert len(SHIPPED) >= 4


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_policy_loads_and_decides_a_catalog_service(path):
    loaded = load_policy(path)
    assert loaded.version and len(loaded.catalog) >= 1000
    decision = decide(loaded, RequestFacts("chatgpt.com"))
    assert decision.service is not None and decision.service.id == "chatgpt"
    assert decision.action in ("allow", "warn", "block", "redirect")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_policy_names_the_schema_for_editors(path):
    first = path.read_text().splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    assert (path.parent / first[len(prefix) :]).resolve() == SCHEMA_FILE.resolve()


def test_schema_json_is_current():
    assert SCHEMA_FILE.read_text() == schema_text(), (
        "policies/schema.json is stale: run `aigate schema > policies/schema.json`"
    )


def test_schema_forbids_unknown_keys():
    schema = json.loads(schema_text())
    assert schema["additionalProperties"] is False
    assert "default" in schema["required"]


def test_every_default_policy_rule_gives_a_reason():
    policy = load_policy(DEFAULT_POLICY).policy
    rules = [policy.default, *policy.services.values(), *policy.categories.values()]
    rules += [*policy.risk_rules, *policy.exceptions]
    assert all(rule.reason.strip() for rule in rules)


@pytest.mark.parametrize(
    ("url", "action", "rule"),
    [
        ("https://chat.deepseek.com/", "block", "services.deepseek"),
        ("https://api.deepseek.com/chat/completions", "block", "services.deepseek-api"),
        ("https://chatgpt.com/", "warn", "services.chatgpt"),
        ("https://chatgpt.com/backend-anon/conversation", "block", "services.chatgpt-anonymous"),
        ("https://copilot.cloud.microsoft/", "allow", "services.m365-copilot"),
        ("https://m365.cloud.microsoft/chat", "allow", "services.m365-copilot-chat"),
        ("https://api.githubcopilot.com/chat/completions", "block", "training.ai-basics"),
        ("https://github.com/copilot", "block", "training.ai-basics"),
        ("https://github.com/", "passthrough", "catalog"),
        ("https://www.google.com/search?q=x", "passthrough", "catalog"),
    ],
)
def test_default_policy_decisions(url, action, rule):
    loaded = load_policy(DEFAULT_POLICY)
    host, _, rest = url.split("://", 1)[1].partition("/")
    decision = decide(loaded, RequestFacts(host=host, path="/" + rest.split("?")[0]))
    assert (decision.action, decision.rule) == (action, rule)
