"""What a policy change does before it is rolled out: the decisions that move, per service,
category and group.

Every service in either policy's catalog gets one representative request (GET on its primary host
and path, a host that classifies to it) decided under both policies, once for people in no group
and once per group either policy defines. Changes are reported per service and action transition,
with the audience it applies to ("everyone", "everyone except engineering", "groups ..."). Settings
that change every decision (mode, on_error) and DLP rule and detector ids are compared too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aigate.catalog import Service
from aigate.classify import Classifier
from aigate.decide import RequestFacts, decide
from aigate.policy.loaded import LoadedPolicy

Audience = str | None  # a policy group, or None: people in no group
SETTINGS = ("mode", "on_error", "dlp.enabled", "dlp.default_action")


@dataclass(frozen=True, slots=True)
class Change:
    """One service's decisions that move the same way (`old` -> `new`) for `audience`."""

    service_id: str
    service_name: str
    category: str
    old: str
    new: str
    rules: tuple[tuple[str, str], ...]  # distinct (old rule, new rule) that decided, in order
    audience: tuple[Audience, ...]
    scope: str  # the audience in words

    @property
    def transition(self) -> str:
        return f"{self.old} -> {self.new}"

    def as_record(self) -> dict[str, object]:
        return {
            "service": self.service_id,
            "name": self.service_name,
            "category": self.category,
            "old": self.old,
            "new": self.new,
            "rules": [{"old": was, "new": now} for was, now in self.rules],
            "groups": list(self.audience),
            "scope": self.scope,
        }


@dataclass(frozen=True, slots=True)
class IdChanges:
    """Ids added, removed or changed between two lists of identified entries."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def as_record(self) -> dict[str, list[str]]:
        return {"added": list(self.added), "removed": list(self.removed),
                "changed": list(self.changed)}


@dataclass(frozen=True, slots=True)
class PolicyDiff:
    changes: tuple[Change, ...]
    settings: tuple[tuple[str, str, str], ...]  # (key, old, new)
    dlp_rules: IdChanges = field(default_factory=IdChanges)
    dlp_detectors: IdChanges = field(default_factory=IdChanges)  # keywords, patterns, exact_match
    services_compared: int = 0
    audiences: tuple[Audience, ...] = (None,)

    def __bool__(self) -> bool:
        return bool(self.changes or self.settings or self.dlp_rules or self.dlp_detectors)

    def transitions(self) -> dict[str, int]:
        """Services per action transition (a service counts once per transition)."""
        seen: dict[str, set[str]] = {}
        for change in self.changes:
            seen.setdefault(change.transition, set()).add(change.service_id)
        return {t: len(ids) for t, ids in sorted(seen.items())}


def diff_policies(old: LoadedPolicy, new: LoadedPolicy) -> PolicyDiff:
    """Decide a representative request per service and audience under both policies."""
    audiences: tuple[Audience, ...] = (None, *sorted({*old.policy.groups, *new.policy.groups}))
    services = {**old.catalog.services, **new.catalog.services}
    changes: list[Change] = []
    for service_id in sorted(services):
        service = services[service_id]
        host, path = representative(service, (new.classifier, old.classifier))
        moved: dict[tuple[str, str], list[Audience]] = {}
        rules: dict[tuple[str, str], dict[tuple[str, str], None]] = {}
        for audience in audiences:
            facts = RequestFacts(host=host, path=path, groups=frozenset(
                () if audience is None else (audience,)))
            before, after = decide(old, facts), decide(new, facts)
            if before.action != after.action:
                key = (before.action, after.action)
                moved.setdefault(key, []).append(audience)
                rules.setdefault(key, {})[(before.rule, after.rule)] = None
        for (was, now), who in moved.items():
            changes.append(Change(
                service_id, service.name, service.category, was, now,
                tuple(rules[(was, now)]), tuple(who), scope_of(who, audiences),
            ))
    changes.sort(key=lambda c: (c.category, c.service_id, c.old, c.new))
    return PolicyDiff(
        changes=tuple(changes),
        settings=_settings(old, new),
        dlp_rules=_ids(old.policy.dlp.rules, new.policy.dlp.rules),
        dlp_detectors=_ids(_custom_detectors(old), _custom_detectors(new)),
        services_compared=len(services),
        audiences=audiences,
    )


def representative(service: Service, classifiers: Iterable[Classifier]) -> tuple[str, str]:
    """Host and path of a request that is this service's: its primary host and path, or the
    first candidate (other hosts, wildcards and globs filled in, its URL, its domains) that
    classifies to it."""
    path = service.paths[0] if service.paths else "/"
    url_host = urlsplit(service.url).hostname if service.url else None
    concrete = [h for h in service.hosts if "*" not in h]
    patterns = [h.replace("*", "example") for h in service.hosts if "*" in h]
    candidates = list(dict.fromkeys([*concrete, *patterns, *([url_host] if url_host else []),
                                     *service.domains]))
    for classifier in classifiers:
        for host in candidates:
            match = classifier.classify(host, path)
            if match is not None and match.service.id == service.id:
                return host, path
    return (candidates[0] if candidates else service.id), path


def scope_of(who: list[Audience], audiences: tuple[Audience, ...]) -> str:
    """An audience in words: everyone, everyone except some groups, or the groups."""
    groups = [g for g in who if g is not None]
    if len(who) == len(audiences):
        return "everyone"
    if None in who:
        others = [g for g in audiences if g is not None and g not in who]
        return "everyone except group" + ("s " if len(others) > 1 else " ") + ", ".join(others)
    return "group" + ("s " if len(groups) > 1 else " ") + ", ".join(groups)


def _settings(old: LoadedPolicy, new: LoadedPolicy) -> tuple[tuple[str, str, str], ...]:
    out = []
    for key in SETTINGS:
        was, now = _setting(old, key), _setting(new, key)
        if was != now:
            out.append((key, was, now))
    return tuple(out)


def _setting(loaded: LoadedPolicy, key: str) -> str:
    value: object = loaded.policy
    for part in key.split("."):
        value = getattr(value, part)
    return str(value).lower() if isinstance(value, bool) else str(value)


def _custom_detectors(loaded: LoadedPolicy) -> list:
    dlp = loaded.policy.dlp
    return [*dlp.keywords, *dlp.patterns, *dlp.exact_match]


def _ids(old: list, new: list) -> IdChanges:
    """Entries with an `id` compared by id, then by content."""
    before, after = {e.id: e for e in old}, {e.id: e for e in new}
    return IdChanges(
        added=tuple(i for i in after if i not in before),
        removed=tuple(i for i in before if i not in after),
        changed=tuple(i for i in after if i in before and after[i] != before[i]),
    )
