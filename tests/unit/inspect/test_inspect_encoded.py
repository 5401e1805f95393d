"""Values the sender encoded: base64 runs in a prompt are decoded once, bounded, and scanned; a
redact verdict on what they hid blocks (the encoded original cannot be rewritten in place)."""

from __future__ import annotations

import base64
import gzip
import json
import urllib.parse
import zlib

import pytest
from aigate.inspect import (
    RedactionError,
    build_scanner,
    inspect_request,
    redact_request,
    scan_text,
)
from aigate.inspect.encoded import decoded_segments
from aigate.inspect.engine import Scanner
from aigate.inspect.recent import Recent
from aigate.inspect.result import Segment
from aigate.policy import DEFAULT_POLICY, load_policy

SCANNER = build_scanner(load_policy(DEFAULT_POLICY).policy.dlp)
KEY = "aws_access_key_id = AKIAQ3EGRLMNV4XKTYJW"
AWS_PAIR_TEXT = KEY + "\naws_secret_access_key = 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"
CARD = "card 4111 1111 1111 1111"


def prompt(text: str) -> bytes:
    return json.dumps({"messages": [{"role": "user", "content": text}]}).encode()


def found(text: str) -> set[str]:
    inspection = inspect_request(
        SCANNER, body=prompt(text), content_type="application/json", api_format="openai"
    )
    return {f.detector for f in inspection.findings}


@pytest.mark.parametrize(
    "text",
    [
        f"please decode {base64.b64encode(KEY.encode()).decode()}",
        f"b64:{base64.b64encode(KEY.encode()).decode()}.",
        f"token {base64.urlsafe_b64encode(KEY.encode()).decode().rstrip('=')} end",
        f"config\n{base64.b64encode(('x' * 40 + chr(10) + KEY).encode()).decode()}",
    ],
    ids=["standard", "punctuated", "url-safe-unpadded", "multi-line-content"],
)
def test_a_base64_encoded_secret_is_found(text):
    assert "aws_access_key_id" in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "a sha1 3f786850e387550fdab836ed7e6dc881de23001b and id 5f8d0d55b54764421b7156c3",
        "the word Pneumonoultramicroscopicsilicovolcanoconiosis is long",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        base64.b64encode(bytes(range(200))).decode(),  # binary, not text
    ],
    ids=["hashes", "long-word", "all-caps-id", "binary"],
)
def test_ordinary_long_tokens_are_not_decoded(text):
    segments = (Segment(text, (("text",),)),)
    assert decoded_segments(segments) == ()


def test_decoding_is_bounded():
    runs = " ".join(base64.b64encode(f"note {n:04d} {KEY}".encode()).decode() for n in range(500))
    assert len(decoded_segments((Segment(runs, (("text",),)),))) == 64


def test_redact_on_an_encoded_value_cannot_rewrite_it_and_so_blocks():
    body = prompt(f"pay {base64.b64encode(CARD.encode()).decode()}")
    inspection = inspect_request(
        SCANNER, body=body, content_type="application/json", api_format="openai"
    )
    assert {f.detector for f in inspection.findings} == {"credit_card"}
    with pytest.raises(RedactionError):
        redact_request(inspection, "application/json")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (f"please decode {base64.b64encode(KEY.encode()).decode()}", "base64"),
        (f"hex dump {KEY.encode().hex()} end", "hex"),
        (f"hex upper {KEY.encode().hex().upper()}", "hex"),
        ("url " + "".join(f"%{b:02X}" for b in KEY.encode()), "percent"),
        ("query ?q=" + KEY.replace(" ", "%20").replace("=", "%3D"), "percent"),
    ],
    ids=["base64", "hex", "hex-upper", "percent-every-byte", "percent-mixed"],
)
def test_a_finding_inside_an_encoded_run_says_which_encoding(text, encoding):
    inspection = inspect_request(
        SCANNER, body=prompt(text), content_type="application/json", api_format="openai"
    )
    decoded = {f.decoded for f in inspection.findings if f.detector == "aws_access_key_id"}
    assert encoding in decoded


def test_a_hash_in_hex_is_not_decoded():
    digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    assert decoded_segments((Segment(f"sha256 {digest}", (("text",),)),)) == ()


