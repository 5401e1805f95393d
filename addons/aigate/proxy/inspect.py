"""Inspect what forwarded AI requests send (prompts, uploads, WebSocket messages) and apply the
policy's `dlp` section: block, warn, redact or log.

Only flows the enforcing addon lets through are inspected (outcome allowed, continued or
monitored); non-AI traffic, blocked flows and requests without a body cost nothing.

- `requestheaders`: an upload whose Content-Length is over `dlp.max_scan_bytes` is refused with
  413 (`on_oversize: block`), decided from the headers, and request streaming is turned off for
  inspected flows, so nothing reaches the upstream unscanned. (mitmproxy 12 still reads, and
  drops, the body of a request answered in `requestheaders` before it sends the answer; its
  `body_size_limit` option is the hard cap on what it will read.)
- `request` (body buffered): decode, extract, scan (bodies over `OFF_LOOP_BYTES` off the event
  loop), then act. `block` answers 403 naming the kinds of data found, never the values: the
  block page for navigations and form posts, the provider's error JSON for API clients.
  `redact` forwards the decoded body with each value replaced (`[REDACTED:credit_card]`), without
  Content-Encoding and with a fixed Content-Length; a body that cannot be redacted in place is
  blocked. `warn` forwards with a notice header (`x-aigate-notice`): a page cannot be shown in
  the middle of a web app's POST without breaking the app, so the person is not interrupted and
  the audit record carries the warning. `log` forwards.
- `websocket_message`: client-to-server messages are scanned; `block` drops the message,
  `redact` rewrites it; counts by action go to `FlowState.ws_messages`. A message that was
  blocked, redacted, warned about, logged with findings, or could not be inspected also leaves
  a `WebSocketVerdict` (sizes, action, findings summary; never the text) in
  `FlowState.ws_verdict`, which the audit addon turns into a `websocket_message` record. Clean
  messages are only counted.

Monitor mode scans and records the verdict but never acts. An exception while inspecting fails
closed like the enforcing addon (`answer.fail_closed`, stage "inspect"), unless `on_error: allow`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections import Counter
from collections.abc import Awaitable
from typing import Any

from mitmproxy import http
from mitmproxy.websocket import WebSocketMessage

from aigate.classify import normalize_host
from aigate.flowstate import FLOW_KEY, FlowState, WebSocketVerdict
from aigate.inspect import (
    DlpVerdict,
    Inspection,
    RedactionError,
    Scanner,
    dlp_action,
    inspect_request,
    inspect_ws,
    redact_request,
    redact_url,
)
from aigate.inspect.result import Extraction
from aigate.inspect.summary import summarize
from aigate.policy.loaded import LoadedPolicy
from aigate.policy.model import Dlp
from aigate.proxy.answer import fail_closed, header_safe, refusal
from aigate.proxy.headers import header_value, header_values, host_header
from aigate.proxy.runtime import Runtime

# Bodies larger than this are scanned in a worker thread so other flows keep moving.
OFF_LOOP_BYTES = 64 * 1024
INSPECTED_OUTCOMES = frozenset({"allowed", "continued", "monitored"})
INSPECT_ERROR_REASON = "aigate could not inspect this request, so it was stopped to be safe."
# WebSocket messages whose verdict is audited one by one (clean and unscanned-only `log`
# messages are counted only: a voice session sends binary frames many times a second).
AUDITED_WS_ACTIONS = frozenset({"block", "redact", "warn"})

logger = logging.getLogger(__name__)


# A kind's name ends where the description's details start.
_LABEL_END = re.compile(r" \(|: |; | - | — |\. |, | whose | that | with ")
_LABEL_MAX = 60


def kind_label(scanner: Scanner, detector_id: str) -> str:
    """What a person calls a kind of data ("payment card number"), from the detector's text."""
    for detector in scanner.detectors:
        if detector.id == detector_id and detector.description:
            text = _LABEL_END.split(detector.description, 1)[0].strip().rstrip(".")
            if len(text) > _LABEL_MAX:
                text = text[:_LABEL_MAX].rsplit(" ", 1)[0] + "…"
            if len(text) > 1 and (text[1].islower() or text[1] == " "):
                text = text[0].lower() + text[1:]  # keep acronyms such as "AWS ..."
            return text
    return detector_id.replace("_", " ")


