"""`aigate replay`: recorded requests re-decided under a new policy, and the figures it reports.

The audit logs are written by the real writer (`AuditLog`, `decision_record`) from decisions the
real `decide` made under the old policy, so the replay reads the format the proxy writes.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from aigate.decide import RequestFacts, decide
from aigate.flowstate import Acknowledgement, FlowState, WebSocketVerdict
from aigate.identify import Identity
from aigate.inspect.result import Extraction, Finding, Inspection
from aigate.inspect.summary import summarize
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.record.audit import (
    AuditLog,
    ack_record,
    decision_record,
    error_record,
    websocket_record,
)
from aigate.record.events import HookError
from aigate.whatif.replay import Move, Replay, parse_time, read_lines

OLD = load_policy(DEFAULT_POLICY)
EXTRA_CATALOG = """\
services:
  - {id: newchat, name: New Chat, vendor: New, category: chat, hosts: [chat.newco.test],
     jurisdiction: US, trains_on_inputs: false, enterprise_tier: false, risk: medium,
     url: "https://chat.newco.test/"}
"""
# The new policy: ChatGPT blocked, carol no longer in security, PII to model APIs blocked, and a
# custom catalog that makes chat.newco.test an AI service (default: warn).
EDITS = [
    ("  chatgpt:\n    action: warn", "  chatgpt:\n    action: block"),
    ("    users: [carol]", "    users: [dave]"),
    ("      action: redact\n      classes: [pii]", "      action: block\n      classes: [pii]"),
    ("groups:\n", "catalog: [extra.yaml]\n\ngroups:\n"),
]


@pytest.fixture(scope="module")
def new_policy(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("new")
    text = DEFAULT_POLICY.read_text()
    for old, new in EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (folder / "extra.yaml").write_text(EXTRA_CATALOG)
    path = folder / "new.yaml"
    path.write_text(text.replace("$schema=schema.json", "$schema=../schema.json"))
    return path


def record(
    log: AuditLog,
    url: str,
    *,
    user: str | None = None,
    ip: str = "10.1.1.1",
    method: str = "GET",
    findings: tuple[tuple[str, str], ...] = (),
    dlp: tuple[str, str] | None = None,
    time: float = 1_780_000_000.0,
) -> None:
    """Write the decision record the proxy writes for this request under the old policy."""
    host, _, path = url.partition("/")
    facts = RequestFacts(host, "/" + path, method, user, OLD.groups_for(user, ip), ip)
    decision = decide(OLD, facts)
    state = FlowState("r1", Identity(user, facts.groups, ip), decision, OLD.version, OLD.sha256)
    if findings:
        found = tuple(Finding(d, c, 0, 1, "validated", "x…", "d") for d, c in findings)  # type: ignore[arg-type]
        action, rule = dlp or ("log", "x")
        state.inspection = Inspection(Extraction("openai"), found, action=action, rule=rule)
    log.write(decision_record(state, host=host, method=method, path="/" + path, status=200,
                              time=time))


def write_log(path: Path) -> None:
    log = AuditLog(path, max_bytes=0)
    for user in ("alice", "alice", "alice", "bob", "bob", None):
        record(log, "chatgpt.com/c/1", user=user)  # warn -> block: 6 requests, 3 requesters
    record(log, "copilot.cloud.microsoft/", user="alice")  # allow, unchanged
    record(log, "copilot.cloud.microsoft/", user="alice")
    record(log, "chat.deepseek.com/", user="carol")  # security exception -> block
    record(log, "chat.newco.test/", user="bob")  # not AI before; passthrough -> warn
    record(  # PII to a model API: redacted before, blocked now
        log, "api.openai.com/v1/chat/completions", user="alice", method="POST",
        findings=(("email", "pii"),), dlp=("redact", "personal-data-apis"),
    )
    state = FlowState("r2", Identity("alice", frozenset(), None), decide(
        OLD, RequestFacts("chatgpt.com")), OLD.version, OLD.sha256,
        ack=Acknowledgement("alice", None, "chatgpt", OLD.version, 0.0))
    ack = ack_record(state, time=1_780_000_000.0)
    assert ack is not None
    log.write(ack)  # skipped
    log.write(error_record(HookError("decide", "ValueError", "r3", 1_780_000_000.0)))  # skipped
    log.close()


@pytest.fixture
def audit_log(tmp_path) -> Path:
    path = tmp_path / "aigate-audit.jsonl"
    write_log(path)
    return path


def replayed(paths, policy, since=None, until=None):
    replay = Replay(load_policy(policy), since, until)
    for line in read_lines(paths):
        replay.add_line(line)
    return replay.summary()


def test_replay_reports_each_moved_service_with_requests_and_users(audit_log, new_policy):
    summary = replayed([audit_log], new_policy)
    assert summary.moves == [
        Move("chatgpt", "warn", "block", 6, 3),
        Move("deepseek", "warn", "block", 1, 1),
        Move("newchat", "passthrough", "warn", 1, 1),
        Move("openai-api", "redact", "block", 1, 1),
    ]
    assert (summary.decisions, summary.changed, summary.changed_users) == (11, 9, 4)
    assert (summary.skipped, summary.malformed) == (2, 0)


def test_replay_under_the_same_policy_changes_nothing(audit_log):
    summary = replayed([audit_log], DEFAULT_POLICY)
    assert (summary.decisions, summary.changed, summary.moves) == (11, 0, [])


def test_monitor_records_move_to_enforced_actions(tmp_path):
    audit_policy = DEFAULT_POLICY.parent / "examples" / "monitor-audit.yaml"
    monitor = load_policy(audit_policy)
    log = AuditLog(tmp_path / "a.jsonl", max_bytes=0)
    for host, user in (("chat.deepseek.com", "alice"), ("copilot.cloud.microsoft", "bob")):
        facts = RequestFacts(host, "/", "GET", user, frozenset(), None)
        state = FlowState("r", Identity(user, frozenset(), None), decide(monitor, facts),
                          monitor.version, monitor.sha256)
        log.write(decision_record(state, host=host, method="GET", path="/", status=200, time=0))
    log.close()
    summary = replayed([tmp_path / "a.jsonl"], DEFAULT_POLICY)
    # deepseek: block (monitor) -> block; m365-copilot: allow in both modes -> no change
    assert summary.moves == [Move("deepseek", "block (monitor)", "block", 1, 1)]


def test_gzip_logs_and_several_files_add_up(audit_log, new_policy, tmp_path):
    packed = tmp_path / "old.jsonl.gz"
    packed.write_bytes(gzip.compress(audit_log.read_bytes()))
    summary = replayed([audit_log, packed], new_policy)
    assert summary.moves[0] == Move("chatgpt", "warn", "block", 12, 3)
    assert summary.decisions == 22


def test_blank_torn_and_foreign_lines_are_counted_not_fatal(audit_log, new_policy):
    with audit_log.open("ab") as f:
        f.write(b'\n{"time": "2026-\n[1, 2]\n' + json.dumps({"event": "decision"}).encode() + b"\n")
    summary = replayed([audit_log], new_policy)
    assert (summary.decisions, summary.malformed) == (11, 3)


@pytest.mark.parametrize(
    ("since", "until", "decisions", "outside"),
    [
        (None, None, 3, 0),
        ("2026-05-01", None, 1, 2),
        (None, "2026-05-01", 2, 1),
        ("2026-05-01T00:00:00+02:00", "2026-06-01", 2, 1),  # 2026-04-30T22:00Z
    ],
)
def test_since_and_until_select_records_by_time(tmp_path, new_policy, since, until, decisions,
                                                outside):
    log = AuditLog(tmp_path / "t.jsonl", max_bytes=0)
    for when in ("2026-04-30T23:00:00", "2026-04-30T23:30:00", "2026-06-02T00:00:00"):
        epoch = parse_epoch(when)
        record(log, "chatgpt.com/", user="alice", time=epoch)
    log.close()
    summary = replayed(
        [tmp_path / "t.jsonl"], new_policy,
        parse_time(since) if since else None, parse_time(until) if until else None,
    )
    assert (summary.decisions, summary.outside) == (decisions, outside)


def parse_epoch(when: str) -> float:
    from datetime import UTC, datetime

    return datetime.fromisoformat(when).replace(tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-05-01", "2026-05-01T00:00:00.000Z"),
        ("2026-05-01T12:30:00Z", "2026-05-01T12:30:00.000Z"),
        ("2026-05-01T12:30:00.250+02:00", "2026-05-01T10:30:00.250Z"),
    ],
)
def test_parse_time_gives_the_audit_log_format(text, expected):
    assert parse_time(text) == expected


def aigate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aigate", *args], capture_output=True, text=True, timeout=60
    )


def test_cli_prints_a_table_sorted_by_requests(audit_log, new_policy):
    result = aigate("replay", str(audit_log), "--policy", str(new_policy))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Replayed 11 recorded requests under")
    assert lines[1].split() == ["SERVICE", "OLD", "NEW", "REQUESTS", "USERS"]
    assert lines[2].split() == ["chatgpt", "warn", "->", "block", "6", "3"]
    assert "9 of 11 requests change (81.8%), from 4 users; 2 unchanged" in result.stdout
    assert "2 other records skipped" in result.stdout


def test_cli_json_has_the_figures(audit_log, new_policy):
    result = aigate("replay", str(audit_log), "--policy", str(new_policy), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["changes"][0] == {
        "service": "chatgpt", "old": "warn", "new": "block", "requests": 6, "users": 3
    }
    assert (report["decisions"], report["changed"], report["unchanged"]) == (11, 9, 2)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["missing.jsonl"], 2, "cannot read the audit log"),
        (["--since", "yesterday"], 2, "--since/--until"),
        (["--policy", "nope.yaml"], 1, "cannot read policy"),
    ],
)
def test_cli_errors(audit_log, new_policy, args, code, message):
    base = [str(audit_log), "--policy", str(new_policy)]
    if args[0] == "missing.jsonl":
        base[0] = str(audit_log.with_name("missing.jsonl"))
        args = []
    result = aigate("replay", *base, *args)
    assert (result.returncode, message in result.stderr) == (code, True), result.stderr


def test_websocket_message_records_are_skipped_not_replayed(audit_log, new_policy):
    """A `websocket_message` record has a host and findings like a decision record, but it is
    not a request: replay counts it as skipped, and the figures stay those of the requests."""
    before = replayed([audit_log], new_policy)
    facts = RequestFacts("api.openai.com", "/v1/realtime", "GET", "alice",
                         OLD.groups_for("alice", "10.1.1.1"), "10.1.1.1")
    state = FlowState("r9", Identity("alice", facts.groups, "10.1.1.1"), decide(OLD, facts),
                      OLD.version, OLD.sha256, outcome="allowed")
    found = (Finding("email", "pii", 0, 1, "validated", "x…", "d"),)
    summary = summarize(Inspection(Extraction("ws"), found, action="redact",
                                   rule="personal-data-apis"))
    verdict = WebSocketVerdict(1, "text", 40, "redact", "redacted", summary, OLD.version,
                               OLD.sha256, time=1_780_000_001.0)
    with audit_log.open("ab") as f:
        f.write(json.dumps(websocket_record(state, verdict, host="api.openai.com",
                                            path="/v1/realtime", time=0.0)).encode() + b"\n")
    after = replayed([audit_log], new_policy)
    assert (after.decisions, after.changed, after.moves) == (
        before.decisions, before.changed, before.moves)
    assert (after.skipped, after.malformed) == (before.skipped + 1, 0)
    result = aigate("replay", str(audit_log), "--policy", str(new_policy))
    assert result.returncode == 0, result.stderr
    assert "3 other records skipped (acknowledgements, WebSocket messages" in result.stdout
