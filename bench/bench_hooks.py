"""CPU cost of each aigate addon's hooks per request, measured in-process (no sockets).

Usage: .venv/bin/python bench/bench_hooks.py [--requests N] [--kind KIND ...]

Loads the real addon list (`aigate.proxy.build_stages()`, each addon on its own, not through the
pipeline) with the proxy tests' policy into a `taddons.context`, then drives test flows through
the hooks in the order mitmproxy fires them (requestheaders, request, responseheaders, response;
the upstream's response is attached before responseheaders for forwarded flows). Every addon's
hook is timed on its own with `time.perf_counter_ns`. Prints, per request kind, each addon's
per-hook median and p99 in microseconds, and the median and p99 of the whole request (all hooks
of all addons). Flow construction is outside the timed region; the audit log is a real file in a
temporary directory. This is the deterministic counterpart of bench_proxy.py: no network, no
other process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import ssl
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from aigate.proxy import build_stages
from aigate.proxy.runtime import Runtime
from mitmproxy import http, tls
from mitmproxy.addons.proxyserver import Proxyserver
from mitmproxy.proxy import context
from mitmproxy.proxy.layers.tls import parse_client_hello
from mitmproxy.test import taddons, tflow

ROOT = Path(__file__).resolve().parents[1]
TEST_POLICY = ROOT / "tests" / "proxy" / "data" / "policy.yaml"
HTTP_HOOKS = ("requestheaders", "request", "responseheaders", "response")
CONNECTION_HOOKS = ("next_layer", "tls_clienthello")
BODY = b'{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}'
API_HEADERS = {"content-type": "application/json", "accept": "application/json",
               "user-agent": "OpenAI/Python 1.55.0", "authorization": "Bearer sk-bench"}
BROWSER_HEADERS = {
    "accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
    "sec-fetch-mode": "navigate",
    "sec-fetch-dest": "document",
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0",
}


@dataclass(frozen=True)
class Kind:
    """One kind of request: how to build its flow, and the status it must end with."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes
    status: int | None  # the answer aigate gives, or None when the upstream answers


KINDS = {
    "allowed": Kind("POST", "https://allowed.openai.test/v1/chat/completions", API_HEADERS,
                    BODY, None),
    "blocked": Kind("POST", "https://api.openai.test/v1/chat/completions", API_HEADERS, BODY,
                    403),
    "warned": Kind("GET", "https://chat.warn.test/", BROWSER_HEADERS, b"", 200),
    "warned_api": Kind("POST", "https://warn.api.test/v1/chat/completions", API_HEADERS, BODY,
                       None),
    "non_ai_http": Kind("GET", "http://example.org/index.html", BROWSER_HEADERS, b"", None),
}


def make_flow(kind: Kind) -> http.HTTPFlow:
    request = http.Request.make(kind.method, kind.url, kind.body, kind.headers)
    request.headers["host"] = request.host
    if kind.body:
        request.headers["content-length"] = str(len(kind.body))
    flow = tflow.tflow(req=request)
    # A client names the site it connects to in its SNI (the test flow's is "address", which
    # would have every request decided twice, as domain fronting).
    flow.client_conn.sni = request.host if request.scheme == "https" else None
    return flow