def found_kinds(scanner: Scanner, inspection: Inspection) -> list[tuple[str, int]]:
    """(label, count) per kind of data found: what pages and messages may show."""
    counts = Counter(f.detector for f in inspection.findings)
    return [(kind_label(scanner, kind), counts[kind]) for kind in sorted(counts)]


def why(verdict: DlpVerdict, labels: list[str], rule_reason: str) -> str:
    """The clause that says why a request was stopped or flagged (kinds of data, never values)."""
    if verdict.rule_id in ("dlp.on_oversize", "dlp.on_unscanned") or not labels:
        text = verdict.reason
    else:
        text = "it contains " + ", ".join(labels)
    text = f"{text}; {rule_reason}" if rule_reason else text
    return text.rstrip(".")  # callers end the sentence


def dlp_message(
    what: str, verb: str, reason: str, request_id: str, organisation: str | None
) -> str:
    """The sentence an API client reads, e.g. in PermissionDeniedError."""
    who = f"the {organisation} AI policy" if organisation else "the company AI policy"
    reason = " ".join(reason.split()).rstrip(".")
    return f"{what} was {verb} by {who} (aigate): {reason}. Request id: {request_id}."


def _rule_reason(loaded: LoadedPolicy, rule_id: str | None) -> str:
    rule = next((r for r in loaded.policy.dlp.rules if r.id == rule_id), None)
    return rule.reason.strip() if rule is not None else ""


# The same few AI hosts over and over: normalizing costs several times a cache hit.
_normal_host = functools.lru_cache(maxsize=1024)(normalize_host)


def _content_length(request: http.Request) -> int | None:
    value = header_value(request, b"content-length")
    if value is None:  # most requests without a body: no exception raised and caught
        return None
    try:
        return int(value)
    except ValueError:
        return None


