"""character.ai: a WebSocket whose `create_and_generate_turn` commands carry the message in
`payload.turn.candidates[].raw_content`."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import Extractor, Leaves, walk


def leaves(doc: Any) -> Leaves:
    if isinstance(doc, dict) and doc.get("command") in ("create_and_generate_turn", "edit_turn"):
        turn = (doc.get("payload") or {}).get("turn") or {}
        for index, candidate in enumerate(turn.get("candidates") or []):
            if isinstance(candidate, dict) and "raw_content" in candidate:
                path = ("payload", "turn", "candidates", index, "raw_content")
                yield from walk(candidate["raw_content"], path)


EXTRACTOR = Extractor(
    "characterai_web",
    leaves,
    hosts=("neo.character.ai", ".character.ai", "character.ai"),
    container="ws",
)
