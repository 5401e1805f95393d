"""The `dlp:` checks of `aigate check`: detector references, rules that can never fire, custom
detectors and digest files that would not build, patterns RE2 cannot compile."""

from __future__ import annotations

import re
from pathlib import Path

import phonenumbers
import re2

from aigate.inspect import custom
from aigate.inspect.detectors import builtin
from aigate.inspect.engine import Scanner
from aigate.policy.errors import Problem, unknown_name
from aigate.policy.model import DlpRule, Policy
from aigate.yamlfile import KeyPath

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RE2_QUIET = re2.Options()
_RE2_QUIET.log_errors = False  # the error is reported as a policy problem, not on stderr
_DETECTOR_FIX = "`aigate scan --list` lists the built-in detector ids"
_RULE_FIX = _DETECTOR_FIX + "; custom ones are the ids under dlp.keywords, patterns, exact_match"


class DlpChecks:
    """Mixed into the policy checker (`aigate.policy.validate`), whose state and reference
    checks (`add`, `unique_id`, `service_ref`, ...) these methods use."""

    policy: Policy
    base_dir: Path
    problems: list[Problem]

    def region_codes(self, path: tuple, codes: list[str] | tuple[()]) -> None:
        """Country codes must be ISO 3166 alpha-2 (upper case) so national formats match."""
        for i, code in enumerate(codes):
            if code not in phonenumbers.SUPPORTED_REGIONS:
                self.add(
                    (*path, i),
                    f"'{code}' is not an ISO 3166 alpha-2 country code; use codes such as "
                    "US, GB, DE, FR, IN",
                )

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
                    self.add(path, unknown_name("detector", detector, builtins, _DETECTOR_FIX))
        self.region_codes(("countries",), self.policy.countries)
        self.region_codes(("dlp", "regions"), dlp.regions or ())
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
                        unknown_name("detector", detector, classes_of, _RULE_FIX),
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
