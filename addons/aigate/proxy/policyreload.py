"""Load the policy named by `aigate_policy`; reload it when one of its files changes or on SIGHUP.

Polling, as mitmproxy's own script addon does: a task started in `running` stats the policy and
every file it names (catalog files, exact-match digest files) every `aigate_policy_poll` seconds
and reloads on change, so an edit is in force within about a second. SIGHUP reloads at once (where
the platform and thread allow a signal handler; `aigate run` does). A bad edit is logged loudly
with its file:line problems and the last good policy stays in force: a typo must not turn
enforcement off. The DLP scanner is built from each new policy before it takes over (see
`Runtime.install`); a `dlp` section that cannot be built counts as a bad edit.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import threading
from pathlib import Path

from mitmproxy import ctx, exceptions

from aigate.policy import DEFAULT_POLICY, PolicyError
from aigate.policy.review import review_deadline
from aigate.policy.store import PolicyStore, ReloadResult
from aigate.proxy.runtime import Runtime
from aigate.record import metrics
from aigate.record.events import PolicyEvent, publish

RELOAD_INTERVAL = 1.0  # seconds between polls unless `aigate_policy_poll` says otherwise
SETTLE = 2.0  # seconds an edited file stays unchanged before it applies (aigate_policy_settle)
_SIGHUP = getattr(signal, "SIGHUP", None)  # absent on Windows

logger = logging.getLogger(__name__)


class PolicyReload:
    def __init__(self, runtime: Runtime, default_policy: str | Path = DEFAULT_POLICY) -> None:
        self.runtime = runtime
        self._default_policy = str(default_policy)
        self._task: asyncio.Task[None] | None = None
        self._last_error: str | None = None
        self._signal_loop: asyncio.AbstractEventLoop | None = None
        self._interval = RELOAD_INTERVAL
        self._settle = SETTLE

    def load(self, loader) -> None:
        loader.add_option(
            "aigate_policy",
            str,
            self._default_policy,
            "The aigate policy YAML file. Edits to it and to the files it names (catalog, "
            "exact-match digests) are in force within seconds, and SIGHUP reloads at once; a file "
            "with errors is reported and the last good policy stays in force.",
        )
        loader.add_option(
            "aigate_policy_poll",
            str,
            f"{RELOAD_INTERVAL:g}",
            "Seconds between checks of the policy files for changes, e.g. 0.5; 0 reloads only on "
            "SIGHUP.",
        )
        loader.add_option(
            "aigate_policy_settle",
            str,
            f"{SETTLE:g}",
            "Seconds an edited policy file must stay unchanged before it applies, so a file being "
            "rewritten in place is never enforced half-written; SIGHUP applies at once. Deploy "
            "atomically (write a temporary file, then rename it) to avoid the wait.",
        )

    def configure(self, updated: set[str]) -> None:
        if "aigate_policy_poll" in updated:
            self._interval = _seconds(ctx.options.aigate_policy_poll, "aigate_policy_poll")
        if "aigate_policy_settle" in updated:
            self._settle = _seconds(ctx.options.aigate_policy_settle, "aigate_policy_settle")
        if "aigate_policy" not in updated:
            return
        path = ctx.options.aigate_policy
        current = self.runtime.store
        if current is not None and current.path.resolve() == Path(path).resolve():
            return  # already in force (mitmproxy re-sends options on start); edits are polled
        try:
            store = PolicyStore(path, accept=self.runtime.install)
        except PolicyError as e:
            publish(PolicyEvent(ok=False, reload=False, source=path, error=str(e)))
            raise exceptions.OptionsError(f"aigate_policy: {e}") from e
        self.runtime.store = store
        self._last_error = None
        self._loaded(store, reload=False)

    def running(self) -> None:
        loop = asyncio.get_running_loop()
        if self._task is None:
            self._task = loop.create_task(self._poll())
            settle_heap()
        if _SIGHUP is not None and self._signal_loop is None:
            if threading.current_thread() is not threading.main_thread():
                return  # signal handlers live on the main thread (an embedded proxy: no SIGHUP)
            try:
                loop.add_signal_handler(_SIGHUP, self.sighup)
            except (NotImplementedError, RuntimeError, ValueError):
                return  # e.g. an event loop without signal support
            self._signal_loop = loop

    def done(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._signal_loop is not None:
            with contextlib.suppress(Exception):  # the loop may already be closed
                self._signal_loop.remove_signal_handler(_SIGHUP)
            self._signal_loop = None

    def sighup(self) -> None:
        """Reload now, whatever the files' stat says (the SIGHUP handler)."""
        logger.info("aigate: SIGHUP: reloading the policy")
        self.check(force=True)

    async def _poll(self) -> None:
        while True:
            interval = self._interval
            await asyncio.sleep(interval if interval > 0 else RELOAD_INTERVAL)
            if interval <= 0:
                continue
            try:
                self.check()
            except Exception:  # never let the poller die: it is the only way edits arrive
                logger.exception("aigate policy reload failed")

    def check(self, force: bool = False) -> None:
        """Reload the policy if its files changed (or now, with `force`); on errors log, count
        and keep the policy in force."""
        store = self.runtime.store
        if store is None:
            return
        try:
            result = store.reload() if force else store.reload_if_changed(self._settle)
        except Exception as e:  # a bug, not a bad edit: still keep the policy in force
            error = f"{store.path}:1: reload failed: {type(e).__name__}"
            if error != self._last_error or force:
                logger.exception("aigate policy reload failed; keeping version %s",
                                 store.current.version)
                self._last_error = error
                self._report(store, ReloadResult(ok=False, changed=False, error=error), log=False)
            return
        if result.ok:
            if result.changed or force or self._last_error is not None:
                self._last_error = None
                self._loaded(store, reload=True)
            return
        if result.error == self._last_error and not force:
            return  # already reported this broken edit
        self._last_error = result.error
        self._report(store, result)

    def _loaded(self, store: PolicyStore, reload: bool) -> None:
        if reload:
            _settle_heap_soon()
        loaded = store.current
        metrics.set_review_by(review_deadline(loaded.policy.review_by))
        publish(PolicyEvent(ok=True, reload=reload, version=loaded.version, sha256=loaded.sha256,
                            source=str(store.path)))
        logger.info("aigate policy %s %s: version %s, sha256 %s (%s mode)", store.path,
                    "reloaded" if reload else "loaded", loaded.version, loaded.sha256,
                    loaded.mode)

    def _report(self, store: PolicyStore, result: ReloadResult, log: bool = True) -> None:
        current = store.current
        if log:
            logger.error(
                "aigate policy %s has errors; keeping version %s (sha256 %s) in force:\n%s",
                store.path, current.version, current.sha256, result.error,
            )
        publish(PolicyEvent(ok=False, reload=True, version=current.version,
                            sha256=current.sha256, source=str(store.path), error=result.error))


# After a reload the requests that waited for it are answered first, by the new policy; the
# heap is settled then (a full collection: tens of milliseconds in the proxy, seconds in a
# process holding much more, such as a test run).
SETTLE_HEAP_AFTER = 0.25


def _settle_heap_soon() -> None:
    try:
        asyncio.get_running_loop().call_later(SETTLE_HEAP_AFTER, settle_heap)
    except RuntimeError:  # no event loop (a reload outside the proxy): now
        settle_heap()


def settle_heap() -> None:
    """Take what is alive now out of the garbage collector's sight: mitmproxy, the catalog, the
    policy and its scanner are about 170,000 long-lived objects, and every full collection would
    walk them all again (40-90 ms each, paid by the requests in flight). Collected first, so no
    garbage is kept; after a reload, the previous policy is unfrozen and collected with it."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _seconds(value: str, option: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        zero = "to reload only on SIGHUP" if option == "aigate_policy_poll" else "for no wait"
        raise exceptions.OptionsError(
            f"{option}: {value!r} is not a number of seconds; give e.g. 1 or 0.5, or 0 {zero}"
        )
    return seconds
