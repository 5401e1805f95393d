"""FlowState objects as the enforcing and inspecting addons would leave them."""

from __future__ import annotations

from aigate.catalog import default_catalog
from aigate.decide import Decision
from aigate.flowstate import Acknowledgement, FlowState
from aigate.identify import Identity
from aigate.inspect.result import Extraction, Finding, Inspection, Segment


def found(
    detector: str, data_class: str, count: int = 1, preview: str = "x…"
) -> tuple[Finding, ...]:
    """`count` findings of one detector and class, as the scanner reports them."""
    return tuple(
        Finding(detector, data_class, 0, 1, "validated", preview, f"{detector}-{n}")  # type: ignore[arg-type]
        for n in range(count)
    )


def make_inspection(
    scanned: int = 0,
    findings: tuple[Finding, ...] = (),
    unscanned: tuple[str, ...] = (),
    *,
    extractor: str = "openai",
    oversize: bool = False,
    seconds: float = 0.002,
    action: str | None = None,
    rule: str | None = None,
) -> Inspection:
    """An inspection of a request whose prompt had `scanned` characters."""
    segments = (Segment("x" * scanned, (("json", ("messages", 0, "content")),)),) if scanned else ()
    return Inspection(
        Extraction(extractor, segments),
        findings,
        unscanned,
        oversize=oversize,
        seconds=seconds,
        action=action,
        rule=rule,
    )


def too_large() -> Inspection:
    """The inspection of a body over the scan limit: nothing was scanned."""
    return make_inspection(
        unscanned=("body of 9000000 bytes is over the scan limit of 4194304",),
        extractor="oversize",
        oversize=True,
        seconds=0.0,
    )


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
    inspection: Inspection | None = None,
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
