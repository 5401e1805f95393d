"""`aigate check`, `aigate explain` and `aigate schema`, through `aigate.cli.main` and once as a
real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from aigate.cli import main
from aigate.policy import DEFAULT_POLICY
from aigate.policy.schema import schema_text

TYPO_POLICY = """organisation: Acme
version: "1"
contact: {name: IT}
document: {purpose: p, scope: s}
default: {action: warn, reason: r}
services:
  chatgtp: {action: block, reason: r}
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", ["check", "explain", "schema"])
def test_every_command_has_help(capsys, command):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert "usage: aigate " + command in capsys.readouterr().out


def test_check_default_policy_exits_zero_with_a_summary(capsys):
    code, out, err = run(capsys, "check")
    assert code == 0, err
    assert out.count("\n") == 1
    assert "ok:" in out and "version" in out


def test_check_reports_file_line_and_suggestion(capsys, tmp_path):
    policy = tmp_path / "typo.yaml"
    policy.write_text(TYPO_POLICY)
    code, out, err = run(capsys, "check", str(policy))
    assert code == 1
    assert out == ""
    message = "services.chatgtp: unknown service 'chatgtp': did you mean 'chatgpt'?"
    assert f"{policy}:7: {message}" in err


@pytest.mark.parametrize(
    ("url", "service", "action"),
    [
        ("https://chat.deepseek.com/", "deepseek", "block"),
        ("https://chatgpt.com/", "chatgpt", "warn"),
        ("https://github.com/", None, "passthrough"),
    ],
)
def test_explain_json_acceptance(capsys, url, service, action):
    code, out, err = run(capsys, "explain", url, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert {"service", "category", "action", "rule", "reason"} <= set(report)
    assert (report["service"], report["action"]) == (service, action)
    if service is None:
        assert (report["category"], report["rule"]) == (None, "catalog")


def test_explain_block_gives_the_policy_reason_and_the_walk(capsys):
    _, out, _ = run(capsys, "explain", "https://chat.deepseek.com/", "--json")
    report = json.loads(out)
    policy_text = DEFAULT_POLICY.read_text()
    assert report["rule"] == "services.deepseek"
    assert report["reason"].split()[0] in policy_text
    assert report["trace"] == ["exceptions: no match", "services.deepseek: block"]
    assert report["alternatives"][0]["service"] == "m365-copilot"


def test_explain_uses_user_and_ip_for_groups(capsys, tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text(
        TYPO_POLICY.replace("chatgtp: {action: block", "chatgpt: {action: block")
        + "groups:\n  eng: {users: [alice], cidrs: [10.1.0.0/16]}\n"
        + "exceptions:\n  - {id: eng, groups: [eng], services: [chatgpt], action: allow,"
        + " reason: ok}\n"
    )
    for argv in (["--user", "alice"], ["--ip", "10.1.2.3"]):
        _, out, _ = run(capsys, "explain", "chatgpt.com", "--policy", str(policy), "--json", *argv)
        report = json.loads(out)
        assert (report["action"], report["rule"], report["groups"]) == (
            "allow",
            "exceptions.eng",
            ["eng"],
        )


def test_explain_text_shows_rule_reason_and_walk(capsys):
    code, out, _ = run(capsys, "explain", "https://chatgpt.com/", "--user", "alice")
    assert code == 0
    assert "action:   warn (enforced)" in out
    assert "rule:     services.chatgpt" in out
    assert "1. exceptions: no match" in out


def test_explain_with_a_broken_policy_fails_with_its_problems(capsys, tmp_path):
    policy = tmp_path / "typo.yaml"
    policy.write_text(TYPO_POLICY)
    code, _, err = run(capsys, "explain", "https://chatgpt.com/", "--policy", str(policy))
    assert code == 1
    assert f"{policy}:7:" in err


def test_schema_prints_the_generated_schema(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0
    assert out == schema_text()


def test_explain_runs_as_a_real_command():
    result = subprocess.run(
        [sys.executable, "-m", "aigate", "explain", "https://chat.deepseek.com/", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["action"] == "block"
