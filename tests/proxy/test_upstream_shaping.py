"""What aigate changes on the way to and from an allowed AI service: tenant pinning upstream,
server-sent events streamed to the client as they arrive."""

from __future__ import annotations

import time

from proxyharness import SSE_PAUSE_SECONDS


def test_tenant_header_is_injected_upstream_only_for_its_service(client, upstream):
    before = upstream.snapshot()
    assert client.get("https://tenant.test/api").status_code == 200
    assert client.get("https://approved.test/api").status_code == 200
    seen = {r.host: r.headers for r in upstream.requests_since(before)}
    assert seen["tenant.test"]["x-test-allowed-tenant"] == "corp-tenant-1"
    assert "x-test-allowed-tenant" not in seen["approved.test"]


def test_server_sent_events_reach_the_client_before_the_upstream_finishes(client):
    started = time.monotonic()
    with client.stream("GET", "https://stream.api.test/sse") as response:
        assert response.headers["content-type"] == "text/event-stream"
        chunks = response.iter_raw()
        first = next(chunks)
        first_at = time.monotonic() - started
        rest = b"".join(chunks)
    assert first.startswith(b"data: first")
    assert first_at < SSE_PAUSE_SECONDS / 2, f"first event after {first_at:.2f}s: buffered"
    assert b"data: second" in first + rest
