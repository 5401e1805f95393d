"""A load rig for one `aigate run` process: the fake upstream in its own process, the proxy in
its own (so its RSS and CPU are its own), and N concurrent asyncio clients sending a mix of
passthrough, allowed, blocked and inspected requests. Used by tests/e2e/test_load.py (correctness
under load) and bench/bench_soak.py (the same mix for minutes).

Every client is its own httpx client (its own connections and TLS sessions), as a company's
machines would be. Each request's kind fixes the status it must get; anything else, a timeout or
a reset is counted as a failure with its reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import multiprocessing
import os
import re
import socket
import ssl
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import httpx2 as httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ imports this module too
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "proxy"))
from procharness import free_port, routed, started
from proxyharness import FakeUpstream, _UpstreamServer, write_test_policy

AIGATE = str(Path(sys.executable).parent / "aigate")
UPSTREAM_HOSTS = ("allowed.openai.test", "api.openai.test")
CARD = "4111 1111 1111 1111"


def _prompt(extra: str = "") -> bytes:
    """A ~2 KB chat prompt of ordinary prose (no findings), plus `extra`."""
    line = "Summarise the quarterly review for the team meeting and list three follow-ups. "
    text = line * 25 + extra
    return json.dumps({"model": "gpt-4o-mini",
                       "messages": [{"role": "user", "content": text}]}).encode()


SMALL = json.dumps({"model": "gpt-4o-mini",
                    "messages": [{"role": "user", "content": "hi"}]}).encode()
CLEAN = _prompt()
SECRET = _prompt(f" The company card is {CARD}.")


@dataclass(frozen=True)
class Kind:
    """One kind of request in the mix and the status it must get."""

    name: str
    method: str
    url: str
    body: bytes | None
    status: int
    audited: bool  # an AI request: exactly one `decision` record


MIX = (
    Kind("passthrough", "GET", "https://example.org/load", None, 200, False),
    Kind("allowed", "POST", "https://allowed.openai.test/v1/chat/completions", SMALL, 200, True),
    Kind("blocked", "POST", "https://api.openai.test/v1/chat/completions", SMALL, 403, True),
    Kind("inspected", "POST", "https://allowed.openai.test/v1/chat/completions", CLEAN, 200,
         True),
    Kind("inspected_secret", "POST", "https://allowed.openai.test/v1/chat/completions", SECRET,
         403, True),
)


# --- processes --------------------------------------------------------------------------------


def _serve_upstream(directory: Path, conn: Connection) -> None:
    # A listen backlog for hundreds of connections at once (socketserver's default is 5:
    # dropped SYNs come back a second later and read as multi-second latencies).
    _UpstreamServer.request_queue_size = 1024
    server = FakeUpstream(directory, UPSTREAM_HOSTS)
    conn.send((server.address, server.ca_path))
    conn.recv()  # until the parent says stop
    server.close()


@contextlib.contextmanager
def upstream_process(directory: Path) -> Iterator[tuple[tuple[str, int], Path]]:
    """The fake upstream in its own process: (address, CA path)."""
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    child = context.Process(target=_serve_upstream, args=(directory, theirs), daemon=True)
    child.start()
    address, ca_path = ours.recv()
    try:
        yield address, ca_path
    finally:
        ours.send("stop")
        child.join(timeout=10)
        if child.is_alive():
            child.kill()


@dataclass
class Proxy:
    """A running `aigate run --workers 1`: its port, pid, files and output lines."""

    process: subprocess.Popen[str]
    port: int
    metrics_port: int
    audit_log: Path
    confdir: Path
    lines: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_bytes(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def metric(self, name: str) -> dict[str, float]:
        """The samples of one metric (labels text -> value) from the proxy's /metrics."""
        with httpx.Client(timeout=10) as client:
            text = client.get(f"http://127.0.0.1:{self.metrics_port}/metrics").text
        found = {}
        for line in text.splitlines():
            match = re.match(r"([a-z_]+)(\{.*\})? (\S+)$", line)
            if match and match.group(1) == name:
                found[match.group(2) or ""] = float(match.group(3))
        return found


@contextlib.contextmanager
def aigate_proxy(
    work: Path, upstream: tuple[str, int], upstream_ca: Path, start_seconds: float = 60.0,
    *, policy: Path | None = None, confdir: Path | None = None, options: tuple[str, ...] = (),
    env: dict[str, str] | None = None, workers: int = 1,
) -> Iterator[Proxy]:
    """`aigate run --workers <workers>` on the proxy tests' policy, routed to the fake upstream (its
    output has warnings and errors only: `aigate run` sets `termlog_verbosity=warn`).

    Replicas share a `policy` file and a `confdir` (CA) given here; `options` are more `--set`
    values and `env` more environment variables (e.g. AIGATE_ACK_KEY). With `workers` > 1 the
    process is the supervisor and each worker writes its own audit log (`audit.w1.jsonl`, ...)."""
    policy = policy or write_test_policy(work / "policy")
    confdir = confdir or work / "confdir"
    audit_log, metrics_port = work / "audit.jsonl", free_port()
    route, env = routed(upstream, upstream_ca, env)
    argv = [
        AIGATE, "run", "--workers", str(workers), "--listen-port", "0",
        "--policy", str(policy), "--metrics-port", str(metrics_port),
        "--set", f"confdir={confdir}", "--set", f"aigate_audit_log={audit_log}", *route,
        *(f"--set={option}" for option in options),
    ]
    with started(argv, env=env, start_seconds=start_seconds, stop_seconds=15) as running:
        yield Proxy(running.process, running.port, metrics_port, audit_log, confdir,
                    running.lines)


