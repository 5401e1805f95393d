"""Allowed AI requests whose site does not answer: aigate's own answer where it can give one, and
an audit record and metric (outcome `upstream_error`) for every one.

Why this addon checks the connection itself: mitmproxy 12.3 offers no hook that replaces the
response it sends when it cannot reach the upstream. `HttpStream.make_server_connection`
(proxy/layers/http/__init__.py) hands the connect error to `handle_protocol_error`, which runs
the `error` hook and then sends a `ResponseProtocolError` to the client; the client-side
connection (`Http1Server` in _http1.py, `Http2Server` in _http2.py) turns that into its fixed
HTML page (`make_error_response` / `format_error`) whatever the hook did to `flow.response`, and
neither `responseheaders` nor `response` runs for such a flow. `server_connect_error` and
`tls_failed_server` see the connection, not the flow. An addon can answer a flow only before
mitmproxy dials, in `request`. So, before an allowed AI request goes out on a new upstream
connection, this addon may connect to the same address itself (DNS and TCP, then closed at once),
within `aigate_upstream_connect_timeout`, and when that fails answer in place of the site:

- API clients get the provider's error JSON (`aigate.respond.api_errors`) with status 502 (504
  when the connection timed out), `x-should-retry: true` and `retry-after`, so the OpenAI and
  Anthropic SDKs retry after a pause as they would the provider's own 5xx;
- people get a page in the block page's shell saying that the policy allowed the request and the
  site did not answer, with the request id; other clients a line of text.

When it checks (`aigate_upstream_check`): `pages` (default) before a person's page load and
before any request to an address mitmproxy failed to reach earlier (until a connection to it
succeeds again), so an SDK's retry of mitmproxy's 502 gets the JSON; `all` before every
request that needs a new upstream connection (one extra TCP handshake per new connection); `off`
never. A request on an upstream connection the client already has open is never checked. A
request mitmproxy would fail at once, without dialling, because it failed to reach that address
before on the same client connection (HTTP/2 clients keep theirs open) is answered without a
check.

What stays mitmproxy's: failures the check cannot foresee (the TLS handshake with the site, a
connection closed before the response, `tcp_timeout`) still get mitmproxy's own error. Every
failure of an allowed AI request, answered by aigate or not, is recorded: outcome
`upstream_error` and `upstream_error` (dns, refused, unreachable, timeout, tls, closed) in the
audit record, `outcome="upstream_error"` in `aigate_requests_total`.

Load after the enforcing and inspecting addons (only requests they forward are checked) and
before the audit and metrics addons (they read the outcome this addon sets).
"""

from __future__ import annotations

import asyncio
import errno
import logging
import re
import socket
import time
from collections import Counter
from collections.abc import Awaitable
from dataclasses import replace

from mitmproxy import connection, ctx, exceptions, http, tls
from mitmproxy.proxy import server_hooks

from aigate.flowstate import FLOW_KEY, FlowState, UpstreamError
from aigate.proxy.answer import REQUEST_ID_HEADER
from aigate.proxy.audit import pretty_host
from aigate.proxy.headers import is_page_load, negotiation_headers
from aigate.proxy.policypage import POLICY_PAGE_KEY
from aigate.proxy.runtime import Runtime
from aigate.record import metrics
from aigate.respond.api_errors import RETRYABLE_HEADERS, api_error, text_error, unreachable_message
from aigate.respond.negotiate import response_kind
from aigate.respond.pages import PageContext, upstream_error_page

CHECK_MODES = ("pages", "all", "off")
DEFAULT_CONNECT_TIMEOUT = 10.0
FAILING_MAX = 1024  # addresses remembered as failing; the oldest is forgotten first
FAILING_SECONDS = 600.0  # an address not tried for this long is no longer checked first
_FORWARDED = frozenset({"allowed", "continued", "monitored"})
_HTML = {"content-type": "text/html; charset=utf-8", "cache-control": "no-store"}

