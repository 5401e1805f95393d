"""aigate's Prometheus metrics: one registry and every metric object, created once per process.

They live in this imported module, not in an addon or the `-s` entry file, because mitmproxy
re-executes an edited `-s` file and a second registration of the same name fails. Label values
are bounded: services and categories come from the catalog, groups and rule kinds from the policy,
detectors, classes and reasons from the inspect step, each reduced to a short token; never a user,
a URL or free text.

With `PROMETHEUS_MULTIPROC_DIR` set (`aigate run --workers N`), values go to files in that
directory and the supervisor serves every worker's sum as one target; Info is not supported
there, so the policy in force is then a gauge set to 1 (its previous labels set to 0).
"""

from __future__ import annotations

import bisect
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
)

from aigate.flowstate import FlowState
from aigate.inspect.summary import InspectionSummary, label_token
from aigate.serve.status import Readiness, StatusServer

if TYPE_CHECKING:
    pass

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

disable_created_metrics()  # `*_created` series double the count and nothing here reads them

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)

NO_GROUP = "none"
RULE_KINDS = ("exceptions", "services", "risk_rules", "categories", "default", "training")
KNOWN_STAGES = ("identify", "decide", "enforce", "respond", "inspect", "audit", "metrics",
                "policy_reload", "discover", "upstream")
FORWARDED = frozenset({"allowed", "continued", "monitored"})

REQUESTS = Counter(
    "aigate_requests",
    "AI requests decided, by service, category, decision action, outcome, the requester's "
    "primary policy group and the kind of rule that decided.",
    ["service", "category", "action", "outcome", "group", "rule_kind"],
    registry=REGISTRY,
)
PASSTHROUGH = Counter(
    "aigate_passthrough_connections",
    "Non-AI traffic passed through untouched: connections relayed without decryption (tls: "
    "the client spoke TLS, whether the connection was passed at CONNECT or after reading its "
    "ClientHello, and whether or not its handshake then succeeded; tcp: anything else) and "
    "plain-HTTP requests (http).",
    ["protocol"],
    registry=REGISTRY,
)
CANDIDATES = Counter(
    "aigate_candidate_connections",
    "Connections passed through to hosts outside the catalog whose names look like AI services "
    "(listed per host by `aigate report`; the host is not a label, to bound cardinality).",
    registry=REGISTRY,
)
WARN_PAGES = Counter(
    "aigate_warn_pages",
    "Warn interstitials by step: shown, acknowledged (clicked continue), continued (forwarded on "
    "an acknowledgement).",
    ["service", "step"],
    registry=REGISTRY,
)
ACKNOWLEDGEMENTS = Counter(
    "aigate_acknowledgements",
    "Policy acknowledgements recorded in the ledger.",
    ["service"],
    registry=REGISTRY,
)
FINDINGS = Counter(
    "aigate_findings",
    "Sensitive-data findings in AI requests, by detector, data class, confidence and DLP action.",
    ["detector", "class", "confidence", "action"],
    registry=REGISTRY,
)
INSPECTED = Counter(
    "aigate_inspected_requests",
    "AI requests whose content was inspected.",
    ["category"],
    registry=REGISTRY,
)
UNSCANNED = Counter(
    "aigate_unscanned_requests",
    "AI requests forwarded without inspection, by reason (too_large, undecodable, "
    "unsupported_format, binary_websocket, not_inspected, ...).",
    ["reason"],
    registry=REGISTRY,
)
SCANNED_BYTES = Counter(
    "aigate_scanned_bytes", "Bytes of AI request content scanned.", registry=REGISTRY
)
SCAN_REUSED_BYTES = Counter(
    "aigate_scan_reused_bytes",
    "Bytes of AI request content answered from the inspection of an earlier request (a "
    "conversation's earlier turns, resent), not scanned again; part of aigate_scanned_bytes.",
    registry=REGISTRY,
)
SCAN_SECONDS = Histogram(
    "aigate_scan_duration_seconds",
    "Time spent scanning one AI request.",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
    registry=REGISTRY,
)
DECISION_SECONDS = Histogram(
    "aigate_decision_duration_seconds",
    "Time from the request reaching aigate to its decision.",
    buckets=(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1),
    registry=REGISTRY,
)
POLICY_HELP = "The policy in force (version, hash)."
POLICY: Any = (
    Gauge("aigate_policy_info", POLICY_HELP, ["version", "hash"], registry=REGISTRY,
          multiprocess_mode="livemax")
    if MULTIPROCESS
    else Info("aigate_policy", POLICY_HELP, registry=REGISTRY)
)
RELOADS = Counter(
    "aigate_policy_reloads", "Policy reloads, by result.", ["result"], registry=REGISTRY
)
LAST_RELOAD = Gauge(
    "aigate_policy_last_reload_timestamp_seconds",
    "When the policy in force was loaded (Unix time).",
    registry=REGISTRY,
    multiprocess_mode="livemax",
)
LAST_RELOAD_OK = Gauge(
    "aigate_policy_last_reload_success",
    "1 if the last policy load or reload succeeded, 0 if it failed (the last good policy stays).",
    registry=REGISTRY,
    multiprocess_mode="livemin",  # 0 if any worker's last reload failed
)
POLICY_ERROR = Gauge(
    "aigate_policy_error",
    "1 while the policy files on disk do not load (the last good policy stays), labelled with "
    "the file and line of the first problem; no series while they load.",
    ["file", "line"],
    registry=REGISTRY,
    multiprocess_mode="livemax",  # labels are set back to 0 there: no clear() across processes
)
_policy_error_labels: tuple[str, ...] | None = None
REVIEW_BY = Gauge(
    "aigate_policy_review_by_timestamp_seconds",
    "When the policy in force becomes overdue for review: the end of its review_by day, UTC "
    "(0: no review_by).",
    registry=REGISTRY,
    multiprocess_mode="livemax",
)
REVIEW_OVERDUE_NAME = "aigate_policy_review_overdue"
REVIEW_OVERDUE_HELP = "1 if the policy in force is past its review_by date, else 0."
_review_deadline = 0.0
if not MULTIPROCESS:  # a function gauge is read at scrape time; the supervisor derives it there
    REVIEW_OVERDUE = Gauge(REVIEW_OVERDUE_NAME, REVIEW_OVERDUE_HELP, registry=REGISTRY)
    REVIEW_OVERDUE.set_function(lambda: 1.0 if 0 < _review_deadline < time.time() else 0.0)
