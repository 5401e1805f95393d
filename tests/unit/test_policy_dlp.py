"""The policy's `dlp:` section: every mistake the scanner build or the DLP rules would trip over is
reported by `aigate check` with file, line, key path and a fix; the shipped policies' DLP sections
are valid, give reasons, build a scanner and map data to the actions they promise."""

from __future__ import annotations

from pathlib import Path

import pytest
from aigate.cli import main
from aigate.inspect import build_scanner, dlp_action
from aigate.inspect.custom import edm_digest
from aigate.inspect.result import Finding
from aigate.policy import DEFAULT_POLICY, SHIPPED_DIR, PolicyError, Problem, load_policy
from aigate.policy.load import load_policy_text

# Seven lines; each snippet starts on line 8.
BASE = """organisation: Acme
version: "1"
contact: {name: IT}
document: {purpose: p, scope: s}
default: {action: warn, reason: r}
groups:
  engineering: {users: [alice]}
"""
FIRST = 8
SHIPPED = sorted(p for p in SHIPPED_DIR.rglob("*.yaml") if not p.name.endswith(".cases.yaml"))


def problems(snippet: str, base_dir: Path | None = None) -> list[Problem]:
    with pytest.raises(PolicyError) as info:
        load_policy_text(BASE + snippet, "policy.yaml", base_dir=base_dir)
    return info.value.problems


def rules(*lines: str) -> str:
    return "dlp:\n  rules:\n" + "".join(f"    - {line}\n" for line in lines)


