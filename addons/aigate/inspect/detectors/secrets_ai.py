"""AI provider API keys: the credentials most likely to be pasted into an AI tool."""

from __future__ import annotations

from aigate.inspect.detectors.base import TOKEN_CHARS, Detector, random_token

_token = random_token(3.5)

DETECTORS = (
    Detector(
        "openai_api_key",
        "secret",
        r"sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,250}"
        r"|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}",
        _token,
        confidence="validated",
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="OpenAI API key (project, service-account, admin, user or legacy).",
        source="https://platform.openai.com/docs/api-reference/authentication",
    ),
    Detector(
        "anthropic_api_key",
        "secret",
        r"sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,120}",
        _token,
        confidence="validated",
        keep=(7, 0),
        boundary=TOKEN_CHARS,
        description="Anthropic API or admin key (sk-ant-api03- / sk-ant-admin01-).",
        source="https://docs.anthropic.com/en/api/overview",
    ),
    Detector(
        "huggingface_token",
        "secret",
        r"(?:hf|api_org)_[A-Za-z0-9]{34}",
        _token,
        confidence="validated",
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="Hugging Face user or organisation token.",
        source="https://huggingface.co/docs/hub/security-tokens",
    ),
    Detector(
        "groq_api_key",
        "secret",
        r"gsk_[A-Za-z0-9]{48,52}",
        _token,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Groq API key.",
        source="https://console.groq.com/docs/api-keys",
    ),
    Detector(
        "xai_api_key",
        "secret",
        r"xai-[A-Za-z0-9_]{80}",
        _token,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="xAI API key.",
        source="https://docs.x.ai/docs/api-reference#authentication",
    ),
    Detector(
        "replicate_api_token",
        "secret",
        r"r8_[A-Za-z0-9_-]{37}",
        _token,
        confidence="validated",
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="Replicate API token.",
        source="https://replicate.com/docs/topics/security/api-tokens",
    ),
    Detector(
        "perplexity_api_key",
        "secret",
        r"pplx-[A-Za-z0-9]{48}",
        _token,
        confidence="validated",
        keep=(5, 0),
        boundary=TOKEN_CHARS,
        description="Perplexity API key.",
        source="https://docs.perplexity.ai/guides/getting-started",
    ),
)
