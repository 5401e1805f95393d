"""OpenAI chat.completions, responses and completions, as spoken by Azure OpenAI and the
OpenAI-compatible providers (Mistral, Groq, DeepSeek, Together, OpenRouter, Perplexity, xAI,
Fireworks, ...): `messages[].content` (string or parts), `input`, `instructions`, `prompt`."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import Extractor, Leaves, roots


def leaves(doc: Any) -> Leaves:
    yield from roots(doc, ("messages", "input", "instructions", "prompt", "tools", "functions"))


EXTRACTOR = Extractor("openai", leaves, api_formats=("openai", "generic"))
