"""`aigate run`: mitmdump with the aigate addons, in this process.

The addons are added to mitmdump's own master before its command line is parsed, so every
mitmdump option (`--set proxyauth=...`, `--mode`, ...) works as usual. `connection_strategy=lazy`
is always set last: a blocked request must never open an upstream connection.
"""

from __future__ import annotations

import argparse
from pathlib import Path

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
        "--metrics-port", type=int, help="serve Prometheus metrics on this port"
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


def run(args: argparse.Namespace) -> int:
    from mitmproxy.tools import cmdline
    from mitmproxy.tools.dump import DumpMaster
    from mitmproxy.tools.main import run as run_master

    from aigate.proxy import build_addons

    class AigateMaster(DumpMaster):
        def __init__(self, options) -> None:
            super().__init__(options)
            self.addons.add(*build_addons(), Banner())

    run_master(AigateMaster, cmdline.mitmdump, mitmdump_arguments(args))
    return 0
