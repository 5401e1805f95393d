"""Instructions each group of aigate's stages executes per request, counted by callgrind.

Usage: .venv/bin/python bench/bench_hooks_instructions.py [--kind KIND] [--requests N]

The deterministic counterpart of bench_hooks.py's microseconds, which move by a third on a
shared machine: the same flows through the same hooks (bench_hooks.make_flow, in mitmproxy's
order), run under `valgrind --tool=callgrind`. Each stage's hooks are called from inside a
different C iterator of itertools/functools, and collection is switched on only inside those,
so one run gives every stage's inclusive count (callgrind_annotate --inclusive) and nothing of
the set-up. Needs valgrind (apt-get install valgrind); a run takes a few minutes.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import functools
import gc
import itertools
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_hooks
from bench_proxy import BODY_4K, prompt_4k

KINDS = {**bench_hooks.KINDS, "allowed_4k": bench_hooks.Kind(
    "POST", bench_hooks.KINDS["allowed"].url, bench_hooks.API_HEADERS, BODY_4K, None)}
_drain = collections.deque


def _flow(kind: str, index: int) -> Any:
    """A flow of `kind`; each 4 KB prompt its own, so the scanner never answers from the texts
    it scanned recently (a conversation's earlier turns would; bench_scan.py times those)."""
    chosen = KINDS[kind]
    if kind == "allowed_4k":
        chosen = dataclasses.replace(chosen, body=prompt_4k(f" request {index}"))
    return bench_hooks.make_flow(chosen)


def _drive(method: Callable[[Any], Any], flow: Any) -> bool:
    """Call a hook; run the coroutine it may return (none of these flows really waits)."""
    result = method(flow)
    if result is not None:
        try:
            result.send(None)
        except StopIteration:
            pass
        else:
            raise SystemExit(f"{method.__qualname__} waited for something")
    return False


# Stage groups -> (the C function callgrind counts them in, a caller through it).
GROUPS: dict[str, tuple[str, Callable[[Callable, Any], Any]]] = {
    "Enforce": ("starmap_next", lambda m, f: _drain(itertools.starmap(_drive, ((m, f),)), 0)),
    "Inspect": ("takewhile_next",
                lambda m, f: _drain(itertools.takewhile(lambda x: _drive(m, x), (f,)), 0)),
    "Audit": ("dropwhile_next",
              lambda m, f: _drain(itertools.dropwhile(lambda x: _drive(m, x), (f,)), 0)),
    "Metrics": ("filterfalse_next",
                lambda m, f: _drain(itertools.filterfalse(lambda x: _drive(m, x), (f,)), 0)),
    "Upstream": ("accumulate_next",
                 lambda m, f: _drain(itertools.accumulate((m, f), _drive), 0)),
    "Identify, PolicyPage": (
        "groupby_next", lambda m, f: _drain(itertools.groupby((f,), lambda x: _drive(m, x)), 0)
    ),
    "the other stages": ("functools_reduce",
                         lambda m, f: functools.reduce(lambda a, x: _drive(m, x), (f,), None)),
}
_GROUP_OF = {"Identify": "Identify, PolicyPage", "PolicyPage": "Identify, PolicyPage"}


def drive_requests(kind: str, requests: int) -> None:
    """In the process callgrind watches: set up, warm up, then the counted requests."""
    from aigate.proxy import build_stages
    from aigate.proxy.runtime import Runtime
    from mitmproxy.addons.proxyserver import Proxyserver
    from mitmproxy.test import taddons

    stages = build_stages(Runtime())
    with tempfile.TemporaryDirectory(prefix="aigate-bench-instructions-") as tmp, \
            taddons.context(Proxyserver(), *stages) as tctx:
        work = Path(tmp)
        tctx.options.update(
            confdir=str(work), connection_strategy="lazy",
            aigate_policy=str(bench_hooks.TEST_POLICY), aigate_ack_key="ab" * 32,
            aigate_audit_log=str(work / "audit.jsonl"),
        )
        for stage in stages:  # PolicyReload's poller is not a per-request cost
            if hasattr(stage, "running") and type(stage).__name__ != "PolicyReload":
                stage.running()
        calls = bench_hooks.timed_hooks(stages, bench_hooks.HTTP_HOOKS)
        for counted, n in ((False, 200), (True, requests)):
            flows = [_flow(kind, counted * n + i) for i in range(n)]
            answers = [bench_hooks.upstream_response() for _ in range(n)]
            gc.collect()
            gc.freeze()
            for flow, answer in zip(flows, answers, strict=True):
                for name, hook, method in calls:
                    if hook == "responseheaders" and flow.response is None:
                        flow.response = answer  # the upstream answered
                    if counted:
                        GROUPS[_GROUP_OF.get(name, name if name in GROUPS else
                                             "the other stages")][1](method, flow)
                    else:
                        _drive(method, flow)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=sorted(KINDS), default="allowed")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        drive_requests(args.kind, args.requests)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        toggles = [f"--toggle-collect={c}" for c, _ in GROUPS.values()]
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
             "--collect-atstart=no", *toggles, sys.executable, __file__, "--inside",
             "--kind", args.kind, "--requests", str(args.requests)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        annotated = subprocess.run(["callgrind_annotate", "--inclusive=yes", str(out)],
                                   check=True, capture_output=True, text=True).stdout
    counts = {}
    for line in annotated.splitlines():
        match = re.match(r"\s*([\d,]+)\s.*?\b(\w+)\b", line)
        for group, (function, _) in GROUPS.items():
            if match and re.search(rf"\b{function}\b", line):
                counts[group] = int(match.group(1).replace(",", "")) / args.requests
    kind = KINDS[args.kind]
    print(f"{args.kind}: {kind.method} {kind.url} ({len(kind.body)} B body), "
          f"instructions per request, {args.requests} requests")
    for group, count in sorted(counts.items(), key=lambda item: -item[1]):
        print(f"  {group:22} {count:>10,.0f}")
    print(f"  {'total':22} {sum(counts.values()):>10,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
