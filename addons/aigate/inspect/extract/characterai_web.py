"""character.ai: a WebSocket whose `create_and_generate_turn` commands carry the message in
`payload.turn.candidates[].raw_content`."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import Extractor, Leaves, walk


def leaves(doc: Any) -> Leaves:
    if isinstance(doc, dict) and doc.get("command") in ("create_and_generate_turn", "edit_turn"):
        payload = doc.get("payload")
        turn = payload.get("turn") if isinstance(payload, dict) else None
        candidates = turn.get("candidates") if isinstance(turn, dict) else None
        for index, candidate in enumerate(candidates if isinstance(candidates, list) else ()):
            if isinstance(candidate, dict) and "raw_content" in candidate:
                path = ("payload", "turn", "candidates", index, "raw_content")
                yield from walk(candidate["raw_content"], path)


EXTRACTOR = Extractor(
    "characterai_web",
    leaves,
    hosts=("neo.character.ai", ".character.ai", "character.ai"),
    container="ws",
)
