"""The mitmproxy addons: thin adapters from flows to the pure core, one concern per module.

`build_stages()` is the one place that fixes their order; `build_addons()` hands them to mitmproxy
as one `Pipeline` addon, which `mitmdump -s addons/aigate_addons.py` and `aigate run` both load.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aigate.policy import DEFAULT_POLICY
from aigate.proxy.audit import Audit
from aigate.proxy.discover import Discover
from aigate.proxy.dispatch import FastDispatch
from aigate.proxy.enforce import Enforce
from aigate.proxy.identify import Identify
from aigate.proxy.inspect import Inspect
from aigate.proxy.metrics import Metrics
from aigate.proxy.passthrough import Passthrough
from aigate.proxy.pipeline import Pipeline
from aigate.proxy.policypage import PolicyPage
from aigate.proxy.policyreload import PolicyReload
from aigate.proxy.runtime import Runtime
from aigate.proxy.streaming import Streaming
from aigate.proxy.tenant import Tenant
from aigate.proxy.unlisted import Unlisted
from aigate.proxy.upstream import Upstream


def build_addons(policy: str | Path = DEFAULT_POLICY) -> list[object]:
    """What mitmproxy loads: the stages of `build_stages` as one `Pipeline` addon, after the
    addon that makes mitmproxy's own event dispatch cheaper (`dispatch.FastDispatch`)."""
    runtime = Runtime()
    return [FastDispatch(), Pipeline(build_stages(runtime, policy), runtime)]


def build_stages(runtime: Runtime, policy: str | Path = DEFAULT_POLICY) -> list[Any]:
    """The ordered addons, sharing `runtime` (policy and signer). `policy` is the
    `aigate_policy` default: the one policy loaded at start, not the shipped one first."""
    return [
        PolicyReload(runtime, policy),  # first: the others read the policy it loads
        Passthrough(runtime),  # tls_clienthello: non-AI TLS is never decrypted
        Identify(runtime),  # requestheaders: user and groups
        PolicyPage(runtime),  # requestheaders: answers http(s)://aigate.policy/ itself
        Enforce(runtime),  # requestheaders: decide; block / warn / redirect / allow
        Unlisted(runtime),  # request: model-API-shaped requests to hosts outside the catalog
        Tenant(runtime),  # requestheaders: tenant pinning on forwarded requests
        Streaming(),  # responseheaders: SSE streamed, alt-svc dropped
        Inspect(runtime),  # request bodies and WebSocket messages of forwarded AI flows
        Upstream(runtime),  # request/error: an allowed request whose site does not answer
        Audit(runtime),  # last, with Metrics: they read FlowState once the flow's outcome is final
        Metrics(runtime),
        Discover(runtime),  # passed-through hosts that look like AI services the catalog lacks
    ]
