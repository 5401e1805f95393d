"""poe.com: GraphQL POSTs (/api/gql_POST) carry the message in `variables` (e.g. `query`);
ids are structural and skipped."""

from __future__ import annotations

from typing import Any

from aigate.inspect.extract.base import STRUCTURAL_KEYS, Extractor, Leaves, roots

_SKIP = STRUCTURAL_KEYS | {"bot", "chatId", "clientNonce", "sdid", "attachments", "messageId"}


def leaves(doc: Any) -> Leaves:
    yield from roots(doc, ("variables",), skip=_SKIP)


EXTRACTOR = Extractor("poe_web", leaves, hosts=("poe.com", "www.poe.com"), path=r"^/api/gql")
