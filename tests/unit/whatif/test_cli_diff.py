"""`aigate diff`: the decisions a policy edit moves, per service, category and group."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aigate.catalog import default_catalog
from aigate.classify import Classifier
from aigate.cli import main
from aigate.policy import load_policy, load_policy_text
from aigate.whatif.diff import diff_policies, representative

BASE = """organisation: Acme
version: "1"
contact: {name: IT}
document: {purpose: p, scope: s}
groups:
  engineering: {users: [alice]}
  legal: {users: [bob]}
default: {action: allow, reason: r}
services:
  deepseek: {action: warn, reason: r}
dlp:
  rules:
    - {id: secrets, action: block, classes: [secret]}
"""

DEEPSEEK_BLOCKED = ("deepseek: {action: warn", "deepseek: {action: block")
EXCEPTION = "exceptions:\n  - {id: eng, action: allow, reason: r, groups: [engineering], " \
    "services: [deepseek]}\n"
CHAT_BLOCKED = "categories:\n  chat: {action: block, reason: r}\n"


def edited(*replacements: tuple[str, str], append: str = "") -> str:
    text = BASE
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return text + append


def changes_of(new_text: str) -> list[tuple[str, str, str, tuple[str | None, ...]]]:
    diff = diff_policies(load_policy_text(BASE), load_policy_text(new_text))
    return [(c.service_id, c.transition, c.scope, c.audience) for c in diff.changes]


@pytest.mark.parametrize(
    "new_text, expected",
    [
        (edited(DEEPSEEK_BLOCKED),
         [("deepseek", "warn -> block", "everyone", (None, "engineering", "legal"))]),
        (edited(append=EXCEPTION),
         [("deepseek", "warn -> allow", "group engineering", ("engineering",))]),
        (edited(DEEPSEEK_BLOCKED, append=EXCEPTION),
         [("deepseek", "warn -> allow", "group engineering", ("engineering",)),
          ("deepseek", "warn -> block", "everyone except group engineering", (None, "legal"))]),
        (edited(("  legal: {users: [bob]}\n", "")),  # a group removed changes no decision
         []),
    ],
)
def test_changes_are_reported_per_service_transition_and_audience(new_text, expected):
    assert changes_of(new_text) == expected


def test_a_category_rule_moves_every_service_of_the_category_and_keeps_service_rules():
    changes = changes_of(edited(append=CHAT_BLOCKED))
    chat = {s.id for s in default_catalog().services.values() if s.category == "chat"}
    assert {c[0] for c in changes} == chat - {"deepseek"}
    assert {c[1:3] for c in changes} == {("allow -> block", "everyone")}


def test_settings_and_dlp_ids_are_compared():
    new = edited(('version: "1"', 'version: "2"\nmode: monitor'),
                 ("- {id: secrets, action: block", "- {id: secrets, action: warn"),
                 append="    - {id: cards, action: block, classes: [financial]}\n")
    diff = diff_policies(load_policy_text(BASE), load_policy_text(new))
    assert diff.settings == (("mode", "enforce", "monitor"),)
    assert (diff.dlp_rules.added, diff.dlp_rules.removed, diff.dlp_rules.changed) == (
        ("cards",), (), ("secrets",))
    assert not diff.changes and diff


@pytest.mark.parametrize("service_id", sorted(default_catalog().services))
def test_every_catalog_service_has_a_representative_request_of_its_own(service_id):
    service = default_catalog().get(service_id)
    classifier = Classifier(default_catalog())
    host, path = representative(service, [classifier])
    match = classifier.classify(host, path)
    assert match is not None and match.service.id == service_id, (host, path)


# --- the command ----------------------------------------------------------------------------------


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(BASE)
    new.write_text(edited(DEEPSEEK_BLOCKED, append=EXCEPTION))
    return old, new


def test_text_output_groups_by_category_and_service(pair, capsys):
    assert main(["diff", *map(str, pair)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:4] == [
        "chat:",
        "  deepseek (DeepSeek Chat): warn -> allow for group engineering "
        "[services.deepseek -> exceptions.eng]",
        "  deepseek (DeepSeek Chat): warn -> block for everyone except group engineering",
    ]
    total = len(load_policy(pair[0]).catalog)
    assert out[-1].startswith(f"summary: 1 of {total} services change for someone (2 groups")
    assert "warn -> allow: 1, warn -> block: 1" in out[-1]


def test_json_output_carries_changes_and_summary(pair, capsys):
    assert main(["diff", "--json", *map(str, pair)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["old"]["version"] == "1" and len(report["new"]["sha256"]) == 64
    assert [(c["service"], c["old"], c["new"], c["groups"]) for c in report["changes"]] == [
        ("deepseek", "warn", "allow", ["engineering"]),
        ("deepseek", "warn", "block", [None, "legal"]),
    ]
    assert report["summary"]["services_changed"] == 1
    assert report["summary"]["groups"] == ["engineering", "legal"]


@pytest.mark.parametrize(
    "same, flags, code",
    [(False, [], 0), (False, ["--exit-code"], 1), (True, ["--exit-code"], 0), (True, [], 0)],
)
def test_exit_code_follows_git_diff_only_when_asked(pair, capsys, same, flags, code):
    old, new = pair
    assert main(["diff", *flags, str(old), str(old if same else new)]) == code
    if same:
        assert capsys.readouterr().out.splitlines()[-1] == "no decision changes"


def test_a_policy_that_does_not_load_exits_2_with_its_problems(pair, capsys):
    old, new = pair
    new.write_text(BASE.replace("action: warn", "action: wrn"))
    assert main(["diff", str(old), str(new)]) == 2
    assert f"{new}:10: services.deepseek.action" in capsys.readouterr().err
