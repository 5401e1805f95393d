"""`aigate run --workers 2` as admins start it: one address, two proxy processes, one metrics and
health target, shared CA and acknowledgement key, signals, and a killed worker restarted.

One supervisor for the module (start-up costs seconds on two cores); the tests run in file order
and the last one stops it with SIGTERM.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import pytest
from procharness import START_SECONDS, free_port, proxy_client, routed, started, wait_for
from proxyharness import read_jsonl, write_test_policy
from recordharness import BROWSER_HEADERS, FakeUpstream, acknowledge

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = "https://allowed.openai.test/v1/chat/completions"
WARNED = "https://chat.warn.test/"
READY = re.compile(r"proxy listening at http://127\.0\.0\.1:(\d+) \(2 workers\)")


@dataclass
class Supervised:
    process: subprocess.Popen[str]
    port: int
    metrics_port: int
    confdir: Path
    policy: Path
    lines: list[str] = field(default_factory=list)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}{path}",
                                        timeout=5) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()
        except OSError:
            return 0, ""

    def metric(self, name: str, **labels: str) -> float:
        """The sum of a metric's samples matching `labels` in one scrape of the supervisor."""
        total = 0.0
        for line in self.get("/metrics")[1].splitlines():
            match = re.match(r"([a-z_]+)(?:\{(.*)\})? (\S+)$", line)
            if not match or match.group(1) != name:
                continue
            have = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
            if all(have.get(k) == v for k, v in labels.items()):
                total += float(match.group(3))
        return total

    def client(self, **kwargs: object) -> httpx.Client:
        return proxy_client(self.port, self.confdir, "alice:pw", **kwargs)

    def workers(self) -> list[int]:
        """The worker pids (children of the supervisor)."""
        pid = self.process.pid
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return sorted(int(p) for p in text.split())

    def audit(self, number: int) -> list[dict]:
        return read_jsonl(self.confdir / f"aigate-audit.w{number}.jsonl")


def command(tmp: Path, policy: Path, upstream: FakeUpstream,
            *extra: str) -> tuple[list[str], dict[str, str]]:
    """`aigate run --workers 2` routed to `upstream`, and its environment (no ack key set)."""
    route, env = routed(upstream.address, upstream.ca_path)
    env.pop("AIGATE_ACK_KEY", None)
    argv = [
        sys.executable, "-m", "aigate", "run", "--workers", "2", "--listen-port", "0",
        "--policy", str(policy), *extra, "--set", f"confdir={tmp / 'conf'}", *route,
        "--set", "proxyauth=any",
    ]
    return argv, env


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory, upstream: FakeUpstream) -> Iterator[Supervised]:
    tmp = tmp_path_factory.mktemp("workers")
    policy = write_test_policy(tmp)
    metrics_port = free_port()
    argv, env = command(tmp, policy, upstream, "--metrics-port", str(metrics_port),
                        "--set", "aigate_policy_poll=0")  # polling off: only SIGHUP reloads
    with started(argv, READY, env=env) as running:
        yield Supervised(running.process, running.port, metrics_port, tmp / "conf", policy,
                         running.lines)


def test_health_endpoints_report_live_and_ready(gate):
    assert gate.get("/healthz") == (200, "ok\n")
    assert gate.get("/readyz") == (200, "ready\n")


def test_every_worker_serves_requests_through_the_one_address(gate, upstream):
    assert len(gate.workers()) == 2
    for _ in range(24):  # a new connection each: the kernel spreads them by their source port
        with gate.client() as client:
            assert client.post(ALLOWED, json={}).status_code == 200
    wait_for(lambda: all(any(r["event"] == "decision" for r in gate.audit(n)) for n in (1, 2)),
             what="decision records from both workers")


def test_metrics_scrape_is_the_sum_over_workers(gate):
    assert gate.metric("aigate_workers") == 2
    assert gate.metric("aigate_workers_ready") == 2
    before = gate.metric("aigate_requests_total", service="t-allowed-api")
    for _ in range(10):
        with gate.client() as client:
            client.post(ALLOWED, json={})
    served = [sum(r["event"] == "decision" for r in gate.audit(n)) for n in (1, 2)]
    assert all(served), served
    wait_for(lambda: gate.metric("aigate_requests_total", service="t-allowed-api") == before + 10,
             what="10 more requests counted across both workers")
    assert gate.metric("aigate_policy_info", version="t1") == 1


def test_metrics_show_each_workers_memory_and_cpu(gate):
    for worker in ("1", "2"):
        assert gate.metric("aigate_worker_resident_memory_bytes", worker=worker) > 50 * 2**20
        assert gate.metric("aigate_worker_cpu_seconds_total", worker=worker) > 0


def test_acknowledgement_on_one_worker_is_honoured_by_the_other(gate):
    with gate.client() as client:
        assert acknowledge(client, WARNED) == 302
        cookie = client.cookies.get("aigate_ack")
    assert cookie
    for _ in range(16):
        with gate.client(cookies={"aigate_ack": cookie}) as client:
            reply = client.get(WARNED, headers=BROWSER_HEADERS)
            assert reply.status_code == 200 and reply.headers.get("x-upstream") == "fake"
    continued = [[r for r in gate.audit(n) if r.get("outcome") == "continued"] for n in (1, 2)]
    assert all(continued), "both workers honour the acknowledgement"
    acks = [r for n in (1, 2) for r in gate.audit(n) if r["event"] == "ack"]
    assert len(acks) == 1
    verified = subprocess.run(
        [sys.executable, "-m", "aigate", "acks", "verify",
         *map(str, sorted(gate.confdir.glob("aigate-audit.w*.jsonl*")))],
        capture_output=True, text=True, check=False,
    )
    assert verified.returncode == 0, verified.stderr


def test_sighup_makes_every_worker_reload_the_policy(gate):
    pids = gate.workers()
    text = gate.policy.read_text()
    gate.policy.write_text(text.replace('version: "t1"', 'version: "t2"'))
    gate.process.send_signal(signal.SIGHUP)
    wait_for(lambda: all(any(r["event"] == "policy_reload" and r["policy_version"] == "t2"
                             for r in gate.audit(n)) for n in (1, 2)),
             what="both workers reloading version t2")
    assert gate.workers() == pids, "SIGHUP reloads; it does not restart workers"
    wait_for(lambda: gate.metric("aigate_policy_info", version="t2") == 1, what="t2 in metrics")


def test_killed_worker_is_restarted_and_counted(gate):
    victim = gate.workers()[0]
    os.kill(victim, signal.SIGKILL)
    wait_for(lambda: victim not in gate.workers() and len(gate.workers()) == 2, what="a restart")
    wait_for(lambda: gate.get("/readyz")[0] == 200, what="ready again")
    assert gate.metric("aigate_worker_restarts_total") == 1
    for _ in range(6):
        with gate.client() as client:
            assert client.post(ALLOWED, json={}).status_code == 200


def test_sigterm_stops_the_workers_and_exits_cleanly(gate):
    workers = gate.workers()
    gate.process.send_signal(signal.SIGTERM)
    assert gate.process.wait(timeout=20) == 0
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
    assert gate.get("/healthz") == (0, "")


def test_broken_policy_stops_start_up_with_an_error(tmp_path, upstream):
    broken = tmp_path / "policy.yaml"
    broken.write_text("organisation: [\n")
    argv, env = command(tmp_path, broken, upstream)
    result = subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
                            timeout=START_SECONDS)
    assert result.returncode != 0
    assert "during start-up" in result.stdout