class Inspect:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    # --- hooks ------------------------------------------------------------------------------

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        if flow.response or flow.error or not flow.live:
            return
        state = _inspectable(flow)
        if state is None:
            return
        try:
            self._check_size(flow, state)
        except Exception:
            self._failed(flow, state)

    def request(self, flow: http.HTTPFlow) -> Awaitable[None] | None:
        """Inspect the buffered body; a coroutine only for a body scanned off the event loop
        (mitmproxy awaits it)."""
        if flow.response or flow.error or not flow.live:
            return None
        state = _inspectable(flow)
        if state is None or (not flow.request.raw_content and len(flow.request.path) < 2):
            return None  # nothing leaves but "/"
        try:
            loaded = self.runtime.policy
            scanner = self._scanner()
            if not loaded.policy.dlp.enabled:
                return None
            args = self._scan_args(flow, state, loaded)
            if len(args["body"]) > OFF_LOOP_BYTES:
                return self._inspect_off_loop(flow, state, loaded, scanner, args)
            self._apply(flow, state, loaded, scanner, inspect_request(scanner, **args))
        except Exception:
            self._failed(flow, state)
        return None

    async def _inspect_off_loop(
        self,
        flow: http.HTTPFlow,
        state: FlowState,
        loaded: LoadedPolicy,
        scanner: Scanner,
        args: dict[str, Any],
    ) -> None:
        """A large body is scanned in a worker thread so other flows keep moving."""
        try:
            inspection = await asyncio.to_thread(inspect_request, scanner, **args)
            if flow.response or flow.error or not flow.live:
                return  # the client went away while it was scanned
            self._apply(flow, state, loaded, scanner, inspection)
        except Exception:
            self._failed(flow, state)

    async def websocket_message(self, flow: http.HTTPFlow) -> None:
        websocket = flow.websocket
        state = _inspectable(flow)
        if websocket is None or state is None or not websocket.messages:
            return
        message = websocket.messages[-1]
        if not message.from_client or message.dropped:
            return
        state.ws_verdict = None
        size = len(message.content)  # before a redaction rewrites it
        ordinal = sum(state.ws_messages.values()) + 1
        try:
            action = await self._inspect_ws(flow, state, message, ordinal, size)
        except Exception:
            logger.error("aigate: inspect failed on a WebSocket message to %s",
                         flow.request.pretty_host, exc_info=True)
            state.error_stage = "inspect"
            action = "error"
            dropped = state.decision.enforced and self._on_error() != "allow"
            if dropped:
                message.drop()
            state.ws_verdict = WebSocketVerdict(
                ordinal, "text" if message.is_text else "binary", size, None,
                "dropped" if dropped else "forwarded", None, state.policy_version,
                state.policy_hash, error_stage="inspect", time=message.timestamp,
            )
        state.ws_messages[action] = state.ws_messages.get(action, 0) + 1

    # --- steps --------------------------------------------------------------------------------

    def _check_size(self, flow: http.HTTPFlow, state: FlowState) -> None:
        """Refuse an upload over the scan limit from its Content-Length: it is never scanned."""
        request = flow.request
        loaded = self.runtime.policy
        dlp = loaded.policy.dlp
        if not dlp.enabled:
            return
        # Inspection needs the whole body: a streamed request would be forwarded before `request`.
        request.stream = False
        length = _content_length(request)
        if length is None or length <= dlp.max_scan_bytes:
            return
        inspection = Inspection(
            Extraction("oversize"),
            oversize=True,
            unscanned=(f"body of {length} bytes is over the scan limit of {dlp.max_scan_bytes}",),
        )
        verdict = dlp_action(dlp, (), oversize=True)
        state.inspection = inspection.with_verdict(verdict.action, verdict.rule_id)
        if verdict.action == "block" and state.decision.enforced:
            self._block(flow, state, loaded, verdict, inspection, status=413)

    def _scan_args(
        self, flow: http.HTTPFlow, state: FlowState, loaded: LoadedPolicy
    ) -> dict[str, Any]:
        """What `inspect_request` reads of the request."""
        request = flow.request
        service = state.decision.service
        content_type, content_encoding = header_values(
            request, b"content-type", b"content-encoding"
        )
        return {
            "body": request.raw_content or b"",
            "host": _normal_host(host_header(request) or request.host),
            "path": request.path,
            "content_type": content_type,
            "content_encoding": content_encoding,
            "api_format": service.api_format if service else None,
            "max_bytes": loaded.policy.dlp.max_scan_bytes,
        }

    def _apply(
        self,
        flow: http.HTTPFlow,
        state: FlowState,
        loaded: LoadedPolicy,
        scanner: Scanner,
        inspection: Inspection,
    ) -> None:
        """Record the DLP verdict on the inspection and act on it (unless in monitor mode)."""
        dlp = loaded.policy.dlp
        request = flow.request
        body = request.raw_content or b""
        if not body and not inspection.findings:
            return  # a request without a body whose URL holds nothing: not an inspection
        verdict = _verdict(dlp, inspection, state)
        state.inspection = inspection.with_verdict(verdict.action, verdict.rule_id)
        if not state.decision.enforced:
            return  # monitor mode: the verdict is recorded, never applied
        if verdict.action == "redact":
            try:
                content_type = header_value(request, b"content-type")
                redacted = redact_request(inspection, content_type) if body else b""
                path = redact_url(request.path, inspection.extraction.segments,
                                  inspection.findings)
            except RedactionError as e:
                logger.info("aigate: request %s cannot be redacted (%s); blocked",
                            state.request_id, e)
                state.inspection = inspection.with_verdict("block", verdict.rule_id)
                state.notes["dlp"] = "redaction impossible; blocked"
                self._block(flow, state, loaded, verdict, inspection)
                return
            if body:
                request.headers.pop("content-encoding", None)
                request.content = redacted  # also sets Content-Length
            request.path = path
        elif verdict.action == "block":
            self._block(flow, state, loaded, verdict, inspection)
        elif verdict.action == "warn":
            labels = [label for label, _ in found_kinds(scanner, inspection)]
            notice = dlp_message(
                "This request",
                "flagged",
                why(verdict, labels, _rule_reason(loaded, verdict.rule_id)),
                state.request_id,
                loaded.policy.organisation,
            )
            # The enforcing addon puts notes["notice"] on the response as NOTICE_HEADER.
            earlier = state.notes.get("notice")
            state.notes["notice"] = header_safe(f"{earlier} {notice}" if earlier else notice)

    async def _inspect_ws(
        self,
        flow: http.HTTPFlow,
        state: FlowState,
        message: WebSocketMessage,
        ordinal: int,
        size: int,
    ) -> str:
        """Scan one client message; drop or rewrite it per the verdict, and leave the verdict
        for the audit log when it is worth a record. Returns the action."""
        loaded = self.runtime.policy
        scanner = self._scanner()
        dlp = loaded.policy.dlp
        if not dlp.enabled:
            return "allow"
        content = message.text if message.is_text else message.content
        host = normalize_host(flow.request.host_header or flow.request.host)
        path = flow.request.path
        if size > OFF_LOOP_BYTES:
            inspection = await asyncio.to_thread(inspect_ws, scanner, content, host=host, path=path)
        else:
            inspection = inspect_ws(scanner, content, host=host, path=path)
        verdict = _verdict(dlp, inspection, state)
        action: str = verdict.action
        outcome = "forwarded"
        if state.decision.enforced and action == "redact":
            try:
                message.content = redact_request(inspection)
                outcome = "redacted"
            except RedactionError:
                action = "block"
        if state.decision.enforced and action == "block":
            message.drop()
            outcome = "dropped"
            logger.info("aigate: dropped a WebSocket message of %s to %s (%s)", state.request_id,
                        flow.request.pretty_host, ", ".join(inspection.kinds) or verdict.reason)
        if action in AUDITED_WS_ACTIONS or (action == "log" and inspection.findings):
            state.ws_verdict = WebSocketVerdict(
                ordinal,
                "text" if message.is_text else "binary",
                size,
                action,
                outcome,  # type: ignore[arg-type]
                summarize(inspection.with_verdict(action, verdict.rule_id)),
                loaded.version,
                loaded.sha256,
                time=message.timestamp,
            )
        return action

    def _block(
        self,
        flow: http.HTTPFlow,
        state: FlowState,
        loaded: LoadedPolicy,
        verdict: DlpVerdict,
        inspection: Inspection,
        status: int = 403,
    ) -> None:
        kinds = found_kinds(self._scanner(), inspection) if inspection.findings else []
        reason = why(verdict, [label for label, _ in kinds], _rule_reason(loaded, verdict.rule_id))
        service = state.decision.service
        what = f"This request to {service.name}" if service else "This request"
        message = dlp_message(what, "blocked", reason, state.request_id,
                              loaded.policy.organisation)
        page_reason = f"Your request was stopped before it left the company: {reason}."
        code = "request_too_large" if status == 413 else "sensitive_data_blocked"
        flow.response = refusal(
            flow, state, loaded, message, code, status=status, reason=page_reason,
            rule=verdict.rule_id, findings=kinds,
        )
        state.outcome = "blocked"

    def _failed(self, flow: http.HTTPFlow, state: FlowState) -> None:
        """An exception while inspecting: fail closed (or record and pass in monitor mode)."""
        if not state.decision.enforced:
            logger.error("aigate: inspect failed for %s (monitor mode: passed)",
                         flow.request.pretty_host, exc_info=True)
            state.error_stage = "inspect"
            return
        fail_closed(flow, self.runtime, "inspect", state, INSPECT_ERROR_REASON)

    def _scanner(self) -> Scanner:
        scanner = self.runtime.scanner
        if scanner is None:
            raise RuntimeError("no DLP scanner built for the aigate policy")
        return scanner

    def _on_error(self) -> str:
        try:
            return self.runtime.policy.policy.on_error
        except Exception:
            return "block"


def _inspectable(flow: http.HTTPFlow) -> FlowState | None:
    """The FlowState of an AI flow aigate forwards, else None (non-AI, refused, answered)."""
    state = flow.metadata.get(FLOW_KEY)
    if isinstance(state, FlowState) and state.outcome in INSPECTED_OUTCOMES:
        return state
    return None


def _verdict(dlp: Dlp, inspection: Inspection, state: FlowState) -> DlpVerdict:
    """What the policy's DLP rules say about an inspection on this flow."""
    service = state.decision.service
    return dlp_action(
        dlp,
        inspection.findings,
        service=service.id if service else None,
        category=state.decision.category,
        groups=state.identity.groups,
        unscanned=inspection.unscanned,
        oversize=inspection.oversize,
    )
