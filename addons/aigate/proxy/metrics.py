"""The metrics addon: counts every AI flow once, and passthrough traffic, into the process-wide
registry of `aigate.record.metrics`, and serves it on `aigate_metrics_port` with `/healthz` and
`/readyz` (ready once the policy is loaded and the proxy listens).

The HTTP server is started once per process (a re-executed `-s` script or a reconfigure with the
same address reuses it). Load this addon after the passthrough, enforcing and inspecting addons:
it reads `data.ignore_connection` and `FlowState`, and never changes a flow.
"""

from __future__ import annotations

import logging

from mitmproxy import ctx, exceptions, http, tls
from mitmproxy.net.tls import starts_like_tls_record
from mitmproxy.proxy import layer, layers

from aigate.flowstate import FLOW_KEY, FlowState
from aigate.proxy.runtime import Runtime
from aigate.record import metrics

COUNTED_KEY = "aigate.metrics.counted"

logger = logging.getLogger(__name__)


class Metrics:
    def __init__(self, runtime: Runtime | None = None) -> None:
        self.runtime = runtime
        self._order_of: object = None  # the policy `_order` was read from
        self._order: tuple[str, ...] = ()
        self._proxyserver: object = None

    def load(self, loader) -> None:
        loader.add_option(
            "aigate_metrics_port",
            int,
            0,
            "Serve Prometheus metrics at http://<aigate_metrics_host>:<port>/metrics (0: off).",
        )
        loader.add_option(
            "aigate_metrics_host",
            str,
            "127.0.0.1",
            "Address the metrics endpoint listens on (0.0.0.0 to let a remote Prometheus scrape).",
        )

    def configure(self, updated: set[str]) -> None:
        if not updated & {"aigate_metrics_port", "aigate_metrics_host"}:
            return
        port, host = ctx.options.aigate_metrics_port, ctx.options.aigate_metrics_host
        if not 0 <= port <= 65535:
            raise exceptions.OptionsError(
                f"aigate_metrics_port: {port} is not a TCP port; use 1-65535, or 0 for off"
            )
        if port == 0:
            metrics.stop()
            return
        try:
            metrics.serve(host, port)
        except OSError as e:
            raise exceptions.OptionsError(
                f"aigate_metrics_port: cannot serve metrics on {host}:{port}: {e.strerror}; "
                "choose a free port with `aigate run --metrics-port N` (or --set "
                "aigate_metrics_port=N), or 0 to turn metrics off"
            ) from e
        logger.info("aigate metrics at http://%s:%d/metrics", host, port)

    def running(self) -> None:
        self._proxyserver = ctx.master.addons.get("proxyserver")
        metrics.set_readiness(self.not_ready)

    def done(self) -> None:
        metrics.set_readiness(lambda: "shutting down")

    def not_ready(self) -> str | None:
        """Why this proxy should get no traffic yet (`/readyz`), or None when it is ready."""
        if self.runtime is None or self.runtime.store is None:
            return "policy not loaded"
        listen_addrs = getattr(self._proxyserver, "listen_addrs", None)
        if listen_addrs is None or not listen_addrs():
            return "proxy not listening"
        return None

    def next_layer(self, nextlayer: layer.NextLayer) -> None:
        """Connections relayed untouched at the first decision (`allow_hosts`/`ignore_hosts`,
        which the passthrough addon sets to the policy's hosts): they never reach a TLS hook.
        mitmproxy decides once the client's first bytes are in, so count what they are: a TLS
        record (even a ClientHello it cannot parse, or a handshake that fails later) is `tls`;
        anything else `tcp`."""
        chosen = nextlayer.layer
        if isinstance(chosen, layers.TCPLayer) and chosen.flow is None:
            tls_bytes = starts_like_tls_record(nextlayer.data_client())
            metrics.count_passthrough("tls" if tls_bytes else "tcp")

    def tls_clienthello(self, data: tls.ClientHelloData) -> None:
        if data.ignore_connection:  # passed through after reading the SNI
            metrics.count_passthrough("tls")

    def request(self, flow: http.HTTPFlow) -> None:
        state = flow.metadata.get(FLOW_KEY)
        if state is None:
            if flow.request.scheme == "http" and not flow.metadata.get(COUNTED_KEY):
                flow.metadata[COUNTED_KEY] = True
                metrics.count_passthrough("http")
        elif flow.response is not None:
            self._count(flow)

    def response(self, flow: http.HTTPFlow) -> None:
        self._count(flow)

    def error(self, flow: http.HTTPFlow) -> None:
        self._count(flow)

    def websocket_end(self, flow: http.HTTPFlow) -> None:
        state = flow.metadata.get(FLOW_KEY)
        if isinstance(state, FlowState) and state.ws_messages:
            metrics.observe_websocket(state)

    def _count(self, flow: http.HTTPFlow) -> None:
        state = flow.metadata.get(FLOW_KEY)
        if not isinstance(state, FlowState) or flow.metadata.get(COUNTED_KEY):
            return
        flow.metadata[COUNTED_KEY] = True
        try:
            metrics.observe_flow(
                state, has_body=bool(flow.request.raw_content), group_order=self._group_order()
            )
        except Exception:
            logger.exception("aigate metrics: could not count %s", state.request_id)
            metrics.count_hook_error("metrics")

    def _group_order(self) -> tuple[str, ...]:
        """The policy's group order, read again only when the policy changes."""
        store = self.runtime.store if self.runtime else None
        if store is None:
            return ()
        policy = store.current.policy
        if policy is not self._order_of:
            self._order, self._order_of = tuple(policy.groups), policy
        return self._order
