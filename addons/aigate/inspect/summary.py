"""A recordable view of `FlowState.inspection` (an `aigate.inspect.result.Inspection`).

The audit log and the metrics need only a few facts from an inspection, in a form safe to keep:
unscanned reasons reduced to fixed categories (the sentences hold sizes, file names and exception
text), findings counted per (detector, class, confidence) with a short redacted preview, and every
value that becomes a metric label reduced to a short token.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aigate.inspect.result import Finding, Inspection

PREVIEW_MAX_CHARS = 64
_TOKEN = re.compile(r"[^a-z0-9_.-]+")
_TOKEN_MAX = 40


@dataclass(frozen=True, slots=True)
class FindingSummary:
    detector: str
    data_class: str
    count: int
    preview: str  # already redacted by the inspect step; truncated here
    confidence: str = "pattern"  # low, pattern, context or validated
    decoded: str | None = None  # the encoding the value was found inside, if any


@dataclass(frozen=True, slots=True)
class InspectionSummary:
    inspected: bool  # False when nothing at all could be scanned
    unscanned: tuple[str, ...]  # reason categories for what was not scanned (even in part)
    bytes_scanned: int
    findings: tuple[FindingSummary, ...]  # one per (detector, class, confidence), counted
    action: str | None  # the DLP action taken (block, warn, redact, log), if any
    rule: str | None
    seconds: float

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
                    "confidence": f.confidence,
                    "count": f.count,
                    "preview": f.preview,
                    **({"decoded": f.decoded} if f.decoded else {}),
                }
                for f in self.findings
            ],
        }


# The inspect step's unscanned reasons are sentences (with sizes, file names, exception text);
# records and labels keep only their category. First match wins; anything else is "other".
_REASON_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("websocket", "binary_websocket"),
    ("time limit", "time_limit"),
    ("scan limit", "too_large"),
    ("too large", "too_large"),
    ("bomb guard", "too_large"),
    ("page limit", "too_large"),
    ("text limit", "too_large"),
    ("nested deeper", "too_large"),
    ("members after", "too_large"),
    ("image/audio/video", "unsupported_format"),
    ("(image or file)", "unsupported_format"),
    ("binary content", "unsupported_format"),
    ("unsupported", "unsupported_format"),
    ("encrypted", "unreadable_document"),
    ("unreadable", "unreadable_document"),
    ("no text layer", "unreadable_document"),
    ("boundary", "malformed"),
    ("decod", "undecodable"),
    ("corrupt", "undecodable"),
    ("truncated", "undecodable"),
)


def reason_category(text: str) -> str:
    """The category of an unscanned reason: a short fixed token, never the sentence itself."""
    lowered = text.lower()
    for needle, category in _REASON_CATEGORIES:
        if needle in lowered:
            return category
    return "other"


@functools.lru_cache(maxsize=1024)  # the same few services, categories and groups per flow
def _token(text: str) -> str:
    return _TOKEN.sub("_", text.strip().lower()).strip("_")[:_TOKEN_MAX]


def label_token(value: object, default: str = "unknown") -> str:
    """A bounded, label-safe token: lowercase `[a-z0-9_.-]`, at most 40 characters."""
    if value is None:
        return default
    return _token(str(value)) or default


def _preview(text: str) -> str:
    return text if len(text) <= PREVIEW_MAX_CHARS else text[: PREVIEW_MAX_CHARS - 1] + "…"


def _findings(findings: tuple[Finding, ...]) -> tuple[FindingSummary, ...]:
    """One summary per (detector, class, confidence), counted, with the first finding's preview
    and whether it was found inside an encoded run."""
    counts: Counter[tuple[str, str, str]] = Counter()
    first: dict[tuple[str, str, str], Finding] = {}
    for finding in findings:
        key = (finding.detector, finding.data_class, finding.confidence)
        counts[key] += 1
        first.setdefault(key, finding)
    return tuple(
        FindingSummary(
            label_token(key[0]),
            label_token(key[1]),
            count,
            _preview(first[key].preview),
            key[2],
            first[key].decoded,
        )
        for key, count in counts.items()
    )


def _unscanned(inspection: Inspection) -> tuple[str, ...]:
    """The categories of what was not scanned; why nothing was, first."""
    if not inspection.unscanned and not inspection.oversize:
        return ()  # the usual case
    categories = [reason_category(text) for text in inspection.unscanned]
    if inspection.oversize:
        categories.insert(0, "too_large")
    if inspection.extraction.extractor == "undecodable":
        categories.insert(0, "undecodable")
    return tuple(dict.fromkeys(categories))


def summarize(inspection: Inspection | None) -> InspectionSummary | None:
    """Summarize an inspection; None when the flow was not inspected at all."""
    if inspection is None:
        return None
    return InspectionSummary(
        inspected=inspection.inspected,
        unscanned=_unscanned(inspection),
        bytes_scanned=inspection.bytes_scanned,
        findings=_findings(inspection.findings) if inspection.findings else (),
        action=inspection.action,
        rule=inspection.rule,
        seconds=inspection.seconds,
    )
