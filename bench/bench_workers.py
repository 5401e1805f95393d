"""Intercepted HTTPS requests per second with `aigate run --workers N` against one worker, in the
same run on 127.0.0.1 (goal: >= 0.85 x N on N free cores).

Usage: .venv/bin/python bench/bench_workers.py [--workers N] [--seconds S] [--rounds R]

Proxies, each routed by tests/e2e/upstream_route.py to one fake TLS upstream in its own process
(HAProxy answering every request with a fixed OpenAI answer when the `haproxy` command is
installed: in C it takes a few per cent of the machine, where the Python fake upstream of the
tests, `--python-upstream`, takes a tenth that the workers cannot use on 2 cores):
- `aigate run --workers 1`;
- `aigate run --workers N` (SO_REUSEPORT: the kernel spreads connections over the workers);
- N x `aigate run --workers 1` on private ports behind HAProxy in TCP mode (round robin), when
  the `haproxy` command is installed: the alternative docs/scaling.md compares.

The load generator is lean (raw keep-alive TLS through a CONNECT tunnel, no HTTP library) and runs
in N+1 processes of several connections each, so the client is not the bottleneck it would be
with one Python process. Each figure is the best of R rounds of S seconds, rounds interleaving
the set-ups. Printed: wall req/s; the CPU share (of all cores) of the proxies, the load
generator and the upstream; and two ratios: measured (wall N-worker / wall 1-worker), and per
proxy CPU (how much of one worker's efficiency each of N keeps: what the N-worker proxy would
deliver on N cores of its own; the supervisor's CPU counts as proxy CPU). On a machine with N
cores only, the client and the upstream take their share, so the measured ratio cannot reach N:
read it with the CPU shares. Then, per round, the requests each worker answered (its audit log)
and, for SO_REUSEPORT, the client connections the kernel gave it; and each process's RSS after
the run (VmRSS and its peak, VmHWM).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from aigate.serve.workers import worker_log_path
from bench_proxy import BODY, ROOT, TEST_POLICY, Upstream, upstream_process
from proxyharness import OPENAI_ANSWER, make_ca_and_leaf

AIGATE = str(Path(sys.executable).parent / "aigate")
ROUTE = ROOT / "tests" / "e2e" / "upstream_route.py"
HOST = "allowed.openai.test"
REQUEST = (
    f"POST /v1/chat/completions HTTP/1.1\r\nHost: {HOST}\r\ncontent-type: application/json\r\n"
    f"content-length: {len(BODY)}\r\n\r\n"
).encode() + BODY
READY = re.compile(r"proxy listening at http://127\.0\.0\.1:(\d+)")
CONNECTIONS_PER_PROCESS = 4
CORES = len(os.sched_getaffinity(0))
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process, threads that have ended included (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def worker_number(pid: int) -> int:
    """The slot of a supervised worker (its `AIGATE_WORKER`)."""
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return next(int(v.split(b"=", 1)[1]) for v in environ if v.startswith(b"AIGATE_WORKER="))


def process_role(setup: Setup, pid: int) -> str:
    """How the RSS table names a process: `w1`... for workers, else what it is."""
    if pid in setup.workers:
        return f"w{setup.workers.index(pid) + 1}"
    return "haproxy" if setup.name.startswith("haproxy") else "supervisor"


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def status_kib(pid: int, field: str) -> int:
    """A `/proc/<pid>/status` size field (VmRSS, VmHWM) in KiB; 0 once the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def accepted(pids: list[int], port: int) -> tuple[int, ...]:
    """Established TCP connections to local `port` that each process holds."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    counts = []
    for pid in pids:
        fds = Path(f"/proc/{pid}/fd")
        counts.append(sum(1 for fd in fds.iterdir() if os.readlink(fd) in inodes))
    return tuple(counts)


def lines_in(path: Path) -> int:
    """Records in an audit log so far (one line each; a missing file has none)."""
    try:
        with open(path, "rb") as log:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: log.read(1 << 20), b""))
    except FileNotFoundError:
        return 0


@dataclass
class Setup:
    name: str
    port: int
    pids: list[int]  # the processes doing proxy work (workers, supervisor, HAProxy)
    workers: list[int]  # the proxy workers' pids, in the order of `logs`
    logs: list[Path]  # each worker's audit log: one decision record per request

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)

    def records(self) -> list[int]:
        return [lines_in(log) for log in self.logs]


@contextmanager
def aigate(work: Path, upstream: Upstream, workers: int, name: str,
           port: int = 0) -> Iterator[Setup]:
    """`aigate run --workers N` routed to the upstream; yields once it listens."""
    confdir = work / "confdir"
    argv = [
        AIGATE, "run", "--workers", str(workers), "--listen-port", str(port),
        "--policy", str(TEST_POLICY),
        "--set", f"confdir={confdir}", "--set", f"scripts={ROUTE}",
        "--set", f"ssl_verify_upstream_trusted_ca={upstream.ca_path}",
        "--set", f"aigate_ack_key={'ab' * 32}",
        "--set", f"aigate_audit_log={work / f'audit-{name}.jsonl'}",
    ]
    env = {**os.environ, "AIGATE_TEST_UPSTREAM": "{}:{}".format(*upstream.address)}
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    found = None
    for line in proc.stdout:
        if match := READY.search(line):
            found = int(match.group(1))
            break
    if found is None:
        proc.wait()
        raise SystemExit(f"aigate did not start: {' '.join(argv)}")
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    log = work / f"audit-{name}.jsonl"
    if workers == 1:
        setup = Setup(name, found, [proc.pid], [proc.pid], [log])
    else:  # the supervisor and its children, workers 1..N (their AIGATE_WORKER)
        pids = sorted(children(proc.pid), key=worker_number)
        logs = [Path(worker_log_path(str(log), n)) for n in range(1, workers + 1)]
        setup = Setup(name, found, [*pids, proc.pid], pids, logs)
    try:
        yield setup
    finally:
        proc.terminate()
        proc.wait(timeout=30)


_GIVEN_PORTS: set[int] = set()


def free_port() -> int:
    """A free port not handed out before in this run: a port closed is free again at once, and
    two HAProxy processes (the upstream and the front) told the same port would both bind it
    (SO_REUSEPORT) and share its connections."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _GIVEN_PORTS:
            _GIVEN_PORTS.add(port)
            return port


