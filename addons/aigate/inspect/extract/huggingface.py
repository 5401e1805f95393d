"""Hugging Face inference: `inputs` (string, list, or question/context objects) and the
OpenAI-compatible router's `messages`."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import Extractor, Leaves, roots


def leaves(doc: Any) -> Leaves:
    yield from roots(doc, ("inputs", "messages", "prompt", "text", "parameters"))


EXTRACTOR = Extractor("huggingface", leaves, api_formats=("huggingface",))
