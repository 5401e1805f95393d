"""`aigate explain URL --body FILE`: the request body is extracted, scanned and judged by the DLP
rules as the proxy would; the report names what was found (a preview, never the value) and the
final action, the stricter of the access decision and the DLP verdict. Uses the shipped default
policy, where api.openai.com and chatgpt.com are `warn`."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys

import pytest
from aigate.cli import main

CARD = "4111 1111 1111 1111"
EMAIL = "jane.doe@acme-corp.io"
AWS_KEY = "AKIAZ3MHALWQ7VRUDJ4X"
OPENAI = "https://api.openai.com/v1/chat/completions"
CHATGPT = "https://chatgpt.com/backend-api/conversation"


def openai_body(prompt: str) -> bytes:
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": prompt}]
    return json.dumps({"model": "gpt-4o", "messages": messages}).encode()


def chatgpt_body(prompt: str) -> bytes:
    message = {"id": "m1", "author": {"role": "user"}, "content": {"parts": [prompt]}}
    return json.dumps({"action": "next", "messages": [message], "model": "auto"}).encode()


def explain(capsys, tmp_path, url: str, body: bytes, *extra: str) -> tuple[int, str, str]:
    file = tmp_path / "body"
    file.write_bytes(body)
    code = main(["explain", url, "--body", str(file), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def report(capsys, tmp_path, url: str, body: bytes, *extra: str) -> dict:
    code, out, err = explain(capsys, tmp_path, url, body, "--json", *extra)
    assert code == 0, err
    return json.loads(out)


CARD_PROMPT = f"Charge {CARD} now"
KEY_PROMPT = f"why? aws_access_key_id = {AWS_KEY}"
EMAIL_PROMPT = f"Email {EMAIL} the invoice"
CC, AWS = "credit_card", "aws_access_key_id"


@pytest.mark.parametrize(
    ("url", "body", "action", "dlp_rule", "extractor", "detectors"),
    [
        (OPENAI, openai_body(CARD_PROMPT), "block", "payment-and-bank-data", "openai", [CC]),
        (OPENAI, openai_body("Write a haiku"), "warn", None, "openai", []),
        (CHATGPT, chatgpt_body(KEY_PROMPT), "block", "secrets", "chatgpt_web", [AWS]),
        (OPENAI, openai_body(EMAIL_PROMPT), "redact", "personal-data-apis", "openai", ["email"]),
        (CHATGPT, chatgpt_body(EMAIL_PROMPT), "block", "personal-data", "chatgpt_web", ["email"]),
    ],
)  # fmt: skip
def test_body_is_extracted_scanned_and_judged(
    capsys, tmp_path, url, body, action, dlp_rule, extractor, detectors
):
    got = report(capsys, tmp_path, url, body)
    assert (got["access_action"], got["action"]) == ("warn", action)
    assert got["method"] == "POST"
    assert got["inspected"] is True
    assert got["extraction"]["extractor"] == extractor
    assert got["extraction"]["segments"] >= 1
    assert [f["detector"] for f in got["findings"]] == detectors
    assert got["dlp"]["rule"] == dlp_rule
    assert got["dlp"]["action"] == ("allow" if dlp_rule is None else action)


def test_findings_carry_offsets_and_a_preview_never_the_value(capsys, tmp_path):
    prompt = f"Charge {CARD} now"
    got = report(capsys, tmp_path, OPENAI, openai_body(prompt))
    [finding] = got["findings"]
    assert set(finding) >= {"detector", "class", "start", "end", "preview"}
    assert (finding["class"], finding["where"]) == ("financial", "messages[1].content")
    assert prompt[finding["start"] : finding["end"]] == CARD
    assert finding["preview"] == "4111 **** **** 1111"
    assert CARD not in json.dumps(got)
    assert got["dlp"]["kinds"] == ["credit_card"] and got["dlp"]["classes"] == ["financial"]
    assert got["rule"] == "default"  # the access rule stays visible beside the DLP rule


def test_redact_shows_the_body_that_would_be_forwarded(capsys, tmp_path):
    got = report(capsys, tmp_path, OPENAI, openai_body(f"Email {EMAIL} the invoice"))
    forwarded = json.loads(got["redacted_body"])
    assert forwarded["messages"][1]["content"] == "Email [REDACTED:email] the invoice"
    assert EMAIL not in json.dumps(got)


def test_redact_of_an_uploaded_file_blocks_because_it_cannot_be_rewritten(capsys, tmp_path):
    boundary = "xyz"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\ncontact {EMAIL}\r\n--{boundary}--\r\n"
    ).encode()
    header = f"Content-Type: multipart/form-data; boundary={boundary}"
    got = report(capsys, tmp_path, "https://api.openai.com/v1/files", body, "--header", header)
    assert got["extraction"]["extractor"] == "multipart"
    assert [f["detector"] for f in got["findings"]] == ["email"]
    assert (got["dlp"]["action"], got["action"], got["redacted_body"]) == ("block", "block", None)
    assert "cannot be redacted in place" in got["dlp"]["reason"]


def test_content_encoding_header_decodes_the_body(capsys, tmp_path):
    body = gzip.compress(openai_body(f"Charge {CARD} now"))
    headers = ["--header", "Content-Type: application/json", "--header", "content-encoding: gzip"]
    got = report(capsys, tmp_path, OPENAI, body, *headers)
    assert got["extraction"]["content_encoding"] == "gzip"
    assert got["action"] == "block"


def test_body_from_stdin(capsys, monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(chatgpt_body(f"aws_access_key_id = {AWS_KEY}")))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["explain", CHATGPT, "--body", "-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["action"] == "block"


@pytest.mark.parametrize(
    ("url", "access", "why"),
    [
        ("https://chat.deepseek.com/api/v0/chat/completion", "block", "the body never leaves"),
        ("https://github.com/api", "passthrough", "not an AI service"),
    ],
)
def test_body_is_not_inspected_when_it_would_not_reach_an_ai_service(
    capsys, tmp_path, url, access, why
):
    got = report(capsys, tmp_path, url, openai_body(f"Charge {CARD} now"))
    assert (got["action"], got["access_action"], got["inspected"]) == (access, access, False)
    assert why in got["not_inspected"]
    assert got["findings"] == [] and got["dlp"] is None


def test_text_output_shows_extraction_findings_and_the_dlp_rule(capsys, tmp_path):
    code, out, _ = explain(capsys, tmp_path, OPENAI, openai_body(f"Charge {CARD} now"))
    assert code == 0
    assert (
        "action:   block (enforced; from the DLP rules, the access decision alone is warn)" in out
    )
    # the two messages, and the keys (model, messages, role, content) as one text
    assert "read as openai: 3 segments, 66 characters scanned" in out
    assert (
        "found:    credit_card (financial, validated) in messages[1].content at 7-26: "
        "4111 **** **** 1111" in out
    )
    assert "dlp:      block (rule payment-and-bank-data)" in out
    assert CARD not in out


def test_text_output_shows_the_redacted_body(capsys, tmp_path):
    _, out, _ = explain(capsys, tmp_path, OPENAI, openai_body(f"Email {EMAIL} now"))
    assert "dlp:      redact (rule personal-data-apis)" in out
    assert "redacted: " in out and "[REDACTED:email]" in out
    assert EMAIL not in out


def test_clean_body_keeps_the_access_decision_in_text(capsys, tmp_path):
    _, out, _ = explain(capsys, tmp_path, OPENAI, openai_body("Write a haiku"))
    assert "action:   warn (enforced)" in out
    assert "found:    nothing sensitive" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--body", "/nonexistent/body.json"], "cannot read --body /nonexistent/body.json"),
        (["--body", "-", "--header", "no colon"], "--header 'no colon' is not 'Name: value'"),
    ],
)
def test_bad_body_arguments_exit_2(capsys, argv, message):
    assert main(["explain", OPENAI, *argv]) == 2
    assert message in capsys.readouterr().err


def test_explain_body_as_a_real_subprocess(tmp_path):
    body = tmp_path / "prompt.json"
    body.write_bytes(openai_body(f"Charge {CARD} now"))
    result = subprocess.run(
        [sys.executable, "-m", "aigate", "explain", OPENAI, "--body", str(body), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert (got["action"], got["access_action"], got["dlp"]["rule"]) == (
        "block",
        "warn",
        "payment-and-bank-data",
    )
    assert CARD not in result.stdout


SMALL_POLICY = """organisation: Acme
version: "1"
contact: {name: IT}
document: {purpose: p, scope: s}
default: {action: allow, reason: r}
"""


@pytest.mark.parametrize(
    ("dlp", "action", "rule"),
    [
        ("{max_scan_bytes: 16}", "block", "dlp.on_oversize"),
        ("{max_scan_bytes: 16, on_oversize: log}", "allow", "dlp.on_oversize"),
        ("{default_action: log}", "allow", "dlp.default_action"),
        ("{default_action: warn}", "warn", "dlp.default_action"),
    ],
)
def test_dlp_settings_of_the_given_policy_decide(capsys, tmp_path, dlp, action, rule):
    policy = tmp_path / "policy.yaml"
    policy.write_text(SMALL_POLICY + f"dlp: {dlp}\n")
    got = report(capsys, tmp_path, OPENAI, openai_body(EMAIL_PROMPT), "--policy", str(policy))
    assert (got["access_action"], got["action"], got["dlp"]["rule"]) == ("allow", action, rule)


def test_exact_match_without_its_key_is_a_clear_error(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("AIGATE_EDM_KEY", raising=False)
    (tmp_path / "ids.edm").write_text("0" * 64 + "\n")
    policy = tmp_path / "policy.yaml"
    policy.write_text(SMALL_POLICY + "dlp: {exact_match: [{id: ids, file: ids.edm}]}\n")
    code, _, err = explain(capsys, tmp_path, OPENAI, openai_body("hi"), "--policy", str(policy))
    assert code == 2
    assert "set the environment variable AIGATE_EDM_KEY" in err
