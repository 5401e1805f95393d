"""Hostile requests against the pages and the acknowledgement cookie, through the real proxy:
script in the Host header, path, query and proxy-auth user name comes back escaped; forged,
replayed and expired cookies get the warn page again; the upstream sees none of it and no hook
logs an error."""

from __future__ import annotations

import time

import pytest
from aigate.proxy.enforce import KEY_FILE
from aigate.respond.cookies import COOKIE_NAME, AckSigner, load_or_create_key
from proxyharness import (
    BROWSER_HEADERS,
    make_client,
    open_tunnel,
    read_jsonl,
    read_to_end,
    wait_for,
)

SCRIPT = "<script>alert(1)</script>"
USER = '<img src=x onerror=alert(1)>"\'&'
PASSWORD = "pw"


@pytest.fixture(scope="module")
def hostile(launch, tmp_path_factory, monkeypatch_module):
    monkeypatch_module.delenv("AIGATE_ACK_KEY", raising=False)
    log = tmp_path_factory.mktemp("hostile-pages") / "audit.jsonl"
    with launch(proxyauth="any", aigate_audit_log=str(log)) as running:
        running.audit_log = log  # type: ignore[attr-defined]
        yield running


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _records(proxy) -> list[dict]:
    return read_jsonl(proxy.audit_log)


def _raw_get(proxy, connect: str, host_header: str, target: str, auth: str) -> bytes:
    """A browser-like GET in a CONNECT tunnel, with hand-written (hostile) head fields."""
    tls = open_tunnel(proxy, connect, proxy.ssl_context(), auth=auth)
    head = f"GET {target} HTTP/1.1\r\nHost: {host_header}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in BROWSER_HEADERS.items())
    tls.sendall((head + "Connection: close\r\n\r\n").encode())
    return read_to_end(tls)


REFLECTIONS = {
    # name: (CONNECT host, Host header, request target)
    "script in the path and query": ("chat.blocked.test", "chat.blocked.test",
                                     f"/{SCRIPT}?q=%22%3E%3Csvg%20onload=alert(1)%3E&r=\"><b>"),
    "script after the host name": ("chat.blocked.test", f"chat.blocked.test{SCRIPT}", "/"),
    "warn page": ("chat.warn.test", "chat.warn.test", f"/{SCRIPT}?x=\"><svg/onload=alert(1)>"),
}


@pytest.mark.parametrize("case", sorted(REFLECTIONS))
def test_hostile_request_fields_and_user_name_are_escaped_on_pages(hostile, upstream, case):
    connect, host_header, target = REFLECTIONS[case]
    before = upstream.snapshot()
    reply = _raw_get(hostile, connect, host_header, target, f"{USER}:{PASSWORD}")
    head, _, body = reply.partition(b"\r\n\r\n")
    page = body.decode("utf-8", "replace")
    assert head.split(b" ")[1] in (b"200", b"403") and "<html" in page
    for raw in (SCRIPT, "onload=alert", "<b>", USER, "onerror"):
        assert raw not in page, raw
    assert page.count("<svg") == 1  # the page's own icon
    assert b"\r\nx-" not in head.lower().replace(b"x-aigate-", b"").replace(b"x-should-", b"")
    assert upstream.requests_since(before) == []
    assert hostile.errors == []


# --- acknowledgement cookie forgery -----------------------------------------------------------

WARNED = "https://chat.warn.test/c/1"


def _signer(proxy) -> AckSigner:
    return AckSigner(load_or_create_key(proxy.confdir / KEY_FILE))


def _forged(proxy) -> dict[str, list[str]]:
    signer, soon, version = _signer(proxy), int(time.time()) + 3600, "t1"
    genuine = signer.sign("alice", "t-warn-chat", version, soon)
    return {
        "tampered mac": [genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB")],
        "other key": [AckSigner(b"k" * 32).sign("alice", "t-warn-chat", version, soon)],
        "another user's cookie": [signer.sign("bob", "t-warn-chat", version, soon)],
        "another service's cookie": [signer.sign("alice", "t-warn-api", version, soon)],
        "an older policy's cookie": [signer.sign("alice", "t-warn-chat", "t0", soon)],
        "expired": [signer.sign("alice", "t-warn-chat", version, int(time.time()) - 1)],
        "truncated": [genuine[:10]],
        "garbage": ["%00<script>"],
        "oversized": ["9" * 7000],
        "many forged cookies": [f"{soon}.forged{i}" for i in range(300)],
    }


FORGERIES = ["tampered mac", "other key", "another user's cookie", "another service's cookie",
             "an older policy's cookie", "expired", "truncated", "garbage", "oversized",
             "many forged cookies"]


@pytest.mark.parametrize("case", FORGERIES)
def test_a_forged_or_replayed_cookie_gets_the_warn_page_again(hostile, upstream, case):
    cookies = "; ".join(f"{COOKIE_NAME}={v}" for v in _forged(hostile)[case])
    before = upstream.snapshot()
    seen = len(_records(hostile))
    with make_client(hostile, auth=f"alice:{PASSWORD}") as client:
        reply = client.get(WARNED, headers={**BROWSER_HEADERS, "cookie": cookies})
    assert reply.status_code == 200 and "Before you use" in reply.text
    assert upstream.requests_since(before) == []
    wait_for(lambda: any(r.get("outcome") == "warned" for r in _records(hostile)[seen:]))
    assert hostile.errors == []


def test_the_genuine_cookie_passes_and_never_reaches_the_upstream(hostile, upstream):
    genuine = _signer(hostile).sign("alice", "t-warn-chat", "t1", int(time.time()) + 3600)
    before = upstream.snapshot()
    with make_client(hostile, auth=f"alice:{PASSWORD}") as client:
        reply = client.get(WARNED, headers={**BROWSER_HEADERS,
                                            "cookie": f"{COOKIE_NAME}={genuine}; keep=1"})
    assert reply.status_code == 200 and "Before you use" not in reply.text
    (seen,) = upstream.requests_since(before)
    assert seen.headers.get("cookie") == "keep=1"
