"""What aigate knows about one flow, carried on `flow.metadata[FLOW_KEY]`.

The enforcing and inspecting addons write it; the record addons (audit, metrics) only read it.
Addons never call each other: this record is their whole contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from aigate.decide import Decision
from aigate.identify import Identity
from aigate.inspect.summary import InspectionSummary, summarize

if TYPE_CHECKING:
    from aigate.inspect.result import Inspection

FLOW_KEY = "aigate"

Outcome = Literal[
    "allowed",  # forwarded (allow, or warn for a non-navigation request)
    "warned",  # the warn interstitial was shown
    "acknowledged",  # the person clicked "I understand, continue"
    "continued",  # forwarded on a valid acknowledgement cookie
    "blocked",
    "redirected",
    "monitored",  # mode: monitor, forwarded whatever the decision
    "error",  # aigate failed; see `error_stage`
    "upstream_error",  # allowed, but the site did not answer; see `upstream_error`
]

# Why an allowed request's site did not answer (`FlowState.upstream_error`): its name did not
# resolve, it refused or could not be reached, it did not answer in time, its TLS handshake
# failed, or it closed the connection without a response.
UpstreamError = Literal["dns", "refused", "unreachable", "timeout", "tls", "closed"]


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """A person's acceptance of the policy for one service (a ledger record, no secrets)."""

    user: str | None
    client_ip: str | None
    service_id: str
    policy_version: str
    time: float  # epoch seconds


@dataclass(frozen=True, slots=True)
class WebSocketVerdict:
    """What the DLP rules did to one client-to-server WebSocket message, for its audit record:
    sizes, the action and the findings summary, never the message text."""

    ordinal: int  # the nth client message of this WebSocket inspected (1 for the first)
    message_type: Literal["text", "binary"]
    message_bytes: int  # the size the client sent
    action: str | None  # the DLP action (block, redact, warn, log); None when inspection failed
    outcome: Literal["dropped", "redacted", "forwarded"]  # what happened to the message
    summary: InspectionSummary | None  # findings (redacted previews only), rule, scan facts
    policy_version: str  # of the policy that judged the message (it may have been reloaded)
    policy_hash: str
    error_stage: str | None = None
    time: float = 0.0  # epoch seconds the message arrived


@dataclass(slots=True)
class FlowState:
    request_id: str
    identity: Identity
    decision: Decision
    policy_version: str
    policy_hash: str
    outcome: Outcome | None = None
    ack: Acknowledgement | None = None
    inspection: Inspection | None = None  # set by the inspect addon
    _summary: InspectionSummary | None = field(default=None, init=False, repr=False, compare=False)
    error_stage: str | None = None
    decision_seconds: float = 0.0
    notes: dict[str, str] = field(default_factory=dict)
    # Client-to-server WebSocket messages inspected, by DLP action ("block": dropped).
    ws_messages: dict[str, int] = field(default_factory=dict)
    # The verdict on the message being handled, when it is worth an audit record (blocked,
    # redacted, warned, logged with findings, or not inspectable); the audit addon takes it.
    ws_verdict: WebSocketVerdict | None = None
    # The model API shape (`aigate.endpoints`) of a request to an unlisted AI endpoint.
    endpoint: str | None = None
    # Set with outcome "upstream_error" (by `aigate.proxy.upstream`).
    upstream_error: UpstreamError | None = None

    def inspection_summary(self) -> InspectionSummary | None:
        """The inspection's summary, computed once and kept on the flow: the audit log and the
        metrics both read it, and nothing outlives the flow (the inspection holds the prompt)."""
        if self.inspection is None:
            return None
        if self._summary is None:
            self._summary = summarize(self.inspection)
        return self._summary
