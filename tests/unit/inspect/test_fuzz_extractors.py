"""Hostile bodies against the inspection core: every extractor, the generic fallback, the
Content-Encoding layer and uploads.

Properties, for any input: `inspect_request` / `inspect_ws` / `extract_text` never raise (what
cannot be read is reported in `unscanned`), `decode` raises only `DecodeError`, redaction raises
only `RedactionError` and otherwise returns a body of the same format (JSON stays JSON, a form
stays a form, multipart keeps its parts) without the value found, and each example finishes in
bounded time (hypothesis `deadline`).

Examples per test: `AIGATE_FUZZ_EXAMPLES` (default 120); CI may raise it for a deeper run.
"""

from __future__ import annotations

import json
import os
import string
from urllib.parse import parse_qsl, urlencode

import pytest
from aigate.inspect import build_scanner, inspect_request, inspect_ws, redact_request
from aigate.inspect.decode import DecodeError, decode
from aigate.inspect.extract import extract, multipart, registry
from aigate.inspect.redact import RedactionError
from aigate.inspect.result import KEYS_STEP
from aigate.inspect.uploads import Limits, extract_text
from aigate.policy.model import Dlp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("AIGATE_FUZZ_EXAMPLES", "120"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=5000,  # ms per example: a hostile body must not stall a proxy worker
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SCANNER = build_scanner(Dlp())
CARD = "4111 1111 1111 1111"
AWS_KEY = "AKIAIOSFODNN7EXAMPLE"  # AWS's documentation key: a finding, never a real credential
SECRETS = (CARD, AWS_KEY, "jane.doe@example.com")

# Where each extractor applies: (extractor, request kwargs, container). Web apps need their host
# and path; API formats their catalog `api_format`.
TARGETS = {
    "anthropic": ({"api_format": "anthropic"}, "json"),
    "bedrock": ({"api_format": "bedrock"}, "json"),
    "cohere": ({"api_format": "cohere"}, "json"),
    "gemini": ({"api_format": "gemini"}, "json"),
    "huggingface": ({"api_format": "huggingface"}, "json"),
    "openai": ({"api_format": "openai"}, "json"),
    "chatgpt_web": ({"host": "chatgpt.com", "path": "/backend-api/conversation"}, "json"),
    "claude_web": ({"host": "claude.ai", "path": "/api/chat_conversations/1/completion"}, "json"),
    "deepseek_web": ({"host": "chat.deepseek.com", "path": "/api/v0/chat/completion"}, "json"),
    "perplexity_web": ({"host": "www.perplexity.ai", "path": "/rest/sse/perplexity_ask"}, "json"),
    "poe_web": ({"host": "poe.com", "path": "/api/gql_POST"}, "json"),
    "gemini_web": (
        {"host": "gemini.google.com", "path": "/_/BardChatUi/data/StreamGenerate"},
        "form",
    ),
    "characterai_web": ({"host": "neo.character.ai", "path": "/ws/"}, "ws"),
    "copilot_web": ({"host": "copilot.microsoft.com", "path": "/c/api/chat"}, "ws"),
    "generic": ({}, "json"),
}


def test_every_extractor_has_a_fuzz_target():
    assert {ex.name for ex in registry()} | {"generic"} == set(TARGETS)


# --- strategies -------------------------------------------------------------------------------

KEYS = st.sampled_from(
    [
        "messages",
        "content",
        "text",
        "prompt",
        "parts",
        "role",
        "type",
        "data",
        "inputs",
        "message",
        "chat_history",
        "contents",
        "query",
        "attachments",
        "extracted_content",
        "variables",
        "input",
        "system",
        "documents",
        "image_url",
        "f.req",
        "command",
        "payload",
        "turn",
        "candidates",
        "raw_content",
        "event",
    ]
)
LEAF_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(SECRETS),
    st.builds(
        lambda a, s, b: f"{a} {s} {b}",
        st.text(max_size=10),
        st.sampled_from(SECRETS),
        st.text(max_size=10),
    ),
)
JSON_DOCS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | LEAF_TEXT,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(KEYS | st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=25,
)


def _truncated(data: bytes, cut: int) -> bytes:
    return data[: cut % (len(data) + 1)]


def _deep(depth: int, opener: str) -> bytes:
    inner = json.dumps(CARD)
    if opener == "[":
        return ("[" * depth + inner + "]" * depth).encode()
    return ('{"messages":' * depth + inner + "}" * depth).encode()


