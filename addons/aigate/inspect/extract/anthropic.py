"""Anthropic messages: `system` (string or text blocks) and `messages[].content` (string or
blocks: text, tool_result, document text)."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import Extractor, Leaves, roots


def leaves(doc: Any) -> Leaves:
    yield from roots(doc, ("system", "messages", "prompt", "tools"))


EXTRACTOR = Extractor("anthropic", leaves, api_formats=("anthropic",))
