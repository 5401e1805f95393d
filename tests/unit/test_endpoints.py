"""Unlisted AI endpoints: model API path and body shapes, and how the policy decides them."""

from __future__ import annotations

import gzip
import json

import pytest
from aigate.decide import RequestFacts, decide
from aigate.endpoints import (
    PARSE_LIMIT,
    SHAPES,
    SHAPES_BY_ID,
    UNLISTED_ID,
    confirm_body,
    match_path,
    name_hint,
    unlisted_service,
)
from aigate.flowstate import FlowState
from aigate.identify import Identity
from aigate.policy import DEFAULT_POLICY, PolicyError, load_policy, load_policy_text
from aigate.record.audit import decision_record


def body(**keys: object) -> bytes:
    return json.dumps(keys).encode()


CHAT = [{"role": "user", "content": "hi"}]

# shape id -> (paths that name it, a body that proves it, bodies that do not)
SHAPE_CASES: dict[str, tuple[list[str], bytes, list[bytes]]] = {
    "openai-chat": (
        ["/v1/chat/completions", "/openai/v1/chat/completions", "/litellm/v1/chat/completions",
         "/api/v1/chat/completions", "/chat/completions", "/v1/chat/completions/",
         "/v1/chat/completions?stream=true", "/v1//chat/completions", "/v1/chat/%63ompletions"],
        body(model="llama3", messages=CHAT),
        [body(model="llama3"), body(messages=CHAT), body(model="m", messages="hi"),
         body(model=3, messages=CHAT), body(model="m", messages=[]),
         body(query="shoes", page=2)],
    ),
    "openai-completions": (
        ["/v1/completions", "/openai/v1/completions", "/completions"],
        body(model="gpt-3.5-turbo-instruct", prompt="Say hi"),
        [body(prompt="Say hi"), body(model="m", prompt=7), body(model="m", text="hi")],
    ),
    "openai-embeddings": (
        ["/v1/embeddings", "/litellm/embeddings"],
        body(model="text-embedding-3-small", input=["a", "b"]),
        [body(input="a"), body(model="m", input=None)],
    ),
    "openai-responses": (
        ["/v1/responses", "/openai/v1/responses"],
        body(model="gpt-4.1", input="Write a haiku"),
        [body(model="gpt-4.1"), body(id="resp_1", status="done")],
    ),
    "anthropic-messages": (
        ["/v1/messages", "/anthropic/v1/messages"],
        body(model="claude-sonnet", max_tokens=100, messages=CHAT),
        [body(messages=CHAT), body(model="m", messages={"role": "user"}),
         body(to="bob", text="hello")],
    ),
    "gemini-generate": (
        ["/v1beta/models/gemini-2.0-flash:generateContent",
         "/v1beta/models/gemini-pro:streamGenerateContent?alt=sse",
         "/v1/projects/p/locations/us/publishers/google/models/gemini:generateContent"],
        body(contents=[{"parts": [{"text": "hi"}]}]),
        [body(contents="hi"), body(prompt="hi")],
    ),
    "ollama-generate": (
        ["/api/generate", "/ollama/api/generate"],
        body(model="llama3", prompt="Why is the sky blue?"),
        [body(prompt="Why is the sky blue?"), body(model="llama3", name="x")],
    ),
    "ollama-chat": (
        ["/api/chat"],
        body(model="llama3", messages=CHAT),
        [body(messages=CHAT, room="general"), body(model="llama3")],
    ),
    "tgi-generate": (
        ["/generate", "/generate_stream", "/tgi/generate"],
        body(inputs="What is AI?", parameters={"max_new_tokens": 20}),
        [body(parameters={"max_new_tokens": 20}), body(inputs=5), body(report="weekly")],
    ),
    "llamacpp-completion": (
        ["/completion"],
        body(prompt="Building a website can be done in", n_predict=128),
        [body(n_predict=128), body(prompt="")],
    ),
}

POSITIVE_PATHS = [(p, sid) for sid, (paths, _, _) in SHAPE_CASES.items() for p in paths]
NEGATIVE_PATHS = [
    "/", "/index.html", "/static/app.js", "/chat", "/v1/chat", "/v1/models", "/api/tags",
    "/completions.js", "/v1/chat/completionsx", "/api/chatroom", "/messages/inbox",
    "/generated", "/v1/files", "/a:b", "/v1/chat/completions/extra",
]


def test_every_shape_has_its_cases():
    assert set(SHAPE_CASES) == {shape.id for shape in SHAPES}


@pytest.mark.parametrize(("path", "shape_id"), POSITIVE_PATHS)
def test_a_model_api_path_names_its_family(path, shape_id):
    shape = match_path(path)
    assert shape is not None and shape.id == shape_id


