"""A stricter rule that an earlier, more lenient rule keeps from applying is reported by
`aigate check`, naming both rules and the services; the shipped policies have none."""

from __future__ import annotations

from pathlib import Path

import pytest
from aigate.cli import main
from aigate.policy import DEFAULT_POLICY, load_policy, load_policy_text
from aigate.policy.shadow import shadowed_rules

BASE = """organisation: Acme
version: "1"
contact: {name: IT}
document: {purpose: p, scope: s}
default: {action: warn, reason: r}
"""
LENIENT_FIRST = """risk_rules:
  - {id: trains, action: warn, reason: r, when: {trains_on_inputs: true}}
categories:
  meeting: {action: block, reason: r}
"""


def test_a_lenient_risk_rule_before_a_stricter_category_is_reported_with_the_services():
    (shadow,) = shadowed_rules(load_policy_text(BASE + LENIENT_FIRST, "p.yaml"))
    assert (shadow.rule, shadow.rule_action) == ("categories.meeting", "block")
    assert (shadow.by, shadow.by_action) == ("risk_rules.trains", "warn")
    assert "otter" in shadow.services
    assert "never applies to" in shadow.message() and "otter" in shadow.message()


def test_a_stricter_rule_first_or_a_services_own_rule_is_not_reported():
    stricter_first = LENIENT_FIRST.replace("action: warn", "action: block").replace(
        "{action: block, reason: r}", "{action: warn, reason: r}"
    )
    assert shadowed_rules(load_policy_text(BASE + stricter_first, "p.yaml")) == []
    loaded = load_policy_text(BASE + LENIENT_FIRST, "p.yaml")
    own = {s for (shadow,) in [shadowed_rules(loaded)] for s in shadow.services}
    pinned = "services:\n" + "".join(f"  {s}: {{action: warn, reason: r}}\n" for s in own)
    assert shadowed_rules(load_policy_text(BASE + LENIENT_FIRST + pinned, "p.yaml")) == []


def test_check_warns_at_the_shadowed_rules_line_and_still_passes(tmp_path: Path, capsys):
    policy = tmp_path / "p.yaml"
    policy.write_text(BASE + LENIENT_FIRST)
    assert main(["check", str(policy)]) == 0
    err = capsys.readouterr().err
    assert f"{policy}:9: warning: categories.meeting (block) never applies to" in err
    assert "risk_rules.trains (warn) decides first" in err


@pytest.mark.parametrize(
    "name",
    [
        "default.yaml",
        "examples/strict-lockdown.yaml",
        "examples/engineering-exceptions.yaml",
        "examples/monitor-audit.yaml",
    ],
)
def test_the_shipped_policies_have_no_shadowed_rule(name):
    assert shadowed_rules(load_policy(DEFAULT_POLICY.parent / name)) == []


def test_meeting_recorders_are_blocked_even_when_they_train_on_what_they_hear():
    loaded = load_policy(DEFAULT_POLICY)
    meeting = [s for s in loaded.catalog.services.values() if s.category == "meeting"]
    assert any(s.trains_on_inputs is True for s in meeting)
    for service in meeting:
        if service.id not in loaded.policy.services:
            assert loaded.base_resolution(service).rule.action == "block", service.id
