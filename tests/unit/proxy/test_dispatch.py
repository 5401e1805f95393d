"""HookDispatch: mitmproxy's event dispatch in one loop, with the AddonManager's semantics.

Each scenario runs on mitmproxy's own `AddonManager` and on `HookDispatch` over the same addons,
and the calls and logged errors must be the same.
"""

from __future__ import annotations

import asyncio
import logging
import types
from types import SimpleNamespace
from typing import Any

import pytest
from aigate.proxy import build_addons
from aigate.proxy.dispatch import FastDispatch, HookDispatch, install
from mitmproxy import exceptions
from mitmproxy.addonmanager import AddonManager
from mitmproxy.options import Options
from mitmproxy.proxy.layers.http import HttpRequestHeadersHook, HttpRequestHook
from mitmproxy.test import taddons, tflow


class Recorder:
    """Records its hooks; `children` become its `addons`, as a script's module holds them."""

    def __init__(self, name: str, calls: list[str], children: list[Any] | None = None) -> None:
        self.name, self.calls = name, calls
        if children is not None:
            self.addons = children

    def requestheaders(self, flow: Any) -> None:
        self.calls.append(f"{self.name}.requestheaders")

    def update(self, flows: Any) -> None:
        self.calls.append(f"{self.name}.update")


class Waits(Recorder):
    async def request(self, flow: Any) -> None:
        await asyncio.sleep(0)
        self.calls.append(f"{self.name}.request")


class ReturnsAwaitable(Recorder):
    def request(self, flow: Any) -> Any:
        async def later() -> None:
            self.calls.append(f"{self.name}.request")
        return later()


class Raises(Recorder):
    def requestheaders(self, flow: Any) -> None:
        self.calls.append(f"{self.name}.requestheaders")
        raise RuntimeError(f"{self.name} broke")


class Halts(Recorder):
    def requestheaders(self, flow: Any) -> None:
        self.calls.append(f"{self.name}.requestheaders")
        raise exceptions.AddonHalt()


class BadOption(Recorder):
    def requestheaders(self, flow: Any) -> None:
        raise exceptions.OptionsError("bad value")


class Adopts(Recorder):
    """Gains a sub-addon in its own hook: the dispatch must look children up after it ran."""

    def requestheaders(self, flow: Any) -> None:
        self.calls.append(f"{self.name}.requestheaders")
        self.addons = [Recorder(f"{self.name}.child", self.calls)]


class OddAttributes:
    requestheaders = types.ModuleType("requestheaders")  # `from x import requestheaders`
    request = "not a hook"

    def __repr__(self) -> str:
        return "OddAttributes"


def scenario(calls: list[str]) -> list[Any]:
    return [
        Recorder("a", calls),
        Recorder("script", calls, [Recorder("ns", calls, [Raises("deep", calls),
                                                           Recorder("after-deep", calls)])]),
        Raises("b", calls),
        Waits("c", calls),
        ReturnsAwaitable("d", calls),
        OddAttributes(),
        Adopts("e", calls),
        Recorder("z", calls),
    ]


def run_on(manager_class: type[AddonManager], build: Any, events: list[Any],
           caplog: pytest.LogCaptureFixture) -> tuple[list[str], list[str]]:
    calls: list[str] = []
    caplog.clear()
    manager = manager_class(SimpleNamespace(options=Options()))
    manager.chain = build(calls)

    async def fire() -> None:
        for event in events:
            await manager.handle_lifecycle(event)

    with caplog.at_level(logging.ERROR):
        asyncio.run(fire())
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    return calls, errors


def test_the_calls_and_logged_errors_are_mitmproxys_own(caplog):
    flow = tflow.tflow()
    events = [HttpRequestHeadersHook(flow), HttpRequestHook(flow), HttpRequestHeadersHook(flow)]
    theirs = run_on(AddonManager, scenario, events, caplog)
    ours = run_on(HookDispatch, scenario, events, caplog)
    assert ours == theirs
    calls, errors = ours
    assert calls[:5] == ["a.requestheaders", "script.requestheaders", "ns.requestheaders",
                         "deep.requestheaders", "b.requestheaders"]
    assert "after-deep.requestheaders" not in calls  # a raising sub-addon ends its chain entry
    assert "e.child.requestheaders" in calls and "z.request" not in calls
    assert "Addon error: deep broke" in errors and "Addon error: b broke" in errors
    assert any("not callable" in error for error in errors)


def test_an_addon_halt_ends_the_event_as_in_mitmproxy(caplog):
    def halting(calls: list[str]) -> list[Any]:
        return [Recorder("a", calls), Halts("h", calls), Recorder("never", calls)]

    events = [HttpRequestHeadersHook(tflow.tflow())]
    theirs = run_on(AddonManager, halting, events, caplog)
    ours = run_on(HookDispatch, halting, events, caplog)
    assert ours == theirs
    assert "never.requestheaders" not in ours[0] and "never.update" in ours[0]


def test_an_options_error_reaches_the_caller():
    manager = HookDispatch(SimpleNamespace(options=Options()))
    manager.chain = [BadOption("bad", [])]
    with pytest.raises(exceptions.OptionsError):
        asyncio.run(manager.trigger_event(HttpRequestHeadersHook(tflow.tflow())))


def test_install_changes_only_a_plain_addon_manager():
    with taddons.context() as tctx:
        manager = tctx.master.addons
        chain, lookup = manager.chain, manager.lookup
        install(manager)
        assert type(manager) is HookDispatch
        assert manager.chain is chain and manager.lookup is lookup

        class Custom(AddonManager):
            pass

        custom = Custom(tctx.master)
        install(custom)
        assert type(custom) is Custom


def test_loading_aigate_installs_the_dispatch_and_keeps_every_hook_working():
    fast, pipeline = build_addons()
    assert isinstance(fast, FastDispatch)
    with taddons.context(fast, pipeline) as tctx:
        assert type(tctx.master.addons) is HookDispatch
        assert "aigate_policy" in tctx.options  # the pipeline's `load` still ran
        assert tctx.master.addons.get("aigate") is pipeline
