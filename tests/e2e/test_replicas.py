"""Two aigate replicas behind a real HAProxy, as on a cluster of plain VMs: one policy file, one
CA and one acknowledgement key, an audit log each, and deploy/haproxy/haproxy.cfg in front (only
its addresses replaced). A real Prometheus scrapes both replicas.

One set-up for the module; the tests run in file order (the policy test edits the shared policy
and puts it back, the last test kills a replica).
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest
from aigate.serve.workers import prepare_confdir
from components import require_command
from loadrig import Proxy, aigate_proxy
from procharness import Prometheus, free_ports, proxy_client, stop, wait_for
from proxyharness import read_jsonl, write_test_policy
from recordharness import BROWSER_HEADERS, FakeUpstream, acknowledge

ROOT = Path(__file__).resolve().parents[2]
HAPROXY_CFG = ROOT / "deploy" / "haproxy" / "haproxy.cfg"
ACK_KEY = "5a" * 32  # AIGATE_ACK_KEY, hex: the same on every replica
ALLOWED = "https://allowed.openai.test"  # + a path unique to each request
WARNED = "https://chat.warn.test/"
# A policy edit reaches a replica once the file has settled (aigate_policy_settle, 2 s), at the
# next poll (1 s), plus the reload itself (policy and scanner: 0.5-1.5 s on two busy cores).
RELOAD_SECONDS = 6.0
DOWN_SECONDS = 15.0  # the shipped health check: every 2 s, down after 2 failures


@dataclass
class Cluster:
    replicas: dict[str, Proxy]
    confdir: Path
    policy: Path

    def client(self, port: int, **kwargs: object) -> httpx.Client:
        """A client of the proxy on `port` (HAProxy or a replica), as user alice."""
        return proxy_client(port, self.confdir, "alice:pw", **kwargs)

    def audit(self, name: str) -> list[dict]:
        return read_jsonl(self.replicas[name].audit_log)

    def served(self, path: str) -> list[str]:
        """The replicas with a decision record for `path` (one name per record)."""
        return [name for name in self.replicas for r in self.audit(name)
                if r["event"] == "decision" and r["path"] == path]

    def ack_records(self, name: str) -> list[dict]:
        return [r for r in self.audit(name) if r["event"] == "ack"]

    def acks(self) -> dict[str, int]:
        return {name: len(self.ack_records(name)) for name in self.replicas}


@dataclass
class Balancer:
    port: int
    stats_port: int
    process: subprocess.Popen[bytes]
    log: Path

    def unusual(self) -> list[str]:
        """Log lines of connections that did not end normally, and server state changes."""
        return [line for line in self.log.read_text().splitlines()
                if " stats/" not in line and " -- " not in line]

    def status(self) -> dict[str, str]:
        """The backend's servers and their state (UP, DOWN, ...) from HAProxy's stats CSV."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.stats_port}/stats;csv",
                                        timeout=2) as reply:
                text = reply.read().decode().removeprefix("# ")
        except OSError:
            return {}
        return {row["svname"]: row["status"] for row in csv.DictReader(io.StringIO(text))
                if row["pxname"] == "aigate_replicas" and row["svname"] != "BACKEND"}


def haproxy_config(port: int, stats_port: int, replicas: dict[str, Proxy]) -> str:
    """The shipped config with this test's addresses: its balancing, checks and timeouts kept."""
    text = HAPROXY_CFG.read_text()
    servers = "".join(f"    server {name} 127.0.0.1:{proxy.port} port {proxy.metrics_port}\n"
                      for name, proxy in replicas.items())
    text, bound = re.subn(r"^    bind :3128$", f"    bind 127.0.0.1:{port}", text, flags=re.M)
    text, stats = re.subn(r"^    bind 127\.0\.0\.1:8404$", f"    bind 127.0.0.1:{stats_port}",
                          text, flags=re.M)
    text, listed = re.subn(r"(^    server .*\n)+", servers, text, flags=re.M)
    # Two connections' file descriptors each: a non-root HAProxy may not raise its limit for 20000.
    text, limited = re.subn(r"^    maxconn \d+$", "    maxconn 1000", text, flags=re.M)
    assert (bound, stats, listed, limited) == (1, 1, 1, 1), "haproxy.cfg changed shape"
    return text


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, upstream: FakeUpstream) -> Iterator[Cluster]:
    tmp = tmp_path_factory.mktemp("replicas")
    policy = write_test_policy(tmp / "policy")
    confdir = tmp / "conf"
    prepare_confdir(confdir, ack_key_set=True)  # the CA, made once and shared, as admins do
    shared = {"policy": policy, "confdir": confdir,
              "options": ("proxyauth=any",), "env": {"AIGATE_ACK_KEY": ACK_KEY}}
    with contextlib.ExitStack() as stack:
        replicas = {name: stack.enter_context(aigate_proxy(tmp / name, upstream.address,
                                                           upstream.ca_path, **shared))
                    for name in ("replica_a", "replica_b")}
        yield Cluster(replicas, confdir, shared["policy"])


