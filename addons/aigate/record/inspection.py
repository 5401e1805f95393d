"""A recordable view of `FlowState.inspection`, read defensively.

The inspection result is owned by the inspect step and may change shape; the audit log and the
metrics only need a few facts from it, so they read them here by duck typing (attributes or mapping
keys, several spellings) and never fail on a missing or odd field. Only redacted previews are
kept, and every value that becomes a metric label is reduced to a short token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

PREVIEW_MAX_CHARS = 64
_TOKEN = re.compile(r"[^a-z0-9_.-]+")
_TOKEN_MAX = 40


@dataclass(frozen=True, slots=True)
class FindingSummary:
    detector: str
    data_class: str
    count: int
    preview: str | None  # already redacted by the inspect step; truncated here


@dataclass(frozen=True, slots=True)
class InspectionSummary:
    inspected: bool
    unscanned_reason: str | None
    bytes_scanned: int
    findings: tuple[FindingSummary, ...]
    action: str | None  # the DLP action taken (block, warn, redact, log), if any
    rule: str | None
    seconds: float | None

    def as_record(self) -> dict[str, Any]:
        """The audit-log fields for this inspection."""
        return {
            "inspected": self.inspected,
            "unscanned_reason": self.unscanned_reason,
            "bytes_scanned": self.bytes_scanned,
            "dlp_action": self.action,
            "dlp_rule": self.rule,
            "scan_seconds": self.seconds,
            "findings": [
                {
                    "detector": f.detector,
                    "class": f.data_class,
                    "count": f.count,
                    "preview": f.preview,
                }
                for f in self.findings
            ],
        }


def label_token(value: object, default: str = "unknown") -> str:
    """A bounded, label-safe token: lowercase `[a-z0-9_.-]`, at most 40 characters."""
    if value is None:
        return default
    text = _TOKEN.sub("_", str(value).strip().lower()).strip("_")[:_TOKEN_MAX]
    return text or default


def _get(obj: Any, *names: str) -> Any:
    for name in names:
        if isinstance(obj, Mapping):
            if name in obj:
                return obj[name]
        elif hasattr(obj, name):
            return getattr(obj, name)
    return None


def _int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _float(value: Any) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    value = getattr(value, "value", value)  # enums
    return str(value)


def _finding(raw: Any) -> FindingSummary:
    preview = _text(_get(raw, "redacted", "preview", "redacted_preview"))
    if preview is not None and len(preview) > PREVIEW_MAX_CHARS:
        preview = preview[: PREVIEW_MAX_CHARS - 1] + "…"
    count = _get(raw, "count")
    return FindingSummary(
        detector=label_token(_text(_get(raw, "detector", "detector_id", "kind"))),
        data_class=label_token(
            _text(_get(raw, "data_class", "cls", "class_", "klass", "category"))
        ),
        count=_int(count) if count is not None else 1,
        preview=preview,
    )


def summarize(inspection: Any) -> InspectionSummary | None:
    """Summarize an inspection result; None when the flow was not inspected at all."""
    if inspection is None:
        return None
    reason = _text(_get(inspection, "unscanned_reason", "skipped_reason", "reason_unscanned"))
    inspected = _get(inspection, "inspected", "scanned")
    inspected = bool(inspected) if inspected is not None else reason is None
    raw_findings = _get(inspection, "findings")
    findings: Iterable[Any] = raw_findings if isinstance(raw_findings, Iterable) else ()
    if isinstance(raw_findings, str | bytes | Mapping):
        findings = ()
    rule = _get(inspection, "rule", "rule_id", "dlp_rule")
    rule = _get(rule, "id", "rule_id") if rule is not None and not isinstance(rule, str) else rule
    return InspectionSummary(
        inspected=inspected,
        unscanned_reason=label_token(reason) if not inspected else None,
        bytes_scanned=_int(_get(inspection, "bytes_scanned", "scanned_bytes")),
        findings=tuple(_finding(f) for f in findings),
        action=label_token(_text(_get(inspection, "action", "dlp_action")), "none")
        if _get(inspection, "action", "dlp_action") is not None
        else None,
        rule=_text(rule),
        seconds=_float(_get(inspection, "seconds", "scan_seconds", "duration")),
    )
