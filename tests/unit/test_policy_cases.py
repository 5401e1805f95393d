"""`aigate test`: cases files load with file:line problems, run through the proxy's decision and
inspection steps, and report failures as `FILE:LINE: case NAME: expected ..., got ...`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from aigate.cli.policytest import evaluate
from aigate.policy import DEFAULT_POLICY, SHIPPED_DIR, load_policy
from aigate.policy.cases import CasesError, check_names, load_cases, mismatches

SHIPPED_CASES = sorted((SHIPPED_DIR / "tests").glob("*.cases.yaml"))
DEFAULT = load_policy(DEFAULT_POLICY)
AWS_KEY = "AKIAZ3MHALWQ7VRUDJ4X"  # shaped like a key id, not AWS's documentation example
AWS_KEY_DETECTOR = "aws_access_key_id"
OLLAMA_CHAT = f"{{model: llama3, messages: [{{role: user, content: 'key {AWS_KEY}'}}]}}"


def write(tmp_path: Path, text: str, name: str = "t.cases.yaml") -> Path:
    path = tmp_path / name
    path.write_text(f"policy: {DEFAULT_POLICY}\n{text}")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    try:
        cases = load_cases(write(tmp_path, text))
    except CasesError as e:
        return [str(p) for p in e.problems]
    return [str(p) for p in check_names(cases, DEFAULT)]


# --- loading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "cases:\n  - name: a\n    url: https://chatgpt.com/\n    methd: GET\n"
            "    expect: {action: warn}\n",
            "t.cases.yaml:5: cases[0]: unknown key 'methd'; did you mean 'method'?",
        ),
        (
            "cases:\n  - name: a\n    url: https://chatgpt.com/\n    expect:\n      acton: warn\n",
            "t.cases.yaml:6: cases[0].expect: unknown key 'acton'; did you mean 'action'?",
        ),
        (
            "cases:\n  - name: a\n    url: https://chatgpt.com/\n    expect: {action: blok}\n",
            "t.cases.yaml:5: cases[0].expect.action: 'blok' is not one of allow, warn, block, "
            "redirect, passthrough, redact; did you mean 'block'?",
        ),
        ("cases: []\n", "t.cases.yaml:2: cases: is empty; give at least 1 entry"),
        (
            "cases:\n  - url: https://chatgpt.com/\n    expect: {action: warn}\n",
            "t.cases.yaml:3: cases[0]: missing required key 'name'",
        ),
        (
            "cases:\n  - name: a\n    url: https://chatgpt.com/\n    expect: {}\n",
            "t.cases.yaml:5: cases[0].expect: expects nothing; give at least one of action",
        ),
        (
            "cases:\n  - name: a\n    url: /no/host\n    expect: {action: warn}\n",
            "t.cases.yaml:4: cases[0].url: '/no/host' has no host name",
        ),
        (
            "cases:\n  - name: a\n    url: https://x.test/\n    client_ip: 10.1.1\n"
            "    expect: {action: warn}\n",
            "t.cases.yaml:5: cases[0].client_ip: '10.1.1' is not an IP address",
        ),
        (
            "cases:\n  - name: a\n    url: https://x.test/\n    body: x\n    body_file: b.json\n"
            "    expect: {action: warn}\n",
            "t.cases.yaml:6: cases[0].body_file: give body or body_file, not both",
        ),
        (
            "cases:\n  - name: a\n    url: https://x.test/\n    body_file: missing.json\n"
            "    expect: {action: warn}\n",
            "t.cases.yaml:5: cases[0].body_file: cannot read",
        ),
        (
            "cases:\n  - name: a\n    url: https://x.test/\n    expect: {action: warn}\n"
            "  - name: a\n    url: https://x.test/\n    expect: {action: warn}\n",
            "t.cases.yaml:6: cases[1].name: duplicate case name 'a' (first at line 3)",
        ),
        (
            "cases:\n  - name: a\n    url: https://x.test/\n"
            "    expect: {findings: [email], no_findings: true}\n",
            "t.cases.yaml:5: cases[0].expect.no_findings: give findings or no_findings, not both",
        ),
        ("cases:\n  - name: [a\n", "t.cases.yaml:4: invalid YAML"),
    ],
)
def test_invalid_cases_files_name_file_line_and_fix(tmp_path, monkeypatch, text, expected):
    monkeypatch.chdir(tmp_path)
    found = problems(Path("."), text)
    assert any(p.startswith(expected) for p in found), found


def test_a_cases_file_must_be_a_mapping(tmp_path):
    (tmp_path / "list.cases.yaml").write_text("- name: a\n")
    with pytest.raises(CasesError, match=r"list.cases.yaml:1: a cases file is a mapping"):
        load_cases(tmp_path / "list.cases.yaml")


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("expect: {service: chatgtp}", "'chatgtp' is not a service in the catalog; did you mean "
                                       "'chatgpt'?"),
        ("expect: {rule: services.chatgtp}", "did you mean 'services.chatgpt'?"),
        ("expect: {findings: [emial]}", "'emial' is not a detector or data class; did you mean "
                                        "'email'?"),
        ("expect: {dlp_rule: secret}", "'secret' is not a dlp rule; did you mean 'secrets'?"),
        ("groups: [securty]\n    expect: {action: warn}", "did you mean 'security'?"),
    ],
)
def test_names_the_policy_does_not_know_are_problems(tmp_path, monkeypatch, snippet, expected):
    monkeypatch.chdir(tmp_path)
    found = problems(Path("."), f"cases:\n  - name: a\n    url: https://x.test/\n    {snippet}\n")
    assert len(found) == 1 and found[0].startswith("t.cases.yaml:5: ") and expected in found[0]


@pytest.mark.parametrize(
    "names", [["code-names"], ["confidential", "secret", "pii", "financial"], ["aws_access_key_id"]]
)
def test_custom_detectors_and_data_classes_are_known_names(tmp_path, names):
    assert problems(tmp_path, f"cases:\n  - name: a\n    url: https://x.test/\n"
                              f"    expect: {{findings: {json.dumps(names)}}}\n") == []


def test_mapping_body_is_sent_as_json_and_a_body_defaults_to_post(tmp_path):
    (tmp_path / "prompt.txt").write_text("hello")
    cases = load_cases(write(tmp_path, (
        "cases:\n"
        "  - {name: a, url: https://x.test/, body: {q: 1}, expect: {action: warn}}\n"
        "  - {name: b, url: https://x.test/, body_file: prompt.txt, expect: {action: warn}}\n"
        "  - {name: c, url: https://x.test/, method: put, expect: {action: warn}}\n"
    )))
    a, b, c = cases.cases
    assert (a.body, a.content_type, a.method) == (b'{"q": 1}', "application/json", "POST")
    assert (b.body, b.content_type, b.method) == (b"hello", "text/plain", "POST")
    assert (c.body, c.method, c.line) == (None, "PUT", 5)
    assert cases.policy == DEFAULT_POLICY


# --- running -------------------------------------------------------------------------------


def run_case(tmp_path: Path, case: str) -> list[str]:
    (loaded,) = load_cases(write(tmp_path, f"cases:\n  - name: a\n{case}")).cases
    return mismatches(loaded.spec.expect, evaluate(DEFAULT, loaded))


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("    url: https://chatgpt.com/\n    expect: {action: warn, service: chatgpt}\n", []),
        (
            "    url: https://chatgpt.com/\n    expect: {action: block}\n",
            ["expected action block, got warn (rule services.chatgpt)"],
        ),
        (
            "    url: https://github.com/\n    expect: {service: github-copilot-web}\n",
            ["expected service github-copilot-web, got none"],
        ),
        ("    url: https://github.com/\n    expect: {service: null, action: passthrough}\n", []),
        (
            "    url: https://chat.deepseek.com/\n    user: carol\n"
            "    expect: {rule: services.deepseek}\n",
            ["expected rule services.deepseek, got exceptions.security-research"],
        ),
        (
            "    url: https://github.com/copilot\n    expect: {access: allow}\n",
            ["expected access allow, got block (rule training.ai-basics)"],
        ),
        (
            "    url: https://chatgpt.com/\n    expect: {enforced: false}\n",
            ["expected enforced false, got true (mode enforce)"],
        ),
        (
            f"    url: https://api.openai.com/v1/chat/completions\n"
            f"    body: {{messages: [{{role: user, content: 'key {AWS_KEY}'}}]}}\n"
            f"    expect: {{action: warn}}\n",
            ["expected action warn, got block (dlp rule secrets)"],
        ),
        (
            f"    url: https://api.openai.com/v1/chat/completions\n"
            f"    body: {{messages: [{{role: user, content: 'key {AWS_KEY}'}}]}}\n"
            f"    expect: {{no_findings: true, dlp: allow, dlp_rule: secrets}}\n",
            ["expected no findings, got aws_access_key_id", "expected dlp allow, got block "
             "(rule secrets)"],
        ),
        (
            "    url: https://api.openai.com/v1/chat/completions\n"
            "    body: {messages: [{role: user, content: hello}]}\n"
            "    expect: {findings: [email, secret]}\n",
            ["expected finding email, secret, got none"],
        ),
        (
            f"    url: https://chat.deepseek.com/\n    body: '{AWS_KEY}'\n"
            f"    expect: {{findings: [secret]}}\n",
            ["expected finding secret, got none (body not inspected: the access decision is "
             "block: the body never leaves)"],
        ),
        (
            "    url: https://chatgpt.com/\n    expect: {dlp: block, findings: [pii]}\n",
            ["expected finding pii, got none (the case has no body)",
             "expected dlp block, got none (the case has no body)"],
        ),
        # unlisted AI endpoints, through explain's unlisted-endpoint check
        (
            f"    url: http://10.1.2.3:11434/api/chat\n    body: {OLLAMA_CHAT}\n"
            "    expect: {access: warn, service: unlisted-ai-endpoint, "
            "rule: services.unlisted-ai-endpoint, action: block, dlp_rule: secrets}\n",
            [],
        ),
        (
            f"    url: http://10.1.2.3:11434/api/chat\n    body: {OLLAMA_CHAT}\n"
            f"    content_type: text/plain\n    expect: {{findings: [{AWS_KEY_DETECTOR}]}}\n",
            [],  # the proxy confirms by the body, whatever its content type says
        ),
        (
            "    url: http://10.1.2.3:11434/api/chat\n    body: {query: hi}\n"
            "    expect: {service: unlisted-ai-endpoint}\n",
            ["expected service unlisted-ai-endpoint, got none"],
        ),
        (
            f"    url: https://10.1.2.3/api/chat\n    body: {OLLAMA_CHAT}\n"
            "    expect: {action: warn}\n",
            ["expected action warn, got passthrough (rule catalog: HTTPS to a host aigate does "
             "not decrypt: passed through undecrypted, unseen; add it to inspect_hosts or "
             "inspect_networks to see it (docs/routing.md))"],
        ),
    ],
)
def test_case_outcomes_are_compared_with_the_expectations(tmp_path, case, expected):
    assert run_case(tmp_path, case) == expected


# --- the command ------------------------------------------------------------------------------


def aigate(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aigate", *args], capture_output=True, text=True, timeout=120,
        cwd=cwd,
    )


def test_every_shipped_policy_has_cases():
    policies = sorted(p.stem for p in (SHIPPED_DIR / "examples").glob("*.yaml"))
    assert sorted(p.name.removesuffix(".cases.yaml") for p in SHIPPED_CASES) == sorted(
        ["default", *policies]
    )


@pytest.mark.parametrize("path", SHIPPED_CASES, ids=lambda p: p.name)
def test_shipped_cases_pass(path):
    result = aigate("test", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed, 0 failed" in result.stdout


FAILING = """\
cases:
  - name: chatgpt is warned
    url: https://chatgpt.com/
    expect: {action: warn}
  - name: chatgpt is blocked
    url: https://chatgpt.com/
    expect: {action: block}