@pytest.mark.parametrize("path", NEGATIVE_PATHS)
def test_other_paths_are_not_candidates(path):
    assert match_path(path) is None


@pytest.mark.parametrize("shape_id", sorted(SHAPE_CASES))
def test_a_body_with_the_familys_keys_confirms_it(shape_id):
    assert confirm_body(SHAPES_BY_ID[shape_id], SHAPE_CASES[shape_id][1])


NEGATIVE_BODIES = [(sid, b) for sid, (_, _, bodies) in SHAPE_CASES.items() for b in bodies]


@pytest.mark.parametrize(("shape_id", "payload"), NEGATIVE_BODIES)
def test_a_body_without_the_familys_keys_is_not_ai(shape_id, payload):
    assert not confirm_body(SHAPES_BY_ID[shape_id], payload)


@pytest.mark.parametrize(
    "payload",
    [b"", b"not json", b"[1, 2]", b'{"model": "m", "messages": ', b"model=m&messages=hi",
     b"--boundary\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm\r\n"],
    ids=["empty", "text", "array", "truncated", "form", "multipart"],
)
def test_non_json_object_bodies_are_not_ai(payload):
    assert not confirm_body(SHAPES_BY_ID["openai-chat"], payload)


def test_a_json_body_on_a_chat_completions_path_needs_messages_to_be_ai():
    shape = match_path("/v1/chat/completions")
    assert shape is not None
    assert not confirm_body(shape, body(model="crm-v2", customer=17, notes="call back"))


def test_a_gzip_body_is_decoded_before_it_is_read():
    shape = SHAPES_BY_ID["openai-chat"]
    packed = gzip.compress(body(model="m", messages=CHAT))
    assert confirm_body(shape, packed, "gzip")
    assert not confirm_body(shape, packed)  # still compressed: not JSON
    assert not confirm_body(shape, b"\x1f\x8bgarbage", "gzip")


def test_a_body_over_the_parse_limit_is_confirmed_by_its_key_names():
    shape = SHAPES_BY_ID["openai-chat"]
    big = {"messages": [{"role": "user", "content": "x" * PARSE_LIMIT}], "model": "m"}
    assert confirm_body(shape, json.dumps(big).encode())
    del big["model"]
    assert not confirm_body(shape, json.dumps(big).encode())


@pytest.mark.parametrize(
    ("host", "hinted"),
    [("llm.corp.example", True), ("ollama", True), ("gpu-vllm02.lab.example", True),
     ("litellm.internal", True), ("inference-api.corp.example", True),
     ("llms.example.org", True), ("example.org", False), ("myllm.example.org", False),
     ("llmx.example.org", False), ("shallmark.example", False), ("10.0.0.5", False)],
)
def test_name_hints_match_whole_words_of_a_label(host, hinted):
    assert name_hint(host) is hinted


# --- the policy -------------------------------------------------------------------------------

BASE = """
organisation: Acme
version: "1"
contact: {name: IT}
document: {purpose: p, scope: s}
groups:
  engineering: {users: [alice]}
default: {action: allow, reason: fine}
"""


def facts(user: str | None = None, groups: frozenset[str] = frozenset()) -> RequestFacts:
    return RequestFacts("10.0.0.5", "/v1/chat/completions", "POST", user, groups)


def test_the_default_policy_warns_on_unlisted_endpoints_and_asks_for_a_review():
    loaded = load_policy(DEFAULT_POLICY)
    decision = decide(loaded, facts(), unlisted_service(SHAPES_BY_ID["openai-chat"]))
    assert (decision.action, decision.rule) == ("warn", f"services.{UNLISTED_ID}")
    assert "review" in decision.reason
    assert decision.category == "unlisted"
    assert decision.service is not None and decision.service.api_format == "openai"


@pytest.mark.parametrize(
    ("extra", "user", "expected"),
    [
        ("", None, ("allow", "default")),
        (f"services: {{{UNLISTED_ID}: {{action: block, reason: not reviewed}}}}", None,
         ("block", f"services.{UNLISTED_ID}")),
        ("categories: {unlisted: {action: warn, reason: review}}", None,
         ("warn", "categories.unlisted")),
        (f"services: {{{UNLISTED_ID}: {{action: block, reason: not reviewed}}}}\n"
         "exceptions: [{id: eng, groups: [engineering], categories: [unlisted], action: allow, "
         "reason: own servers}]", "alice", ("allow", "exceptions.eng")),
    ],
    ids=["default", "service-rule", "category-rule", "group-exception"],
)
def test_unlisted_endpoints_follow_the_policy_precedence(extra, user, expected):
    loaded = load_policy_text(BASE + extra)
    groups = loaded.groups_for(user, None)
    decision = decide(loaded, facts(user, groups), unlisted_service(SHAPES_BY_ID["ollama-chat"]))
    assert (decision.action, decision.rule) == expected


