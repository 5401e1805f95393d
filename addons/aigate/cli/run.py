"""`aigate run`: mitmdump with the aigate addons, in this process.

The addons are added to mitmdump's own master before its command line is parsed, so every
mitmdump option (`--set proxyauth=...`, `--mode`, ...) works as usual. `connection_strategy=lazy`
is always set last: a blocked request must never open an upstream connection.

With `--workers N` (N > 1) this process is the supervisor of N such processes sharing one address
(`aigate.serve.workers`); each worker is `aigate run --workers 1` started by it.

The proxy runs on Python's `-O`: mitmproxy checks the type of every field of every request and
response it builds when Python runs with assertions (`MessageData.__post_init__`, about 50 us a
message on a small machine), and skips the check under `-O`. `aigate run` therefore starts itself
again with `PYTHONOPTIMIZE=1` unless that variable is set already (`PYTHONOPTIMIZE=0` keeps the
checks, for debugging); the workers inherit it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from aigate.cli._policy import shared_host_lines
from aigate.policy import DEFAULT_POLICY


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="start the enforcing proxy",
        description="Start the aigate proxy (mitmdump with the aigate addons). Clients use it as "
        "their HTTP(S) proxy and must trust its CA, printed on start.",
    )
    parser.add_argument("--policy", default=str(DEFAULT_POLICY), help="policy YAML file")
    parser.add_argument("--listen-host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--listen-port", type=int, default=8080, help="port to listen on")
    parser.add_argument(
        "--metrics-port", type=int,
        help="serve Prometheus /metrics, /healthz and /readyz on this port",
    )
    parser.add_argument(
        "--metrics-host", help="address of the metrics port (default 127.0.0.1; 0.0.0.0 to let a "
        "remote Prometheus or a probe reach it)",
    )
    parser.add_argument(
        "--workers", type=_positive, default=default_workers(), metavar="N",
        help="proxy processes sharing the listening address, one per core (default: %(default)s, "
        "the cores available here; 1: a single process)",
    )
    parser.add_argument(
        "--set",
        dest="options",
        action="append",
        default=[],
        metavar="OPTION=VALUE",
        help="any mitmproxy or aigate option, e.g. proxyauth=@/etc/aigate/htpasswd (repeatable)",
    )
    parser.set_defaults(func=run)


def mitmdump_arguments(args: argparse.Namespace) -> list[str]:
    """The mitmdump command line for these `aigate run` arguments."""
    argv = [
        "--listen-host", args.listen_host,
        "--listen-port", str(args.listen_port),
        # Quiet per-connection and per-flow lines: a busy proxy should not pay for them.
        "--set", "flow_detail=0",
        "--set", "termlog_verbosity=warn",
        "--set", f"aigate_policy={Path(args.policy).resolve()}",
    ]
    if args.metrics_port is not None:
        argv += ["--set", f"aigate_metrics_port={args.metrics_port}"]
    if args.metrics_host is not None:
        argv += ["--set", f"aigate_metrics_host={args.metrics_host}"]
    for option in args.options:
        argv += ["--set", option]
    return [*argv, "--set", "connection_strategy=lazy"]


class Banner:
    """Says where the proxy listens and which CA clients must trust, once it is up."""

    def running(self) -> None:
        from mitmproxy import ctx

        addresses = ctx.master.addons.get("proxyserver").listen_addrs()
        ca = Path(ctx.options.confdir).expanduser() / "mitmproxy-ca-cert.pem"
        for host, port, *_ in addresses:
            print(f"aigate: proxy listening at http://{host}:{port}", flush=True)
        print(f"aigate: policy {ctx.options.aigate_policy}", flush=True)
        print(f"aigate: clients must trust the CA at {ca}", flush=True)
        audit = ctx.options.aigate_audit_log or str(
            Path(ctx.options.confdir).expanduser() / "aigate-audit.jsonl"
        )
        print(f"aigate: audit log {'stdout' if audit == '-' else audit}", flush=True)
        if ctx.options.aigate_metrics_port:
            print(f"aigate: metrics at http://{ctx.options.aigate_metrics_host}:"
                  f"{ctx.options.aigate_metrics_port}/metrics", flush=True)
        for line in shared_host_lines(ctx.options.aigate_policy):
            print(line, flush=True)


def default_workers() -> int:
    """The cores this process may run on (a container's CPU set, not the host's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: use 1 or more workers")
    return value


def _optimised() -> None:
    """Replace this process by the same command under `PYTHONOPTIMIZE=1` (see the module's
    docstring), unless the variable is set already: then Python obeys it."""
    if "PYTHONOPTIMIZE" in os.environ or sys.flags.optimize:
        return
    sys.stdout.flush()
    os.execve(sys.executable, sys.orig_argv, {**os.environ, "PYTHONOPTIMIZE": "1"})  # noqa: S606


def run(args: argparse.Namespace) -> int:
    from aigate.serve.workers import WORKER_ENV

    _optimised()
    if args.workers > 1 and not os.environ.get(WORKER_ENV):
        from aigate.cli._supervise import supervise

        return supervise(args)
    from mitmproxy.tools import cmdline
    from mitmproxy.tools.dump import DumpMaster
    from mitmproxy.tools.main import run as run_master

    from aigate.proxy import build_addons
    from aigate.serve.worker import Worker

    supervised = bool(os.environ.get(WORKER_ENV))
    if supervised:
        import aigate.serve.reuseport  # noqa: F401  # registers `--mode reuseport`
    extra = [Worker()] if supervised else [Banner()]

    class AigateMaster(DumpMaster):
        def __init__(self, options) -> None:
            super().__init__(options)
            self.addons.add(*build_addons(Path(args.policy).resolve()), *extra)

    run_master(AigateMaster, cmdline.mitmdump, mitmdump_arguments(args))
    return 0
