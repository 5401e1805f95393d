"""OpenAI chat.completions, responses and completions, as spoken by Azure OpenAI and the
OpenAI-compatible providers (Mistral, Groq, DeepSeek, Together, OpenRouter, Perplexity, xAI,
Fireworks, ...): `messages[].content` (string or parts), `input`, `instructions`, `prompt`."""

from __future__ import annotations

from aigate.inspect.extract.base import Extractor

EXTRACTOR = Extractor(
    "openai",
    roots=("messages", "input", "instructions", "prompt", "tools", "functions"),
    api_formats=("openai", "generic"),
)
