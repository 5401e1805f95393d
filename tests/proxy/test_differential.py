"""Differential test: for a generated corpus of requests (names in the three places a request
carries them, paths, methods, bodies with and without sensitive data), what `aigate explain`
computes equals what the real proxy did: the service, and the final action from the audit
record (access decision combined with the DLP verdict), and nothing recorded for non-AI traffic.

Each request goes through a raw CONNECT tunnel so the CONNECT host, the TLS SNI and the Host
header can differ, as they do in domain fronting.
"""

from __future__ import annotations

import itertools
import json
import ssl

import pytest
from aigate.actions import final_action
from aigate.policy import load_policy
from aigate.whatif.explain import explain_request, request_facts
from proxyharness import RunningProxy, connect_tunnel, read_jsonl, read_to_end

# (CONNECT host = SNI, Host header): the same name, and fronting in both directions.
SITES = (
    "api.openai.test",  # block
    "chat.blocked.test",  # block
    "warn.api.test",  # warn
    "allowed.openai.test",  # allow
    "api.mistral.ai",  # shipped catalog, allowed by default; cards redacted
    "example.org",  # not AI
)
NAME_PAIRS = [(s, s) for s in SITES] + [
    ("allowed.openai.test", "chat.blocked.test"),
    ("chat.blocked.test", "allowed.openai.test"),
    ("example.org", "chat.blocked.test"),
    ("chat.blocked.test", "example.org"),
    ("warn.api.test", "allowed.openai.test"),
]
PATHS = ("/", "/v1/chat/completions")
SECRET = (
    "aws_access_key_id = AKIAQ3EGRLMNV4XKTYJW\n"
    "aws_secret_access_key = kP9x2Lm4Qr7Tz1Vb8Nc3Wd6Ye5Hf0Jg2Ks4Lp7Mq"
)
BODIES = {
    "none": None,
    "clean": "Summarise the meeting notes in three bullet points.",
    "secret": f"Why does this fail? {SECRET}",
    "card": "My card is 4111 1111 1111 1111, is it valid?",
}
CORPUS = [
    (connect, host, path, body)
    for (connect, host), path, body in itertools.product(NAME_PAIRS, PATHS, BODIES)
    if body == "none" or path != "/"
]


def _insecure() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the proxy's certificate for any SNI is the point
    return context


def _send(proxy: RunningProxy, connect: str, host: str, path: str, body: bytes | None) -> int:
    sock = connect_tunnel(proxy, f"{connect}:443")
    tls = _insecure().wrap_socket(sock, server_hostname=connect)
    method = "POST" if body is not None else "GET"
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n"
        "Connection: close\r\n"
    )
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    tls.sendall(head.encode() + b"\r\n" + (body or b""))
    reply = read_to_end(tls)
    return int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0


@pytest.fixture(scope="module")
def audited(launch, tmp_path_factory):
    log = tmp_path_factory.mktemp("differential") / "audit.jsonl"
    with launch(aigate_audit_log=str(log)) as running:
        running.audit_log = log  # type: ignore[attr-defined]
        running.loaded = load_policy(running.master.options.aigate_policy)  # type: ignore[attr-defined]
        yield running


def _decisions(proxy: RunningProxy) -> list[dict]:
    records = read_jsonl(proxy.audit_log)  # type: ignore[attr-defined]
    return [r for r in records if r.get("event") == "decision"]


@pytest.mark.parametrize(("connect", "host", "path", "body"), CORPUS, ids=str)
def test_explain_computes_what_the_proxy_did(audited, connect, host, path, body):
    text = BODIES[body]
    payload = None
    if text is not None:
        payload = json.dumps({"model": "m", "messages": [{"role": "user", "content": text}]})
    raw = payload.encode() if payload is not None else None
    before = len(_decisions(audited))
    status = _send(audited, connect, host, path, raw)
    assert status, "no HTTP answer"

    loaded = audited.loaded  # type: ignore[attr-defined]
    url = f"https://{connect}{path}"
    method = "POST" if raw is not None else "GET"
    facts = request_facts(loaded, url, None, "127.0.0.1", method, host_header=host)
    headers = {"content-type": "application/json"} if raw is not None else {}
    report = explain_request(loaded, url, facts, raw, headers, sni=connect)

    records = _decisions(audited)[before:]
    if report["action"] == "passthrough":
        assert records == [], "the proxy decided a request explain calls non-AI"
        return
    assert len(records) == 1, records
    record = records[0]
    proxy_final = final_action(record["action"], record.get("dlp_action"))
    assert (record["service"], proxy_final) == (report["service"], report["action"])
    if proxy_final == "block":
        assert status == 403
