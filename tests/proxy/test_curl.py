"""curl (the command-line client, Debian's `curl`) through the proxy, trusting only its CA.

curl is what people script with and what support desks ask for: each policy action must read
right to it. Every call passes `--retry 3`, so a refusal curl would retry shows up as more than
one request at the proxy. The policy is tests/proxy/data/policy.yaml.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from aigate.flowstate import FLOW_KEY
from components import require_command
from proxyharness import OPENAI_ANSWER, RunningProxy, wait_for

ANSWER = OPENAI_ANSWER["choices"][0]["message"]["content"]
AWS_KEY_ID = "AKIAQ3EGRLMNV4XKTYJW"
CARD = "4111 1111 1111 1111"


@dataclass(frozen=True)
class CurlReply:
    status: int
    headers: dict[str, str]  # of the last response (after redirects), names lowercased
    body: str


@pytest.fixture(scope="module")
def curl_path() -> str:
    return require_command("curl", "curl")


def run_curl(curl_path: str, proxy: RunningProxy, url: str, *args: str, workdir: Path) -> CurlReply:
    """One curl call through `proxy`, with its CA as the only trust anchor."""
    head, body = workdir / "head.txt", workdir / "body.txt"
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy")}
    result = subprocess.run(
        [curl_path, "-sS", "--retry", "3", "-x", proxy.url, "--cacert", str(proxy.ca_path),
         "-D", str(head), "-o", str(body), "-w", "%{http_code}", *args, url],
        capture_output=True, text=True, timeout=30, env=env,
    )
    assert result.returncode == 0, result.stderr
    blocks = [b for b in head.read_text().split("\r\n\r\n") if b.strip()]
    headers = {}
    for line in blocks[-1].splitlines()[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return CurlReply(int(result.stdout), headers, body.read_text())


def chat(prompt: str) -> str:
    return json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]})


def post_json(body: str) -> tuple[str, ...]:
    return ("-H", "content-type: application/json", "--data-binary", body)


@pytest.fixture
def curl(curl_path, proxy, tmp_path):
    def call(url: str, *args: str) -> CurlReply:
        return run_curl(curl_path, proxy, url, *args, workdir=tmp_path)

    return call


def flows_after(proxy: RunningProxy, host: str, before: int) -> list:
    wait_for(lambda: len(proxy.flows_for(host)) > before)
    return proxy.flows_for(host)[before:]


API_CASES = [
    # (id, url, prompt, status, what the reply says, outcome, upstream requests)
    ("allowed", "https://allowed.openai.test/v1/chat/completions", "hi", 200, ANSWER,
     "allowed", 1),
    ("warned", "https://warn.api.test/v1/chat/completions", "hi", 200, ANSWER, "allowed", 1),
    ("blocked", "https://api.openai.test/v1/chat/completions", "hi", 403,
     "The test OpenAI API is not approved for company data", "blocked", 0),
    ("secret-blocked", "https://allowed.openai.test/v1/chat/completions",
     f"aws_access_key_id = {AWS_KEY_ID}", 403, "AWS access key id", "blocked", 0),
    ("card-redacted", "https://api.mistral.ai/v1/chat/completions", f"card {CARD}", 200, ANSWER,
     "allowed", 1),
]


@pytest.mark.parametrize(
    ("url", "prompt", "status", "says", "outcome", "forwarded"),
    [c[1:] for c in API_CASES], ids=[c[0] for c in API_CASES],
)
def test_curl_api_call_gets_the_policy_answer_in_one_attempt(
    curl, proxy, upstream, url, prompt, status, says, outcome, forwarded
):
    host = url.split("/")[2]
    before, seen = len(proxy.flows_for(host)), upstream.snapshot()
    reply = curl(url, *post_json(chat(prompt)))
    assert reply.status == status
    assert reply.headers["content-type"].startswith("application/json")
    if status == 200:
        assert json.loads(reply.body)["choices"][0]["message"]["content"] == says
    else:
        error = json.loads(reply.body)["error"]  # OpenAI's error shape
        assert says in error["message"] and error["type"] == "permission_denied"
        assert reply.headers["x-should-retry"] == "false"
    assert AWS_KEY_ID not in reply.body
    flows = flows_after(proxy, host, before)
    assert len(flows) == 1, "curl retried"
    assert flows[0].metadata[FLOW_KEY].outcome == outcome
    sent = upstream.requests_since(seen)
    assert len(sent) == forwarded
    assert not any(AWS_KEY_ID.encode() in r.body or b"1111 1111" in r.body for r in sent)


def test_curl_on_a_warned_api_sees_the_notice_header(curl):
    reply = curl("https://warn.api.test/v1/chat/completions", *post_json(chat("hi")))
    assert "The warned API is not contracted" in reply.headers["x-aigate-notice"]


def test_curl_redacted_prompt_reaches_upstream_without_the_card(curl, upstream):
    seen = upstream.snapshot()
    curl("https://api.mistral.ai/v1/chat/completions", *post_json(chat(f"card {CARD}")))
    (sent,) = upstream.requests_since(seen)
    assert json.loads(sent.body)["messages"][0]["content"] == "card [REDACTED:credit_card]"


def test_curl_of_a_blocked_web_app_gets_the_block_page(curl, upstream):
    seen = upstream.snapshot()
    reply = curl("https://chat.blocked.test/")
    assert reply.status == 403
    assert reply.headers["content-type"].startswith("text/html")
    assert "<h1>Test Chat (Chatco) is blocked</h1>" in reply.body
    assert "Test Approved Assistant" in reply.body and "it@corp.test" in reply.body
    assert "<script>" not in reply.body
    assert upstream.connections_since(seen) == 0


def test_curl_can_acknowledge_a_warning_with_a_cookie_jar(curl, tmp_path, upstream):
    jar = str(tmp_path / "cookies.txt")
    page = curl("https://chat.warn.test/", "-H", "accept: text/html", "-c", jar)
    assert page.status == 200
    assert "Before you use Test Warned Chat" in page.body
    action = re.search(r'<form[^>]*action="([^"]+)"', page.body)
    token = re.search(r'name="token" value="([^"]+)"', page.body)
    assert action and token
    seen = upstream.snapshot()
    landed = curl(
        "https://chat.warn.test" + html.unescape(action.group(1)),
        "-H", "accept: text/html", "--data-urlencode", f"token={html.unescape(token.group(1))}",
        "-b", jar, "-c", jar, "-L",
    )
    assert landed.status == 200
    assert landed.headers["x-upstream"] == "fake"
    assert json.loads(landed.body)["path"] == "/"
    again = curl("https://chat.warn.test/later", "-H", "accept: text/html", "-b", jar)
    assert json.loads(again.body)["path"] == "/later"
    sent = upstream.requests_since(seen)
    assert [r.path for r in sent] == ["/", "/later"]
    assert not any("aigate_ack" in r.headers.get("cookie", "") for r in sent)
