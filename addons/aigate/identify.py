"""Who is asking: the identity facts a decision is made on (pure; no mitmproxy)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Identity:
    """A requester: proxy-auth user (None when unauthenticated), policy groups, client address.

    Never holds a password.
    """

    user: str | None
    groups: frozenset[str]
    client_ip: str | None
