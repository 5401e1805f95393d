"""gemini.google.com: a urlencoded form whose `f.req` field is JSON holding more JSON as a
string (the prompt sits a few levels down); every nested string is scanned."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import Extractor, Leaves, walk


def leaves(doc: Any) -> Leaves:
    yield from walk(doc, nested_json=True)


EXTRACTOR = Extractor(
    "gemini_web",
    leaves,
    hosts=("gemini.google.com", "bard.google.com"),
    path=r"StreamGenerate|/_/BardChatUi/data/",
    container="form",
    form_field="f.req",
)
