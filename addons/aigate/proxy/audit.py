"""The audit addon: writes one `decision` record per AI flow (and an `ack` record for each
acknowledgement), one `websocket_message` record per client WebSocket message the inspecting
addon flagged (`FlowState.ws_verdict`), plus policy load/reload and error events.

Blocked, warned, acknowledged and redirected flows are answered by the enforcing addon in
`request`; this addon runs after it and writes their records there, flushed before the response
leaves the proxy. Forwarded flows are recorded in `response` or `error`, once their status is
known. A flow is recorded once whichever hooks fire. Load this addon after the enforcing and
inspecting addons.

The default log is `<confdir>/aigate-audit.jsonl` (confdir defaults to ~/.mitmproxy), next to
the CA and the acknowledgement key: one directory holds the proxy's state.

When a record cannot be written (disk full, read-only file system) the policy's
`audit.on_failure` decides. `block` (the default): from that moment AI requests are answered
with a 503 saying the audit log cannot be written, before anything goes upstream, and an
acknowledgement that cannot be recorded grants nothing; refusals aigate answers anyway (block,
warn, redirect) keep their answer. `allow`: requests go on unrecorded. Either way the error is
logged at once and every `LOG_EVERY` seconds while it lasts, `aigate_audit_write_errors_total`
counts the lost records, and each new record first tries the log again: the first that succeeds
is an `audit_resumed` record giving the gap and the number of records lost. The one forwarded
request whose record failed first had already gone upstream. Under `block`, a flagged WebSocket
message (warned, redacted, logged) whose record cannot be written is dropped instead of
forwarded; clean messages carry no record and pass. Non-AI traffic is never affected.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from dataclasses import dataclass

from mitmproxy import ctx, exceptions, http
from mitmproxy.net.http import url

from aigate.flowstate import FLOW_KEY, FlowState
from aigate.proxy.answer import REQUEST_ID_HEADER, html_response
from aigate.proxy.headers import host_header, is_page_load, negotiation_headers
from aigate.proxy.runtime import Runtime
from aigate.record import events, metrics
from aigate.record.audit import (
    DEFAULT_BACKUPS,
    DEFAULT_FILENAME,
    DEFAULT_MAX_BYTES,
    STDOUT,
    AuditLog,
    ack_record,
    candidate_record,
    decision_record,
    error_record,
    policy_record,
    resumed_record,
    websocket_record,
)
from aigate.respond.api_errors import api_error, text_error
from aigate.respond.negotiate import response_kind
from aigate.respond.pages import notice_page

RECORDED_KEY = "aigate.audit.recorded"
LOG_EVERY = 10.0  # seconds between repeats of the "still cannot write" error
UNAVAILABLE_STATUS = 503
UNAVAILABLE_REASON = (
    "aigate cannot write its audit log, so requests to AI services are stopped until it can."
)
_OPTIONS = {"aigate_audit_log", "aigate_audit_max_bytes", "aigate_audit_backups", "confdir"}

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1024)
def _authority_host(authority: str) -> str:
    return url.parse_authority(authority, check=False)[0]


def pretty_host(request: http.Request) -> str:
    """`request.pretty_host` (the Host header's host, else the request's), parsed once per
    distinct Host header: mitmproxy parses it afresh on every call (~5 us)."""
    authority = host_header(request)
    return _authority_host(authority) if authority else request.host


def _writable_dir(directory: str) -> bool:
    """Whether the log's directory exists (or can be created) and is writable."""
    while directory and not os.path.exists(directory):
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    directory = directory or "."
    return os.path.isdir(directory) and os.access(directory, os.W_OK)


@dataclass(slots=True)
class Outage:
    """The audit log cannot be written: since when, why (first error), records lost so far."""

    since: float
    error: str
    lost: int = 0
    logged_at: float = 0.0  # monotonic time of the last error log line


def _describe(error: Exception) -> str:
    """An error without data: the OS reason of an OSError, else the message."""
    return (error.strerror if isinstance(error, OSError) else None) or str(error)


def unavailable_response(flow: http.HTTPFlow, state: FlowState) -> http.Response:
    """The 503 a refused AI request gets while the audit log cannot be written: a page, the
    provider's error JSON or text, never retried by the SDKs (`x-should-retry: false`)."""
    service = state.decision.service
    api_format = service.api_format if service else None
    request_id = state.request_id
    message = f"{UNAVAILABLE_REASON} Request id: {request_id}."
    kind = response_kind(flow.request.method, negotiation_headers(flow.request), api_format)
    if kind == "html":
        page = notice_page(
            "The AI usage log cannot be written",
            f"{UNAVAILABLE_REASON} Every use of an AI service must be recorded. Try again "
            "later; if it keeps happening, contact IT and quote the request id.",
            request_id,
            status="Unavailable",
        )
        return html_response(UNAVAILABLE_STATUS, page, request_id)
    if kind == "api":
        body, headers = api_error(api_format, UNAVAILABLE_STATUS, message, "audit_unavailable")
    else:
        body, headers = text_error(message)
    headers[REQUEST_ID_HEADER] = request_id
    return http.Response.make(UNAVAILABLE_STATUS, body, headers)


