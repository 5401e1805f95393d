"""The enforcing, discovering, inspecting and audit addons in isolation, with mitmproxy's own
test helpers (`taddons`, `tflow`): fast checks of each hook beside the real-proxy tests in
tests/proxy/."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aigate.flowstate import FLOW_KEY
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.proxy.audit import Audit
from aigate.proxy.discover import Discover
from aigate.proxy.enforce import Enforce
from aigate.proxy.inspect import Inspect
from aigate.proxy.passthrough import Passthrough
from aigate.proxy.runtime import Runtime
from aigate.record import events
from flow_factories import make_state
from mitmproxy import connection, tls
from mitmproxy.test import taddons, tflow
from mitmproxy.websocket import WebSocketMessage
from wsproto.frame_protocol import Opcode

LOADED = load_policy(DEFAULT_POLICY)
KEY = "00112233445566778899aabbccddeeff"


@pytest.fixture
def runtime() -> Runtime:
    runtime = Runtime()
    runtime.install(LOADED)
    return runtime


def ai_request(host: str, path: str = "/", *, connect: str | None = None,
               accept: str = "application/json") -> Any:
    flow = tflow.tflow()
    flow.request.host = connect or host
    flow.request.headers["host"] = host
    flow.request.path = path
    flow.request.headers["accept"] = accept
    flow.client_conn.sni = connect or host
    return flow


@pytest.mark.parametrize(
    ("host", "connect", "status", "service"),
    [
        ("chat.deepseek.com", None, 403, "deepseek"),  # blocked by services.deepseek
        ("chat.deepseek.com", "api.openai.com", 403, "deepseek"),  # fronted by another host
        ("api.openai.com", "chat.deepseek.com", 403, "deepseek"),  # the SNI names the blocked one
        ("example.org", None, None, None),  # not AI: no state, no answer
    ],
)
def test_enforce_blocks_by_the_strictest_name(runtime, host, connect, status, service):
    addon = Enforce(runtime)
    with taddons.context(addon) as tctx:
        tctx.configure(addon, aigate_ack_key=KEY)
        flow = ai_request(host, connect=connect)
        addon.requestheaders(flow)
    state = flow.metadata.get(FLOW_KEY)
    assert (flow.response.status_code if flow.response else None) == status
    assert (state.decision.service.id if state else None) == service


def test_enforce_decides_a_repeated_request_by_the_policy_in_force(runtime, tmp_path):
    addon = Enforce(runtime)
    with taddons.context(addon) as tctx:
        tctx.configure(addon, aigate_ack_key=KEY)
        first, again = (ai_request("chat.deepseek.com", "/v1/chat") for _ in range(2))
        addon.requestheaders(first)
        edited = tmp_path / "policy.yaml"
        edited.write_text(DEFAULT_POLICY.read_text().replace(
            "  deepseek:\n    action: block", "  deepseek:\n    action: allow", 1))
        runtime.install(load_policy(edited))
        addon.requestheaders(again)
    assert first.response is not None and first.response.status_code == 403
    assert again.response is None and again.metadata[FLOW_KEY].decision.action == "allow"


def test_a_reload_keeps_the_scanner_unless_what_it_scans_for_changed(tmp_path):
    runtime = Runtime()
    runtime.install(LOADED)
    first = runtime.scanner
    rules_only = tmp_path / "rules.yaml"
    rules_only.write_text(DEFAULT_POLICY.read_text().replace(
        "  deepseek:\n    action: block", "  deepseek:\n    action: allow", 1))
    runtime.install(load_policy(rules_only))
    assert runtime.scanner is first and runtime.policy.path == rules_only
    keywords = tmp_path / "keywords.yaml"
    keywords.write_text(DEFAULT_POLICY.read_text().replace(
        "words: [Project Falcon, Project Kestrel, Bluebird Merger]", "words: [Osprey]", 1))
    runtime.install(load_policy(keywords))
    assert runtime.scanner is not first
    assert [f.detector for f in runtime.scanner.scan("the Osprey plan")] == ["code-names"]


def test_enforce_answers_api_clients_in_json_and_people_with_a_page(runtime):
    addon = Enforce(runtime)
    with taddons.context(addon) as tctx:
        tctx.configure(addon, aigate_ack_key=KEY)
        api = ai_request("api.deepseek.com", "/v1/chat/completions")
        page = ai_request("chat.deepseek.com", accept="text/html")
        page.request.headers["sec-fetch-mode"] = "navigate"
        addon.requestheaders(api)
        addon.requestheaders(page)
    assert api.response.status_code == page.response.status_code == 403
    assert api.response.headers["content-type"].startswith("application/json")
    assert api.response.json()["error"]["type"]  # the OpenAI shape DeepSeek's API speaks
    assert page.response.headers["content-type"].startswith("text/html")


def test_enforce_fails_closed_when_no_policy_is_loaded():
    addon = Enforce(Runtime())
    with taddons.context(addon) as tctx:
        tctx.configure(addon, aigate_ack_key=KEY)
        flow = ai_request("chatgpt.com")
        addon.requestheaders(flow)
    assert flow.response is not None and flow.response.status_code == 403
    assert flow.metadata[FLOW_KEY].error_stage == "decide"


def _client_hello(sni: str, client: connection.Client | None = None) -> tls.ClientHelloData:
    """What `tls_clienthello` receives: the connection context (client, server) and the hello."""
    if client is None:
        client = connection.Client(peername=("10.0.0.5", 50000), sockname=("127.0.0.1", 8080))
    server = connection.Server(address=(sni, 443))
    context = type("Context", (), {"client": client, "server": server})
    return tls.ClientHelloData(context=context(), client_hello=type("Hello", (), {"sni": sni})())


@pytest.mark.parametrize(("sni", "ignored"), [("chatgpt.com", False), ("example.org", True)])
def test_passthrough_relays_non_ai_tls_undecrypted(runtime, sni, ignored):
    addon = Passthrough(runtime)
    data = _client_hello(sni)
    addon.tls_clienthello(data)
    assert data.ignore_connection is ignored


def test_discover_publishes_an_ai_looking_host_once_per_connection(runtime):
    seen: list[events.Event] = []
    events.subscribe(seen.append)
    try:
        addon = Discover(runtime)
        client = connection.Client(peername=("10.0.0.5", 50000), sockname=("127.0.0.1", 8080))
        for sni in ("notes-helper-probe.ai", "notes-helper-probe.ai", "example.org",
                    "chatgpt.com"):
            data = _client_hello(sni, client)
            data.ignore_connection = True
            addon.tls_clienthello(data)
    finally:
        events.unsubscribe(seen.append)
    candidates = [e for e in seen if isinstance(e, events.CandidateHost)]
    assert [(c.host, c.hint, c.client_ip) for c in candidates] == [
        ("notes-helper-probe.ai", ".ai domain", "10.0.0.5")
    ]


# --- WebSocket message verdicts: the inspecting addon leaves them, the audit addon records ------

AWS_PAIR = (
    "aws_access_key_id = AKIAQ3EGRLMNV4XKTYJW\n"
    "aws_secret_access_key = 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"
)


@pytest.fixture
def audit(tmp_path):
    """An Audit addon writing to tmp_path/a.jsonl, shut down afterwards as mitmproxy would."""
    addon = Audit()
    with taddons.context(addon) as tctx:
        tctx.configure(addon, aigate_audit_log=str(tmp_path / "a.jsonl"))
        addon.running()
        yield addon
    addon.done()


def ws_flow(service: str, host: str) -> Any:
    """An open WebSocket to an AI service the enforcing addon let through."""
    flow = tflow.twebsocketflow()
    flow.request.host = host
    flow.request.headers["host"] = host
    flow.request.path = "/ws?token=query-secret"
    flow.websocket.messages = []
    flow.metadata[FLOW_KEY] = make_state(service, request_id="ws-1")
    return flow


async def send(inspect: Inspect, audit: Audit, flow: Any, content: bytes,
               opcode: Opcode = Opcode.TEXT) -> WebSocketMessage:
    """One client message through the hooks in the proxy's order: inspect, then audit."""
    message = WebSocketMessage(opcode, True, content)
    flow.websocket.messages.append(message)
    await inspect.websocket_message(flow)
    audit.websocket_message(flow)
    return message


