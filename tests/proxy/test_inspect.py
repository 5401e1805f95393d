"""Prompt and upload inspection through a real proxy: real clients (the official SDKs, httpx, raw
sockets) send sensitive data to AI services behind a fake upstream, which proves what left.

The test policy's `dlp` section (data/policy.yaml): secrets and card numbers are blocked, card
numbers to the shipped catalog's Mistral API are redacted, other findings warn.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import ssl
import zipfile
from pathlib import Path
from urllib.parse import urlencode

import anthropic
import openai
import pytest
from aigate.flowstate import FLOW_KEY
from aigate.inspect import build_scanner
from aigate.inspect.detectors.secrets_code import crc_checksum
from aigate.inspect.summary import summarize
from aigate.policy.model import Dlp
from aigate.proxy.inspect import kind_label
from aigate.record import metrics
from proxyharness import (
    BROWSER_HEADERS,
    OPENAI_ANSWER,
    make_client,
    open_tunnel,
    read_response_head,
    wait_for,
    ws_frame,
)

CARD = "4111 1111 1111 1111"
AWS_PAIR = (
    "aws_access_key_id = AKIAQ3EGRLMNV4XKTYJW\n"
    "aws_secret_access_key = kP9x2Lm4Qr7Tz1Vb8Nc3Wd6Ye5Hf0Jg2Ks4Lp7Mq"
)
_GH_BODY = "Wz8mT4kLq2Rv9Xy3Bn6Jc1Pd5Fg7Hs0Ka2Le"[:30]
GITHUB_TOKEN = f"ghp_{_GH_BODY}{crc_checksum(_GH_BODY)}"
FANS = "fake upstream says hi"
ALLOWED_OPENAI = "https://allowed.openai.test/v1/chat/completions"
MISTRAL = "https://api.mistral.ai/v1/chat/completions"
# What a page's fetch() sends (ChatGPT and Gemini web): not a navigation, so no HTML page.
FETCH_HEADERS = {
    "sec-fetch-mode": "cors",
    "sec-fetch-dest": "empty",
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0",
}


@pytest.fixture(scope="module")
def audit_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("inspect-audit") / "audit.jsonl"


@pytest.fixture(scope="module")
def proxy(launch, audit_log):
    """The test policy's proxy, writing its audit log where the tests can read it."""
    with launch(aigate_audit_log=str(audit_log)) as running:
        yield running


def _records(audit_log: Path, request_id: str, event: str) -> list[dict]:
    if not audit_log.exists():
        return []
    lines = (json.loads(line) for line in audit_log.read_text().splitlines() if line)
    return [r for r in lines if r.get("request_id") == request_id and r["event"] == event]


def _state(proxy, url: str, before: int):
    """The FlowState of the first flow to `url` finished after `before` flows."""
    wait_for(lambda: any(f.request.url == url for f in proxy.flows[before:]))
    return next(f for f in proxy.flows[before:] if f.request.url == url).metadata[FLOW_KEY]


def _chat(prompt: str) -> dict:
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]}


# --- the official SDKs ---------------------------------------------------------------------------


def _ask_openai(proxy, prompt: str) -> str:
    http_client = openai.DefaultHttpxClient(proxy=proxy.url, verify=proxy.ssl_context())
    with openai.OpenAI(base_url="https://allowed.openai.test/v1", api_key="sk-test",
                       http_client=http_client) as client:
        completion = client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}]
        )
    return completion.choices[0].message.content


def _ask_anthropic(proxy, prompt: str) -> str:
    http_client = anthropic.DefaultHttpxClient(proxy=proxy.url, verify=proxy.ssl_context())
    with anthropic.Anthropic(base_url="https://allowed.anthropic.test", api_key="sk-ant-test",
                             http_client=http_client) as client:
        message = client.messages.create(
            model="claude-3-5-haiku-latest", max_tokens=16,
            messages=[{"role": "user", "content": prompt}],
        )
    return message.content[0].text


SDKS = [
    pytest.param(_ask_openai, openai.PermissionDeniedError, "allowed.openai.test", id="openai"),
    pytest.param(_ask_anthropic, anthropic.PermissionDeniedError, "allowed.anthropic.test",
                 id="anthropic"),
]