JSON_BODIES = st.one_of(
    JSON_DOCS.map(lambda d: json.dumps(d).encode()),
    st.tuples(JSON_DOCS.map(lambda d: json.dumps(d).encode()), st.integers(0, 10_000)).map(
        lambda t: _truncated(*t)
    ),
    st.tuples(st.integers(1, 10_000), st.sampled_from("[{")).map(lambda t: _deep(*t)),
    # duplicate keys: a parser keeps one value, the body holds both
    st.tuples(st.sampled_from(SECRETS), st.text(max_size=20)).map(
        lambda t: (
            f'{{"messages":[{{"role":"user","content":{json.dumps(t[0])}}}],'
            f'"messages":[{{"role":"user","content":{json.dumps(t[1])}}}]}}'
        ).encode()
    ),
    st.binary(max_size=300),
    # invalid UTF-8 inside a JSON string, and a BOM
    st.binary(max_size=40).map(lambda b: b'{"prompt":"' + b + b'"}'),
    JSON_DOCS.map(lambda d: b"\xef\xbb\xbf" + json.dumps(d).encode()),
    # huge strings (built by repetition: generating them byte by byte would be slow)
    st.tuples(st.integers(1, 2_000_000), st.sampled_from(SECRETS)).map(
        lambda t: json.dumps({"prompt": "a" * t[0] + " " + t[1]}).encode()
    ),
)
CONTENT_TYPES = st.sampled_from(
    [
        None,
        "",
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=b",
        "application/octet-stream",
        "image/png",
        "application/json; charset=utf-16",
        "text/html; charset=iso-8859-1",
        "application/vnd.api+json",
        "\x00garbage/;;;",
    ]
)


@st.composite
def multipart_bodies(draw: st.DrawFn) -> tuple[bytes, str]:
    """Random multipart bodies: text fields, files, broken heads, missing closing delimiter."""
    boundary = draw(
        st.text(string.ascii_letters + string.digits + "-'()+_,./:=?", min_size=1, max_size=20)
    )
    parts = []
    for index in range(draw(st.integers(0, 4))):
        value = draw(st.one_of(st.binary(max_size=60), LEAF_TEXT.map(str.encode)))
        head = f'Content-Disposition: form-data; name="f{index}"'
        if draw(st.booleans()):
            head += f'; filename="{draw(st.sampled_from(["a.txt", "b.zip", "c.pdf", "d"]))}"'
        if draw(st.booleans()):
            head += "\r\nContent-Type: " + draw(
                st.sampled_from(["text/plain", "image/png", "application/json"])
            )
        if draw(st.booleans()):
            head = draw(st.text(max_size=30))  # a head that is not a header at all
        parts.append(f"--{boundary}\r\n{head}\r\n\r\n".encode("utf-8", "replace") + value + b"\r\n")
    body = b"".join(parts)
    if draw(st.booleans()):
        body += f"--{boundary}--\r\n".encode()
    body = _truncated(body, draw(st.integers(0, 10_000))) if draw(st.booleans()) else body
    return body, f"multipart/form-data; boundary={boundary}"


# --- properties -------------------------------------------------------------------------------


def _same_format(original: bytes, redacted: bytes, content_type: str | None) -> None:
    """The redacted body parses as the original did."""
    ctype = (content_type or "").lower()
    if ctype.startswith("multipart/"):
        marker = multipart.boundary(content_type or "")
        assert marker is not None
        assert len(multipart.parse(redacted, marker)) == len(multipart.parse(original, marker))
        return
    if ctype.startswith("application/x-www-form-urlencoded"):
        text = redacted.decode("utf-8")
        assert len(parse_qsl(text, keep_blank_values=True)) == len(
            parse_qsl(original.decode("utf-8", "replace"), keep_blank_values=True)
        )
        return
    if original.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] not in (b"{", b"["):
        return  # a bare scalar or not JSON at all: scanned and redacted as text
    try:
        json.loads(original)
    except (ValueError, RecursionError):
        return  # not JSON to begin with: the text layer has no format to keep
    json.loads(redacted)


def _nothing_silently_skipped(body: bytes, content_type: str | None, inspection) -> None:
    """Text was found, or the reason it was not is recorded, or there was no text to find (a
    JSON document without strings, an empty form, a complete multipart body without parts)."""
    if inspection.extraction.segments or inspection.unscanned or not body.strip():
        return
    kind = inspection.extraction.extractor
    if kind == "multipart":
        marker = multipart.boundary(content_type or "")
        assert marker is not None and multipart.complete(body, marker, [])
        return
    assert kind in ("generic_json", "form", "text"), kind


