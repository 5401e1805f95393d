"""Proxies and servers in child processes, shared by the tests that run them for real.

- `started(argv, ready)`: a proxy process (`aigate run`, mitmdump) waited for until a line of its
  output matches `ready` (its banner, naming the port), its output kept, stopped when done.
- `routed(upstream, ca)`: the options and environment that send a subprocess proxy's upstream
  connections to the fake upstream (tests/e2e/upstream_route.py), trusting its CA.
- `Prometheus`: a real Prometheus on the shipped deploy/prometheus config and rules, scraping the
  given targets every second.
- `wait_for`: the harness's poll, slower and longer, for what processes serve over HTTP.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import yaml
from components import require_command

sys.path.insert(0, str(Path(__file__).resolve().parent / "proxy"))

from proxyharness import wait_for as _poll

ROOT = Path(__file__).resolve().parents[1]
ROUTE = ROOT / "tests" / "e2e" / "upstream_route.py"
# The banner `aigate run` prints once it listens (a supervisor adds " (N workers)").
AIGATE_READY = re.compile(r"aigate: proxy listening at http://127\.0\.0\.1:(\d+)")
START_SECONDS = 60.0  # importing mitmproxy (per worker) on a busy two-core machine
PROMETHEUS_DIR = ROOT / "deploy" / "prometheus"
RULE_FILES = ("rules.yml", "alerts.yml")
POLL_SECONDS = 20.0


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """`count` distinct free ports. Each socket stays bound until all are chosen: ports asked
    for one at a time can repeat (a closed port is free again at once), and two servers told
    the same port may both bind it (HAProxy sets SO_REUSEPORT)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


def wait_for(predicate: Callable[[], object], timeout: float = 20.0, what: str = "") -> None:
    """Poll every 0.1 s: each check is a request to another process."""
    _poll(predicate, timeout, what, interval=0.1)


def stop(process: subprocess.Popen[Any], timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if it has not exited within `timeout`."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Started:
    """A running proxy process, the match of its ready line, and its output lines so far."""

    process: subprocess.Popen[str]
    ready: re.Match[str]
    lines: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.ready.group(1))


@contextlib.contextmanager
def started(
    argv: list[str], ready: re.Pattern[str] = AIGATE_READY, *, env: dict[str, str] | None = None,
    start_seconds: float = START_SECONDS, stop_seconds: float = 10.0,
) -> Iterator[Started]:
    """Start `argv` in the repository root and wait for the output line matching `ready`; its
    output is read on a thread to the end (so the pipe never fills). Stopped on exit."""
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    found: list[re.Match[str]] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if not found and (match := ready.search(line)):
                found.append(match)

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + start_seconds
        while not found and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if not found:
            raise AssertionError(f"{argv[0]} did not start:\n" + "\n".join(lines))
        yield Started(process, found[0], lines)
    finally:
        stop(process, stop_seconds)


def routed(
    upstream: tuple[str, int], upstream_ca: Path, env: dict[str, str] | None = None
) -> tuple[list[str], dict[str, str]]:
    """`--set` arguments and an environment (this one plus `env`) that route a subprocess
    proxy's upstream connections to the fake upstream at `upstream` and trust its CA."""
    args = ["--set", f"scripts={ROUTE}", "--set", f"ssl_verify_upstream_trusted_ca={upstream_ca}"]
    return args, {**os.environ, **(env or {}), "AIGATE_TEST_UPSTREAM": "{}:{}".format(*upstream)}


def proxy_client(port: int, confdir: Path, auth: str | None = None, **kwargs: Any) -> httpx.Client:
    """A client of the proxy on `port` trusting the CA in its `confdir` (as user `auth`)."""
    ca = ssl.create_default_context(cafile=str(confdir / "mitmproxy-ca-cert.pem"))
    userinfo = f"{auth}@" if auth else ""
    return httpx.Client(proxy=f"http://{userinfo}127.0.0.1:{port}", verify=ca,
                        **{"timeout": 10, **kwargs})


class Prometheus:
    """A real Prometheus scraping `targets` every second, evaluating the shipped rules every
    second too (whatever the deploy intervals), its files and data in `work`."""

    def __init__(self, work: Path, targets: list[str]) -> None:
        rules = []
        for file in RULE_FILES:
            data = yaml.safe_load((PROMETHEUS_DIR / file).read_text())
            for group in data["groups"]:
                group.pop("interval", None)
            (work / file).write_text(yaml.safe_dump(data))
            rules.append(str(work / file))
        config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
        config["global"].update(scrape_interval="1s", evaluation_interval="1s")
        config["rule_files"] = rules
        config["scrape_configs"][0]["static_configs"] = [{"targets": targets}]
        (work / "prometheus.yml").write_text(yaml.safe_dump(config))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (work / "prometheus.log").open("wb")
        self.process = subprocess.Popen(
            [require_command("prometheus", "prometheus"),
             f"--config.file={work / 'prometheus.yml'}", f"--storage.tsdb.path={work / 'data'}",
             f"--web.listen-address=127.0.0.1:{self.port}"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + POLL_SECONDS
        while not self._ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log = (work / "prometheus.log").read_text()
                raise RuntimeError(f"prometheus did not start: {log}")
            time.sleep(0.1)

    def _ready(self) -> bool:
        try:
            return urllib.request.urlopen(f"{self.url}/-/ready", timeout=1).status == 200
        except OSError:
            return False

    def api(self, path: str, **params: str) -> dict[str, Any]:
        query = urllib.parse.urlencode(params)
        with urllib.request.urlopen(f"{self.url}/api/v1/{path}?{query}", timeout=10) as reply:
            return json.load(reply)

    def query(self, expr: str) -> dict[str, Any]:
        try:
            return self.api("query", query=expr)
        except urllib.error.HTTPError as e:  # 400 for a bad expression: report its error
            return json.load(e)

    def wait_data(self, expr: str, timeout: float = POLL_SECONDS) -> dict[str, Any]:
        """The query's answer once it has at least one series (the last answer on timeout)."""
        deadline = time.monotonic() + timeout
        while True:
            answer = self.query(expr)
            if answer.get("status") != "success" or answer["data"]["result"]:
                return answer
            if time.monotonic() > deadline:
                return answer
            time.sleep(0.5)

    def stop(self) -> None:
        stop(self.process)
        self.log.close()
