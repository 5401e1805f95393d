"""The enforcing and discovering addons in isolation, with mitmproxy's own test helpers
(`taddons`, `tflow`): fast checks of each hook beside the real-proxy tests in tests/proxy/."""

from __future__ import annotations

from typing import Any

import pytest
from aigate.flowstate import FLOW_KEY
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.proxy.discover import Discover
from aigate.proxy.enforce import Enforce
from aigate.proxy.passthrough import Passthrough
from aigate.proxy.runtime import Runtime
from aigate.record import events
from mitmproxy import connection, tls
from mitmproxy.test import taddons, tflow

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
