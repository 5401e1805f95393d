"""Policy test cases (`aigate test`): requests with the outcome each must get, like `opa test`.

A cases file names a policy (relative to the file) and lists cases: a request (URL, method, who,
optional body) and `expect`, the outcome (final action, access decision, service, rule, findings,
DLP verdict). Three steps, kept apart so each is testable without running anything:
- `load_cases`: structure, with the policy loader's `file:line: key: message` problems;
- `check_names`: every name a case uses (service, group, rule, detector) exists in the policy it
  runs against, so a typo fails the file instead of silently passing or failing a case;
- `mismatches`: one case's expectations against what the policy did (an `aigate explain` report,
  the same walk and inspection the proxy makes).
"""

from __future__ import annotations

import difflib
import ipaddress
import json
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from aigate.classify import split_target
from aigate.inspect.detectors import builtin
from aigate.policy.errors import PolicyError, Problem, format_path
from aigate.policy.load import structure_problems
from aigate.policy.loaded import LoadedPolicy
from aigate.policy.model import DataClassName, Strict
from aigate.yamlfile import KeyPath, YamlDocument, YamlError, load_yaml

FinalAction = Literal["allow", "warn", "block", "redirect", "passthrough", "redact"]
AccessAction = Literal["allow", "warn", "block", "redirect", "passthrough"]
DlpOutcome = Literal["allow", "log", "warn", "redact", "block"]
DATA_CLASSES: tuple[str, ...] = DataClassName.__args__  # type: ignore[attr-defined]
DLP_BUILTIN_RULES = ("dlp.default_action", "dlp.on_oversize", "dlp.on_unscanned")


class Expect(Strict):
    """What the case must get; only the keys given are checked."""

    action: FinalAction | None = Field(
        None, description="Final action: the stricter of the access decision and the DLP verdict."
    )
    access: AccessAction | None = Field(None, description="The access decision alone.")
    service: str | None = Field(
        None,
        description="Catalog id (unlisted-ai-endpoint for a model API call to a host outside "
        "the catalog); null for traffic that is not AI.",
    )
    rule: str | None = Field(None, description="Access rule, e.g. services.chatgpt, default.")
    enforced: bool | None = Field(None, description="False under `mode: monitor`.")
    findings: list[str] = Field(
        [], description="Detector ids or data classes that must each be found (others may be)."
    )
    no_findings: bool = False
    dlp: DlpOutcome | None = Field(None, description="The DLP verdict for the body.")
    dlp_rule: str | None = None


class Case(Strict):
    name: str
    url: str
    method: str | None = Field(None, description="Default: GET, or POST with a body.")
    user: str | None = None
    groups: list[str] = Field(
        [], description="Policy groups, added to those the policy gives the user and client_ip."
    )
    client_ip: str | None = None
    body: str | dict[str, Any] | list[Any] | None = Field(
        None, description="Request body: text, or a mapping/list sent as JSON."
    )
    body_file: str | None = Field(None, description="Request body file, relative to this file.")
    content_type: str | None = None
    expect: Expect


class CasesFile(Strict):
    policy: str | None = Field(None, description="Policy file, relative to this file.")
    cases: list[Case] = Field(min_length=1)


class CasesError(PolicyError):
    """A cases file failed to load; `problems` lists every problem found."""


@dataclass(frozen=True, slots=True)
class LoadedCase:
    """One loaded case: the request as bytes, and where it is written."""

    spec: Case
    line: int
    index: int
    body: bytes | None
    content_type: str | None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def method(self) -> str:
        return (self.spec.method or ("POST" if self.body is not None else "GET")).upper()


@dataclass(frozen=True, slots=True)
class CaseFile:
    path: Path
    policy: Path | None  # None: the caller's --policy or the default policy
    cases: tuple[LoadedCase, ...]
    doc: YamlDocument


