"""`aigate replay` on an audit log a real proxy wrote: the format it reads is the real one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from recordharness import make_client, new_upstream, record_proxy

AUTH = "alice:Pa55-w0rd-replay"
# The proxy tests' policy with two services swapped: the allowed API blocked, the blocked allowed.
SWAPS = [
    ("  t-openai:\n    action: block", "  t-openai:\n    action: allow"),
    ("  t-allowed-api:\n    action: allow", "  t-allowed-api:\n    action: block"),
]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple[Path, Path]:
    """The audit log of 3 allowed and 2 blocked requests by alice, and the swapped policy."""
    work = tmp_path_factory.mktemp("replay-e2e")
    upstream = new_upstream(work)
    log = work / "audit" / "aigate-audit.jsonl"
    try:
        with (
            record_proxy(work, upstream, proxyauth=AUTH, aigate_audit_log=str(log)) as proxy,
            make_client(proxy, auth=AUTH) as client,
        ):
            for _ in range(3):
                assert client.get("https://allowed.openai.test/v1/models").status_code == 200
            for _ in range(2):
                assert client.get("https://api.openai.test/v1/models").status_code == 403
    finally:
        upstream.close()
    policy = work / "policy" / "policy.yaml"
    text = policy.read_text()
    for old, new in SWAPS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    swapped = policy.with_name("swapped.yaml")
    swapped.write_text(text)
    return log, swapped


def test_replay_of_a_real_log_reports_both_moves(recorded):
    log, swapped = recorded
    result = subprocess.run(
        [sys.executable, "-m", "aigate", "replay", str(log), "--policy", str(swapped), "--json"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["changes"] == [
        {"service": "t-allowed-api", "old": "allow", "new": "block", "requests": 3, "users": 1},
        {"service": "t-openai", "old": "block", "new": "allow", "requests": 2, "users": 1},
    ]
    assert (report["decisions"], report["changed"], report["malformed_lines"]) == (5, 5, 0)