@pytest.fixture(scope="module")
def haproxy(tmp_path_factory: pytest.TempPathFactory, cluster: Cluster) -> Iterator[Balancer]:
    binary = require_command("haproxy", "haproxy")
    tmp = tmp_path_factory.mktemp("haproxy")
    config = tmp / "haproxy.cfg"
    config.write_text(haproxy_config(*free_ports(2), cluster.replicas))
    port, stats_port = (int(p) for p in re.findall(r"bind 127\.0\.0\.1:(\d+)", config.read_text()))
    with open(tmp / "haproxy.log", "wb") as log:
        process = subprocess.Popen([binary, "-db", "-f", str(config)], stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT)
    balancer = Balancer(port, stats_port, process, tmp / "haproxy.log")
    try:
        wait_for(lambda: process.poll() is not None
                 or list(balancer.status().values()) == ["UP", "UP"],
                 what="HAProxy with both replicas up")
        assert process.poll() is None, (tmp / "haproxy.log").read_text()
        yield balancer
    finally:
        stop(process)


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory, cluster: Cluster) -> Iterator[Prometheus]:
    require_command("prometheus", "prometheus")
    targets = [f"127.0.0.1:{p.metrics_port}" for p in cluster.replicas.values()]
    server = Prometheus(tmp_path_factory.mktemp("prometheus"), targets)
    yield server
    server.stop()


def test_connections_through_haproxy_alternate_between_replicas(cluster, haproxy):
    paths = [f"/v1/spread/{n}" for n in range(8)]
    for path in paths:
        with cluster.client(haproxy.port) as client:  # a new connection each
            assert client.post(ALLOWED + path, json={}).status_code == 200
    wait_for(lambda: all(cluster.served(p) for p in paths), what="a record for every request")
    order = [cluster.served(p) for p in paths]
    assert all(len(names) == 1 for names in order), order
    assert all(a != b for a, b in itertools.pairwise(order)), order
    for proxy in cluster.replicas.values():
        assert sum(proxy.metric("aigate_requests_total").values()) >= 4


def test_acknowledgement_made_through_one_replica_is_honoured_by_the_other(cluster, haproxy):
    with cluster.client(haproxy.port) as client:
        assert acknowledge(client, WARNED) == 302
        cookie = client.cookies.get("aigate_ack")
    assert cookie
    wait_for(lambda: sum(cluster.acks().values()) == 1, what="the acknowledgement recorded")
    (acker,) = [name for name, count in cluster.acks().items() if count]
    (other,) = set(cluster.replicas) - {acker}
    with cluster.client(cluster.replicas[other].port, cookies={"aigate_ack": cookie}) as client:
        reply = client.get(WARNED, headers=BROWSER_HEADERS)
    assert reply.status_code == 200 and reply.headers.get("x-upstream") == "fake"
    wait_for(lambda: any(r.get("outcome") == "continued" for r in cluster.audit(other)),
             what=f"{other} recording the continued request")


def test_prometheus_sees_both_replicas_and_sums_their_requests(cluster, prometheus):
    up = prometheus.wait_data('count(up{job="aigate"} == 1) == 2', timeout=30)
    assert up["data"]["result"], up
    per_replica = {f"127.0.0.1:{p.metrics_port}": sum(p.metric("aigate_requests_total").values())
                   for p in cluster.replicas.values()}
    assert all(per_replica.values()), per_replica
    total = sum(per_replica.values())
    summed = prometheus.wait_data(f"sum(aigate_requests_total) == {total}")
    assert summed["data"]["result"], (summed, per_replica)
    by_instance = prometheus.query("sum by (instance) (aigate_requests_total)")["data"]["result"]
    assert {r["metric"]["instance"]: float(r["value"][1]) for r in by_instance} == per_replica


def warned_answer(cluster: Cluster, port: int, cookie: str) -> int:
    """The status of an acknowledged person's visit to the warned service through `port`."""
    with cluster.client(port, cookies={"aigate_ack": cookie}) as client:
        return client.get(WARNED, headers=BROWSER_HEADERS).status_code


