"""The real proxy (tests/proxy/proxyharness.py) with the record addons, for the audit and
Prometheus end-to-end tests, plus a test-only addon that plays the inspect step.

`FakeInspect` reads an `x-test-inspection` request header (JSON, see `inspection_from_json`) and
puts the `Inspection` it describes on `FlowState.inspection`, as the inspect addon does;
`x-test-error: <stage>` marks the flow as failed in that stage. Both headers are removed before
the request goes upstream.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import ssl
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "proxy"))

from aigate.flowstate import FLOW_KEY
from aigate.inspect.result import Extraction, Finding, Inspection, Segment
from aigate.proxy import build_stages
from aigate.proxy.audit import Audit
from aigate.proxy.metrics import Metrics
from aigate.proxy.pipeline import Pipeline
from aigate.proxy.runtime import Runtime
from proxyharness import (
    BROWSER_HEADERS,
    FakeUpstream,
    RunningProxy,
    catalog_hosts,
    make_client,
    open_tunnel,
    read_to_end,
    start_proxy,
    write_test_policy,
)

POLICY = Path(__file__).resolve().parents[1] / "proxy" / "data" / "policy.yaml"
TEST_HOSTS = ("api.openai.test", "allowed.openai.test", "chat.warn.test", "chat.blocked.test")

__all__ = ["FakeUpstream", "RunningProxy", "make_client", "open_tunnel", "record_proxy"]


def inspection_from_json(raw: str) -> Inspection:
    """The inspection a JSON spec describes: `scanned` (prompt characters), `findings` (each
    `detector`, `class`, `count`, `preview`), `unscanned` (reason sentences), `oversize`,
    `seconds`, and the DLP verdict `action` and `rule`."""
    spec = json.loads(raw)
    scanned = spec.get("scanned", 0)
    segments = (Segment("x" * scanned, (("json", ("messages", 0, "content")),)),) if scanned else ()
    findings = tuple(
        Finding(f["detector"], f["class"], 0, 1, "validated", f.get("preview", "x…"), f"d{n}")
        for f in spec.get("findings", ())
        for n in range(f.get("count", 1))
    )
    oversize = spec.get("oversize", False)
    return Inspection(
        Extraction("oversize" if oversize else "openai", segments),
        findings,
        tuple(spec.get("unscanned", ())),
        oversize=oversize,
        seconds=spec.get("seconds", 0.0),
        action=spec.get("action"),
        rule=spec.get("rule"),
    )


class FakeInspect:
    def request(self, flow: Any) -> None:
        state = flow.metadata.get(FLOW_KEY)
        raw = flow.request.headers.pop("x-test-inspection", None)
        stage = flow.request.headers.pop("x-test-error", None)
        if state is None:
            return
        if raw:
            state.inspection = inspection_from_json(raw)
        if stage:
            state.error_stage = stage
            state.outcome = "error"


def addons_with_records() -> list[Any]:
    """The pipeline of `build_stages()` with inspection faked just before the record addons."""
    runtime = Runtime()
    stages = build_stages(runtime)
    records = [a for a in stages if isinstance(a, Audit | Metrics)]
    rest = [a for a in stages if a not in records]
    return [Pipeline([*rest, FakeInspect(), *records], runtime)]


def new_upstream(directory: Path) -> FakeUpstream:
    return FakeUpstream(directory, [*TEST_HOSTS, *catalog_hosts()])


@contextlib.contextmanager
def running_upstream(directory: Path) -> Iterator[FakeUpstream]:
    """A fake upstream for the test hosts only, closed on exit."""
    server = FakeUpstream(directory, TEST_HOSTS)
    try:
        yield server
    finally:
        server.close()


@contextlib.contextmanager
def record_proxy(
    work: Path, upstream: FakeUpstream, **options: Any
) -> Iterator[RunningProxy]:
    """A proxy on the proxy tests' policy with the record addons; `options` set after load."""
    policy = write_test_policy(work / "policy")
    confdir = work / "confdir"
    confdir.mkdir(exist_ok=True)
    proxy = start_proxy(
        confdir,
        upstream,
        {"aigate_policy": str(policy), **options},
        addons_with_records(),
    )
    try:
        yield proxy
    finally:
        proxy.stop()


def acknowledge(client: Any, url: str) -> int:
    """Open a warned page, then submit its continue form; the acknowledgement's status code."""
    client.cookies.clear()
    page = client.get(url, headers=BROWSER_HEADERS)
    assert page.status_code == 200, page.status_code
    match = re.search(r'<form[^>]*action="([^"]+)".*?name="token" value="([^"]+)"', page.text,
                      re.S)
    assert match, f"no continue form on the warn page: {page.text[:300]}"
    action, token = html.unescape(match.group(1)), html.unescape(match.group(2))
    target = action if action.startswith("http") else url.rstrip("/") + action
    reply = client.post(target, data={"token": token}, headers=BROWSER_HEADERS,
                        follow_redirects=False)
    return reply.status_code


def passthrough_request(
    proxy: RunningProxy, upstream: FakeUpstream, auth: str | None = None
) -> bytes:
    """One HTTPS request to a non-AI host: the tunnel is passed through, not decrypted."""
    context = ssl.create_default_context(cafile=str(upstream.ca_path))
    sock = open_tunnel(proxy, "example.org", context, auth=auth)
    sock.sendall(b"GET /private?q=1 HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n")
    return read_to_end(sock)
