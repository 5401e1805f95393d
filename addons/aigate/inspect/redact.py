"""Redaction inside the original format: each finding's span is replaced by a placeholder such as
`[REDACTED:credit_card]` in the JSON string, form field, multipart part or WebSocket message it
came from, and the container is re-encoded so the body stays valid. Text extracted from an
uploaded file cannot be rewritten in place: `RedactionError` tells the caller to block instead."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aigate.inspect.extract import multipart
from aigate.inspect.result import Extraction, Finding, Locator

Placeholder = Callable[[Finding], str]


class RedactionError(ValueError):
    """The body cannot be redacted in place (the message says why); block it instead."""


def placeholder(finding: Finding) -> str:
    return f"[REDACTED:{finding.detector}]"


def redact_text(text: str, findings: Iterable[Finding], mark: Placeholder = placeholder) -> str:
    """`text` with every finding's span replaced; overlapping spans become one placeholder."""
    spans = sorted(findings, key=lambda f: (f.start, -f.end))
    merged: list[tuple[int, int, Finding]] = []
    for f in spans:
        if merged and f.start < merged[-1][1]:
            start, end, first = merged[-1]
            merged[-1] = (start, max(end, f.end), first)
        else:
            merged.append((f.start, f.end, f))
    out = []
    last = 0
    for start, end, f in merged:
        out.append(text[last:start])
        out.append(mark(f))
        last = end
    out.append(text[last:])
    return "".join(out)


def redact(
    body: bytes,
    extraction: Extraction,
    findings: Iterable[Finding],
    *,
    content_type: str | None = None,
    mark: Placeholder = placeholder,
) -> bytes:
    """The body with every finding replaced in place (findings carry their segment index)."""
    by_segment: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        by_segment[f.segment].append(f)
    if not by_segment:
        return body
    edits = []
    for index, found in by_segment.items():
        segment = extraction.segments[index]
        edits.append((segment.locator, redact_text(segment.text, found, mark)))
    try:
        return _apply_bytes(body, edits, content_type)
    except RedactionError:
        raise
    except (ValueError, LookupError, TypeError, RecursionError) as e:
        # A body the extractor could read but this rewrite cannot (hostile nesting, bytes that
        # are not UTF-8 in a text part): the caller blocks, as for any unredactable body.
        raise RedactionError(f"the body cannot be rewritten in place ({type(e).__name__})") from e


def _apply_bytes(body: bytes, edits: list[tuple[Locator, str]], content_type: str | None) -> bytes:
    kinds = {locator[0][0] for locator, _ in edits}
    if kinds == {"part"}:
        marker = multipart.boundary(content_type or "")
        if marker is None:
            raise RedactionError("multipart body without a boundary")
        parts = multipart.parse(body, marker)
        grouped: dict[int, list[tuple[Locator, str]]] = defaultdict(list)
        for locator, text in edits:
            grouped[locator[0][1]].append((locator[1:], text))
        out = body
        for index in sorted(grouped, reverse=True):
            part = parts[index]
            inner = _apply(out[part.start : part.end].decode("utf-8"), grouped[index])
            out = out[: part.start] + inner.encode() + out[part.end :]
        return out
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RedactionError("body is not UTF-8 text") from e
    return _apply(text, edits).encode()


def _apply(text: str, edits: list[tuple[Locator, str]]) -> str:
    """Apply edits whose locators are relative to `text`."""
    if len(edits) == 1 and not edits[0][0]:
        return edits[0][1]
    kinds = {locator[0][0] if locator else "self" for locator, _ in edits}
    if len(kinds) != 1:
        raise RedactionError(f"conflicting locators {sorted(kinds)}")
    kind = kinds.pop()
    if kind == "text":
        return _apply(text, [(locator[1:], new) for locator, new in edits])
    if kind == "json":
        return _json(text, edits)
    if kind == "form":
        return _form(text, edits)
    if kind == "file":
        raise RedactionError("text extracted from an uploaded file cannot be redacted in place")
    raise RedactionError(f"cannot redact at locator step '{kind}'")


def _json(text: str, edits: list[tuple[Locator, str]]) -> str:
    bom = "\ufeff" if text.startswith("\ufeff") else ""  # a BOM the extractor read past stays
    doc: Any = json.loads(text[len(bom) :])
    grouped: dict[tuple, list[tuple[Locator, str]]] = defaultdict(list)
    for locator, new in edits:
        grouped[tuple(locator[0][1])].append((locator[1:], new))
    for path, inner in grouped.items():
        if not path:
            doc = _apply(doc, inner)
            continue
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = _apply(parent[path[-1]], inner)
    out = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    if not out.isascii():
        try:
            out.encode()
        except UnicodeEncodeError:
            # A lone surrogate the client escaped (`"\ud83d"`, half an emoji cut off) is no
            # UTF-8 raw: every character beyond ASCII is written escaped instead.
            out = json.dumps(doc, separators=(",", ":"))
    return bom + out


def _form(text: str, edits: list[tuple[Locator, str]]) -> str:
    pairs = parse_qsl(text, keep_blank_values=True)
    grouped: dict[tuple[str, int], list[tuple[Locator, str]]] = defaultdict(list)
    for locator, new in edits:
        _kind, key, nth = locator[0]
        grouped[(key, nth)].append((locator[1:], new))
    seen: dict[str, int] = defaultdict(int)
    out = []
    for key, value in pairs:
        nth = seen[key]
        seen[key] += 1
        if (key, nth) in grouped:
            value = _apply(value, grouped[(key, nth)])
        out.append((key, value))
    return urlencode(out)
