"""The responses aigate puts in place of an upstream answer, and failing closed.

Shared by the enforcing and tenant addons; pure builders over `aigate.respond` plus the one rule
every enforcement hook follows on an exception: an AI request is answered with a block response
("aigate could not evaluate this request"), unless the policy says `on_error: allow`.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import replace

from mitmproxy import http

from aigate.classify import normalize_host
from aigate.decide import Decision
from aigate.flowstate import FLOW_KEY, FlowState
from aigate.identify import Identity
from aigate.policy.loaded import LoadedPolicy
from aigate.proxy.headers import negotiation_headers
from aigate.proxy.policypage import POLICY_PAGE_KEY
from aigate.proxy.runtime import Runtime
from aigate.respond.api_errors import api_error, policy_message, text_error
from aigate.respond.negotiate import response_kind
from aigate.respond.pages import PageContext, block_page, notice_page

NOTICE_HEADER = "x-aigate-notice"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
REQUEST_ID_HEADER = "x-aigate-request-id"
ERROR_REASON = "aigate could not evaluate this request, so it was stopped to be safe."
_HTML = {"content-type": "text/html; charset=utf-8", "cache-control": "no-store"}

logger = logging.getLogger(__name__)


_ID_HEX = 12  # 6 random bytes
_ID_BATCH = 256
_ids: list[str] = []
_ids_lock = threading.Lock()


def new_request_id() -> str:
    """A short random id people can quote to the help desk; also in the audit log.

    Drawn from the OS random source 256 ids at a time: a system call per request costs more
    than the rest of the id. `list.pop` is atomic, so threads never share an id.
    """
    while True:
        try:
            return _ids.pop()
        except IndexError:
            with _ids_lock:
                if not _ids:
                    pool = os.urandom(_ID_HEX // 2 * _ID_BATCH).hex()
                    _ids.extend(pool[i : i + _ID_HEX] for i in range(0, len(pool), _ID_HEX))


def header_safe(text: str) -> str:
    """One line of printable ASCII, fit for a response header."""
    line = " ".join(text.split()).encode("ascii", "replace").decode("ascii")
    return _CONTROL.sub("?", line)  # NUL and other controls that `split` leaves in place


def _kind(flow: http.HTTPFlow, api_format: str | None) -> str:
    return response_kind(flow.request.method, negotiation_headers(flow.request), api_format)


def html_response(status: int, page: str, request_id: str) -> http.Response:
    headers = {**_HTML, "x-should-retry": "false", REQUEST_ID_HEADER: request_id}
    return http.Response.make(status, page.encode(), headers)


def refusal(
    flow: http.HTTPFlow,
    state: FlowState,
    loaded: LoadedPolicy,
    message: str,
    code: str,
    *,
    status: int = 403,
    reason: str | None = None,
    rule: str | None = None,
    findings: Iterable[tuple[str, int]] = (),
) -> http.Response:
    """A refusal in the client's language: the block page, the provider's error JSON, or short
    text. `reason`, `rule` and `findings` (kind label, count) override the page's why, e.g. for
    DLP, whose refusal comes from a data rule rather than the access rule."""
    decision = state.decision
    service = decision.service
    kind = _kind(flow, service.api_format if service else None)
    if kind == "html":
        ctx = PageContext.from_decision(
            decision, loaded.policy, state.request_id, flow.request.pretty_host, findings,
            policy_page_url=flow.metadata.get(POLICY_PAGE_KEY),
        )
        if reason is not None:
            ctx = replace(ctx, reason=reason)
        if rule is not None:
            ctx = replace(ctx, rule=rule)
        return html_response(status, block_page(ctx), state.request_id)
    if kind == "api":
        body, headers = api_error(service.api_format if service else None, status, message, code)
    else:
        body, headers = text_error(message)
    headers[REQUEST_ID_HEADER] = state.request_id
    return http.Response.make(status, body, headers)


def block_response(flow: http.HTTPFlow, state: FlowState, loaded: LoadedPolicy) -> http.Response:
    service = state.decision.service
    message = policy_message(
        state.decision.reason,
        state.request_id,
        organisation=loaded.policy.organisation,
        service=service.name if service else None,
    )
    return refusal(flow, state, loaded, message, "policy_blocked")


def warn_notice(state: FlowState, loaded: LoadedPolicy) -> str:
    """The `NOTICE_HEADER` text of a warned request forwarded to an API client (no page)."""
    service = state.decision.service
    return header_safe(
        policy_message(
            state.decision.reason, state.request_id, organisation=loaded.policy.organisation,
            service=service.name if service else None, verb="allowed with a warning",
        )
    )


def is_navigation(flow: http.HTTPFlow, state: FlowState) -> bool:
    """A person loading a page (as opposed to an API client or a page's script)."""
    service = state.decision.service
    return _kind(flow, service.api_format if service else None) == "html"


def _error_response(
    flow: http.HTTPFlow, request_id: str, api_format: str | None, reason: str = ERROR_REASON
) -> http.Response:
    message = f"{reason} Request id: {request_id}."
    kind = _kind(flow, api_format)
    if kind == "html":
        page = notice_page(
            reason.split(",", 1)[0],
            f"{reason} Try again in a moment; if it keeps happening, contact IT and quote "
            "the request id.",
            request_id,
            status="Blocked",
        )
        return html_response(403, page, request_id)
    if kind == "api":
        body, headers = api_error(api_format, 403, message, "aigate_error")
    else:
        body, headers = text_error(message)
    headers[REQUEST_ID_HEADER] = request_id
    return http.Response.make(403, body, headers)


def _service_of(flow: http.HTTPFlow, runtime: Runtime) -> tuple[bool, str | None]:
    """(is AI, api_format) for a flow whose evaluation failed; unknown counts as AI."""
    try:
        classifier = runtime.policy.classifier
        path = flow.request.path
        for host in {flow.request.pretty_host, flow.request.host}:
            match = classifier.classify(normalize_host(host), path)
            if match is not None:
                return True, match.service.api_format
        return False, None
    except Exception:
        return True, None


def fail_closed(
    flow: http.HTTPFlow,
    runtime: Runtime,
    stage: str,
    state: FlowState | None = None,
    reason: str = ERROR_REASON,
) -> None:
    """Answer an AI request whose evaluation raised: block, or pass on `on_error: allow`.

    Call from an `except` block; non-AI requests are left alone. `reason` is what the person
    or API client reads (a sentence; its first clause titles the page).
    """
    service = state.decision.service if state is not None else None
    # A decided flow is AI whatever its host (an unlisted endpoint is outside the catalog).
    is_ai, api_format = (True, service.api_format) if service else _service_of(flow, runtime)
    if not is_ai:
        logger.warning("aigate: %s failed on a non-AI request; passed", stage, exc_info=True)
        return
    try:
        on_error = runtime.policy.policy.on_error
    except Exception:
        on_error = "block"
    logger.error("aigate: %s failed for %s; on_error=%s", stage, flow.request.pretty_host,
                 on_error, exc_info=True)
    if state is None:
        peer = flow.client_conn.peername
        auth = flow.metadata.get("proxyauth")
        state = FlowState(
            request_id=new_request_id(),
            identity=Identity(auth[0] if auth else None, frozenset(), peer[0] if peer else None),
            decision=Decision("block", None, "on_error", ERROR_REASON),
            policy_version="",
            policy_hash="",
        )
        flow.metadata[FLOW_KEY] = state
    state.outcome = "error"
    state.error_stage = stage
    state.notes["on_error"] = on_error
    if on_error == "allow":
        flow.response = None
        return
    try:
        flow.response = _error_response(flow, state.request_id, api_format, reason)
    except Exception:
        flow.response = http.Response.make(
            403, (reason + "\n").encode(),
            {"content-type": "text/plain; charset=utf-8", "x-should-retry": "false"},
        )
