"""Findings + where they are going -> what to do. Pure: the DLP rules of the policy decide per
finding (first matching rule, else the default action) and the most severe action wins, so one
secret among harmless PII still blocks. The verdict names the kinds of data found, never values.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

from aigate.actions import STRICTNESS
from aigate.inspect.result import CONFIDENCE_RANK, Finding
from aigate.policy.model import Dlp, DlpRule

VerdictAction = Literal["allow", "log", "warn", "redact", "block"]


@dataclass(frozen=True, slots=True)
class DlpVerdict:
    """What to do with a request, which rule said so, and what kinds of data were found."""

    action: VerdictAction
    rule_id: str | None = None
    kinds: tuple[str, ...] = ()  # detector ids, sorted
    classes: tuple[str, ...] = ()  # data classes, sorted
    reason: str = ""

    @property
    def rule(self) -> str | None:  # the audit record's spelling
        return self.rule_id


_ALLOW = DlpVerdict("allow")


def _matches(
    rule: DlpRule,
    finding: Finding,
    service: str | None,
    category: str | None,
    groups: Collection[str],
) -> bool:
    if CONFIDENCE_RANK[finding.confidence] < CONFIDENCE_RANK[rule.min_confidence]:
        return False
    if (rule.classes or rule.detectors) and (
        finding.data_class not in rule.classes and finding.detector not in rule.detectors
    ):
        return False
    if (rule.services or rule.categories) and (
        service not in rule.services and category not in rule.categories
    ):
        return False
    return not rule.groups or any(g in groups for g in rule.groups)


def dlp_action(
    dlp: Dlp,
    findings: Iterable[Finding],
    *,
    service: str | None = None,
    category: str | None = None,
    groups: Collection[str] = (),
    unscanned: Collection[str] = (),
    oversize: bool = False,
) -> DlpVerdict:
    """The verdict for one request. `redact` is only honoured by the caller if every finding can
    be redacted in place (see aigate.inspect.redact.RedactionError); otherwise it blocks."""
    if not dlp.enabled:
        return _ALLOW
    findings = list(findings)
    if not findings and not unscanned and not oversize:
        return _ALLOW  # the common case: nothing found, nothing to match rules against
    kinds = tuple(sorted({f.detector for f in findings}))
    classes = tuple(sorted({f.data_class for f in findings}))
    best = DlpVerdict("allow", kinds=kinds, classes=classes)
    if oversize:
        best = _worse(
            best,
            DlpVerdict(
                dlp.on_oversize,
                "dlp.on_oversize",
                kinds,
                classes,
                "the request is larger than the scan limit",
            ),
        )
    if unscanned:
        best = _worse(
            best,
            DlpVerdict(
                dlp.on_unscanned,
                "dlp.on_unscanned",
                kinds,
                classes,
                "part of the request could not be inspected",
            ),
        )
    for finding in findings:
        rule = next((r for r in dlp.rules if _matches(r, finding, service, category, groups)), None)
        if rule is None:
            verdict = DlpVerdict(
                dlp.default_action,
                "dlp.default_action",
                kinds,
                classes,
                f"sensitive data found: {', '.join(kinds)}",
            )
        else:
            verdict = DlpVerdict(
                rule.action,
                rule.id,
                kinds,
                classes,
                rule.reason or f"sensitive data found: {', '.join(kinds)}",
            )
        best = _worse(best, verdict)
    return best


def _worse(current: DlpVerdict, candidate: DlpVerdict) -> DlpVerdict:
    """The more severe verdict; on a tie the earlier one stays (its rule fired first)."""
    return candidate if STRICTNESS[candidate.action] > STRICTNESS[current.action] else current
