"""Discovery from traffic through the real proxy: a host outside the catalog whose name looks like
an AI service is passed through undecrypted, and the connection leaves a `candidate` audit record
(host, why, client address) and a count, which `aigate report` lists as a candidate to review."""

from __future__ import annotations

import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from aigate.record import metrics
from cryptography import x509
from proxyharness import RunningProxy, open_tunnel, read_jsonl, read_to_end, wait_for

AIGATE = Path(sys.executable).with_name("aigate")
CANDIDATE = "essay-writer-probe.ai"  # no catalog entry; an AI top-level domain


@pytest.fixture(scope="module")
def audited(launch, tmp_path_factory):
    log = tmp_path_factory.mktemp("discover") / "audit.jsonl"
    with launch(aigate_audit_log=str(log)) as running:
        running.audit_log = log  # type: ignore[attr-defined]
        yield running


def _candidates(proxy: RunningProxy, host: str) -> list[dict]:
    records = read_jsonl(proxy.audit_log)  # type: ignore[attr-defined]
    return [r for r in records if r.get("event") == "candidate" and r.get("host") == host]


def _count() -> float:
    return metrics.REGISTRY.get_sample_value("aigate_candidate_connections_total") or 0.0


def _get_through_tunnel(proxy: RunningProxy, host: str, upstream) -> str:
    context = ssl.create_default_context(cafile=str(upstream.ca_path))
    context.check_hostname = False  # the fake upstream's certificate names only test hosts
    sock = open_tunnel(proxy, host, context)
    der = sock.getpeercert(binary_form=True)
    assert der is not None
    issuer = x509.load_der_x509_certificate(der).issuer.rfc4514_string()
    sock.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    assert read_to_end(sock).startswith(b"HTTP/1.1 200")
    return issuer


def test_ai_looking_host_is_passed_through_and_recorded_as_a_candidate(audited, upstream):
    before = _count()
    issuer = _get_through_tunnel(audited, CANDIDATE, upstream)
    assert "aigate test upstream CA" in issuer, "a candidate host must not be decrypted"
    assert not audited.flows_for(CANDIDATE)
    wait_for(lambda: _candidates(audited, CANDIDATE), what="the candidate record")
    (record,) = _candidates(audited, CANDIDATE)
    assert record["hint"] == ".ai domain"
    assert record["client_ip"] == "127.0.0.1"
    assert _count() == before + 1


def test_ordinary_passthrough_leaves_no_record(audited, upstream):
    _get_through_tunnel(audited, "example.org", upstream)
    _get_through_tunnel(audited, CANDIDATE, upstream)  # a later record proves the log is current
    wait_for(lambda: len(_candidates(audited, CANDIDATE)) >= 2, what="the second record")
    records = read_jsonl(audited.audit_log)  # type: ignore[attr-defined]
    assert not [r for r in records if r.get("host") == "example.org"]


def test_plain_http_to_an_ai_looking_name_is_recorded(audited):
    import httpx2 as httpx

    with httpx.Client(proxy=audited.url, timeout=10) as client:
        reply = client.get("http://chatbot-probe.example.org/page")
    assert reply.status_code == 200
    wait_for(lambda: _candidates(audited, "chatbot-probe.example.org"), what="the record")
    assert _candidates(audited, "chatbot-probe.example.org")[0]["hint"] == "word 'chatbot'"


def test_report_lists_candidates_with_people_and_connections(audited, tmp_path):
    wait_for(lambda: len(_candidates(audited, CANDIDATE)) >= 2, what="two records")
    out = tmp_path / "candidates.csv"
    subprocess.run(
        [
            AIGATE,
            "report",
            str(audited.audit_log),
            "--format",
            "csv",
            "--table",
            "candidates",
            "-o",
            str(out),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    lines = out.read_text().splitlines()
    assert lines[0] == "host,users,connections,why,first,last"
    row = next(line for line in lines if line.startswith(CANDIDATE + ","))
    assert row.split(",")[1:4] == ["1", "2", ".ai domain"]
