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

import re2

from aigate.catalog import CATEGORIES as CATALOG_CATEGORIES
from aigate.catalog import Catalog
from aigate.endpoints import UNLISTED_CATEGORY
from aigate.inspect import custom
from aigate.inspect.detectors import builtin
from aigate.inspect.engine import Scanner
from aigate.policy.errors import Problem, format_path
from aigate.policy.loaded import risk_matches
from aigate.policy.model import DlpRule, Exception_, Policy, RiskMatch, Rule
from aigate.yamlfile import KeyPath, YamlDocument

# Categories a policy may name: the catalog's, and the pseudo-service's (`aigate.endpoints`).
CATEGORIES = (*CATALOG_CATEGORIES, UNLISTED_CATEGORY)
_HEADER = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
_HOST = re.compile(r"^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+\.?$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RE2_QUIET = re2.Options()
_RE2_QUIET.log_errors = False  # the error is reported as a policy problem, not on stderr
_DETECTOR_FIX = "`aigate scan --list` lists the built-in detector ids"
_RULE_FIX = _DETECTOR_FIX + "; custom ones are the ids under dlp.keywords, patterns, exact_match"


def check_policy(
    policy: Policy, catalog: Catalog, doc: YamlDocument, base_dir: Path | None = None
) -> list[Problem]:
    """Every problem found; empty when the policy is consistent. Files the policy names (DLP
    digest files) resolve against `base_dir`, the policy file's folder (default: the cwd)."""
    return _Checker(policy, catalog, doc, base_dir or Path.cwd()).run()


class _Checker:
    def __init__(self, policy: Policy, catalog: Catalog, doc: YamlDocument, base_dir: Path) -> None:
        self.policy = policy
        self.catalog = catalog
        self.doc = doc
        self.base_dir = base_dir
        self.problems: list[Problem] = []
        self.categories_in_use = {s.category for s in catalog.services.values()}

    def run(self) -> list[Problem]:
        self.groups()
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

    def dlp(self) -> None:
        """The `dlp:` section: everything the scanner build and `dlp_action` would trip over."""
        dlp = self.policy.dlp
        builtins = {d.id: d.data_class for d in builtin()}
        before = len(self.problems)
        custom = self.dlp_custom(builtins)
        for key in ("detectors", "disabled_detectors"):
            for i, detector in enumerate(getattr(dlp, key)):
                path = ("dlp", key, i)
                if detector in custom:
                    self.add(
                        path, f"'{detector}' is a custom detector; custom detectors always run"
                    )
                elif detector not in builtins:
                    self.add(path, _unknown("detector", detector, builtins, _DETECTOR_FIX))
        for i, detector in enumerate(dlp.disabled_detectors):
            if detector in dlp.detectors:
                self.add(
                    ("dlp", "disabled_detectors", i),
                    f"'{detector}' is also listed in dlp.detectors; keep it in one list",
                )
        running = {
            d
            for d in builtins
            if (not dlp.detectors or d in dlp.detectors) and d not in dlp.disabled_detectors
        }
        if len(self.problems) == before:
            self.dlp_builds()
        self.dlp_rules({**builtins, **custom}, running | set(custom))

    def dlp_rules(self, classes_of: dict[str, str], running: set[str]) -> None:
        """References, disabled detectors and shadowing; `classes_of` maps every detector id to
        its data class, `running` holds the ids the scanner will actually run."""
        seen: dict[str, int] = {}
        dlp = self.policy.dlp
        for index, rule in enumerate(dlp.rules):
            path = ("dlp", "rules", index)
            self.unique_id(path, rule.id, seen, index)
            for i, detector in enumerate(rule.detectors):
                if detector not in classes_of:
                    self.add(
                        (*path, "detectors", i),
                        _unknown("detector", detector, classes_of, _RULE_FIX),
                    )
                elif detector not in running:
                    self.add(
                        (*path, "detectors", i),
                        f"detector '{detector}' is turned off by dlp.detectors or "
                        "dlp.disabled_detectors, so this never matches; remove it or turn it on",
                    )
            for i, sid in enumerate(rule.services):
                self.service_ref((*path, "services", i), sid)
            for i, group in enumerate(rule.groups):
                self.group_ref((*path, "groups", i), group)
            for i, category in enumerate(rule.categories):
                self.category_ref((*path, "categories", i), category)
            for earlier_index, earlier in enumerate(dlp.rules[:index]):
                if self.dlp_rule_covers(earlier, rule, classes_of):
                    self.add(
                        path,
                        f"never applies: dlp.rules[{earlier_index}] '{earlier.id}' matches every "
                        "finding this rule matches and comes first (a finding takes the first rule "
                        "it matches); move this rule above it or remove it",
                    )
                    break

    def dlp_custom(self, builtins: dict[str, str]) -> dict[str, str]:
        """Check keyword lists, custom patterns and exact-match files; their ids -> data class."""
        dlp = self.policy.dlp
        ids: dict[str, str] = {}
        specs = [
            *(("keywords", i, k.id, k.data_class) for i, k in enumerate(dlp.keywords)),
            *(("patterns", i, p.id, p.data_class) for i, p in enumerate(dlp.patterns)),
            *(("exact_match", i, e.id, e.data_class) for i, e in enumerate(dlp.exact_match)),
        ]
        for key, index, detector_id, data_class in specs:
            path = ("dlp", key, index, "id")
            if detector_id in builtins:
                self.add(path, f"'{detector_id}' is a built-in detector id; choose another id")
            elif detector_id in ids:
                self.add(path, f"duplicate detector id '{detector_id}'")
            ids.setdefault(detector_id, data_class)
        for index, keywords in enumerate(dlp.keywords):
            for i, word in enumerate(keywords.words):
                if not word.strip():
                    self.add(
                        ("dlp", "keywords", index, "words", i),
                        "blank word; remove it or write the word or phrase",
                    )
        for index, pattern in enumerate(dlp.patterns):
            path = ("dlp", "patterns", index)
            self.re2_pattern((*path, "pattern"), pattern.pattern)
            for i, word in enumerate(pattern.context):
                if not word.strip():
                    self.add((*path, "context", i), "blank context word; remove it")
        for index, exact in enumerate(dlp.exact_match):
            path = ("dlp", "exact_match", index)
            if exact.pattern is not None:
                self.re2_pattern((*path, "pattern"), exact.pattern)
            if not _ENV_NAME.match(exact.key_env):
                self.add(
                    (*path, "key_env"),
                    f"'{exact.key_env}' is not an environment variable name such as AIGATE_EDM_KEY",
                )
            self.digest_file((*path, "file"), exact.file)
        return ids

    def dlp_builds(self) -> None:
        """The last line of defence: compile the custom detectors exactly as the proxy will, so a
        mistake the checks above missed still shows here rather than at reload."""
        dlp = self.policy.dlp
        try:
            detectors = custom.build(
                (
                    custom.KeywordList(k.id, tuple(k.words), k.case_sensitive, k.data_class)
                    for k in dlp.keywords
                ),
                (
                    custom.CustomPattern(p.id, p.pattern, p.data_class, tuple(p.context))
                    for p in dlp.patterns
                ),
            )
            if detectors:
                Scanner(detectors, key=b"aigate check")
        except Exception as e:  # any failure here is a policy problem
            self.add(("dlp",), f"the scanner cannot be built from this section: {e}")

    def re2_pattern(self, path: KeyPath, pattern: str) -> None:
        try:
            regex = re2.compile(pattern, _RE2_QUIET)
        except re2.error as e:
            detail = e.args[0].decode() if e.args and isinstance(e.args[0], bytes) else str(e)
            self.add(
                path,
                f"{pattern!r} is not valid RE2 ({detail}); RE2 has no look-around or "
                "back-references",
            )
            return
        if regex.search("") is not None:
            self.add(path, f"{pattern!r} matches empty text, so it would flag every prompt")

    def digest_file(self, path: KeyPath, name: str) -> None:
        file = self.base_dir / name
        if not file.is_file():
            self.add(path, f"digest file '{file}' not found; paths are relative to the policy file")
            return
        try:
            if not custom.load_digests(file):
                self.add(path, f"digest file '{file}' has no digests, so nothing can match")
        except (custom.ConfigError, OSError, UnicodeDecodeError) as e:
            self.add(path, f"digest file: {e}; make it with `aigate scan --hash-values`")

    def dlp_rule_covers(self, earlier: DlpRule, later: DlpRule, classes_of: dict[str, str]) -> bool:
        """Whether every finding and destination `later` matches is also matched by `earlier`
        (empty lists match everything, so only a narrower-or-equal `later` is covered)."""
        if earlier.classes or earlier.detectors:
            later_data = later.classes or later.detectors
            if not later_data or not set(later.classes) <= set(earlier.classes):
                return False
            if any(
                d not in earlier.detectors and classes_of.get(d) not in earlier.classes
                for d in later.detectors
            ):
                return False
        if earlier.services or earlier.categories:
            later_where = later.services or later.categories
            if not later_where or not set(later.categories) <= set(earlier.categories):
                return False
            for sid in later.services:
                service = self.catalog.get(sid)
                category = service.category if service is not None else None
                if sid not in earlier.services and category not in earlier.categories:
                    return False
        if earlier.groups:
            return bool(later.groups) and set(later.groups) <= set(earlier.groups)
        return True

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
    hint = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if hint:
        return f"unknown {kind} '{name}': did you mean '{hint[0]}'?"
    if kind == "service":
        return f"unknown service '{name}'; list services with `aigate catalog`"
    if kind == "category":
        return f"unknown category '{name}'; categories are {', '.join(CATEGORIES)}"
    return f"unknown {kind} '{name}'; {fix}"


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
