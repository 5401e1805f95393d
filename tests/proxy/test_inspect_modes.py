"""Inspection under policy-wide settings, through a real proxy: failing closed (`on_error`),
monitor mode, and a `dlp` section whose scanner cannot be built (start-up and hot reload)."""

from __future__ import annotations

import shutil
from pathlib import Path

import aigate.proxy.inspect
import aigate.proxy.policyreload
import pytest
from aigate.flowstate import FLOW_KEY
from proxyharness import TEST_POLICY, make_client, start_proxy, wait_for, write_test_policy

URL = "https://allowed.openai.test/v1/chat/completions"
CARD_PROMPT = {"model": "m", "messages": [{"role": "user", "content": "card 4111 1111 1111 1111"}]}
# An exact-match detector whose key variable is not set: the policy validates, the scanner
# cannot be built.
EXACT_MATCH = (
    "dlp:\n  exact_match:\n    - id: customer_ids\n      file: digests.txt\n"
    "      key_env: AIGATE_TEST_UNSET_EDM_KEY\n"
)


def policy_variant(directory: Path, *replacements: tuple[str, str]) -> Path:
    """The test policy with text replaced (each replacement must apply), plus a digest file."""
    text = TEST_POLICY.read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = write_test_policy(directory, text)
    (directory / "digests.txt").write_text("ab" * 32 + "\n")
    return path


def _last_state(proxy, url: str):
    wait_for(lambda: any(f.request.url == url for f in proxy.flows))
    return next(f for f in reversed(proxy.flows) if f.request.url == url).metadata[FLOW_KEY]


def _explode(*args, **kwargs):
    raise RuntimeError("scanner exploded")


@pytest.mark.parametrize(
    ("on_error", "status", "upstream_requests"),
    [("block", 403, 0), ("allow", 200, 1)],
    ids=["fails-closed", "on-error-allow-forwards"],
)
def test_exception_inside_inspection_follows_on_error(
    launch, upstream, tmp_path, monkeypatch, on_error, status, upstream_requests
):
    policy = policy_variant(tmp_path, ("mode: enforce", f"mode: enforce\non_error: {on_error}"))
    with launch(policy) as proxy, make_client(proxy) as client:
        monkeypatch.setattr(aigate.proxy.inspect, "inspect_request", _explode)
        before = upstream.snapshot()
        response = client.post(URL, json={"messages": [{"role": "user", "content": "hi"}]})
        assert response.status_code == status
        assert len(upstream.requests_since(before)) == upstream_requests
        state = _last_state(proxy, URL)
        assert any("inspect failed" in e for e in proxy.errors)
    assert (state.outcome, state.error_stage) == ("error", "inspect")
    if status == 403:
        assert "could not inspect" in response.json()["error"]["message"]
        assert response.headers["x-should-retry"] == "false"


def test_monitor_mode_scans_and_records_but_never_blocks(launch, upstream, tmp_path):
    policy = policy_variant(tmp_path, ("mode: enforce", "mode: monitor"))
    with launch(policy) as proxy, make_client(proxy) as client:
        before = upstream.snapshot()
        response = client.post(URL, json=CARD_PROMPT)
        assert response.status_code == 200
        assert len(upstream.requests_since(before)) == 1
        assert b"4111 1111 1111 1111" in upstream.requests_since(before)[0].body
        state = _last_state(proxy, URL)
        oversized = client.post(URL, content=b"x" * 300_000)
        assert oversized.status_code == 200
    assert state.outcome == "monitored"
    assert (state.inspection.action, state.inspection.kinds) == ("block", ("credit_card",))


def test_policy_whose_scanner_cannot_be_built_is_refused_at_start(tmp_path, upstream, monkeypatch):
    monkeypatch.delenv("AIGATE_TEST_UNSET_EDM_KEY", raising=False)
    policy = policy_variant(tmp_path / "p", ("dlp:\n", EXACT_MATCH))
    from aigate.proxy import build_addons

    with pytest.raises(RuntimeError, match="AIGATE_TEST_UNSET_EDM_KEY"):
        start_proxy(tmp_path / "conf", upstream, {"aigate_policy": str(policy)}, build_addons())


def test_reload_to_a_policy_whose_scanner_cannot_be_built_keeps_the_last_good_one(
    launch, tmp_path, monkeypatch
):
    monkeypatch.setattr(aigate.proxy.policyreload, "RELOAD_INTERVAL", 0.05)
    monkeypatch.delenv("AIGATE_TEST_UNSET_EDM_KEY", raising=False)
    policy = policy_variant(tmp_path)
    with launch(policy) as proxy, make_client(proxy) as client:
        live = Path(proxy.master.options.aigate_policy)
        shutil.copy(tmp_path / "digests.txt", live.parent / "digests.txt")
        broken = (
            live.read_text()
            .replace("dlp:\n", EXACT_MATCH, 1)
            .replace('version: "t1"', 'version: "t2"')
            .replace("  t-approved:\n    action: allow", "  t-approved:\n    action: block")
        )
        live.write_text(broken)
        wait_for(lambda: any("AIGATE_TEST_UNSET_EDM_KEY" in e for e in proxy.errors))
        assert client.get("https://approved.test/").status_code == 200
        assert _last_state(proxy, "https://approved.test/").policy_version == "t1"
        assert client.post(URL, json=CARD_PROMPT).status_code == 403  # the old scanner works
