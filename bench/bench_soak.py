"""A soak of one `aigate run` process: the load test's mix (tests/e2e/loadrig.py: passthrough,
allowed, blocked, inspected, inspected with a card number) for minutes, printing req/s, the
proxy's RSS curve and every client-side error as it goes.

Usage: .venv/bin/python bench/bench_soak.py [--minutes M] [--clients N] [--every S]

Exit status 1 if any request failed or got a status its kind must not get, the proxy logged an
error, or the audit log's decision count differs from the AI requests sent. RSS growth after
warm-up is printed, not judged: a soak is for reading the curve.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
from loadrig import Tally, aigate_proxy, decisions, run_load, upstream_process


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--every", type=float, default=10.0, help="seconds between report lines")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="aigate-soak-"))
    with upstream_process(work / "upstream") as (address, ca), \
            aigate_proxy(work, address, ca) as proxy:
        curve: list[tuple[float, int]] = []
        last = {"at": 0.0, "requests": 0}
        tally = Tally()

        def sample(elapsed: float) -> None:
            rss = proxy.rss_bytes()
            curve.append((elapsed, rss))
            if elapsed - last["at"] < args.every:
                return
            done = tally.requests
            rate = (done - last["requests"]) / (elapsed - last["at"])
            failed = sum(tally.failures.values())
            print(f"{elapsed:7.0f} s  {rate:7.0f} req/s  RSS {rss / 2**20:7.1f} MiB  "
                  f"requests {done:8d}  failed {failed}", flush=True)
            last.update(at=elapsed, requests=done)

        print(f"soak: {args.clients} clients for {args.minutes:g} min through pid {proxy.pid}; "
              f"files in {work}", flush=True)
        started = time.monotonic()
        run_load(proxy, ca, args.clients, args.minutes * 60, every_second=sample, tally=tally)
        wall = time.monotonic() - started
        records = decisions(proxy.audit_log)
        errors = [line for line in proxy.lines
                  if re.search(r"error|traceback|exception|failed", line, re.IGNORECASE)]
    ai = tally.requests - tally.of("passthrough") - sum(tally.failures.values())
    print(f"\n{tally.requests} requests in {wall:.0f} s = {tally.requests / wall:.0f} req/s; "
          f"latency p50 {tally.percentile(0.5) * 1000:.0f} ms, p99 "
          f"{tally.percentile(0.99) * 1000:.0f} ms")
    warm = [rss for elapsed, rss in curve if tally.warm_at is not None and elapsed >= tally.warm_at]
    if len(warm) >= 2:
        print(f"RSS after warm-up ({tally.warm_at:.0f} s): {warm[0] / 2**20:.1f} -> "
              f"{warm[-1] / 2**20:.1f} MiB ({(warm[-1] - warm[0]) / warm[0]:+.1%})")
    for reason, count in tally.failures.most_common(10):
        print(f"failed x{count}: {reason}")
    for (kind, status), count in sorted(tally.wrong().items()):
        print(f"wrong status x{count}: {kind} got {status}")
    for line in errors[:10]:
        print(f"proxy: {line}")
    audited = sum(records.values())
    print(f"audit decisions {audited}, AI requests answered {ai}")
    ok = not tally.failures and not tally.wrong() and not errors and audited == ai
    print("ok" if ok else "PROBLEMS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