def client_hello() -> tls.ClientHello:
    """A real ClientHello for a non-AI host, as the passthrough hook sees it."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls_obj = ssl.create_default_context().wrap_bio(incoming, outgoing,
                                                    server_hostname="example.org")
    with contextlib.suppress(ssl.SSLWantReadError):
        tls_obj.do_handshake()
    hello = parse_client_hello(outgoing.read())
    assert hello is not None
    return hello


Samples = dict[tuple[str, str], list[int]]  # (addon, hook) -> nanoseconds


def timed_hooks(addons: list[object], hooks: tuple[str, ...]) -> list[tuple[str, str, Callable]]:
    """(addon name, hook name, bound method) for every hook an addon implements, in order."""
    found = []
    for hook in hooks:
        for addon in addons:
            method = getattr(addon, hook, None)
            if method is not None:
                found.append((type(addon).__name__, hook, method))
    return found


def upstream_response() -> http.Response:
    """The upstream's answer, with the `alt-svc` header real AI services (and bench_proxy's fake
    upstream) send, which the streaming addon removes."""
    response = tflow.tresp()
    response.headers["alt-svc"] = 'h3=":443"; ma=86400'
    return response


async def run_http(addons: list[object], kind: Kind, requests: int) -> tuple[Samples, list[int]]:
    """Time every HTTP hook of every addon over `requests` fresh flows of one kind (an `async`
    hook is awaited inside its timing, as mitmproxy awaits it)."""
    calls = timed_hooks(addons, HTTP_HOOKS)
    samples: Samples = defaultdict(list)
    totals: list[int] = []
    clock = time.perf_counter_ns
    flows = [make_flow(kind) for _ in range(requests)]
    upstream = [upstream_response() for _ in range(requests)]
    gc.collect()
    gc.freeze()  # the flows made above are not the hooks' garbage: keep them out of GC passes
    for flow, response in zip(flows, upstream, strict=True):
        total = 0
        for name, hook, method in calls:
            if hook == "responseheaders" and flow.response is None:
                flow.response = response  # the upstream answered
            started = clock()
            result = method(flow)
            if result is not None:
                await result
            spent = clock() - started
            samples[(name, hook)].append(spent)
            total += spent
        totals.append(total)
        expected = kind.status or 200
        if flow.response is None or flow.response.status_code != expected:
            raise SystemExit(f"{kind.url}: expected {expected}, got "
                             f"{flow.response.status_code if flow.response else None}")
    gc.unfreeze()
    return samples, totals


def run_connections(addons: list[object], requests: int) -> tuple[Samples, list[int]]:
    """Time the connection hooks (next_layer, tls_clienthello) for non-AI TLS."""
    from mitmproxy import ctx

    calls = timed_hooks(addons, CONNECTION_HOOKS)
    samples: Samples = defaultdict(list)
    totals: list[int] = []
    clock = time.perf_counter_ns
    hello = client_hello()
    client = tflow.tclient_conn()
    for _ in range(requests):
        data = tls.ClientHelloData(context.Context(client, ctx.options), hello)
        nextlayer = SimpleNamespace(layer=None, context=data.context)
        total = 0
        for name, hook, method in calls:
            argument = nextlayer if hook == "next_layer" else data
            started = clock()
            method(argument)
            spent = clock() - started
            samples[(name, hook)].append(spent)
            total += spent
        totals.append(total)
        if not data.ignore_connection:
            raise SystemExit("tls_clienthello: a non-AI host was not passed through")
    return samples, totals


def us(nanoseconds: float) -> str:
    return f"{nanoseconds / 1000:8.2f}"


def p99(values: list[int]) -> float:
    return statistics.quantiles(values, n=100)[98]


def report(title: str, samples: Samples, totals: list[int]) -> None:
    print(f"\n{title}  ({len(totals)} requests; microseconds)")
    print(f"  {'addon':14} {'hook':16} {'median':>8} {'p99':>8}")
    for (name, hook), values in samples.items():
        print(f"  {name:14} {hook:16} {us(statistics.median(values))} {us(p99(values))}")
    print(f"  {'total':31} {us(statistics.median(totals))} {us(p99(totals))}")


async def measure(kinds: list[str], requests: int) -> None:
    with tempfile.TemporaryDirectory(prefix="aigate-bench-hooks-") as tmp:
        await measure_in(Path(tmp), kinds, requests)


async def measure_in(work: Path, kinds: list[str], requests: int) -> None:
    addons = build_stages(Runtime())
    with taddons.context(Proxyserver(), *addons) as tctx:  # Proxyserver: its options only
        tctx.options.update(
            confdir=str(work), connection_strategy="lazy", aigate_policy=str(TEST_POLICY),
            aigate_ack_key="ab" * 32, aigate_audit_log=str(work / "audit.jsonl"),
        )
        for addon in addons:  # PolicyReload's poller is left out: not a per-request cost
            if hasattr(addon, "running") and type(addon).__name__ != "PolicyReload":
                addon.running()
        for kind in kinds:
            if kind == "connection":
                run_connections(addons, 200)  # warm-up
                report("non-AI TLS connection", *run_connections(addons, requests))
            else:
                await run_http(addons, KINDS[kind], 200)
                report(f"{kind}: {KINDS[kind].method} {KINDS[kind].url}",
                       *await run_http(addons, KINDS[kind], requests))
        for addon in addons:
            if hasattr(addon, "done"):
                addon.done()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--kind", action="append", choices=[*KINDS, "connection"],
                        help="request kinds to run (default: all)")
    args = parser.parse_args()
    asyncio.run(measure(args.kind or [*KINDS, "connection"], args.requests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
