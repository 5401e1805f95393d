"""Values a sender encoded: a base64, hex, percent-encoded or character-escaped run inside a
prompt (`QUtJQ...`, `414b4941...`, `%41%4B%49%41...`, `&#65;KIA...`) hides a key from every
detector. `decoded_segments` decodes
such runs once, bounded, and offers the readable text as extra segments to scan; a finding in
one says which encoding it was found in, and is acted on like any other (redaction cannot
rewrite the encoded original in place, so a `redact` verdict on it blocks).
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import urllib.parse
import zlib

import re2

from aigate.inspect.recent import Recent
from aigate.inspect.result import Segment

ENCODED_KIND = "decoded"
# RE2: linear time, and several times faster than `re` over prose that holds no run at all.
# Hex comes first: a hex run is also valid base64, and read as base64 it decodes to noise.
# No capturing groups: RE2 then finds a run with its DFAs alone (with a group per encoding, its
# NFA walked every run again: 120 us for a 4 KB one); `_encoding` tells which alternative won.
_RUNS = re2.compile(
    r"(?:[0-9a-fA-F]{2}){16,}"  # hex
    r"|(?:[A-Za-z0-9._~+/=-]{0,64}%[0-9a-fA-F]{2}){2,}[A-Za-z0-9._~+/=-]{0,64}"  # percent
    r"|[A-Za-z0-9+/_-]{24,}={0,2}"  # base64
    # character escapes: HTML entities (&#65; &#x41;), JSON/JS and Python ones (\u0041 \x41)
    r"|(?:[A-Za-z0-9._~+/=-]{0,64}(?:&#[0-9]{1,7};|&#[xX][0-9a-fA-F]{1,6};"
    r"|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}))+[A-Za-z0-9._~+/=-]{0,64}"
)
# The bindings' C++ Match, called directly: their `finditer`, `group` and `lastgroup` cost
# microseconds each (a URL path holding one candidate run took 31 us in all).
_RUNS_MATCH = _RUNS._regexp.Match
_UNANCHORED = re2._Anchor.UNANCHORED
_HEX_START = re.compile(r"[0-9a-fA-F]{32}")
# A wrapped run's further lines: after a line break, the encoding's characters to the line's end.
_NEXT_LINE = {
    "base64": re.compile(rb"\r?\n([A-Za-z0-9+/_-]+={0,2})(?![^\s\"'\\,;)\]}])"),
    "hex": re.compile(rb"\r?\n([0-9a-fA-F]+)(?![^\s\"'\\,;)\]}])"),
}
_UNIT = {"base64": 4, "hex": 2}  # a full line of the encoding holds whole groups
_MAX_RUNS = 64  # per request: a body of encoded blobs costs bounded time
_MAX_DEPTH = 3  # runs inside runs: base64 of hex of base64 is read, no deeper
_MAX_RUN = 64 * 1024  # characters of one run decoded
# Every run `_RUNS` finds holds a character escape, two percent escapes or 24 characters of the
# base64 alphabet in a row (hex digits are in it too). Most prompts have none, and saying so
# costs a translate and a few substring searches, a third of an RE2 pass.
_RUN_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-"
_RUN_MAP = bytes(0x21 if byte in _RUN_CHARS else 0x20 for byte in range(256))
_RUN_START = b"!" * 24
_PERCENT_ESCAPE = re.compile(rb"%[0-9a-fA-F]{2}")
_CHAR_ESCAPE = re.compile(rb"&#[xX]?[0-9a-fA-F]{1,7};|\\[ux][0-9a-fA-F]{2}")
_DIGITS = frozenset("0123456789")


Run = tuple[int, int, str, str]  # start, end, encoding, the text it decodes to
RunSpans = tuple[tuple[int, int, str], ...]  # where a text's runs are: never what they decode to


def decoded_segments(
    segments: tuple[Segment, ...], recent: Recent[RunSpans] | None = None
) -> tuple[Segment, ...]:
    """Readable text decoded from base64 (standard or URL-safe), hex and percent-encoded runs
    in `segments`; each segment's locator names the encoding. With `recent`, where the runs of
    a text met recently are is looked up instead of searched for (a conversation's earlier
    turns, resent with every request)."""
    out: list[Segment] = []
    for index, segment in enumerate(segments):
        for start, end, encoding, text in _decoded_runs(segment.text, recent):
            room = _MAX_RUNS - len(out) - 1
            for chain, decoded in ((encoding, text), *_nested(text, encoding, 1, room)):
                if len(out) >= _MAX_RUNS:
                    return tuple(out)
                out.append(Segment(decoded, ((ENCODED_KIND, index, start, end, chain),)))
    return tuple(out)


def _nested(text: str, chain: str, depth: int, room: int) -> list[tuple[str, str]]:
    """Runs inside what a run decoded to (base64 of base64, percent-encoded base64), a few
    levels deep and `room` at most, each as (its chain of encodings, `percent+base64`, and
    what it decodes to). They are reported at the outermost run's place: what the sender
    wrote."""
    found: list[tuple[str, str]] = []
    if depth >= _MAX_DEPTH:
        return found
    for _, _, encoding, decoded in _find_runs(text, room):
        if len(found) >= room:
            break
        inner = f"{chain}+{encoding}"
        found.append((inner, decoded))
        found += _nested(decoded, inner, depth + 1, room - len(found))
    return found


def _decoded_runs(text: str, recent: Recent[RunSpans] | None) -> list[Run]:
    """The runs of `text` that decode to readable text, the first `_MAX_RUNS` of them."""
    if recent is None or not recent.keeps(text):
        return _find_runs(text)
    key = recent.key(text)
    spans = recent.get(key)
    if spans is not None:  # each run decodes as it did: a decoder reads the run alone
        return [(start, end, encoding, _decode(encoding, text[start:end]))
                for start, end, encoding in spans]
    runs = _find_runs(text)
    recent.put(key, tuple(run[:3] for run in runs), len(runs))
    return runs


def _find_runs(text: str, limit: int = _MAX_RUNS) -> list[Run]:
    runs: list[Run] = []
    if limit <= 0 or not _may_hold_run(text):
        return runs
    data = text.encode("utf-8", "surrogatepass")
    size = len(data)
    pos = 0
    # Offsets in characters: counted on from the last run (a run is ASCII, so a run's bytes
    # are its characters; only the text between runs may be wider).
    byte_at = char_at = 0
    while pos <= size and len(runs) < limit:
        start, end = _RUNS_MATCH(_UNANCHORED, data, pos, size)[0]
        if start < 0:
            break
        run = data[start:end].decode("ascii")
        encoding = _encoding(run)
        wrapped = _wrapped_end(data, start, end, encoding)
        decoded = None
        if wrapped > end:  # read as one run, else its first line as before
            decoded = _decode(encoding, data[start:wrapped].decode("ascii"))
            if decoded is not None:
                end = wrapped
        if decoded is None:
            decoded = _decode(encoding, run)
        pos = end if end > pos else pos + 1
        if decoded is None:
            continue
        if size != len(text):
            char_at += len(data[byte_at:start].decode("utf-8", "surrogatepass"))
            byte_at = start
            start, end = char_at, char_at + end - byte_at
        runs.append((start, end, encoding, decoded))
    return runs


def _wrapped_end(data: bytes, start: int, end: int, encoding: str) -> int:
    """Where a base64 or hex run wrapped over lines of one width ends (the `base64` tool and
    MIME wrap at 76 characters, PEM at 64, `xxd -p` at 60): each further line as wide as the
    first, the last one at most as wide. `end` when the run at start..end is not wrapped."""
    width = end - start
    unit = _UNIT.get(encoding)
    if unit is None or width < 32 or width % unit or data[end - 1] == 61:
        return end  # (61: "=", padding ends a base64 run)
    next_line = _NEXT_LINE[encoding]
    while (line := next_line.match(data, end)) is not None:
        length = line.end(1) - line.start(1)
        if length > width:
            break
        end = line.end(1)
        if length < width or data[end - 1] == 61:
            break
    return end


def _decode(encoding: str, run: str) -> str | None:
    """What a run decodes to (its line breaks, where it was wrapped, left out)."""
    if encoding in _UNIT and "\n" in run:
        run = run.replace("\r", "").replace("\n", "")
    return _DECODERS[encoding](run[:_MAX_RUN])


def _encoding(run: str) -> str:
    """Which of `_RUNS`' alternatives matched `run`: the first that matches where it starts
    wins, so hex if 32 hex digits start it; percent if it holds a `%` escape, escaped if it
    holds a character escape (no other run holds either); else base64."""
    if _HEX_START.match(run):
        return "hex"
    if "%" in run:
        return "percent"
    return "escaped" if "&#" in run or "\\" in run else "base64"


def _may_hold_run(text: str) -> bool:
    if len(text) < 24 and "%" not in text and "&#" not in text and "\\" not in text:
        return False
    data = text.encode("utf-8", "surrogatepass")
    if _CHAR_ESCAPE.search(data) is not None:  # one is enough: `&#65;KIA...`
        return True
    escape = _PERCENT_ESCAPE.search(data)
    if escape is not None and _PERCENT_ESCAPE.search(data, escape.end()) is not None:
        return True
    return _RUN_START in data.translate(_RUN_MAP)


def encoding_of(segment: Segment) -> str | None:
    """The encoding a decoded segment was read from (None for any other segment)."""
    step = segment.locator[0] if segment.locator else ()
    return step[4] if step and step[0] == ENCODED_KIND else None


def _text(raw: bytes) -> str | None:
    """Bytes as text, when that is text a person or a program would have written; gzip or zlib
    data is inflated first (at most `_MAX_RUN` bytes of it)."""
    if _compressed(raw):
        try:
            raw = zlib.decompressobj(wbits=47).decompress(raw, _MAX_RUN)  # 47: gzip or zlib
        except zlib.error:
            return None
    try:
        text = raw.decode("utf-8")
    except ValueError:
        return None
    printable = sum(c.isprintable() or c in "\n\r\t" for c in text)
    return text if text and printable >= 0.95 * len(text) else None


def _compressed(raw: bytes) -> bool:
    """gzip's magic number, or a zlib header (deflate, its check bits right)."""
    return raw[:2] == b"\x1f\x8b" or (
        raw[:1] == b"\x78" and len(raw) > 1 and int.from_bytes(raw[:2]) % 31 == 0
    )