@pytest.mark.parametrize(("ask", "error", "host"), SDKS)
def test_sdk_sending_a_card_number_gets_permission_denied_naming_it_after_one_attempt(
    proxy, upstream, ask, error, host
):
    before_flows = len(proxy.flows_for(host))
    before = upstream.snapshot()
    with pytest.raises(error) as raised:
        ask(proxy, f"Please charge my card {CARD} for the order.")
    assert raised.value.status_code == 403
    assert "payment card number" in str(raised.value)
    assert CARD not in str(raised.value)
    wait_for(lambda: len(proxy.flows_for(host)) > before_flows)
    assert len(proxy.flows_for(host)) - before_flows == 1, "the SDK retried a DLP refusal"
    assert upstream.connections_since(before) == 0
    assert upstream.requests_since(before) == []
    state = proxy.flows_for(host)[-1].metadata[FLOW_KEY]
    assert (state.outcome, state.inspection.action, state.inspection.rule) == (
        "blocked", "block", "no-cards"
    )


@pytest.mark.parametrize(("ask", "error", "host"), SDKS)
def test_sdk_sending_a_clean_prompt_gets_the_upstream_answer(proxy, upstream, ask, error, host):
    before = upstream.snapshot()
    assert ask(proxy, "What is the capital of France?") == FANS
    assert len(upstream.requests_since(before)) == 1


# --- actions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_redacted_request_reaches_upstream_as_valid_json_without_the_value(
    proxy, client, upstream, encoding
):
    body = json.dumps(_chat(f"my card is {CARD}, thanks")).encode()
    headers = {"content-type": "application/json"}
    if encoding == "gzip":
        body = gzip.compress(body)
        headers["content-encoding"] = "gzip"
    before = upstream.snapshot()
    response = client.post(MISTRAL, content=body, headers=headers)
    assert response.status_code == 200
    assert response.json() == OPENAI_ANSWER
    (seen,) = upstream.requests_since(before)
    sent = json.loads(seen.body)
    assert sent["messages"][0]["content"] == "my card is [REDACTED:credit_card], thanks"
    assert CARD.encode() not in seen.body
    assert int(seen.headers["content-length"]) == len(seen.body)
    assert "content-encoding" not in seen.headers


# A client that cuts a message at a length may cut an emoji in half, and JSON then carries the
# lone half as an escape (`"\ud83d"`): no UTF-8 text, but still a prompt to inspect.
_CUT_EMOJI = '{"messages":[{"role":"user","content":"my card is ' + CARD + ' \\ud83d"}]}'


def test_a_prompt_ending_in_half_an_emoji_is_redacted_and_forwarded(proxy, client, upstream):
    before = upstream.snapshot()
    response = client.post(MISTRAL, content=_CUT_EMOJI.encode(),
                           headers={"content-type": "application/json"})
    assert response.status_code == 200
    (seen,) = upstream.requests_since(before)
    assert json.loads(seen.body)["messages"][0]["content"] == (
        "my card is [REDACTED:credit_card] \ud83d"
    )
    assert CARD.encode() not in seen.body


def test_a_prompt_with_half_an_emoji_and_a_secret_is_refused_naming_it(proxy, client, upstream):
    before = upstream.snapshot()
    response = client.post(ALLOWED_OPENAI, content=_CUT_EMOJI.encode(),
                           headers={"content-type": "application/json"})
    assert response.status_code == 403
    assert "payment card number" in response.text
    assert upstream.requests_since(before) == []


# A chat client resends the whole conversation with every request: the scanner answers an
# earlier turn from the findings of its first scan (Scanner `recent`), which must act the same.
_ORDER_TURN = "Here are the order details you asked for, line by line. " * 5 + (
    f"Please charge my card {CARD} for the order."
)


_CONFIG_TURN = "Here is the config the tool printed, can you check it? " * 5 + (
    base64.b64encode(AWS_PAIR.encode()).decode()
)


