"""A soak of one `aigate run` (one process, or `--workers N` under their supervisor): the load
test's mix (tests/e2e/loadrig.py: passthrough, allowed, blocked, inspected, inspected with a card
number) for minutes, printing req/s, each proxy process's RSS curve and every client-side error as
it goes.

Usage: .venv/bin/python bench/bench_soak.py [--minutes M] [--clients N] [--every S] [--workers W]

Exit status 1 if any request failed or got a status its kind must not get, the proxy logged an
error, or the audit logs' decision count differs from the AI requests sent. RSS growth after
warm-up is printed per process (and its peak, VmHWM), not judged: a soak is for reading the curve.
The clients are closed-loop (each sends its next request when the last is answered): run it under
`nice` on a shared machine.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
from aigate.serve.workers import worker_log_path
from bench_workers import status_kib
from loadrig import Proxy, Tally, aigate_proxy, decisions, run_load, upstream_process

MIB = 2**20


def proxy_processes(proxy: Proxy, workers: int) -> dict[str, int]:
    """Name -> pid of the processes doing proxy work: the one process, or each worker (`w1`,
    ... in start order) and the supervisor."""
    if workers == 1:
        return {"proxy": proxy.pid}
    pid = proxy.pid
    pids = sorted(int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
    return {**{f"w{n}": p for n, p in enumerate(pids, 1)}, "supervisor": pid}


def audit_logs(proxy: Proxy, workers: int) -> list[Path]:
    if workers == 1:
        return [proxy.audit_log]
    return [Path(worker_log_path(str(proxy.audit_log), n)) for n in range(1, workers + 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--every", type=float, default=10.0, help="seconds between report lines")
    parser.add_argument("--workers", type=int, default=1, help="`aigate run --workers N`")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="aigate-soak-"))
    with upstream_process(work / "upstream") as (address, ca), \
            aigate_proxy(work, address, ca, workers=args.workers) as proxy:
        processes = proxy_processes(proxy, args.workers)
        curve: list[tuple[float, dict[str, int]]] = []  # (elapsed, name -> RSS KiB)
        last = {"at": 0.0, "requests": 0}
        tally = Tally()

        def sample(elapsed: float) -> None:
            rss = {name: status_kib(pid, "VmRSS") for name, pid in processes.items()}
            curve.append((elapsed, rss))
            if elapsed - last["at"] < args.every:
                return
            done = tally.requests
            rate = (done - last["requests"]) / (elapsed - last["at"])
            failed = sum(tally.failures.values())
            sizes = "  ".join(f"{name} {kib * 1024 / MIB:6.1f}" for name, kib in rss.items())
            print(f"{elapsed:7.0f} s  {rate:7.0f} req/s  RSS MiB: {sizes}  "
                  f"requests {done:8d}  failed {failed}", flush=True)
            last.update(at=elapsed, requests=done)

        listing = ", ".join(f"{name} pid {pid}" for name, pid in processes.items())
        print(f"soak: {args.clients} clients for {args.minutes:g} min through {listing}; "
              f"files in {work}", flush=True)
        started = time.monotonic()
        run_load(proxy, ca, args.clients, args.minutes * 60, every_second=sample, tally=tally)
        wall = time.monotonic() - started
        peaks = {name: status_kib(pid, "VmHWM") for name, pid in processes.items()}
        per_log = [decisions(log) for log in audit_logs(proxy, args.workers)]
        errors = [line for line in proxy.lines
                  if re.search(r"error|traceback|exception|failed", line, re.IGNORECASE)]
    ai = tally.requests - tally.of("passthrough") - sum(tally.failures.values())
    print(f"\n{tally.requests} requests in {wall:.0f} s = {tally.requests / wall:.0f} req/s; "
          f"latency p50 {tally.percentile(0.5) * 1000:.0f} ms, p99 "
          f"{tally.percentile(0.99) * 1000:.0f} ms")
    warm = [rss for elapsed, rss in curve if tally.warm_at is not None and elapsed >= tally.warm_at]
    for name in processes:
        if len(warm) >= 2 and warm[0][name]:
            first, end = warm[0][name], warm[-1][name]
            print(f"{name}: RSS after warm-up ({tally.warm_at:.0f} s) {first / 1024:.1f} -> "
                  f"{end / 1024:.1f} MiB ({(end - first) / first:+.1%}); peak "
                  f"{peaks[name] / 1024:.1f} MiB")
    for reason, count in tally.failures.most_common(10):
        print(f"failed x{count}: {reason}")
    for (kind, status), count in sorted(tally.wrong().items()):
        print(f"wrong status x{count}: {kind} got {status}")
    for line in errors[:10]:
        print(f"proxy: {line}")
    audited = sum(sum(records.values()) for records in per_log)
    spread = " + ".join(str(sum(records.values())) for records in per_log)
    print(f"audit decisions {audited}{f' ({spread} by worker)' if len(per_log) > 1 else ''}, "
          f"AI requests answered {ai}")
    ok = not tally.failures and not tally.wrong() and not errors and audited == ai
    print("ok" if ok else "PROBLEMS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
