"""The proxy's cost against bare mitmdump, measured in the same run on 127.0.0.1.

Usage: .venv/bin/python bench/bench_proxy.py [--requests N] [--rounds R]

Starts a fake TLS upstream (tests/proxy/proxyharness.py), bare mitmdump, and aigate as users
start it (`aigate run --workers 1`, the shipped path), all with `tests/e2e/upstream_route.py`
sending every upstream connection to the fake upstream and `connection_strategy=lazy`. Prints:

- passthrough: new connections per second to a non-AI host (CONNECT, TLS relayed, one request),
  aigate vs bare mitmdump with `ignore_hosts` (goal >= 0.97x);
- intercepted allowed AI requests per second, aigate vs bare interception (goal >= 0.92x);
- blocked vs allowed AI requests per second on aigate (goal >= 1.3x);
- intercepted allowed AI POSTs of a 4 KB prompt with full scanning (every detector, clean text so
  it is forwarded), aigate vs bare interception of the same POST (goal >= 0.88x);
- added latency p50 of one keep-alive connection, aigate minus bare (goal <= 0.15 ms).

`aigate run` also makes mitmproxy itself cheaper: its event dispatch in one loop
(`aigate.proxy.dispatch`) and Python's `-O`, which skips mitmproxy's type checks of every
message (`aigate.cli.run`). Bare mitmdump has neither. So a fourth proxy, bare mitmdump given
both (`bench/tuned_mitmdump.py` under `PYTHONOPTIMIZE=1`), is measured too, and the last lines
compare aigate with it: what aigate's own hooks cost, without the saving it brings.

Throughput is counted per proxy core: requests divided by the CPU time the proxy process used
(from /proc/<pid>/task/*/schedstat), so the client and the upstream sharing the machine's cores
do not blur the ratios; wall-clock req/s are printed too. All proxies run at once, the
upstream runs in its own process, rounds interleave the proxies, and each figure is the best of
R rounds of N requests (small, bounded loops).
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "proxy"))
from proxyharness import TEST_POLICY, FakeUpstream  # noqa: E402

MITMDUMP = str(Path(sys.executable).parent / "mitmdump")
AIGATE = str(Path(sys.executable).parent / "aigate")
ROUTE = ROOT / "tests" / "e2e" / "upstream_route.py"
ALLOWED = "https://allowed.openai.test/v1/chat/completions"
BLOCKED = "https://api.openai.test/v1/chat/completions"
BODY = b'{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}'
CARD = "4111 1111 1111 1111"


def prompt_4k(extra: str = "") -> bytes:
    """A chat request whose prompt makes the body about 4 KB: prose with numbers, dates, code
    and ids that look like data but are not (so it is forwarded after a full scan)."""
    line = (
        "Summarise the Q3 review: revenue rose 12.5% to 4,310 units on 2024-09-30; order "
        "ORD-88213 shipped; see commit 3f9a2c1 and ticket OPS-1142. def total(x): return x * 2\n"
    )
    text = (line * 40)[: 4000 - len(extra)] + extra
    body = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]})
    return body.encode()


BODY_4K = prompt_4k()
THREADS = 2


@dataclass(frozen=True)
class Upstream:
    address: tuple[str, int]
    ca_path: Path


def _serve_upstream(directory: Path, conn: Connection) -> None:
    server = FakeUpstream(directory, ["allowed.openai.test", "api.openai.test"])
    conn.send((server.address, server.ca_path))
    conn.recv()  # until the parent says stop
    server.close()


@contextmanager
def upstream_process(directory: Path) -> Iterator[Upstream]:
    """The fake upstream in its own process, so it does not share the client's GIL."""
    ours, theirs = multiprocessing.get_context("fork").Pipe()
    child = multiprocessing.get_context("fork").Process(
        target=_serve_upstream, args=(directory, theirs), daemon=True
    )
    child.start()
    address, ca_path = ours.recv()
    try:
        yield Upstream(address, ca_path)
    finally:
        ours.send("stop")
        child.join(timeout=10)