_PROBLEMS: dict[str, str] = {
    "dns": "its name could not be resolved",
    "refused": "it refused the connection",
    "unreachable": "the network could not reach it",
    "timeout": "it did not accept a connection in time",
    "tls": "the secure (TLS) connection to it failed",
    "closed": "it closed the connection without an answer",
}
# mitmproxy's error texts of a server connection that was open: the site, not the client.
_SERVER_CLOSED = ("server closed connection", "Cannot parse HTTP response",
                  "unexpected server response")
_DNS = re.compile(r"\[Errno -\d+\]|name resolution|Name or service not known|nodename nor "
                  r"servname|No address associated", re.IGNORECASE)

logger = logging.getLogger(__name__)

Address = tuple[str, int]


def kind_of_message(message: str) -> UpstreamError:
    """The kind of a connect error as mitmproxy words it (`str(OSError)`)."""
    if _DNS.search(message):
        return "dns"
    lowered = message.lower()
    if "timed out" in lowered or "[errno 110]" in lowered:
        return "timeout"
    if "refused" in lowered or "[errno 111]" in lowered:
        return "refused"
    return "unreachable"


def kind_of_exception(error: BaseException) -> UpstreamError:
    """The kind of an exception from connecting (`asyncio.open_connection`)."""
    if isinstance(error, socket.gaierror):
        return "dns"
    if isinstance(error, TimeoutError) or getattr(error, "errno", None) == errno.ETIMEDOUT:
        return "timeout"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    return kind_of_message(str(error))


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds <= 300:
        raise exceptions.OptionsError(
            f"aigate_upstream_connect_timeout: {value!r} is not a number of seconds between 0 "
            "and 300; e.g. 10"
        )
    return seconds


def _address(address: object) -> Address | None:
    if not isinstance(address, tuple) or len(address) < 2:
        return None
    host, port = address[0], address[1]
    if not isinstance(host, str) or not isinstance(port, int):
        return None
    return host.lower().rstrip("."), port


def target_of(flow: http.HTTPFlow) -> Address:
    """The address mitmproxy will dial for `flow` (`HttpStream.make_server_connection`): the
    request's host and port, or the upstream proxy in upstream mode."""
    via = flow.server_conn.via
    if via is not None:
        found = _address(via[1])
        if found is not None:
            return found
    return flow.request.host.lower().rstrip("."), flow.request.port


def upstream_response(
    flow: http.HTTPFlow, state: FlowState, kind: UpstreamError, *, page_context: PageContext,
    timeout: float | None = None,
) -> http.Response:
    """aigate's answer to an allowed request whose site did not answer: a page, the provider's
    error JSON or text; 504 when it timed out, else 502; retryable."""
    service = state.decision.service
    api_format = service.api_format if service else None
    status = 504 if kind == "timeout" else 502
    problem = _PROBLEMS[kind]
    if kind == "timeout" and timeout:
        problem = f"it did not accept a connection within {timeout:g} seconds"
    host = page_context.host
    answer = response_kind(flow.request.method, negotiation_headers(flow.request), api_format)
    if answer == "html":
        retry = flow.request.url if flow.request.method in ("GET", "HEAD") else None
        page = upstream_error_page(page_context, problem, retry)
        body, headers = page.encode(), dict(_HTML)
    else:
        message = unreachable_message(host, problem, state.request_id,
                                      organisation=page_context.organisation or None)
        code = "upstream_timeout" if kind == "timeout" else "upstream_unreachable"
        body, headers = (
            api_error(api_format, status, message, code) if answer == "api"
            else text_error(message)
        )
    headers.update(RETRYABLE_HEADERS)
    headers[REQUEST_ID_HEADER] = state.request_id
    return http.Response.make(status, body, headers)


