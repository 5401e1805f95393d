"""The official OpenAI and Anthropic Python SDKs through the proxy, with their default retries on.

For each SDK: an allowed service answers; a warned API answers with a notice header (an API
client cannot click through an interstitial, so aigate lets it pass and says so); a blocked
service and a prompt carrying a secret both raise PermissionDeniedError with the reason (and the
kinds of data found, never the values) after exactly one attempt, counted on both sides of the
proxy; a card number on a redact rule is replaced before the upstream sees it and the SDK gets
the answer. The policy is tests/proxy/data/policy.yaml.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anthropic
import openai
import pytest
from aigate.flowstate import FLOW_KEY
from proxyharness import OPENAI_ANSWER, FakeUpstream, RunningProxy, wait_for

ANSWER = OPENAI_ANSWER["choices"][0]["message"]["content"]  # both fake answers say this
AWS_KEY_ID = "AKIAQ3EGRLMNV4XKTYJW"
CARD = "4111 1111 1111 1111"
DEFAULT_RETRIES = 2  # both SDKs: up to 3 attempts on 408/409/429/5xx unless told not to


@dataclass(frozen=True)
class Reply:
    text: str
    headers: dict[str, str]


def _ask_openai(proxy: RunningProxy, host: str, prompt: str) -> Reply:
    http_client = openai.DefaultHttpxClient(proxy=proxy.url, verify=proxy.ssl_context())
    with openai.OpenAI(
        base_url=f"https://{host}/v1", api_key="sk-test", http_client=http_client
    ) as client:
        assert client.max_retries == DEFAULT_RETRIES
        raw = client.chat.completions.with_raw_response.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}]
        )
        return Reply(raw.parse().choices[0].message.content, dict(raw.headers))


def _ask_anthropic(proxy: RunningProxy, host: str, prompt: str) -> Reply:
    http_client = anthropic.DefaultHttpxClient(proxy=proxy.url, verify=proxy.ssl_context())
    with anthropic.Anthropic(
        base_url=f"https://{host}", api_key="sk-ant-test", http_client=http_client
    ) as client:
        assert client.max_retries == DEFAULT_RETRIES
        raw = client.messages.with_raw_response.create(
            model="claude-3-5-haiku-latest", max_tokens=16,
            messages=[{"role": "user", "content": prompt}],
        )
        return Reply(raw.parse().content[0].text, dict(raw.headers))


def _openai_error(error: Exception) -> dict[str, Any]:
    """The provider-shaped error the SDK parsed: OpenAI's `error` object."""
    body = error.body  # type: ignore[attr-defined]
    assert {"message", "type", "code"} <= set(body), body
    return body


def _anthropic_error(error: Exception) -> dict[str, Any]:
    body = error.body  # type: ignore[attr-defined]
    assert body["type"] == "error", body
    return body["error"]


@dataclass(frozen=True)
class Sdk:
    name: str
    ask: Callable[[RunningProxy, str, str], Reply]
    denied: type[Exception]
    error_of: Callable[[Exception], dict[str, Any]]
    error_type: str  # the provider's type for a 403
    blocked: str  # hosts on the test policy, one per action
    allowed: str
    redacted: str  # a card number there is redacted (shipped catalog service)
    upstream_prompt: Callable[[bytes], str]


SDKS = [
    Sdk("openai", _ask_openai, openai.PermissionDeniedError, _openai_error, "permission_denied",
        "api.openai.test", "allowed.openai.test", "api.mistral.ai",
        lambda body: json.loads(body)["messages"][0]["content"]),
    Sdk("anthropic", _ask_anthropic, anthropic.PermissionDeniedError, _anthropic_error,
        "permission_error", "api.anthropic.test", "allowed.anthropic.test", "api.anthropic.com",
        lambda body: json.loads(body)["messages"][0]["content"]),
]
WARNED = "warn.api.test"  # the proxy warns per service, whatever the API shape
BLOCK_REASONS = {
    "openai": "The test OpenAI API is not approved for company data",
    "anthropic": "The test Anthropic API is not approved for company data",
}

by_sdk = pytest.mark.parametrize("sdk", SDKS, ids=[s.name for s in SDKS])