@dataclass(frozen=True)
class Proxy:
    port: int
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time used so far by all threads of the proxy process."""
        total = 0
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except (OSError, ValueError):
                continue
        return total / 1e9


def mitmdump_argv(port: int, confdir: Path, upstream: Upstream, *extra: str) -> list[str]:
    """Bare mitmdump routed to `upstream`, as quiet as `aigate run` (no line per connection)."""
    return [
        MITMDUMP, "--listen-host", "127.0.0.1", "--listen-port", str(port), "-s", str(ROUTE),
        "--set", f"confdir={confdir}", "--set", "connection_strategy=lazy",
        "--set", "flow_detail=0", "--set", "termlog_verbosity=warn",
        "--set", f"ssl_verify_upstream_trusted_ca={upstream.ca_path}", *extra,
    ]


def aigate_argv(port: int, confdir: Path, upstream: Upstream) -> list[str]:
    """`aigate run` as users start it, one process, routed to `upstream`."""
    return [
        AIGATE, "run", "--workers", "1", "--listen-port", str(port), "--policy", str(TEST_POLICY),
        "--set", f"scripts={ROUTE}", "--set", f"confdir={confdir}",
        "--set", f"ssl_verify_upstream_trusted_ca={upstream.ca_path}",
        "--set", f"aigate_ack_key={'ab' * 32}",
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def proxy_process(
    command: Callable[..., list[str]], confdir: Path, upstream: Upstream, *extra: str,
    env: dict[str, str] | None = None,
) -> Iterator[Proxy]:
    """The proxy `command(port, confdir, upstream, *extra)` builds, once it accepts connections
    (with `env` added to this environment)."""
    port = free_port()
    argv = command(port, confdir, upstream, *extra)
    env = {**os.environ, **(env or {}),
           "AIGATE_TEST_UPSTREAM": "{}:{}".format(*upstream.address)}
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    drain = threading.Thread(target=proc.stdout.read, daemon=True)
    drain.start()
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit(f"{argv[0]} did not start: {' '.join(argv)}") from None
            time.sleep(0.1)
    try:
        yield Proxy(port, proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def passthrough_once(port: int, context: ssl.SSLContext) -> None:
    sock = socket.create_connection(("127.0.0.1", port))
    try:
        sock.sendall(b"CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n")
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(4096)
        tls = context.wrap_socket(sock, server_hostname="example.org")
        tls.sendall(b"GET /bench HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n")
        while tls.recv(65536):
            pass
    finally:
        sock.close()


def rate(
    proxy: Proxy, work: Callable[[], None], requests: int, threads: int = THREADS
) -> tuple[float, float]:
    """(wall req/s, req per proxy CPU second) for `requests` calls of `work` on `threads`."""
    per_thread = requests // threads
    barrier = threading.Barrier(threads + 1)

    def loop() -> None:
        barrier.wait()
        for _ in range(per_thread):
            work()

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    cpu = proxy.cpu_seconds()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    done = per_thread * threads
    return done / (time.perf_counter() - started), done / (proxy.cpu_seconds() - cpu)


def unique_4k() -> Callable[[], bytes]:
    """4 KB request bodies, each its own prompt: the scanner reuses the findings of a text it
    scanned recently, so the same body every time would time that, not a scan."""
    numbers = itertools.count()
    return lambda: prompt_4k(f" request {next(numbers)}")


def http_rate(
    proxy: Proxy, ca: ssl.SSLContext, url: str, requests: int, expect: int,
    body: bytes | Callable[[], bytes] = BODY,
) -> tuple[float, float]:
    """Requests/s over one keep-alive connection per thread (each thread its own client); a
    callable `body` gives each request's."""
    local = threading.local()

    def once() -> None:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(proxy=f"http://127.0.0.1:{proxy.port}", verify=ca)
        content = body() if callable(body) else body
        status = client.post(url, content=content, headers={"content-type": "application/json"})
        assert status.status_code == expect, status.status_code

    return rate(proxy, once, requests)


