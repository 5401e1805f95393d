"""What an extractor is, and the JSON walking every format shares.

An extractor maps a parsed request document to `(steps, text)` pairs: the locator steps lead from
the document root to the string, so redaction can rewrite it in place later.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from aigate.inspect.result import Step

JsonPath = tuple[str | int, ...]
Leaves = Iterator[tuple[tuple[Step, ...], str]]

# Keys whose string values are identifiers or enums, never text a person wrote. (Stop sequences
# and response schemas are read: their strings go to the model like a prompt's.)
STRUCTURAL_KEYS = frozenset(
    {
        "role",
        "type",
        "model",
        "id",
        "tool_call_id",
        "tool_use_id",
        "call_id",
        "status",
        "file_id",
        "media_type",
        "mime_type",
        "mimeType",
        "detail",
        "cache_control",
        "encoding_format",
        "service_tier",
        "reasoning_effort",
        "voice",
    }
)
BINARY_KEYS = frozenset({"data", "b64_json", "image_url", "bytes", "audio", "inlineData"})


@dataclass(frozen=True, slots=True)
class Extractor:
    """One request format: where it applies and how to find its texts."""

    name: str
    leaves: Callable[[Any], Leaves] | None = None  # texts it finds its own way
    api_formats: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()  # exact hosts; a leading "." matches any subdomain
    path: str = ""  # regular expression searched in the request path
    container: Literal["json", "form", "ws"] = "json"
    form_field: str = ""  # for container "form": the field whose value is JSON
    roots: tuple[str, ...] = ()  # top-level keys whose every text it reads (`roots`)

    def texts(self, doc: Any) -> Leaves:
        """The prompt's texts: every one under `roots`, then those `leaves` finds."""
        if self.roots:
            yield from roots(doc, self.roots)
        if self.leaves is not None:
            yield from self.leaves(doc)

    def matches_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == h or (h.startswith(".") and host.endswith(h)) for h in self.hosts)

    def matches_path(self, path: str) -> bool:
        return not self.path or re.search(self.path, path) is not None


def walk(
    node: Any,
    path: JsonPath = (),
    *,
    skip: frozenset[str] = STRUCTURAL_KEYS,
    nested_json: bool = False,
) -> Leaves:
    """Every string leaf under `node` except values of `skip` keys and binary payloads.

    With `nested_json`, a string that is itself a JSON array or object is descended into (web
    apps that put JSON inside JSON), and the locator gains a step. The leaves are collected by
    plain recursion (a generator per level costs more than the rest of a small prompt's walk)
    when the first one is asked for, so a document too deep to walk raises there.
    """
    leaves: list[tuple[tuple[Step, ...], str]] = []
    _collect(node, path, skip, nested_json, leaves)
    yield from leaves


def _collect(
    node: Any,
    path: JsonPath,
    skip: frozenset[str],
    nested_json: bool,
    out: list[tuple[tuple[Step, ...], str]],
) -> None:
    if isinstance(node, str):
        if not node or _is_binary(path, node):
            return
        if nested_json and node[:1] in "[{":
            try:
                inner = json.loads(node)
            except ValueError:
                inner = None
            if isinstance(inner, (list, dict)):
                nested: list[tuple[tuple[Step, ...], str]] = []
                _collect(inner, (), skip, True, nested)
                out.extend(((("json", path), *steps), text) for steps, text in nested)
                return
        out.append(((("json", path),), node))
    elif isinstance(node, dict):
        _collect_children([item for item in node.items() if item[0] not in skip], path, skip,
                          nested_json, out)
    elif isinstance(node, list):
        _collect_children(enumerate(node), path, skip, nested_json, out)


def _collect_children(
    children: Iterable[tuple[str | int, Any]],
    path: JsonPath,
    skip: frozenset[str],
    nested_json: bool,
    out: list[tuple[tuple[Step, ...], str]],
) -> None:
    for step, value in children:
        # A short plain string (most prompt leaves) is taken here, without the calls into
        # `_collect` and `_is_binary` (false under 257 characters not starting "data:").
        if (type(value) is str and not nested_json and len(value) <= 256
                and not value.startswith("data:")):
            if value:
                out.append(((("json", (*path, step)),), value))
        else:
            _collect(value, (*path, step), skip, nested_json, out)


def _is_binary(path: JsonPath, value: str) -> bool:
    if value.startswith("data:") and ";base64," in value[:100]:
        return True
    if len(value) <= 256 or " " in value[:256]:
        return False
    key = next((p for p in reversed(path) if isinstance(p, str)), "")
    return key in BINARY_KEYS


def roots(doc: Any, keys: Iterable[str], *, skip: frozenset[str] = STRUCTURAL_KEYS) -> Leaves:
    """String leaves under the given top-level keys of a JSON object."""
    if not isinstance(doc, dict):
        return
    leaves: list[tuple[tuple[Step, ...], str]] = []
    for key in keys:
        if key in doc:
            _collect(doc[key], (key,), skip, False, leaves)
    yield from leaves


_KEYS_MAX = 64 * 1024  # characters of keys read


def object_keys(node: Any) -> str:
    """Every distinct key of the JSON objects in `node`, one a line (`_KEYS_MAX` at most): a
    key leaves the client like a value does (a tool's parameter names reach the model)."""
    seen: dict[str, None] = {}
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            seen.update(dict.fromkeys(item))
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, dict | list))
    return "\n".join(map(str, seen))[:_KEYS_MAX]


def binary_leaves(node: Any, path: JsonPath = ()) -> Iterator[JsonPath]:
    """Paths of binary payloads (images, audio) inside a JSON document: recorded as unscanned."""
    if isinstance(node, str):
        if _is_binary(path, node):
            yield path
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from binary_leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from binary_leaves(value, (*path, index))
