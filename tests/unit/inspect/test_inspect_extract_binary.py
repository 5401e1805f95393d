"""Skipping the binary-payload walk for JSON text that cannot hold one must never hide a payload:
every payload still ends up in `unscanned`, however it is spelled."""

from __future__ import annotations

import json

import pytest
from aigate.inspect.extract import extract, extract_ws

LONG = "A" * 300
CASES = [
    # (JSON text, binary payloads expected)
    ('{"messages":[{"role":"user","content":"hi"}]}', 0),
    ('{"messages":[{"role":"user","content":"data: none here"}]}', 0),
    ('{"messages":[{"content":"data:image/png;base64,AAAA"}]}', 1),
    ('{"messages":[{"content":"\\u0064ata:image/png;base64,AAAA"}]}', 1),
    (json.dumps({"messages": [{"content": "x", "data": LONG}]}), 1),
    (json.dumps({"messages": [{"content": "x", "\\u0064ata": LONG}]}), 0),  # a literal key
    ('{"messages":[{"content":"x","\\u0064ata":"' + LONG + '"}]}', 1),
    (json.dumps({"contents": [{"parts": [{"inlineData": LONG}, {"text": "x"}]}]}), 1),
    (json.dumps({"messages": [{"content": "x", "image_url": LONG}]}), 1),
]


def _payloads(unscanned: tuple[str, ...]) -> int:
    return sum("binary data at" in reason for reason in unscanned)


@pytest.mark.parametrize(("text", "expected"), CASES)
@pytest.mark.parametrize("api_format", ["openai", None])
def test_binary_payloads_are_reported_however_spelled(
    text: str, expected: int, api_format: str | None
) -> None:
    found = extract(text.encode(), content_type="application/json", api_format=api_format)
    assert _payloads(found.unscanned) == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_binary_payloads_in_utf16_json_and_websocket_messages(text: str, expected: int) -> None:
    utf16 = extract(text.encode("utf-16"), content_type="application/json")
    assert _payloads(utf16.unscanned) == expected
    assert _payloads(extract_ws(text).unscanned) == expected