class Attempts:
    """Requests for one host seen by the proxy and by the upstream since it was made."""

    def __init__(self, proxy: RunningProxy, upstream: FakeUpstream, host: str) -> None:
        self.proxy, self.upstream, self.host = proxy, upstream, host
        self.flows = len(proxy.flows_for(host))
        self.before = upstream.snapshot()

    def at_proxy(self) -> int:
        wait_for(lambda: len(self.proxy.flows_for(self.host)) > self.flows)
        return len(self.proxy.flows_for(self.host)) - self.flows

    def upstream_bodies(self) -> list[bytes]:
        return [r.body for r in self.upstream.requests_since(self.before)]

    def upstream_connections(self) -> int:
        return self.upstream.connections_since(self.before)

    def outcome(self) -> str:
        return self.proxy.flows_for(self.host)[-1].metadata[FLOW_KEY].outcome


@by_sdk
def test_sdk_gets_the_upstream_answer_for_an_allowed_service(proxy, upstream, sdk):
    attempts = Attempts(proxy, upstream, sdk.allowed)
    reply = sdk.ask(proxy, sdk.allowed, "hello")
    assert reply.text == ANSWER
    assert "x-aigate-notice" not in reply.headers
    assert (attempts.at_proxy(), len(attempts.upstream_bodies())) == (1, 1)
    assert attempts.outcome() == "allowed"


@by_sdk
def test_sdk_on_a_warned_api_gets_the_answer_and_a_notice_header(proxy, upstream, sdk):
    attempts = Attempts(proxy, upstream, WARNED)
    reply = sdk.ask(proxy, WARNED, "hello")
    assert reply.text == ANSWER
    notice = reply.headers["x-aigate-notice"]
    assert "allowed with a warning" in notice
    assert "The warned API is not contracted" in notice
    assert (attempts.at_proxy(), len(attempts.upstream_bodies())) == (1, 1)
    assert attempts.outcome() == "allowed"


@by_sdk
def test_sdk_raises_permission_denied_with_reason_after_one_attempt(proxy, upstream, sdk):
    attempts = Attempts(proxy, upstream, sdk.blocked)
    with pytest.raises(sdk.denied) as raised:
        sdk.ask(proxy, sdk.blocked, "hello")
    assert raised.value.status_code == 403
    assert raised.value.response.headers["x-should-retry"] == "false"
    error = sdk.error_of(raised.value)
    assert error["type"] == sdk.error_type
    assert BLOCK_REASONS[sdk.name] in error["message"]
    assert attempts.at_proxy() == 1, "the SDK retried a policy refusal"
    assert attempts.upstream_connections() == 0


@by_sdk
def test_sdk_prompt_with_a_secret_raises_permission_denied_naming_the_kind(proxy, upstream, sdk):
    attempts = Attempts(proxy, upstream, sdk.allowed)
    with pytest.raises(sdk.denied) as raised:
        sdk.ask(proxy, sdk.allowed, f"why is aws_access_key_id = {AWS_KEY_ID} rejected?")
    assert raised.value.status_code == 403
    message = sdk.error_of(raised.value)["message"]
    assert "AWS access key id" in message
    assert "Credentials never leave the company" in message
    assert AWS_KEY_ID not in message and AWS_KEY_ID not in raised.value.response.text
    assert attempts.at_proxy() == 1, "the SDK retried a policy refusal"
    assert attempts.upstream_bodies() == [], "the secret reached the upstream"
    assert attempts.outcome() == "blocked"


@by_sdk
def test_sdk_prompt_with_a_card_is_redacted_before_upstream_and_answered(proxy, upstream, sdk):
    attempts = Attempts(proxy, upstream, sdk.redacted)
    reply = sdk.ask(proxy, sdk.redacted, f"my card is {CARD}, thanks")
    assert reply.text == ANSWER
    (body,) = attempts.upstream_bodies()
    assert sdk.upstream_prompt(body) == "my card is [REDACTED:credit_card], thanks"
    assert b"1111" not in body
    assert attempts.at_proxy() == 1
    assert proxy.flows_for(sdk.redacted)[-1].metadata[FLOW_KEY].inspection.action == "redact"
