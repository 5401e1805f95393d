"""The addon that ties a worker process to the `aigate run --workers` supervisor
(`AIGATE_WORKER` set). It
- tells the supervisor when it is ready (policy loaded, proxy listening) by writing one line to
  the pipe named by `AIGATE_READY_FD`;
- shuts down when the supervisor is gone, so a killed supervisor never leaves orphans holding
  the port.
SIGHUP, which the supervisor forwards, is the policy reload addon's own.
"""

from __future__ import annotations

import asyncio
import logging
import os

from mitmproxy import ctx

from aigate.serve.workers import READY_FD_ENV, SUPERVISOR_ENV, WORKER_ENV

READY_LINE = b"ready\n"
ORPHAN_CHECK_SECONDS = 1.0

logger = logging.getLogger(__name__)


class Worker:
    def __init__(self, environ: dict[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.number = int(env[WORKER_ENV]) if env.get(WORKER_ENV) else None
        self.ready_fd = int(env[READY_FD_ENV]) if env.get(READY_FD_ENV) else None
        self.supervisor = int(env[SUPERVISOR_ENV]) if env.get(SUPERVISOR_ENV) else None
        self._watch: asyncio.Task[None] | None = None

    def running(self) -> None:
        loop = asyncio.get_running_loop()
        if self.supervisor is not None and self._watch is None:
            self._watch = loop.create_task(self._exit_when_orphaned())
        if self.ready_fd is not None:
            proxyserver = ctx.master.addons.get("proxyserver")
            if proxyserver is not None and proxyserver.listen_addrs():
                os.write(self.ready_fd, READY_LINE)
                os.close(self.ready_fd)
                self.ready_fd = None

    def done(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None

    async def _exit_when_orphaned(self) -> None:
        while os.getppid() == self.supervisor:
            await asyncio.sleep(ORPHAN_CHECK_SECONDS)
        logger.warning("aigate worker %s: supervisor gone, shutting down", self.number)
        ctx.master.shutdown()
