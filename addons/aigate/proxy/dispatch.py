"""mitmproxy's event dispatch, same semantics, without its per-addon overhead.

For every event mitmproxy's `AddonManager` walks the chain (about forty addons in mitmdump) and
for each one enters a `safecall` context manager, builds an `invoke_addon` coroutine and two
generators, and rebuilds the hook's arguments; after each flow hook it does it all again for an
`update` event. On a keep-alive request through this machine's mitmdump that walk is a quarter of
the proxy's CPU, more than all of aigate's hooks (bench/README.md, Proxy step 3).

`HookDispatch.trigger_event` keeps what the walk does: the chain's order, sub-addons looked up on
every event after their parent's hook ran (scripts reload), an exception logged by mitmproxy's
own `safecall` with the rest of that chain entry skipped, `AddonHalt` ending the event and
`OptionsError` raised. It only drops the per-addon objects: a plain loop, the arguments built
once, a coroutine only for a sub-addon tree or a hook that returns an awaitable.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

from mitmproxy import exceptions, hooks
from mitmproxy.addonmanager import AddonManager, safecall


class HookDispatch(AddonManager):
    """An `AddonManager` whose `trigger_event` walks the chain in one loop."""

    async def trigger_event(self, event: hooks.Hook) -> None:
        name = event.name
        args = event.args()
        for addon in self.chain:
            try:
                func = getattr(addon, name, None)
                if func:
                    result = _call(addon, func, name, args)
                    if result is not None and inspect.isawaitable(result):
                        await result
                if hasattr(addon, "addons"):
                    await _trigger_below(addon.addons, name, args)
            except exceptions.AddonHalt:
                return
            except Exception:
                with safecall():  # mitmproxy's own logging; re-raises OptionsError
                    raise


def _call(addon: object, func: Any, name: str, args: list[Any]) -> Any:
    """Call one hook as `AddonManager._iter_hooks` allows it: a module of the hook's name (an
    addon that imported `mitmproxy.log`, say) is not a hook, anything else not callable is an
    error."""
    if callable(func):
        return func(*args)
    if isinstance(func, types.ModuleType):
        return None
    raise exceptions.AddonManagerError(f"Addon handler {name} ({addon}) not callable")


async def _trigger_below(addons: Any, name: str, args: list[Any]) -> None:
    """The sub-addons of one chain entry, depth first, each after its parent (as `traverse`)."""
    for addon in addons:
        func = getattr(addon, name, None)
        if func:
            result = _call(addon, func, name, args)
            if result is not None and inspect.isawaitable(result):
                await result
        if hasattr(addon, "addons"):
            await _trigger_below(addon.addons, name, args)


def install(manager: AddonManager) -> None:
    """Make `manager` dispatch with `HookDispatch` (its state is the same: only the class
    changes). Left alone if it is already one, or a subclass someone else chose."""
    if type(manager) is AddonManager:
        manager.__class__ = HookDispatch


class FastDispatch:
    """The addon that installs `HookDispatch` on the master that loads it (`aigate run` and
    `mitmdump -s addons/aigate_addons.py` alike)."""

    def load(self, loader: Any) -> None:
        install(loader.master.addons)
