"""`aigate report` over a large audit log: throughput and memory, against just reading the log.

    .venv/bin/python bench/bench_report.py          # AIGATE_BENCH_REPORT_MB=1024 by default

Generates AIGATE_BENCH_REPORT_MB MiB of mixed traffic (bench/gen_audit.py: 3,000 people, as
many days as the size takes) into a temporary file, then runs, each in a fresh process:
- baseline: read every line and decode it with orjson, nothing else;
- report: the whole `aigate report` (read, aggregate against the shipped policy, render HTML),
  in one process on the first eighth of the log and on all of it, then on all of it in as many
  processes as CPUs this one may use (`--jobs`, as `aigate report` does on large logs).
Prints, for each, MB/s by wall time and by CPU time (user+sys of the process and its children:
steadier on a shared machine), the time for 1 GB, the part of it spent rendering HTML, and the
peak RSS of a process (getrusage); then the report's MB/s against the baseline's of the same
run with their ratio, and the parallel report's MB/s against the one-process report's.
The report's peak is above the baseline's by its imports (catalog, policy) and its counters,
which grow with people, services and days, not with the size of the log: flat memory means the
eighth and the whole log peak alike. Every step runs in a child of this small process (Linux
keeps a process's peak RSS across exec, so a child of a big parent would report the parent's).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

DEFAULT_MB = 1024
USERS = 3000
GB = 1024**3


def baseline(path: str) -> int:
    """Read and decode every line; the floor any report over this file can reach."""
    loads = orjson.loads
    count = 0
    with open(path, "rb", buffering=1024 * 1024) as f:
        for line in f:
            loads(line)
            count += 1
    return count


def report(path: str, policy: object, jobs: int) -> tuple[int, float]:
    """The report's lines, and the seconds spent rendering its HTML."""
    from aigate.report import build_report
    from aigate.report.render_html import render_html

    built = build_report([path], policy, jobs=jobs)  # type: ignore[arg-type]
    start = time.perf_counter()
    render_html(built)
    return built.summary["lines"], time.perf_counter() - start


def cpu_seconds() -> float:
    """Of this process and its children (a parallel report's parts)."""
    return sum(usage.ru_utime + usage.ru_stime
               for usage in map(resource.getrusage, (resource.RUSAGE_SELF,
                                                     resource.RUSAGE_CHILDREN)))


def jobs() -> int:
    return len(os.sched_getaffinity(0))


def generate(path: str, mb: float) -> int:
    import gen_audit

    _, size = gen_audit.write_log(path, gen_audit.Traffic(users=USERS),
                                  max_bytes=int(mb * 1024 * 1024))
    return size


def child(kind: str, path: str) -> None:
    """Run one step in this (fresh) process and print its figures as JSON. The report's fixed
    start-up (imports, loading the policy and catalog, about a second) is not timed."""
    if kind.startswith("report"):
        from aigate.policy import DEFAULT_POLICY, load_policy

        policy = load_policy(DEFAULT_POLICY)
    start, cpu_start, render = time.perf_counter(), cpu_seconds(), 0.0
    if kind == "generate":
        lines = generate(path, float(os.environ.get("AIGATE_BENCH_REPORT_MB", DEFAULT_MB)))
    elif kind == "baseline":
        lines = baseline(path)
    else:
        lines, render = report(path, policy, jobs() if kind == "report-jobs" else 1)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
    peak_kib = max(resource.getrusage(who).ru_maxrss  # KiB on Linux
                   for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(json.dumps({"lines": lines, "seconds": seconds, "cpu": cpu, "render": render,
                      "peak_mib": peak_kib / 1024}))


def measure(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return 0
    with tempfile.TemporaryDirectory(prefix="aigate-bench-report-") as tmp:
        path = Path(tmp) / "audit.jsonl"
        made = measure("generate", path)
        size = made["lines"]
        records = sum(1 for _ in path.open("rb"))
        print(f"generated {size / 1e6:,.0f} MB, {records:,} records ({size / records:.0f} B "
              f"each) in {made['seconds']:.1f} s", flush=True)
        eighth = Path(tmp) / "eighth.jsonl"
        with path.open("rb") as src, eighth.open("wb") as dst:
            dst.writelines(line for line, _ in zip(src, range(records // 8), strict=False))
        runs = [
            ("read+json", size, measure("baseline", path)),
            ("report 1/8", eighth.stat().st_size, measure("report", eighth)),
            ("report", size, measure("report", path)),
            (f"report x{jobs()}", size, measure("report-jobs", path)),
        ]
    print(f"{'':11} {'MB':>6} {'wall s':>7} {'MB/s':>7} {'CPU s':>7} {'MB/s CPU':>9} "
          f"{'s per GB':>9} {'render s':>9} {'peak RSS MiB':>13}")
    for name, nbytes, m in runs:
        mb = nbytes / 1e6
        print(f"{name:11} {mb:6.0f} {m['seconds']:7.2f} {mb / m['seconds']:7.1f} "
              f"{m['cpu']:7.2f} {mb / m['cpu']:9.1f} {m['seconds'] * GB / nbytes:9.1f} "
              f"{m['render']:9.2f} {m['peak_mib']:13.1f}")
    base, part, full, parallel = (m for _, _, m in runs)
    print(f"report {size / 1e6 / full['seconds']:.0f} MB/s against read+json "
          f"{size / 1e6 / base['seconds']:.0f} MB/s: {full['seconds'] / base['seconds']:.1f}x "
          f"the time (wall), {full['cpu'] / base['cpu']:.1f}x (CPU); "
          f"{full['seconds'] * GB / size / 60:.1f} min per GB")
    print(f"report in {jobs()} processes (--jobs {jobs()}): "
          f"{size / 1e6 / parallel['seconds']:.0f} MB/s, "
          f"{full['seconds'] / parallel['seconds']:.2f}x one process's (wall), "
          f"{parallel['cpu'] / full['cpu']:.2f}x its CPU; "
          f"{size / 1e6 / parallel['seconds'] / (size / 1e6 / base['seconds']):.2f}x read+json")
    print(f"peak RSS: report {full['peak_mib']:.0f} MiB on all of the log, "
          f"{part['peak_mib']:.0f} MiB on 1/8 ({full['peak_mib'] / part['peak_mib']:.2f}x), "
          f"read+json {base['peak_mib']:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
