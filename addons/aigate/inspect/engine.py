"""The scan engine: one pass of an RE2 set tells which detectors can fire, then only those run,
then context words and validators. RE2 guarantees linear time, so no prompt can make a pattern
backtrack. Without the re2 wheel the same patterns run on Python's `re` (slower; measured in
bench/bench_scan.py) so inspection degrades in speed, never in coverage."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import ipaddress
import re
import secrets
from collections.abc import Collection, Iterable, Sequence
from typing import Any, Literal

from aigate.inspect.detectors import builtin
from aigate.inspect.detectors.base import Detector, preview
from aigate.inspect.normalize import normalize
from aigate.inspect.result import Extraction, Finding

try:
    import re2
except ImportError:  # pragma: no cover - the wheel exists for our platforms
    re2 = None

Engine = Literal["re2", "re"]
_IP_DETECTORS = ("ipv4_address", "ipv6_address")


def _public_ip(value: str) -> bool:
    try:
        return ipaddress.ip_address(value).is_global
    except ValueError:
        return False


def _identity(offset: int) -> int:
    return offset


def _char_offsets(data: bytes):
    """Map UTF-8 byte offsets of `data` to character offsets (only non-ASCII text needs it)."""

    def convert(offset: int) -> int:
        return len(data[:offset].decode("utf-8", "ignore"))

    return convert


class _Compiled:
    __slots__ = ("context", "detector", "group", "regex", "word_ids", "words")

    def __init__(self, detector: Detector, regex: Any, context: re.Pattern[str] | None) -> None:
        self.detector = detector
        self.regex = regex
        self.group = regex.groupindex.get("v", regex.groupindex.get(b"v", 0))  # bytes names on re2
        self.context = context
        self.words = tuple(w.lower() for w in detector.context)
        self.word_ids: frozenset[int] = frozenset()  # context words' ids in the RE2 set


class Scanner:
    """Built once from configuration, then `scan(text)` per prompt; safe to share across threads."""

    def __init__(
        self,
        detectors: Sequence[Detector] | None = None,
        *,
        key: bytes | None = None,
        engine: Engine | None = None,
    ) -> None:
        self.detectors = tuple(builtin() if detectors is None else detectors)
        self.engine: Engine = engine or ("re2" if re2 is not None else "re")
        self._key = key if key is not None else secrets.token_bytes(32)
        self._compiled = [self._compile(d) for d in self.detectors]
        self._set = None
        if self.engine == "re2":
            self._set = self._build_set()

    @classmethod
    def from_config(
        cls,
        *,
        enabled: Collection[str] = (),
        disabled: Collection[str] = (),
        public_ips_only: bool = False,
        extra: Iterable[Detector] = (),
        key: bytes | None = None,
        engine: Engine | None = None,
    ) -> Scanner:
        """Built-ins filtered by `enabled` (empty: all) and `disabled`, plus custom detectors."""
        chosen = []
        known = {d.id for d in builtin()}
        unknown = (set(enabled) | set(disabled)) - known
        if unknown:
            raise ValueError(
                f"unknown detector id(s) {sorted(unknown)}; `aigate scan --list` shows the ids"
            )
        for d in builtin():
            if (enabled and d.id not in enabled) or d.id in disabled:
                continue
            if public_ips_only and d.id in _IP_DETECTORS:
                d = dataclasses.replace(d, validator=_public_ip)
            chosen.append(d)
        return cls([*chosen, *extra], key=key, engine=engine)

    def _compile(self, d: Detector) -> _Compiled:
        if self.engine == "re2":
            regex = re2.compile(d.pattern.encode())
        else:
            regex = re.compile(d.pattern, re.ASCII)
        context = None
        if d.context:
            words = "|".join(re.escape(w.lower()) for w in d.context)
            context = re.compile(rf"(?:^|[^a-z0-9])(?:{words})")
        return _Compiled(d, regex, context)

    def _build_set(self) -> Any:
        """One RE2 set of every pattern plus every context word: a single pass over the text
        says which detectors can fire and which context words occur anywhere."""
        patterns = re2.Set.SearchSet(re2.Options())
        for c in self._compiled:
            patterns.Add(c.detector.pattern.encode())
        word_ids: dict[str, int] = {}
        for c in self._compiled:
            for word in c.words:
                if word not in word_ids:
                    boundary = r"(?i)(?:^|[^a-z0-9])" + re2.escape(word)
                    word_ids[word] = patterns.Add(boundary.encode())
            c.word_ids = frozenset(word_ids[w] for w in c.words)
        patterns.Compile()
        return patterns

    def digest(self, value: str) -> str:
        """Keyed hash of a value (HMAC-SHA256 under the process key, 128 bits shown)."""
        return hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()[:32]

    def scan(self, text: str) -> list[Finding]:
        """Findings in `text`, ordered by position; offsets are characters of `text`."""
        norm = normalize(text)
        t = norm.text
        if self._set is not None:
            subject: str | bytes = t.encode()
            fired = set(self._set.Match(subject) or ())
            count = len(self._compiled)
            candidates = [
                c
                for c in (self._compiled[i] for i in sorted(fired) if i < count)
                if c.context is None or not c.word_ids.isdisjoint(fired)
            ]
            if not candidates:
                return []
            to_char = _identity if t.isascii() else _char_offsets(subject)
        else:
            subject, candidates, to_char = t, self._compiled, _identity
        lowered = t.lower() if self._set is None else None
        found: list[Finding] = []
        size = len(t)
        for c in candidates:
            d = c.detector
            if lowered is not None and c.words and not any(map(lowered.__contains__, c.words)):
                continue
            for m in c.regex.finditer(subject):
                start, end = m.span(c.group)
                if start < 0 or end <= start:
                    continue
                start, end = to_char(start), to_char(end)
                if d.boundary and (
                    (start > 0 and t[start - 1] in d.boundary)
                    or (end < size and t[end] in d.boundary)
                ):
                    continue
                if c.context is not None:
                    window = t[max(0, start - d.window) : start] + " " + t[end : end + d.window]
                    if not c.context.search(window.lower()):
                        continue
                value = t[start:end]
                if d.validator is not None and not d.validator(value):
                    continue
                o_start, o_end = norm.span(start, end)
                found.append(
                    Finding(
                        d.id,
                        d.data_class,
                        o_start,
                        o_end,
                        d.confidence,
                        preview(value, d.keep),
                        self.digest(value),
                    )
                )
        return _resolve(found)

    def scan_extraction(self, extraction: Extraction) -> list[Finding]:
        """Findings in every segment, each tagged with its segment index."""
        found = []
        for index, segment in enumerate(extraction.segments):
            found.extend(dataclasses.replace(f, segment=index) for f in self.scan(segment.text))
        return found


def _resolve(found: list[Finding]) -> list[Finding]:
    """One finding per value: drop a finding inside another one at least as confident."""
    if len(found) < 2:
        return found
    found.sort(key=lambda f: (f.start, -(f.end - f.start), -f.confidence))
    kept: list[Finding] = []
    for f in found:
        if any(
            k.start <= f.start and f.end <= k.end and k.confidence >= f.confidence for k in kept
        ):
            continue
        kept.append(f)
    return kept