"""


def test_failing_case_prints_file_line_expected_and_actual_and_exits_1(tmp_path):
    write(tmp_path, FAILING)
    result = aigate("test", "t.cases.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "t.cases.yaml:6: case chatgpt is blocked: expected action block, got warn "
        "(rule services.chatgpt)",
        "1 passed, 1 failed",
    ]


def test_verbose_lists_passing_cases_and_json_gives_actuals(tmp_path):
    write(tmp_path, FAILING)
    verbose = aigate("test", "-v", "t.cases.yaml", cwd=tmp_path)
    assert "t.cases.yaml:3: case chatgpt is warned: ok (warn, rule services.chatgpt)" in (
        verbose.stdout
    )
    report = json.loads(aigate("test", "--json", "t.cases.yaml", cwd=tmp_path).stdout)
    assert (report["passed"], report["failed"]) == (1, 1)
    case = report["files"][0]["cases"][1]
    assert (case["line"], case["passed"], case["actual"]["action"]) == (6, False, "warn")


def test_policy_option_overrides_the_files_policy(tmp_path):
    write(tmp_path, FAILING)
    strict = SHIPPED_DIR / "examples" / "strict-lockdown.yaml"
    result = aigate("test", "t.cases.yaml", "--policy", str(strict), cwd=tmp_path)
    assert result.returncode == 1
    assert "case chatgpt is warned: expected action warn, got block (rule default)" in result.stdout


def test_invalid_file_exits_2_and_valid_files_still_run(tmp_path):
    write(tmp_path, FAILING)
    bad = "cases:\n  - name: a\n    url: https://x.test/\n    expct: {}\n"
    write(tmp_path, bad, "bad.cases.yaml")
    result = aigate("test", "bad.cases.yaml", "t.cases.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.cases.yaml:5: cases[0]: unknown key 'expct'; did you mean 'expect'?" in (
        result.stderr
    )
    assert "1 passed, 1 failed, 1 problem in the files" in result.stdout
