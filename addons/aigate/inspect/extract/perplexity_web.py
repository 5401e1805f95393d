"""perplexity.ai web app: the question is `query_str` (the SSE ask endpoint)."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import Extractor, Leaves, roots


def leaves(doc: Any) -> Leaves:
    yield from roots(doc, ("query_str", "query", "params"))


EXTRACTOR = Extractor(
    "perplexity_web", leaves, hosts=("www.perplexity.ai", "perplexity.ai"), path=r"^/rest/"
)
