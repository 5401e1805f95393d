"""chat.deepseek.com: POST /api/v0/chat/completion with the prompt in `prompt`."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import Extractor, Leaves, roots


def leaves(doc: Any) -> Leaves:
    yield from roots(doc, ("prompt",))


EXTRACTOR = Extractor(
    "deepseek_web", leaves, hosts=("chat.deepseek.com",), path=r"^/api/v0/chat/completion"
)
