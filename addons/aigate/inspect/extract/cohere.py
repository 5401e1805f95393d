"""Cohere v1 chat (`message`, `chat_history[].message`, `preamble`, `documents`) and v2
(`messages[].content` string or text parts), plus generate/embed/rerank inputs."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import Extractor, Leaves, roots


def leaves(doc: Any) -> Leaves:
    yield from roots(
        doc,
        (
            "message",
            "chat_history",
            "preamble",
            "messages",
            "documents",
            "prompt",
            "texts",
            "query",
            "inputs",
        ),
    )


EXTRACTOR = Extractor("cohere", leaves, api_formats=("cohere",))
