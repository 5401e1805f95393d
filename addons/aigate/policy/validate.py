"""Checks a well-typed policy against the catalog and itself: references that do not exist, rules
that can never apply, and settings that contradict each other.

A shadowed rule is an error rather than a warning: the admin wrote it expecting it to matter.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from aigate.catalog import CATEGORIES as CATALOG_CATEGORIES
from aigate.catalog import Catalog
from aigate.directory import normalise_dn
from aigate.endpoints import UNLISTED_CATEGORY
from aigate.policy.errors import Problem, format_path, unknown_name
from aigate.policy.loaded import risk_matches
from aigate.policy.model import Exception_, Policy, RiskMatch, Rule
from aigate.policy.validate_dlp import DlpChecks
from aigate.yamlfile import KeyPath, YamlDocument

# Categories a policy may name: the catalog's, and the pseudo-service's (`aigate.endpoints`).
CATEGORIES = (*CATALOG_CATEGORIES, UNLISTED_CATEGORY)
_HEADER = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
_HOST = re.compile(r"^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+\.?$")


def check_policy(
    policy: Policy, catalog: Catalog, doc: YamlDocument, base_dir: Path | None = None
) -> list[Problem]:
    """Every problem found; empty when the policy is consistent. Files the policy names (DLP
    digest files) resolve against `base_dir`, the policy file's folder (default: the cwd)."""
    return _Checker(policy, catalog, doc, base_dir or Path.cwd()).run()