def latency_p50(proxy: Proxy, ca: ssl.SSLContext, requests: int) -> tuple[float, float]:
    """Median seconds per allowed request on one keep-alive connection (twice: one shape)."""
    with httpx.Client(proxy=f"http://127.0.0.1:{proxy.port}", verify=ca) as client:
        client.post(ALLOWED, content=BODY)
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            client.post(ALLOWED, content=BODY)
            samples.append(time.perf_counter() - started)
    p50 = statistics.median(samples)
    return p50, p50


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    n, rounds = args.requests, args.rounds
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="aigate-bench-")))
        confdir = work / "confdir"
        upstream = stack.enter_context(upstream_process(work / "upstream"))
        bare_ignore = stack.enter_context(
            proxy_process(mitmdump_argv, confdir, upstream, "--set", "ignore_hosts=.*"))
        bare = stack.enter_context(proxy_process(mitmdump_argv, confdir, upstream))
        tuned = stack.enter_context(proxy_process(
            mitmdump_argv, confdir, upstream, "-s", str(ROOT / "bench" / "tuned_mitmdump.py"),
            env={"PYTHONOPTIMIZE": "1"}))
        gate = stack.enter_context(proxy_process(aigate_argv, confdir, upstream))
        ca = ssl.create_default_context(cafile=str(confdir / "mitmproxy-ca-cert.pem"))
        direct_ca = ssl.create_default_context(cafile=str(upstream.ca_path))

        def passthrough(proxy: Proxy) -> Callable[[], tuple[float, float]]:
            return lambda: rate(proxy, lambda: passthrough_once(proxy.port, direct_ca), n)

        measures: dict[str, Callable[[], tuple[float, float]]] = {
            "bare passthrough": passthrough(bare_ignore),
            "aigate passthrough": passthrough(gate),
            "bare intercepted": lambda: http_rate(bare, ca, ALLOWED, n, 200),
            "tuned intercepted": lambda: http_rate(tuned, ca, ALLOWED, n, 200),
            "aigate allowed": lambda: http_rate(gate, ca, ALLOWED, n, 200),
            "aigate blocked": lambda: http_rate(gate, ca, BLOCKED, n, 403),
            "bare 4KB POST": lambda: http_rate(bare, ca, ALLOWED, n, 200, unique_4k()),
            "tuned 4KB POST": lambda: http_rate(tuned, ca, ALLOWED, n, 200, unique_4k()),
            "aigate 4KB scanned": lambda: http_rate(gate, ca, ALLOWED, n, 200, unique_4k()),
            "bare p50": lambda: latency_p50(bare, ca, n),
            "tuned p50": lambda: latency_p50(tuned, ca, n),
            "aigate p50": lambda: latency_p50(gate, ca, n),
        }
        # Warm up: certificates for intercepted hosts are generated on first use.
        for proxy, url in ((bare, ALLOWED), (tuned, ALLOWED), (gate, ALLOWED), (gate, BLOCKED)):
            with httpx.Client(proxy=f"http://127.0.0.1:{proxy.port}", verify=ca) as client:
                client.post(url, content=BODY)
        # The scanning scenario really scans: the same prompt with a card number is refused.
        with httpx.Client(proxy=f"http://127.0.0.1:{gate.port}", verify=ca) as client:
            planted = client.post(ALLOWED, content=prompt_4k(f" card {CARD}"))
            assert planted.status_code == 403, planted.status_code
        # Rounds interleave the proxies, so drift on a busy machine hits all of them alike.
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in measures}
        for _ in range(rounds):
            for name, measure in measures.items():
                samples[name].append(measure())
    results: dict[str, tuple[float, float]] = {}
    for name, values in samples.items():
        if "p50" in name:
            results[name] = min(values)
        else:
            results[name] = (max(v[0] for v in values), max(v[1] for v in values))
    print(f"{'':20} {'wall':>12} {'per proxy core':>16}")
    for name, (wall, per_core) in results.items():
        if "p50" in name:
            print(f"{name:20} {wall * 1000:9.3f} ms")
        else:
            print(f"{name:20} {wall:8.0f} r/s {per_core:12.0f} r/s")
    per_core = {name: value[1] for name, value in results.items()}
    passthrough_ratio = per_core["aigate passthrough"] / per_core["bare passthrough"]
    allowed = per_core["aigate allowed"] / per_core["bare intercepted"]
    blocked = per_core["aigate blocked"] / per_core["aigate allowed"]
    scanned = per_core["aigate 4KB scanned"] / per_core["bare 4KB POST"]
    added = (results["aigate p50"][0] - results["bare p50"][0]) * 1000
    checks = [  # issue 15's goals
        ("passthrough vs bare ignore_hosts", f"{passthrough_ratio:.3f}x",
         passthrough_ratio >= 0.97, ">= 0.97x"),
        ("intercepted allowed vs bare", f"{allowed:.3f}x", allowed >= 0.92, ">= 0.92x"),
        ("blocked vs allowed", f"{blocked:.3f}x", blocked >= 1.3, ">= 1.3x"),
        ("4 KB POST fully scanned vs bare", f"{scanned:.3f}x", scanned >= 0.88, ">= 0.88x"),
        ("added latency p50", f"{added:.3f} ms", added <= 0.15, "<= 0.15 ms"),
    ]
    print()
    for name, value, ok, goal in checks:
        print(f"{name:34} {value:>10}  goal {goal:10} {'ok' if ok else 'MISSED'}")
    print("\naigate's hooks alone, against mitmdump with aigate's dispatch and -O (tuned):")
    hooks_only = [
        ("intercepted allowed vs tuned",
         per_core["aigate allowed"] / per_core["tuned intercepted"]),
        ("4 KB POST fully scanned vs tuned",
         per_core["aigate 4KB scanned"] / per_core["tuned 4KB POST"]),
        ("tuned vs bare intercepted",
         per_core["tuned intercepted"] / per_core["bare intercepted"]),
    ]
    for name, ratio in hooks_only:
        print(f"{name:34} {ratio:9.3f}x")
    tuned_added = (results["aigate p50"][0] - results["tuned p50"][0]) * 1000
    print(f"{'added latency p50 vs tuned':34} {tuned_added:6.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
