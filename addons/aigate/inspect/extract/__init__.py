"""Find the text a request sends: one extractor per request format (modules in this package that
export `EXTRACTOR`, discovered), chosen by host and path for web apps or by the catalog's
`api_format` for APIs, with a generic fallback so an unknown format is still inspected: every
JSON string leaf, every urlencoded or multipart text field, any text body, uploaded files."""

from __future__ import annotations

import functools
import importlib
import json
import pkgutil
import re
from typing import Any
from urllib.parse import parse_qsl

import orjson

from aigate.inspect import uploads
from aigate.inspect.extract import multipart
from aigate.inspect.extract.base import (
    BINARY_KEYS,
    Extractor,
    Leaves,
    binary_leaves,
    object_keys,
    walk,
)
from aigate.inspect.result import KEYS_STEP, NAMES_STEP, Extraction, Segment


@functools.cache
def registry() -> tuple[Extractor, ...]:
    """Every format extractor, discovered from this package."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if isinstance(getattr(module, "EXTRACTOR", None), Extractor):
            found.append(module.EXTRACTOR)
    return tuple(found)


def select(api_format: str | None, host: str, path: str, container: str) -> Extractor | None:
    """A web-app extractor for this host and path, else the API format's extractor."""
    web_apps, by_format = _candidates(api_format, host, container)
    for ex in web_apps:
        if ex.matches_path(path):
            return ex
    return by_format


@functools.lru_cache(maxsize=1024)
def _candidates(
    api_format: str | None, host: str, container: str
) -> tuple[tuple[Extractor, ...], Extractor | None]:
    """The web-app extractors for a host and the API format's extractor, remembered: a proxy
    inspects the same few AI hosts over and over (the path, which varies, is checked per call)."""
    web_apps = tuple(
        ex for ex in registry() if ex.hosts and ex.container == container and ex.matches_host(host)
    )
    by_format = None
    if api_format and container != "ws":
        by_format = next(
            (ex for ex in registry() if api_format in ex.api_formats and not ex.hosts), None
        )
    return web_apps, by_format


def extract(
    body: bytes,
    *,
    host: str = "",
    path: str = "",
    content_type: str | None = None,
    api_format: str | None = None,
    limits: uploads.Limits = uploads.DEFAULT_LIMITS,
) -> Extraction:
    """The texts of a (decoded) request body and what could not be read."""
    if not body:
        return Extraction("empty")
    ctype = (content_type or "").lower()
    if ctype.startswith("multipart/"):
        return _multipart(body, content_type or "", limits)
    is_form = ctype.startswith("application/x-www-form-urlencoded")
    extractor = select(api_format, host, path, "form" if is_form else "json")
    if extractor is not None:
        found = _with_extractor(extractor, body)
        if found is not None and found.segments:
            return found
    if is_form:
        return _form(body)
    doc = _json(body) if _looks_json(ctype, body) else None
    found = None if doc is None else _from_doc(
        "generic_json", doc, _and_keys(walk(doc), doc), source=body
    )
    if found is not None:
        return found
    if uploads.is_text_like(None, ctype, body):
        return Extraction("text", (Segment(body.decode("utf-8", "replace"), (("text",),)),))
    return _upload(body, path.rsplit("/", 1)[-1] or "upload", content_type, limits, "raw_upload")


def extract_ws(message: bytes | str, *, host: str = "", path: str = "") -> Extraction:
    """The texts of one client-to-server WebSocket message."""
    if isinstance(message, bytes):
        try:
            message = message.decode("utf-8")
        except UnicodeDecodeError:
            return Extraction("ws_binary", unscanned=("binary WebSocket message",))
    if not message:
        return Extraction("empty")
    extractor = select(None, host, path, "ws")
    doc = _json(message.encode()) if message.lstrip("\ufeff \t\r\n")[:1] in ("{", "[") else None
    if extractor is not None and doc is not None:
        found = _from_doc(extractor.name, doc, _and_the_rest(extractor, doc), source=message)
        if found is not None and found.segments:
            return found
    found = None if doc is None else _from_doc(
        "generic_json", doc, _and_keys(walk(doc), doc), source=message
    )
    if found is not None:
        return found
    return Extraction("text", (Segment(message, (("text",),)),))


def _looks_json(ctype: str, body: bytes) -> bool:
    return "json" in ctype or body.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"[")


# orjson parses a prompt several times faster than `json`, to the same document except for
# integers past 64 bits (floats in orjson; extractors read strings only) and nesting deeper than
# `json` may manage, so a body with many brackets goes to `json`, as does whatever orjson
# refuses (a BOM, lone surrogates, NaN, ...).
_ORJSON_MAX_BRACKETS = 256


def _json(body: bytes) -> Any:
    if body.count(b"[") + body.count(b"{") < _ORJSON_MAX_BRACKETS:
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _from_doc(
    name: str, doc: Any, leaves: Leaves, prefix: tuple = (), source: bytes | str | None = None
) -> Extraction | None:
    """`source`, the JSON text `doc` was parsed from, lets most prompts skip the second walk.

    None for a document nested too deeply to walk (the parser managed, the recursion did not):
    the caller falls back to scanning the body as text.
    """
    try:
        if prefix:
            segments = tuple([Segment(text, (*prefix, *steps)) for steps, text in leaves])
        else:  # steps are tuples already
            segments = tuple([Segment(text, steps) for steps, text in leaves])
        if source is not None and not _may_hold_binary(source):
            return Extraction(name, segments)
        skipped = tuple(
            f"binary data at {'/'.join(map(str, p))} (image or file) not scanned"
            for p in binary_leaves(doc)
        )
    except RecursionError:
        return None
    return Extraction(name, segments, skipped)


