"""Audit records for the report tests, in the exact shape the proxy writes (built by
`aigate.record.audit.decision_record`, then given the values a test needs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from aigate.catalog import default_catalog
from aigate.decide import Decision
from aigate.endpoints import UNLISTED_ID
from aigate.flowstate import FlowState, WebSocketVerdict
from aigate.identify import Identity
from aigate.inspect.summary import FindingSummary, InspectionSummary
from aigate.record.audit import decision_record, websocket_record


def _template(endpoint: str | None = None) -> dict[str, Any]:
    service = default_catalog().get("chatgpt")
    decision = Decision("allow", service, "services.chatgpt", "ok")
    state = FlowState("r0", Identity("x", frozenset({"g"}), "10.0.0.1"), decision, "2026.1",
                      "ab" * 32, outcome="allowed", endpoint=endpoint)
    return decision_record(state, host="chatgpt.com", method="POST", path="/", status=200,
                           time=1_772_000_000.0)


TEMPLATE = _template()
UNLISTED_TEMPLATE = _template("openai-chat")  # a request to an unlisted AI endpoint


def decision(
    time: str,
    user: str | None,
    service: str | None = "chatgpt",
    outcome: str = "allowed",
    *,
    action: str = "allow",
    mode: str = "enforce",
    groups: tuple[str, ...] = ("engineering",),
    dlp_action: str | None = None,
    inspected: bool | None = None,
    findings: tuple[tuple[str, str, int], ...] = (),
    unscanned_reason: str | None = None,
    host: str | None = None,
    path: str = "/",
    method: str = "POST",
    endpoint: str | None = None,
    navigation: bool | None = None,
) -> dict[str, Any]:
    """A decision record; `time` is `2026-03-02T09:00:00` (UTC, milliseconds added). Without
    `navigation` it is a record of a version before that field (page views judged by path)."""
    entry = default_catalog().get(service) if service else None
    record = dict(TEMPLATE)
    record.update(
        time=f"{time}.000Z",
        user=user,
        groups=list(groups),
        client_ip="10.9.9.9",
        service=service,
        category=entry.category if entry else None,
        host=host or (entry.hosts[0] if entry else "unknown"),
        method=method,
        path=path,
        action=action,
        outcome=outcome,
        mode=mode,
        dlp_action=dlp_action,
        inspected=inspected,
        unscanned_reason=unscanned_reason,
        findings=[{"detector": d, "class": c, "count": n, "preview": "x…"}
                  for d, c, n in findings],
    )
    if navigation is None:
        del record["navigation"]
    else:
        record["navigation"] = navigation
    if endpoint:  # an unlisted AI endpoint, as aigate.endpoints records it
        record.update(service=UNLISTED_ID, category="unlisted", unlisted=True, endpoint=endpoint)
    return record


def websocket(
    time: str,
    user: str | None,
    service: str = "chatgpt",
    dlp_action: str | None = "block",
    outcome: str = "dropped",
    *,
    mode: str = "enforce",
    groups: tuple[str, ...] = ("engineering",),
    findings: tuple[tuple[str, str, int], ...] = (("aws_access_key_id", "secret", 1),),
) -> dict[str, Any]:
    """A `websocket_message` record as `aigate.record.audit.websocket_record` writes it."""
    entry = default_catalog().get(service)
    assert entry is not None, service
    decision = Decision("allow", entry, f"services.{service}", "ok", enforced=mode != "monitor")
    state = FlowState("ws0", Identity(user, frozenset(groups), "10.9.9.9"), decision, "2026.1",
                      "ab" * 32, outcome="allowed")
    summary = InspectionSummary(
        True, (), 40, tuple(FindingSummary(d, c, n, "x…", "validated") for d, c, n in findings),
        dlp_action, "some-rule", 0.001,
    )
    verdict = WebSocketVerdict(1, "text", 60, dlp_action, outcome, summary,  # type: ignore[arg-type]
                               "2026.1", "ab" * 32)
    record = websocket_record(state, verdict, host=entry.hosts[0], path="/ws", time=0.0)
    record["time"] = f"{time}.000Z"
    return record


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def crafted() -> list[dict[str, Any]]:
    """The small log whose figures the aggregate tests check exactly (see the test module)."""
    d = decision
    return [
        {"time": "2026-03-02T08:00:00.000Z", "event": "policy_load", "result": "success"},
        d("2026-03-02T09:00:00", "alice", inspected=True),
        d("2026-03-02T09:02:00", "alice", inspected=True, dlp_action="redact",
          findings=(("email", "pii", 2),)),
        d("2026-03-02T09:04:00", "alice"),
        d("2026-03-02T12:00:00", "alice", inspected=False, unscanned_reason="unsupported_format"),
        d("2026-03-02T10:00:00", "bob", "deepseek", "blocked", action="block", groups=("sales",)),
        d("2026-03-02T10:00:10", "bob", "deepseek", "blocked", action="block", groups=("sales",)),
        d("2026-03-02T10:00:20", "bob", "deepseek", "blocked", action="block", groups=("sales",)),
        d("2026-03-02T10:05:00", "bob", "chatgpt", "blocked", groups=("sales",), inspected=True,
          dlp_action="block", findings=(("credit_card", "financial", 1),)),
        d("2026-03-03T11:00:00", "carol", "claude", "monitored", action="warn", mode="monitor",
          groups=("engineering", "security")),
        d("2026-03-03T11:01:00", "carol", "deepseek", "monitored", action="block",
          mode="monitor", groups=("engineering", "security")),
        d("2026-03-03T15:00:00", None, None, "allowed", groups=(), host="llm.lab.corp.example",
          path="/v1/chat/completions", endpoint="openai-chat"),
        d("2026-03-04T09:00:00", "alice", "chatgpt", "warned", action="warn", method="GET"),
        {"time": "2026-03-04T09:00:30.000Z", "event": "ack", "user": "alice",
         "service": "chatgpt"},
        d("2026-03-04T09:00:30", "alice", "chatgpt", "acknowledged", action="warn",
          path="/.aigate/ack"),  # aigate's own endpoint: an action, not a request
        d("2026-03-04T09:01:00", "alice", "chatgpt", "continued", action="warn"),
    ]
