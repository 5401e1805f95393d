"""`aigate run --workers N`: N proxy processes behind one listening address, and the supervisor
that starts, watches and stops them.

One mitmproxy process uses one core. Each worker is a whole `aigate run` process listening on the
same address with `SO_REUSEPORT` (`aigate.serve.reuseport`): the kernel spreads new connections
across the workers and clients keep their own source address, which acknowledgements of
unauthenticated users are bound to (docs/scaling.md has the measurements and the HAProxy
alternative). The supervisor
- creates the CA and the acknowledgement key once, before any worker starts, so all load the same;
- gives each worker its own audit log (`audit.jsonl` -> `audit.w1.jsonl`, ...): one writer per
  file keeps rotation and each acknowledgement hash chain intact;
- collects every worker's metrics through prometheus-client's multiprocess mode and serves them,
  with each worker's memory and CPU time and `/healthz` and `/readyz` (ready when every worker
  is), as one target on the metrics port;
- forwards SIGTERM, SIGINT and SIGHUP (re-read the policy now), restarts a worker that dies with
  a growing back-off, and gives up (exit 1) when one keeps dying. A worker that dies before the
  first start-up completed (e.g. a broken policy) stops everything at once.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TextIO

WORKER_ENV = "AIGATE_WORKER"
READY_FD_ENV = "AIGATE_READY_FD"
SUPERVISOR_ENV = "AIGATE_SUPERVISOR_PID"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
ACK_KEY_FILE = "aigate-ack.key"  # aigate.proxy.enforce.KEY_FILE, without importing the proxy

STOP_GRACE_SECONDS = 10.0  # then SIGKILL
BACKOFF_FIRST_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 10.0
DEATH_WINDOW_SECONDS = 60.0
MAX_DEATHS = 5  # per worker within the window, then the supervisor gives up
TICK_SECONDS = 0.1


def worker_log_path(path: str, number: int) -> str:
    """Worker `number`'s audit log: `aigate-audit.jsonl` -> `aigate-audit.w1.jsonl`; `-`
    (stdout) stays (each record is one `write`, whole lines up to the pipe's atomic size)."""
    if path == "-":
        return path
    p = Path(path)
    suffix = p.suffix if p.suffix and not p.suffix[1:].isdigit() else ""
    stem = p.name[: len(p.name) - len(suffix)] if suffix else p.name
    return str(p.with_name(f"{stem}.w{number}{suffix}"))


class ProcessUsage(NamedTuple):
    rss_bytes: int  # resident memory now (VmRSS)
    cpu_seconds: float  # user + system time so far


def process_usage(pid: int) -> ProcessUsage | None:
    """A live process's memory and CPU time from /proc (Linux), or None when it is gone or
    /proc cannot be read. The supervisor reports them per worker: the workers' own `process_*`
    metrics do not survive summing into one target, and an uneven CPU split between workers
    shows the kernel spreading connections unevenly."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rss = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    if rss is None:  # a zombie has no memory left to report
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return ProcessUsage(int(rss.group(1)) * 1024, ticks / os.sysconf("SC_CLK_TCK"))


def backoff(deaths: int) -> float:
    """Seconds to wait before restarting a worker after its `deaths`-th recent death."""
    return min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** max(0, deaths - 1))


def reserve_port(host: str, port: int) -> socket.socket:
    """Check that nobody listens on host:port (picking a free port for 0) and hold it with a
    bound, not listening, `SO_REUSEPORT` socket: it takes no connections, but no other program
    can take the port while a worker restarts. Raises OSError when the port is taken."""
    family, _, _, _, address = socket.getaddrinfo(
        host or "0.0.0.0", port,  # noqa: S104  # "" is every interface, as mitmproxy reads it type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:  # fails if anybody holds the port
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)
        port = probe.getsockname()[1]
    held = socket.socket(family, socket.SOCK_STREAM)
    held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        held.bind((address[0], port, *address[2:]))
    except OSError:
        held.close()
        raise
    return held


def prepare_confdir(confdir: Path, ack_key_set: bool) -> None:
    """Create the CA and the acknowledgement key once, before the workers race to."""
    from mitmproxy.certs import CertStore
    from mitmproxy.options import CONF_BASENAME, KEY_SIZE

    from aigate.respond.cookies import load_or_create_key

    confdir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not (confdir / f"{CONF_BASENAME}-ca.pem").exists():
        CertStore.create_store(confdir, CONF_BASENAME, KEY_SIZE)
    if not ack_key_set:
        load_or_create_key(confdir / ACK_KEY_FILE)


@dataclass
class Slot:
    """One worker position: its current process, if any, and its recent deaths."""

    number: int
    process: subprocess.Popen[bytes] | None = None
    ready_fd: int | None = None  # read end of the worker's readiness pipe
    ready: bool = False
    restart_at: float | None = None
    deaths: collections.deque[float] = field(default_factory=collections.deque)
    restarts: int = 0


class Supervisor:
    """Runs `count` workers made by `command(number)`; `run()` returns the exit status."""

    def __init__(
        self,
        count: int,
        command: Callable[[int], list[str]],
        *,
        metrics_dir: Path,
        on_ready: Callable[[], None] = lambda: None,
        out: TextIO = sys.stderr,
    ) -> None:
        self.slots = [Slot(n) for n in range(1, count + 1)]
        self.command = command
        self.metrics_dir = metrics_dir
        self.on_ready = on_ready
        self.out = out
        self.started = False  # every worker was ready once
        self.stopping = False
        self._selector = selectors.DefaultSelector()
        self._stop_signal: int | None = None
        self._hup = False

    # --- status -----------------------------------------------------------------------------

    def not_ready(self) -> str | None:
        """Why the proxy should get no traffic (`/readyz`), or None when every worker is ready."""
        if self.stopping:
            return "shutting down"
        waiting = [s.number for s in self.slots if not s.ready]
        if not waiting:
            return None
        names = ", ".join(str(n) for n in waiting)
        return f"{len(self.slots) - len(waiting)} of {len(self.slots)} workers ready (waiting " \
               f"for worker {names}: starting, or policy not loaded)"

    def collect(self) -> Iterator[object]:
        """The supervisor's own metrics (a prometheus-client collector)."""
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        yield GaugeMetricFamily("aigate_workers", "Proxy worker processes configured.",
                                value=len(self.slots))
        yield GaugeMetricFamily("aigate_workers_ready", "Proxy worker processes ready.",
                                value=sum(s.ready for s in self.slots))
        yield CounterMetricFamily("aigate_worker_restarts",
                                  "Proxy worker processes restarted after they died.",
                                  value=sum(s.restarts for s in self.slots))
        memory = GaugeMetricFamily("aigate_worker_resident_memory_bytes",
                                   "Resident memory of each proxy worker process.",
                                   labels=["worker"])
        cpu = CounterMetricFamily("aigate_worker_cpu_seconds",
                                  "CPU time of each proxy worker process (user and system; "
                                  "starts again from 0 when the worker is restarted).",
                                  labels=["worker"])
        for slot in self.slots:
            process = slot.process  # read once: the supervisor's loop may replace it meanwhile
            usage = process_usage(process.pid) if process is not None else None
            if usage is not None:
                memory.add_metric([str(slot.number)], usage.rss_bytes)
                cpu.add_metric([str(slot.number)], usage.cpu_seconds)
        yield memory
        yield cpu

    # --- lifecycle ----------------------------------------------------------------------------

    def run(self) -> int:
        handled = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
        previous = {sig: signal.signal(sig, self._on_signal) for sig in handled}
        try:
            for slot in self.slots:
                self._spawn(slot)
            return self._loop()
        finally:
            self.stopping = True
            self._stop_all(self._stop_signal or signal.SIGTERM)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self._selector.close()

    def _on_signal(self, signum: int, _frame: object) -> None:
        if signum == signal.SIGHUP:
            self._hup = True
        else:
            self._stop_signal = signum
            self.stopping = True  # `/readyz` says so at once: balancers drain this machine

    def _loop(self) -> int:
        while True:
            if self._stop_signal is not None:
                return 0
            if self._hup:
                self._hup = False
                self._signal_all(signal.SIGHUP)
            for key, _ in self._selector.select(TICK_SECONDS):
                self._read_ready(key.data)
            now = time.monotonic()
            for slot in self.slots:
                status = self._reap(slot, now)
                if status is not None:
                    return status
                if slot.process is None and slot.restart_at is not None and now >= slot.restart_at:
                    slot.restarts += 1
                    self._spawn(slot)
            if not self.started and all(s.ready for s in self.slots):
                self.started = True
                self.on_ready()

    def _spawn(self, slot: Slot) -> None:
        read_fd, write_fd = os.pipe()
        env = {
            **os.environ,
            WORKER_ENV: str(slot.number),
            READY_FD_ENV: str(write_fd),
            SUPERVISOR_ENV: str(os.getpid()),
            MULTIPROC_ENV: str(self.metrics_dir),
        }
        try:
            slot.process = subprocess.Popen(
                self.command(slot.number), env=env, pass_fds=(write_fd,), stdin=subprocess.DEVNULL,
                process_group=0,  # signals reach workers through the supervisor only, once
            )
        finally:
            os.close(write_fd)
        slot.ready, slot.restart_at, slot.ready_fd = False, None, read_fd
        os.set_blocking(read_fd, False)
        self._selector.register(read_fd, selectors.EVENT_READ, slot)

    def _read_ready(self, slot: Slot) -> None:
        assert slot.ready_fd is not None
        try:
            data = os.read(slot.ready_fd, 64)
        except BlockingIOError:
            return
        if data.startswith(b"ready"):
            slot.ready = True
        if not data:  # the worker closed its end: ready, or gone
            self._close_ready(slot)

    def _close_ready(self, slot: Slot) -> None:
        if slot.ready_fd is not None:
            self._selector.unregister(slot.ready_fd)
            os.close(slot.ready_fd)
            slot.ready_fd = None

    def _reap(self, slot: Slot, now: float) -> int | None:
        """Handle a worker that exited; an exit status when the supervisor must stop."""
        process = slot.process
        if process is None or (code := process.poll()) is None:
            return None
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(process.pid, str(self.metrics_dir))
        self._close_ready(slot)
        slot.process, slot.ready = None, False
        if not self.started:
            self._say(f"worker {slot.number} exited with status {code} during start-up; "
                      "stopping")
            return code or 1
        slot.deaths.append(now)
        while slot.deaths and slot.deaths[0] < now - DEATH_WINDOW_SECONDS:
            slot.deaths.popleft()
        if len(slot.deaths) > MAX_DEATHS:
            self._say(f"worker {slot.number} died {len(slot.deaths)} times in "
                      f"{DEATH_WINDOW_SECONDS:.0f} s; giving up")
            return 1
        delay = backoff(len(slot.deaths))
        self._say(f"worker {slot.number} (pid {process.pid}) exited with status {code}; "
                  f"restarting in {delay:.1f} s")
        slot.restart_at = now + delay
        return None

    def _signal_all(self, signum: int) -> None:
        for slot in self.slots:
            if slot.process is not None and slot.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):  # exited since poll()
                    slot.process.send_signal(signum)

    def _stop_all(self, signum: int) -> None:
        self._signal_all(signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for slot in self.slots:
            if slot.process is None:
                continue
            try:
                slot.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._say(f"worker {slot.number} did not stop in {STOP_GRACE_SECONDS:.0f} s; "
                          "killing it")
                slot.process.kill()
                slot.process.wait()
            self._close_ready(slot)
            slot.process, slot.ready = None, False

    def _say(self, message: str) -> None:
        print(f"aigate: {message}", file=self.out, flush=True)


class WorkersCollector:
    """Every worker's metrics summed from their files, the supervisor's own, and the metrics a
    worker computes at scrape time, which files cannot hold (the policy review being overdue)."""

    def __init__(self, supervisor: Supervisor, metrics_dir: Path) -> None:
        from prometheus_client import CollectorRegistry
        from prometheus_client.multiprocess import MultiProcessCollector

        self.supervisor = supervisor
        self._files = MultiProcessCollector(CollectorRegistry(), path=str(metrics_dir))

    def collect(self) -> Iterator[object]:
        from prometheus_client.core import GaugeMetricFamily

        from aigate.record.metrics import REVIEW_OVERDUE_HELP, REVIEW_OVERDUE_NAME

        deadline = 0.0
        for metric in self._files.collect():
            if metric.name == "aigate_policy_review_by_timestamp_seconds":
                deadline = max((s.value for s in metric.samples), default=0.0)
            yield metric
        yield GaugeMetricFamily(REVIEW_OVERDUE_NAME, REVIEW_OVERDUE_HELP,
                                value=1.0 if 0 < deadline < time.time() else 0.0)
        yield from self.supervisor.collect()


def metrics_directory() -> Path:
    """A fresh directory for the workers' metric files (removed by `remove_directory`)."""
    return Path(tempfile.mkdtemp(prefix="aigate-metrics-"))


def remove_directory(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def port_in_use_message(host: str, port: int, error: OSError, flag: str = "--listen-port") -> str:
    """The error a person sees when an address it asked for is taken."""
    if error.errno == errno.EADDRINUSE:
        return (f"cannot listen on {host or '*'}:{port}: the address is already in use (another "
                f"aigate running?); stop it or choose another {flag}")
    return f"cannot listen on {host or '*'}:{port}: {error.strerror or error}"