def _base64(run: str) -> str | None:
    # (ASCII: `upper()` leaves a run unchanged when it has no lower-case letter)
    if run.upper() == run or (run.lower() == run and _DIGITS.isdisjoint(run)):
        return None  # a word, a number or an all-caps id: not base64 someone chose
    padded = run + "=" * (-len(run) % 4)
    try:
        return _text(base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True))
    except (binascii.Error, ValueError):
        return None


def _hex(run: str) -> str | None:
    text = _text(bytes.fromhex(run))
    # Hashes and ids decode to noise; text that someone hex-encoded reads as words or a token.
    return text if text is not None and sum(c.isalnum() for c in text) >= 0.6 * len(text) else None


def _percent(run: str) -> str | None:
    return _text(urllib.parse.unquote_to_bytes(run))


def _escaped(run: str) -> str | None:
    return _text(_BACKSLASH_ESCAPE.sub(_unescape, html.unescape(run)).encode("utf-8", "replace"))


def _unescape(escape: re.Match[str]) -> str:
    return chr(int(escape.group(1), 16))


_BACKSLASH_ESCAPE = re.compile(r"\\[ux]([0-9a-fA-F]{4}|(?<=x)[0-9a-fA-F]{2})")
_DECODERS = {"base64": _base64, "hex": _hex, "percent": _percent, "escaped": _escaped}
