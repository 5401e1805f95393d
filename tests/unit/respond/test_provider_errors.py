"""Provider-shaped errors: each parses back the way that provider's SDK reads it."""

from __future__ import annotations

import json

import anthropic
import httpx2 as httpx
import openai
import pytest
from aigate.respond.api_errors import (
    RETRYABLE_HEADERS,
    api_error,
    policy_message,
    text_error,
    unreachable_message,
)

MESSAGE = 'Blocked by policy: "quotes" and <tags> survive'


@pytest.mark.parametrize(
    ("api_format", "expected"),
    [
        (
            "openai",
            {
                "error": {
                    "message": MESSAGE,
                    "type": "permission_denied",
                    "param": None,
                    "code": "policy_blocked",
                }
            },
        ),
        ("anthropic", {"type": "error", "error": {"type": "permission_error", "message": MESSAGE}}),
        ("gemini", {"error": {"code": 403, "message": MESSAGE, "status": "PERMISSION_DENIED"}}),
        ("vertex", {"error": {"code": 403, "message": MESSAGE, "status": "PERMISSION_DENIED"}}),
        ("bedrock", {"message": MESSAGE}),
        ("cohere", {"message": MESSAGE}),
        ("huggingface", {"error": MESSAGE}),
        ("generic", {"error": {"message": MESSAGE, "code": "policy_blocked"}}),
        (None, {"error": {"message": MESSAGE, "code": "policy_blocked"}}),
        ("something-new", {"error": {"message": MESSAGE, "code": "policy_blocked"}}),
    ],
)
def test_403_in_each_provider_shape(api_format: str | None, expected: dict) -> None:
    body, headers = api_error(api_format, 403, MESSAGE, "policy_blocked")
    assert json.loads(body) == expected
    assert headers["content-type"] == "application/json"
    assert headers["x-should-retry"] == "false"


def test_bedrock_names_the_error_type_in_a_header() -> None:
    _, headers = api_error("bedrock", 403, MESSAGE, "policy_blocked")
    assert headers["x-amzn-errortype"] == "AccessDeniedException"
    _, other = api_error("openai", 403, MESSAGE, "policy_blocked")
    assert "x-amzn-errortype" not in other


@pytest.mark.parametrize(
    ("api_format", "status", "path", "value"),
    [
        ("openai", 400, ("error", "type"), "invalid_request_error"),
        ("openai", 413, ("error", "type"), "invalid_request_error"),
        ("openai", 503, ("error", "type"), "server_error"),
        ("anthropic", 413, ("error", "type"), "request_too_large"),
        ("anthropic", 503, ("error", "type"), "api_error"),
        ("gemini", 400, ("error", "status"), "INVALID_ARGUMENT"),
        ("gemini", 503, ("error", "status"), "UNAVAILABLE"),
        ("openai", 502, ("error", "type"), "server_error"),
        ("openai", 504, ("error", "type"), "server_error"),
        ("anthropic", 502, ("error", "type"), "api_error"),
        ("anthropic", 504, ("error", "type"), "timeout_error"),
        ("gemini", 502, ("error", "status"), "UNAVAILABLE"),
        ("gemini", 504, ("error", "status"), "DEADLINE_EXCEEDED"),
    ],
)
def test_error_type_follows_status(api_format: str, status: int, path: tuple, value: str) -> None:
    body, _ = api_error(api_format, status, MESSAGE, "x")
    node = json.loads(body)
    for key in path:
        node = node[key]
    assert node == value


def test_policy_message_names_aigate_policy_reason_and_request_id() -> None:
    message = policy_message(
        "DeepSeek is not approved.\n", "req-42", organisation="Acme", service="DeepSeek"
    )
    assert message == (
        "Access to DeepSeek is blocked by the Acme AI policy (aigate): DeepSeek is not approved. "
        "Request id: req-42."
    )
    assert policy_message("", "r").endswith("company AI policy (aigate). Request id: r.")


def test_text_error_is_short_plain_text() -> None:
    body, headers = text_error("Blocked by the company AI policy (aigate).")
    assert body == b"Blocked by the company AI policy (aigate).\n"
    assert headers["content-type"].startswith("text/plain")


def _sdk_transport(api_format: str, calls: list[str]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        body, headers = api_error(api_format, 403, MESSAGE, "policy_blocked")
        return httpx.Response(403, content=body, headers=headers)

    return httpx.MockTransport(handler)


def test_openai_sdk_raises_permission_denied_once_with_our_message() -> None:
    calls: list[str] = []
    client = openai.OpenAI(
        api_key="sk-test",
        base_url="https://api.openai.com/v1",
        http_client=httpx.Client(transport=_sdk_transport("openai", calls)),
    )
    with pytest.raises(openai.PermissionDeniedError) as raised:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x"}])
    assert MESSAGE in str(raised.value)
    assert raised.value.code == "policy_blocked"
    assert len(calls) == 1


def test_anthropic_sdk_raises_permission_denied_once_with_our_message() -> None:
    calls: list[str] = []
    client = anthropic.Anthropic(
        api_key="sk-ant-test",
        http_client=httpx.Client(transport=_sdk_transport("anthropic", calls)),
    )
    with pytest.raises(anthropic.PermissionDeniedError) as raised:
        client.messages.create(
            model="claude-test", max_tokens=10, messages=[{"role": "user", "content": "x"}]
        )
    assert MESSAGE in str(raised.value)
    assert len(calls) == 1


def _retryable_transport(api_format: str, status: int, calls: list[str]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        message = unreachable_message("api.example.test", "it refused the connection", "req-7")
        body, headers = api_error(api_format, status, message, "upstream_unreachable")
        headers.update({**RETRYABLE_HEADERS, "retry-after": "0.01"})
        return httpx.Response(status, content=body, headers=headers)

    return httpx.MockTransport(handler)


@pytest.mark.parametrize("status", [502, 504])
def test_sdks_retry_an_unreachable_site_and_raise_with_our_message(status: int) -> None:
    calls: list[str] = []
    client = openai.OpenAI(
        api_key="sk-test", base_url="https://api.openai.com/v1", max_retries=2,
        http_client=httpx.Client(transport=_retryable_transport("openai", status, calls)),
    )
    with pytest.raises(openai.InternalServerError) as raised:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x"}])
    assert "api.example.test did not answer" in str(raised.value)
    assert len(calls) == 3
    calls.clear()
    claude = anthropic.Anthropic(
        api_key="sk-ant-test", max_retries=2,
        http_client=httpx.Client(transport=_retryable_transport("anthropic", status, calls)),
    )
    with pytest.raises(anthropic.InternalServerError) as raised_anthropic:
        claude.messages.create(
            model="claude-test", max_tokens=10, messages=[{"role": "user", "content": "x"}]
        )
    assert "api.example.test did not answer" in str(raised_anthropic.value)
    assert len(calls) == 3


def test_unreachable_message_says_allowed_not_blocked() -> None:
    assert unreachable_message("api.x.test", "it refused the connection", "r1",
                               organisation="Acme") == (
        "This request was allowed by the Acme AI policy (aigate), but api.x.test did not "
        "answer: it refused the connection. It was not blocked; try again later. Request id: r1."
    )
    assert RETRYABLE_HEADERS == {"x-should-retry": "true", "retry-after": "2"}