@pytest.mark.parametrize(
    ("snippet", "line", "key_path", "message"),
    [
        (
            "dlp:\n  detectors: [credit_crd]\n",
            1,
            "dlp.detectors[0]",
            "unknown detector 'credit_crd': did you mean 'credit_card'?",
        ),
        (
            "dlp:\n  disabled_detectors:\n    - ipv4_adress\n",
            2,
            "dlp.disabled_detectors[0]",
            "unknown detector 'ipv4_adress': did you mean 'ipv4_address'?",
        ),
        (
            "dlp:\n  detectors: [zzzzzz]\n",
            1,
            "dlp.detectors[0]",
            "unknown detector 'zzzzzz'; `aigate scan --list` lists the built-in detector ids",
        ),
        (
            rules("{id: a, action: block, detectors: [aws_key_id]}"),
            2,
            "dlp.rules[0].detectors[0]",
            "unknown detector 'aws_key_id': did you mean 'aws_access_key_id'?",
        ),
        (
            "dlp:\n  keywords: [{id: code-names, words: [Falcon]}]\n"
            "  rules: [{id: a, action: block, detectors: [code-name]}]\n",
            2,
            "dlp.rules[0].detectors[0]",
            "unknown detector 'code-name': did you mean 'code-names'?",
        ),
        (
            rules("{id: a, action: block, classes: [secrets]}"),
            2,
            "dlp.rules[0].classes[0]",
            "'secrets' is not one of pii, financial, secret, confidential, custom; "
            "did you mean 'secret'?",
        ),
        (
            rules("{id: a, action: blok, classes: [secret]}"),
            2,
            "dlp.rules[0].action",
            "did you mean 'block'?",
        ),
        (
            rules("{id: a, action: block, services: [chatgtp]}"),
            2,
            "dlp.rules[0].services[0]",
            "unknown service 'chatgtp': did you mean 'chatgpt'?",
        ),
        (
            rules("{id: a, action: block, categories: [chats]}"),
            2,
            "dlp.rules[0].categories[0]",
            "unknown category 'chats': did you mean 'chat'?",
        ),
        (
            rules("{id: a, action: block, groups: [enginering]}"),
            2,
            "dlp.rules[0].groups[0]",
            "unknown group 'enginering': did you mean 'engineering'?",
        ),
        (
            rules(
                "{id: a, action: block, classes: [pii]}", "{id: a, action: log, classes: [secret]}"
            ),
            3,
            "dlp.rules[1].id",
            "duplicate id 'a' (also at index 0)",
        ),
        (
            "dlp:\n  patterns:\n    - id: ticket\n      pattern: 'TCK-(?=[0-9])'\n",
            3,
            "dlp.patterns[0].pattern",
            "is not valid RE2 (invalid perl operator: (?=); RE2 has no look-around",
        ),
        (
            "dlp:\n  patterns:\n    - {id: ticket, pattern: '(a)\\1'}\n",
            2,
            "dlp.patterns[0].pattern",
            "is not valid RE2 (invalid escape sequence: \\1)",
        ),
        (
            "dlp:\n  patterns:\n    - {id: ticket, pattern: '[0-9]*'}\n",
            2,
            "dlp.patterns[0].pattern",
            "matches empty text, so it would flag every prompt",
        ),
        (
            "dlp:\n  exact_match:\n    - {id: ids, file: ids.edm, pattern: 'C-[0-9'}\n",
            2,
            "dlp.exact_match[0].pattern",
            "is not valid RE2 (missing ]",
        ),
        (
            "dlp:\n  keywords:\n    - id: code-names\n      words: []\n",
            3,
            "dlp.keywords[0].words",
            "is empty; give at least 1 entry",
        ),
        (
            "dlp:\n  keywords:\n    - id: code-names\n      words: [Falcon, '  ']\n",
            3,
            "dlp.keywords[0].words[1]",
            "blank word; remove it or write the word or phrase",
        ),
        (
            "dlp:\n  keywords:\n    - {id: email, words: [Falcon]}\n",
            2,
            "dlp.keywords[0].id",
            "'email' is a built-in detector id; choose another id",
        ),
        (
            "dlp:\n  keywords: [{id: names, words: [Falcon]}]\n"
            "  patterns: [{id: names, pattern: 'X-[0-9]+'}]\n",
            2,
            "dlp.patterns[0].id",
            "duplicate detector id 'names'",
        ),
        (
            "dlp:\n  keywords: [{id: names, words: [Falcon]}]\n  detectors: [names]\n",
            2,
            "dlp.detectors[0]",
            "'names' is a custom detector; custom detectors always run",
        ),
        (
            "dlp:\n  detectors: [email]\n  disabled_detectors: [email]\n",
            2,
            "dlp.disabled_detectors[0]",
            "'email' is also listed in dlp.detectors",
        ),
        (
            "dlp:\n  disabled_detectors: [email]\n"
            "  rules: [{id: a, action: block, detectors: [email]}]\n",
            2,
            "dlp.rules[0].detectors[0]",
            "detector 'email' is turned off by dlp.detectors or dlp.disabled_detectors",
        ),
        (
            "dlp:\n  exact_match:\n    - {id: ids, file: missing.edm}\n",
            2,
            "dlp.exact_match[0].file",
            "missing.edm' not found; paths are relative to the policy file",
        ),
        (
            "dlp:\n  exact_match:\n    - {id: ids, file: ids.edm, key_env: EDM KEY}\n",
            2,
            "dlp.exact_match[0].key_env",
            "'EDM KEY' is not an environment variable name",
        ),
    ],
)
def test_dlp_mistake_names_line_key_and_fix(tmp_path, snippet, line, key_path, message):
    (tmp_path / "ids.edm").write_text(edm_digest(b"k", "C-00000001") + "\n")
    found = problems(snippet, tmp_path)
    assert len(found) == 1, found
    problem = found[0]
    assert (problem.file, problem.line, problem.key_path) == ("policy.yaml", FIRST + line, key_path)
    assert message in problem.message


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("{id: a, action: block, classes: [secret]}", "{id: b, action: redact, classes: [secret]}"),
        (
            "{id: a, action: block, classes: [secret]}",
            "{id: b, action: redact, classes: [secret], groups: [engineering]}",
        ),
        (
            "{id: a, action: block, classes: [financial]}",
            "{id: b, action: redact, detectors: [credit_card], services: [chatgpt]}",
        ),
        (
            "{id: a, action: log, classes: [pii], categories: [chat]}",
            "{id: b, action: block, classes: [pii], services: [chatgpt, claude]}",
        ),
        (
            "{id: a, action: block, reason: everything}",
            "{id: b, action: log, classes: [pii], services: [m365-copilot]}",
        ),
        (
            "{id: a, action: block, classes: [pii, secret], groups: [engineering]}",
            "{id: b, action: warn, classes: [pii], groups: [engineering]}",
        ),
    ],
)
def test_a_dlp_rule_covered_by_an_earlier_one_is_an_error(earlier, later):
    found = problems(rules(earlier, later))
    assert [(p.line, p.key_path) for p in found] == [(FIRST + 3, "dlp.rules[1]")]
    assert found[0].message.startswith("never applies: dlp.rules[0] 'a' matches every finding")
    assert "move this rule above it" in found[0].message


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        (
            "{id: a, action: redact, classes: [secret], groups: [engineering]}",
            "{id: b, action: block, classes: [secret]}",
        ),
        (
            "{id: a, action: log, classes: [pii], services: [m365-copilot]}",
            "{id: b, action: block, classes: [pii]}",
        ),
        (
            "{id: a, action: block, detectors: [credit_card]}",
            "{id: b, action: warn, classes: [financial]}",
        ),
        (
            "{id: a, action: block, classes: [pii], services: [chatgpt]}",
            "{id: b, action: warn, classes: [pii], categories: [chat]}",
        ),
        (
            "{id: a, action: block, classes: [pii], groups: [engineering]}",
            "{id: b, action: warn, classes: [pii]}",
        ),
    ],
)
def test_a_narrower_rule_before_a_broader_one_is_valid(earlier, later):
    loaded = load_policy_text(BASE + rules(earlier, later), "policy.yaml")
    assert [rule.id for rule in loaded.policy.dlp.rules] == ["a", "b"]


