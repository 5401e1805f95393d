"""ChatGPT web app: POST /backend-api/conversation and /backend-api/f/conversation carry the
prompt in `messages[].content.parts` (strings, or objects for attachments)."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import Extractor, Leaves, roots


def leaves(doc: Any) -> Leaves:
    yield from roots(doc, ("messages",))


EXTRACTOR = Extractor(
    "chatgpt_web",
    leaves,
    hosts=("chatgpt.com", "chat.openai.com"),
    path=r"^/backend-(?:api|anon)/(?:f/)?conversation(?:$|\?)",
)
