"""Values a sender encoded: a base64 run inside a prompt (`QUtJQ...`) hides a key from every
detector. `decoded_segments` decodes such runs once, bounded, and offers the readable text as
extra segments to scan; a finding in one is acted on like any other (redaction cannot rewrite the
encoded original in place, so a `redact` verdict on it blocks).
"""

from __future__ import annotations

import base64
import binascii

import re2

from aigate.inspect.result import Segment

ENCODED_KIND = "decoded"
# RE2: linear time, and several times faster than `re` over prose that holds no run at all.
_BASE64_RUN = re2.compile(r"[A-Za-z0-9+/_-]{24,}={0,2}")
_MAX_RUNS = 64  # per request: a body of encoded blobs costs bounded time
_MAX_RUN = 64 * 1024  # characters of one run decoded


def decoded_segments(segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
    """Readable text decoded from base64 (standard or URL-safe) runs in `segments`."""
    out: list[Segment] = []
    for index, segment in enumerate(segments):
        for match in _BASE64_RUN.finditer(segment.text):
            if len(out) >= _MAX_RUNS:
                return tuple(out)
            text = _readable(match.group()[:_MAX_RUN])
            if text is not None:
                out.append(Segment(text, ((ENCODED_KIND, index, match.start()),)))
    return tuple(out)


def _readable(run: str) -> str | None:
    """The run decoded, when that gives text a person or a program would have written."""
    if not any(c.isdigit() or c.isupper() for c in run) or not any(c.islower() for c in run):
        return None  # a word, a number or an all-caps id: not base64 someone chose
    padded = run + "=" * (-len(run) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    printable = sum(c.isprintable() or c in "\n\r\t" for c in text)
    return text if text and printable >= 0.95 * len(text) else None
