"""Request facts -> decision: a pure function of the loaded policy, no I/O.

Precedence (first match wins; `explain` shows the walk):
1. `exceptions` for one of the requester's groups naming the service or its category;
2. `services.<id>`;
3. `risk_rules`, in file order;
4. `categories.<category>`;
5. `default`.
A rule with `requires_training` then blocks people who have not completed that training.
In `mode: monitor` the decision is the same but `enforced` is False.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from aigate.catalog import Service

DecisionAction = Literal["allow", "warn", "block", "redirect", "passthrough"]


@dataclass(frozen=True, slots=True)
class RequestFacts:
    host: str
    path: str = "/"
    method: str = "GET"
    user: str | None = None
    groups: frozenset[str] = frozenset()
    client_ip: str | None = None


@dataclass(frozen=True, slots=True)
class Alternative:
    """An approved tool to offer instead, ready to show to a person."""

    name: str
    url: str | None
    service_id: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    action: DecisionAction
    service: Service | None
    rule: str
    reason: str
    alternatives: tuple[Alternative, ...] = ()
    redirect_url: str | None = None
    enforced: bool = True
    trace: tuple[str, ...] = ()

    @property
    def category(self) -> str | None:
        return self.service.category if self.service else None
