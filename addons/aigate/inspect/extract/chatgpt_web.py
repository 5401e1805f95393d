"""ChatGPT web app: POST /backend-api/conversation and /backend-api/f/conversation carry the
prompt in `messages[].content.parts` (strings, or objects for attachments)."""

from __future__ import annotations

from aigate.inspect.extract.base import Extractor

EXTRACTOR = Extractor(
    "chatgpt_web",
    roots=("messages",),
    hosts=("chatgpt.com", "chat.openai.com"),
    path=r"^/backend-(?:api|anon)/(?:f/)?conversation(?:$|\?)",
)