def _haproxy_bin() -> str | None:
    found = shutil.which("haproxy") or "/usr/sbin/haproxy"
    return found if Path(found).exists() else None


def _start_haproxy(config: Path, port: int) -> subprocess.Popen[bytes]:
    """HAProxy on `config`, once it accepts connections on `port`."""
    proc = subprocess.Popen([_haproxy_bin() or "haproxy", "-f", str(config), "-db"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("haproxy did not start") from None
            time.sleep(0.05)


@contextmanager
def haproxy_upstream(directory: Path) -> Iterator[tuple[Upstream, int]]:
    """The upstream as HAProxy answering every request over TLS with the fake upstream's OpenAI
    answer and headers: (the upstream, its pid). In C it costs a few per cent of the machine
    where the Python fake upstream costs a tenth, CPU the workers could not use on 2 cores
    (in production the AI provider's servers are elsewhere)."""
    directory.mkdir(parents=True)
    ca_path, cert, key = make_ca_and_leaf(directory, [HOST])
    pem = directory / "upstream.pem"
    pem.write_bytes(cert.read_bytes() + key.read_bytes())
    port = free_port()
    config = directory / "upstream.cfg"
    config.write_text(
        "global\n    maxconn 4096\n    nbthread 1\n"
        "defaults\n    mode http\n    timeout connect 5s\n    timeout client 60s\n"
        "    timeout server 60s\n"
        f"frontend upstream\n    bind 127.0.0.1:{port} ssl crt {pem} alpn http/1.1\n"
        # the request body read before answering, so the connection stays open for the next
        "    option http-buffer-request\n"
        "    http-request return status 200 content-type application/json"
        " hdr alt-svc 'h3=\":443\"; ma=86400' hdr x-upstream fake"
        f" string '{json.dumps(OPENAI_ANSWER)}'\n"
    )
    proc = _start_haproxy(config, port)
    try:
        yield Upstream(("127.0.0.1", port), ca_path), proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def haproxy(work: Path, upstream: Upstream, workers: int) -> Iterator[Setup]:
    """N single-process workers on private ports behind HAProxy (TCP mode, round robin)."""
    with ExitStack() as stack:
        backends = [
            stack.enter_context(aigate(work, upstream, 1, f"haproxy-w{n}", free_port()))
            for n in range(1, workers + 1)
        ]
        port = free_port()
        servers = "\n".join(f"    server w{n} 127.0.0.1:{b.port}"
                            for n, b in enumerate(backends, 1))
        config = work / "haproxy.cfg"
        config.write_text(
            "global\n    maxconn 4096\n    nbthread 1\n"
            "defaults\n    mode tcp\n    timeout connect 5s\n    timeout client 60s\n"
            "    timeout server 60s\n"
            f"frontend proxy\n    bind 127.0.0.1:{port}\n    default_backend workers\n"
            f"backend workers\n    balance roundrobin\n{servers}\n"
        )
        proc = _start_haproxy(config, port)
        try:
            yield Setup(f"haproxy + {workers}", port,
                        [proc.pid, *(pid for b in backends for pid in b.pids)],
                        [pid for b in backends for pid in b.workers],
                        [log for b in backends for log in b.logs])
        finally:
            proc.terminate()
            proc.wait(timeout=10)


# --- the load generator ------------------------------------------------------------------------


def _connect(port: int, context: ssl.SSLContext) -> ssl.SSLSocket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(f"CONNECT {HOST}:443 HTTP/1.1\r\nHost: {HOST}:443\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(4096)
    assert head.startswith(b"HTTP/1.1 200"), head[:60]
    return context.wrap_socket(sock, server_hostname=HOST)


def _one(tls: ssl.SSLSocket, buffer: bytearray) -> None:
    """Send the request and read one whole response (Content-Length framed)."""
    tls.sendall(REQUEST)
    while (end := buffer.find(b"\r\n\r\n")) < 0:
        _receive(tls, buffer)
    head = bytes(buffer[:end]).lower()
    assert head.startswith(b"http/1.1 200"), head[:80]
    length = int(re.search(rb"content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
    while len(buffer) < end + 4 + length:
        _receive(tls, buffer)
    del buffer[: end + 4 + length]


def _receive(tls: ssl.SSLSocket, buffer: bytearray) -> None:
    """More of the response; a closed connection fails the run rather than spinning."""
    chunk = tls.recv(65536)
    if not chunk:
        raise ConnectionError("the proxy closed the connection mid-response")
    buffer += chunk


def _generate(port: int, ca: str, seconds: float, conn: Connection) -> None:
    context = ssl.create_default_context(cafile=ca)
    counts = [0] * CONNECTIONS_PER_PROCESS
    start = threading.Barrier(CONNECTIONS_PER_PROCESS + 1)
    deadline = [0.0]

    def loop(index: int) -> None:
        try:
            tls = _connect(port, context)
            buffer = bytearray()
            _one(tls, buffer)  # warm: certificate generated, upstream connected
            start.wait()
            while time.monotonic() < deadline[0]:
                _one(tls, buffer)
                counts[index] += 1
            tls.close()
        except BaseException:
            start.abort()  # the others and the main thread stop waiting: the run fails
            raise

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(CONNECTIONS_PER_PROCESS)]
    for thread in threads:
        thread.start()
    conn.recv()  # go
    cpu = time.process_time()
    deadline[0] = time.monotonic() + seconds
    start.wait()
    for thread in threads:
        thread.join()
    conn.send((sum(counts), time.process_time() - cpu))


@dataclass(frozen=True)
class Sample:
    rate: float  # wall req/s
    proxy_share: float  # CPU share of all cores: proxies, client, upstream
    client_share: float
    upstream_share: float
    per_proxy_cpu: float  # requests per proxy CPU second
    by_worker: tuple[int, ...]  # requests each worker answered (audit records)
    connections: tuple[int, ...]  # client connections each worker held (SO_REUSEPORT only)


def measure(setup: Setup, ca: str, processes: int, seconds: float, upstream_pid: int) -> Sample:
    fork = multiprocessing.get_context("fork")
    pipes, procs = [], []
    for _ in range(processes):
        ours, theirs = fork.Pipe()
        proc = fork.Process(target=_generate, args=(setup.port, ca, seconds, theirs), daemon=True)
        proc.start()
        pipes.append(ours)
        procs.append(proc)
    time.sleep(0.5)  # connections open and warm
    proxy_cpu, upstream_cpu = setup.cpu(), cpu_seconds(upstream_pid)
    records = setup.records()
    connections = accepted(setup.workers, setup.port) if setup.name == "reuseport" else ()
    started = time.perf_counter()
    for pipe in pipes:
        pipe.send("go")
    results = [pipe.recv() for pipe in pipes]
    wall = time.perf_counter() - started
    proxy_cpu, upstream_cpu = setup.cpu() - proxy_cpu, cpu_seconds(upstream_pid) - upstream_cpu
    for proc in procs:
        proc.join()
    after = setup.records()
    by_worker = tuple(end - start for start, end in zip(records, after, strict=True))
    requests = sum(r[0] for r in results)
    client_cpu = sum(r[1] for r in results)
    capacity = wall * CORES
    return Sample(requests / wall, proxy_cpu / capacity, client_cpu / capacity,
                  upstream_cpu / capacity, requests / proxy_cpu if proxy_cpu else 0.0, by_worker,
                  connections)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=CORES)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-haproxy", action="store_true", help="skip the HAProxy set-up")
    parser.add_argument("--python-upstream", action="store_true",
                        help="the Python fake upstream, even when HAProxy could answer instead")
    args = parser.parse_args()
    n = max(2, args.workers)
    work = Path(tempfile.mkdtemp(prefix="aigate-bench-workers-"))
    with_haproxy = not args.no_haproxy and _haproxy_bin() is not None
    upstream_kind = ("HAProxy" if _haproxy_bin() is not None and not args.python_upstream
                     else "Python")
    samples: dict[str, list[Sample]] = {}
    try:
        with ExitStack() as stack:
            if upstream_kind == "HAProxy":
                upstream, upstream_pid = stack.enter_context(
                    haproxy_upstream(work / "upstream"))
            else:
                upstream = stack.enter_context(upstream_process(work / "upstream"))
                upstream_pid = children(os.getpid())[0]
            setups = [stack.enter_context(aigate(work, upstream, 1, "one")),
                      stack.enter_context(aigate(work, upstream, n, "reuseport"))]
            if with_haproxy:
                setups.append(stack.enter_context(haproxy(work, upstream, n)))
            ca = str(work / "confdir" / "mitmproxy-ca-cert.pem")
            for _ in range(args.rounds):
                for setup in setups:
                    # More client processes for more workers, as more users would bring.
                    workers = 1 if setup.name == "one" else n
                    sample = measure(setup, ca, workers + 1, args.seconds, upstream_pid)
                    samples.setdefault(setup.name, []).append(sample)
            memory = {setup.name: [(process_role(setup, pid), status_kib(pid, "VmRSS"),
                                    status_kib(pid, "VmHWM")) for pid in setup.pids]
                      for setup in setups}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    best = {name: max(values, key=lambda s: s.rate) for name, values in samples.items()}
    print(f"{CORES} cores; {n} workers; best of {args.rounds} x {args.seconds:.0f} s; CPU "
          f"shares are of all cores; the upstream: {upstream_kind}")
    print(f"{'set-up':16} {'req/s':>8} {'proxy CPU':>10} {'client CPU':>11} {'upstream CPU':>13} "
          f"{'req/proxy-CPU-s':>16}")
    for name, s in best.items():
        label = {"one": "1 worker", "reuseport": f"{n} workers"}.get(name, name)
        print(f"{label:16} {s.rate:8.0f} {s.proxy_share:10.0%} {s.client_share:11.0%} "
              f"{s.upstream_share:13.0%} {s.per_proxy_cpu:16.0f}")
    one = best["one"]
    print()
    for name in [k for k in best if k != "one"]:
        s = best[name]
        measured = s.rate / one.rate
        efficiency = s.per_proxy_cpu / one.per_proxy_cpu
        label = f"{n} workers (SO_REUSEPORT)" if name == "reuseport" else name
        print(f"{label}: measured {measured:.2f}x one worker; per proxy CPU {efficiency:.2f} "
              f"-> {efficiency * n:.2f}x on {n} free cores (goal >= {0.85 * n:.2f}x) "
              f"{'ok' if efficiency * n >= 0.85 * n else 'MISSED'}")
    print("\nRequests per worker in each round (audit records; the kernel hashes each "
          "connection to a worker):")
    for name, values in samples.items():
        if name == "one":
            continue
        rounds = "  ".join("/".join(str(r) for r in s.by_worker)
                           + (f" ({'/'.join(str(c) for c in s.connections)} conns)"
                              if s.connections else "") for s in values)
        busiest = [max(s.by_worker) / sum(s.by_worker) for s in values if sum(s.by_worker)]
        print(f"{name:16} {rounds}  (busiest worker: {sum(busiest) / len(busiest):.0%} on "
              f"average, even: {1 / n:.0%})")
    print("\nRSS per process after the run, MiB (VmRSS, peak VmHWM):")
    for name, sizes in memory.items():
        print(f"{name:16} " + "  ".join(f"{role} {rss / 1024:.1f} (peak {peak / 1024:.1f})"
                                         for role, rss, peak in sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