HOOK_ERRORS = Counter(
    "aigate_hook_errors", "Errors inside aigate, by stage.", ["stage"], registry=REGISTRY
)
AUDIT_RECORDS = Counter(
    "aigate_audit_records", "Audit records written, by event.", ["event"], registry=REGISTRY
)
AUDIT_WRITE_ERRORS = Counter(
    "aigate_audit_write_errors", "Audit records that could not be written.", registry=REGISTRY
)
WEBSOCKET_MESSAGES = Counter(
    "aigate_websocket_messages",
    "Client-to-server WebSocket messages to AI services inspected, by DLP action (block: "
    "dropped).",
    ["action"],
    registry=REGISTRY,
)

CHILDREN_MAX = 4096  # label combinations cached per metric before the cache starts over

Increment = Callable[[float], None]


def increment_of(counter: Any) -> Increment:
    """What `counter.inc(amount)` does for a counter (or a labelled counter's child) given a
    non-negative amount and no exemplar: its value's own locked `inc`, so the exposition and the
    multi-process files stay prometheus-client's. `Counter.inc` first checks the metric is
    observable, the amount and the exemplar, in three Python calls that cost more than the
    locked addition; aigate's amounts are counts and sizes, never negative."""
    value = getattr(counter, "_value", None)
    return value.inc if callable(getattr(value, "inc", None)) else counter.inc


class Observe:
    """`histogram.observe(amount)` for an unlabelled histogram, as prometheus-client does it
    (the sum, then the first bucket whose bound is not below the amount), with the bucket found
    by bisection instead of a loop over every bound and without the per-call checks (see
    `increment_of`). Falls back to `observe` if prometheus-client's internals change."""

    __slots__ = ("_bounds", "_buckets", "_observe", "_sum")

    def __init__(self, histogram: Histogram) -> None:
        bounds = getattr(histogram, "_upper_bounds", None)
        buckets = getattr(histogram, "_buckets", None)
        total = getattr(histogram, "_sum", None)
        usable = (
            isinstance(bounds, list) and isinstance(buckets, list)
            and len(bounds) == len(buckets) and bounds[-1:] == [float("inf")]
            and callable(getattr(total, "inc", None))
            and all(callable(getattr(b, "inc", None)) for b in buckets)
        )
        self._observe = None if usable else histogram.observe
        self._bounds = bounds if usable else []
        self._buckets = [b.inc for b in buckets] if usable else []
        self._sum = total.inc if usable else None

    def __call__(self, amount: float) -> None:
        if self._observe is not None:
            self._observe(amount)
            return
        self._sum(amount)
        index = bisect.bisect_left(self._bounds, amount)
        if index < len(self._bounds) and amount <= self._bounds[index]:  # NaN: no bucket
            self._buckets[index](1)


