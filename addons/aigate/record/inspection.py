"""A recordable view of `FlowState.inspection`, read defensively.

The inspection result is owned by the inspect step and may change shape; the audit log and the
metrics only need a few facts from it, so they read them here by duck typing (attributes or mapping
keys, several spellings) and never fail on a missing or odd field. Only redacted previews are
kept, and every value that becomes a metric label is reduced to a short token.
"""

from __future__ import annotations

import dataclasses
import functools
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
    inspected: bool  # False when nothing at all could be scanned
    unscanned: tuple[str, ...]  # reason categories for what was not scanned (even in part)
    bytes_scanned: int
    findings: tuple[FindingSummary, ...]  # one per (detector, class), with its count
    action: str | None  # the DLP action taken (block, warn, redact, log), if any
    rule: str | None
    seconds: float | None

    @property
    def unscanned_reason(self) -> str | None:
        """The reason a request counts as unscanned (only when nothing was scanned)."""
        if self.inspected:
            return None
        return self.unscanned[0] if self.unscanned else "unknown"

    def as_record(self) -> dict[str, Any]:
        """The audit-log fields for this inspection."""
        return {
            "inspected": self.inspected,
            "unscanned_reason": self.unscanned_reason,
            "unscanned": list(self.unscanned),
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


# Unscanned reasons arrive as sentences (with sizes, file names, exception text); records and
# labels keep only their category. First match wins.
_REASON_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("websocket", "binary_websocket"),
    ("time limit", "time_limit"),
    ("scan limit", "too_large"),
    ("too large", "too_large"),
    ("too_large", "too_large"),
    ("page limit", "too_large"),
    ("text limit", "too_large"),
    ("image/audio/video", "unsupported_format"),
    ("binary content", "unsupported_format"),
    ("unsupported", "unsupported_format"),
    ("encrypted", "unreadable_document"),
    ("unreadable", "unreadable_document"),
    ("no text layer", "unreadable_document"),
    ("boundary", "malformed"),
    ("decod", "undecodable"),
)
_PLAIN_TOKEN = re.compile(r"^[a-z0-9_]{1,40}$")


def reason_category(text: str) -> str:
    """The category of an unscanned reason: a short fixed token, never the sentence itself."""
    lowered = text.lower()
    for needle, category in _REASON_CATEGORIES:
        if needle in lowered:
            return category
    return lowered if _PLAIN_TOKEN.match(lowered) else "other"


@functools.lru_cache(maxsize=1024)  # the same few services, categories and groups per flow
def _token(text: str) -> str:
    return _TOKEN.sub("_", text.strip().lower()).strip("_")[:_TOKEN_MAX]


def label_token(value: object, default: str = "unknown") -> str:
    """A bounded, label-safe token: lowercase `[a-z0-9_.-]`, at most 40 characters."""
    if value is None:
        return default
    return _token(str(value)) or default


@functools.cache
def _is_mapping(cls: type) -> bool:
    return issubclass(cls, Mapping)  # an ABC check: slow enough to remember per class


_MISSING = object()


def _get(obj: Any, *names: str) -> Any:
    """The first of `names` the object has, as a key (mappings) or an attribute, else None."""
    if _is_mapping(type(obj)):
        for name in names:
            if name in obj:
                return obj[name]
        return None
    for name in names:
        value = getattr(obj, name, _MISSING)
        if value is not _MISSING:
            return value
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


def _findings(raw_findings: Any) -> tuple[FindingSummary, ...]:
    if type(raw_findings) is tuple and not raw_findings:  # the usual case: no ABC checks
        return ()
    if raw_findings is None or isinstance(raw_findings, str | bytes | Mapping):
        return ()
    if not isinstance(raw_findings, Iterable):
        return ()
    grouped: dict[tuple[str, str], FindingSummary] = {}
    for raw in raw_findings:
        detector = label_token(_text(_get(raw, "detector", "detector_id", "kind")))
        data_class = label_token(_text(_get(raw, "data_class", "class", "cls", "class_")))
        count = _get(raw, "count")
        count = _int(count) if count is not None else 1
        preview = _text(_get(raw, "preview", "redacted", "redacted_preview"))
        if preview is not None and len(preview) > PREVIEW_MAX_CHARS:
            preview = preview[: PREVIEW_MAX_CHARS - 1] + "…"
        seen = grouped.get((detector, data_class))
        if seen is None:
            grouped[(detector, data_class)] = FindingSummary(detector, data_class, count, preview)
        else:
            grouped[(detector, data_class)] = FindingSummary(
                detector, data_class, seen.count + count, seen.preview or preview
            )
    return tuple(grouped.values())


def _unscanned(inspection: Any) -> tuple[str, ...]:
    raw = _get(inspection, "unscanned")
    texts: list[str] = []
    if type(raw) is tuple and not raw:  # the usual case: everything was scanned
        pass
    elif isinstance(raw, str):
        texts.append(raw)
    elif isinstance(raw, Iterable) and not isinstance(raw, bytes | Mapping):
        texts.extend(str(item) for item in raw)
    if not texts:
        single = _get(inspection, "unscanned_reason", "skipped_reason")
        if single:
            texts.append(str(single))
    categories = [reason_category(t) for t in texts]
    if _get(inspection, "oversize") is True:
        categories.insert(0, "too_large")
    if _get(_get(inspection, "extraction"), "extractor") == "undecodable":
        categories.insert(0, "undecodable")
    return tuple(dict.fromkeys(categories))


@functools.cache
def _frozen(cls: type) -> bool:
    params = getattr(cls, "__dataclass_params__", None) if dataclasses.is_dataclass(cls) else None
    return bool(params and params.frozen)


# The last frozen inspection summarized, and its summary: the audit log and the metrics each
# summarize the same flow's inspection, one after the other.
_last: tuple[Any, InspectionSummary | None] = (None, None)


def summarize(inspection: Any) -> InspectionSummary | None:
    """Summarize an inspection result; None when the flow was not inspected at all."""
    global _last
    if inspection is None:
        return None
    last = _last
    if last[0] is inspection:
        return last[1]
    summary = _summarize(inspection)
    if _frozen(type(inspection)):  # immutable: the summary stays true while it is cached
        _last = (inspection, summary)
    return summary


def _summarize(inspection: Any) -> InspectionSummary:
    unscanned = _unscanned(inspection)
    inspected = _get(inspection, "inspected", "scanned")
    inspected = bool(inspected) if inspected is not None else not unscanned
    rule = _get(inspection, "rule", "rule_id", "dlp_rule")
    if rule is not None and not isinstance(rule, str):
        rule = _get(rule, "id", "rule_id")
    action = _get(inspection, "action", "dlp_action")
    return InspectionSummary(
        inspected=inspected,
        unscanned=unscanned,
        bytes_scanned=_int(_get(inspection, "bytes_scanned", "scanned_bytes")),
        findings=_findings(_get(inspection, "findings")),
        action=label_token(_text(action)) if action is not None else None,
        rule=_text(rule),
        seconds=_float(_get(inspection, "seconds", "scan_seconds", "duration")),
    )
