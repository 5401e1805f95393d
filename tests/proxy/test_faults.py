"""aigate under faults, through a real proxy: an upstream that refuses or stalls, the policy file
deleted or corrupted while running, the metrics port taken at start, the audit log's disk full
or its directory gone, a client that hangs up mid-upload.

What is proven, and the choices behind it:
- Upstream errors are the upstream's business: the first refused connection of an API client
  gets mitmproxy's 502 naming the error (no `x-should-retry: false`, so SDKs retry as they would
  without a proxy), recorded as `upstream_error`; what aigate answers itself for a site that
  does not answer (retryable JSON, a page) is in test_upstream_errors.py. A silent upstream is
  bounded by the client's own timeout and by mitmproxy's `tcp_timeout` (inactivity; 600 s by
  default), never by a hang. Refusals aigate makes itself, including the 503 while the audit
  log cannot be written, carry `x-should-retry: false`.
- A broken or missing policy file leaves the last good policy in force, with an ERROR line naming
  the file and `aigate_policy_last_reload_success 0`.
- The audit log's `audit.on_failure` (default block) refuses AI requests with a 503 while no
  record can be written; passthrough and aigate's own refusals are unaffected, and the log
  recovers by itself with an `audit_resumed` record once the disk frees up.

Every wait is bounded: clients time out after a few seconds at most.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import openai
import pytest
from aigate.proxy import policyreload
from aigate.record import metrics
from proxyharness import (
    BROWSER_HEADERS,
    TEST_POLICY,
    FakeUpstream,
    RunningProxy,
    make_client,
    open_tunnel,
    read_head,
    read_jsonl,
    read_to_end,
    refused_port,
    start_proxy,
    wait_for,
    write_test_policy,
)

ALLOWED = "https://allowed.openai.test/v1/chat/completions"
BLOCKED = "https://api.openai.test/v1/chat/completions"
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
AIGATE = str(Path(sys.executable).parent / "aigate")
CLIENT_TIMEOUT = 15  # bounds every wait; generous for a busy two-core machine


# --- routing the proxy to a broken upstream ---------------------------------------------------


class Route:
    """What the harness's routing loop dials for every upstream connection: the shared fake
    upstream by default; a test points `address` at a closed port or a stalling server."""

    def __init__(self, upstream: FakeUpstream) -> None:
        self.upstream = upstream
        self.ca_path = upstream.ca_path
        self.reset()

    def reset(self) -> None:
        self.address = self.upstream.address
        self.plain_address = self.upstream.plain_address


class StallingUpstream:
    """A TLS server with the fake upstream's certificate that reads a request and then says
    nothing until it is closed."""

    def __init__(self, upstream: FakeUpstream) -> None:
        directory = upstream.ca_path.parent
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(
            directory / "upstream-leaf.pem", directory / "upstream-leaf.key"
        )
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = self.listener.getsockname()[:2]
        self.requests = 0
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._stall, args=(sock,), daemon=True).start()

    def _stall(self, sock: socket.socket) -> None:
        with contextlib.suppress(OSError, ssl.SSLError), sock:
            tls = self.context.wrap_socket(sock, server_side=True)
            if not read_head(tls).endswith(b"\r\n\r\n"):
                return
            self.requests += 1
            self.stop.wait(30)

    def close(self) -> None:
        self.stop.set()
        self.listener.close()



@pytest.fixture
def route(upstream: FakeUpstream) -> Route:
    return Route(upstream)


@contextlib.contextmanager
def proxy_on(
    work: Path, route: Route, policy_text: str | None = None, **options: Any
) -> Iterator[RunningProxy]:
    """A proxy routed by `route`, on a copy of the test policy (or `policy_text`) in `work`."""
    policy = write_test_policy(work / "policy", policy_text)
    options.setdefault("aigate_audit_log", str(work / "audit.jsonl"))
    proxy = start_proxy(work / "confdir", route, {"aigate_policy": str(policy), **options})
    proxy.policy = policy  # type: ignore[attr-defined]
    try:
        yield proxy
    finally:
        proxy.stop()


def sample(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


# --- upstream down or silent --------------------------------------------------------------------


def test_refused_upstream_gets_a_502_naming_the_error_and_the_proxy_keeps_serving(
    tmp_path, route
):
    route.address = ("127.0.0.1", refused_port())
    with proxy_on(tmp_path, route) as proxy, \
            make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
        started = time.monotonic()
        reply = client.post(ALLOWED, json=CHAT)
        refused_in = time.monotonic() - started
        blocked = client.post(BLOCKED, json=CHAT)
        route.reset()
        recovered = client.post(ALLOWED, json=CHAT)
        wait_for(lambda: len(read_jsonl(tmp_path / "audit.jsonl")) >= 4)
        errors = list(proxy.errors)
    assert reply.status_code == 502
    assert "Connect call failed" in reply.text  # mitmproxy's page names the OS error
    assert "x-should-retry" not in reply.headers, "an upstream error is not aigate's refusal"
    assert refused_in < CLIENT_TIMEOUT / 2, "a refused connection is answered at once"
    assert blocked.status_code == 403 and blocked.headers["x-should-retry"] == "false"
    assert recovered.status_code == 200
    decisions = [r for r in read_jsonl(tmp_path / "audit.jsonl") if r["event"] == "decision"]
    assert [(r["outcome"], r["status"], r.get("upstream_error")) for r in decisions] == [
        ("upstream_error", None, "refused"), ("blocked", 403, None), ("allowed", 200, None)
    ]
    assert errors == []


def test_silent_upstream_is_bounded_by_the_client_timeout_and_tcp_timeout(
    tmp_path, route, upstream
):
    stalling = StallingUpstream(upstream)
    route.address = stalling.address
    try:
        with proxy_on(tmp_path, route, tcp_timeout=2) as proxy:
            with make_client(proxy, timeout=1) as client, pytest.raises(httpx.ReadTimeout):
                client.post(ALLOWED, json=CHAT)
            with make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
                started = time.monotonic()
                with pytest.raises(httpx.RemoteProtocolError):
                    client.post(ALLOWED, json=CHAT)  # the proxy gives up after tcp_timeout
                gave_up_in = time.monotonic() - started
                blocked = client.post(BLOCKED, json=CHAT)
            wait_for(lambda: len(proxy.flows_for("allowed.openai.test")) == 2)
            errors = list(proxy.errors)
    finally:
        stalling.close()
    assert stalling.requests == 2
    assert 1.5 < gave_up_in < CLIENT_TIMEOUT - 3, "tcp_timeout=2 ended the wait, not the client"
    assert blocked.status_code == 403
    outcomes = [(r["outcome"], r["status"]) for r in read_jsonl(tmp_path / "audit.jsonl")
                if r["event"] == "decision" and r["host"] == "allowed.openai.test"]
    assert outcomes == [("allowed", None), ("allowed", None)]
    assert errors == []


# --- the policy file broken while running -------------------------------------------------------


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda policy: policy.unlink(), "policy.yaml"),
        (lambda policy: policy.write_text("services: [unclosed\n"), "policy.yaml"),
        (lambda policy: policy.write_text("version: t2\nmode: sideways\n"), "policy.yaml"),
    ],
    ids=["deleted", "not-yaml", "invalid"],
)
def test_broken_policy_file_keeps_the_last_good_policy_and_logs_an_error(
    tmp_path, route, monkeypatch, damage, expected
):
    monkeypatch.setattr(policyreload, "RELOAD_INTERVAL", 0.05)
    with proxy_on(tmp_path, route) as proxy, \
            make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
        damage(proxy.policy)
        wait_for(lambda: proxy.errors, timeout=CLIENT_TIMEOUT)
        blocked = client.post(BLOCKED, json=CHAT)
        allowed = client.post(ALLOWED, json=CHAT)
        errors = list(proxy.errors)
        healthy = sample("aigate_policy_last_reload_success")
        # A good edit is picked up again: the broken state was not sticky.
        proxy.policy.write_text(
            TEST_POLICY.read_text().replace('version: "t1"', 'version: "t2"')
            .replace("  t-openai:\n    action: block", "  t-openai:\n    action: allow")
        )
        wait_for(lambda: client.post(BLOCKED, json=CHAT).status_code == 200,
                 timeout=CLIENT_TIMEOUT)
    assert blocked.status_code == 403, "the last good policy must stay in force"
    assert allowed.status_code == 200
    assert any(expected in e for e in errors), errors
    assert healthy == 0


# --- the metrics port taken at start --------------------------------------------------------------


@pytest.mark.parametrize("workers", ["1", "2"], ids=["one-process", "supervisor"])
def test_metrics_port_in_use_is_a_one_line_error_naming_the_port_and_the_option(
    tmp_path, workers
):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run(
            [AIGATE, "run", "--workers", workers, "--listen-port", "0",
             "--metrics-port", str(port),
             "--set", f"confdir={tmp_path}"],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert f"127.0.0.1:{port}" in lines[0]
    assert "--metrics-port" in lines[0] and "in use" in lines[0]


def test_audit_log_path_that_cannot_exist_stops_the_start_with_a_clear_error(tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    result = subprocess.run(
        [AIGATE, "run", "--workers", "1", "--listen-port", "0", "--set", f"confdir={tmp_path}",
         "--set", f"aigate_audit_log={not_a_dir / 'audit.jsonl'}"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"cannot write to {not_a_dir / 'audit.jsonl'}" in result.stderr


# --- the audit log cannot be written ------------------------------------------------------------


class SmallDisk:
    """A 256 KiB tmpfs holding the audit log, filled and freed on demand (mounting needs root;
    without it these tests skip). /dev/full cannot stand in: the log is read at start to resume
    the acknowledgement chain, and /dev/full reads as endless zeros."""

    SIZE = 256 * 1024

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir()
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={self.SIZE}", "tmpfs", str(directory)],
            capture_output=True, text=True,
        )
        if mounted.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs to fill (needs root): {mounted.stderr}")
        self.log = directory / "audit.jsonl"
        self.filler = directory / "filler"

    def fill(self) -> None:
        """Take every free block (the log's last block may still take a few records)."""
        with open(self.filler, "ab", buffering=0) as out, contextlib.suppress(OSError):
            while True:
                out.write(b"\0" * 4096)

    def free(self) -> None:
        self.filler.unlink()

    def close(self) -> None:
        subprocess.run(["umount", "-l", str(self.directory)], check=False)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    small = SmallDisk(tmp_path / "disk")
    yield small
    small.close()


def exhaust(proxy: RunningProxy, client: httpx.Client, body: Any = CHAT) -> list[int]:
    """Send blocked requests (never forwarded) until a record fails to be written: the first
    ERROR line. Their statuses."""
    statuses = []
    for _ in range(40):
        statuses.append(client.post(BLOCKED, json=body).status_code)
        if proxy.errors:
            return statuses
    raise AssertionError("the audit log never failed")


def policy_with_audit(on_failure: str) -> str:
    return TEST_POLICY.read_text() + f"audit:\n  on_failure: {on_failure}\n"


def passthrough_ok(proxy: RunningProxy, upstream: FakeUpstream) -> bool:
    context = ssl.create_default_context(cafile=str(upstream.ca_path))
    sock = open_tunnel(proxy, "example.org", context)
    sock.sendall(b"GET /ok HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n")
    return read_to_end(sock).startswith(b"HTTP/1.1 200")


def test_full_disk_fails_closed_for_ai_traffic_only_and_recovers_when_freed(
    tmp_path, route, upstream, disk
):
    with proxy_on(tmp_path, route, aigate_audit_log=str(disk.log)) as proxy, \
            make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
        assert client.post(ALLOWED, json=CHAT).status_code == 200
        lost_before = sample("aigate_audit_write_errors_total")
        disk.fill()
        blocked = exhaust(proxy, client)
        before = upstream.snapshot()
        refused = client.post(ALLOWED, json=CHAT)
        page = client.get("https://allowed.openai.test/", headers=BROWSER_HEADERS)
        contacted = upstream.connections_since(before), len(upstream.requests_since(before))
        passthrough = passthrough_ok(proxy, upstream)
        errors = list(proxy.errors)
        lost = sample("aigate_audit_write_errors_total") - lost_before
        disk.free()
        recovered = client.post(ALLOWED, json=CHAT)
    assert set(blocked) == {403}, "aigate's own refusals keep their answer"
    assert refused.status_code == 503
    assert refused.headers["x-should-retry"] == "false"
    assert "audit log" in refused.json()["error"]["message"]
    assert refused.json()["error"]["code"] == "audit_unavailable"
    assert page.status_code == 503 and "cannot be written" in page.text
    assert contacted == (0, 0), "nothing may go upstream unrecorded"
    assert passthrough, "non-AI traffic must not depend on the audit log"
    assert lost >= 3
    assert any(f"cannot write to {disk.log}" in e and "No space left on device" in e
               for e in errors), errors
    assert len(errors) == 1, "repeats of the same failure are rate-limited"
    assert recovered.status_code == 200
    logged = read_jsonl(disk.log)  # every line parses: no torn record was left behind
    resumed = [r for r in logged if r["event"] == "audit_resumed"]
    assert len(resumed) == 1 and resumed[0]["lost_records"] == lost
    assert resumed[0]["error"] == "No space left on device"
    assert logged[-1]["event"] == "decision" and logged[-1]["status"] == 200


def test_full_disk_with_on_failure_allow_forwards_unrecorded(tmp_path, route, disk):
    with proxy_on(tmp_path, route, policy_with_audit("allow"),
                  aigate_audit_log=str(disk.log)) as proxy, \
            make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
        disk.fill()
        exhaust(proxy, client)
        first = client.post(ALLOWED, json=CHAT)
        second = client.post(ALLOWED, json=CHAT)
        errors = list(proxy.errors)
        disk.free()
        client.post(ALLOWED, json=CHAT)
    assert (first.status_code, second.status_code) == (200, 200)
    assert any("audit.on_failure: allow" in e for e in errors), errors
    assert [r["event"] for r in read_jsonl(disk.log)][-2:] == ["audit_resumed", "decision"]


def test_sdk_makes_one_attempt_against_the_audit_503(tmp_path, route, disk):
    with proxy_on(tmp_path, route, aigate_audit_log=str(disk.log)) as proxy:
        with make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
            disk.fill()
            exhaust(proxy, client)
        http_client = openai.DefaultHttpxClient(proxy=proxy.url, verify=proxy.ssl_context())
        sdk = openai.OpenAI(base_url="https://allowed.openai.test/v1", api_key="sk-test",
                            http_client=http_client, max_retries=2)
        before = len(proxy.flows_for("allowed.openai.test"))
        with sdk, pytest.raises(openai.InternalServerError) as raised:
            sdk.chat.completions.create(model="gpt-4o-mini", messages=CHAT["messages"])
        time.sleep(0.2)
        attempts = len(proxy.flows_for("allowed.openai.test")) - before
    assert raised.value.status_code == 503
    assert "audit log" in str(raised.value)
    assert attempts == 1, "the SDK retried aigate's own refusal"


def test_log_directory_gone_at_rotation_fails_closed_until_it_is_back(tmp_path, route):
    directory = tmp_path / "logs"
    directory.mkdir()
    log = directory / "audit.jsonl"
    with proxy_on(tmp_path, route, aigate_audit_log=str(log), aigate_audit_max_bytes=2000,
                  aigate_audit_backups=2) as proxy, \
            make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
        assert client.post(ALLOWED, json=CHAT).status_code == 200
        shutil.rmtree(directory)
        directory.write_text("not a directory any more")
        statuses = [client.post(BLOCKED, json=CHAT).status_code for _ in range(6)]
        refused = client.post(ALLOWED, json=CHAT)
        errors = list(proxy.errors)
        directory.unlink()
        directory.mkdir()
        recovered = client.post(ALLOWED, json=CHAT)
    assert set(statuses) == {403}
    assert refused.status_code == 503
    assert any(f"cannot write to {log}" in e for e in errors), errors
    assert recovered.status_code == 200
    assert [r["event"] for r in read_jsonl(log)] == ["audit_resumed", "decision"]


# --- a client hanging up mid-upload ---------------------------------------------------------------


def test_client_disconnecting_mid_upload_forwards_nothing_and_breaks_nothing(
    tmp_path, route, upstream
):
    marker = "/v1/chat/completions?upload=mid-upload-marker"
    with proxy_on(tmp_path, route) as proxy:
        before = upstream.snapshot()
        sock = open_tunnel(proxy, "allowed.openai.test", proxy.ssl_context())
        with sock:
            sock.sendall(
                f"POST {marker} HTTP/1.1\r\nHost: allowed.openai.test\r\n"
                "Content-Type: application/json\r\nContent-Length: 200000\r\n\r\n".encode()
                + b'{"messages":[{"role":"user","content":"' + b"x" * 20_000
            )
            time.sleep(0.2)
        wait_for(lambda: proxy.flows_for("allowed.openai.test"), timeout=CLIENT_TIMEOUT)
        with make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
            after = client.post(ALLOWED, json=CHAT)
        errors = list(proxy.errors)
        seen = [r.path for r in upstream.requests_since(before)]
        flow = proxy.flows_for("allowed.openai.test")[0]
    assert "mid-upload-marker" not in " ".join(seen)
    assert flow.error is not None and flow.response is None
    assert after.status_code == 200
    assert errors == []
    cut = [r for r in read_jsonl(tmp_path / "audit.jsonl")
           if r["event"] == "decision" and r["status"] is None]
    assert len(cut) == 1 and cut[0]["path"] == "/v1/chat/completions"


def test_error_lines_name_no_request_data(tmp_path, route, disk):
    """The audit failure log line says where and why, never what the request carried."""
    with proxy_on(tmp_path, route, aigate_audit_log=str(disk.log)) as proxy, \
            make_client(proxy, timeout=CLIENT_TIMEOUT) as client:
        disk.fill()
        exhaust(proxy, client, {"messages": [{"role": "user", "content": "SECRET-PROMPT-1"}]})
        errors = list(proxy.errors)
        disk.free()
    assert errors and not any(re.search("SECRET-PROMPT|sk-test", e) for e in errors)