class Children:
    """A labelled counter's increments (`increment_of` its children) cached per label values:
    `metric.labels(...)` validates and locks on every call (~1 us), a dict lookup does not.
    Bounded by `CHILDREN_MAX`; the metrics here are never cleared, so a cached child stays the
    one the registry exports. `preset` label values are exported (at 0) from the start."""

    __slots__ = ("_cache", "_metric")

    def __init__(self, metric: Any, *preset: str) -> None:
        self._metric = metric
        self._cache: dict[tuple[str, ...], Increment] = {}
        for value in preset:
            self._add((value,))

    def inc(self, *values: str, amount: float = 1) -> None:
        """`metric.labels(*values).inc(amount)`, for an amount that is not negative."""
        increment = self._cache.get(values)
        (increment or self._add(values))(amount)

    def _add(self, values: tuple[str, ...]) -> Increment:
        if len(self._cache) >= CHILDREN_MAX:
            self._cache.clear()
        increment = self._cache[values] = increment_of(self._metric.labels(*values))
        return increment


RELOADS_BY = Children(RELOADS, "success", "failure")
HOOK_ERRORS_BY = Children(HOOK_ERRORS, *KNOWN_STAGES)
PASSTHROUGH_BY = Children(PASSTHROUGH, "tcp", "tls", "http")
AUDIT_RECORDS_BY = Children(AUDIT_RECORDS)
WARN_PAGES_BY = Children(WARN_PAGES)
INSPECTED_BY = Children(INSPECTED)
UNSCANNED_BY = Children(UNSCANNED)
FINDINGS_BY = Children(FINDINGS)
_add_scanned_bytes = increment_of(SCANNED_BYTES)
_observe_scan_seconds = Observe(SCAN_SECONDS)
_observe_decision_seconds = Observe(DECISION_SECONDS)

_LOCATED = re.compile(r"(.+?):(\d+): ")  # `file:line: message`, the policy problem format
_policy_lock = threading.Lock()
_policy_labels: tuple[str, str] | None = None
_policy_given: tuple[Any, Any] = (object(), object())  # the arguments `_policy_labels` came from
# Per distinct (service, category, action, outcome, groups, rule, group order) of a flow: its
# `aigate_requests` child's increment and the service, category and outcome tokens (bounded as
# `Children`).
_flow_labels: dict[tuple[Any, ...], tuple[Increment, str, str, str]] = {}


def primary_group(groups: frozenset[str], order: Sequence[str] = ()) -> str:
    """The one group a request is counted under: the first in `order` (the policy's group order)
    the requester belongs to, else the alphabetically first, else "none"."""
    for group in order:
        if group in groups:
            return label_token(group)
    return label_token(min(groups)) if groups else NO_GROUP


def rule_kind(rule: str) -> str:
    """The rule family of a decision's rule id ("services.chatgpt" -> "services")."""
    kind = rule.split(".", 1)[0]
    return kind if kind in RULE_KINDS else "other"


def set_policy(version: str | None, sha256: str | None) -> None:
    """Show the policy in force in `aigate_policy_info`."""
    global _policy_labels, _policy_given
    if version == _policy_given[0] and sha256 == _policy_given[1]:
        return  # every flow calls this; the policy rarely changes
    labels = (str(version or ""), str(sha256 or ""))
    _policy_given = (version, sha256)
    if labels == _policy_labels:
        return
    with _policy_lock:
        if labels != _policy_labels:
            if not MULTIPROCESS:
                POLICY.info({"version": labels[0], "hash": labels[1]})
            else:
                if _policy_labels is not None:
                    POLICY.labels(*_policy_labels).set(0)
                POLICY.labels(*labels).set(1)
            _policy_labels = labels


def observe_policy(
    ok: bool, reload: bool, version: str | None, sha256: str | None, when: float,
    error: str | None = None,
) -> None:
    if reload:
        RELOADS_BY.inc("success" if ok else "failure")
    global _policy_error_labels
    LAST_RELOAD_OK.set(1 if ok else 0)
    if not MULTIPROCESS:
        POLICY_ERROR.clear()
    elif _policy_error_labels is not None:
        POLICY_ERROR.labels(*_policy_error_labels).set(0)
    _policy_error_labels = None
    if ok:
        LAST_RELOAD.set(when)
        set_policy(version, sha256)
    else:
        located = _LOCATED.match(error or "")
        _policy_error_labels = located.groups() if located else ("", "0")
        POLICY_ERROR.labels(*_policy_error_labels).set(1)