def load_cases(path: str | Path) -> CaseFile:
    """Read and check one cases file; raises `CasesError` with every problem found."""
    path = Path(path)
    try:
        doc = load_yaml(path)
    except YamlError as e:
        raise CasesError([Problem(e.file, e.line, "", e.message)]) from e
    if not isinstance(doc.data, dict):
        raise CasesError([Problem(doc.file, 1, "", "a cases file is a mapping with policy, cases")])
    try:
        model = CasesFile.model_validate(doc.data)
    except ValidationError as e:
        raise CasesError(structure_problems(doc, e, CasesFile)) from e
    problems: list[Problem] = []
    cases = []
    seen: dict[str, int] = {}
    for index, spec in enumerate(model.cases):
        where: KeyPath = ("cases", index)
        line = doc.line_of(where)
        if spec.name in seen:
            problems.append(
                _problem(
                    doc,
                    (*where, "name"),
                    f"duplicate case name '{spec.name}' "
                    f"(first at line {seen[spec.name]}); names must be unique",
                )
            )
        seen.setdefault(spec.name, line)
        problems.extend(_request_problems(doc, where, spec))
        problems.extend(_expect_problems(doc, (*where, "expect"), spec.expect))
        body, content_type = _body(doc, where, spec, path.parent, problems)
        cases.append(LoadedCase(spec, line, index, body, content_type))
    if problems:
        raise CasesError(sorted(problems, key=lambda p: p.line))
    policy = path.parent / model.policy if model.policy is not None else None
    return CaseFile(path, policy, tuple(cases), doc)


def _problem(doc: YamlDocument, where: KeyPath, message: str) -> Problem:
    return Problem(doc.file, doc.line_of(where), format_path(where), message)


def _request_problems(doc: YamlDocument, where: KeyPath, spec: Case) -> list[Problem]:
    problems = []
    if not split_target(spec.url)[0]:
        problems.append(_problem(doc, (*where, "url"), f"'{spec.url}' has no host name"))
    if spec.client_ip is not None:
        try:
            ipaddress.ip_address(spec.client_ip)
        except ValueError:
            problems.append(
                _problem(doc, (*where, "client_ip"), f"'{spec.client_ip}' is not an IP address")
            )
    if spec.method is not None and not spec.method.isalpha():
        problems.append(_problem(doc, (*where, "method"), f"'{spec.method}' is not an HTTP method"))
    if spec.body is not None and spec.body_file is not None:
        problems.append(_problem(doc, (*where, "body_file"), "give body or body_file, not both"))
    return problems


def _expect_problems(doc: YamlDocument, where: KeyPath, expect: Expect) -> list[Problem]:
    if not expect.model_fields_set:
        return [
            _problem(
                doc,
                where,
                "expects nothing; give at least one of " + ", ".join(Expect.model_fields),
            )
        ]
    if expect.findings and expect.no_findings:
        return [_problem(doc, (*where, "no_findings"), "give findings or no_findings, not both")]
    return []


def _body(
    doc: YamlDocument, where: KeyPath, spec: Case, folder: Path, problems: list[Problem]
) -> tuple[bytes | None, str | None]:
    """The request body as bytes and its content type (JSON for a mapping, guessed for a file)."""
    if spec.body_file is not None:
        file = folder / spec.body_file
        try:
            body = file.read_bytes()
        except OSError as e:
            problems.append(
                _problem(
                    doc,
                    (*where, "body_file"),
                    f"cannot read '{file}': "
                    f"{e.strerror or e}; paths are relative to the cases file",
                )
            )
            return None, spec.content_type
        return body, spec.content_type or mimetypes.guess_type(file.name)[0]
    if isinstance(spec.body, str):
        return spec.body.encode("utf-8"), spec.content_type
    if spec.body is not None:
        return json.dumps(spec.body).encode("utf-8"), spec.content_type or "application/json"
    return None, spec.content_type


def check_names(cases: CaseFile, loaded: LoadedPolicy) -> list[Problem]:
    """Problems for names the policy does not know: services, groups, rules, detectors."""
    policy = loaded.policy
    services = list(loaded.catalog.services)
    groups = list(policy.groups)
    rules = rule_ids(loaded)
    dlp = policy.dlp
    custom = [k.id for k in dlp.keywords] + [p.id for p in dlp.patterns]
    finding_names = [d.id for d in builtin()] + [e.id for e in dlp.exact_match] + custom
    finding_names += DATA_CLASSES
    dlp_rules = [r.id for r in dlp.rules] + list(DLP_BUILTIN_RULES)
    doc = cases.doc
    problems = []
    for case in cases.cases:
        where: KeyPath = ("cases", case.index)
        expect = case.spec.expect
        checks: list[tuple[KeyPath, str | None, list[str], str]] = [
            ((*where, "expect", "service"), expect.service, services, "service in the catalog"),
            ((*where, "expect", "rule"), expect.rule, rules, "rule in the policy"),
            ((*where, "expect", "dlp_rule"), expect.dlp_rule, dlp_rules, "dlp rule"),
        ]
        checks += [
            ((*where, "groups", i), g, groups, "group in the policy")
            for i, g in enumerate(case.spec.groups)
        ]
        checks += [
            ((*where, "expect", "findings", i), f, finding_names, "detector or data class")
            for i, f in enumerate(expect.findings)
        ]
        for key, name, known, what in checks:
            if name is not None and name not in known:
                problems.append(_problem(doc, key, f"'{name}' is not a {what}{_hint(name, known)}"))
    return sorted(problems, key=lambda p: p.line)