# A binary payload (see base._is_binary) is a `data:` URL or sits under a binary key; in JSON
# text either is spelled out or \u-escaped. UTF-16/32 JSON (it has NUL bytes) is always walked,
# and so is text over `_MARK_SEARCH_MAX`, where the search would cost more than the walk.
_BINARY_MARKS = ("\\u", "data:", *sorted(BINARY_KEYS))
_BINARY_MARK = re.compile("|".join(map(re.escape, _BINARY_MARKS)))
_BINARY_MARK_BYTES = re.compile("|".join(map(re.escape, _BINARY_MARKS)).encode())
_MARK_SEARCH_MAX = 512


def _may_hold_binary(source: bytes | str) -> bool:
    if len(source) > _MARK_SEARCH_MAX:
        return True
    if isinstance(source, bytes):
        return b"\0" in source or _BINARY_MARK_BYTES.search(source) is not None
    return _BINARY_MARK.search(source) is not None


def _with_extractor(extractor: Extractor, body: bytes) -> Extraction | None:
    if extractor.container == "form":
        pairs = _form_pairs(body)
        for key, value in pairs:
            if key == extractor.form_field:  # the first occurrence is the one servers read
                doc = _json(value.encode())
                if doc is None:
                    return None
                prefix = (("form", key, 0),)
                found = _from_doc(extractor.name, doc, _and_the_rest(extractor, doc), prefix, value)
                if found is None or not found.segments:
                    return found
                # The form's other fields leave the client too.
                rest = [s for s in _form_segments(pairs) if s.locator[0] != prefix[0]]
                return Extraction(found.extractor, (*found.segments, *rest), found.unscanned)
        return None
    doc = _json(body)
    if doc is None:
        return None
    return _from_doc(extractor.name, doc, _and_the_rest(extractor, doc), source=body)


def _and_the_rest(extractor: Extractor, doc: Any) -> Leaves:
    """The extractor's texts (the prompt, where the format keeps it), then every other string
    of the document: a field the format does not name leaves the client all the same (OpenAI's
    `metadata`, `user` and `prediction`, a web app's new field). Nothing when the extractor
    finds nothing: the caller then reads the document as an unknown format."""
    picked = list(extractor.texts(doc))
    if not picked:
        return
    yield from picked
    rest = doc
    if extractor.roots and isinstance(doc, dict):  # read whole already: not walked again
        rest = {key: value for key, value in doc.items() if key not in extractor.roots}
    taken = {steps[0] for steps, _ in picked}  # a string read as nested JSON is taken whole
    for steps, text in walk(rest):
        if steps[0] not in taken:
            yield steps, text
    yield from _keys(doc)


def _and_keys(leaves: Leaves, doc: Any) -> Leaves:
    yield from leaves
    yield from _keys(doc)


def _keys(doc: Any) -> Leaves:
    """The document's keys, as one text: a secret in a key (a tool parameter's name, a
    metadata field's) leaves like one in a value. Redacting one blocks: keys are not rewritten."""
    keys = object_keys(doc)
    if keys:
        yield (KEYS_STEP,), keys


def _form_pairs(body: bytes) -> list[tuple[str, str]]:
    return parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)


def _form(body: bytes) -> Extraction:
    return Extraction("form", tuple(_form_segments(_form_pairs(body))))


def _form_segments(pairs: list[tuple[str, str]]) -> list[Segment]:
    """Each field's value, then the fields' names as one text (read, never rewritten)."""
    seen: dict[str, int] = {}
    segments = []
    for key, value in pairs:
        nth = seen.get(key, 0)
        seen[key] = nth + 1
        if value:
            segments.append(Segment(value, (("form", key, nth),)))
    names = "\n".join(name for name in seen if name)
    if names:
        segments.append(Segment(names, (NAMES_STEP,)))
    return segments


def _multipart(body: bytes, content_type: str, limits: uploads.Limits) -> Extraction:
    marker = multipart.boundary(content_type)
    if marker is None:
        return Extraction("multipart", unscanned=("multipart body without a boundary",))
    segments: list[Segment] = []
    unscanned: list[str] = []
    parts = multipart.parse(body, marker)
    if not multipart.complete(body, marker, parts):
        unscanned.append(f"malformed multipart body: data after part {len(parts)} not scanned")
    for index, part in enumerate(parts):
        data = body[part.start : part.end]
        if part.filename is None and uploads.is_text_like(None, part.content_type, data):
            segments.append(Segment(data.decode("utf-8", "replace"), (("part", index),)))
            continue
        name = part.filename or part.name or f"part {index}"
        found = uploads.extract_text(data, name, part.content_type, limits)
        segments.extend(
            Segment(text, (("part", index), ("file", label))) for label, text in found.texts
        )
        unscanned.extend(found.unscanned)
    names = "\n".join(dict.fromkeys(
        name for part in parts for name in (part.name, part.filename) if name
    ))
    if names:  # fields' names and files' names, read, never rewritten
        segments.append(Segment(names, (NAMES_STEP,)))
    return Extraction("multipart", tuple(segments), tuple(unscanned))


def _upload(
    body: bytes, name: str, content_type: str | None, limits: uploads.Limits, label: str
) -> Extraction:
    found = uploads.extract_text(body, name, content_type, limits)
    segments = tuple(Segment(text, (("file", n),)) for n, text in found.texts)
    return Extraction(label, segments, tuple(found.unscanned))
