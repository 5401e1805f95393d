"""Path rules hold whatever the spelling, through the real proxy with a recording upstream: a
blocked path (ChatGPT's logged-out backend, `/backend-anon`) written with encoded slashes,
capitals, `;parameters`, backslashes or double encoding is blocked, and nothing reaches the
upstream; the plain allowed paths still pass."""

from __future__ import annotations

import pytest
from proxyharness import TEST_POLICY, make_client, write_test_policy

BLOCKED_SPELLINGS = [
    "/backend-anon/conversation",
    "/%2Fbackend-anon/conversation",
    "/BACKEND-ANON/conversation",
    "/Backend-Anon/Conversation",
    "/backend-anon;x=1/conversation",
    "/backend-anon;/conversation",
    "/x/..%5Cbackend-anon/conversation",
    "/%2562ackend-anon/conversation",
    "/%25252Fbackend-anon/conversation",
    "/./backend-anon//conversation",
]


@pytest.fixture(scope="module")
def proxy(launch, tmp_path_factory):
    text = TEST_POLICY.read_text().replace(
        "\nservices:\n",
        "\nservices:\n  chatgpt-anonymous:\n    action: block\n"
        "    reason: Logged-out use escapes the company workspace.\n",
        1,
    )
    policy = write_test_policy(tmp_path_factory.mktemp("paths"), text)
    with launch(policy) as running:
        yield running


@pytest.mark.parametrize("path", BLOCKED_SPELLINGS)
def test_a_blocked_path_is_blocked_whatever_its_spelling(proxy, upstream, path):
    before = upstream.snapshot()
    with make_client(proxy) as client:
        reply = client.post(f"https://chatgpt.com{path}", json={"q": 1})
    assert reply.status_code == 403, reply.text[:200]
    assert upstream.requests_since(before) == [], "a blocked path reached the upstream"


@pytest.mark.parametrize("path", ["/backend-api/conversation", "/backend-anonymous", "/"])
def test_neighbouring_paths_still_pass(proxy, upstream, path):
    before = upstream.snapshot()
    with make_client(proxy) as client:
        reply = client.get(f"https://chatgpt.com{path}", headers={"accept": "application/json"})
    assert reply.status_code == 200
    assert len(upstream.requests_since(before)) == 1
