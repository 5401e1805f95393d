"""Gemini generateContent / streamGenerateContent and Vertex AI: `contents[].parts[].text`,
`systemInstruction` (both spellings), function responses; inline data is binary."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import Extractor, Leaves, roots


def leaves(doc: Any) -> Leaves:
    yield from roots(
        doc, ("contents", "systemInstruction", "system_instruction", "instances", "tools")
    )


EXTRACTOR = Extractor("gemini", leaves, api_formats=("gemini", "vertex"))