def _conversation(turns: int, first: str = _ORDER_TURN) -> bytes:
    messages = [{"role": "user", "content": first}]
    for turn in range(turns):
        messages += [{"role": "assistant", "content": "Noted."},
                     {"role": "user", "content": f"And what is step {turn + 2}?"}]
    return json.dumps({"model": "gpt-4o-mini", "messages": messages}).encode()


@pytest.mark.parametrize(("first", "kind"), [
    pytest.param(_ORDER_TURN, "payment card number", id="card"),
    pytest.param(_CONFIG_TURN, "AWS", id="base64-encoded-aws-key"),
])
def test_a_conversation_resent_with_data_in_an_earlier_turn_is_refused_every_time(
    proxy, client, upstream, first, kind
):
    for turns in range(3):
        before = upstream.snapshot()
        response = client.post(ALLOWED_OPENAI, content=_conversation(turns, first),
                               headers={"content-type": "application/json"})
        assert response.status_code == 403
        assert kind in response.text
        assert upstream.requests_since(before) == []


def test_a_card_in_an_earlier_turn_is_redacted_in_every_resent_request(proxy, client, upstream):
    reused_before = metrics.REGISTRY.get_sample_value("aigate_scan_reused_bytes_total")
    for turns in range(3):
        before = upstream.snapshot()
        response = client.post(MISTRAL, content=_conversation(turns),
                               headers={"content-type": "application/json"})
        assert response.status_code == 200
        (seen,) = upstream.requests_since(before)
        messages = json.loads(seen.body)["messages"]
        assert messages[0]["content"] == _ORDER_TURN.replace(CARD, "[REDACTED:credit_card]")
        assert len(messages) == 1 + 2 * turns
        assert CARD.encode() not in seen.body
    # The first turn was scanned once, then answered from that scan twice.
    reused = metrics.REGISTRY.get_sample_value("aigate_scan_reused_bytes_total") - reused_before
    assert reused >= 2 * len(_ORDER_TURN)


def test_warned_finding_is_forwarded_with_a_notice_header(proxy, client, upstream):
    before = upstream.snapshot()
    flows = len(proxy.flows)
    response = client.post(ALLOWED_OPENAI, json=_chat("Write to jane.doe@acme-corp.com today"))
    assert response.status_code == 200
    assert "email" in response.headers["x-aigate-notice"].lower()
    assert "jane.doe" not in response.headers["x-aigate-notice"]
    assert len(upstream.requests_since(before)) == 1
    state = _state(proxy, ALLOWED_OPENAI, flows)
    assert (state.outcome, state.inspection.action) == ("allowed", "warn")


