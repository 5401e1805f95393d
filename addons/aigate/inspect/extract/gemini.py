"""Gemini generateContent / streamGenerateContent and Vertex AI: `contents[].parts[].text`,
`systemInstruction` (both spellings), function responses; inline data is binary."""

from __future__ import annotations

from aigate.inspect.extract.base import Extractor

EXTRACTOR = Extractor(
    "gemini",
    roots=("contents", "systemInstruction", "system_instruction", "instances", "tools"),
    api_formats=("gemini", "vertex"),
)
