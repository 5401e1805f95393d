"""claude.ai web app: POST .../chat_conversations/<id>/completion (and retry_completion) with
`prompt` and attachments' `extracted_content`."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import Extractor, Leaves, walk


def attachments(doc: Any) -> Leaves:
    if isinstance(doc, dict):
        attachments = doc.get("attachments")
        for index, attachment in enumerate(attachments if isinstance(attachments, list) else ()):
            if isinstance(attachment, dict) and "extracted_content" in attachment:
                path = ("attachments", index, "extracted_content")
                yield from walk(attachment["extracted_content"], path)


EXTRACTOR = Extractor(
    "claude_web",
    attachments,
    roots=("prompt",),
    hosts=("claude.ai",),
    path=r"/chat_conversations/[^/]+/(?:retry_)?completion",
)
