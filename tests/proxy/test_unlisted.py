"""Unlisted AI endpoints through a real proxy: a model API on a host outside the catalog is
recognised from its path and body, decided by the policy as `unlisted-ai-endpoint`, recorded in
the audit log and inspected; other requests to the same host pass untouched and unrecorded.

Plain HTTP (port 80) reaches the fake upstream's plain twin; HTTPS is decrypted only for hosts in
`inspect_hosts` (example.org) or, for IP literals, `inspect_networks` (127.0.0.0/8).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openai
import pytest
from aigate.endpoints import UNLISTED_ID
from aigate.flowstate import FLOW_KEY
from aigate.policy import load_policy
from aigate.proxy.answer import NOTICE_HEADER
from aigate.proxy.passthrough import intercept_pattern
from aigate.record import metrics
from proxyharness import OPENAI_ANSWER, TEST_POLICY, make_client, wait_for, write_test_policy

HOST = "models.corp.test"  # not in any catalog: an internal OpenAI-compatible server
CHAT = {"model": "llama3", "messages": [{"role": "user", "content": "hello"}]}
CARD = "4111 1111 1111 1111"


def policy_with(directory: Path, action: str) -> Path:
    """The proxy tests' policy with a rule for unlisted endpoints and the HTTPS lists."""
    text = TEST_POLICY.read_text()
    rule = (f"  {UNLISTED_ID}:\n    action: {action}\n"
            "    reason: Unreviewed model server; request a review.\n")
    text = text.replace("\nservices:\n", "\nservices:\n" + rule, 1)
    text = text.replace(
        "\ndefault:\n",
        "\ninspect_hosts: [example.org]\ninspect_networks: [127.0.0.0/8]\ndefault:\n",
        1,
    )
    return write_test_policy(directory, text)


@pytest.fixture(scope="module")
def audit_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("unlisted-audit") / "audit.jsonl"


@pytest.fixture(scope="module")
def warn_proxy(launch, tmp_path_factory, audit_log):
    policy = policy_with(tmp_path_factory.mktemp("unlisted-warn"), "warn")
    with launch(policy, aigate_audit_log=str(audit_log)) as running:
        yield running


@pytest.fixture
def client(warn_proxy):
    with make_client(warn_proxy) as c:
        yield c


def records(audit_log: Path, request_id: str) -> list[dict]:
    if not audit_log.exists():
        return []
    lines = [json.loads(line) for line in audit_log.read_text().splitlines() if line]
    return [r for r in lines if r.get("request_id") == request_id]


def last_flow(proxy, host: str):
    wait_for(lambda: bool(proxy.flows_for(host)))
    return proxy.flows_for(host)[-1]


def test_plain_http_model_call_to_an_unlisted_host_is_warned_forwarded_and_recorded(
    warn_proxy, client, upstream, audit_log
):
    # mitmproxy's allow_hosts (set to the intercepted hosts) does not hold back plain HTTP.
    assert not re.search(warn_proxy.master.options.allow_hosts[0], f"{HOST}:80")
    before = upstream.snapshot()
    reply = client.post(f"http://{HOST}/v1/chat/completions", json=CHAT)
    assert reply.status_code == 200
    assert reply.json() == OPENAI_ANSWER
    assert "request a review" in reply.headers[NOTICE_HEADER]
    assert [r.path for r in upstream.requests_since(before)] == ["/v1/chat/completions"]
    state = last_flow(warn_proxy, HOST).metadata[FLOW_KEY]
    assert (state.decision.service.id, state.endpoint, state.outcome) == (
        UNLISTED_ID, "openai-chat", "allowed")
    wait_for(lambda: bool(records(audit_log, state.request_id)))
    (record,) = records(audit_log, state.request_id)
    assert record["unlisted"] is True and record["endpoint"] == "openai-chat"
    assert (record["host"], record["service"], record["category"]) == (
        HOST, UNLISTED_ID, "unlisted")
    assert (record["action"], record["rule"]) == ("warn", f"services.{UNLISTED_ID}")
    counted = [
        sample.labels for metric in metrics.REGISTRY.collect() for sample in metric.samples
        if sample.name == "aigate_requests_total" and sample.labels["service"] == UNLISTED_ID
    ]
    assert counted and {labels["category"] for labels in counted} == {"unlisted"}
    assert not any(HOST in str(m.samples) for m in metrics.REGISTRY.collect())


