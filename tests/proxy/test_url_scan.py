"""The URL is content too, through the real proxy with a recording upstream: a secret in a query
string or a path is blocked whatever the method and encoding, a card number is redacted where the
policy redacts (the upstream receives the redacted URL), and clean URLs pass untouched."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from proxyharness import make_client

KEY = "AKIAQ3EGRLMNV4XKTYJW"
ALLOWED = "https://allowed.openai.test"
MISTRAL = "https://api.mistral.ai"  # cards to it are redacted (tests/proxy/data/policy.yaml)
CARD = "4111 1111 1111 1111"


@pytest.mark.parametrize(
    ("method", "target"),
    [
        ("GET", f"/v1/models?note=aws_access_key_id%3D{KEY}"),
        ("GET", f"/v1/models?a=1&note={quote('aws_access_key_id = ' + KEY)}"),
        ("GET", f"/v1/files/aws_access_key_id={KEY}"),
        ("GET", f"/v1/models?note=aws_access_key_id%3D%41%4B%49%41{KEY[4:]}"),  # escaped letters
        ("DELETE", f"/v1/files?id=aws_access_key_id+%3D+{KEY}"),  # `+` for spaces
        ("POST", f"/v1/chat/completions?trace=aws_access_key_id%3D{KEY}"),
        ("GET", f"/v1/models?aws_access_key_id+{KEY}=1"),  # in a parameter's name
    ],
)
def test_a_secret_in_the_url_is_blocked_and_never_reaches_the_upstream(proxy, upstream, method,
                                                                       target):
    before = upstream.snapshot()
    with make_client(proxy) as client:
        body = {"messages": [{"role": "user", "content": "hello"}]} if method == "POST" else None
        reply = client.request(method, ALLOWED + target, json=body)
    assert reply.status_code == 403, reply.text[:300]
    assert "credential" in reply.text.lower() or "aws" in reply.text.lower()
    assert upstream.requests_since(before) == []


def test_a_card_in_the_query_is_redacted_where_the_policy_redacts(proxy, upstream):
    before = upstream.snapshot()
    with make_client(proxy) as client:
        reply = client.get(f"{MISTRAL}/v1/models", params={"q": f"card {CARD}", "page": "2"})
    assert reply.status_code == 200
    (seen,) = upstream.requests_since(before)
    assert "4111" not in seen.path
    assert "REDACTED" in seen.path and "page=2" in seen.path


@pytest.mark.parametrize("target", ["/v1/models", "/v1/models?limit=20&order=desc", "/"])
def test_clean_urls_pass_untouched(proxy, upstream, target):
    before = upstream.snapshot()
    with make_client(proxy) as client:
        reply = client.get(ALLOWED + target)
    assert reply.status_code == 200
    (seen,) = upstream.requests_since(before)
    assert seen.path == target


def test_a_card_in_a_parameters_name_is_refused_where_cards_are_redacted(proxy, upstream):
    """A name is not rewritten: where the policy redacts, the request is refused instead."""
    before = upstream.snapshot()
    with make_client(proxy) as client:
        reply = client.get(f"{MISTRAL}/v1/models?{quote(CARD)}=1")
    assert reply.status_code == 403, reply.text[:300]
    assert upstream.requests_since(before) == []
