"""Values encoded by the sender, through the real proxy with a recording upstream: a base64-encoded
key in a prompt is blocked, and a base64-encoded card where the policy redacts is blocked too (the
encoded original cannot be rewritten in place); nothing arrives."""

from __future__ import annotations

import base64
import gzip

import pytest
from proxyharness import make_client

KEY = b"aws_access_key_id = AKIAQ3EGRLMNV4XKTYJW"
CARD = b"card 4111 1111 1111 1111"
# A settings file run through the `base64` tool: lines of 76 characters (57 bytes), the key
# value across the first line break.
ENV_FILE = b"# staging\nAPP=billing\nX=1\n" + KEY + b"\nDB_HOST=db.internal\n"


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("https://allowed.openai.test/v1/chat/completions", base64.b64encode(KEY)),
        ("https://allowed.openai.test/v1/chat/completions", base64.urlsafe_b64encode(KEY)),
        ("https://api.mistral.ai/v1/chat/completions", base64.b64encode(CARD)),  # redact rule
        ("https://allowed.openai.test/v1/chat/completions", base64.encodebytes(ENV_FILE)),
        ("https://allowed.openai.test/v1/chat/completions",
         base64.b64encode(base64.b64encode(KEY))),
        ("https://allowed.openai.test/v1/chat/completions", base64.b64encode(gzip.compress(KEY))),
    ],
    ids=["standard", "url-safe", "redact-rule", "wrapped-in-lines", "base64-of-base64",
         "gzip-in-base64"],
)
def test_an_encoded_value_is_blocked_and_never_arrives(proxy, upstream, url, secret):
    before = upstream.snapshot()
    prompt = {"model": "m", "messages": [{"role": "user", "content": f"decode {secret.decode()}"}]}
    with make_client(proxy) as client:
        reply = client.post(url, json=prompt)
    assert reply.status_code == 403, reply.text[:300]
    assert upstream.requests_since(before) == []


def test_a_card_written_with_dots_is_redacted_where_the_policy_redacts(proxy, upstream):
    before = upstream.snapshot()
    prompt = {"model": "m", "messages": [{"role": "user", "content": "pay 4111.1111.1111.1111"}]}
    with make_client(proxy) as client:
        reply = client.post("https://api.mistral.ai/v1/chat/completions", json=prompt)
    assert reply.status_code == 200
    (seen,) = upstream.requests_since(before)
    assert b"4111" not in seen.body and b"REDACTED" in seen.body
