"""`aigate explain` for a host outside the catalog whose path names a model API call: the report
says what `aigate.proxy.unlisted` would do (the `unlisted-ai-endpoint` decision once the JSON body
confirms the call) and whether the proxy sees the request at all (plain HTTP always, HTTPS only
to hosts it decrypts). Uses the shipped default policy, which warns on unlisted endpoints."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from aigate.cli import main
from aigate.policy import DEFAULT_POLICY

UNLISTED = "unlisted-ai-endpoint"
CHAT = json.dumps({"model": "llama3", "messages": [{"role": "user", "content": "hi"}]}).encode()
OLLAMA = json.dumps({"model": "llama3", "prompt": "hi"}).encode()
GEMINI = json.dumps({"contents": [{"parts": [{"text": "hi"}]}]}).encode()
NOT_A_CALL = json.dumps({"query": "release notes"}).encode()
UNSEEN = "HTTPS to a host aigate does not decrypt: passed through undecrypted"


def policy_with(tmp_path: Path, extra: str) -> str:
    """The default policy with its unlisted-endpoint settings replaced by `extra`."""
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    start = text.index("inspect_networks: []")
    end = text.index("\ndefault:")
    path = tmp_path / "policy.yaml"
    path.write_text(text[:start] + extra + text[end:], encoding="utf-8")
    return str(path)


def explain(capsys, tmp_path: Path, url: str, body: bytes | None, *extra: str) -> dict:
    argv = ["explain", url, "--json", *extra]
    if body is not None:
        (tmp_path / "body").write_bytes(body)
        argv += ["--body", str(tmp_path / "body")]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize(
    ("url", "body", "endpoint", "state"),
    [
        ("http://gpu01.corp:8000/v1/chat/completions", CHAT, "openai-chat", "confirmed"),
        ("http://gpu01.corp:11434/api/generate", OLLAMA, "ollama-generate", "confirmed"),
        ("http://gpu01.corp/v1beta/models/g:generateContent", GEMINI, "gemini-generate",
         "confirmed"),
        ("http://gpu01.corp/litellm/v1/chat/completions", CHAT, "openai-chat", "confirmed"),
        ("http://gpu01.corp:8000/v1/chat/completions", None, "openai-chat", "not given"),
    ],
)
def test_plain_http_model_call_is_decided_as_the_unlisted_endpoint(
    capsys, tmp_path, url, body, endpoint, state
):
    report = explain(capsys, tmp_path, url, body)
    assert (report["service"], report["action"], report["rule"]) == (
        UNLISTED, "warn", f"services.{UNLISTED}"
    )
    assert report["matched_by"] == {"kind": "endpoint", "pattern": endpoint}
    assert report["trace"][-1] == f"services.{UNLISTED}: warn"
    unlisted = report["unlisted"]
    assert (unlisted["endpoint"], unlisted["body"], unlisted["visible"]) == (endpoint, state, True)
    assert unlisted["decision"]["action"] == "warn"
    assert report.get("inspected", body is None) is True  # a confirmed body is scanned


def test_without_a_body_the_report_says_the_body_decides(capsys, tmp_path):
    report = explain(capsys, tmp_path, "http://gpu01.corp/v1/chat/completions", None)
    assert "once the JSON body has messages and model" in report["unlisted"]["note"]


def test_a_body_that_is_not_a_model_call_is_forwarded_undecided(capsys, tmp_path):
    report = explain(capsys, tmp_path, "http://gpu01.corp/v1/chat/completions", NOT_A_CALL)
    assert (report["service"], report["action"], report["rule"]) == (None, "passthrough", "catalog")
    assert report["unlisted"]["body"] == "not confirmed"
    assert report["unlisted"]["decision"] is None
    assert report["inspected"] is False


def test_an_encoded_body_is_decoded_before_it_confirms(capsys, tmp_path):
    report = explain(
        capsys, tmp_path, "http://gpu01.corp/v1/chat/completions", gzip.compress(CHAT),
        "--header", "Content-Encoding: gzip",
    )
    assert (report["service"], report["unlisted"]["body"]) == (UNLISTED, "confirmed")


@pytest.mark.parametrize("body", [CHAT, None])
def test_https_to_a_host_aigate_does_not_decrypt_passes_unseen(capsys, tmp_path, body):
    report = explain(capsys, tmp_path, "https://gpu01.corp/v1/chat/completions", body)
    assert (report["service"], report["action"]) == (None, "passthrough")
    unlisted = report["unlisted"]
    assert unlisted["visible"] is False
    assert unlisted["visibility"].startswith(UNSEEN)
    assert unlisted["decision"]["action"] == "warn"  # what it would get if aigate decrypted it
    if body is not None:
        assert report["not_inspected"].startswith(UNSEEN)


@pytest.mark.parametrize(
    ("settings", "url"),
    [
        ("inspect_hosts: [gpu01.corp]\n", "https://gpu01.corp/v1/chat/completions"),
        ("inspect_hosts: ['*.ml.corp']\n", "https://a.ml.corp/v1/chat/completions"),
        ("inspect_networks: [10.0.0.0/8]\n", "https://10.1.2.3:8000/v1/chat/completions"),
        ("unlisted_endpoints: {name_hints: true}\n", "https://llm.corp/v1/chat/completions"),
    ],
)
def test_https_is_seen_when_the_policy_decrypts_the_host(capsys, tmp_path, settings, url):
    report = explain(capsys, tmp_path, url, CHAT, "--policy", policy_with(tmp_path, settings))
    assert (report["service"], report["action"]) == (UNLISTED, "warn")
    assert report["unlisted"]["visible"] is True
    assert report["inspected"] is True


@pytest.mark.parametrize(
    ("settings", "url"),
    [
        ("inspect_networks: [10.0.0.0/8]\n", "https://11.1.2.3/v1/chat/completions"),
        ("inspect_networks: [10.0.0.0/8]\n", "https://ten.corp/v1/chat/completions"),  # no DNS
        ("unlisted_endpoints: {name_hints: false}\n", "https://llm.corp/v1/chat/completions"),
        ("unlisted_endpoints: {detect: false, name_hints: true}\n",
         "https://llm.corp/v1/chat/completions"),
    ],
)
def test_https_outside_the_decrypted_hosts_is_unseen(capsys, tmp_path, settings, url):
    report = explain(capsys, tmp_path, url, CHAT, "--policy", policy_with(tmp_path, settings))
    assert report["action"] == "passthrough"
    assert report["unlisted"] is None or report["unlisted"]["visible"] is False


@pytest.mark.parametrize(
    "url",
    [
        "https://api.openai.com/v1/chat/completions",  # in the catalog: decided as its service
        "http://gpu01.corp/v1/models",  # not a model call
        "http://gpu01.corp/",
    ],
)
def test_only_model_calls_outside_the_catalog_get_the_unlisted_check(capsys, tmp_path, url):
    assert explain(capsys, tmp_path, url, CHAT)["unlisted"] is None


def test_detect_false_turns_the_check_off(capsys, tmp_path):
    policy = policy_with(tmp_path, "unlisted_endpoints: {detect: false}\n")
    report = explain(
        capsys, tmp_path, "http://gpu01.corp/v1/chat/completions", CHAT, "--policy", policy
    )
    assert (report["service"], report["action"], report["unlisted"]) == (None, "passthrough", None)


def test_text_output_names_the_shape_visibility_and_the_decision_if_seen(capsys):
    assert main(["explain", "https://gpu01.corp/api/chat"]) == 0
    out = capsys.readouterr().out
    assert "  unlisted: the path names a model API call (ollama-chat)" in out
    assert f"  seen:     {UNSEEN}" in out
    assert f"  if seen:  warn (rule services.{UNLISTED})" in out
    assert main(["explain", "http://gpu01.corp/api/chat"]) == 0
    out = capsys.readouterr().out
    assert "matched endpoint ollama-chat" in out
    assert "  seen:     plain HTTP" in out
    assert "if seen" not in out
