"""The decision engine: the documented precedence, training gates, monitor mode, the trace."""

from __future__ import annotations

from pathlib import Path

import pytest
from aigate.catalog import Catalog, load_catalog
from aigate.decide import Alternative, RequestFacts, decide
from aigate.policy import LoadedPolicy, load_policy_text

CATALOG_FILE = Path(__file__).with_name("test_policy_catalog.yaml")

POLICY = """
organisation: Acme
version: "7"
contact: {name: IT}
document: {purpose: p, scope: s}
groups:
  engineering: {users: [alice, bob], cidrs: [10.20.0.0/16, "2001:db8::/32"]}
  research: {users: [dora]}
training:
  ai-basics:
    name: AI basics
    url: https://learn.acme.example/ai
    completed_by: {users: [alice], groups: [research]}
default: {action: warn, reason: not reviewed}
services:
  deepseek:
    action: block
    reason: stores prompts in China
    alternatives: [{service: m365-copilot}, {name: Intranet GPT, url: "https://gpt.acme.example/"}]
  chatgpt: {action: warn, reason: consumer plan}
  chatgpt-anonymous:
    action: redirect
    reason: sign in first
    redirect_to: https://chatgpt.com/auth/login
  m365-copilot: {action: allow, reason: approved}
  github-copilot: {action: allow, reason: licensed, requires_training: ai-basics}
risk_rules:
  - {id: excluded, action: block, reason: excluded jurisdiction, when: {jurisdiction: [CN, RU]}}
  - {id: trains, action: warn, reason: may train on inputs, when: {trains_on_inputs: true}}
categories:
  image: {action: block, reason: licensing}
  meeting: {action: block, reason: consent}
exceptions:
  - {id: research-chat, groups: [research], categories: [chat], action: allow, reason: research}
  - {id: eng-deepseek-api, groups: [engineering], services: [deepseek-api], action: allow,
     reason: benchmarking, requires_training: ai-basics}
  - {id: eng-chat, groups: [engineering], categories: [chat], action: warn, reason: eng chat}
"""


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([CATALOG_FILE])


@pytest.fixture(scope="module")
def policy(catalog: Catalog) -> LoadedPolicy:
    return load_policy_text(POLICY, "policy.yaml", catalog=catalog)


def facts(policy: LoadedPolicy, url: str, user: str | None = None, ip: str | None = None):
    host, _, path = url.partition("/")
    return RequestFacts(
        host=host, path="/" + path, user=user, groups=policy.groups_for(user, ip), client_ip=ip
    )


@pytest.mark.parametrize(
    ("url", "user", "ip", "action", "rule"),
    [
        # services.<id> beats risk rules and the default
        ("chat.deepseek.com/", None, None, "block", "services.deepseek"),
        ("chatgpt.com/", None, None, "warn", "services.chatgpt"),
        ("m365.cloud.microsoft/chat", None, None, "allow", "services.m365-copilot"),
        # a path-specific service on a shared host
        ("chatgpt.com/backend-anon/conversation", None, None, "redirect",
         "services.chatgpt-anonymous"),
        # risk rules in file order: jurisdiction before trains_on_inputs
        ("kimi.com/", None, None, "block", "risk_rules.excluded"),
        ("api.deepseek.com/v1/chat/completions", None, None, "block", "risk_rules.excluded"),
        # risk rules beat categories; categories beat the default
        ("www.midjourney.com/imagine", None, None, "warn", "risk_rules.trains"),
        ("firefly.adobe.com/", None, None, "block", "categories.image"),
        ("otter.ai/", None, None, "block", "categories.meeting"),
        ("chat.mistral.ai/", None, None, "warn", "default"),
        # exceptions for the requester's groups beat everything, by user or by network
        ("api.deepseek.com/v1/chat/completions", "alice", None, "allow",
         "exceptions.eng-deepseek-api"),
        ("chat.deepseek.com/", "dora", None, "allow", "exceptions.research-chat"),
        ("chat.mistral.ai/", None, "10.20.4.5", "warn", "exceptions.eng-chat"),
        ("chat.deepseek.com/", None, "2001:db8::7", "warn", "exceptions.eng-chat"),
        # first exception in file order wins for someone in two groups
        ("chat.deepseek.com/", "dora", "10.20.4.5", "allow", "exceptions.research-chat"),
        # training gates: completed by user or by group; others are blocked
        ("github.com/copilot", "alice", None, "allow", "services.github-copilot"),
        ("github.com/copilot", "bob", None, "block", "training.ai-basics"),
        ("github.com/copilot", None, None, "block", "training.ai-basics"),
        ("api.deepseek.com/v1/chat/completions", "bob", None, "block", "training.ai-basics"),
        # not AI: passthrough
        ("github.com/", None, None, "passthrough", "catalog"),
        ("www.example.org/", "alice", None, "passthrough", "catalog"),
    ],
)
def test_precedence(policy, url, user, ip, action, rule):
    decision = decide(policy, facts(policy, url, user, ip))
    assert (decision.action, decision.rule) == (action, rule)
    assert decision.enforced


