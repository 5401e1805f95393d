import json
from urllib.parse import parse_qs, urlencode

import pytest
from aigate.inspect.engine import Scanner
from aigate.inspect.extract import extract, extract_ws
from aigate.inspect.redact import RedactionError, redact, redact_text
from aigate.inspect.result import Finding

CARD = "4111 1111 1111 1111"
SCANNER = Scanner(key=b"k")


def _redact(body: bytes, **kwargs) -> bytes:
    extraction = extract(body, **kwargs)
    return redact(
        body,
        extraction,
        SCANNER.scan_extraction(extraction),
        content_type=kwargs.get("content_type"),
    )


def _f(start, end, detector="x"):
    return Finding(detector, "pii", start, end, "validated", "", "")


@pytest.mark.parametrize(
    ("text", "findings", "out"),
    [
        ("a SECRET b", [_f(2, 8)], "a [REDACTED:x] b"),
        ("ab", [], "ab"),
        ("0123456789", [_f(1, 5, "a"), _f(3, 8, "b")], "0[REDACTED:a]89"),
        ("x1y2", [_f(3, 4), _f(1, 2)], "x[REDACTED:x]y[REDACTED:x]"),
    ],
)
def test_redact_text_replaces_spans_and_merges_overlaps(text, findings, out):
    assert redact_text(text, findings) == out


def test_openai_body_stays_valid_json_without_the_value():
    body = json.dumps(
        {"model": "m", "messages": [{"role": "user", "content": f"card {CARD} ok"}]}
    ).encode()
    out = _redact(body, api_format="openai", content_type="application/json")
    doc = json.loads(out)
    assert doc["messages"][0]["content"] == "card [REDACTED:credit_card] ok"
    assert doc["model"] == "m" and CARD.encode() not in out


def test_unicode_and_escapes_survive_json_redaction():
    body = json.dumps({"prompt": f'Grüße "q" {CARD} \n🙂'}).encode()
    out = json.loads(_redact(body, content_type="application/json"))
    assert out["prompt"] == 'Grüße "q" [REDACTED:credit_card] \n🙂'


def test_form_field_is_redacted_and_others_kept():
    body = urlencode({"q": f"card {CARD}", "lang": "en"}).encode()
    out = parse_qs(_redact(body, content_type="application/x-www-form-urlencoded").decode())
    assert out == {"q": ["card [REDACTED:credit_card]"], "lang": ["en"]}


def test_json_inside_a_form_field_inside_json_is_redacted_in_place():
    inner = json.dumps([[f"card {CARD}", 0], ["en"]])
    body = urlencode({"f.req": json.dumps([None, inner]), "at": "t"}).encode()
    out = _redact(
        body,
        host="gemini.google.com",
        path="/x/StreamGenerate",
        content_type="application/x-www-form-urlencoded",
    )
    outer = json.loads(parse_qs(out.decode())["f.req"][0])
    assert json.loads(outer[1])[0][0] == "card [REDACTED:credit_card]"


def test_multipart_text_part_is_redacted_and_file_bytes_are_untouched():
    binary = b"\x89PNG\x00\xff"
    body = (
        b'--B\r\nContent-Disposition: form-data; name="q"\r\n\r\ncard '
        + CARD.encode()
        + b'\r\n--B\r\nContent-Disposition: form-data; name="f"; filename="x.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + binary + b"\r\n--B--\r\n"
    )
    out = _redact(body, content_type="multipart/form-data; boundary=B")
    assert b"card [REDACTED:credit_card]\r\n--B" in out and binary in out


def test_plain_text_body_and_websocket_message_are_redacted():
    assert (
        _redact(f"card {CARD}".encode(), content_type="text/plain")
        == b"card [REDACTED:credit_card]"
    )
    message = json.dumps({"event": "send", "content": [{"type": "text", "text": f"c {CARD}"}]})
    extraction = extract_ws(message, host="copilot.microsoft.com")
    out = redact(message.encode(), extraction, SCANNER.scan_extraction(extraction))
    assert json.loads(out)["content"][0]["text"] == "c [REDACTED:credit_card]"


def test_text_from_an_uploaded_file_cannot_be_redacted():
    body = (
        b'--B\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\ncard " + CARD.encode() + b"\r\n--B--\r\n"
    )
    with pytest.raises(RedactionError, match="uploaded file"):
        _redact(body, content_type="multipart/form-data; boundary=B")
