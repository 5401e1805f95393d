"""What the report says about each service it counts: catalog facts (name, vendor, risk,
jurisdiction) and its policy status, so sanctioned and unsanctioned use can be told apart.

The status is the loaded policy's decision for the service with no group, made by the proxy's own
`aigate.decide.decide` once per service (never per record): `approved` (allow), `caution`
(warn), `blocked` (block, or redirect to an approved alternative), or `not in policy` when the
policy names the service nowhere (no `services`, `categories` or `exceptions` entry: it falls to a
risk rule or the default, the shadow-AI list) or the catalog does not know it. A training gate
(`requires_training`) does not change the status: people who completed it are let through.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aigate.decide import RequestFacts, decide
from aigate.endpoints import UNLISTED_ID

if TYPE_CHECKING:
    from aigate.policy.loaded import LoadedPolicy

APPROVED, CAUTION, BLOCKED, NOT_IN_POLICY = "approved", "caution", "blocked", "not in policy"
STATUSES = (APPROVED, CAUTION, BLOCKED, NOT_IN_POLICY)
RISKY = frozenset({"high"})  # catalog risk levels listed as risky services
UNLISTED_PREFIX = "unlisted:"  # the report's key of an unlisted AI endpoint: unlisted:<host>
_STATUS_OF_ACTION = {"allow": APPROVED, "warn": CAUTION, "block": BLOCKED, "redirect": BLOCKED}


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    """What the catalog and the policy say about one service (all None when unknown)."""

    name: str | None = None
    vendor: str | None = None
    risk: str | None = None
    risk_reason: str | None = None
    jurisdiction: str | None = None
    status: str | None = None  # None without a policy
    decision: str | None = None  # "rule: action", the walk's result with no group

    @property
    def risky(self) -> bool:
        return self.risk in RISKY


NO_INFO = ServiceInfo()


def describe_services(policy: LoadedPolicy | None, keys: Iterable[str]) -> dict[str, ServiceInfo]:
    """Catalog facts and policy status of each of the report's service keys (catalog ids, and
    `unlisted:<host>`, decided as the policy's unlisted-endpoint pseudo-service)."""
    if policy is None:
        return dict.fromkeys(keys, NO_INFO)
    named = named_by_policy(policy)
    return {key: _info(policy, named, key) for key in keys}


def _info(
    policy: LoadedPolicy, named: tuple[frozenset[str], frozenset[str]], key: str
) -> ServiceInfo:
    service = policy.catalog.get(UNLISTED_ID if key.startswith(UNLISTED_PREFIX) else key)
    if service is None:
        return ServiceInfo(status=NOT_IN_POLICY)
    decision = decide(policy, RequestFacts(service.hosts[0] if service.hosts else ""), service)
    rule_id, action = decision.rule, decision.action
    if rule_id.startswith("training."):  # gated, not refused: report the rule behind the gate
        base = policy.base_resolution(service).rule
        rule_id, action = f"{base.rule_id} (requires {rule_id})", base.action
    in_policy = service.id in named[0] or service.category in named[1]
    return ServiceInfo(
        name=service.name,
        vendor=service.vendor or None,
        risk=service.risk,
        risk_reason=" ".join(service.risk_reason.split()) or None,
        jurisdiction=service.jurisdiction or None,
        status=_STATUS_OF_ACTION.get(action, NOT_IN_POLICY) if in_policy else NOT_IN_POLICY,
        decision=f"{rule_id}: {action}",
    )


def named_by_policy(policy: LoadedPolicy) -> tuple[frozenset[str], frozenset[str]]:
    """(service ids, categories) the policy names in `services`, `categories` or `exceptions`."""
    p = policy.policy
    services = set(p.services)
    categories = set(p.categories)
    for exception in p.exceptions:
        services.update(exception.services)
        categories.update(exception.categories)
    return frozenset(services), frozenset(categories)
