"""Anthropic messages: `system` (string or text blocks) and `messages[].content` (string or
blocks: text, tool_result, document text)."""

from __future__ import annotations

from aigate.inspect.extract.base import Extractor

EXTRACTOR = Extractor(
    "anthropic",
    roots=("system", "messages", "prompt", "tools"),
    api_formats=("anthropic",),
)
