"""The records inspection produces. Small and free of the values found: a finding holds a redacted
preview and a keyed digest, so logs, block pages and metrics can never leak the data.

Findings and segments are frozen (segments of a request target are cached and shared). An
extraction and an inspection are built for every inspected request and never changed once
built, by convention rather than `frozen=True`: a frozen dataclass sets each field through
`object.__setattr__`, which made an 8-field inspection cost four times a plain one to build."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DataClass = Literal["pii", "financial", "secret", "confidential", "custom"]
DATA_CLASSES: tuple[DataClass, ...] = ("pii", "financial", "secret", "confidential", "custom")

# How sure a finding is, lowest first (aigate.inspect.detectors.base says what each level means).
Confidence = Literal["low", "pattern", "context", "validated"]
CONFIDENCES: tuple[Confidence, ...] = ("low", "pattern", "context", "validated")
CONFIDENCE_RANK: dict[str, int] = {level: rank for rank, level in enumerate(CONFIDENCES)}

# A locator step says how to reach a segment's text inside the original body, outermost first:
# ("json", (key_or_index, ...)) a JSON string at a path, ("form", name, nth) a urlencoded field,
# ("part", index) a multipart part body, ("text",) the whole body as text,
# ("file", name) text extracted from an upload (read-only: it cannot be redacted in place).
Step = tuple
Locator = tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """One sensitive value: where it is (character offsets into the scanned text), never what."""

    detector: str
    data_class: DataClass
    start: int
    end: int
    confidence: Confidence
    preview: str
    digest: str
    segment: int = 0  # index into Extraction.segments when scanning an extraction
    decoded: str | None = None  # "base64", "hex" or "percent" when found inside an encoded run


KEYS_STEP = ("json_keys",)  # the locator of a document's keys: read, never rewritten
NAMES_STEP = ("field_names",)  # a form's or multipart body's field (and file) names: the same
_ENVELOPE = frozenset({"url", KEYS_STEP[0], NAMES_STEP[0]})  # read, but not the body's content


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of text that leaves the client, and where it sits in the original body."""

    text: str
    locator: Locator


@dataclass(slots=True)
class Extraction:
    """The texts found in one request body, plus what could not be read (and why)."""

    extractor: str
    segments: tuple[Segment, ...] = ()
    unscanned: tuple[str, ...] = ()


@dataclass(slots=True)
class Inspection:
    """The outcome of inspecting one request or WebSocket message."""

    extraction: Extraction
    findings: tuple[Finding, ...] = ()
    unscanned: tuple[str, ...] = ()
    body: bytes | None = field(default=None, repr=False)  # decoded body, for redaction
    oversize: bool = False  # over the scan limit: nothing was scanned
    seconds: float = 0.0
    action: str | None = None  # the DLP verdict, set by the caller with `with_verdict`
    rule: str | None = None

    @property
    def kinds(self) -> tuple[str, ...]:
        """Detector ids found, sorted and unique: what a block page may name."""
        return tuple(sorted({f.detector for f in self.findings}))

    @property
    def inspected(self) -> bool:
        """False when nothing of the body could be scanned (oversize, undecodable, unreadable);
        the URL and the names of keys and fields, always read, do not count."""
        for segment in self.extraction.segments:  # a loop: a generator costs more per call
            if not segment.locator or segment.locator[0][0] not in _ENVELOPE:
                return True
        return not self.unscanned

    @property
    def unscanned_reason(self) -> str | None:
        return "; ".join(self.unscanned) or None

    @property
    def bytes_scanned(self) -> int:
        return sum([len(s.text) for s in self.extraction.segments])

    def with_verdict(self, action: str, rule: str | None) -> Inspection:
        """A copy carrying the DLP action taken, for the audit record. (Built directly: it runs
        once per inspected request, and `dataclasses.replace` costs several times more.)"""
        return Inspection(
            self.extraction,
            self.findings,
            self.unscanned,
            self.body,
            self.oversize,
            self.seconds,
            action,
            rule,
        )
