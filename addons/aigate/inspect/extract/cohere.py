"""Cohere v1 chat (`message`, `chat_history[].message`, `preamble`, `documents`) and v2
(`messages[].content` string or text parts), plus generate/embed/rerank inputs."""

from __future__ import annotations

from aigate.inspect.extract.base import Extractor

EXTRACTOR = Extractor(
    "cohere",
    roots=(
        "message", "chat_history", "preamble", "messages", "documents", "prompt", "texts", "query",
        "inputs",
    ),
    api_formats=("cohere",),
)
