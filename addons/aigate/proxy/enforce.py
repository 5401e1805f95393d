"""Classify and decide every request to an AI service, then allow, warn, block or redirect.

Runs in `requestheaders`, so a refused request never waits for its body and, with
`connection_strategy=lazy`, never opens an upstream connection. Every hook catches its own
errors and fails closed (see `answer.fail_closed`): mitmproxy would otherwise log the exception
and forward the request.

Warn flow: a navigation gets the interstitial, whose form POSTs a signed continue token to
`ACK_PATH` on the same site; that answers 302 back with a signed acknowledgement cookie, which
lets the person through until it expires or the policy version changes. The cookie is removed
from every request before it goes upstream. Non-navigation requests to a warned service pass
with a notice header on the response.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from urllib.parse import urlsplit

from mitmproxy import ctx, exceptions, http

from aigate.classify import normalize_host
from aigate.decide import Decision, RequestFacts
from aigate.flowstate import FLOW_KEY, Acknowledgement, FlowState
from aigate.identify import Identity
from aigate.policy.loaded import LoadedPolicy
from aigate.proxy.answer import (
    NOTICE_HEADER,
    block_response,
    fail_closed,
    html_response,
    is_navigation,
    new_request_id,
    warn_notice,
)
from aigate.proxy.headers import host_header
from aigate.proxy.identify import IDENTITY_KEY, client_ip, proxy_user
from aigate.proxy.policypage import POLICY_PAGE_KEY
from aigate.proxy.runtime import Runtime
from aigate.respond.cookies import (
    COOKIE_NAME,
    AckSigner,
    ack_tokens,
    decode_key,
    load_or_create_key,
    set_cookie_header,
    strip_ack_cookie,
)
from aigate.respond.pages import PageContext, location_url, notice_page, warn_page
from aigate.verdict import decide_request, other_names

ACK_PATH = "/.aigate/ack"
KEY_FILE = "aigate-ack.key"
_ACK_PENDING = "aigate.ack_pending"
_FORWARDED = frozenset({"allowed", "continued", "monitored"})
_COOKIE_BYTES = COOKIE_NAME.encode()
_REMEMBERED_DECISIONS = 8192  # per loaded policy; cleared when full
_REMEMBERED_PATH_MAX = 512

logger = logging.getLogger(__name__)


def subject_of(identity: Identity) -> str:
    """Whom an acknowledgement binds: the user name, else (unauthenticated) the client address."""
    return identity.user or identity.client_ip or ""


class Enforce:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._decided_by: LoadedPolicy | None = None
        self._decisions: dict[tuple, Decision] = {}

    def load(self, loader) -> None:
        loader.add_option(
            "aigate_ack_key",
            str,
            "",
            "Key that signs warn acknowledgements (hex or base64, at least 16 bytes). Default: "
            "$AIGATE_ACK_KEY, else a key generated once in <confdir>/aigate-ack.key. Replicas "
            "sharing the key honour each other's acknowledgements.",
        )

    def configure(self, updated: set[str]) -> None:
        if "connection_strategy" in updated:
            self._force_lazy()
        if "aigate_ack_key" in updated or "confdir" in updated:
            self._load_key()

    def running(self) -> None:
        self._force_lazy()
        if self.runtime.signer is None:
            self._load_key()

    def _force_lazy(self) -> None:
        # Eager connections would dial a blocked host before any addon sees the request.
        if ctx.options.connection_strategy != "lazy":
            logger.warning("aigate: setting connection_strategy=lazy (blocked hosts are never "
                           "contacted)")
            ctx.options.connection_strategy = "lazy"

    def _load_key(self) -> None:
        text = ctx.options.aigate_ack_key
        try:
            if text:
                key = decode_key(text)
                if key is None:
                    raise ValueError("expected hex or base64 of at least 16 bytes")
            else:
                key = load_or_create_key(Path(ctx.options.confdir).expanduser() / KEY_FILE)
            self.runtime.signer = AckSigner(key)
        except (OSError, ValueError) as e:
            raise exceptions.OptionsError(f"aigate_ack_key: {e}") from e

    # --- hooks ------------------------------------------------------------------------------

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        if flow.response or flow.error or not flow.live:
            return
        started = time.perf_counter()
        state: FlowState | None = None
        try:
            loaded = self.runtime.policy
            state = self._evaluate(flow, loaded)
            if state is None:
                return
            self._act(flow, state, loaded)
        except Exception:
            fail_closed(flow, self.runtime, "decide" if state is None else "enforce", state)
            state = flow.metadata.get(FLOW_KEY)
        if state is not None:
            state.decision_seconds = time.perf_counter() - started

    def request(self, flow: http.HTTPFlow) -> None:
        if not flow.metadata.pop(_ACK_PENDING, False) or flow.response or not flow.live:
            return
        state: FlowState = flow.metadata[FLOW_KEY]
        try:
            self._acknowledge(flow, state, self.runtime.policy)
        except Exception:
            fail_closed(flow, self.runtime, "acknowledge", state)

    def responseheaders(self, flow: http.HTTPFlow) -> None:
        state = flow.metadata.get(FLOW_KEY)
        if state is not None and flow.response is not None and state.outcome in _FORWARDED:
            # Only a forwarded request carries the notice: a request the DLP rules stopped
            # later must not also say it was "allowed with a warning".
            notice = state.notes.get("notice")
            if notice:
                flow.response.headers[NOTICE_HEADER] = notice

    # --- steps --------------------------------------------------------------------------------

    def _evaluate(self, flow: http.HTTPFlow, loaded: LoadedPolicy) -> FlowState | None:
        """The FlowState of an AI request (decision made), or None for other traffic."""
        request = flow.request
        identity: Identity | None = flow.metadata.get(IDENTITY_KEY)
        if identity is None:
            user, ip = proxy_user(flow), client_ip(flow)
            identity = Identity(user, loaded.groups_for(user, ip), ip)
        # The Host header (or :authority) names the site; `decide` normalizes it. (mitmproxy's
        # `pretty_host` parses the same header but costs several times more per request.)
        host = host_header(request) or request.host
        decision = self._decide(loaded, host, request, identity, flow.client_conn.sni)
        if decision.service is None:
            return None
        state = FlowState(
            request_id=new_request_id(),
            identity=identity,
            decision=decision,
            policy_version=loaded.version,
            policy_hash=loaded.sha256,
        )
        flow.metadata[FLOW_KEY] = state
        return state

    def _decide(
        self,
        loaded: LoadedPolicy,
        host: str,
        request: http.Request,
        identity: Identity,
        sni: str | None,
    ) -> Decision:
        """`decide_request` for the request's names and requester, remembered per loaded
        policy: a client sends the same request to the same host again and again, and the
        decision depends on nothing else."""
        path = request.path
        key = (host, path, request.method, request.host, sni, request.authority,
               identity.user, identity.groups, identity.client_ip)
        if self._decided_by is not loaded:
            self._decided_by, self._decisions = loaded, {}
        decision = self._decisions.get(key)
        if decision is not None:
            return decision
        facts = RequestFacts(
            host, path, request.method, identity.user, identity.groups, identity.client_ip
        )
        # The connection goes to the CONNECT (or absolute-URL) host, with the client's SNI,
        # while the Host header picks a site behind it; inside a tunnel an absolute-form target
        # or an HTTP/2 :authority names one too (mitmproxy keeps it as `authority` and sends it
        # on, and the server routes by it): every name counts (domain fronting).
        names = other_names(normalize_host(host), request.host, sni, request.authority)
        decision = decide_request(loaded, facts, names)
        if len(path) <= _REMEMBERED_PATH_MAX:  # long targets are unique: not worth keeping
            if len(self._decisions) >= _REMEMBERED_DECISIONS:
                self._decisions.clear()
            self._decisions[key] = decision
        return decision

    def _act(self, flow: http.HTTPFlow, state: FlowState, loaded: LoadedPolicy) -> None:
        tokens = self._take_ack_cookies(flow.request)
        path = flow.request.path
        if path.startswith(ACK_PATH) and urlsplit(path).path == ACK_PATH:
            flow.metadata[_ACK_PENDING] = True  # answered in `request`, once the form is read
            return
        decision = state.decision
        if not decision.enforced:
            state.outcome = "monitored"
            return
        action = decision.action
        if action == "allow":
            state.outcome = "allowed"
        elif action == "warn":
            self._warn(flow, state, loaded, tokens)
        elif (
            action == "redirect"
            and location_url(decision.redirect_url)
            and is_navigation(flow, state)
        ):
            flow.response = http.Response.make(
                302, b"", {"location": decision.redirect_url, "cache-control": "no-store"}
            )
            state.outcome = "redirected"
        else:  # block, and redirect for API clients
            flow.response = block_response(flow, state, loaded)
            state.outcome = "blocked"

    def _take_ack_cookies(self, request: http.Request) -> tuple[str, ...]:
        """aigate's cookie values, removed from the request: the upstream never sees them."""
        # One substring search over the raw values first (a match in another header only costs
        # the exact check below): few requests carry the cookie, and mitmproxy's per-name
        # lookup costs several times more.
        if _COOKIE_BYTES not in b"\n".join([value for _, value in request.headers.fields]):
            return ()
        values = request.headers.get_all("cookie")
        if not values or not any(COOKIE_NAME in v for v in values):
            return ()
        tokens: list[str] = []
        kept: list[str] = []
        for value in values:
            tokens.extend(ack_tokens(value))
            stripped = strip_ack_cookie(value)
            if stripped:
                kept.append(stripped)
        request.headers.set_all("cookie", kept)
        return tuple(tokens)

    def _warn(
        self, flow: http.HTTPFlow, state: FlowState, loaded: LoadedPolicy, tokens: tuple[str, ...]
    ) -> None:
        service = state.decision.service
        assert service is not None
        signer = self.runtime.signer
        assert signer is not None
        subject = subject_of(state.identity)
        now = time.time()
        if any(signer.verify(t, subject, service.id, loaded.version, now) for t in tokens):
            state.outcome = "continued"
            return
        if not is_navigation(flow, state):
            state.outcome = "allowed"
            state.notes["notice"] = warn_notice(state, loaded)
            return
        token = signer.sign_continue(subject, service.id, flow.request.url, now)
        page_ctx = PageContext.from_decision(
            state.decision, loaded.policy, state.request_id, flow.request.pretty_host,
            policy_page_url=flow.metadata.get(POLICY_PAGE_KEY),
        )
        flow.response = html_response(200, warn_page(page_ctx, ACK_PATH, token), state.request_id)
        state.outcome = "warned"

    def _acknowledge(self, flow: http.HTTPFlow, state: FlowState, loaded: LoadedPolicy) -> None:
        """The continue form arrived: check its token, set the cookie, send the person back."""
        request = flow.request
        signer = self.runtime.signer
        assert signer is not None
        if request.method == "POST":
            token = request.urlencoded_form.get("token", "")
        else:
            token = request.query.get("token", "")
        subject = subject_of(state.identity)
        now = time.time()
        grant = signer.read_continue(token, subject, now)
        host = normalize_host(request.pretty_host)
        if (
            grant is None
            or location_url(grant.return_url) is None
            or normalize_host(urlsplit(grant.return_url).netloc) != host
        ):
            state.outcome = "blocked"
            state.notes["ack"] = "invalid"
            page = notice_page(
                "This confirmation has expired",
                "The link you followed is not valid any more. Go back and open the page again "
                "to see the guidance.",
                state.request_id,
                organisation=loaded.policy.organisation,
            )
            flow.response = html_response(403, page, state.request_id)
            return
        ttl = int(loaded.policy.warn.ack_ttl_hours * 3600)
        cookie = signer.sign(subject, grant.service_id, loaded.version, int(now) + ttl)
        flow.response = http.Response.make(
            302,
            b"",
            {
                "location": grant.return_url,
                "set-cookie": set_cookie_header(cookie, ttl, secure=request.scheme == "https"),
                "cache-control": "no-store",
            },
        )
        state.outcome = "acknowledged"
        state.ack = Acknowledgement(
            user=state.identity.user,
            client_ip=state.identity.client_ip,
            service_id=grant.service_id,
            policy_version=loaded.version,
            time=now,
        )