def _check(body: bytes, content_type: str | None, **kwargs: str) -> None:
    inspection = inspect_request(SCANNER, body=body, content_type=content_type, **kwargs)
    _nothing_silently_skipped(body, content_type, inspection)
    if not inspection.findings:
        return
    try:
        redacted = redact_request(inspection, content_type)
    except RedactionError:
        return  # the caller blocks instead: documented
    _same_format(inspection.body or b"", redacted, content_type)
    again = inspect_request(SCANNER, body=redacted, content_type=content_type, **kwargs)
    assert not again.findings, "a redacted body still holds what was found"


@pytest.mark.parametrize("name", sorted(n for n, (_, c) in TARGETS.items() if c == "json"))
@FUZZ
@given(body=JSON_BODIES, content_type=CONTENT_TYPES)
def test_json_extractors_never_raise_and_redaction_keeps_the_format(name, body, content_type):
    kwargs, _ = TARGETS[name]
    _check(body, content_type, **kwargs)


@pytest.mark.parametrize("name", sorted(n for n in TARGETS if n != "generic"))
@FUZZ
@given(doc=JSON_DOCS)
def test_extractor_leaves_accept_any_json_shape(name, doc):
    """A well-formed document of the wrong shape (lists for objects, numbers for strings)."""
    (extractor,) = [ex for ex in registry() if ex.name == name]
    for steps, text in extractor.texts(doc):
        assert isinstance(text, str) and steps


@FUZZ
@given(doc=JSON_DOCS)
def test_generic_extraction_accepts_any_json_shape(doc):
    """The fallback for bodies no extractor claims reads only strings of the document (its
    values, and its keys as one text), and always its prose."""
    assume(isinstance(doc, dict | list))  # a bare scalar is read as text
    extraction = extract(json.dumps(doc).encode(), content_type="application/json")
    strings = _strings(doc)
    for segment in extraction.segments:
        if segment.locator == (KEYS_STEP,):
            assert set(segment.text.split("\n")) <= _keys(doc)
        else:
            assert segment.text in strings
    prompt = {"note": doc, "text": "the prompt itself"}  # a prose value is always read
    again = extract(json.dumps(prompt).encode(), content_type="application/json")
    assert "the prompt itself" in {seg.text for seg in again.segments}


WRONG_SHAPES = [
    {"attachments": True},
    {"attachments": [True, {"extracted_content": 5}]},
    {"command": "create_and_generate_turn", "payload": []},
    {"command": "create_and_generate_turn", "payload": {"turn": "x"}},
    {"command": "edit_turn", "payload": {"turn": {"candidates": 7}}},
    {"event": "send", "content": None},
    {"messages": {"role": "user"}},
    {"contents": "x", "messages": 5, "prompt": [None]},
]


@pytest.mark.parametrize("doc", WRONG_SHAPES, ids=repr)
@pytest.mark.parametrize("name", sorted(n for n in TARGETS if n != "generic"))
def test_extractors_accept_known_keys_with_the_wrong_shape(name, doc):
    (extractor,) = [ex for ex in registry() if ex.name == name]
    leaves = list(extractor.texts(doc))
    assert all(isinstance(text, str) and steps for steps, text in leaves)
    strings = set(_strings(doc))
    assert all(text in strings for _, text in leaves), "a leaf that is not in the document"


@FUZZ
@given(
    field=st.one_of(JSON_BODIES.map(lambda b: b.decode("utf-8", "replace")), st.text()),
    extra=st.lists(st.tuples(st.text(max_size=8), st.text(max_size=20)), max_size=3),
    raw=st.binary(max_size=100),
    use_raw=st.booleans(),
)
def test_form_extractor_never_raises_and_redaction_keeps_the_form(field, extra, raw, use_raw):
    kwargs, _ = TARGETS["gemini_web"]
    body = raw if use_raw else urlencode([("f.req", field), *extra]).encode()
    _check(body, "application/x-www-form-urlencoded", **kwargs)


@pytest.mark.parametrize("name", ["characterai_web", "copilot_web", "generic"])
@FUZZ
@given(message=st.one_of(JSON_BODIES, JSON_BODIES.map(lambda b: b.decode("utf-8", "replace"))))
def test_websocket_extractors_never_raise_and_redaction_keeps_json(name, message):
    kwargs, _ = TARGETS[name]
    inspection = inspect_ws(
        SCANNER, message, host=kwargs.get("host", ""), path=kwargs.get("path", "")
    )
    if not inspection.findings:
        return
    try:
        redacted = redact_request(inspection)
    except RedactionError:
        return
    raw = message.encode() if isinstance(message, str) else message
    _same_format(raw, redacted, None)