class _Checker(DlpChecks):
    def __init__(self, policy: Policy, catalog: Catalog, doc: YamlDocument, base_dir: Path) -> None:
        self.policy = policy
        self.catalog = catalog
        self.doc = doc
        self.base_dir = base_dir
        self.problems: list[Problem] = []
        self.categories_in_use = {s.category for s in catalog.services.values()}

    def run(self) -> list[Problem]:
        self.groups()
        self.document()
        self.training()
        self.rule(("default",), self.policy.default)
        self.services()
        self.categories()
        self.risk_rules()
        self.exceptions()
        self.dlp()
        self.inspect_hosts()
        self.inspect_networks()
        self.problems.sort(key=lambda p: (p.file, p.line))
        return self.problems

    def add(self, path: KeyPath, message: str) -> None:
        self.problems.append(
            Problem(self.doc.file, self.doc.line_of(path), format_path(path), message)
        )

    # references

    def service_ref(self, path: KeyPath, service_id: str) -> None:
        if self.catalog.get(service_id) is None:
            self.add(path, _unknown("service", service_id, self.catalog.services, "aigate catalog"))

    def group_ref(self, path: KeyPath, group: str) -> None:
        if group not in self.policy.groups:
            self.add(path, _unknown("group", group, self.policy.groups, "define it under groups:"))

    def category_ref(self, path: KeyPath, category: str) -> None:
        if category not in CATEGORIES:
            self.add(path, _unknown("category", category, CATEGORIES, ""))

    # sections

    def groups(self) -> None:
        for name, group in self.policy.groups.items():
            for index, cidr in enumerate(group.cidrs):
                path = ("groups", name, "cidrs", index)
                try:
                    ipaddress.ip_network(cidr, strict=True)
                except ValueError:
                    try:
                        network = ipaddress.ip_network(cidr, strict=False)
                    except ValueError:
                        self.add(path, f"invalid network '{cidr}'; write it like 10.20.0.0/16")
                    else:
                        self.add(path, f"'{cidr}' has host bits set; did you mean '{network}'?")
            for index, dn in enumerate(group.ldap_groups):
                try:
                    normalise_dn(dn)
                except ValueError as e:
                    self.add(
                        ("groups", name, "ldap_groups", index),
                        f"invalid directory group DN: {e}; write the group's full DN, e.g. "
                        "cn=engineering,ou=groups,dc=corp,dc=example",
                    )

    def document(self) -> None:
        if self.policy.document.request_url is not None:
            self.url(("document", "request_url"), self.policy.document.request_url)

    def training(self) -> None:
        for tid, training in self.policy.training.items():
            for index, group in enumerate(training.completed_by.groups):
                self.group_ref(("training", tid, "completed_by", "groups", index), group)
            if training.url is not None:
                self.url(("training", tid, "url"), training.url)

    def services(self) -> None:
        for sid, rule in self.policy.services.items():
            self.service_ref(("services", sid), sid)
            self.rule(("services", sid), rule)
            for index, tenant in enumerate(rule.tenant):
                path = ("services", sid, "tenant", index)
                if not _HEADER.match(tenant.header):
                    self.add((*path, "header"), f"'{tenant.header}' is not a valid header name")
                if not tenant.value.strip():
                    self.add((*path, "value"), "tenant value is empty; set the tenant id(s)")

    def categories(self) -> None:
        for category, rule in self.policy.categories.items():
            path = ("categories", category)
            if category not in CATEGORIES:
                self.category_ref(path, category)
            elif category not in self.categories_in_use:
                self.add(
                    path, f"no catalog service has category '{category}'; the rule never applies"
                )
            elif not self.reaches_category(category):
                self.add(
                    path,
                    f"never applies: every '{category}' service has its own `services:` rule or "
                    "matches a risk rule first; remove it or narrow those rules",
                )
            self.rule(path, rule)

    def reaches_category(self, category: str) -> bool:
        """Whether some service of `category` gets past `services:` and `risk_rules:`."""
        return any(
            service.category == category
            and service.id not in self.policy.services
            and not any(risk_matches(r.when, service) for r in self.policy.risk_rules)
            for service in self.catalog.services.values()
        )

    def risk_rules(self) -> None:
        seen: dict[str, int] = {}
        for index, risk_rule in enumerate(self.policy.risk_rules):
            path = ("risk_rules", index)
            self.unique_id(path, risk_rule.id, seen, index)
            self.rule(path, risk_rule)
            when = risk_rule.when
            if when == RiskMatch():
                self.add((*path, "when"), "matches every AI service; use `default:` instead")
            for i, category in enumerate(when.category or ()):
                self.category_ref((*path, "when", "category", i), category)
            for i, code in enumerate(when.jurisdiction or ()):
                if not re.fullmatch(r"[A-Z]{2}", code):
                    fix = (
                        f"; did you mean '{code.upper()}'?"
                        if re.fullmatch(r"[a-zA-Z]{2}", code)
                        else ""
                    )
                    self.add(
                        (*path, "when", "jurisdiction", i),
                        f"'{code}' is not an ISO 3166 country code such as CN{fix}",
                    )
            for earlier_index, earlier in enumerate(self.policy.risk_rules[:index]):
                if _covers(earlier.when, when):
                    same = (
                        "has the same conditions" if earlier.when == when else "matches all of it"
                    )
                    self.add(
                        (*path, "when"),
                        f"never applies: risk_rules[{earlier_index}] '{earlier.id}' {same} "
                        "and comes first; remove this rule or move it up and narrow the other",
                    )
                    break

    def exceptions(self) -> None:
        seen: dict[str, int] = {}
        for index, exc in enumerate(self.policy.exceptions):
            path = ("exceptions", index)
            self.unique_id(path, exc.id, seen, index)
            self.rule(path, exc)
            for i, group in enumerate(exc.groups):
                self.group_ref((*path, "groups", i), group)
            if not exc.groups:
                self.add((*path, "groups"), "an exception needs at least one group")
            for i, sid in enumerate(exc.services):
                self.service_ref((*path, "services", i), sid)
            for i, category in enumerate(exc.categories):
                self.category_ref((*path, "categories", i), category)
            if not exc.services and not exc.categories:
                self.add(path, "an exception needs `services:` or `categories:` to apply to")
            for earlier_index, earlier in enumerate(self.policy.exceptions[:index]):
                if self.exception_covers(earlier, exc):
                    self.add(
                        path,
                        f"never applies: exceptions[{earlier_index}] '{earlier.id}' covers the "
                        "same groups and services and comes first; remove one or narrow the other",
                    )
                    break

    def exception_covers(self, earlier: Exception_, later: Exception_) -> bool:
        if not later.groups or not set(later.groups) <= set(earlier.groups):
            return False
        if not set(later.categories) <= set(earlier.categories):
            return False
        for sid in later.services:
            service = self.catalog.get(sid)
            if sid not in earlier.services and (
                service is None or service.category not in earlier.categories
            ):
                return False
        return bool(later.services or later.categories)

    def inspect_networks(self) -> None:
        for index, cidr in enumerate(self.policy.inspect_networks):
            try:
                ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                self.add(("inspect_networks", index),
                         f"invalid network '{cidr}'; write it like 10.0.0.0/8")

    def inspect_hosts(self) -> None:
        for index, host in enumerate(self.policy.inspect_hosts):
            if not _HOST.match(host):
                self.add(
                    ("inspect_hosts", index),
                    f"'{host}' is not a lowercase host name or '*.domain'",
                )

    # shared

    def unique_id(self, path: KeyPath, rule_id: str, seen: dict[str, int], index: int) -> None:
        if rule_id in seen:
            self.add((*path, "id"), f"duplicate id '{rule_id}' (also at index {seen[rule_id]})")
        else:
            seen[rule_id] = index

    def rule(self, path: KeyPath, rule: Rule) -> None:
        if not rule.reason.strip():
            self.add((*path, "reason"), "give a reason: people see it on block and warn pages")
        if rule.action == "redirect" and not rule.redirect_to:
            self.add(path, "action 'redirect' needs `redirect_to:` (the approved tool's URL)")
        if rule.redirect_to is not None:
            if rule.action != "redirect":
                self.add(
                    (*path, "redirect_to"),
                    f"redirect_to is only used with action 'redirect' (action is '{rule.action}')",
                )
            self.url((*path, "redirect_to"), rule.redirect_to)
        if (
            rule.requires_training is not None
            and rule.requires_training not in self.policy.training
        ):
            self.add(
                (*path, "requires_training"),
                _unknown(
                    "training",
                    rule.requires_training,
                    self.policy.training,
                    "define it under training:",
                ),
            )
        for index, alt in enumerate(rule.alternatives):
            alt_path = (*path, "alternatives", index)
            if alt.service is not None:
                self.service_ref((*alt_path, "service"), alt.service)
            elif not (alt.name and alt.url):
                self.add(
                    alt_path, "an alternative needs `service:` (a catalog id) or `name:` and `url:`"
                )
            if alt.url is not None:
                self.url((*alt_path, "url"), alt.url)

    def url(self, path: KeyPath, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.add(path, f"'{url}' is not an http(s) URL such as https://intranet.example/ai")


def _unknown(kind: str, name: str, known: Iterable[str], fix: str) -> str:
    if not difflib.get_close_matches(name, list(known), n=1, cutoff=0.6):
        if kind == "service":
            return f"unknown service '{name}'; list services with `aigate catalog`"
        if kind == "category":
            return f"unknown category '{name}'; categories are {', '.join(CATEGORIES)}"
    return unknown_name(kind, name, known, fix)


def _covers(earlier: RiskMatch, later: RiskMatch) -> bool:
    """Whether every service `later` matches is also matched by `earlier`."""
    for name in ("jurisdiction", "risk", "category"):
        wide, narrow = getattr(earlier, name), getattr(later, name)
        if wide is not None and (narrow is None or not set(narrow) <= set(wide)):
            return False
    for name in ("trains_on_inputs", "enterprise_tier"):
        wide, narrow = getattr(earlier, name), getattr(later, name)
        if wide is not None and wide != narrow:
            return False
    return True
