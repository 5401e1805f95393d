"""Hugging Face inference: `inputs` (string, list, or question/context objects) and the
OpenAI-compatible router's `messages`."""

from __future__ import annotations

from aigate.inspect.extract.base import Extractor

EXTRACTOR = Extractor(
    "huggingface",
    roots=("inputs", "messages", "prompt", "text", "parameters"),
    api_formats=("huggingface",),
)