@FUZZ
@given(case=multipart_bodies())
def test_multipart_never_raises_and_redaction_keeps_every_part(case):
    body, content_type = case
    _check(body, content_type)


@FUZZ
@given(body=st.binary(max_size=2000), content_type=CONTENT_TYPES, path=st.text(max_size=30))
def test_any_bytes_with_any_content_type_are_inspected_or_reported(body, content_type, path):
    _check(body, content_type, path=path)


ENCODINGS = st.sampled_from(
    [
        "gzip",
        "x-gzip",
        "deflate",
        "br",
        "zstd",
        "identity",
        "gzip, br",
        "compress",
        "GZIP",
        " , ",
        "zstd,zstd,zstd",
        "\x00",
    ]
)


@FUZZ
@given(body=st.binary(max_size=2000), coding=ENCODINGS, limit=st.integers(0, 10_000))
def test_decode_raises_only_decode_error(body, coding, limit):
    try:
        out = decode(body, coding, limit)
    except DecodeError:
        return
    assert len(out) <= max(limit, len(body))


@FUZZ
@given(body=st.binary(max_size=2000), coding=ENCODINGS)
def test_inspect_request_never_raises_on_a_corrupt_encoding(body, coding):
    inspection = inspect_request(
        SCANNER,
        body=body,
        content_encoding=coding,
        content_type="application/json",
        api_format="openai",
    )
    assert inspection.body is not None or inspection.unscanned


SMALL = Limits(
    max_bytes=200_000, max_text=50_000, max_members=20, max_member_bytes=100_000, max_seconds=1.0
)
UPLOAD_MAGIC = st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff"])


@FUZZ
@given(
    magic=UPLOAD_MAGIC,
    tail=st.binary(max_size=3000),
    name=st.text(max_size=20),
    content_type=CONTENT_TYPES,
)
def test_uploads_never_raise_on_garbage(magic, tail, name, content_type):
    found = extract_text(magic + tail, name, content_type, SMALL)
    blank = not (magic + tail).decode("latin-1").strip()  # str.strip: Unicode whitespace too
    assert found.texts or found.unscanned or blank


DEPTHS = [990, 1000, 10_000]  # either side of the recursion limit, and far past it


@pytest.mark.parametrize("name", sorted(n for n, (_, c) in TARGETS.items() if c == "json"))
@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("opener", ["[", "{"])
def test_deep_nesting_is_scanned_without_recursion_errors(name, depth, opener):
    """Depths around the interpreter's recursion limit, where a parser succeeds and a recursive
    walk of its result would not: the card number is still found."""
    kwargs, _ = TARGETS[name]
    body = _deep(depth, opener)
    inspection = inspect_request(SCANNER, body=body, content_type="application/json", **kwargs)
    assert "credit_card" in inspection.kinds
    _check(body, "application/json", **kwargs)


@pytest.mark.parametrize("depth", DEPTHS)
def test_deep_json_inside_a_form_field_is_scanned(depth):
    kwargs, _ = TARGETS["gemini_web"]
    body = urlencode([("f.req", _deep(depth, "[").decode())]).encode()
    inspection = inspect_request(
        SCANNER, body=body, content_type="application/x-www-form-urlencoded", **kwargs
    )
    assert "credit_card" in inspection.kinds
    _check(body, "application/x-www-form-urlencoded", **kwargs)


@pytest.mark.parametrize("name", ["characterai_web", "copilot_web", "generic"])
@pytest.mark.parametrize("depth", DEPTHS)
def test_deep_websocket_messages_are_scanned(name, depth):
    kwargs, _ = TARGETS[name]
    inspection = inspect_ws(
        SCANNER,
        _deep(depth, "{").decode(),
        host=kwargs.get("host", ""),
        path=kwargs.get("path", ""),
    )
    assert "credit_card" in inspection.kinds


def _keys(doc: object) -> set[str]:
    """Every key of the JSON objects in a document, and the pieces of keys that hold a line
    break (the keys' text is one key a line)."""
    if isinstance(doc, dict):
        own = {piece for key in doc for piece in key.split("\n")}
        return own.union(*map(_keys, doc.values()))
    if isinstance(doc, list):
        return set().union(*map(_keys, doc))
    return set()


def _strings(doc: object) -> list[str]:
    """Every string value of a JSON document (keys excluded)."""
    if isinstance(doc, str):
        return [doc]
    if isinstance(doc, dict):
        return [s for value in doc.values() for s in _strings(value)]
    if isinstance(doc, list):
        return [s for item in doc for s in _strings(item)]
    return []