def test_the_openai_sdk_against_an_unlisted_server_gets_its_answer(warn_proxy, upstream):
    http_client = openai.DefaultHttpxClient(proxy=warn_proxy.url)
    with openai.OpenAI(base_url=f"http://{HOST}/v1", api_key="local",
                       http_client=http_client) as sdk:
        completion = sdk.chat.completions.create(**CHAT)
    assert completion.choices[0].message.content == "fake upstream says hi"
    assert last_flow(warn_proxy, HOST).metadata[FLOW_KEY].endpoint == "openai-chat"


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [("POST", "/v1/chat/completions", {"model": "crm", "customer": 17}),
     ("GET", "/v1/chat/completions", None),
     ("POST", "/orders", CHAT),
     ("GET", "/index.html", None)],
    ids=["chat-path-other-json", "chat-path-no-body", "other-path-model-json", "page"],
)
def test_other_requests_to_the_same_host_pass_untouched_and_unrecorded(
    warn_proxy, client, upstream, audit_log, method, path, payload
):
    before = upstream.snapshot()
    reply = client.request(method, f"http://{HOST}{path}", json=payload)
    assert reply.status_code == 200
    assert NOTICE_HEADER not in reply.headers
    (seen,) = upstream.requests_since(before)
    assert seen.path == path
    if payload is not None:
        assert json.loads(seen.body) == payload
    flow = last_flow(warn_proxy, HOST)
    assert flow.request.path == path and FLOW_KEY not in flow.metadata


def test_a_card_number_sent_to_an_unlisted_endpoint_is_inspected_and_blocked(
    warn_proxy, client, upstream
):
    before = upstream.snapshot()
    prompt = {**CHAT, "messages": [{"role": "user", "content": f"card {CARD}"}]}
    reply = client.post(f"http://{HOST}/v1/chat/completions", json=prompt)
    assert reply.status_code == 403
    assert reply.json()["error"]["code"] == "sensitive_data_blocked"
    assert upstream.requests_since(before) == []
    state = last_flow(warn_proxy, HOST).metadata[FLOW_KEY]
    assert state.endpoint == "openai-chat" and state.inspection.findings


def test_https_to_a_host_in_inspect_hosts_is_decrypted_and_recognised(warn_proxy, client):
    payload = {"model": "claude", "max_tokens": 8, "messages": CHAT["messages"]}
    reply = client.post("https://example.org/v1/messages", json=payload)
    assert reply.status_code == 200
    assert NOTICE_HEADER in reply.headers
    assert last_flow(warn_proxy, "example.org").metadata[FLOW_KEY].endpoint == (
        "anthropic-messages")


def test_https_to_an_address_in_inspect_networks_is_decrypted_and_recognised(
    warn_proxy, client
):
    reply = client.post("https://127.0.0.1/api/generate", json={"model": "llama3",
                                                                "prompt": "hi"})
    assert reply.status_code == 200
    assert NOTICE_HEADER in reply.headers
    assert last_flow(warn_proxy, "127.0.0.1").metadata[FLOW_KEY].endpoint == "ollama-generate"


def test_block_policy_answers_an_api_client_with_an_openai_error_and_never_dials(
    launch, tmp_path, upstream
):
    with launch(policy_with(tmp_path, "block")) as proxy, make_client(proxy) as client:
        before = upstream.snapshot()
        reply = client.post(f"http://{HOST}/v1/chat/completions", json=CHAT)
        untouched = client.get(f"http://{HOST}/health")
    assert reply.status_code == 403
    error = reply.json()["error"]
    assert error["code"] == "policy_blocked"
    assert "AI model APIs not in the catalog" in error["message"]
    assert "request a review" in error["message"]
    assert [r.path for r in upstream.requests_since(before)] == ["/health"]
    assert untouched.status_code == 200


def test_the_allow_hosts_pattern_lets_inspected_networks_and_name_hints_reach_tls_hooks(
    tmp_path,
):
    path = policy_with(tmp_path, "warn")
    path.write_text(path.read_text().replace(
        "inspect_networks: [127.0.0.0/8]",
        "inspect_networks: [127.0.0.0/8, 10.64.0.0/10]\nunlisted_endpoints: {name_hints: true}",
    ))
    pattern = re.compile(intercept_pattern(load_policy(path)), re.IGNORECASE)
    for address in ("127.0.0.1:443", "10.64.1.2:8443", "10.127.255.255:443",
                    "llm.corp.example:443", "gpu-vllm2.lab:443", "example.org:443"):
        assert pattern.search(address), address
    for address in ("10.128.0.1:443", "11.64.0.1:443", "myllm.example.com:443",
                    "www.example.org:443"):
        assert not pattern.search(address), address