def test_the_pseudo_service_is_in_every_policys_catalog_but_matches_no_host():
    loaded = load_policy_text(BASE)
    assert loaded.catalog.get(UNLISTED_ID) is not None
    assert loaded.classifier.classify("10.0.0.5", "/v1/chat/completions") is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [("inspect_networks: [10.0.0.0/33]", "invalid network '10.0.0.0/33'"),
     ("unlisted_endpoints: {detect: yes-please}", "detect"),
     ("unlisted_endpoints: {name_hint: true}", "did you mean 'name_hints'")],
)
def test_bad_unlisted_settings_are_reported_with_a_fix(extra, message):
    with pytest.raises(PolicyError) as caught:
        load_policy_text(BASE + extra)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("extra", "host", "intercepted"),
    [
        ("", "10.1.2.3", False),
        ("inspect_networks: [10.0.0.0/8]", "10.1.2.3", True),
        ("inspect_networks: [10.0.0.0/8]", "192.168.1.1", False),
        ("inspect_networks: [10.0.0.0/8]", "::ffff:10.1.2.3", True),
        ("inspect_networks: ['fd00::/8']", "fd12::1", True),
        ("inspect_networks: [10.0.0.0/8]", "ten.example.org", False),
        ("", "llm.corp.example", False),
        ("unlisted_endpoints: {name_hints: true}", "llm.corp.example", True),
        ("unlisted_endpoints: {name_hints: true, detect: false}", "llm.corp.example", False),
        ("unlisted_endpoints: {name_hints: true}", "example.org", False),
    ],
)
def test_networks_and_name_hints_decide_which_https_is_decrypted(extra, host, intercepted):
    assert load_policy_text(BASE + extra).intercepts(host) is intercepted


def test_the_audit_record_marks_an_unlisted_endpoint_with_its_shape():
    loaded = load_policy(DEFAULT_POLICY)
    decision = decide(loaded, facts(), unlisted_service(SHAPES_BY_ID["ollama-chat"]))
    state = FlowState("abc", Identity(None, frozenset(), "10.9.9.9"), decision, "1", "h",
                      outcome="allowed", endpoint="ollama-chat")
    record = decision_record(state, host="10.0.0.5:11434", method="POST", path="/api/chat",
                             status=200, time=0.0)
    assert record["unlisted"] is True and record["endpoint"] == "ollama-chat"
    assert (record["service"], record["category"]) == (UNLISTED_ID, "unlisted")
    assert record["host"] == "10.0.0.5:11434"
    state.endpoint = None
    assert "unlisted" not in decision_record(state, host="x", method="GET", path="/",
                                             status=200, time=0.0)


@pytest.mark.parametrize(
    ("extra", "moved"),
    [("", ["warn -> allow"]),
     (f"services: {{{UNLISTED_ID}: {{action: warn, reason: review}}}}", []),
     ("unlisted_endpoints: {detect: false}", ["warn -> passthrough"])],
    ids=["default-allows", "same-rule", "detection-off"],
)
def test_replay_decides_a_recorded_unlisted_endpoint_as_the_pseudo_service_again(extra, moved):
    from aigate.whatif.replay import Replay

    loaded = load_policy(DEFAULT_POLICY)
    decision = decide(loaded, facts(), unlisted_service(SHAPES_BY_ID["openai-chat"]))
    state = FlowState("abc", Identity(None, frozenset(), "10.9.9.9"), decision, "1", "h",
                      outcome="allowed", endpoint="openai-chat")
    record = decision_record(state, host="10.0.0.5", method="POST",
                             path="/v1/chat/completions", status=200, time=0.0)
    replay = Replay(load_policy_text(BASE + extra))
    replay.add(record)
    assert [f"{m.old} -> {m.new}" for m in replay.summary().moves] == moved


def test_the_usage_report_lists_a_proxy_record_under_unlisted_endpoints_by_host():
    from aigate.report.aggregate import Aggregator
    from aigate.report.counters import Filters

    loaded = load_policy_text(BASE)  # names no rule for the pseudo-service
    decision = decide(loaded, facts(), unlisted_service(SHAPES_BY_ID["ollama-chat"]))
    state = FlowState("abc", Identity("alice", frozenset(), "10.9.9.9"), decision, "1", "h",
                      outcome="allowed", endpoint="ollama-chat")
    aggregator = Aggregator(Filters())
    aggregator.add(decision_record(state, host="gpu7.lab.example:11434", method="POST",
                                   path="/api/chat", status=200, time=1.8e9))
    tables = aggregator.report(loaded).tables
    assert [row[0] for row in tables["unlisted"].rows] == ["gpu7.lab.example:11434"]
    assert tables["shadow"].rows == []
