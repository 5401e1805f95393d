"""`aigate run --workers N` (N > 1): turn the `run` arguments into N worker command lines and
supervise them (`aigate.serve.workers`), serving the metrics and health of all on one port."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aigate.cli._policy import shared_host_lines
from aigate.serve.workers import (
    Supervisor,
    WorkersCollector,
    metrics_directory,
    port_in_use_message,
    prepare_confdir,
    remove_directory,
    reserve_port,
    worker_log_path,
)

DEFAULT_CONFDIR = "~/.mitmproxy"  # mitmproxy's CONF_DIR, without importing mitmproxy here
AUDIT_FILENAME = "aigate-audit.jsonl"  # aigate.record.audit.DEFAULT_FILENAME
OWN_OPTIONS = ("mode", "aigate_metrics_port", "aigate_metrics_host", "aigate_audit_log")


def option_value(options: list[str], name: str) -> str | None:
    """The last `name=value` among `--set` options, as mitmproxy applies them."""
    value = None
    for option in options:
        key, sep, text = option.partition("=")
        if sep and key.strip() == name:
            value = text
    return value


def worker_command(args: argparse.Namespace, port: int, audit_log: str, number: int) -> list[str]:
    """The command line of worker `number`: this `aigate run`, single-process, on `port`."""
    passed = [o for o in args.options if o.partition("=")[0].strip() not in OWN_OPTIONS]
    argv = [
        sys.executable, "-m", "aigate", "run", "--workers", "1",
        "--policy", str(Path(args.policy).resolve()),
        "--listen-host", args.listen_host, "--listen-port", str(port),
    ]
    for option in [*passed, "mode=reuseport", "aigate_metrics_port=0",
                   f"aigate_audit_log={worker_log_path(audit_log, number)}"]:
        argv += ["--set", option]
    return argv


def supervise(args: argparse.Namespace) -> int:
    options = args.options
    mode = option_value(options, "mode")
    if mode not in (None, "regular"):
        print(f"aigate run: --workers {args.workers} runs regular proxies only, not mode={mode}; "
              "use --workers 1 for other modes", file=sys.stderr)
        return 2
    metrics_port = args.metrics_port
    if metrics_port is None and option_value(options, "aigate_metrics_port"):
        metrics_port = int(option_value(options, "aigate_metrics_port") or 0) or None
    metrics_host = args.metrics_host or option_value(options, "aigate_metrics_host") or "127.0.0.1"
    confdir = Path(option_value(options, "confdir") or DEFAULT_CONFDIR).expanduser()
    audit_log = option_value(options, "aigate_audit_log") or str(confdir / AUDIT_FILENAME)

    try:
        held = reserve_port(args.listen_host, args.listen_port)
    except OSError as e:
        print(f"aigate run: {port_in_use_message(args.listen_host, args.listen_port, e)}",
              file=sys.stderr)
        return 1
    port = held.getsockname()[1]
    metrics_dir = metrics_directory()
    status = None
    try:
        prepare_confdir(confdir, ack_key_set=bool(option_value(options, "aigate_ack_key")))
        ca = confdir / "mitmproxy-ca-cert.pem"

        def banner() -> None:
            host = args.listen_host or "0.0.0.0"  # noqa: S104  # "" means every interface
            print(f"aigate: proxy listening at http://{host}:{port} "
                  f"({args.workers} workers)", flush=True)
            print(f"aigate: policy {Path(args.policy).resolve()}", flush=True)
            print(f"aigate: clients must trust the CA at {ca}", flush=True)
            logs = [worker_log_path(audit_log, n) for n in range(1, args.workers + 1)]
            print(f"aigate: audit logs {', '.join(dict.fromkeys(logs))}", flush=True)
            if metrics_port is not None:
                print(f"aigate: metrics at http://{metrics_host}:{metrics_port}/metrics "
                      "(all workers)", flush=True)
            for line in shared_host_lines(args.policy):
                print(line, flush=True)

        supervisor = Supervisor(
            args.workers, lambda n: worker_command(args, port, audit_log, n),
            metrics_dir=metrics_dir, on_ready=banner,
        )
        if metrics_port is not None:
            status = _serve_status(metrics_host, metrics_port, supervisor, metrics_dir)
            if status is None:
                return 1
        return supervisor.run()
    finally:
        if status is not None:
            status.close()
        held.close()
        remove_directory(metrics_dir)


def _serve_status(host: str, port: int, supervisor: Supervisor, metrics_dir: Path):
    """The status server of all workers, or None (reported) when the port is taken."""
    from prometheus_client import CollectorRegistry

    from aigate.serve.status import StatusServer

    registry = CollectorRegistry()
    registry.register(WorkersCollector(supervisor, metrics_dir))  # type: ignore[arg-type]
    try:
        return StatusServer(host, port, registry, supervisor.not_ready)
    except OSError as e:
        print(f"aigate run: {port_in_use_message(host, port, e, '--metrics-port')}",
              file=sys.stderr)
        return None