class Upstream:
    def __init__(self, runtime: Runtime | None = None) -> None:
        self.runtime = runtime
        self.mode = "pages"
        self.timeout = DEFAULT_CONNECT_TIMEOUT
        # Addresses mitmproxy or the check failed to connect to: monotonic time, kind.
        self.failing: dict[Address, tuple[float, UpstreamError]] = {}
        # Per client connection: upstream connections open, by address (mitmproxy reuses them).
        self.open: dict[str, Counter[Address]] = {}
        # Per client connection: the last upstream connect or TLS errors, by message, so the
        # `error` hook of a flow can tell a failure of the site from one of the client.
        self.failures: dict[str, dict[str, UpstreamError]] = {}
        # Per client connection: addresses mitmproxy failed to connect to. It keeps the failed
        # connection and fails every later request of that client to the address at once,
        # without dialling (`HttpLayer.get_connection`: `elif connection.error`); only a new
        # client connection tries again (HTTP/1 clients get one: mitmproxy's 502 closes theirs).
        self.broken: dict[str, dict[Address, UpstreamError]] = {}

    def load(self, loader) -> None:
        loader.add_option(
            "aigate_upstream_check",
            str,
            "pages",
            "When aigate itself connects to an AI site before forwarding an allowed request, so "
            "that an unreachable site gets aigate's page or the provider's retryable JSON error "
            "instead of mitmproxy's 502: 'pages' (a person's page loads, and sites that failed "
            "before), 'all' (every request that needs a new upstream connection), 'off'.",
            choices=CHECK_MODES,
        )
        loader.add_option(
            "aigate_upstream_connect_timeout",
            str,
            f"{DEFAULT_CONNECT_TIMEOUT:g}",
            "Seconds aigate's check waits for an AI site to accept a connection; a site that "
            "does not is answered with 504.",
        )

    def configure(self, updated: set[str]) -> None:
        if "aigate_upstream_check" in updated:
            mode = ctx.options.aigate_upstream_check
            if mode not in CHECK_MODES:  # mitmproxy lists `choices` but does not enforce them
                raise exceptions.OptionsError(
                    f"aigate_upstream_check: {mode!r} is not one of {', '.join(CHECK_MODES)}"
                )
            self.mode = mode
        if "aigate_upstream_connect_timeout" in updated:
            self.timeout = _seconds(ctx.options.aigate_upstream_connect_timeout)

    # --- what mitmproxy's own connections tell ---------------------------------------------------

    def server_connected(self, data: server_hooks.ServerConnectionHookData) -> None:
        address = _address(data.server.address)
        if address is None:
            return
        self.failing.pop(address, None)
        self.open.setdefault(data.client.id, Counter())[address] += 1

    def server_disconnected(self, data: server_hooks.ServerConnectionHookData) -> None:
        address = _address(data.server.address)
        opened = self.open.get(data.client.id)
        if address is None or opened is None or not opened[address]:
            return
        opened[address] -= 1
        if not opened[address]:
            del opened[address]

    def server_connect_error(self, data: server_hooks.ServerConnectionHookData) -> None:
        message = data.server.error or ""
        kind = kind_of_message(message)
        self.failures.setdefault(data.client.id, {})[message] = kind
        address = _address(data.server.address)
        if address is not None:
            self.broken.setdefault(data.client.id, {})[address] = kind
            self._remember(address, kind)

    def tls_failed_server(self, data: tls.TlsData) -> None:
        client = data.context.client.id
        if data.conn.error:
            self.failures.setdefault(client, {})[data.conn.error] = "tls"
        address = _address(data.conn.address)
        if address is not None:
            self.broken.setdefault(client, {})[address] = "tls"

    def client_disconnected(self, client: connection.Client) -> None:
        self.open.pop(client.id, None)
        self.failures.pop(client.id, None)
        self.broken.pop(client.id, None)

    def _remember(self, address: Address, kind: UpstreamError) -> None:
        self.failing.pop(address, None)
        if len(self.failing) >= FAILING_MAX:
            del self.failing[next(iter(self.failing))]
        self.failing[address] = (time.monotonic(), kind)

    def _failed_recently(self, address: Address) -> bool:
        seen = self.failing.get(address)
        return seen is not None and time.monotonic() - seen[0] < FAILING_SECONDS

    # --- flows -----------------------------------------------------------------------------------

    def request(self, flow: http.HTTPFlow) -> Awaitable[None] | None:
        """Answer for a site known not to answer; a coroutine only when the site must be tried
        first (mitmproxy awaits it)."""
        if flow.response or flow.error or not flow.live or self.mode == "off":
            return None
        state = flow.metadata.get(FLOW_KEY)
        if not isinstance(state, FlowState) or state.outcome not in _FORWARDED:
            return None
        try:
            target = target_of(flow)
            client = flow.client_conn.id
            if self.open.get(client, {}).get(target):
                return None  # mitmproxy sends it on the connection it has
            kind = self.broken.get(client, {}).get(target)  # mitmproxy would fail it at once
            if kind is None and not (self.mode == "all" or self._failed_recently(target)
                                     or self._is_page_load(flow)):
                return None
        except Exception:
            logger.exception("aigate: upstream check failed for %s; forwarded",
                             state.request_id)
            metrics.count_hook_error("upstream")
            return None
        if kind is None:
            return self._check(flow, state, target)
        self._answer(flow, state, kind, target, checked=False)
        return None

    async def _check(self, flow: http.HTTPFlow, state: FlowState, target: Address) -> None:
        """Try the site; answer for it if it does not take the connection."""
        kind = await self._connect(target)
        if kind is None:
            self.failing.pop(target, None)
            return
        self._remember(target, kind)
        if flow.response or flow.error or not flow.live:
            return  # the client went away while we waited
        self._answer(flow, state, kind, target, checked=True)

    def _answer(
        self,
        flow: http.HTTPFlow,
        state: FlowState,
        kind: UpstreamError,
        target: Address,
        *,
        checked: bool,
    ) -> None:
        state.outcome = "upstream_error"
        state.upstream_error = kind
        try:
            flow.response = upstream_response(
                flow, state, kind, page_context=self._page_context(flow, state),
                timeout=self.timeout if checked else None,
            )
        except Exception:
            logger.exception("aigate: could not build the upstream error of %s",
                             state.request_id)
            metrics.count_hook_error("upstream")
            flow.response = http.Response.make(
                504 if kind == "timeout" else 502,
                f"{flow.request.pretty_host} did not answer. Request id: "
                f"{state.request_id}.\n".encode(),
                {"content-type": "text/plain; charset=utf-8", **RETRYABLE_HEADERS,
                 REQUEST_ID_HEADER: state.request_id},
            )
        logger.info("aigate: %s did not answer (%s); answered %s for %s",
                    target[0], kind, flow.response.status_code, state.request_id)

    def error(self, flow: http.HTTPFlow) -> None:
        """Record an allowed AI request that mitmproxy could not complete because of the site
        (its own error goes to the client: no hook can replace it, see the module doc)."""
        state = flow.metadata.get(FLOW_KEY)
        if (not isinstance(state, FlowState) or flow.response is not None or flow.error is None
                or state.outcome not in _FORWARDED):
            return
        message = flow.error.msg
        kind = self.failures.get(flow.client_conn.id, {}).get(message)
        if kind is None and message.startswith(_SERVER_CLOSED):
            kind = "closed"
        if kind is not None:
            state.outcome = "upstream_error"
            state.upstream_error = kind

    async def _connect(self, address: Address) -> UpstreamError | None:
        """None if `address` accepts a TCP connection within the timeout, else why not."""
        try:
            _, writer = await asyncio.wait_for(
                asyncio.open_connection(*address), timeout=self.timeout
            )
        except (OSError, TimeoutError) as e:
            return kind_of_exception(e)
        writer.close()
        return None

    def _is_page_load(self, flow: http.HTTPFlow) -> bool:
        """A browser navigation (or a request that asks for HTML first): a person waiting."""
        return self.mode == "pages" and is_page_load(flow)

    def _page_context(self, flow: http.HTTPFlow, state: FlowState) -> PageContext:
        host = pretty_host(flow.request)
        if self.runtime is None or self.runtime.active is None:
            return PageContext(request_id=state.request_id, host=host, reason="")
        ctx_ = PageContext.from_decision(
            state.decision, self.runtime.policy.policy, state.request_id, host,
            policy_page_url=flow.metadata.get(POLICY_PAGE_KEY),
        )
        return replace(ctx_, rule="")
