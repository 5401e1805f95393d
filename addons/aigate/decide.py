"""Request facts -> decision: a pure function of the loaded policy, no I/O.

Precedence (first match wins; `explain` shows the walk):
1. `exceptions` for one of the requester's groups naming the service or its category;
2. `services.<id>`;
3. `risk_rules`, in file order;
4. `categories.<category>`;
5. `default`.
A rule with `requires_training` then blocks people who have not completed that training.
Requests the catalog does not know are `passthrough` (rule "catalog").
In `mode: monitor` the decision is the same but `enforced` is False.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from aigate.catalog import Service
from aigate.classify import normalize_host
from aigate.policy.loaded import Alternative, LoadedPolicy

__all__ = ["Alternative", "Decision", "DecisionAction", "RequestFacts", "decide"]

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


_NOT_AI_TRACE = ("catalog: not an AI service",)
_NOT_AI_REASON = "Not an AI service in the catalog."
_MONITOR_STEP = "mode: monitor (recorded, not enforced)"


def decide(
    policy: LoadedPolicy, facts: RequestFacts, service: Service | None = None
) -> Decision:
    """What the policy says about this request, and the walk that got there (see module doc).

    `service` skips classifying the host: the request is decided as that service (the
    unlisted-endpoint pseudo-service of `aigate.endpoints`, for a host outside the catalog).
    """
    enforced = policy.policy.mode == "enforce"
    if service is None:
        match = policy.classifier.classify(normalize_host(facts.host), facts.path or "/")
        if match is None:
            return Decision(
                "passthrough", None, "catalog", _NOT_AI_REASON, enforced=enforced,
                trace=_NOT_AI_TRACE,
            )
        service = match.service
    exception = policy.exception_for(facts.groups, service)
    if exception is not None:
        base = policy.base_resolution(service).rule
        rule = exception
        trace: tuple[str, ...] = (
            f"{exception.rule_id}: {exception.action} (overrides {base.rule_id}: {base.action})",
        )
    else:
        resolution = policy.base_resolution(service)
        rule, trace = resolution.rule, resolution.trace
    action, rule_id, reason = rule.action, rule.rule_id, rule.reason
    training_id = rule.requires_training
    if training_id is not None:
        if policy.completed_training(training_id, facts.user, facts.groups):
            trace = (*trace, f"training.{training_id}: completed")
        else:
            action, rule_id = "block", f"training.{training_id}"
            reason = _training_reason(policy, service, training_id)
            trace = (*trace, f"training.{training_id}: not completed: block")
    if not enforced:
        trace = (*trace, _MONITOR_STEP)
    return Decision(
        action,  # type: ignore[arg-type]  # a validated Action literal
        service,
        rule_id,
        reason,
        rule.alternatives,
        rule.redirect_url if action == "redirect" else None,
        enforced,
        trace,
    )


def _training_reason(policy: LoadedPolicy, service: Service, training_id: str) -> str:
    name, url = policy.training_label(training_id)
    where = f": {url}" if url else ""
    return f"{service.name} requires completing the training '{name}' first{where}"