def test_policy_edit_reaches_both_replicas_within_seconds(cluster, haproxy):
    with cluster.client(haproxy.port) as client:
        assert acknowledge(client, WARNED) == 302
        cookie = client.cookies["aigate_ack"]
    original = cluster.policy.read_text()
    warned = "  t-warn-chat:\n    action: warn\n"
    assert original.count(warned) == 1
    for text, status, version in (
        (original.replace(warned, warned.replace("warn\n", "block\n")), 403, "t2"),
        (original, 200, "t1"),  # and back: the next tests use the warned service
    ):
        edited = time.monotonic()
        cluster.policy.write_text(text.replace('version: "t1"', f'version: "{version}"'))
        for proxy in cluster.replicas.values():
            wait_for(lambda p=proxy, s=status: warned_answer(cluster, p.port, cookie) == s,
                     timeout=RELOAD_SECONDS * 2, what=f"status {status} on port {proxy.port}")
        elapsed = time.monotonic() - edited
        assert elapsed < RELOAD_SECONDS, f"the edit took {elapsed:.1f} s to reach both replicas"
    for name in cluster.replicas:
        reloads = [r["policy_version"] for r in cluster.audit(name)
                   if r["event"] == "policy_reload"]
        assert reloads[-2:] == ["t2", "t1"], (name, reloads)


@dataclass
class Sent:
    path: str  # the request's path, or "ack" for an acknowledgement
    status: int | None  # None: the client saw no answer (reset, timeout)
    error: str = ""


def send_until(cluster: Cluster, port: int, stop: threading.Event, sent: list[Sent]) -> None:
    """Requests on new connections through `port` until `stop`: allowed POSTs with unique
    paths, and every fourth an acknowledgement."""
    for n in range(10_000):
        if stop.is_set():
            return
        path = "ack" if n % 4 == 3 else f"/v1/kill/{n}"
        try:
            with cluster.client(port) as client:
                if path == "ack":
                    status = acknowledge(client, WARNED)
                else:
                    status = client.post(ALLOWED + path, json={}).status_code
        except (httpx.HTTPError, AssertionError) as e:
            sent.append(Sent(path, None, f"{type(e).__name__}: {e}"))
            continue
        sent.append(Sent(path, status))


def test_killed_replica_is_marked_down_and_nothing_completed_is_lost(cluster, haproxy, prometheus):
    victim, survivor = cluster.replicas
    with cluster.client(cluster.replicas[victim].port) as client:
        assert acknowledge(client, WARNED) == 302
        cookie = client.cookies["aigate_ack"]
    acks_before = cluster.acks()
    victim_acks = cluster.ack_records(victim)
    sent: list[Sent] = []
    stop = threading.Event()
    sender = threading.Thread(target=send_until, args=(cluster, haproxy.port, stop, sent))
    sender.start()
    try:
        wait_for(lambda: len(sent) >= 6, what="traffic before the kill")
        os.kill(cluster.replicas[victim].pid, signal.SIGKILL)
        wait_for(lambda: haproxy.status().get(victim, "").startswith("DOWN"), DOWN_SECONDS,
                 what=f"HAProxy marking {victim} down")
        down_at = len(sent)
        wait_for(lambda: len(sent) >= down_at + 8, what="traffic after the kill")
    finally:
        stop.set()
        sender.join(timeout=30)
    assert haproxy.status()[survivor] == "UP"
    assert all(s.status is not None for s in sent[down_at:]), (down_at, sent)
    failed = [s for s in sent if s.status is None]
    assert len(failed) <= 1, (f"only a request in flight at the kill may fail: {failed}",
                              haproxy.unusual())

    completed = [s.path for s in sent if s.path != "ack" and s.status == 200]
    assert all(len(cluster.served(p)) == 1 for p in completed), "one audit record per request"
    assert {cluster.served(p)[0] for p in completed[-8:]} == {survivor}

    acks = cluster.acks()
    made = sum(s.path == "ack" and s.status == 302 for s in sent)
    tried = sum(s.path == "ack" for s in sent)
    assert cluster.ack_records(victim)[:len(victim_acks)] == victim_acks
    assert made <= sum(acks.values()) - sum(acks_before.values()) <= tried
    assert warned_answer(cluster, haproxy.port, cookie) == 200, "the victim's acknowledgement holds"
    logs = [str(p.audit_log) for p in cluster.replicas.values()]
    verified = subprocess.run([sys.executable, "-m", "aigate", "acks", "verify", *logs],
                              capture_output=True, text=True, check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    instance = f"127.0.0.1:{cluster.replicas[victim].metrics_port}"
    assert prometheus.wait_data(f'up{{instance="{instance}"}} == 0')["data"]["result"]
