"""Deployment-specific detectors built from configuration: keyword lists (code names, markings),
custom regular expressions, and exact-data match against a file of keyed hashes, so the proxy
recognises customer ids without holding them in clear."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import re2

from aigate.inspect.detectors.base import Detector
from aigate.inspect.result import DataClass


class ConfigError(ValueError):
    """A custom detector is malformed; the message names the detector and the fix."""


@dataclass(frozen=True, slots=True)
class KeywordList:
    """Whole words or phrases; case-insensitive unless `case_sensitive`."""

    id: str
    words: tuple[str, ...]
    case_sensitive: bool = False
    data_class: DataClass = "confidential"


@dataclass(frozen=True, slots=True)
class CustomPattern:
    """A regular expression in RE2 syntax (linear time: no look-around, no back-references)."""

    id: str
    pattern: str
    data_class: DataClass = "custom"
    context: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExactMatch:
    """Values whose HMAC-SHA256 (under `key`) is in `digests`; `pattern` finds the candidates."""

    id: str
    digests: frozenset[str]
    key: bytes
    pattern: str = r"\b[A-Za-z0-9][A-Za-z0-9_.@-]{3,62}[A-Za-z0-9]\b"
    data_class: DataClass = "confidential"


def edm_digest(key: bytes, value: str) -> str:
    """The keyed hash stored in an exact-match file for `value` (surrounding space ignored)."""
    return hmac.new(key, value.strip().encode(), hashlib.sha256).hexdigest()


def load_digests(path: str | Path) -> frozenset[str]:
    """Read an exact-match file: one hex digest per line; blank lines and # comments skipped."""
    digests = set()
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        entry = line.split("#", 1)[0].strip().lower()
        if not entry:
            continue
        if not re.fullmatch(r"[0-9a-f]{64}", entry):
            raise ConfigError(f"{path}:{number}: expected a 64-character hex HMAC-SHA256 digest")
        digests.add(entry)
    return frozenset(digests)


def _check(detector_id: str, pattern: str) -> str:
    try:
        re2.compile(pattern)
    except re2.error as e:
        raise ConfigError(
            f"detector '{detector_id}': pattern {pattern!r} is not valid RE2 ({e}); "
            "RE2 has no look-around or back-references"
        ) from e
    return pattern


def keyword_detector(spec: KeywordList) -> Detector:
    if not spec.words:
        raise ConfigError(f"keyword list '{spec.id}' is empty: give at least one word")
    parts = []
    for word in sorted(spec.words, key=len, reverse=True):
        escaped = re.escape(word.strip())
        head = r"\b" if re.match(r"\w", word.strip()) else ""
        tail = r"\b" if re.search(r"\w$", word.strip()) else ""
        parts.append(head + escaped + tail)
    flags = "" if spec.case_sensitive else "(?i)"
    pattern = _check(spec.id, flags + "(?:" + "|".join(parts) + ")")
    # The company named these words itself: a match is as certain as a checksum.
    return Detector(spec.id, spec.data_class, pattern, confidence="validated", keep=(64, 0))


def pattern_detector(spec: CustomPattern) -> Detector:
    return Detector(
        spec.id,
        spec.data_class,
        _check(spec.id, spec.pattern),
        context=tuple(spec.context),
        context_required=bool(spec.context),
        keep=(1, 1),
    )


def exact_detector(spec: ExactMatch) -> Detector:
    digests, key = spec.digests, spec.key

    def known(value: str) -> bool:
        return edm_digest(key, value) in digests

    return Detector(
        spec.id,
        spec.data_class,
        _check(spec.id, spec.pattern),
        known,
        confidence="validated",
        keep=(1, 1),
    )


def build(
    keywords: Iterable[KeywordList] = (),
    patterns: Iterable[CustomPattern] = (),
    exact: Iterable[ExactMatch] = (),
) -> tuple[Detector, ...]:
    """Detectors for one deployment's configuration, in the order given."""
    return (
        *(keyword_detector(k) for k in keywords),
        *(pattern_detector(p) for p in patterns),
        *(exact_detector(e) for e in exact),
    )
