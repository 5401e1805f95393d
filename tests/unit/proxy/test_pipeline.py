"""The Pipeline addon: aigate's addons as one mitmproxy addon, each stage guarded on its own."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.proxy import build_addons, build_stages
from aigate.proxy.pipeline import Pipeline
from aigate.proxy.runtime import Runtime
from aigate.record import metrics
from mitmproxy import exceptions
from mitmproxy.test import taddons, tflow


@pytest.fixture
def runtime() -> Runtime:
    runtime = Runtime()
    runtime.install(load_policy(DEFAULT_POLICY))
    return runtime


class Recorder:
    def __init__(self, name: str, calls: list[str]) -> None:
        self.name, self.calls = name, calls

    def requestheaders(self, flow: Any) -> None:
        self.calls.append(f"{self.name}.requestheaders")

    def response(self, flow: Any) -> None:
        self.calls.append(f"{self.name}.response")


class Broken:
    def requestheaders(self, flow: Any) -> None:
        raise RuntimeError("a bug")

    def configure(self, updated: set[str]) -> None:
        raise exceptions.OptionsError("aigate_x: bad value")


class Slow:
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    async def request(self, flow: Any) -> None:
        await asyncio.sleep(0)
        self.calls.append("slow.request")


def ai_flow(host: str = "chatgpt.com") -> Any:
    flow = tflow.tflow()
    flow.request.host = host
    flow.request.headers["host"] = host
    flow.request.headers["accept"] = "application/json"
    return flow


def hook_errors(stage: str) -> float:
    return metrics.REGISTRY.get_sample_value("aigate_hook_errors_total", {"stage": stage}) or 0.0


def test_stages_run_in_order_and_only_where_they_have_the_hook(runtime):
    calls: list[str] = []
    pipeline = Pipeline([Recorder("a", calls), Slow(calls), Recorder("b", calls)], runtime)
    flow = ai_flow()
    pipeline.requestheaders(flow)
    asyncio.run(pipeline.request(flow))
    pipeline.response(flow)
    assert calls == ["a.requestheaders", "b.requestheaders", "slow.request", "a.response",
                     "b.response"]
    assert not hasattr(pipeline, "websocket_message")


class MaybeSlow:
    """A sync hook that returns a coroutine only when it must wait (as Identify, Inspect and
    Upstream do), then raises after waiting when told to."""

    def __init__(self, calls: list[str], wait: bool, fail: bool = False) -> None:
        self.calls, self.wait, self.fail = calls, wait, fail

    def request(self, flow: Any) -> Any:
        if not self.wait:
            self.calls.append("maybe.request")
            return None
        return self._waited()

    async def _waited(self) -> None:
        await asyncio.sleep(0)
        self.calls.append("maybe.request (waited)")
        if self.fail:
            raise RuntimeError("a bug after waiting")


class After:
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    def request(self, flow: Any) -> None:
        self.calls.append("after.request")


def test_a_hook_returns_an_awaitable_only_when_a_stage_waits(runtime):
    calls: list[str] = []
    quick = Pipeline([MaybeSlow(calls, wait=False), After(calls)], runtime)
    assert not inspect.iscoroutinefunction(quick.request)
    assert quick.request(ai_flow()) is None
    assert calls == ["maybe.request", "after.request"]
    calls.clear()
    waiting = Pipeline([MaybeSlow(calls, wait=True), After(calls)], runtime)
    pending = waiting.request(ai_flow())
    assert inspect.isawaitable(pending) and calls == []  # the later stages wait their turn
    asyncio.run(pending)
    assert calls == ["maybe.request (waited)", "after.request"]


def test_a_stage_that_raises_after_waiting_blocks_the_ai_request_and_the_rest_still_run(
    runtime,
):
    calls: list[str] = []
    before = hook_errors("maybeslow")
    pipeline = Pipeline([MaybeSlow(calls, wait=True, fail=True), After(calls)], runtime)
    flow = ai_flow()
    asyncio.run(pipeline.request(flow))
    assert flow.response is not None and flow.response.status_code == 403  # fail closed
    assert calls == ["maybe.request (waited)", "after.request"]
    assert hook_errors("maybeslow") == before + 1


def test_a_stage_that_raises_blocks_the_ai_request_and_the_later_stages_still_run(runtime):
    calls: list[str] = []
    before = hook_errors("broken")
    pipeline = Pipeline([Broken(), Recorder("audit", calls)], runtime)
    flow = ai_flow()
    pipeline.requestheaders(flow)
    assert flow.response is not None and flow.response.status_code == 403  # fail closed
    assert calls == ["audit.requestheaders"]
    assert hook_errors("broken") == before + 1


def test_a_stage_that_raises_on_other_traffic_passes_it(runtime):
    pipeline = Pipeline([Broken()], runtime)
    flow = ai_flow("example.org")
    pipeline.requestheaders(flow)
    assert flow.response is None


def test_options_errors_reach_mitmproxy(runtime):
    pipeline = Pipeline([Broken()], runtime)
    with pytest.raises(exceptions.OptionsError):
        pipeline.configure(set())


def test_mitmproxy_loads_one_addon_with_every_hook_of_the_stages():
    _dispatch, pipeline = build_addons()
    stages = build_stages(Runtime())
    hooks = {name for stage in stages for name in ("load", "configure", "running", "done",
             "requestheaders", "request", "responseheaders", "response", "error",
             "tls_clienthello", "websocket_message") if hasattr(stage, name)}
    assert all(callable(getattr(pipeline, name)) for name in hooks)
    with taddons.context(pipeline) as tctx:  # `load` declares every stage's options
        assert "aigate_policy" in tctx.options and "aigate_audit_log" in tctx.options
        assert tctx.master.addons.get("aigate") is pipeline