def test_all_dlp_problems_are_reported_at_once():
    snippet = (
        "dlp:\n"
        "  detectors: [credit_crd]\n"
        "  patterns: [{id: p, pattern: '(?<=x)y'}]\n"
        "  rules:\n"
        "    - {id: a, action: block, classes: [secret], services: [chatgtp]}\n"
        "    - {id: b, action: block, classes: [secret], services: [chatgtp]}\n"
    )
    found = problems(snippet)
    assert [(p.line - FIRST, p.key_path) for p in found] == [
        (1, "dlp.detectors[0]"),
        (2, "dlp.patterns[0].pattern"),
        (4, "dlp.rules[0].services[0]"),
        (5, "dlp.rules[1].services[0]"),
        (5, "dlp.rules[1]"),
    ]


def test_digest_file_resolves_against_the_policy_file_not_the_cwd(tmp_path, monkeypatch):
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "ids.edm").write_text(edm_digest(b"k", "C-00000001") + "\n")
    policy = folder / "policy.yaml"
    policy.write_text(BASE + "dlp:\n  exact_match:\n    - {id: ids, file: ids.edm}\n")
    monkeypatch.chdir(tmp_path)
    loaded = load_policy(policy)
    monkeypatch.setenv(loaded.policy.dlp.exact_match[0].key_env, "k")
    scanner = build_scanner(loaded.policy.dlp, policy.parent)
    assert [f.detector for f in scanner.scan("customer C-00000001 called")] == ["ids"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "has no digests, so nothing can match"),
        ("# comment only\n", "has no digests, so nothing can match"),
        ("not-a-digest\n", "ids.edm:1: expected a 64-character hex HMAC-SHA256 digest"),
    ],
)
def test_unusable_digest_file_is_reported(tmp_path, content, message):
    (tmp_path / "ids.edm").write_text(content)
    found = problems("dlp:\n  exact_match:\n    - {id: ids, file: ids.edm}\n", tmp_path)
    assert [(p.line, p.key_path) for p in found] == [(FIRST + 2, "dlp.exact_match[0].file")]
    assert message in found[0].message


