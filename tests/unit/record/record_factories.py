"""FlowState objects as the enforcing and inspecting addons would leave them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aigate.catalog import default_catalog
from aigate.decide import Decision
from aigate.flowstate import Acknowledgement, FlowState
from aigate.identify import Identity


@dataclass
class FakeFinding:
    detector: str
    data_class: str
    count: int = 1
    preview: str | None = None


@dataclass
class FakeInspection:
    inspected: bool = True
    unscanned_reason: str | None = None
    bytes_scanned: int = 0
    findings: list[Any] = field(default_factory=list)
    action: str | None = None
    seconds: float | None = 0.002


def make_state(
    service: str = "chatgpt",
    action: str = "allow",
    outcome: str = "allowed",
    *,
    rule: str | None = None,
    user: str | None = "alice",
    groups: frozenset[str] = frozenset({"engineering"}),
    request_id: str = "req-1",
    enforced: bool = True,
    ack: bool = False,
    inspection: Any = None,
    error_stage: str | None = None,
) -> FlowState:
    svc = default_catalog().get(service)
    assert svc is not None, service
    decision = Decision(
        action,  # type: ignore[arg-type]
        svc,
        rule or f"services.{service}",
        f"{svc.name} is {action}ed by the policy.",
        enforced=enforced,
    )
    identity = Identity(user, groups, "10.0.0.7")
    state = FlowState(request_id, identity, decision, "2026.1", "ab" * 32, outcome=outcome)  # type: ignore[arg-type]
    state.decision_seconds = 0.0004
    state.inspection = inspection
    state.error_stage = error_stage
    if ack:
        state.ack = Acknowledgement(user, "10.0.0.7", service, "2026.1", 1_800_000_000.0)
    return state
