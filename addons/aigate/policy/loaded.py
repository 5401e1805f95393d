"""A validated policy compiled for the hot path.

Everything that depends only on the policy and the catalog is computed once at load time: the
rule each service falls to without exceptions (with its explain trace), an exception index keyed
by (group, service) and (group, category), group membership by user and network, tenant headers.
`aigate.decide` then needs only dict lookups per request.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from aigate.catalog import Catalog, Service
from aigate.classify import Classifier
from aigate.directory import normalise_dn
from aigate.endpoints import name_hint
from aigate.policy.model import Policy, RiskMatch, Rule

_GROUPS_CACHE_LIMIT = 65536
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class Alternative:
    """An approved tool to offer instead, ready to show to a person."""

    name: str
    url: str | None
    service_id: str | None = None


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """One policy rule with its alternatives resolved against the catalog."""

    rule_id: str
    action: str
    reason: str
    alternatives: tuple[Alternative, ...]
    redirect_url: str | None
    requires_training: str | None


@dataclass(frozen=True, slots=True)
class Resolution:
    """The rule a service falls to when no exception applies, and the walk that found it."""

    rule: CompiledRule
    trace: tuple[str, ...]


@dataclass(slots=True)
class _Index:
    base: dict[str, Resolution]
    exc_service: dict[tuple[str, str], tuple[int, CompiledRule]]
    exc_category: dict[tuple[str, str], tuple[int, CompiledRule]]
    user_groups: dict[str, frozenset[str]]
    directory_groups: dict[str, frozenset[str]]  # normalised DN -> policy groups
    networks: tuple[tuple[IpNetwork, str], ...]
    training_users: dict[str, frozenset[str]]
    training_groups: dict[str, frozenset[str]]
    tenant: dict[str, tuple[tuple[str, str, frozenset[str]], ...]]
    inspect_exact: frozenset[str]
    inspect_suffixes: tuple[str, ...]
    inspect_networks: tuple[IpNetwork, ...]
    name_hints: bool
    shared_hosts: dict[str, str | None]  # host -> why it is decrypted, None: passed through
    groups_cache: dict[tuple[str | None, str | None], frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LoadedPolicy:
    """A policy ready to enforce: the model, its catalog and classifier, and the lookups."""

    policy: Policy
    path: Path | None
    catalog: Catalog
    classifier: Classifier
    sha256: str
    _index: _Index = field(repr=False, compare=False)

    @classmethod
    def compile(
        cls,
        policy: Policy,
        path: Path | None,
        catalog: Catalog,
        classifier: Classifier,
        sha256: str,
    ) -> LoadedPolicy:
        index = _compile(policy, catalog)
        index.shared_hosts = _shared_hosts(policy, catalog, classifier, index)
        return cls(policy, path, catalog, classifier, sha256, index)

    @property
    def version(self) -> str:
        return self.policy.version

    @property
    def mode(self) -> str:
        return self.policy.mode

    @property
    def reads_directory_groups(self) -> bool:
        """Whether a policy group names directory groups (`ldap_groups`)."""
        return bool(self._index.directory_groups)

    def groups_for(
        self,
        user: str | None,
        client_ip: str | None,
        directory_groups: frozenset[str] = frozenset(),
    ) -> frozenset[str]:
        """Policy groups of a requester: by user name (only when authenticated), by network, and
        by the directory groups (normalised DNs) the directory says the user is in."""
        index = self._index
        if directory_groups:
            by_directory = (index.directory_groups.get(dn, ()) for dn in directory_groups)
            return self.groups_for(user, client_ip).union(*by_directory)
        key = (user, client_ip)
        cached = index.groups_cache.get(key)
        if cached is not None:
            return cached
        groups: set[str] = set()
        if user:
            groups.update(index.user_groups.get(user.casefold(), ()))
        if client_ip and index.networks:
            try:
                address = ipaddress.ip_address(client_ip.strip("[]").split("%", 1)[0])
            except ValueError:
                address = None
            if address is not None:
                if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
                    address = address.ipv4_mapped
                for network, group in index.networks:
                    if address.version == network.version and address in network:
                        groups.add(group)
        result = frozenset(groups)
        if len(index.groups_cache) >= _GROUPS_CACHE_LIMIT:
            index.groups_cache.clear()
        index.groups_cache[key] = result
        return result

    def completed_training(
        self, training_id: str, user: str | None, groups: frozenset[str]
    ) -> bool:
        """Whether this user, or one of their groups, is recorded as having completed it."""
        index = self._index
        if user and user.casefold() in index.training_users.get(training_id, ()):
            return True
        return not index.training_groups.get(training_id, frozenset()).isdisjoint(groups)

    def intercepts(self, host: str) -> bool:
        """Whether to decrypt `host` (normalized): it may be AI or the policy inspects it (by
        name, by network for an IP literal, or by a model-server name hint when enabled)."""
        index = self._index
        if host in index.inspect_exact:
            return True
        if self.classifier.may_be_ai(host) and index.shared_hosts.get(host, True) is not None:
            return True
        if any(host.endswith(suffix) for suffix in index.inspect_suffixes):
            return True
        if index.inspect_networks and _in_networks(host, index.inspect_networks):
            return True
        return index.name_hints and name_hint(host)

    @property
    def shared_hosts(self) -> dict[str, str | None]:
        """Hosts where AI lives only on some paths (github.com/copilot, www.bing.com/chat), each
        with why the policy decrypts it, or None when it passes the host through undecrypted."""
        return dict(self._index.shared_hosts)

    def tenant_headers(self, service_id: str, host: str) -> list[tuple[str, str]]:
        """Headers that pin `service_id` to the company tenant on `host` (normalized)."""
        return [
            (name, value)
            for name, value, hosts in self._index.tenant.get(service_id, ())
            if not hosts or host in hosts
        ]

    def base_resolution(self, service: Service) -> Resolution:
        """The rule `service` gets when no exception applies (precomputed)."""
        resolution = self._index.base.get(service.id)
        if resolution is None:  # a service object from another catalog
            resolution = _resolve(self.policy, self.catalog, service)
        return resolution

    def exception_for(self, groups: frozenset[str], service: Service) -> CompiledRule | None:
        """The first exception (file order) for one of `groups` naming the service or category."""
        if not groups:
            return None
        index = self._index
        best: tuple[int, CompiledRule] | None = None
        for group in groups:
            for hit in (
                index.exc_service.get((group, service.id)),
                index.exc_category.get((group, service.category)),
            ):
                if hit is not None and (best is None or hit[0] < best[0]):
                    best = hit
        return best[1] if best else None

    def training_label(self, training_id: str) -> tuple[str, str | None]:
        """Name and URL of a training, for messages."""
        training = self.policy.training.get(training_id)
        if training is None:
            return training_id, None
        return training.name, training.url


def compile_rule(rule_id: str, rule: Rule, catalog: Catalog) -> CompiledRule:
    alternatives = []
    for alt in rule.alternatives:
        service = catalog.get(alt.service) if alt.service else None
        name = alt.name or (service.name if service else alt.service or alt.url or "")
        url = alt.url or (service.url if service else None)
        alternatives.append(Alternative(name=name, url=url, service_id=alt.service))
    return CompiledRule(
        rule_id=rule_id,
        action=rule.action,
        reason=rule.reason.strip(),
        alternatives=tuple(alternatives),
        redirect_url=rule.redirect_to,
        requires_training=rule.requires_training,
    )


def risk_matches(when: RiskMatch, service: Service) -> bool:
    """All conditions given in `when` hold for `service`."""
    return (
        (when.jurisdiction is None or service.jurisdiction in when.jurisdiction)
        and (when.trains_on_inputs is None or service.trains_on_inputs == when.trains_on_inputs)
        and (when.enterprise_tier is None or service.enterprise_tier == when.enterprise_tier)
        and (when.risk is None or service.risk in when.risk)
        and (when.category is None or service.category in when.category)
    )


def _resolve(policy: Policy, catalog: Catalog, service: Service) -> Resolution:
    trace = ["exceptions: no match"]
    rule = policy.services.get(service.id)
    if rule is not None:
        trace.append(f"services.{service.id}: {rule.action}")
        return Resolution(compile_rule(f"services.{service.id}", rule, catalog), tuple(trace))
    trace.append(f"services.{service.id}: not set")
    for risk_rule in policy.risk_rules:
        if risk_matches(risk_rule.when, service):
            trace.append(f"risk_rules.{risk_rule.id}: {risk_rule.action}")
            compiled = compile_rule(f"risk_rules.{risk_rule.id}", risk_rule, catalog)
            return Resolution(compiled, tuple(trace))
        trace.append(f"risk_rules.{risk_rule.id}: no match")
    rule = policy.categories.get(service.category)
    if rule is not None:
        trace.append(f"categories.{service.category}: {rule.action}")
        compiled = compile_rule(f"categories.{service.category}", rule, catalog)
        return Resolution(compiled, tuple(trace))
    trace.append(f"categories.{service.category}: not set")
    trace.append(f"default: {policy.default.action}")
    return Resolution(compile_rule("default", policy.default, catalog), tuple(trace))


def _compile(policy: Policy, catalog: Catalog) -> _Index:
    base = {sid: _resolve(policy, catalog, s) for sid, s in catalog.services.items()}
    exc_service: dict[tuple[str, str], tuple[int, CompiledRule]] = {}
    exc_category: dict[tuple[str, str], tuple[int, CompiledRule]] = {}
    for order, exc in enumerate(policy.exceptions):
        compiled = compile_rule(f"exceptions.{exc.id}", exc, catalog)
        for group in exc.groups:
            for sid in exc.services:
                exc_service.setdefault((group, sid), (order, compiled))
            for category in exc.categories:
                exc_category.setdefault((group, category), (order, compiled))
    user_groups: dict[str, set[str]] = {}
    directory_groups: dict[str, set[str]] = {}
    networks: list[tuple[IpNetwork, str]] = []
    for name, group in policy.groups.items():
        for user in group.users:
            user_groups.setdefault(user.casefold(), set()).add(name)
        for dn in group.ldap_groups:
            directory_groups.setdefault(normalise_dn(dn), set()).add(name)
        for cidr in group.cidrs:
            networks.append((ipaddress.ip_network(cidr, strict=False), name))
    tenant = {
        sid: tuple((t.header, t.value, frozenset(h.lower() for h in t.hosts)) for t in rule.tenant)
        for sid, rule in policy.services.items()
        if rule.tenant
    }
    inspect = [h.lower().rstrip(".") for h in policy.inspect_hosts]
    return _Index(
        base=base,
        exc_service=exc_service,
        exc_category=exc_category,
        user_groups={u: frozenset(g) for u, g in user_groups.items()},
        directory_groups={dn: frozenset(g) for dn, g in directory_groups.items()},
        networks=tuple(networks),
        training_users={
            tid: frozenset(u.casefold() for u in t.completed_by.users)
            for tid, t in policy.training.items()
        },
        training_groups={
            tid: frozenset(t.completed_by.groups) for tid, t in policy.training.items()
        },
        tenant=tenant,
        inspect_exact=frozenset(h for h in inspect if not h.startswith("*.")),
        inspect_suffixes=tuple(h[1:] for h in inspect if h.startswith("*.")),
        inspect_networks=tuple(
            ipaddress.ip_network(cidr, strict=False) for cidr in policy.inspect_networks
        ),
        name_hints=policy.unlisted_endpoints.detect and policy.unlisted_endpoints.name_hints,
        shared_hosts={},
    )


def _shared_hosts(
    policy: Policy, catalog: Catalog, classifier: Classifier, index: _Index
) -> dict[str, str | None]:
    """Privacy on shared domains: a host whose AI services all claim only some paths is
    decrypted only when the policy treats those paths differently from the rest of the host
    (which, not being AI, is passed through): any action but allow for anyone, a training gate,
    a tenant header, or DLP inspection of what is sent."""
    out: dict[str, str | None] = {}
    for service in catalog.services.values():
        if not service.paths:
            continue
        for host in service.hosts:
            if "*" in host or host in out:
                continue
            claimants = classifier.services_at(host)
            if any(not s.paths for s in claimants):
                continue  # the whole host is AI: always decrypted
            reasons = (_why_decrypted(policy, index, s) for s in claimants)
            out[host] = next((r for r in reasons if r), None)
    return out


def _why_decrypted(policy: Policy, index: _Index, service: Service) -> str | None:
    where = f"{service.id} ({', '.join(service.paths)})"
    rules = [index.base[service.id].rule]
    rules += [rule for (_, sid), (_, rule) in index.exc_service.items() if sid == service.id]
    rules += [
        rule for (_, cat), (_, rule) in index.exc_category.items() if cat == service.category
    ]
    for rule in rules:
        if rule.action != "allow":
            return f"{where}: {rule.action} by {rule.rule_id}"
        if rule.requires_training:
            return f"{where}: training '{rule.requires_training}' required by {rule.rule_id}"
    if service.id in index.tenant:
        return f"{where}: tenant header injected"
    if policy.dlp.enabled:
        return f"{where}: DLP inspects what is sent (dlp.enabled)"
    return None


def _in_networks(host: str, networks: tuple[IpNetwork, ...]) -> bool:
    """Whether `host` is an IP literal inside one of `networks` (names never are)."""
    if not host or not (host[0].isdigit() or ":" in host):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address.version == n.version and address in n for n in networks)