def test_form_post_by_a_person_gets_the_block_page_listing_the_kinds(proxy, client, upstream):
    before = upstream.snapshot()
    response = client.post(
        "https://approved.test/submit",
        content=urlencode({"question": f"card {CARD}"}),
        headers={**BROWSER_HEADERS, "content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "payment card number" in response.text
    assert "1111 1111" not in response.text
    assert upstream.connections_since(before) == 0


# --- request formats ---------------------------------------------------------------------------


def _chatgpt_body(text: str) -> bytes:
    return json.dumps({
        "action": "next",
        "messages": [{
            "id": "aaa2f1c4-7d1e-4b8a-9c55-0d3a2b1e4f60",
            "author": {"role": "user"},
            "content": {"content_type": "text", "parts": [text]},
            "metadata": {},
        }],
        "parent_message_id": "client-created-root",
        "model": "auto",
    }).encode()


def _gemini_body(text: str) -> bytes:
    inner = json.dumps([[text, 0, None, None, None, None, 0], ["en"], ["", "", ""]])
    return urlencode({"f.req": json.dumps([None, inner]), "at": "AJvLN6M:1700000000000"}).encode()


GEMINI_URL = (
    "https://gemini.google.com/_/BardChatUi/data/assistant.lamda.BardFrontendService/"
    "StreamGenerate?bl=boq_assistant-bard-web-server&rt=c"
)
WEB_APPS = [
    ("https://chatgpt.com/backend-api/conversation", "application/json", _chatgpt_body,
     "chatgpt_web"),
    ("https://chatgpt.com/backend-api/f/conversation", "application/json", _chatgpt_body,
     "chatgpt_web"),
    (GEMINI_URL, "application/x-www-form-urlencoded;charset=UTF-8", _gemini_body, "gemini_web"),
]


@pytest.mark.parametrize(
    ("url", "content_type", "make", "extractor", "secret", "blocked"),
    [
        (*app, secret, blocked)
        for app in WEB_APPS
        for secret, blocked in ((AWS_PAIR, True), (f"token {GITHUB_TOKEN}", True),
                                ("Summarise the French revolution.", False))
    ],
    ids=[
        f"{app[3]}{'-f' if '/f/' in app[0] else ''}-{name}"
        for app in WEB_APPS for name in ("aws-key-pair", "github-token", "clean")
    ],
)
def test_web_app_prompt_with_a_planted_secret_is_blocked(
    proxy, client, upstream, url, content_type, make, extractor, secret, blocked
):
    flows = len(proxy.flows)
    before = upstream.snapshot()
    response = client.post(
        url, content=make(secret), headers={**FETCH_HEADERS, "content-type": content_type}
    )
    state = _state(proxy, url, flows)
    assert state.inspection.extraction.extractor == extractor
    if blocked:
        assert response.status_code == 403
        assert "Credentials never leave the company" in response.text
        assert upstream.connections_since(before) == 0
        assert state.inspection.kinds and state.outcome == "blocked"
    else:
        assert response.status_code == 200
        assert len(upstream.requests_since(before)) == 1


def _docx(text: str) -> bytes:
    document = f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document)
    return out.getvalue()


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + os.urandom(64)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(
    ("name", "data", "content_type", "status"),
    [
        ("notes.txt", f"deploy notes\n{AWS_PAIR}\n".encode(), "text/plain", 403),
        ("memo.docx", _docx(f"Quarterly memo. {AWS_PAIR}"), DOCX, 403),
        ("memo.docx", _docx("Quarterly memo, nothing secret."), DOCX, 200),
        # One stray byte does not make text binary: the text around it is read.
        ("notes.bin", b"\x00" + f"deploy notes\n{AWS_PAIR}\n".encode(), None, 403),
        ("notes", f"deploy notes \xff\n{AWS_PAIR}\n".encode("latin-1"), None, 403),
    ],
    ids=["text-file-with-secret", "docx-with-secret", "clean-docx", "nul-then-secret",
         "bad-utf8-then-secret"],
)
def test_multipart_upload_is_extracted_and_scanned(
    proxy, client, upstream, name, data, content_type, status
):
    before = upstream.snapshot()
    response = client.post(
        "https://allowed.openai.test/v1/files",
        files={"file": (name, data, content_type)}, data={"purpose": "assistants"},
    )
    assert response.status_code == status
    assert upstream.connections_since(before) == (0 if status == 403 else 1)


def test_image_upload_is_forwarded_and_recorded_unscanned_not_clean(proxy, client, upstream):
    url = "https://allowed.openai.test/v1/files"
    flows = len(proxy.flows)
    response = client.post(url, files={"file": ("photo.png", PNG, "image/png")})
    assert response.status_code == 200
    summary = summarize(_state(proxy, url, flows).inspection)
    assert summary.inspected is False
    assert summary.unscanned_reason == "unsupported_format"
    assert summary.action == "log"


def test_gzip_body_is_decoded_and_scanned(proxy, client, upstream):
    before = upstream.snapshot()
    body = gzip.compress(json.dumps(_chat(AWS_PAIR)).encode())
    response = client.post(
        ALLOWED_OPENAI, content=body,
        headers={"content-type": "application/json", "content-encoding": "gzip"},
    )
    assert response.status_code == 403
    assert "AWS" in response.json()["error"]["message"]
    assert upstream.connections_since(before) == 0


def test_large_body_scanned_off_the_event_loop_still_blocks(proxy, client, upstream):
    before = upstream.snapshot()
    prompt = "lorem ipsum dolor sit amet " * 4000 + f" card {CARD}"  # about 108 KB
    response = client.post(ALLOWED_OPENAI, json=_chat(prompt))
    assert response.status_code == 403
    assert upstream.connections_since(before) == 0


def test_oversized_upload_is_refused_from_its_headers_and_never_forwarded(
    proxy, client, upstream
):
    # mitmproxy reads (and drops) a body whose headers were answered before it sends the answer;
    # what matters is that the body is neither scanned nor forwarded.
    flows = len(proxy.flows)
    before = upstream.snapshot()
    response = client.post(
        ALLOWED_OPENAI, content=b"x" * 300_000, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["x-should-retry"] == "false"
    assert "larger than the scan limit" in response.json()["error"]["message"]
    assert upstream.connections_since(before) == 0
    state = _state(proxy, ALLOWED_OPENAI, flows)
    assert (state.outcome, state.inspection.action) == ("blocked", "block")
    assert state.inspection.extraction.extractor == "oversize"  # decided from the headers


@pytest.mark.parametrize(
    ("method", "url", "body", "status"),
    [
        ("GET", "https://allowed.openai.test/v1/models", None, 200),
        ("POST", "https://api.openai.test/v1/chat/completions", _chat(CARD), 403),
    ],
    ids=["get-without-body", "blocked-service"],
)
def test_flows_without_a_forwarded_body_are_not_inspected(proxy, client, method, url, body,
                                                          status):
    flows = len(proxy.flows)
    response = client.request(method, url, json=body)
    assert response.status_code == status
    assert _state(proxy, url, flows).inspection is None
    if status == 403:
        assert "not approved for company data" in response.json()["error"]["message"]


# --- WebSocket ----------------------------------------------------------------------------------


def _read_frame(sock: ssl.SSLSocket) -> bytes:
    def exact(n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    head = exact(2)
    length = head[1] & 0x7F
    if length >= 126:
        length = int.from_bytes(exact(2 if length == 126 else 8), "big")
    return exact(length)


def _websocket(proxy, host: str) -> ssl.SSLSocket:
    sock = open_tunnel(proxy, host, proxy.ssl_context())
    sock.sendall(
        f"GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        .encode()
    )
    status, _ = read_response_head(sock)
    assert status == 101
    return sock


def _send(sock: ssl.SSLSocket, text: str) -> None:
    sock.sendall(ws_frame(1, text.encode(), mask=b"\x01\x02\x03\x04"))


def _dropped_ws_messages() -> float:
    return metrics.REGISTRY.get_sample_value("aigate_websocket_messages_total",
                                             {"action": "block"}) or 0.0


def _ws_state(proxy, host: str):
    """The FlowState of the newest WebSocket to `host` (its 101 response has been seen)."""
    return [f for f in proxy.flows_for(host) if f.websocket is not None][-1].metadata[FLOW_KEY]


def _assert_never_written(audit_log: Path, *values: str) -> None:
    text = audit_log.read_text()
    for value in values:
        assert value not in text
        assert json.dumps(value)[1:-1] not in text  # nor JSON-escaped


def test_websocket_message_with_a_secret_is_dropped_and_a_clean_one_passes(
    proxy, upstream, audit_log
):
    seen = len(upstream.ws_messages)
    dropped = _dropped_ws_messages()
    sock = _websocket(proxy, "approved.test")
    secret = json.dumps({"event": "send", "text": AWS_PAIR})
    try:
        _send(sock, secret)
        _send(sock, json.dumps({"event": "send", "text": "hello there"}))
        echo = _read_frame(sock)  # the first echo is of the clean message
        sock.sendall(ws_frame(8, b"", mask=b"\x01\x02\x03\x04"))
    finally:
        sock.close()
    assert json.loads(echo)["text"] == "hello there"
    assert upstream.ws_messages[seen:] == [echo]
    state = _ws_state(proxy, "approved.test")
    assert state.ws_messages == {"block": 1, "allow": 1}
    wait_for(lambda: _dropped_ws_messages() == dropped + 1)  # counted when the socket ends

    # One record for the dropped message (written before the clean one was even read), none
    # for the clean one; the opening request has its own decision record.
    (record,) = _records(audit_log, state.request_id, "websocket_message")
    (opening,) = _records(audit_log, state.request_id, "decision")
    assert (opening["status"], opening["host"]) == (101, "approved.test")
    assert {k: record[k] for k in ("message", "service", "category", "host", "path", "mode",
                                   "message_type", "message_bytes", "outcome", "dlp_action",
                                   "dlp_rule", "inspected", "error_stage", "user", "groups",
                                   "client_ip", "policy_version", "policy_hash")} == {
        "message": 1, "service": opening["service"], "category": opening["category"],
        "host": "approved.test", "path": "/ws", "mode": "enforce", "message_type": "text",
        "message_bytes": len(secret.encode()), "outcome": "dropped", "dlp_action": "block",
        "dlp_rule": "no-secrets", "inspected": True, "error_stage": None,
        "user": opening["user"], "groups": opening["groups"],
        "client_ip": opening["client_ip"], "policy_version": opening["policy_version"],
        "policy_hash": opening["policy_hash"],
    }
    kinds = {f["detector"] for f in record["findings"]}
    assert {"aws_access_key_id", "aws_secret_access_key"} <= kinds, kinds
    assert all(f["class"] == "secret" and f["count"] >= 1 and f["confidence"] and f["preview"]
               for f in record["findings"])
    _assert_never_written(audit_log, AWS_PAIR, "AKIAQ3EGRLMNV4XKTYJW",
                          "kP9x2Lm4Qr7Tz1Vb8Nc3Wd6Ye5Hf0Jg2Ks4Lp7Mq", "hello there")


def test_websocket_message_is_redacted_in_place(proxy, upstream, audit_log):
    sock = _websocket(proxy, "api.mistral.ai")
    try:
        _send(sock, json.dumps({"text": f"card {CARD}"}))
        echo = _read_frame(sock)
    finally:
        sock.close()
    assert json.loads(echo) == {"text": "card [REDACTED:credit_card]"}
    state = _ws_state(proxy, "api.mistral.ai")
    (record,) = _records(audit_log, state.request_id, "websocket_message")
    assert (record["service"], record["outcome"], record["dlp_action"], record["dlp_rule"]) == (
        "mistral-api", "redacted", "redact", "cards-redacted-for-mistral")
    assert record["message_bytes"] == len(json.dumps({"text": f"card {CARD}"}))
    (finding,) = record["findings"]
    assert (finding["detector"], finding["class"], finding["confidence"], finding["count"]) == (
        "credit_card", "financial", "validated", 1)
    assert "1111 1111 1111" not in finding["preview"]
    _assert_never_written(audit_log, CARD, CARD.replace(" ", ""))


def test_websocket_message_warned_about_is_forwarded_and_recorded(proxy, upstream, audit_log):
    email = "jane.doe@acme-corp.io"  # pii: no rule takes it, so `default_action: warn`
    message = json.dumps({"event": "send", "text": f"write to {email}"})
    sock = _websocket(proxy, "approved.test")
    try:
        _send(sock, json.dumps({"event": "send", "text": "nothing to see"}))
        _send(sock, message)
        echoes = [_read_frame(sock), _read_frame(sock)]
    finally:
        sock.close()
    assert echoes[1] == message.encode()  # forwarded unchanged
    state = _ws_state(proxy, "approved.test")
    assert state.ws_messages == {"allow": 1, "warn": 1}
    (record,) = _records(audit_log, state.request_id, "websocket_message")
    assert (record["message"], record["outcome"], record["dlp_action"], record["dlp_rule"]) == (
        2, "forwarded", "warn", "dlp.default_action")
    assert [(f["detector"], f["class"]) for f in record["findings"]] == [("email", "pii")]
    _assert_never_written(audit_log, email, "nothing to see")


# --- what people read -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("detector", "label"),
    [
        ("credit_card", "payment card number"),
        ("aws_access_key_id", "AWS access key id"),
        ("jwt", "JSON Web Token"),
        ("not_a_detector", "not a detector"),
    ],
)
def test_kinds_of_data_are_named_as_people_say_them(detector, label):
    assert kind_label(build_scanner(Dlp()), detector) == label


def test_a_dlp_block_on_a_warned_api_tells_one_story(proxy, upstream):
    """The access decision is warn, the DLP rules block: the answer is a refusal only, without
    the "allowed with a warning" notice of a forwarded request."""
    before = upstream.snapshot()
    with make_client(proxy) as client:
        reply = client.post("https://warn.api.test/v1/chat/completions",
                            json={"model": "m", "messages": [{"role": "user",
                                                              "content": AWS_PAIR}]})
    assert reply.status_code == 403
    assert "x-aigate-notice" not in reply.headers
    assert "allowed with a warning" not in reply.text
    assert upstream.requests_since(before) == []


def test_a_raw_byte_in_the_path_is_recorded_readable_and_nothing_is_lost(
    proxy, upstream, audit_log
):
    """mitmproxy keeps a byte that is no UTF-8 as a surrogate, which JSON cannot hold: the
    record was dropped (the request had gone upstream unrecorded) and the log declared down."""
    before = upstream.snapshot()
    lines_before = len(audit_log.read_text().splitlines()) if audit_log.exists() else 0
    body = json.dumps(_chat(f"card {CARD}")).encode()
    with open_tunnel(proxy, "allowed.openai.test", proxy.ssl_context()) as sock:
        sock.sendall(
            b"POST /v1/chat/completions\xff HTTP/1.1\r\nHost: allowed.openai.test\r\n"
            b"Content-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
        )
        status, _ = read_response_head(sock)
    assert status == 403
    assert upstream.requests_since(before) == []

    def new_decisions() -> list[dict]:
        lines = audit_log.read_text().splitlines()[lines_before:]
        return [r for r in map(json.loads, lines) if r["event"] == "decision"]

    wait_for(new_decisions, what="the decision record")
    (record,) = new_decisions()
    assert record["path"] == "/v1/chat/completions\\xff"
    assert record["dlp_action"] == "block"
    assert not [e for e in proxy.errors if "audit" in e]


# A field the request format does not name still leaves the client: OpenAI keeps `metadata`
# with a stored completion, and `user`, `prediction` and `stop` go with every request.
def test_a_card_in_a_field_outside_the_prompt_is_refused_to_the_sdk(proxy, upstream):
    before = upstream.snapshot()
    http_client = openai.DefaultHttpxClient(proxy=proxy.url, verify=proxy.ssl_context())
    client = openai.OpenAI(base_url="https://allowed.openai.test/v1", api_key="sk-test",
                           http_client=http_client, max_retries=0)
    with client, pytest.raises(openai.PermissionDeniedError) as refused:
        client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hello"}],
            metadata={"note": f"card {CARD}"},
        )
    assert "payment card number" in str(refused.value)
    assert upstream.requests_since(before) == []


@pytest.mark.parametrize("field", [
    {"user": f"card {CARD}"},
    {"prediction": {"type": "content", "content": f"card {CARD}"}},
    {"stop": [f"card {CARD}"]},
])
def test_a_card_in_a_field_outside_the_prompt_is_redacted_in_place(proxy, client, upstream,
                                                                   field):
    body = {**_chat("hello"), **field}
    before = upstream.snapshot()
    response = client.post(MISTRAL, json=body)
    assert response.status_code == 200
    (seen,) = upstream.requests_since(before)
    assert CARD.encode() not in seen.body
    assert "[REDACTED:credit_card]" in seen.body.decode()
    assert json.loads(seen.body)["messages"] == body["messages"]


def test_a_card_in_a_tools_parameter_name_is_refused_even_where_cards_are_redacted(
    proxy, upstream
):
    """A key reaches the model like a value (a tool's parameter names are part of its
    prompt), but cannot be rewritten in place: where the policy redacts, the request is
    refused instead."""
    before = upstream.snapshot()
    http_client = openai.DefaultHttpxClient(proxy=proxy.url, verify=proxy.ssl_context())
    client = openai.OpenAI(base_url="https://api.mistral.ai/v1", api_key="sk-test",
                           http_client=http_client, max_retries=0)
    tool = {"type": "function", "function": {"name": "pay", "parameters": {
        "type": "object", "properties": {f"card {CARD}": {"type": "string"}},
    }}}
    with client, pytest.raises(openai.PermissionDeniedError) as refused:
        client.chat.completions.create(
            model="mistral-small", messages=[{"role": "user", "content": "hello"}],
            tools=[tool],
        )
    assert "payment card number" in str(refused.value)
    assert upstream.requests_since(before) == []
