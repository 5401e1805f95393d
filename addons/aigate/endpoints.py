"""Unlisted AI endpoints: requests to hosts outside the catalog that look like a model API.

Two steps keep the cost off ordinary traffic. `match_path` is one set lookup on the last
path segment, then one precompiled regex, run for requests the catalog does not claim; only a path
that names a model call (`.../v1/chat/completions`, `/api/generate`, `...:generateContent`) makes a
candidate. `confirm_body` then reads that candidate's JSON body alone, parsing at most
`PARSE_LIMIT` bytes, and checks the top-level keys its API family requires (`messages` and
`model`, `contents`, `inputs`...): a `/v1/chat/completions` of some app that takes other JSON is
not AI. Any prefix before the API path is accepted, so gateways (`/openai/v1/...`, `/litellm/...`,
OpenRouter's `/api/v1/...`) match too.

A confirmed request is decided as the pseudo-service `UNLISTED_SERVICE` (id
`unlisted-ai-endpoint`, category `unlisted`, no hosts), which the policy loader adds to every
policy's catalog: `services.unlisted-ai-endpoint`, `categories.unlisted`, exceptions and the
default apply as to any service, and metrics label it with that one id, never the host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import orjson

from aigate.catalog import Catalog, Service
from aigate.classify import canonical_path

UNLISTED_ID = "unlisted-ai-endpoint"
UNLISTED_CATEGORY = "unlisted"
UNLISTED_SERVICE = Service(
    id=UNLISTED_ID,
    name="AI model APIs not in the catalog",
    vendor="",
    category=UNLISTED_CATEGORY,
    hosts=(),
    jurisdiction="",  # unknown: no `jurisdiction` risk rule matches it
    trains_on_inputs=False,
    enterprise_tier=False,
    risk="high",
    risk_reason="Not in the catalog: nobody has reviewed who runs it or where prompts go.",
    url="",
    description="A host outside the catalog whose requests look like a model API.",
    source="aigate.endpoints",
)

# JSON bodies up to this size are parsed; larger ones are only searched for the keys' names.
PARSE_LIMIT = 1024 * 1024
# Encoded (gzip, br...) bodies are decoded up to this size; beyond it they are not confirmed.
DECODE_LIMIT = 8 * 1024 * 1024

# What each body key must hold to count (a string key with a number is some other API).
_KEY_TYPES: dict[str, tuple[type, ...]] = {
    "messages": (list,),
    "contents": (list,),
    "model": (str,),
    "prompt": (str, list),
    "input": (str, list),
    "inputs": (str, list, dict),
}


@dataclass(frozen=True, slots=True)
class ModelApiShape:
    """One model API family: the path that names a call and the JSON keys that prove it."""

    id: str  # recorded in the audit log (`endpoint`)
    # Last path segments (lowercase) that make a path a candidate; a `:` in the last segment
    # (Gemini's `models/X:generateContent`) always does.
    tails: tuple[str, ...]
    path: str  # regex for the end of the path, after any gateway prefix (case-insensitive)
    required: tuple[str, ...]  # top-level keys the body must all have
    any_of: tuple[str, ...] = ()  # ... and at least one of these, when given
    api_format: str | None = None  # error shape API clients get (a catalog `api_format`)


SHAPES: tuple[ModelApiShape, ...] = (
    ModelApiShape("openai-chat", ("completions",), r"/chat/completions", ("messages", "model"),
                  api_format="openai"),
    ModelApiShape("openai-completions", ("completions",), r"/completions", ("prompt", "model"),
                  api_format="openai"),
    ModelApiShape("openai-embeddings", ("embeddings",), r"/embeddings", ("input", "model"),
                  api_format="openai"),
    ModelApiShape("openai-responses", ("responses",), r"/responses", ("input", "model"),
                  api_format="openai"),
    ModelApiShape("anthropic-messages", ("messages",), r"/messages", ("messages", "model"),
                  api_format="anthropic"),
    ModelApiShape("gemini-generate", (), r"/models/[^/:]+:(?:stream)?generatecontent",
                  ("contents",), api_format="gemini"),
    ModelApiShape("ollama-generate", ("generate",), r"/api/generate", ("prompt", "model")),
    ModelApiShape("ollama-chat", ("chat",), r"/api/chat", ("messages", "model")),
    ModelApiShape("tgi-generate", ("generate", "generate_stream"), r"/generate(?:_stream)?", (),
                  any_of=("inputs", "prompt")),
    ModelApiShape("llamacpp-completion", ("completion",), r"/completion", ("prompt",)),
)
SHAPES_BY_ID = {shape.id: shape for shape in SHAPES}

# No shape's path spans more than two segments, so only the last two are matched (a longer path
# is a gateway prefix). At the shortest prefix the alternatives are tried in table order, so
# `/v1/chat/completions` is `openai-chat`, not `openai-completions`.
_PATH = re.compile(
    r"(?:/[^/]*?)??(?:"
    + "|".join(f"(?P<{s.id.replace('-', '_')}>{s.path})" for s in SHAPES)
    + r")",
    re.IGNORECASE,
)
_BY_GROUP = {shape.id.replace("-", "_"): shape for shape in SHAPES}
_TAILS = frozenset(tail for shape in SHAPES for tail in shape.tails)

# Host name words that suggest a model server, for the opt-in `unlisted_endpoints.name_hints`:
# a whole word of a label, optionally numbered (`ollama.lab`, `gpu-vllm02.corp`, `llm-gw.x`).
NAME_HINTS: tuple[str, ...] = (
    "llm", "llms", "ollama", "vllm", "litellm", "inference", "tgi", "llamacpp", "localai",
)
NAME_HINT_PATTERN = rf"(?:[^:]*[.-])?(?:{'|'.join(NAME_HINTS)})\d*(?:[.-][^:]*)?"
_NAME_HINT = re.compile(NAME_HINT_PATTERN)


def match_path(path: str) -> ModelApiShape | None:
    """The API family whose call `path` names, or None (cheap: most paths stop at a set lookup).

    The query string is ignored; `//`, `.` segments and %-escaped letters are resolved first, as
    the server would route them.
    """
    if "?" in path or "#" in path:
        path = path.split("?", 1)[0].split("#", 1)[0]
    if (
        "%" not in path
        and ":" not in path
        and path.rstrip("/").rpartition("/")[2].lower() not in _TAILS
    ):
        return None  # the common case, before any other work
    if "//" in path or "/." in path or "%" in path:
        path = canonical_path(path)
    path = path.rstrip("/")
    cut = path.rfind("/")
    tail = path[cut + 1 :].lower()
    if tail not in _TAILS and ":" not in tail:
        return None
    if cut > 0:
        path = path[max(path.rfind("/", 0, cut), 0) :]
    found = _PATH.fullmatch(path)
    if found is None or found.lastgroup is None:
        return None
    return _BY_GROUP[found.lastgroup]


def confirm_body(
    shape: ModelApiShape, body: bytes, content_encoding: str | None = None
) -> bool:
    """Whether `body` is a call of `shape`: a JSON object with the keys the family requires.

    Bodies up to `PARSE_LIMIT` are parsed; larger ones (long prompts, inline images) only need a
    `{` first and each key's quoted name somewhere. An encoded body that cannot be decoded within
    `DECODE_LIMIT` is not confirmed.
    """
    if not body:
        return False
    if content_encoding:
        # Imported here: `aigate.inspect` imports the policy package, which imports this module.
        from aigate.inspect.decode import DecodeError, decode

        try:
            body = decode(body, content_encoding, DECODE_LIMIT)
        except DecodeError:
            return False
    body = body.lstrip()
    if not body.startswith(b"{"):
        return False
    if len(body) > PARSE_LIMIT:
        return _keys_named(shape, body)
    try:
        data: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    if not isinstance(data, dict):
        return False
    if not all(_holds(data, key) for key in shape.required):
        return False
    return not shape.any_of or any(_holds(data, key) for key in shape.any_of)


def unlisted_service(shape: ModelApiShape) -> Service:
    """The pseudo-service for a request of `shape`: same id and category, the family's errors."""
    if shape.api_format is None:
        return UNLISTED_SERVICE
    return _WITH_FORMAT[shape.api_format]


def name_hint(host: str) -> bool:
    """Whether a (normalized) host name has a label word that suggests a model server."""
    return _NAME_HINT.fullmatch(host) is not None


def _holds(data: dict[str, Any], key: str) -> bool:
    value = data.get(key)
    return isinstance(value, _KEY_TYPES.get(key, (object,))) and bool(value)


def _keys_named(shape: ModelApiShape, body: bytes) -> bool:
    def named(key: str) -> bool:
        return b'"' + key.encode() + b'"' in body

    if not all(named(key) for key in shape.required):
        return False
    return not shape.any_of or any(named(key) for key in shape.any_of)


_WITH_FORMAT = {
    fmt: replace(UNLISTED_SERVICE, api_format=fmt)
    for fmt in {s.api_format for s in SHAPES if s.api_format}
}


def with_unlisted(catalog: Catalog) -> Catalog:
    """`catalog` plus the pseudo-service, which the policy loader adds so policies can name it."""
    return Catalog({**catalog.services, UNLISTED_ID: UNLISTED_SERVICE})
