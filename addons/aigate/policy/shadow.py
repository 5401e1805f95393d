"""Rules a more lenient, earlier rule keeps from applying.

Precedence is first-match (`aigate.decide`): a risk rule decides before any category rule, and
risk rules decide in file order. When an earlier rule that is *less strict* decides for a
service a later rule also names, the later rule's stricter action never happens for it, while
the policy document still says it does (a `trains-on-inputs: warn` risk rule quietly turns
`categories.meeting: block` into a warning for Otter). `aigate check` reports each such pair
with the services affected. An earlier rule that is as strict or stricter is intended
(specific before general) and is not reported; a service's own rule is explicit and never is.
"""

from __future__ import annotations

from dataclasses import dataclass

from aigate.actions import STRICTNESS
from aigate.policy.loaded import LoadedPolicy, risk_matches
from aigate.policy.model import Policy
from aigate.yamlfile import KeyPath


@dataclass(frozen=True, slots=True)
class Shadowing:
    """`rule` (stricter) never decides for `services`: the earlier `by` (more lenient) does."""

    rule: str
    rule_action: str
    by: str
    by_action: str
    services: tuple[str, ...]

    def path(self, policy: Policy) -> KeyPath:
        """Where the shadowed rule sits in the policy file."""
        kind, _, name = self.rule.partition(".")
        if kind == "risk_rules":
            return (kind, [r.id for r in policy.risk_rules].index(name))
        return (kind, name)

    def message(self, shown: int = 8) -> str:
        names = ", ".join(self.services[:shown])
        more = len(self.services) - shown
        if more > 0:
            names += f" and {more} more"
        return (
            f"{self.rule} ({self.rule_action}) never applies to {names}: the earlier "
            f"{self.by} ({self.by_action}) decides first; give those services their own rule, "
            f"narrow {self.by}'s `when`, or put the stricter rule first as a risk rule"
        )


def shadowed_rules(loaded: LoadedPolicy) -> list[Shadowing]:
    """Every (stricter later rule, more lenient earlier rule) pair, with the services."""
    policy = loaded.policy
    found: dict[tuple[str, str], list[str]] = {}
    actions: dict[str, str] = {}
    for service in loaded.catalog.services.values():
        if service.id in policy.services:
            continue
        applicable = [
            (f"risk_rules.{r.id}", r.action)
            for r in policy.risk_rules
            if risk_matches(r.when, service)
        ]
        category = policy.categories.get(service.category)
        if category is not None:
            applicable.append((f"categories.{service.category}", category.action))
        if len(applicable) < 2:
            continue
        first, first_action = applicable[0]
        for later, later_action in applicable[1:]:
            if STRICTNESS[later_action] > STRICTNESS[first_action]:
                found.setdefault((later, first), []).append(service.id)
                actions[later], actions[first] = later_action, first_action
    return [
        Shadowing(rule, actions[rule], by, actions[by], tuple(sorted(services)))
        for (rule, by), services in sorted(found.items())
    ]
