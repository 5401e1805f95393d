"""Host names that look like an AI service the catalog does not know: discovery from traffic.

The proxy passes such hosts through undecrypted like any other (a guess must not widen what is
decrypted), but it records each connection to one, so `aigate report` can list the AI services
people use that the catalog lacks. Only the name is judged: the registered domain on an AI
top-level domain (`.ai`), or a word of the name that only AI products use (`gpt`, `llm`,
`chatbot`, model and vendor names). Words with ordinary meanings (`gemini`, `claude`, `sora`) are
not used alone; common words that merely contain `ai` (`mail`, `air`) never count, because words
are split at dots, dashes and digits and `ai` must stand alone or open/close a compound such as
`aiwriter` / `writerai` only when the rest is an AI word.
"""

from __future__ import annotations

import re

from aigate.classify import registered_domain

AI_TLDS: frozenset[str] = frozenset({"ai"})
# Tokens (whole words of a label) that name AI products, models or techniques.
AI_WORDS: frozenset[str] = frozenset(
    {
        "ai",
        "gpt",
        "chatgpt",
        "gpts",
        "llm",
        "llms",
        "genai",
        "openai",
        "chatbot",
        "chatbots",
        "copilot",
        "deepseek",
        "anthropic",
        "mistral",
        "llama",
        "qwen",
        "midjourney",
        "stablediffusion",
        "diffusion",
        "perplexity",
        "gptzero",
        "aigc",
        "agentic",
        "prompt",
        "prompts",
        "rag",
        "langchain",
        "ollama",
        "huggingface",
        "transformer",
        "neural",
        "deepfake",
        "chatglm",
    }
)
# Words that make `ai` + word or word + `ai` a compound worth noticing (`aiwriter`, `chatai`).
AI_COMPOUND_WORDS: frozenset[str] = frozenset(
    {
        "chat",
        "writer",
        "write",
        "art",
        "image",
        "video",
        "voice",
        "photo",
        "music",
        "code",
        "coder",
        "agent",
        "agents",
        "bot",
        "assistant",
        "search",
        "tools",
        "tool",
        "studio",
        "lab",
        "labs",
        "gen",
        "girl",
        "friend",
        "companion",
        "detector",
        "humanizer",
        "essay",
        "slides",
        "resume",
        "note",
        "notes",
        "summary",
        "translate",
        "avatar",
        "model",
        "models",
        "api",
    }
)
_SPLIT = re.compile(r"[.\-_0-9]+")


def ai_name_hint(host: str) -> str | None:
    """Why `host` (normalized) looks like an AI service, or None. Cheap: a split and set lookups."""
    domain = registered_domain(host) if "." in host else ""
    if not domain:
        return None
    tld = domain.rsplit(".", 1)[-1]
    if tld in AI_TLDS:
        return f".{tld} domain"
    name = host[: -len(tld) - 1]
    for word in _SPLIT.split(name):
        if word in AI_WORDS:
            return f"word '{word}'"
        compound = _compound(word)
        if compound:
            return f"word '{compound}'"
    return None


def _compound(word: str) -> str | None:
    if len(word) < 4:
        return None
    for ai in ("gpt", "ai", "llm"):
        if word.startswith(ai) and word[len(ai) :] in AI_COMPOUND_WORDS:
            return word
        if word.endswith(ai) and word[: -len(ai)] in AI_COMPOUND_WORDS:
            return word
    return None
