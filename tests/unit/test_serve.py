"""The status server (metrics, /healthz, /readyz) and the pure parts of the worker supervisor."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from wsgiref.util import setup_testing_defaults

import pytest
from aigate.cli import build_parser, main
from aigate.cli._supervise import option_value, worker_command
from aigate.proxy.enforce import KEY_FILE
from aigate.proxy.metrics import Metrics
from aigate.proxy.runtime import Runtime
from aigate.record.audit import AuditLog
from aigate.serve.status import StatusServer, make_app
from aigate.serve.workers import (
    ACK_KEY_FILE,
    BACKOFF_MAX_SECONDS,
    Slot,
    Supervisor,
    backoff,
    port_in_use_message,
    process_usage,
    reserve_port,
    worker_log_path,
)
from prometheus_client import CollectorRegistry, Counter


def call(app, path: str, method: str = "GET") -> tuple[str, bytes]:
    environ: dict = {"PATH_INFO": path, "REQUEST_METHOD": method, "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    seen: list[str] = []
    body = b"".join(app(environ, lambda status, headers: seen.append(status)))
    return seen[0], body


@pytest.fixture
def registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Counter("demo_things", "Things.", registry=registry).inc(3)
    return registry


@pytest.mark.parametrize(
    "readiness, status, body",
    [
        (lambda: None, "200 OK", b"ready\n"),
        (lambda: "policy not loaded", "503 Service Unavailable", b"policy not loaded\n"),
        (lambda: 1 / 0, "503 Service Unavailable",
         b"readiness check failed: ZeroDivisionError\n"),
    ],
)
def test_readyz_says_ready_or_why_not(registry, readiness, status, body):
    assert call(make_app(registry, readiness), "/readyz") == (status, body)


@pytest.mark.parametrize("readiness", [lambda: None, lambda: "policy not loaded"])
def test_healthz_is_ok_whether_or_not_ready(registry, readiness):
    assert call(make_app(registry, readiness), "/healthz") == ("200 OK", b"ok\n")


@pytest.mark.parametrize("path", ["/metrics", "/"])
def test_other_paths_serve_the_registry(registry, path):
    status, body = call(make_app(registry, lambda: None), path)
    assert status == "200 OK" and b"demo_things_total 3.0" in body


def test_head_readyz_has_no_body(registry):
    assert call(make_app(registry, lambda: None), "/readyz", "HEAD") == ("200 OK", b"")


def test_status_server_serves_over_http_and_frees_its_port(registry):
    server = StatusServer("127.0.0.1", 0, registry, lambda: "proxy not listening")
    host, port = server.address
    with urllib.request.urlopen(f"http://{host}:{port}/healthz") as reply:
        assert reply.read() == b"ok\n"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"http://{host}:{port}/readyz")
    assert refused.value.code == 503 and refused.value.read() == b"proxy not listening\n"
    server.close()
    with socket.socket() as sock:  # free again (SO_REUSEADDR: the probes' TIME_WAIT is fine)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))


@pytest.mark.parametrize(
    "path, number, expected",
    [
        ("/var/log/aigate/aigate-audit.jsonl", 1, "/var/log/aigate/aigate-audit.w1.jsonl"),
        ("/var/log/aigate/audit", 2, "/var/log/aigate/audit.w2"),
        ("audit.log.jsonl", 3, "audit.log.w3.jsonl"),
        ("-", 1, "-"),
    ],
)
def test_each_worker_writes_its_own_audit_log(path, number, expected):
    assert worker_log_path(path, number) == expected


@pytest.mark.parametrize(
    "deaths, seconds", [(1, 0.5), (2, 1.0), (3, 2.0), (5, 8.0), (9, BACKOFF_MAX_SECONDS)]
)
def test_restart_backoff_doubles_up_to_a_ceiling(deaths, seconds):
    assert backoff(deaths) == seconds


@pytest.mark.parametrize(
    "options, name, value",
    [
        (["confdir=/a", "confdir=/b"], "confdir", "/b"),
        (["aigate_audit_log=-"], "aigate_audit_log", "-"),
        (["proxyauth=any"], "confdir", None),
        (["mode=regular@8081"], "mode", "regular@8081"),
    ],
)
def test_option_value_is_the_last_set(options, name, value):
    assert option_value(options, name) == value


def test_worker_command_overrides_the_options_the_supervisor_owns(tmp_path):
    args = build_parser().parse_args([
        "run", "--workers", "2", "--policy", str(tmp_path / "p.yaml"), "--metrics-port", "9100",
        "--set", "aigate_metrics_port=9200", "--set", "aigate_audit_log=/x/a.jsonl",
        "--set", "proxyauth=any",
    ])
    argv = worker_command(args, 18080, "/x/a.jsonl", 2)
    sets = [argv[i + 1] for i, a in enumerate(argv) if a == "--set"]
    assert argv[argv.index("--workers") + 1] == "1"
    assert argv[argv.index("--listen-port") + 1] == "18080"
    assert "--metrics-port" not in argv
    assert sets == ["proxyauth=any", "mode=reuseport", "aigate_metrics_port=0",
                    "aigate_audit_log=/x/a.w2.jsonl"]


def test_supervisor_names_the_ack_key_file_the_proxy_reads():
    assert ACK_KEY_FILE == KEY_FILE


def test_reserved_port_refuses_a_second_reservation():
    held = reserve_port("127.0.0.1", 0)
    try:
        port = held.getsockname()[1]
        with pytest.raises(OSError) as taken, socket.socket() as other:
            other.bind(("127.0.0.1", port))
        assert "already in use" in port_in_use_message("127.0.0.1", port, taken.value)
    finally:
        held.close()


@pytest.mark.parametrize(
    "ready, stopping, reason",
    [
        ((True, True), False, None),
        ((True, False), False, "1 of 2 workers ready (waiting for worker 2: starting, or policy "
                               "not loaded)"),
        ((True, True), True, "shutting down"),
    ],
)
def test_supervisor_is_ready_when_every_worker_is(tmp_path, ready, stopping, reason):
    supervisor = Supervisor(2, lambda n: [], metrics_dir=tmp_path)
    supervisor.slots = [Slot(n + 1, ready=r) for n, r in enumerate(ready)]
    supervisor.stopping = stopping
    assert supervisor.not_ready() == reason


def test_process_usage_reads_memory_and_cpu_of_a_live_process_only():
    usage = process_usage(os.getpid())
    assert usage is not None and usage.rss_bytes > 2**20 and usage.cpu_seconds > 0
    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()
    assert process_usage(gone.pid) is None


class _Running:
    pid = os.getpid()


def test_supervisor_exports_memory_and_cpu_of_each_live_worker(tmp_path):
    supervisor = Supervisor(2, lambda n: [], metrics_dir=tmp_path)
    supervisor.slots = [Slot(1, process=_Running()), Slot(2)]  # type: ignore[arg-type]
    families = {family.name: family for family in supervisor.collect()}
    for name in ("aigate_worker_resident_memory_bytes", "aigate_worker_cpu_seconds"):
        samples = [s for s in families[name].samples if not s.name.endswith("_created")]
        assert [s.labels for s in samples] == [{"worker": "1"}]
        assert samples[0].value > 0


def test_acks_verify_checks_each_worker_log_as_its_own_chain(tmp_path, capsys):
    for number in (1, 2):
        log = AuditLog(worker_log_path(str(tmp_path / "audit.jsonl"), number), max_bytes=300,
                       backups=9)
        for i in range(3):
            log.write({"event": "ack", "user": f"u{number}{i}", "service": "claude"})
        log.close()
    files = sorted(str(p) for p in tmp_path.glob("audit.w*.jsonl*"))
    assert main(["acks", "verify", *files]) == 0
    assert "6 acknowledgements" in capsys.readouterr().out


class _Listening:
    def __init__(self, addrs: tuple) -> None:
        self.addrs = addrs

    def listen_addrs(self) -> tuple:
        return self.addrs


@pytest.mark.parametrize(
    "store, proxyserver, reason",
    [
        (None, _Listening((("127.0.0.1", 8080),)), "policy not loaded"),
        (object(), None, "proxy not listening"),
        (object(), _Listening(()), "proxy not listening"),
        (object(), _Listening((("127.0.0.1", 8080),)), None),
    ],
)
def test_single_proxy_is_ready_once_its_policy_is_loaded_and_it_listens(store, proxyserver,
                                                                         reason):
    runtime = Runtime()
    runtime.store = store
    addon = Metrics(runtime)
    addon._proxyserver = proxyserver
    assert addon.not_ready() == reason
