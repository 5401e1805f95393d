"""The long-lived heap (mitmproxy, catalog, policy, scanner) is frozen out of the garbage
collector's full passes once the proxy runs, and reloads do not pile frozen policies up."""

from __future__ import annotations

import asyncio
import gc
import shutil

import pytest
from aigate.policy import DEFAULT_POLICY
from aigate.proxy.policyreload import SETTLE_HEAP_AFTER, PolicyReload
from aigate.proxy.runtime import Runtime
from mitmproxy.test import taddons


@pytest.fixture(autouse=True)
def thawed():
    yield
    gc.unfreeze()


def test_running_freezes_the_heap_and_reloads_keep_it_the_same_size(tmp_path):
    policy = tmp_path / "policy.yaml"
    shutil.copy(DEFAULT_POLICY, policy)
    runtime = Runtime()
    addon = PolicyReload(runtime)

    async def start_then_reload() -> list[int]:
        with taddons.context(addon) as tctx:
            tctx.configure(addon, aigate_policy=str(policy))
            addon.running()
            counts = [gc.get_freeze_count()]
            for n in range(4):
                policy.write_text(policy.read_text() + f"\n# edit {n}\n")
                addon.check(force=True)
                await asyncio.sleep(SETTLE_HEAP_AFTER + 0.1)  # the heap is settled after a reload
                counts.append(gc.get_freeze_count())
            addon.done()
            return counts

    counts = asyncio.run(start_then_reload())
    assert counts[0] > 50_000  # the catalog, the policy and the scanner, at least
    assert max(counts[1:]) - min(counts[1:]) < counts[1] * 0.02, counts  # no pile-up