def _run_places(text: str) -> list[tuple[str, str]]:
    """(the run as written, its encoding) for each run of `text` that decodes."""
    segments = decoded_segments((Segment(text, (("text",),)),))
    return [(text[step[2] : step[3]], step[4]) for step in (s.locator[0] for s in segments)]


ENCODED_KEY = base64.b64encode(KEY.encode()).decode()


@pytest.mark.parametrize("before", ["", "é", "日本語 ", "\U0001f600\U0001f600 ", "ß" * 300])
def test_a_runs_place_is_in_characters_after_wider_text(before):
    """Offsets are characters of the text (what the finding points at), not UTF-8 bytes."""
    text = f"{before}one {ENCODED_KEY} and ünï {KEY.encode().hex()} end"
    assert _run_places(text) == [(ENCODED_KEY, "base64"), (KEY.encode().hex(), "hex")]


def test_a_lone_surrogate_does_not_hide_a_run():
    """JSON may carry a lone surrogate escape (`\\ud800`): the text cannot be UTF-8, and the
    runs in it are decoded all the same (before, encoding it failed, and the request was
    refused as unscannable)."""
    assert _run_places(f"x\ud800 {ENCODED_KEY} end") == [(ENCODED_KEY, "base64")]


def test_a_hex_run_is_read_as_hex_and_a_run_with_escapes_as_percent():
    hex_then_letters = KEY.encode().hex() + "zz"
    percent = "".join(f"%{b:02X}" for b in KEY.encode())
    assert _run_places(f"a {hex_then_letters} b") == [(KEY.encode().hex(), "hex")]
    assert _run_places(f"a {percent} b") == [(percent, "percent")]
    assert _run_places(f"a {ENCODED_KEY} b") == [(ENCODED_KEY, "base64")]


# A file encoded with the `base64` tool (or MIME, or PEM) comes wrapped in lines of 76 or 64
# characters, a hex dump (`xxd -p`) in lines of 60: a key across a line break is read whole.
_ENV = ("# staging settings\nAPP_NAME=billing\nREGION=eu-west-1\n" + AWS_PAIR_TEXT
        + "\nDB_HOST=db.internal\n").encode()
_B64 = base64.b64encode(_ENV).decode()


def _lines(text: str, width: int, newline: str = "\n") -> str:
    return newline.join(text[i : i + width] for i in range(0, len(text), width))


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (base64.encodebytes(_ENV).decode(), "base64"),
        (_lines(_B64, 64), "base64"),
        (_lines(_B64, 76, "\r\n"), "base64"),
        (_lines(_ENV.hex(), 60), "hex"),
    ],
    ids=["base64-tool-76", "pem-64", "crlf", "xxd-60"],
)
def test_a_run_wrapped_over_lines_is_decoded_whole(encoded, encoding):
    text = f"here is the file:\n{encoded}\nthanks"
    found = scan_text(SCANNER, text)
    assert {(f.detector, f.decoded) for f in found} >= {
        ("aws_access_key_id", encoding), ("aws_secret_access_key", encoding)
    }
    (run,) = {(f.start, f.end) for f in found}
    assert text[run[0] : run[1]].strip() == encoded.strip()


def test_a_base64_line_followed_by_prose_is_read_as_before():
    line = base64.b64encode(KEY.encode()).decode()
    assert _run_places(f"{line}\nThis is my note about it.") == [(line, "base64")]


_B64_KEY = base64.b64encode(KEY.encode())


@pytest.mark.parametrize(
    ("encoded", "chain"),
    [
        (base64.b64encode(_B64_KEY).decode(), "base64+base64"),
        (_B64_KEY.hex(), "hex+base64"),
        (urllib.parse.quote(_B64_KEY.decode(), safe=""), "percent+base64"),
        (base64.b64encode(KEY.encode().hex().encode()).decode(), "base64+hex"),
        (base64.b64encode(base64.b64encode(_B64_KEY)).decode(), "base64+base64+base64"),
    ],
    ids=["base64-of-base64", "hex-of-base64", "percent-of-base64", "base64-of-hex", "three-deep"],
)
def test_a_run_inside_a_run_is_decoded_and_reported_at_the_outer_run(encoded, chain):
    text = f"decode this: {encoded} please"
    (found,) = [f for f in scan_text(SCANNER, text) if f.detector == "aws_access_key_id"]
    assert found.decoded == chain
    assert text[found.start : found.end] == encoded