class Audit:
    def __init__(self, runtime: Runtime | None = None) -> None:
        self.runtime = runtime
        self.log: AuditLog | None = None
        self.outage: Outage | None = None
        self._subscribed = False
        self._running = False

    def load(self, loader) -> None:
        loader.add_option(
            "aigate_audit_log",
            str,
            "",
            f"Audit log (JSON Lines): a file path, or '-' for stdout. Default: "
            f"<confdir>/{DEFAULT_FILENAME}.",
        )
        loader.add_option(
            "aigate_audit_max_bytes",
            int,
            DEFAULT_MAX_BYTES,
            "Rotate the audit log file before it grows past this many bytes (0: never rotate).",
        )
        loader.add_option(
            "aigate_audit_backups",
            int,
            DEFAULT_BACKUPS,
            "Rotated audit log files to keep (log.1 newest ... log.N oldest); the oldest beyond "
            "this is deleted. Must be at least 1 when rotating.",
        )

    def configure(self, updated: set[str]) -> None:
        if not updated & _OPTIONS:
            return
        path, max_bytes, backups = self._settings()
        if max_bytes < 0:
            raise exceptions.OptionsError(
                f"aigate_audit_max_bytes: {max_bytes} is negative; use a size in bytes, or 0 to "
                "never rotate"
            )
        if backups < 1 and max_bytes > 0:
            raise exceptions.OptionsError(
                f"aigate_audit_backups: {backups} would discard the log on rotation; keep at "
                "least 1 backup, or set aigate_audit_max_bytes=0"
            )
        if path != STDOUT and not _writable_dir(os.path.dirname(path) or "."):
            raise exceptions.OptionsError(
                f"aigate_audit_log: cannot write to {path}; choose a writable path or "
                f"'{STDOUT}' for stdout"
            )
        if self._running:
            self._open()

    def running(self) -> None:
        """Open the log once every option is set (addons are configured with defaults first)."""
        self._running = True
        self._open()

    def _settings(self) -> tuple[str, int, int]:
        opts = ctx.options
        path = opts.aigate_audit_log or os.path.join(
            os.path.expanduser(opts.confdir), DEFAULT_FILENAME
        )
        return path, opts.aigate_audit_max_bytes, opts.aigate_audit_backups

    def _open(self) -> None:
        settings = self._settings()
        if self.log is not None and (self.log.path, self.log.max_bytes, self.log.backups) == (
            settings
        ):
            return
        try:
            log = AuditLog(*settings)
        except OSError as e:
            logger.error("aigate audit: cannot open %s: %s", settings[0], e.strerror)
            metrics.count_hook_error("audit")
            return
        old, self.log = self.log, log
        if old is not None:
            old.close()
        if not self._subscribed:
            events.subscribe(self.on_event)
            self._subscribed = True

    def done(self) -> None:
        if self._subscribed:
            events.unsubscribe(self.on_event)
            self._subscribed = False
        if self.log is not None:
            self.log.close()
            self.log = None
        self._running = False

    def on_event(self, event: events.Event) -> None:
        """Record a policy load/reload, a candidate AI host, or an error outside an AI flow."""
        if isinstance(event, events.PolicyEvent):
            self._write(policy_record(event))
        elif isinstance(event, events.CandidateHost):
            self._write(candidate_record(event))
        else:
            self._write(error_record(event))

    def request(self, flow: http.HTTPFlow) -> None:
        state = flow.metadata.get(FLOW_KEY)
        if not isinstance(state, FlowState):
            return
        if flow.response is not None:  # answered by aigate: record before it leaves
            if not self._record(flow) and state.outcome == "acknowledged" and self._blocks():
                state.ack = None  # an acknowledgement nobody recorded grants nothing
                self._refuse(flow, state)
            return
        try:
            refuse = self.outage is not None and flow.live and self._blocks()
            refuse = refuse and not self._resume()
        except Exception:  # a raising hook would let the request through unrecorded
            logger.exception("aigate audit: could not check the log for %s", state.request_id)
            refuse = True
        if refuse:
            self._refuse(flow, state)
            self._record(flow)

    def _blocks(self) -> bool:
        """Whether the policy refuses AI requests while the log cannot be written."""
        try:
            return self.runtime is None or self.runtime.policy.policy.audit.on_failure != "allow"
        except Exception:  # no policy: fail closed
            return True

    def _refuse(self, flow: http.HTTPFlow, state: FlowState) -> None:
        state.outcome = "error"
        state.error_stage = "audit"
        try:
            flow.response = unavailable_response(flow, state)
        except Exception:
            logger.exception("aigate audit: could not build the 503 of %s", state.request_id)
            flow.response = http.Response.make(
                UNAVAILABLE_STATUS, (UNAVAILABLE_REASON + "\n").encode(),
                {"content-type": "text/plain; charset=utf-8", "x-should-retry": "false"},
            )

    def response(self, flow: http.HTTPFlow) -> None:
        self._record(flow)

    def error(self, flow: http.HTTPFlow) -> None:
        self._record(flow)

    def websocket_message(self, flow: http.HTTPFlow) -> None:
        """Record the verdict the inspecting addon left on a flagged client message (it runs
        first), before the message is forwarded or dropped."""
        state = flow.metadata.get(FLOW_KEY)
        if not isinstance(state, FlowState) or state.ws_verdict is None:
            return
        verdict, state.ws_verdict = state.ws_verdict, None
        try:
            record = websocket_record(
                state, verdict, host=pretty_host(flow.request), path=flow.request.path,
                time=time.time(),
            )
        except Exception:
            logger.exception("aigate audit: could not build the WebSocket message record of %s",
                             state.request_id)
            metrics.count_hook_error("audit")
            return
        if self._write(record):
            return
        try:
            websocket = flow.websocket
            message = websocket.messages[-1] if websocket and websocket.messages else None
            if message is not None and not message.dropped and self._blocks():
                message.drop()  # a flagged message nobody recorded does not leave
                logger.warning("aigate audit: dropped a WebSocket message of %s: its record "
                               "could not be written", state.request_id)
        except Exception:
            logger.exception("aigate audit: could not drop an unrecorded WebSocket message of "
                             "%s", state.request_id)

    def _record(self, flow: http.HTTPFlow) -> bool:
        """Write the flow's records (once); False if they could not be written."""
        state = flow.metadata.get(FLOW_KEY)
        if not isinstance(state, FlowState) or flow.metadata.get(RECORDED_KEY):
            return True
        flow.metadata[RECORDED_KEY] = True
        now = time.time()
        try:
            ack = ack_record(state, time=now)
            request = flow.request
            record = decision_record(
                state,
                host=pretty_host(request),
                method=request.method,
                path=request.path,
                status=flow.response.status_code if flow.response else None,
                time=now,
                navigation=is_page_load(flow),
            )
        except Exception:
            logger.exception("aigate audit: could not build the record of %s", state.request_id)
            metrics.count_hook_error("audit")
            return True
        written = ack is None or self._write(ack)
        return self._write(record) and written

    def _write(self, record: dict) -> bool:
        """Write one record, first trying the log again if it failed before; False if lost."""
        error = None if self.outage is None and self.log is not None else self._reopen_error()
        if error is None:
            error = self._try_write(record)
            if error is None:
                return True
        self._lose(record, error)
        return False

    def _reopen_error(self) -> Exception | None:
        if self.log is None:
            return ValueError("the audit log is not open")
        return None if self._resume() else ValueError("the audit log cannot be written")

    def _try_write(self, record: dict) -> Exception | None:
        assert self.log is not None
        try:
            self.log.write(record)
        except (OSError, ValueError) as e:
            return e
        metrics.count_audit_record(record["event"])
        return None

    def _resume(self) -> bool:
        """Try the log again during an outage: on success, the first record written is the
        `audit_resumed` record of the gap."""
        outage = self.outage
        if outage is None:
            return True
        if self.log is None or not self.log.has_room():
            return False
        now = time.time()
        if self._try_write(resumed_record(outage.since, outage.lost, outage.error, time=now)):
            return False
        self.outage = None
        logger.warning(
            "aigate audit: writing to %s again after %.0f s; %d records were lost (see the "
            "audit_resumed record)", self.log.path, now - outage.since, outage.lost,
        )
        return True

    def _lose(self, record: dict, error: Exception) -> None:
        metrics.AUDIT_WRITE_ERRORS.inc()
        now = time.monotonic()
        outage = self.outage
        if outage is None:
            outage = self.outage = Outage(time.time(), _describe(error))
        elif now - outage.logged_at < LOG_EVERY:
            outage.lost += 1
            return
        outage.lost += 1
        outage.logged_at = now
        consequence = (
            "AI requests are refused until it can (audit.on_failure: block)" if self._blocks()
            else "AI requests go on unrecorded (audit.on_failure: allow)"
        )
        path = self.log.path if self.log is not None else self._settings()[0]
        logger.error(
            "aigate audit: cannot write to %s: %s; %d records lost so far (this one: %s); %s",
            path, outage.error, outage.lost, record.get("event"), consequence,
        )
