"""200 concurrent clients for 60 s through one `aigate run` process (tests/e2e/loadrig.py), with
passthrough, allowed, blocked and inspected requests (a quarter of the inspected ones carry a
card number and are refused): every request is answered with the status its kind must get, the
proxy logs no error and counts no hook or audit error, the audit log holds exactly one `decision`
per AI request (passthrough tunnels have no record, only `aigate_passthrough_connections_total`),
and the proxy's RSS grows less than 10% after warm-up.

AIGATE_LOAD_SECONDS (default 60) and AIGATE_LOAD_CLIENTS (default 200) shorten or grow the run.
Load generator, proxy and upstream share the machine's cores: correctness is asserted,
throughput only printed. bench/bench_soak.py runs the same mix for minutes.
"""

from __future__ import annotations

import os
import re
import time

import pytest
from loadrig import MIX, aigate_proxy, decisions, run_load, upstream_process

SECONDS = float(os.environ.get("AIGATE_LOAD_SECONDS", "60"))
CLIENTS = int(os.environ.get("AIGATE_LOAD_CLIENTS", "200"))
RSS_GROWTH_MAX = 0.10  # from the end of warm-up (see loadrig.Tally.warm_at) to the end


def _at(rss: list[tuple[float, int]], elapsed: float) -> int:
    """The first RSS sample taken at or after `elapsed` seconds."""
    return next((value for t, value in rss if t >= elapsed), rss[-1][1])


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("load")
    with upstream_process(work / "upstream") as (address, ca), \
            aigate_proxy(work, address, ca) as proxy:
        rss: list[tuple[float, int]] = [(0.0, proxy.rss_bytes())]
        cpu = proxy.cpu_seconds()
        started = time.monotonic()
        tally = run_load(proxy, ca, CLIENTS, SECONDS,
                         every_second=lambda t: rss.append((t, proxy.rss_bytes())))
        wall = time.monotonic() - started
        cpu = proxy.cpu_seconds() - cpu
        hook_errors = proxy.metric("aigate_hook_errors_total")
        write_errors = proxy.metric("aigate_audit_write_errors_total")
        passthrough = proxy.metric("aigate_passthrough_connections_total")
        lines = list(proxy.lines)
        records = decisions(proxy.audit_log)
        alive = proxy.process.poll() is None
    print(f"\nload: {CLIENTS} clients, {tally.requests} requests in {wall:.1f} s = "
          f"{tally.requests / wall:.0f} req/s ({tally.requests / max(cpu, 1e-9):.0f} per proxy "
          f"CPU second); latency p50 {tally.percentile(0.5) * 1000:.0f} ms, p99 "
          f"{tally.percentile(0.99) * 1000:.0f} ms; warm after {tally.warm_at or 0:.0f} s; "
          f"RSS {rss[0][1] >> 20} MiB at start, {_at(rss, tally.warm_at or 0) >> 20} MiB once "
          f"warm, {rss[-1][1] >> 20} MiB at the end")
    return {"tally": tally, "rss": rss, "hook_errors": hook_errors, "lines": lines,
            "write_errors": write_errors, "passthrough": passthrough, "records": records,
            "alive": alive}


def test_every_request_is_answered_with_the_status_its_kind_must_get(loaded):
    tally = loaded["tally"]
    assert not tally.failures, f"timeouts or resets: {dict(tally.failures.most_common(5))}"
    assert not tally.wrong(), f"unexpected statuses: {tally.wrong()}"
    assert all(tally.of(kind.name) > 0 for kind in MIX), tally.answered
    assert loaded["alive"]


def test_the_proxy_logs_and_counts_no_error(loaded):
    errors = [line for line in loaded["lines"]
              if re.search(r"error|traceback|exception|failed", line, re.IGNORECASE)]
    assert errors == []
    assert sum(loaded["hook_errors"].values()) == 0, loaded["hook_errors"]
    assert sum(loaded["write_errors"].values()) == 0


def test_audit_log_holds_one_decision_per_ai_request(loaded):
    tally, records = loaded["tally"], loaded["records"]
    forwarded = tally.of("allowed") + tally.of("inspected")
    refused = tally.of("blocked") + tally.of("inspected_secret")
    assert records == {("allowed", 200): forwarded, ("blocked", 403): refused}
    assert sum(loaded["passthrough"].values()) > 0, "passthrough was counted as connections"


def test_rss_grows_less_than_ten_percent_after_warm_up(loaded):
    rss, warm_at = loaded["rss"], loaded["tally"].warm_at
    assert warm_at is not None, "not every client got through the whole mix: run longer"
    warm = [value for elapsed, value in rss if elapsed >= warm_at]
    assert len(warm) >= 2 and rss[-1][0] - warm_at >= SECONDS / 3, (
        f"warm only {warm_at:.0f} s into a {SECONDS:.0f} s run: too little left to compare"
    )
    growth = (warm[-1] - warm[0]) / warm[0]
    assert growth < RSS_GROWTH_MAX, f"RSS {warm[0] >> 20} -> {warm[-1] >> 20} MiB"

