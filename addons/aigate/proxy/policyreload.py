"""Load the policy named by `aigate_policy` and reload it when the file changes.

Polling, as mitmproxy's own script addon does: a task started in `running` checks the file's
stat every `RELOAD_INTERVAL` seconds (patchable in tests) and reloads on change. A bad edit is
logged loudly and the last good policy stays in force: a typo must not turn enforcement off.
The DLP scanner is built from each new policy before it takes over; a `dlp` section that cannot
be built (e.g. an exact-match key variable that is not set) counts as a bad edit.
"""

from __future__ import annotations

import asyncio
import logging

from mitmproxy import ctx, exceptions

from aigate.policy import DEFAULT_POLICY, PolicyError
from aigate.policy.loaded import LoadedPolicy
from aigate.policy.store import PolicyStore, ReloadResult
from aigate.proxy.runtime import Runtime, scanner_for
from aigate.record.events import PolicyEvent, publish

RELOAD_INTERVAL = 2.0

logger = logging.getLogger(__name__)


class PolicyReload:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._task: asyncio.Task[None] | None = None
        self._last_error: str | None = None

    def load(self, loader) -> None:
        loader.add_option(
            "aigate_policy",
            str,
            str(DEFAULT_POLICY),
            "The aigate policy YAML file. Edits are picked up within seconds; a file with errors "
            "is reported and the last good policy stays in force.",
        )

    def configure(self, updated: set[str]) -> None:
        if "aigate_policy" not in updated:
            return
        path = ctx.options.aigate_policy
        try:
            store = PolicyStore(path)
            scanner = scanner_for(store.current)
        except Exception as e:
            error = str(e) if isinstance(e, PolicyError) else f"{path}: dlp: {e}"
            publish(PolicyEvent(ok=False, reload=False, source=path, error=error))
            raise exceptions.OptionsError(f"aigate_policy: {error}") from e
        self.runtime.store = store
        self.runtime.scanner = scanner
        self.runtime.policy_loaded()
        loaded = store.current
        publish(
            PolicyEvent(ok=True, reload=False, version=loaded.version, sha256=loaded.sha256,
                        source=path)
        )
        logger.info("aigate policy %s version %s (%s mode)", path, loaded.version, loaded.mode)

    def running(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._poll())

    def done(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(RELOAD_INTERVAL)
            try:
                self.check()
            except Exception:  # never let the poller die: it is the only way edits arrive
                logger.exception("aigate policy reload failed")

    def check(self) -> None:
        """Reload the policy if its files changed; log and keep the old one on errors."""
        store = self.runtime.store
        if store is None:
            return
        previous = store.current
        try:
            result = store.reload_if_changed()
            if store.current is not previous:
                result = self._build_scanner(store, previous, result)
        except Exception as e:
            logger.exception("aigate policy reload failed; keeping version %s",
                             store.current.version)
            publish(PolicyEvent(ok=False, reload=True, version=store.current.version,
                                sha256=store.current.sha256, source=str(store.path),
                                error=type(e).__name__))
            return
        if not result.changed and result.ok:
            return
        if result.ok:
            self.runtime.policy_loaded()
            logger.info("aigate policy reloaded: version %s", store.current.version)
        elif result.error == self._last_error:
            return  # already reported this broken edit
        else:
            logger.error(
                "aigate policy %s has errors; keeping version %s in force:\n%s",
                store.path, store.current.version, result.error,
            )
        self._last_error = result.error
        publish(
            PolicyEvent(ok=result.ok, reload=True, version=store.current.version,
                        sha256=store.current.sha256, source=str(store.path), error=result.error)
        )

    def _build_scanner(
        self, store: PolicyStore, previous: LoadedPolicy, result: ReloadResult
    ) -> ReloadResult:
        """Install the new policy's scanner, or put the previous policy back and report why."""
        try:
            self.runtime.scanner = scanner_for(store.current)
        except Exception as e:
            store.current = previous
            store.error = f"{store.path}: dlp: {e}"
            return ReloadResult(ok=False, changed=False, error=store.error)
        return result
