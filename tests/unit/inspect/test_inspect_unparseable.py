"""Unparseable is not unscanned: a body a structured reader gives up on, or whose encoding the
header gets wrong, is still read; only content that truly cannot be read stays unscanned."""

from __future__ import annotations

import gzip
import zlib

import pytest
from aigate.inspect import build_scanner, inspect_request
from aigate.policy import DEFAULT_POLICY, load_policy

SCANNER = build_scanner(load_policy(DEFAULT_POLICY).policy.dlp)
KEY = b"aws_access_key_id = AKIAQ3EGRLMNV4XKTYJW"
PROMPT = b'{"messages":[{"role":"user","content":"' + KEY + b'"}]}'
PART = (
    b'--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
    b"Content-Type: text/plain\r\n\r\n" + KEY + b"\r\n"
)
MULTIPART = "multipart/form-data; boundary=XYZ"


@pytest.mark.parametrize(
    ("body", "content_type", "content_encoding"),
    [
        (PART, MULTIPART, None),  # no closing delimiter
        (PART + b"--XYZ\r\nbroken header line\r\n", MULTIPART, None),  # a broken second part
        (PART.replace(b"--XYZ", b"--ABC"), MULTIPART, None),  # the boundary is not the one named
        (gzip.compress(PROMPT), "application/json", None),  # gzip without Content-Encoding
        (gzip.compress(PROMPT), "application/json", "x-gzip-custom"),  # an unknown encoding
        (PROMPT, "application/json", "x-custom"),  # an unknown encoding that is really none
        (PROMPT, "application/json", "gzip"),  # says gzip, is not
        (gzip.compress(PROMPT), None, "deflate"),  # says deflate, is gzip
    ],
    ids=[
        "open-multipart",
        "broken-part",
        "wrong-boundary",
        "gzip-no-header",
        "unknown-coding",
        "unknown-identity",
        "false-gzip",
        "gzip-as-deflate",
    ],
)
def test_a_secret_in_content_that_fails_to_parse_is_still_found(
    body, content_type, content_encoding
):
    found = inspect_request(
        SCANNER, body=body, content_type=content_type, content_encoding=content_encoding
    )
    assert "aws_access_key_id" in {f.detector for f in found.findings}
    assert found.inspected


def test_binary_content_in_an_unknown_encoding_stays_unscanned_with_the_reason():
    found = inspect_request(
        SCANNER,
        body=zlib.compress(bytes(range(256)) * 8)[:200] + b"\x00",
        content_encoding="x-custom",
    )
    assert found.findings == ()
    assert found.unscanned == ("unsupported content-encoding 'x-custom'",)
    assert not found.inspected
