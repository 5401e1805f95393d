"""What the proxy does with every catalog service, decided by the proxy's own code
(`aigate.decide.decide`) rather than read off the policy's rule lists: a rule that an earlier one
shadows, or a training gate, then shows in the document exactly as it is enforced.

Each service is decided for a person in no group who has completed no training (the baseline
the document states), then once for each group, to say where members of a group get another
answer (an exception, or a training the group has completed).
"""

from __future__ import annotations

from dataclasses import dataclass

from aigate.catalog import Service
from aigate.decide import Decision, RequestFacts, decide
from aigate.policy.loaded import CompiledRule, LoadedPolicy


@dataclass(frozen=True, slots=True)
class Effective:
    """The decision for one service, and how it differs by group."""

    service: Service
    decision: Decision
    # The rule that applies once its training is completed, when `decision` is a training gate.
    gated: CompiledRule | None
    # Groups whose members get another decision, in the policy's order.
    groups: tuple[tuple[str, Decision], ...]

    @property
    def rule_id(self) -> str:
        """The policy rule behind the decision (for a training gate, the rule it guards)."""
        return self.gated.rule_id if self.gated else self.decision.rule

    @property
    def named(self) -> bool:
        """Whether the policy names this service under `services:`."""
        return self.rule_id == f"services.{self.service.id}"

    @property
    def action(self) -> str:
        """What happens once any required training is completed."""
        return self.gated.action if self.gated else self.decision.action


def effective(loaded: LoadedPolicy) -> list[Effective]:
    """Every catalog service (in catalog order) with the decision the proxy makes for it."""
    out = []
    for service in loaded.catalog.services.values():
        decision = decide(loaded, RequestFacts(host=""), service)
        gated = None
        if decision.rule.startswith("training."):
            gated = loaded.base_resolution(service).rule
        groups = []
        for group in loaded.policy.groups:
            member = decide(loaded, RequestFacts(host="", groups=frozenset({group})), service)
            if (member.action, member.rule) != (decision.action, decision.rule):
                groups.append((group, member))
        out.append(Effective(service, decision, gated, tuple(groups)))
    return out
