import pytest
from aigate.inspect.policy import dlp_action
from aigate.inspect.result import Finding
from aigate.policy.model import Dlp, DlpRule

SECRET = Finding("github_pat", "secret", 0, 40, "validated", "ghp_****", "d1")
CARD = Finding("credit_card", "financial", 0, 16, "validated", "4111 ****", "d2")
EMAIL = Finding("email", "pii", 0, 10, "validated", "j***", "d3")

DLP = Dlp(
    rules=[
        DlpRule(
            id="secrets", action="block", classes=["secret"], reason="No credentials in AI tools."
        ),
        DlpRule(
            id="pii-enterprise",
            action="log",
            classes=["pii", "financial"],
            services=["m365-copilot"],
        ),
        DlpRule(id="pii-legal", action="warn", classes=["pii"], groups=["legal"]),
        DlpRule(id="cards-redact", action="redact", detectors=["credit_card"], categories=["chat"]),
        DlpRule(id="pii", action="block", classes=["pii", "financial"]),
    ],
    default_action="warn",
)


@pytest.mark.parametrize(
    ("findings", "service", "category", "groups", "action", "rule"),
    [
        ([], "chatgpt", "chat", [], "allow", None),
        ([SECRET], "m365-copilot", "chat", [], "block", "secrets"),
        ([EMAIL], "m365-copilot", "productivity", [], "log", "pii-enterprise"),
        ([EMAIL], "chatgpt", "chat", ["legal"], "warn", "pii-legal"),
        ([CARD], "chatgpt", "chat", [], "redact", "cards-redact"),
        ([CARD], "claude-api", "api", [], "block", "pii"),
        ([EMAIL, SECRET], "m365-copilot", "chat", [], "block", "secrets"),
    ],
)
def test_first_matching_rule_per_finding_and_the_most_severe_wins(
    findings, service, category, groups, action, rule
):
    verdict = dlp_action(DLP, findings, service=service, category=category, groups=groups)
    assert (verdict.action, verdict.rule_id) == (action, rule)


def test_verdict_names_kinds_and_classes_never_values():
    verdict = dlp_action(DLP, [SECRET, EMAIL], service="chatgpt")
    assert verdict.kinds == ("email", "github_pat")
    assert verdict.classes == ("pii", "secret")
    assert verdict.reason == "No credentials in AI tools."


def test_default_action_applies_when_no_rule_matches():
    verdict = dlp_action(Dlp(default_action="log"), [EMAIL])
    assert (verdict.action, verdict.rule_id) == ("log", "dlp.default_action")


@pytest.mark.parametrize(
    ("dlp", "kwargs", "action", "rule"),
    [
        (Dlp(), {"oversize": True}, "block", "dlp.on_oversize"),
        (Dlp(on_oversize="log"), {"oversize": True}, "log", "dlp.on_oversize"),
        (Dlp(), {"unscanned": ["image"]}, "log", "dlp.on_unscanned"),
        (Dlp(on_unscanned="block"), {"unscanned": ["encrypted PDF"]}, "block", "dlp.on_unscanned"),
    ],
)
def test_oversize_and_unscanned_content_follow_the_policy(dlp, kwargs, action, rule):
    verdict = dlp_action(dlp, [], **kwargs)
    assert (verdict.action, verdict.rule_id) == (action, rule)


def test_disabled_dlp_allows_everything():
    assert dlp_action(Dlp(enabled=False), [SECRET]).action == "allow"


@pytest.mark.parametrize(
    ("confidence", "action", "rule"),
    [
        ("validated", "block", "sure-pii"),
        ("context", "block", "sure-pii"),
        ("pattern", "log", "dlp.default_action"),
        ("low", "log", "dlp.default_action"),
    ],
)
def test_a_finding_below_a_rules_min_confidence_falls_through_to_the_default(
    confidence, action, rule
):
    dlp = Dlp(
        rules=[DlpRule(id="sure-pii", action="block", classes=["pii"], min_confidence="context")],
        default_action="log",
    )
    finding = Finding("ca_sin", "pii", 0, 11, confidence, "***", "d")
    verdict = dlp_action(dlp, [finding], service="chatgpt", category="chat")
    assert (verdict.action, verdict.rule_id) == (action, rule)


def test_a_rule_without_min_confidence_takes_every_finding_but_low_ones():
    dlp = Dlp(rules=[DlpRule(id="pii", action="block", classes=["pii"])], default_action="log")
    low = Finding("ca_sin", "pii", 0, 11, "low", "***", "d")
    pattern = Finding("ipv4_address", "pii", 0, 11, "pattern", "***", "d")
    assert dlp_action(dlp, [low]).action == "log"
    assert dlp_action(dlp, [pattern]).action == "block"
