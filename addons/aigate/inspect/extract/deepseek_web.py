"""chat.deepseek.com: POST /api/v0/chat/completion with the prompt in `prompt`."""

from __future__ import annotations

from aigate.inspect.extract.base import Extractor

EXTRACTOR = Extractor(
    "deepseek_web",
    roots=("prompt",),
    hosts=("chat.deepseek.com",),
    path=r"^/api/v0/chat/completion",
)
