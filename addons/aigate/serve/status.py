"""The status HTTP server on the metrics port: `/metrics` for Prometheus, `/healthz` and
`/readyz` for load balancers, systemd and Kubernetes probes.

- `/healthz`: 200 "ok" while the process answers at all (liveness: restart it when this fails).
- `/readyz`: 200 "ready" when a policy is loaded and the proxy listens; otherwise 503 with the
  reason on one line (readiness: send it no traffic until this passes).
- anything else: the Prometheus exposition of the registry (as `start_http_server` serves it).

A small threaded WSGI server rather than prometheus-client's `start_http_server`, which serves
metrics only.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app
from prometheus_client.registry import Collector

Readiness = Callable[[], str | None]
"""Says why the process is not ready to take traffic, or None when it is."""

HEALTH_PATHS = ("/healthz", "/readyz")
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def make_app(
    registry: Collector, readiness: Readiness
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """The WSGI app: health endpoints, else the registry's metrics."""
    metrics_app = make_wsgi_app(registry)

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path not in HEALTH_PATHS:
            return metrics_app(environ, start_response)
        if path == "/healthz":
            status, text = "200 OK", "ok"
        else:
            try:
                reason = readiness()
            except Exception as e:  # a broken check must read as "not ready", not as a 500
                reason = f"readiness check failed: {type(e).__name__}"
            status, text = ("200 OK", "ready") if reason is None else (
                "503 Service Unavailable", reason
            )
        body = f"{text}\n".encode()
        start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                                ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [body] if environ.get("REQUEST_METHOD") != "HEAD" else []

    return app


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a slow scraper never blocks shutdown


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Probes every few seconds would flood the log."""


class StatusServer:
    """The status server in a daemon thread; `close()` stops it and frees the port."""

    def __init__(self, host: str, port: int, registry: Collector, readiness: Readiness) -> None:
        family = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                    flags=socket.AI_PASSIVE)[0][0]
        server_class = type("StatusHTTPServer", (_Server,), {"address_family": family})
        self._server = make_server(host, port, make_app(registry, readiness),
                                   server_class=server_class, handler_class=_QuietHandler)
        self.address: tuple[str, int] = self._server.server_address[:2]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="aigate-status", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
