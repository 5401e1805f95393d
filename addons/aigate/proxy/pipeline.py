"""One mitmproxy addon that runs aigate's addons, in their order, for every hook they implement.

mitmproxy walks its addon tree for every event and looks each hook up on each addon, then fires
the next event; with aigate's thirteen addons that lookup costs more than most of their hooks
(bench/bench_dispatch.py). The pipeline looks the methods up once, when it is built, and calls
them in a plain loop.

It also guards each stage on its own. mitmproxy logs an exception escaping a hook and carries on,
which lets the request through, and within one script an exception skips the addons after it.
Here a stage that raises is logged and counted, the later stages still run (audit and metrics
record the flow), and an AI request still being decided is answered by `fail_closed`.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import mitmproxy.addonmanager  # registers the `load` hook
import mitmproxy.proxy.layers  # registers every protocol layer's hooks
import mitmproxy.proxy.server_hooks  # noqa: F401  # registers the connection hooks
from mitmproxy import exceptions, hooks, http

from aigate.proxy.answer import fail_closed
from aigate.proxy.runtime import Runtime
from aigate.record import metrics

logger = logging.getLogger(__name__)

_DECIDING = frozenset({"requestheaders", "request"})  # an unanswered request can still be blocked
_PASSED_ON = (exceptions.AddonHalt, exceptions.OptionsError)  # mitmproxy's own control flow


class Pipeline:
    """The stages as one addon: `stages` in order, sharing `runtime`."""

    name = "aigate"

    def __init__(self, stages: Sequence[object], runtime: Runtime) -> None:
        self.stages = tuple(stages)
        self.runtime = runtime
        for hook in sorted(hooks.all_hooks):
            methods = [(stage, getattr(stage, hook)) for stage in self.stages
                       if callable(getattr(stage, hook, None))]
            if methods:
                setattr(self, hook, self._caller(hook, methods))

    def _caller(self, hook: str, methods: list[tuple[object, Callable[..., Any]]]) -> Callable:
        """A plain function calling each stage; when a stage returns an awaitable (it waits for
        a directory, a connection, a thread), it returns a coroutine that awaits it and runs the
        stages after it. mitmproxy awaits what a hook returns, so most requests never build a
        coroutine at all."""
        failed = self._failed

        async def rest(pending: Awaitable[Any], index: int, args: tuple[Any, ...]) -> None:
            try:
                await pending
            except _PASSED_ON:
                raise
            except Exception:
                failed(methods[index][0], hook, args)
            for stage, method in methods[index + 1:]:
                try:
                    result = method(*args)
                    if result is not None and inspect.isawaitable(result):
                        await result
                except _PASSED_ON:
                    raise
                except Exception:
                    failed(stage, hook, args)

        def call(*args: Any) -> Awaitable[None] | None:
            for index, (stage, method) in enumerate(methods):
                try:
                    result = method(*args)
                except _PASSED_ON:
                    raise
                except Exception:
                    failed(stage, hook, args)
                    continue
                if result is not None and inspect.isawaitable(result):
                    return rest(result, index, args)
            return None

        call.__name__ = hook
        return call

    def _failed(self, stage: object, hook: str, args: tuple[Any, ...]) -> None:
        name = type(stage).__name__.lower()
        metrics.count_hook_error(name)
        flow = args[0] if args else None
        if (hook in _DECIDING and isinstance(flow, http.HTTPFlow) and flow.response is None
                and flow.live):
            fail_closed(flow, self.runtime, name)
        else:
            logger.exception("aigate: %s.%s failed", type(stage).__name__, hook)