def test_training_block_names_the_training_and_its_url(policy):
    decision = decide(policy, facts(policy, "github.com/copilot", "bob"))
    assert "AI basics" in decision.reason
    assert "https://learn.acme.example/ai" in decision.reason
    assert decision.trace[-1] == "training.ai-basics: not completed: block"


def test_alternatives_resolve_to_catalog_names_and_urls(policy):
    decision = decide(policy, facts(policy, "chat.deepseek.com/"))
    assert decision.reason == "stores prompts in China"
    assert decision.alternatives == (
        Alternative("Microsoft 365 Copilot", "https://m365.cloud.microsoft/chat", "m365-copilot"),
        Alternative("Intranet GPT", "https://gpt.acme.example/", None),
    )


def test_redirect_carries_the_url(policy):
    decision = decide(policy, facts(policy, "chatgpt.com/backend-anon/me"))
    assert decision.redirect_url == "https://chatgpt.com/auth/login"
    assert decide(policy, facts(policy, "chatgpt.com/")).redirect_url is None


@pytest.mark.parametrize(
    ("url", "user", "trace"),
    [
        ("chat.deepseek.com/", None, ("exceptions: no match", "services.deepseek: block")),
        (
            "chat.mistral.ai/",
            None,
            (
                "exceptions: no match",
                "services.mistral-le-chat: not set",
                "risk_rules.excluded: no match",
                "risk_rules.trains: no match",
                "categories.chat: not set",
                "default: warn",
            ),
        ),
        (
            "chat.deepseek.com/",
            "dora",
            ("exceptions.research-chat: allow (overrides services.deepseek: block)",),
        ),
        (
            "github.com/copilot",
            "alice",
            (
                "exceptions: no match",
                "services.github-copilot: allow",
                "training.ai-basics: completed",
            ),
        ),
        ("github.com/", None, ("catalog: not an AI service",)),
    ],
)
def test_trace_lists_every_step_considered(policy, url, user, trace):
    assert decide(policy, facts(policy, url, user)).trace == trace


def test_monitor_mode_decides_the_same_but_does_not_enforce(catalog, policy):
    monitor = load_policy_text(
        POLICY.replace('version: "7"', 'version: "7"\nmode: monitor'), catalog=catalog
    )
    for url in ("chat.deepseek.com/", "chatgpt.com/", "github.com/copilot", "github.com/"):
        enforced = decide(policy, facts(policy, url))
        recorded = decide(monitor, facts(monitor, url))
        assert (recorded.action, recorded.rule) == (enforced.action, enforced.rule)
        assert not recorded.enforced
    assert decide(monitor, facts(monitor, "chatgpt.com/")).trace[-1].startswith("mode: monitor")


@pytest.mark.parametrize(
    "host", ["CHAT.DeepSeek.com", "chat.deepseek.com.", "chat.deepseek.com:443"]
)
def test_host_is_normalized_before_classification(policy, host):
    assert decide(policy, RequestFacts(host=host)).rule == "services.deepseek"


def test_groups_come_from_the_facts_not_the_user_name(policy):
    """decide() is pure: group membership is resolved once by the caller (identify)."""
    facts_without_groups = RequestFacts(host="chat.deepseek.com", user="dora")
    assert decide(policy, facts_without_groups).rule == "services.deepseek"
