"""copilot.microsoft.com: a WebSocket whose client messages are JSON events; `send` events
carry the prompt in `content[].text`."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import Extractor, Leaves, roots


def leaves(doc: Any) -> Leaves:
    if isinstance(doc, dict) and doc.get("event") == "send":
        yield from roots(doc, ("content",))


EXTRACTOR = Extractor("copilot_web", leaves, hosts=("copilot.microsoft.com",), container="ws")
