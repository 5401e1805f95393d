"""Each service the report counts gets the catalog's facts and its status in the policy, decided
by the proxy's own `decide` with no group."""

from __future__ import annotations

import pytest
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.policy.load import load_policy_text
from aigate.report.services import NO_INFO, describe_services


@pytest.fixture(scope="module")
def policy():
    return load_policy(DEFAULT_POLICY)


@pytest.mark.parametrize(
    ("key", "status", "decision"),
    [
        ("m365-copilot-chat", "approved", "services.m365-copilot-chat: allow"),
        ("chatgpt", "caution", "services.chatgpt: warn"),
        ("deepseek", "blocked", "services.deepseek: block"),
        ("microsoft-copilot", "blocked", "services.microsoft-copilot: redirect"),
        # named nowhere: falls to a risk rule, whatever that rule decides
        ("claude", "not in policy", "risk_rules.trains-on-inputs: warn"),
        ("otter", "not in policy", "risk_rules.meeting-recorders: block"),
        # a training gate lets trained people through: the service stays approved
        ("github-copilot", "approved",
         "services.github-copilot (requires training.ai-basics): allow"),
        # unlisted endpoints are decided as the policy's pseudo-service
        ("unlisted:llm.lab.corp.example", "caution", "services.unlisted-ai-endpoint: warn"),
        ("no-such-service", "not in policy", None),
    ],
)
def test_policy_status_is_the_policys_decision_with_no_group(policy, key, status, decision):
    info = describe_services(policy, [key])[key]
    assert (info.status, info.decision) == (status, decision)


def test_catalog_facts_name_vendor_risk_and_jurisdiction(policy):
    deepseek = describe_services(policy, ["deepseek"])["deepseek"]
    assert (deepseek.name, deepseek.vendor, deepseek.risk, deepseek.jurisdiction) == (
        "DeepSeek Chat", "DeepSeek", "high", "CN")
    assert deepseek.risky and deepseek.risk_reason


def test_an_exception_for_some_group_does_not_change_the_status_with_no_group():
    policy = load_policy_text("""
organisation: Acme
version: "1"
contact: {name: IT}
document: {purpose: p, scope: s}
groups:
  engineering: {users: [alice]}
default: {action: block, reason: not approved}
exceptions:
  - id: eng-claude
    groups: [engineering]
    services: [claude]
    action: allow
    reason: pilot
""")
    info = describe_services(policy, ["claude"])["claude"]
    assert (info.status, info.decision) == ("blocked", "default: block")


def test_without_a_policy_there_is_no_status():
    assert describe_services(None, ["chatgpt"]) == {"chatgpt": NO_INFO}