def ws_records(path) -> list[dict]:
    lines = (json.loads(line) for line in path.read_text().splitlines())
    return [r for r in lines if r["event"] == "websocket_message"]


async def test_only_flagged_websocket_messages_are_recorded_without_their_text(
    runtime, audit, tmp_path
):
    inspect = Inspect(runtime)
    flow = ws_flow("chatgpt", "chatgpt.com")
    clean = await send(inspect, audit, flow, b'{"text": "hello"}')
    secret = await send(inspect, audit, flow, json.dumps({"text": AWS_PAIR}).encode())
    audio = await send(inspect, audit, flow, b"\xff\xfe\x00binary audio", Opcode.BINARY)
    assert (clean.dropped, secret.dropped, audio.dropped) == (False, True, False)
    state = flow.metadata[FLOW_KEY]
    assert state.ws_messages == {"allow": 1, "block": 1, "log": 1}  # all counted
    assert state.ws_verdict is None  # taken by the audit addon
    # The blocked one only: clean and unscanned `log` (on_unscanned) messages are not recorded.
    (record,) = ws_records(tmp_path / "a.jsonl")
    assert {k: record[k] for k in ("request_id", "message", "user", "groups", "client_ip",
                                   "service", "category", "host", "path", "mode",
                                   "message_type", "outcome", "dlp_action", "dlp_rule")} == {
        "request_id": "ws-1", "message": 2, "user": "alice", "groups": ["engineering"],
        "client_ip": "10.0.0.7", "service": "chatgpt", "category": "chat",
        "host": "chatgpt.com", "path": "/ws", "mode": "enforce", "message_type": "text",
        "outcome": "dropped", "dlp_action": "block", "dlp_rule": "secrets",
    }
    assert record["message_bytes"] == len(json.dumps({"text": AWS_PAIR}).encode())
    assert {(f["detector"], f["class"]) for f in record["findings"]} >= {
        ("aws_access_key_id", "secret"), ("aws_secret_access_key", "secret")}
    text = (tmp_path / "a.jsonl").read_text()
    for value in ("AKIAQ3EGRLMNV4XKTYJW", "kP9x2Lm4Qr7Tz1Vb8Nc3Wd6Ye5Hf0Jg2Ks4Lp7Mq", "hello",
                  "binary audio", "query-secret"):
        assert value not in text


