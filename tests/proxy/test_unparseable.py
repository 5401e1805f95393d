"""Content that fails to parse is still scanned, through the real proxy with a recording upstream:
a secret inside a multipart body without its closing delimiter, a gzip body sent without
Content-Encoding, or a body under an unknown Content-Encoding is blocked and never arrives."""

from __future__ import annotations

import gzip

import pytest
from proxyharness import make_client

API = "https://allowed.openai.test/v1/chat/completions"
UPLOAD = "https://allowed.openai.test/v1/files"
KEY = b"aws_access_key_id = AKIAQ3EGRLMNV4XKTYJW"
PROMPT = b'{"model":"m","messages":[{"role":"user","content":"' + KEY + b'"}]}'
PART = (
    b'--XYZ\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\n'
    b"Content-Type: text/plain\r\n\r\n" + KEY + b"\r\n"
)

CASES = {
    "multipart without its closing delimiter": (
        UPLOAD,
        PART,
        {"content-type": "multipart/form-data; boundary=XYZ"},
    ),
    "multipart under another boundary": (
        UPLOAD,
        PART.replace(b"XYZ", b"ABC"),
        {"content-type": "multipart/form-data; boundary=XYZ"},
    ),
    "gzip without Content-Encoding": (
        API,
        gzip.compress(PROMPT),
        {"content-type": "application/json"},
    ),
    "gzip under an unknown encoding": (
        API,
        gzip.compress(PROMPT),
        {"content-type": "application/json", "content-encoding": "x-gzip-custom"},
    ),
    "plain text under an unknown encoding": (
        API,
        PROMPT,
        {"content-type": "application/json", "content-encoding": "x-custom"},
    ),
    "says gzip, is plain": (
        API,
        PROMPT,
        {"content-type": "application/json", "content-encoding": "gzip"},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_secret_in_content_that_fails_to_parse_never_reaches_the_upstream(proxy, upstream, case):
    url, body, headers = CASES[case]
    before = upstream.snapshot()
    with make_client(proxy) as client:
        reply = client.post(url, content=body, headers=headers)
    assert reply.status_code == 403, reply.text[:300]
    assert upstream.requests_since(before) == []
