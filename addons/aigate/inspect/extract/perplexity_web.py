"""perplexity.ai web app: the question is `query_str` (the SSE ask endpoint)."""

from __future__ import annotations

from aigate.inspect.extract.base import Extractor

EXTRACTOR = Extractor(
    "perplexity_web",
    roots=("query_str", "query", "params"),
    hosts=("www.perplexity.ai", "perplexity.ai"),
    path=r"^/rest/",
)
