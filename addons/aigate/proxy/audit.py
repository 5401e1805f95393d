"""The audit addon: writes one `decision` record per AI flow (and an `ack` record for each
acknowledgement), plus policy load/reload and error events.

Blocked, warned, acknowledged and redirected flows are answered by the enforcing addon in
`request`; this addon runs after it and writes their records there, flushed before the response
leaves the proxy. Forwarded flows are recorded in `response` or `error`, once their status is
known. A flow is recorded once whichever hooks fire. Load this addon after the enforcing and
inspecting addons.

The default log is `<confdir>/aigate-audit.jsonl` (confdir defaults to ~/.mitmproxy), next to
the CA and the acknowledgement key: one directory holds the proxy's state.
"""

from __future__ import annotations

import functools
import logging
import os
import time

from mitmproxy import ctx, exceptions, http
from mitmproxy.net.http import url

from aigate.flowstate import FLOW_KEY, FlowState
from aigate.proxy.headers import host_header
from aigate.record import events, metrics
from aigate.record.audit import (
    DEFAULT_BACKUPS,
    DEFAULT_FILENAME,
    DEFAULT_MAX_BYTES,
    STDOUT,
    AuditLog,
    ack_record,
    decision_record,
    error_record,
    policy_record,
)

RECORDED_KEY = "aigate.audit.recorded"
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


class Audit:
    def __init__(self) -> None:
        self.log: AuditLog | None = None
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
        """Record a policy load/reload or an error outside an AI flow."""
        if isinstance(event, events.PolicyEvent):
            self._write(policy_record(event))
        else:
            self._write(error_record(event))

    def request(self, flow: http.HTTPFlow) -> None:
        if flow.response is not None:  # answered by aigate: record before it leaves
            self._record(flow)

    def response(self, flow: http.HTTPFlow) -> None:
        self._record(flow)

    def error(self, flow: http.HTTPFlow) -> None:
        self._record(flow)

    def _record(self, flow: http.HTTPFlow) -> None:
        state = flow.metadata.get(FLOW_KEY)
        if not isinstance(state, FlowState) or flow.metadata.get(RECORDED_KEY):
            return
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
            )
        except Exception:
            logger.exception("aigate audit: could not build the record of %s", state.request_id)
            metrics.count_hook_error("audit")
            return
        if ack is not None:
            self._write(ack)
        self._write(record)

    def _write(self, record: dict) -> None:
        log = self.log
        try:
            if log is None:
                raise ValueError("audit log not open")
            log.write(record)
        except (OSError, ValueError) as e:
            logger.error("aigate audit: could not write a %s record: %s", record.get("event"), e)
            metrics.AUDIT_WRITE_ERRORS.inc()
            metrics.count_hook_error("audit")
        else:
            metrics.count_audit_record(record["event"])
