"""Confidence on the wire: with the shipped policy, a labelled or checksum-valid value is acted
on, a bare common shape is only logged, and the audit record and the metrics say how sure each
finding was. Real proxy, real client, recording upstream."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aigate.flowstate import FLOW_KEY
from aigate.policy import DEFAULT_POLICY
from aigate.record import metrics
from proxyharness import make_client, wait_for

URL = "https://api.mistral.ai/v1/chat/completions"  # category api: personal data is redacted


@pytest.fixture(scope="module")
def audit_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("confidence-audit") / "audit.jsonl"


@pytest.fixture(scope="module")
def shipped_proxy(launch, audit_log):
    with launch(DEFAULT_POLICY, aigate_audit_log=str(audit_log)) as running:
        yield running


def send(proxy, text: str):
    with make_client(proxy) as client:
        reply = client.post(
            URL, json={"model": "m", "messages": [{"role": "user", "content": text}]}
        )
    wait_for(lambda: bool(proxy.flows_for("api.mistral.ai")))
    return reply, proxy.flows_for("api.mistral.ai")[-1].metadata[FLOW_KEY]


def record(audit_log: Path, request_id: str) -> dict:
    def found() -> list[dict]:
        lines = audit_log.read_text().splitlines() if audit_log.exists() else []
        return [r for r in map(json.loads, lines) if r.get("request_id") == request_id]

    wait_for(lambda: bool(found()))
    return found()[0]


def findings_counted(detector: str, confidence: str) -> float:
    return sum(
        sample.value
        for metric in metrics.REGISTRY.collect()
        for sample in metric.samples
        if sample.name == "aigate_findings_total"
        and sample.labels.get("detector") == detector
        and sample.labels.get("confidence") == confidence
    )


def test_a_labelled_national_number_is_redacted_and_recorded_with_its_confidence(
    shipped_proxy, upstream, audit_log
):
    before_upstream, before_metric = upstream.snapshot(), findings_counted("ca_sin", "validated")
    reply, state = send(shipped_proxy, "Her SIN: 130 692 544, please update the file.")
    assert reply.status_code == 200
    (forwarded,) = upstream.requests_since(before_upstream)
    assert b"130 692 544" not in forwarded.body and b"[REDACTED:ca_sin]" in forwarded.body
    entry = record(audit_log, state.request_id)
    assert entry["dlp_action"] == "redact"
    assert {(f["detector"], f["confidence"]) for f in entry["findings"]} == {
        ("ca_sin", "validated")
    }
    assert findings_counted("ca_sin", "validated") == before_metric + 1


def test_a_bare_common_shape_is_only_logged_and_goes_ahead_unchanged(
    shipped_proxy, upstream, audit_log
):
    before = upstream.snapshot()
    text = "The device 3c:22:fb:7a:41:09 dropped off the network twice."
    reply, state = send(shipped_proxy, text)
    assert reply.status_code == 200
    (forwarded,) = upstream.requests_since(before)
    assert b"3c:22:fb:7a:41:09" in forwarded.body
    entry = record(audit_log, state.request_id)
    assert entry["dlp_action"] == "log"
    assert [(f["detector"], f["confidence"]) for f in entry["findings"]] == [
        ("mac_address", "pattern")
    ]