async def test_monitor_mode_records_the_websocket_verdict_it_does_not_apply(
    runtime, audit, tmp_path
):
    inspect = Inspect(runtime)
    flow = ws_flow("chatgpt", "chatgpt.com")
    flow.metadata[FLOW_KEY] = make_state("chatgpt", outcome="monitored", enforced=False)
    secret = await send(inspect, audit, flow, AWS_PAIR.encode())
    assert not secret.dropped
    (record,) = ws_records(tmp_path / "a.jsonl")
    assert (record["mode"], record["dlp_action"], record["outcome"]) == (
        "monitor", "block", "forwarded")


async def test_websocket_message_that_cannot_be_inspected_is_dropped_and_recorded(
    runtime, audit, tmp_path, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("extractor bug quoting AKIAQ3EGRLMNV4XKTYJW")

    monkeypatch.setattr("aigate.proxy.inspect.inspect_ws", broken)
    flow = ws_flow("chatgpt", "chatgpt.com")
    message = await send(Inspect(runtime), audit, flow, AWS_PAIR.encode())
    assert message.dropped  # on_error: block
    (record,) = ws_records(tmp_path / "a.jsonl")
    assert (record["error_stage"], record["dlp_action"], record["outcome"], record["findings"]) == (
        "inspect", None, "dropped", [])
    assert "AKIA" not in (tmp_path / "a.jsonl").read_text()


async def test_flagged_websocket_message_is_dropped_when_its_record_cannot_be_written(
    runtime, audit, tmp_path
):
    """audit.on_failure: block (the shipped default): a message the log cannot record does not
    leave; a clean one, which needs no record, still does."""
    inspect = Inspect(runtime)
    flow = ws_flow("m365-copilot", "copilot.cloud.microsoft")  # pii is `log` for it
    email = json.dumps({"text": "mail jane.doe@acme-corp.io"}).encode()

    def full(record):
        raise OSError(28, "No space left on device")

    audit.log.write = full
    logged = await send(inspect, audit, flow, email)
    clean = await send(inspect, audit, flow, b'{"text": "hello"}')
    assert flow.metadata[FLOW_KEY].ws_messages == {"log": 1, "allow": 1}
    assert (logged.dropped, clean.dropped) == (True, False)
    assert audit.outage is not None and audit.outage.lost == 1
