"""Decide requests to unlisted AI endpoints: hosts outside the catalog whose path and JSON body
look like a model API (`aigate.endpoints`).

Runs right after the enforcing addon, only on flows it left alone (no `FlowState`):
- `requestheaders`: the path alone makes a candidate (a set lookup rejects most paths); the
  candidate's body is buffered, never streamed, so it can be read.
- `request`: the body confirms it. The request is decided as the pseudo-service
  `unlisted-ai-endpoint` and gets a `FlowState`, so the inspect, audit and metrics addons after
  this one treat it as any AI request. allow forwards; warn forwards with the notice header (the
  request is an API call: there is no page to show, and no acknowledgement to give); block, and
  redirect (an API client cannot follow one), answer with the API family's error shape;
  monitor mode forwards and records.

It sees only what aigate sees: plain HTTP always, HTTPS only to hosts it decrypts
(docs/routing.md). A failure before the body confirms the request passes it (it is not known to
be AI); after that, it fails closed like the enforcing addon.
"""

from __future__ import annotations

import logging
import time

from mitmproxy import http

from aigate.decide import Decision, RequestFacts, decide
from aigate.endpoints import ModelApiShape, confirm_body, match_path, unlisted_service
from aigate.flowstate import FLOW_KEY, FlowState
from aigate.identify import Identity
from aigate.policy.loaded import LoadedPolicy
from aigate.proxy.answer import (
    ERROR_REASON,
    block_response,
    fail_closed,
    new_request_id,
    warn_notice,
)
from aigate.proxy.headers import header_value, host_header
from aigate.proxy.identify import IDENTITY_KEY, client_ip, proxy_user
from aigate.proxy.runtime import Runtime
from aigate.record.events import HookError, publish

CANDIDATE_KEY = "aigate.unlisted_candidate"

logger = logging.getLogger(__name__)


class Unlisted:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        if flow.response or flow.error or not flow.live or FLOW_KEY in flow.metadata:
            return
        try:
            if not self.runtime.policy.policy.unlisted_endpoints.detect:
                return
            shape = match_path(flow.request.path)
            if shape is not None:
                flow.metadata[CANDIDATE_KEY] = shape
                flow.request.stream = False  # the body must be whole in `request`
        except Exception as e:
            self._passed(flow, e)

    def request(self, flow: http.HTTPFlow) -> None:
        shape: ModelApiShape | None = flow.metadata.pop(CANDIDATE_KEY, None)
        if shape is None or flow.response or flow.error or not flow.live:
            return
        started = time.perf_counter()
        request = flow.request
        try:
            body = request.raw_content or b""
            if not confirm_body(shape, body, header_value(request, b"content-encoding")):
                return
        except Exception as e:
            self._passed(flow, e)
            return
        state: FlowState | None = None
        try:
            loaded = self.runtime.policy
            state = self._decide(flow, loaded, shape)
            self._act(flow, state, loaded)
        except Exception:
            if state is None:
                state = _error_state(flow, shape)
            fail_closed(flow, self.runtime, "unlisted", state)
        state.decision_seconds = time.perf_counter() - started

    # --- steps --------------------------------------------------------------------------------

    def _decide(self, flow: http.HTTPFlow, loaded: LoadedPolicy, shape: ModelApiShape) -> FlowState:
        request = flow.request
        identity: Identity | None = flow.metadata.get(IDENTITY_KEY)
        if identity is None:
            user, ip = proxy_user(flow), client_ip(flow)
            identity = Identity(user, loaded.groups_for(user, ip), ip)
        facts = RequestFacts(
            host_header(request) or request.host, request.path, request.method,
            identity.user, identity.groups, identity.client_ip,
        )
        state = FlowState(
            request_id=new_request_id(),
            identity=identity,
            decision=decide(loaded, facts, unlisted_service(shape)),
            policy_version=loaded.version,
            policy_hash=loaded.sha256,
            endpoint=shape.id,
        )
        flow.metadata[FLOW_KEY] = state
        return state

    def _act(self, flow: http.HTTPFlow, state: FlowState, loaded: LoadedPolicy) -> None:
        decision = state.decision
        if not decision.enforced:
            state.outcome = "monitored"
        elif decision.action == "allow":
            state.outcome = "allowed"
        elif decision.action == "warn":
            state.outcome = "allowed"
            state.notes["notice"] = warn_notice(state, loaded)  # set by Enforce.responseheaders
        else:  # block, and redirect: an API client cannot follow one
            flow.response = block_response(flow, state, loaded)
            state.outcome = "blocked"

    def _passed(self, flow: http.HTTPFlow, error: Exception) -> None:
        """A failure before the request is known to be AI: log, count and let it pass."""
        logger.warning("aigate: unlisted-endpoint check failed for %s; passed",
                       flow.request.pretty_host, exc_info=True)
        publish(HookError(stage="unlisted", error_type=type(error).__name__))


def _error_state(flow: http.HTTPFlow, shape: ModelApiShape) -> FlowState:
    """The state of a confirmed unlisted request whose decision failed, for `fail_closed`."""
    identity = flow.metadata.get(IDENTITY_KEY)
    if identity is None:
        peer = flow.client_conn.peername
        identity = Identity(None, frozenset(), peer[0] if peer else None)
    state = FlowState(
        request_id=new_request_id(),
        identity=identity,
        decision=Decision("block", unlisted_service(shape), "on_error", ERROR_REASON),
        policy_version="",
        policy_hash="",
        endpoint=shape.id,
    )
    flow.metadata[FLOW_KEY] = state
    return state
