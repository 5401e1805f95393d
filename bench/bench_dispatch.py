"""What mitmproxy's own hook dispatch costs per request for aigate's addon list, in-process.

Usage: .venv/bin/python bench/bench_dispatch.py [--requests N]

mitmproxy's AddonManager walks every addon for every event (traverse, getattr, a safecall
context per chain entry), and fires an `update` event after each flow hook. This drives the
eight events of one forwarded request (requestheaders, request, responseheaders, response, each
followed by update) through `AddonManager.invoke_addon` for a script-like addon holding the aigate
addons' hook shapes as no-ops: as thirteen addons, as aigate's `Pipeline` of them (what
`build_addons()` gives mitmproxy), and a single empty addon with the same hooks (the floor). The
hooks' own work is not included. Then the same four events through mitmdump's whole chain
(mitmproxy's forty addons and aigate's Pipeline of no-ops, each event followed by `update`, as
`handle_lifecycle` fires them): mitmproxy's `AddonManager` against aigate's `HookDispatch`
(`aigate.proxy.dispatch`), which `aigate run` and `mitmdump -s addons/aigate_addons.py` install.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from types import SimpleNamespace

from aigate.proxy import build_stages
from aigate.proxy.dispatch import HookDispatch
from aigate.proxy.pipeline import Pipeline
from aigate.proxy.runtime import Runtime
from mitmproxy import hooks
from mitmproxy.addonmanager import AddonManager, safecall, traverse
from mitmproxy.proxy.layers.http import (
    HttpRequestHeadersHook,
    HttpRequestHook,
    HttpResponseHeadersHook,
    HttpResponseHook,
)
from mitmproxy.test import taddons, tflow

FLOW_HOOKS = ("requestheaders", "request", "responseheaders", "response", "error",
              "next_layer", "tls_clienthello", "websocket_message", "websocket_end")


def _noop(*_args: object) -> None:
    return None


def shaped_like(addon: object) -> object:
    """A no-op stand-in with the same per-request hooks as `addon`."""
    hooks_of = {name: _noop for name in FLOW_HOOKS if hasattr(addon, name)}
    return type(type(addon).__name__, (), {n: staticmethod(f) for n, f in hooks_of.items()})()


class Script:
    """Like mitmproxy's Script addon: its `addons` is the module, whose `addons` is the list."""

    def __init__(self, addons: list[object]) -> None:
        self.ns = SimpleNamespace(addons=addons)

    @property
    def addons(self) -> list[object]:
        return [self.ns]


async def best_of_5(once: Callable[[], Awaitable[None]], requests: int, warm_up: int) -> float:
    """Microseconds per call of `once`: the best of 5 runs of `requests` calls, after `warm_up`."""
    for _ in range(warm_up):
        await once()
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(requests):
            await once()
        best = min(best, (time.perf_counter() - started) / requests)
    return best * 1e6


async def per_request(addons: list[object], requests: int) -> float:
    """Best-of-5 microseconds to dispatch one request's events to `addons`."""
    with taddons.context() as tctx:
        manager = tctx.master.addons
        script = Script(addons)
        flow = tflow.tflow(resp=True)
        events: list[hooks.Hook] = []
        for hook in (HttpRequestHeadersHook, HttpRequestHook, HttpResponseHeadersHook,
                     HttpResponseHook):
            events += [hook(flow), hooks.UpdateHook([flow])]

        async def once() -> None:
            for event in events:
                with safecall():
                    await manager.invoke_addon(script, event)

        return await best_of_5(once, requests, 500)


async def whole_chain(addons: list[object], requests: int) -> tuple[int, float, float]:
    """(chain length, AddonManager us, HookDispatch us): best-of-5 microseconds per request for
    mitmproxy's own handling of the four flow events (each followed by `update`) over
    mitmdump's whole chain, its forty addons with `addons` last, first as mitmproxy dispatches
    them, then with aigate's `HookDispatch`."""
    from mitmproxy.options import Options
    from mitmproxy.tools.dump import DumpMaster

    master = DumpMaster(Options(), with_termlog=False)
    master.addons.add(*addons)
    master.options.update(flow_detail=0)  # as `aigate run` sets it: no line per flow
    flow = tflow.tflow(resp=True)
    events = [hook(flow) for hook in (HttpRequestHeadersHook, HttpRequestHook,
                                      HttpResponseHeadersHook, HttpResponseHook)]
    manager = master.addons

    async def once() -> None:
        for event in events:
            await manager.handle_lifecycle(event)

    figures = []
    for kind in (AddonManager, HookDispatch):
        manager.__class__ = kind
        figures.append(await best_of_5(once, requests, 300))
    return sum(1 for _ in traverse(manager.chain)), figures[0], figures[1]


async def measure(requests: int) -> None:
    runtime = Runtime()
    ours = [shaped_like(addon) for addon in build_stages(runtime)]
    one = type("Dispatcher", (), {n: staticmethod(_noop) for n in FLOW_HOOKS})()
    many = await per_request(ours, requests)
    pipeline = await per_request([Pipeline(ours, runtime)], requests)
    single = await per_request([one], requests)
    print(f"dispatch per request, {len(ours)} addons seen by mitmproxy: {many:6.1f} us")
    print(f"dispatch per request, aigate's Pipeline:            {pipeline:6.1f} us"
          f"  ({many / pipeline:.2f}x faster)")
    print(f"dispatch per request, 1 empty addon (the floor):    {single:6.1f} us")
    count, theirs, hook_dispatch = await whole_chain([Pipeline(ours, runtime)], requests // 5)
    print(f"mitmdump's whole chain ({count} addons), AddonManager: {theirs:6.1f} us")
    print(f"mitmdump's whole chain, aigate's HookDispatch:       {hook_dispatch:6.1f} us"
          f"  ({theirs / hook_dispatch:.2f}x faster)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000)
    args = parser.parse_args()
    asyncio.run(measure(args.requests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
