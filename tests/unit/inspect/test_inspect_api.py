"""The entry points the proxy addon calls: build_scanner, inspect_request, inspect_ws,
redact_request."""

import gzip
import json

import pytest
from aigate.inspect import build_scanner, inspect_request, inspect_ws, redact_request
from aigate.inspect.custom import ConfigError, edm_digest
from aigate.policy.model import Dlp, DlpExactMatch, DlpKeywords, DlpPattern

CARD = "4111 1111 1111 1111"


@pytest.fixture(scope="module")
def scanner():
    return build_scanner(Dlp(), key=b"k")


def _openai(text: str) -> bytes:
    return json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": text}]}).encode()


def test_gzip_openai_request_is_decoded_extracted_and_scanned(scanner):
    result = inspect_request(
        scanner,
        body=gzip.compress(_openai(f"card {CARD}")),
        content_encoding="gzip",
        content_type="application/json",
        api_format="openai",
        host="api.openai.com",
        path="/v1/chat/completions",
    )
    assert result.kinds == ("credit_card",)
    assert result.inspected and result.unscanned_reason is None and result.seconds > 0
    redacted = json.loads(redact_request(result, "application/json"))
    assert redacted["messages"][0]["content"] == "card [REDACTED:credit_card]"


def test_body_over_the_limit_is_oversize_and_not_scanned(scanner):
    result = inspect_request(scanner, body=b"x" * 100, max_bytes=10)
    assert result.oversize and not result.inspected and result.findings == ()


def test_bomb_is_oversize(scanner):
    result = inspect_request(
        scanner, body=gzip.compress(b"a" * 100_000), content_encoding="gzip", max_bytes=1000
    )
    assert result.oversize and "bomb" in result.unscanned_reason


def test_websocket_message_is_scanned(scanner):
    message = json.dumps({"event": "send", "content": [{"type": "text", "text": f"c {CARD}"}]})
    assert inspect_ws(scanner, message, host="copilot.microsoft.com").kinds == ("credit_card",)


def test_verdict_travels_with_the_inspection_for_the_audit_record(scanner):
    result = inspect_request(scanner, body=_openai(CARD), api_format="openai").with_verdict(
        "block", "pii"
    )
    assert (result.action, result.rule) == ("block", "pii")


def test_policy_custom_detectors_are_built(tmp_path, monkeypatch):
    monkeypatch.setenv("EDM_KEY", "s3cret")
    (tmp_path / "ids.txt").write_text(edm_digest(b"s3cret", "CUST-004211") + "\n")
    dlp = Dlp(
        keywords=[DlpKeywords(id="codenames", words=["Project Falcon"])],
        patterns=[DlpPattern(id="ticket", pattern=r"\bSEC-\d{4}\b")],
        exact_match=[
            DlpExactMatch(
                id="customers", file="ids.txt", key_env="EDM_KEY", pattern=r"\bCUST-\d{6}\b"
            )
        ],
    )
    scanner = build_scanner(dlp, tmp_path, key=b"k")
    findings = scanner.scan("project falcon, SEC-1234, CUST-004211, CUST-000000")
    assert [f.detector for f in findings] == ["codenames", "ticket", "customers"]


def test_exact_match_without_its_key_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv("NO_SUCH_KEY", raising=False)
    dlp = Dlp(exact_match=[DlpExactMatch(id="c", file="ids.txt", key_env="NO_SUCH_KEY")])
    with pytest.raises(ConfigError, match="NO_SUCH_KEY"):
        build_scanner(dlp, tmp_path)


def test_a_url_sent_again_gives_the_same_findings_at_the_same_segments(scanner):
    path = f"/v1/notes?card={CARD.replace(' ', '')}&n=1"
    runs = [
        inspect_request(scanner, body=_openai(f"card {CARD}"), path=path, api_format="openai",
                        content_type="application/json")
        for _ in range(2)
    ]
    assert runs[0].findings == runs[1].findings
    by_segment = {f.segment: runs[1].extraction.segments[f.segment].locator[0][0]
                  for f in runs[1].findings}
    assert sorted(by_segment.values()) == ["json", "url"]  # the body's, then the query's


def test_a_url_is_scanned_again_by_another_policys_scanner(scanner):
    path = "/v1/notes?secret=hunter2-PRIVATE-codeword"
    before = inspect_request(scanner, body=b"", path=path)
    strict = build_scanner(Dlp(keywords=[DlpKeywords(id="codeword", words=["private-codeword"])]),
                           key=b"k")
    after = inspect_request(strict, body=b"", path=path)
    assert not before.findings
    assert [f.detector for f in after.findings] == ["codeword"]