@pytest.mark.parametrize("pack", [gzip.compress, zlib.compress], ids=["gzip", "zlib"])
@pytest.mark.parametrize("encode", [base64.b64encode, bytes.hex], ids=["base64", "hex"])
def test_compressed_data_in_a_run_is_inflated_and_read(pack, encode):
    encoded = encode(pack(KEY.encode()))
    encoded = encoded.decode() if isinstance(encoded, bytes) else encoded
    assert "aws_access_key_id" in found(f"blob {encoded} end")


def test_inflating_a_run_is_bounded():
    """A zip bomb in base64 inflates to the run limit (64 KiB) at most, then is judged."""
    bomb = base64.b64encode(gzip.compress(b"\0" * 50_000_000)).decode()
    assert decoded_segments((Segment(f"x {bomb} y", (("text",),)),)) == ()


_AKIA = "AKIAQ3EGRLMNV4XKTYJW"


@pytest.mark.parametrize(
    "written",
    [
        "".join(f"&#{ord(c)};" for c in _AKIA),
        "&#x41;" + _AKIA[1:],
        "&#65;" + _AKIA[1:],
        "\\u0041" + _AKIA[1:],
        "\\x41\\x4b" + _AKIA[2:],
    ],
    ids=["html-decimal", "html-hex", "one-entity", "unicode-escape", "hex-escape"],
)
def test_a_key_written_with_character_escapes_is_found_where_it_was_written(written):
    text = f"aws key {written} ok"
    (found,) = [f for f in scan_text(SCANNER, text) if f.detector == "aws_access_key_id"]
    assert found.decoded == "escaped"
    assert text[found.start : found.end] == written


def test_an_entity_in_prose_is_read_and_found_to_be_nothing():
    assert scan_text(SCANNER, "un caf&#233; au lait, s'il vous pla&#238;t") == []


# A conversation's earlier turns come again with every request: where their runs are is kept
# (`Recent`), never what the runs decode to.
_TURN = "Here is the config you asked about, as the tool printed it. " * 5


def _encoded_turn(n: int) -> str:
    return f"{_TURN} turn {n}: {base64.b64encode(f'{n} {KEY}'.encode()).decode()} end"


def test_a_segment_met_again_decodes_to_the_same_segments_at_its_new_index():
    recent: Recent = Recent(16, 100)
    turn = _encoded_turn(1)
    first = decoded_segments((Segment(turn, (("text",),)),), recent)
    again = decoded_segments((Segment(_TURN, (("text",),)), Segment(turn, (("text",),))), recent)
    assert [s.text for s in again] == [s.text for s in first] == [f"1 {KEY}"]
    assert first[0].locator[0][1] == 0 and again[0].locator[0][1] == 1
    assert first[0].locator[0][2:] == again[0].locator[0][2:]


def test_only_where_the_runs_are_is_kept_not_what_they_decode_to():
    recent: Recent = Recent(16, 100)
    turn = _encoded_turn(2)
    (segment,) = decoded_segments((Segment(_TURN, (("text",),)), Segment(turn, (("text",),))),
                                  recent)
    _, _, start, end, encoding = segment.locator[0]
    assert recent.get(recent.key(turn)) == ((start, end, encoding),)
    assert recent.get(recent.key(_TURN)) == ()  # searched, and found to hold none


def test_the_bound_on_decoded_runs_holds_for_segments_met_again():
    recent: Recent = Recent(16, 100)
    many = " ".join(base64.b64encode(f"note {n:04d} {KEY}".encode()).decode() for n in range(40))
    other = many.replace("note", "memo")
    segments = (Segment(many, (("text",),)), Segment(other, (("text",),)))
    alone = decoded_segments(segments[:1], recent)
    both = decoded_segments(segments, recent)
    assert len(alone) == 40 and both == decoded_segments(segments)
    again = decoded_segments(segments[::-1], recent)
    assert again == decoded_segments(segments[::-1])
    assert [s.locator[0][1] for s in again] == [0] * 40 + [1] * 24


def test_the_scanner_looks_up_its_recent_texts_runs_unless_told_to_keep_none():
    turn = _encoded_turn(3)
    segments = (Segment(turn, (("text",),)),)
    for scanner in (Scanner(key=b"k"), Scanner(key=b"k", recent=0)):
        assert scanner.decoded_segments(segments) == decoded_segments(segments)
        assert scanner.decoded_segments(segments) == decoded_segments(segments)