# --- clients ----------------------------------------------------------------------------------


WARM_CYCLES = 1  # the proxy is warm once every client has sent the whole mix this often


@dataclass
class Tally:
    """What the clients saw: answers by (kind, status), failures by reason, latencies, and
    when the run was warm (`warm_at` seconds after the start: every client connected to every
    host and through `WARM_CYCLES` rounds of the mix; None if that never happened)."""

    answered: Counter[tuple[str, int]] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    warm_clients: int = 0
    warm_at: float | None = None

    @property
    def requests(self) -> int:
        return sum(self.answered.values()) + sum(self.failures.values())

    def of(self, kind: str) -> int:
        return sum(n for (name, _), n in self.answered.items() if name == kind)

    def wrong(self) -> dict[tuple[str, int], int]:
        """Answers whose status is not the one their kind must get."""
        expected = {k.name: k.status for k in MIX}
        return {key: n for key, n in self.answered.items() if expected[key[0]] != key[1]}

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


def client_context(proxy: Proxy, upstream_ca: Path) -> ssl.SSLContext:
    """Trusts aigate's CA (intercepted AI hosts) and the upstream's (passed-through hosts)."""
    context = ssl.create_default_context(cafile=str(proxy.confdir / "mitmproxy-ca-cert.pem"))
    context.load_verify_locations(cafile=str(upstream_ca))
    return context


RAMP_SECONDS = 2.0  # clients start spread over this time, as machines do, not in one burst
NO_DELAY = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]


async def _client(
    index: int, clients: int, proxy: Proxy, context: ssl.SSLContext, started: float,
    deadline: float, tally: Tally, timeout: float,
) -> None:
    await asyncio.sleep(RAMP_SECONDS * index / clients)
    kinds = itertools.islice(itertools.cycle(MIX), index % len(MIX), None)
    # TCP_NODELAY: httpx writes a request's head and body separately; with Nagle the body
    # waits for the proxy's delayed ACK (~20-40 ms a request, on every client).
    transport = httpx.AsyncHTTPTransport(proxy=f"http://127.0.0.1:{proxy.port}", verify=context,
                                         socket_options=NO_DELAY)
    async with httpx.AsyncClient(transport=transport, timeout=timeout) as client:
        for sent, kind in enumerate(kinds, 1):
            if time.monotonic() >= deadline:
                return
            if sent == WARM_CYCLES * len(MIX) + 1:
                tally.warm_clients += 1
                if tally.warm_clients == clients:
                    tally.warm_at = time.monotonic() - started
            sent_at = time.monotonic()
            try:
                headers = {"content-type": "application/json"} if kind.body else None
                reply = await client.request(kind.method, kind.url, content=kind.body,
                                             headers=headers)
            except httpx.HTTPError as e:
                tally.failures[f"{kind.name}: {type(e).__name__}: {e}"[:200]] += 1
                continue
            tally.latencies.append(time.monotonic() - sent_at)
            tally.answered[(kind.name, reply.status_code)] += 1


async def _load(
    proxy: Proxy, context: ssl.SSLContext, clients: int, seconds: float, timeout: float,
    every_second: Callable[[float], None] | None, tally: Tally,
) -> Tally:
    started = time.monotonic()
    deadline = started + seconds

    async def tick() -> None:
        while True:
            await asyncio.sleep(1.0)
            if every_second is not None:
                every_second(time.monotonic() - started)

    ticker = asyncio.create_task(tick())
    try:
        await asyncio.gather(*(_client(i, clients, proxy, context, started, deadline, tally,
                                       timeout)
                               for i in range(clients)))
    finally:
        ticker.cancel()
    return tally


def run_load(
    proxy: Proxy, upstream_ca: Path, clients: int, seconds: float, timeout: float = 30.0,
    every_second: Callable[[float], None] | None = None, tally: Tally | None = None,
) -> Tally:
    """`clients` concurrent clients cycling through `MIX` for `seconds`; `every_second(elapsed)`
    is called about once a second (e.g. to sample the proxy's RSS); pass `tally` to read it
    while the run goes on."""
    context = client_context(proxy, upstream_ca)
    tally = tally if tally is not None else Tally()
    return asyncio.run(_load(proxy, context, clients, seconds, timeout, every_second, tally))


def decisions(audit_log: Path) -> Counter[tuple[str, int | None]]:
    """`decision` records in the audit log by (outcome, status)."""
    found: Counter[tuple[str, int | None]] = Counter()
    with open(audit_log, encoding="utf-8") as log:
        for line in log:
            record = json.loads(line)
            if record["event"] == "decision":
                found[(record["outcome"], record["status"])] += 1
    return found