def test_check_prints_dlp_problems_as_file_line_lines(tmp_path, capsys):
    policy = tmp_path / "p.yaml"
    policy.write_text(BASE + rules("{id: a, action: block, detectors: [github_pta]}"))
    assert main(["check", str(policy)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{policy}:{FIRST + 2}: dlp.rules[0].detectors[0]: unknown detector 'github_pta': "
        "did you mean 'github_pat'?"
    ) in err


def test_a_policy_that_passes_check_builds_its_scanner(tmp_path, monkeypatch):
    """The scanner build is never the first place a policy mistake shows up."""
    (tmp_path / "ids.edm").write_text(edm_digest(b"k", "C-00000001") + "\n")
    snippet = (
        "dlp:\n"
        "  disabled_detectors: [mac_address]\n"
        "  keywords: [{id: names, words: [Project Falcon, 'C++', '#ops'], case_sensitive: true}]\n"
        "  patterns: [{id: ticket, pattern: '\\bTCK-[0-9]{6}\\b', context: [ticket]}]\n"
        "  exact_match: [{id: ids, file: ids.edm, pattern: '\\bC-[0-9]{8}\\b'}]\n"
        "  rules: [{id: a, action: block, detectors: [names, ticket, ids, credit_card]}]\n"
    )
    loaded = load_policy_text(BASE + snippet, "policy.yaml", base_dir=tmp_path)
    monkeypatch.setenv("AIGATE_EDM_KEY", "k")
    scanner = build_scanner(loaded.policy.dlp, tmp_path)
    found = {f.detector for f in scanner.scan("ticket TCK-123456 for C-00000001 re Project Falcon")}
    assert found == {"names", "ticket", "ids"}


# The shipped policies


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_dlp_rules_give_reasons_and_build_a_scanner(path):
    loaded = load_policy(path)
    dlp = loaded.policy.dlp
    assert dlp.enabled
    assert all(rule.reason.strip() for rule in dlp.rules)
    assert build_scanner(dlp, path.parent).detectors


def finding(detector: str, data_class: str) -> Finding:
    return Finding(detector, data_class, 0, 4, "validated", "****", "d")


SECRET = finding("aws_access_key_id", "secret")
CARD = finding("credit_card", "financial")
EMAIL = finding("email", "pii")
MARKING = finding("confidential_marking", "confidential")
CODE_NAME = finding("code-names", "confidential")
CUSTOM = finding("ticket", "custom")


DEFAULT, AUDIT = "default.yaml", "examples/monitor-audit.yaml"
STRICT, ENG = "examples/strict-lockdown.yaml", "examples/engineering-exceptions.yaml"
ENGINEER = ["engineering"]


@pytest.mark.parametrize(
    ("policy", "found", "service", "category", "groups", "action", "rule"),
    [
        (DEFAULT, SECRET, "m365-copilot", "chat", [], "block", "secrets"),
        (DEFAULT, SECRET, "openai-api", "api", ENGINEER, "block", "secrets"),
        (DEFAULT, CARD, "m365-copilot", "chat", [], "block", "payment-and-bank-data"),
        (DEFAULT, CARD, "chatgpt", "chat", [], "block", "payment-and-bank-data"),
        (DEFAULT, EMAIL, "m365-copilot", "chat", [], "log", "enterprise-assistant"),
        (DEFAULT, EMAIL, "m365-copilot-chat", "chat", [], "log", "enterprise-assistant"),
        (DEFAULT, MARKING, "m365-copilot", "chat", [], "log", "enterprise-assistant"),
        (DEFAULT, EMAIL, "openai-api", "api", [], "redact", "personal-data-apis"),
        (DEFAULT, EMAIL, "github-copilot", "coding", [], "redact", "personal-data-apis"),
        (DEFAULT, EMAIL, "chatgpt", "chat", [], "block", "personal-data"),
        (DEFAULT, MARKING, "chatgpt", "chat", [], "block", "confidential"),
        (DEFAULT, CODE_NAME, "openai-api", "api", [], "block", "confidential"),
        (DEFAULT, CUSTOM, "chatgpt", "chat", [], "log", "dlp.default_action"),
        (AUDIT, SECRET, "chatgpt", "chat", [], "log", "dlp.default_action"),
        (STRICT, EMAIL, "m365-copilot", "chat", [], "block", "no-sensitive-data"),
        (STRICT, CUSTOM, "m365-copilot", "chat", [], "block", "no-sensitive-data"),
        (ENG, SECRET, "cursor", "coding", ENGINEER, "redact", "engineering-coding-secrets"),
        (ENG, SECRET, "cursor", "coding", [], "block", "secrets"),
        (ENG, SECRET, "chatgpt", "chat", ENGINEER, "block", "secrets"),
        (ENG, EMAIL, "openai-api", "api", ENGINEER, "redact", "personal-data-apis"),
        (ENG, EMAIL, "openai-api", "api", [], "block", "personal-data"),
    ],
)
def test_shipped_policy_maps_data_to_actions(
    policy, found, service, category, groups, action, rule
):
    dlp = load_policy(SHIPPED_DIR / policy).policy.dlp
    verdict = dlp_action(dlp, [found], service=service, category=category, groups=groups)
    assert (verdict.action, verdict.rule_id) == (action, rule)


def test_default_policy_blocks_its_code_names_and_markings_but_not_ordinary_text():
    loaded = load_policy(DEFAULT_POLICY)
    scanner = build_scanner(loaded.policy.dlp, DEFAULT_POLICY.parent)
    text = "Status of project falcon? The deck says INTERNAL ONLY. Birds: a falcon and a kestrel."
    assert sorted(f.detector for f in scanner.scan(text)) == ["code-names", "confidential_marking"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_policies_block_oversize_bodies_except_the_audit(path):
    dlp = load_policy(path).policy.dlp
    verdict = dlp_action(dlp, [], unscanned=["encrypted PDF"], oversize=True)
    expected = "log" if path.name == "monitor-audit.yaml" else "block"
    assert verdict.action == expected
