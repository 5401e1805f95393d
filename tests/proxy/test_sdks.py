"""The official OpenAI and Anthropic SDKs through the proxy: a blocked service raises
PermissionDeniedError with the policy's reason after exactly one attempt; an allowed one answers."""

from __future__ import annotations

import anthropic
import openai
import pytest
from proxyharness import OPENAI_ANSWER, wait_for


def _openai(proxy, host: str) -> openai.OpenAI:
    http_client = openai.DefaultHttpxClient(proxy=proxy.url, verify=proxy.ssl_context())
    return openai.OpenAI(base_url=f"https://{host}/v1", api_key="sk-test", http_client=http_client)


def _anthropic(proxy, host: str) -> anthropic.Anthropic:
    http_client = anthropic.DefaultHttpxClient(proxy=proxy.url, verify=proxy.ssl_context())
    return anthropic.Anthropic(base_url=f"https://{host}", api_key="sk-ant-test",
                               http_client=http_client)


def _ask_openai(proxy, host: str) -> str:
    with _openai(proxy, host) as client:
        completion = client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
        )
    return completion.choices[0].message.content


def _ask_anthropic(proxy, host: str) -> str:
    with _anthropic(proxy, host) as client:
        message = client.messages.create(
            model="claude-3-5-haiku-latest", max_tokens=16,
            messages=[{"role": "user", "content": "hi"}],
        )
    return message.content[0].text


SDKS = [
    ("openai", _ask_openai, openai.PermissionDeniedError, "api.openai.test",
     "allowed.openai.test", "The test OpenAI API is not approved for company data"),
    ("anthropic", _ask_anthropic, anthropic.PermissionDeniedError, "api.anthropic.test",
     "allowed.anthropic.test", "The test Anthropic API is not approved for company data"),
]


@pytest.mark.parametrize(("ask", "error", "blocked", "reason"),
                         [(s[1], s[2], s[3], s[5]) for s in SDKS], ids=[s[0] for s in SDKS])
def test_sdk_raises_permission_denied_with_reason_after_one_attempt(
    proxy, upstream, ask, error, blocked, reason
):
    before_flows = len(proxy.flows_for(blocked))
    before = upstream.snapshot()
    with pytest.raises(error) as raised:
        ask(proxy, blocked)
    assert raised.value.status_code == 403
    assert reason in str(raised.value)
    wait_for(lambda: len(proxy.flows_for(blocked)) > before_flows)
    assert len(proxy.flows_for(blocked)) - before_flows == 1, "the SDK retried a policy refusal"
    assert upstream.connections_since(before) == 0


@pytest.mark.parametrize(("ask", "allowed"), [(s[1], s[4]) for s in SDKS],
                         ids=[s[0] for s in SDKS])
def test_sdk_gets_the_upstream_answer_for_an_allowed_service(proxy, upstream, ask, allowed):
    before = upstream.snapshot()
    assert ask(proxy, allowed) == OPENAI_ANSWER["choices"][0]["message"]["content"]
    assert len(upstream.requests_since(before)) == 1