def set_review_by(deadline: float | None) -> None:
    """The policy in force is overdue for review after `deadline` (Unix time; None: no date)."""
    global _review_deadline
    _review_deadline = deadline or 0.0
    REVIEW_BY.set(_review_deadline)


def count_hook_error(stage: str) -> None:
    HOOK_ERRORS_BY.inc(label_token(stage))


def count_passthrough(protocol: str) -> None:
    PASSTHROUGH_BY.inc(protocol)


count_scan_reused = increment_of(SCAN_REUSED_BYTES)


def count_candidate() -> None:
    CANDIDATES.inc()


def count_audit_record(event: str) -> None:
    AUDIT_RECORDS_BY.inc(event)


def observe_websocket(state: FlowState) -> None:
    """Count the inspected WebSocket messages of one AI flow (call once, when it ends)."""
    for action, count in state.ws_messages.items():
        WEBSOCKET_MESSAGES.labels(label_token(action)).inc(count)


def _labels_of(
    service_id: str | None, category: str | None, action: str, outcome: str | None,
    groups: frozenset[str], rule: str, group_order: Sequence[str],
) -> tuple[Increment, str, str, str]:
    key = (service_id, category, action, outcome, groups, rule, tuple(group_order))
    found = _flow_labels.get(key)
    if found is None:
        service, category_token = label_token(service_id), label_token(category)
        outcome_token = label_token(outcome)
        child = REQUESTS.labels(
            service, category_token, label_token(action), outcome_token,
            primary_group(groups, group_order), rule_kind(rule),
        )
        if len(_flow_labels) >= CHILDREN_MAX:
            _flow_labels.clear()
        found = _flow_labels[key] = (
            increment_of(child), service, category_token, outcome_token
        )
    return found


def observe_flow(state: FlowState, *, has_body: bool, group_order: Sequence[str] = ()) -> None:
    """Count one decided AI flow (call once per flow, when its outcome is final)."""
    decision = state.decision
    count_request, service, category, outcome = _labels_of(
        decision.service.id if decision.service else None, decision.category, decision.action,
        state.outcome, state.identity.groups, decision.rule, group_order,
    )
    count_request(1)
    _observe_decision_seconds(max(0.0, state.decision_seconds))
    set_policy(state.policy_version, state.policy_hash)
    if outcome in ("warned", "acknowledged", "continued"):
        WARN_PAGES_BY.inc(service, "shown" if outcome == "warned" else outcome)
    if state.ack is not None:
        ACKNOWLEDGEMENTS.labels(label_token(state.ack.service_id)).inc()
    if state.error_stage:
        count_hook_error(state.error_stage)
    _observe_inspection(state.inspection_summary(), category, forwarded=outcome in FORWARDED,
                        has_body=has_body)


def _observe_inspection(
    inspection: InspectionSummary | None, category: str, *, forwarded: bool, has_body: bool
) -> None:
    if inspection is None:
        if forwarded and has_body:
            UNSCANNED_BY.inc("not_inspected")
        return
    if inspection.inspected:
        INSPECTED_BY.inc(category)
    else:
        UNSCANNED_BY.inc(inspection.unscanned_reason or "unknown")
    if inspection.bytes_scanned:
        _add_scanned_bytes(inspection.bytes_scanned)
    _observe_scan_seconds(inspection.seconds)
    for finding in inspection.findings:
        FINDINGS_BY.inc(
            finding.detector, finding.data_class, finding.confidence, inspection.action or "none",
            amount=finding.count,
        )


_server_lock = threading.Lock()
_server: StatusServer | None = None
_server_address: tuple[str, int] | None = None
_readiness: Readiness = lambda: "proxy not started"  # noqa: E731  # replaced by the addon


def set_readiness(readiness: Readiness) -> None:
    """What `/readyz` reports: None when ready, else why not."""
    global _readiness
    _readiness = readiness


def serve(host: str, port: int) -> None:
    """Serve /metrics, /healthz and /readyz on host:port; once per process (a second call with
    the same address is a no-op, a different address moves the server)."""
    global _server, _server_address
    with _server_lock:
        if _server_address == (host, port):
            return
        _stop_locked()
        _server = StatusServer(host, port, REGISTRY, lambda: _readiness())
        _server_address = (host, port)


def stop() -> None:
    with _server_lock:
        _stop_locked()


def _stop_locked() -> None:
    global _server, _server_address
    if _server is not None:
        _server.close()
    _server, _server_address = None, None
