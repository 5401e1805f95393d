"""Load the policy named by `aigate_policy` and reload it when the file changes.

Polling, as mitmproxy's own script addon does: a task started in `running` checks the file's
stat every `RELOAD_INTERVAL` seconds (patchable in tests) and reloads on change. A bad edit is
logged loudly and the last good policy stays in force: a typo must not turn enforcement off.
"""

from __future__ import annotations

import asyncio
import logging

from mitmproxy import ctx, exceptions

from aigate.policy import DEFAULT_POLICY, PolicyError
from aigate.policy.store import PolicyStore
from aigate.proxy.runtime import Runtime
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
        except PolicyError as e:
            publish(PolicyEvent(ok=False, reload=False, source=path, error=str(e)))
            raise exceptions.OptionsError(f"aigate_policy: {e}") from e
        self.runtime.store = store
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
        try:
            result = store.reload_if_changed()
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
