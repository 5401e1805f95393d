"""Policy-wide behaviour through a real proxy: monitor mode, failing closed, client networks,
and hot reload that survives a bad edit."""

from __future__ import annotations

from pathlib import Path

import aigate.proxy.enforce
import aigate.proxy.policyreload
import pytest
from aigate.flowstate import FLOW_KEY
from proxyharness import TEST_POLICY, make_client, wait_for, write_test_policy

BLOCKED_API = "https://api.openai.test/v1/chat/completions"


def policy_variant(directory: Path, *replacements: tuple[str, str]) -> Path:
    """The test policy with text replaced (each replacement must apply)."""
    text = TEST_POLICY.read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return write_test_policy(directory, text)


def _last_state(proxy, url: str):
    wait_for(lambda: any(f.request.url == url for f in proxy.flows))
    return next(f for f in reversed(proxy.flows) if f.request.url == url).metadata[FLOW_KEY]


def test_monitor_mode_forwards_everything_and_records_the_would_be_decision(
    launch, upstream, tmp_path
):
    policy = policy_variant(tmp_path, ("mode: enforce", "mode: monitor"))
    with launch(policy) as proxy, make_client(proxy) as client:
        before = upstream.snapshot()
        response = client.post(BLOCKED_API, json={})
        assert response.status_code == 200
        assert response.json()["id"] == "chatcmpl-fake"
        assert upstream.connections_since(before) == 1
        state = _last_state(proxy, BLOCKED_API)
    assert state.outcome == "monitored"
    assert state.decision.action == "block"
    assert state.decision.enforced is False


def _explode(*args, **kwargs):
    raise RuntimeError("decision engine exploded")


@pytest.mark.parametrize(
    ("on_error", "url", "status", "upstream_connections", "outcome"),
    [
        ("block", "https://allowed.openai.test/v1/chat/completions", 403, 0, "error"),
        ("allow", "https://allowed.openai.test/v1/chat/completions", 200, 1, "error"),
        ("block", "https://www.example.org/v1/anything", 200, 1, None),
    ],
    ids=["ai-request-fails-closed", "on-error-allow-passes", "non-ai-request-unharmed"],
)
def test_exception_in_decision_path_follows_on_error(
    launch, upstream, tmp_path, monkeypatch, on_error, url, status, upstream_connections, outcome
):
    policy = policy_variant(
        tmp_path,
        ("mode: enforce", f"mode: enforce\non_error: {on_error}\ninspect_hosts: [www.example.org]"),
    )
    with launch(policy) as proxy, make_client(proxy) as client:
        monkeypatch.setattr(aigate.proxy.enforce, "decide_request", _explode)
        before = upstream.snapshot()
        response = client.post(url, json={})
        assert response.status_code == status
        assert upstream.connections_since(before) == upstream_connections
        wait_for(lambda: any(f.request.url == url for f in proxy.flows))
        state = next(f for f in proxy.flows if f.request.url == url).metadata.get(FLOW_KEY)
    if outcome is None:
        assert state is None
        return
    assert any("decide failed" in e for e in proxy.errors)
    assert state.outcome == outcome
    assert state.error_stage == "decide"
    if status == 403:
        assert "could not evaluate" in response.json()["error"]["message"]
        assert response.headers["x-should-retry"] == "false"


def test_unauthenticated_client_gets_the_groups_of_its_network(launch, tmp_path):
    with_network = "users: [alice]\n    cidrs: [127.0.0.0/8]"
    policy = policy_variant(tmp_path, ("users: [alice]", with_network))
    with launch(policy) as proxy, make_client(proxy) as client:
        response = client.post("https://code.group.test/v1/chat/completions", json={})
    assert response.status_code == 200


def test_policy_edit_reloads_and_a_broken_edit_keeps_the_last_good_policy(
    launch, tmp_path, monkeypatch
):
    monkeypatch.setattr(aigate.proxy.policyreload, "RELOAD_INTERVAL", 0.05)
    url = "https://approved.test/"
    policy = policy_variant(tmp_path)
    with launch(policy) as proxy, make_client(proxy) as client:
        live = Path(proxy.master.options.aigate_policy)
        assert client.get(url).status_code == 200
        text = live.read_text()
        edited = text.replace(
            "  t-approved:\n    action: allow", "  t-approved:\n    action: block"
        ).replace('version: "t1"', 'version: "t2"')
        live.write_text(edited)
        wait_for(lambda: client.get(url).status_code == 403)
        live.write_text(edited.replace("action: block", "action: forbid", 1))
        wait_for(lambda: any("has errors" in e for e in proxy.errors))
        assert client.get(url).status_code == 403
        assert _last_state(proxy, url).policy_version == "t2"
