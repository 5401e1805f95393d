"""Hot reload under load: an edit is in force within 2 s (settle 0.5 s here), a broken edit keeps
the last good policy with the error in the log and the metrics, the next valid edit applies; a
file rewritten slowly in place is never enforced half-written (default settle), a renamed file
applies once settled; SIGHUP reloads a real `aigate run` at once."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import pytest
from aigate.flowstate import FLOW_KEY
from aigate.policy.load import load_policy, load_policy_text
from aigate.record import metrics
from procharness import started
from proxyharness import RunningProxy, make_client, wait_for, write_test_policy

WARNED = "https://warn.api.test/v1/chat/completions"
WARN_RULE = "  t-warn-api:\n    action: warn"
BLOCK_RULE = "  t-warn-api:\n    action: block"


@dataclass
class Traffic:
    """Clients on their own threads, each looping requests on one kept-alive connection."""

    proxy: RunningProxy
    clients: int = 3
    seen: list[tuple[float, int]] = field(default_factory=list)  # (monotonic time, status)
    failures: list[BaseException] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _loop(self) -> None:
        with make_client(self.proxy) as client:
            while not self._stop.is_set():
                try:
                    status = client.post(WARNED, json={"messages": []}).status_code
                except BaseException as e:  # a dropped connection fails the test
                    self.failures.append(e)
                    return
                with self._lock:
                    self.seen.append((time.monotonic(), status))

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        try:
            yield
        finally:
            self._stop.set()
            for thread in threads:
                thread.join(timeout=10)

    def statuses_after(self, moment: float) -> set[int]:
        with self._lock:
            return {status for when, status in self.seen if when > moment}

    def first_after(self, moment: float, status: int) -> float | None:
        with self._lock:
            return next((w for w, s in self.seen if w > moment and s == status), None)


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path.read_text()


def sample(name: str, **labels: str) -> float | None:
    return metrics.REGISTRY.get_sample_value(name, labels)


SETTLE = {"aigate_policy_settle": "0.5", "aigate_policy_poll": "0.25"}


def test_reload_under_traffic_blocks_within_2s_survives_a_broken_edit_and_recovers(launch):
    with launch(**SETTLE) as proxy:
        live = Path(proxy.master.options.aigate_policy)
        traffic = Traffic(proxy)
        with traffic.running():
            wait_for(lambda: traffic.statuses_after(0) == {200})

            # 1. Block the warned service: in force within 2 s, for every client.
            text = edit(live, WARN_RULE, BLOCK_RULE).replace(
                'version: "t1"\n', 'version: "t2"\nreview_by: 2000-01-01\n'
            )
            live.write_text(text)
            edited = time.monotonic()
            wait_for(lambda: traffic.first_after(edited, 403) is not None, timeout=3)
            assert traffic.first_after(edited, 403) - edited < 2.0
            settled = time.monotonic() + 0.2  # requests already past the decision may still pass
            # Answers for a while after settling (on a loaded machine they can pause), all 403.
            wait_for(lambda: traffic.statuses_after(settled + 0.3), timeout=5)
            assert traffic.statuses_after(settled) == {403}
            state = proxy.flows_for("warn.api.test")[-1].metadata[FLOW_KEY]
            assert state.policy_version == "t2"
            assert state.policy_hash == load_policy(live).sha256  # the files now on disk
            assert sample("aigate_policy_info", version="t2", hash=state.policy_hash) == 1
            assert sample("aigate_policy_review_overdue") == 1

            # 2. Break the YAML: blocking continues, the error is logged and in the metrics.
            failures_before = sample("aigate_policy_reloads_total", result="failure") or 0
            live.write_text(text + "services: [\n")
            broken = time.monotonic()
            wait_for(lambda: any("has errors" in e for e in proxy.errors), timeout=3)
            assert any(f"{live}:" in e and "keeping version t2" in e for e in proxy.errors)
            assert sample("aigate_policy_last_reload_success") == 0
            assert sample("aigate_policy_reloads_total", result="failure") == failures_before + 1
            error_lines = [
                s.labels["line"]
                for m in metrics.REGISTRY.collect() if m.name == "aigate_policy_error"
                for s in m.samples if s.labels["file"] == str(live) and s.value == 1
            ]
            assert error_lines and int(error_lines[0]) > 1
            wait_for(lambda: traffic.statuses_after(broken + 0.5), timeout=5)
            assert traffic.statuses_after(broken) == {403}

            # 3. Fix it (back to warn): the next valid edit applies.
            live.write_text(text.replace(BLOCK_RULE, WARN_RULE).replace('"t2"', '"t3"'))
            fixed = time.monotonic()
            wait_for(lambda: traffic.first_after(fixed, 200) is not None, timeout=3)
            assert traffic.first_after(fixed, 200) - fixed < 2.0
            assert sample("aigate_policy_last_reload_success") == 1
            assert not [m for m in metrics.REGISTRY.collect()
                        if m.name == "aigate_policy_error" and m.samples]
        assert traffic.failures == []
        assert len(traffic.seen) > 30


def test_a_deleted_policy_keeps_enforcing_and_recovers_when_the_file_returns(launch):
    with launch(**SETTLE) as proxy, make_client(proxy) as client:
        live = Path(proxy.master.options.aigate_policy)
        text = edit(live, WARN_RULE, BLOCK_RULE)
        wait_for(lambda: client.post(WARNED, json={}).status_code == 403, timeout=3)
        live.unlink()
        wait_for(lambda: any("cannot read policy" in e for e in proxy.errors), timeout=3)
        assert client.post(WARNED, json={}).status_code == 403
        live.write_text(text.replace(BLOCK_RULE, WARN_RULE))
        wait_for(lambda: client.post(WARNED, json={}).status_code == 200, timeout=3)


def test_an_edited_catalog_file_is_in_force_within_2s(launch):
    with launch(**SETTLE) as proxy, make_client(proxy) as client:
        catalog = Path(proxy.master.options.aigate_policy).parent / "catalog.yaml"
        assert client.post(WARNED, json={}).status_code == 200
        # move the warned API's host to the blocked chat service
        edit(catalog, "hosts: [warn.api.test]", "hosts: [warn2.api.test]")
        edit(catalog, "hosts: [chat.blocked.test]", "hosts: [chat.blocked.test, warn.api.test]")
        edited = time.monotonic()
        wait_for(lambda: client.post(WARNED, json={}).status_code == 403, timeout=3)
        assert time.monotonic() - edited < 2.5


BLOCKED = "https://api.openai.test/v1/chat/completions"  # services.t-openai: block


def _blocked_traffic_through(proxy: RunningProxy, upstream, duration: float, write) -> set[int]:
    """Statuses of requests to the blocked API while `write()` rewrites the policy; asserts the
    upstream saw none of them."""
    before = upstream.snapshot()
    statuses: set[int] = set()
    done = threading.Event()
    writer = threading.Thread(target=lambda: (write(), done.set()), daemon=True)
    with make_client(proxy) as client:
        writer.start()
        deadline = time.monotonic() + duration
        while time.monotonic() < deadline or not done.is_set():
            statuses.add(client.post(BLOCKED, json={"messages": []}).status_code)
    assert not [r for r in upstream.requests_since(before) if r.host == "api.openai.test"]
    return statuses


@pytest.mark.parametrize("pause", [0.3, 0.8, 1.5])
def test_a_policy_rewritten_slowly_in_place_is_never_enforced_half_written(
    launch, upstream, pause
):
    """As `cp` or a slow editor writes: truncate, write up to the rules (a valid policy whose
    default allows everything), pause, write the rest."""
    with launch(aigate_policy_poll="0.1") as proxy:
        live = Path(proxy.master.options.aigate_policy)
        whole = live.read_text()
        prefix = whole[: whole.index("\nservices:\n") + 1]
        assert load_policy_text(prefix, live.name, live.parent).policy.default.action == "allow"

        def write() -> None:
            with live.open("w") as file:
                file.write(prefix)
                file.flush()
                os.fsync(file.fileno())
                time.sleep(pause)
                file.write(whole[len(prefix):])

        assert _blocked_traffic_through(proxy, upstream, 3.0, write) == {403}


def test_a_policy_replaced_by_rename_applies_once_settled(launch, upstream):
    with launch(aigate_policy_poll="0.1") as proxy:
        live = Path(proxy.master.options.aigate_policy)
        staged = live.with_name("policy.yaml.new")
        staged.write_text(live.read_text().replace('version: "t1"', 'version: "t9"'))
        os.replace(staged, live)
        renamed = time.monotonic()
        with make_client(proxy) as client:
            wait_for(lambda: client.post(WARNED, json={}) and proxy.flows_for("warn.api.test")[-1]
                     .metadata[FLOW_KEY].policy_version == "t9", timeout=5)
        assert 2.0 <= time.monotonic() - renamed < 4.0  # the default settle, then a poll


# --- SIGHUP, on a real `aigate run` --------------------------------------------------------------

NAVIGATE = {"accept": "text/html", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document"}


@pytest.fixture
def aigate_run(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path, str]]:
    """`aigate run` on the test policy, polling off: only SIGHUP reloads."""
    policy = write_test_policy(tmp_path)
    with started(
        [sys.executable, "-m", "aigate", "run", "--policy", str(policy),
         "--listen-port", "0", "--set", f"confdir={tmp_path / 'conf'}",
         "--set", "aigate_policy_poll=0"],
    ) as running:
        yield running.process, policy, f"http://127.0.0.1:{running.port}"


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform")
def test_sighup_reloads_a_running_aigate_at_once(aigate_run):
    process, policy, proxy_url = aigate_run
    url = "http://chat.warn.test/"  # the warn page and the block page need no upstream
    with httpx.Client(proxy=proxy_url, headers=NAVIGATE, timeout=5) as client:
        assert client.get(url).status_code != 403
        edit(policy, "  t-warn-chat:\n    action: warn", "  t-warn-chat:\n    action: block")
        time.sleep(1.5)
        assert client.get(url).status_code != 403  # polling is off: the edit waits for SIGHUP
        os.kill(process.pid, signal.SIGHUP)
        signalled = time.monotonic()
        while client.get(url).status_code != 403:
            assert time.monotonic() - signalled < 2.0, "SIGHUP did not reload within 2 s"
            time.sleep(0.05)
    assert process.poll() is None  # SIGHUP reloads; it does not stop the proxy