def rule_ids(loaded: LoadedPolicy) -> list[str]:
    """Every access rule id a decision can carry (see `aigate.decide`)."""
    policy = loaded.policy
    return [
        "catalog",
        "default",
        *(f"services.{s}" for s in policy.services),
        *(f"categories.{c}" for c in policy.categories),
        *(f"risk_rules.{r.id}" for r in policy.risk_rules),
        *(f"exceptions.{e.id}" for e in policy.exceptions),
        *(f"training.{t}" for t in policy.training),
    ]


def _hint(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def mismatches(expect: Expect, report: dict[str, Any]) -> list[str]:
    """How `report` (an `aigate explain` report, with the body keys when a body was inspected)
    differs from `expect`, as `expected X, got Y` phrases; empty when the case passes."""
    failed = []
    rule = report["rule"]
    why = f" (rule {rule})"
    unlisted = report.get("unlisted")
    if unlisted and not unlisted["visible"]:  # a model API call the proxy never sees
        why = f" (rule {rule}: {unlisted['visibility']})"
    given = expect.model_fields_set
    if expect.action is not None and report["action"] != expect.action:
        dlp = report.get("dlp")
        if dlp and report["action"] != report["access_action"]:
            why = f" (dlp rule {dlp['rule']})"
        failed.append(f"expected action {expect.action}, got {report['action']}{why}")
    if expect.access is not None and report["access_action"] != expect.access:
        failed.append(
            f"expected access {expect.access}, got {report['access_action']} (rule {rule})"
        )
    if "service" in given and report["service"] != expect.service:
        failed.append(
            f"expected service {expect.service or 'none'}, got {report['service'] or 'none'}"
        )
    if expect.rule is not None and report["rule"] != expect.rule:
        failed.append(f"expected rule {expect.rule}, got {report['rule']}")
    if expect.enforced is not None and report["enforced"] != expect.enforced:
        failed.append(
            f"expected enforced {str(expect.enforced).lower()}, got "
            f"{str(report['enforced']).lower()} (mode {report['mode']})"
        )
    failed.extend(_finding_mismatches(expect, report))
    dlp = report.get("dlp") or {"action": None, "rule": None}
    if expect.dlp is not None and dlp["action"] != expect.dlp:
        failed.append(f"expected dlp {expect.dlp}, got {_dlp_text(report)}")
    if expect.dlp_rule is not None and dlp["rule"] != expect.dlp_rule:
        failed.append(f"expected dlp rule {expect.dlp_rule}, got {dlp['rule'] or 'none'}")
    return failed


def _finding_mismatches(expect: Expect, report: dict[str, Any]) -> list[str]:
    found = report.get("findings", [])
    names = sorted({f["detector"] for f in found})
    got = ", ".join(names) or "none"
    if not report.get("inspected") and "body_bytes" in report:
        got += f" (body not inspected: {report['not_inspected']})"
    elif "body_bytes" not in report:
        got += " (the case has no body)"
    if expect.no_findings and found:
        return [f"expected no findings, got {got}"]
    seen = {f["detector"] for f in found} | {f["class"] for f in found}
    missing = [name for name in expect.findings if name not in seen]
    return [f"expected finding {', '.join(missing)}, got {got}"] if missing else []


def _dlp_text(report: dict[str, Any]) -> str:
    dlp = report.get("dlp")
    if dlp is None:
        if "body_bytes" not in report:
            return "none (the case has no body)"
        return f"none (body not inspected: {report['not_inspected']})"
    return f"{dlp['action']} (rule {dlp['rule']})" if dlp["rule"] else dlp["action"]
