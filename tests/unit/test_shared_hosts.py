"""Privacy on shared hosts: where AI lives only on some paths of a host (github.com/copilot), the
policy decides whether HTTPS to the host is decrypted, and `aigate explain` says why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aigate.cli import main
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.proxy.passthrough import intercept_pattern

MINIMAL = """\
organisation: Test Corp
version: "s1"
mode: enforce
contact: {name: IT}
document: {purpose: Test., scope: Tests.}
default: {action: allow, reason: Allowed.}
"""


def policy_file(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(MINIMAL + extra)
    return path


def test_default_policy_decrypts_github_for_its_copilot_paths():
    loaded = load_policy(DEFAULT_POLICY)
    why = loaded.shared_hosts["github.com"]
    assert why is not None and why.startswith("github-copilot-web (/copilot): ")
    assert loaded.intercepts("github.com")
    assert "chatgpt.com" not in loaded.shared_hosts  # AI on every path: not a shared host


def test_allowed_uninspected_ai_paths_leave_the_host_passed_through(tmp_path: Path):
    loaded = load_policy(policy_file(tmp_path, "dlp: {enabled: false}\n"))
    assert loaded.shared_hosts["github.com"] is None
    assert not loaded.intercepts("github.com")
    assert loaded.intercepts("chatgpt.com")
    pattern = re.compile(intercept_pattern(loaded))
    assert not pattern.match("github.com:443")
    assert pattern.match("chatgpt.com:443")


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (
            "services:\n  github-copilot-web: {action: warn, reason: Careful.}\n",
            "warn by services.github-copilot-web",
        ),
        (
            "groups: {interns: {users: [ivy]}}\nexceptions:\n  - id: no-interns\n"
            "    groups: [interns]\n    categories: [coding]\n    action: block\n"
            "    reason: Not for interns.\n",
            "block by exceptions.no-interns",
        ),
        (
            "services:\n  github-copilot-web:\n    action: allow\n    reason: OK.\n    tenant:\n"
            "      - {header: X-GitHub-Tenant, value: corp}\n",
            "tenant header injected",
        ),
    ],
    ids=["warned", "blocked-for-one-group", "tenant-pinned"],
)
def test_any_difference_for_anyone_decrypts_the_shared_host(tmp_path: Path, extra, reason):
    loaded = load_policy(policy_file(tmp_path, "dlp: {enabled: false}\n" + extra))
    assert loaded.shared_hosts["github.com"] == f"github-copilot-web (/copilot): {reason}"
    assert loaded.intercepts("github.com")


def test_inspect_hosts_still_decrypts_a_passed_shared_host(tmp_path: Path):
    loaded = load_policy(
        policy_file(tmp_path, "dlp: {enabled: false}\ninspect_hosts: [github.com]\n")
    )
    assert loaded.intercepts("github.com")
    assert re.compile(intercept_pattern(loaded)).match("github.com:443")


def test_explain_says_whether_a_shared_host_is_decrypted(tmp_path: Path, capsys):
    main(["explain", "https://github.com/copilot", "--policy", str(DEFAULT_POLICY)])
    assert "  tls:      github.com is a shared host, decrypted: github-copilot-web" in (
        capsys.readouterr().out
    )
    passed = policy_file(tmp_path, "dlp: {enabled: false}\n")
    main(["explain", "https://github.com/copilot", "--policy", str(passed)])
    out = capsys.readouterr().out
    assert (
        "  tls:      github.com is a shared host, not decrypted: the policy treats its AI " in out
    )
