"""The scan engine: a prefilter (RE2's FilteredRE2 for literal atoms and context words, one RE2
set for the patterns without atoms) says which detectors can fire, then only those run, then
context windows and validators. RE2 guarantees linear time, so no prompt can make a pattern
backtrack. Without the re2 wheel the same patterns run on Python's `re` (slower; measured in
bench/bench_scan.py), so inspection degrades in speed, never in coverage."""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import ipaddress
import re
import secrets
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal, NamedTuple

from aigate.inspect.detectors import builtin
from aigate.inspect.detectors.base import (
    Detector,
    Validator,
    is_filler,
    is_placeholder,
    preview,
)
from aigate.inspect.encoded import RunSpans, decoded_segments, encoding_of
from aigate.inspect.normalize import normalize
from aigate.inspect.recent import Recent
from aigate.inspect.result import (
    CONFIDENCE_RANK,
    CONFIDENCES,
    Confidence,
    Extraction,
    Finding,
    Segment,
)

try:
    import re2
except ImportError:  # pragma: no cover - the wheel exists for our platforms
    re2 = None

Engine = Literal["re2", "re"]
# The bindings' anchor constant, for calling their C++ Match directly (`_Compiled.match`); None
# if their internals ever change, and the scan then uses the public `finditer`.
_UNANCHORED = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)
_IP_DETECTORS = ("ipv4_address", "ipv6_address")
_WARM_UP = (
    "Please summarise the meeting notes from 2024-03-18 and draft a reply. Call me on "
    "+1 415 555 2671 or mail jane.doe@acme-corp.io; card 4111 1111 1111 1111, SSN 219-09-9998, "
    "IBAN DE89 3704 0044 0532 0130 00, host 203.0.113.7, password = 'Zx8#kP2mQ9vL', "
    "token ghp_000000000000000000000000000000000000 and def f(x):\n    return x * 2\n"
)


def _public_ip(value: str) -> bool:
    try:
        return ipaddress.ip_address(value).is_global
    except ValueError:
        return False


RECENT_TEXTS = 4096  # texts whose findings are kept by default (`aigate.inspect.recent`)
_RECENT_FINDINGS = 16384  # findings kept at most, over all those texts (~300 bytes each)
_RECENT_RUNS = 16384  # encoded runs' places kept at most, over as many texts


def _next_midnight() -> float:
    """When today ends, local time: dates of birth and expiry dates are judged against today."""
    return datetime.combine(date.today() + timedelta(days=1), datetime.min.time()).timestamp()


_WORD_END = "(?![a-z0-9])"
_PLACEHOLDER_MAX = 256  # characters: longer values are key blocks, judged by their validator
_LONG_REPEAT = re.compile(r"(?<!\\)\{(\d+),(\d+)\}")


def _loosen(pattern: str) -> str:
    """`x{n,m}` with a large m as `x{n,}`: RE2 compiles a counted repetition into m copies, so
    `[A-Za-z0-9]{50,1000}` costs a thousand-fold program and slows every search that meets it.
    Unbounded, the value still ends where its characters do (and at `boundary`)."""
    return _LONG_REPEAT.sub(
        lambda m: m.group(0) if int(m.group(2)) < 32 else "{" + m.group(1) + ",}", pattern
    )


_LITERAL = re.compile(r"(?:\\b)?([A-Za-z0-9_-]{3,})([?*{]?)")


def _leading_literal(pattern: str) -> str | None:
    """The case-sensitive text every match of `pattern` starts with, if it plainly has one:
    `\\bCHE-?\\d{3}` starts with `CHE`. None when the pattern sets flags, alternates at the
    top level, or starts with anything but letters, digits, `_` and `-`."""
    match = _LITERAL.match(pattern)
    if match is None or _top_level_alternation(pattern):
        return None
    literal = match.group(1)
    if match.group(2):  # `ab-?`: the quantifier makes the last character optional
        literal = literal[:-1]
    return literal if len(literal) >= 3 else None


def _top_level_alternation(pattern: str) -> bool:
    depth, escaped, in_class = 0, False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
    return False


_WORD_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")


def _word_start(word: bytes) -> Callable[[bytes], bool] | None:
    """Whether lowered text holds `word` at the start of a word (a label `rue` inside `true`
    names nothing). The first occurrence usually answers (`bytes.find`, a fifth of a search);
    past a first one inside a word, one search in C finds the word and looks back that no
    letter or digit stands before it (a `find` restarted after each `tcp ` around the label
    `cp ` cost twice as much). None for a word beyond ASCII: the filter folded its case
    beyond ASCII, so it is trusted."""
    if not word.isascii():
        return None
    search = re.compile(re.escape(word) + b"(?<![a-z0-9]" + re.escape(word) + b")").search

    def found(lowered: bytes) -> bool:
        at = lowered.find(word)
        if at < 0:
            return False
        if at == 0 or lowered[at - 1] not in _WORD_CHARS:
            return True
        return search(lowered, at + 1) is not None

    return found


_INNER_PAD = bytes(byte ^ 0x36 for byte in range(256))
_OUTER_PAD = bytes(byte ^ 0x5C for byte in range(256))


def _hmac_pads(key: bytes) -> tuple[Any, Any]:
    """SHA-256 after the key's inner and outer HMAC pads (RFC 2104): a digest then hashes the
    value and the inner digest only. Copying these two costs half of `hmac.HMAC.copy`, whose
    Python wrapper copies two hash objects and builds a new HMAC."""
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    return hashlib.sha256(key.translate(_INNER_PAD)), hashlib.sha256(key.translate(_OUTER_PAD))


def _both(first: Validator, second: Validator | None) -> Validator:
    if second is None:
        return first
    return lambda value: first(value) and second(value)


def _identity(offset: int) -> int:
    return offset


_MULTIBYTE = re.compile(rb"[\xc0-\xff][\x80-\xbf]*")


def _char_offsets(data: bytes):
    """Map UTF-8 byte offsets of `data` to character offsets (only non-ASCII text needs it):
    subtract the continuation bytes of the multi-byte characters before the offset."""
    starts: list[int] = []
    saved: list[int] = []
    total = 0
    for m in _MULTIBYTE.finditer(data):
        total += m.end() - m.start() - 1
        starts.append(m.start())
        saved.append(total)

    def convert(offset: int) -> int:
        index = bisect.bisect_left(starts, offset)
        return offset - (saved[index - 1] if index else 0)

    return convert


class _Compiled:
    __slots__ = (
        "best_rank",
        "context",
        "detector",
        "first_start",
        "group",
        "lead",
        "match",
        "regex",
        "word_ids",
        "words",
    )

    def __init__(self, detector: Detector, regex: Any, context: re.Pattern[str] | None) -> None:
        self.detector = detector
        self.regex = regex
        self.group = regex.groupindex.get("v", regex.groupindex.get(b"v", 0))  # bytes names on re2
        self.context = context
        # Only required words select the detector; optional ones are looked for after a match.
        self.words = tuple(w.lower() for w in detector.context) if detector.context_required else ()
        self.word_ids: frozenset[int] = frozenset()  # its words' ids among the filter's words
        lead = _leading_literal(detector.pattern)
        self.lead = lead.encode() if lead else None  # case-sensitive text every match starts with
        self.first_start = detector.first_start  # the detector's own look, instead of `lead`
        # The re2 bindings' C++ Match, called directly: their `finditer` wraps each call and
        # each match in Python objects (~4% of a scan). None on `re`: then `finditer`.
        inner = getattr(regex, "_regexp", None)
        self.match = getattr(inner, "Match", None) if _UNANCHORED is not None else None
        # The surest level its findings can reach: one inside a surer finding is dropped by
        # `_resolve` whatever its checks say, so the scan skips them.
        if detector.checksum is not None:
            best: Confidence = "validated"
        elif detector.context and detector.confidence == "pattern":
            best = "context"
        else:
            best = detector.confidence
        self.best_rank = CONFIDENCE_RANK[best]


class Scanner:
    """Built once from configuration, then `scan(text)` per prompt; safe to share across threads."""

    def __init__(
        self,
        detectors: Sequence[Detector] | None = None,
        *,
        key: bytes | None = None,
        engine: Engine | None = None,
        recent: int = RECENT_TEXTS,
    ) -> None:
        """`recent`: for how many texts to keep their findings and their encoded runs' places,
        for when they come again (0: none)."""
        # Generic detectors last: on a tie over the same value the vendor's detector is kept.
        chosen = builtin() if detectors is None else detectors
        self.detectors = tuple(sorted(chosen, key=lambda d: d.generic))
        self.engine: Engine = engine or ("re2" if re2 is not None else "re")
        self._inner, self._outer = _hmac_pads(key if key is not None else secrets.token_bytes(32))
        self._compiled = [self._compile(d) for d in self.detectors]
        if self.engine == "re2":
            self._build_prefilter()
        self._recent: Recent[tuple[Finding, ...]] = Recent(recent, _RECENT_FINDINGS)
        # Extractions by the text they were read from, however short (request targets).
        self._recent_sources: Recent[tuple[Finding, ...]] = Recent(
            recent, _RECENT_FINDINGS, min_chars=1
        )
        self._recent_until = _next_midnight()  # when the findings kept go stale
        self._recent_runs: Recent[RunSpans] = Recent(recent, _RECENT_RUNS)
        # Told the characters of each text (or extraction) answered from a recent one (the
        # proxy counts them).
        self.on_reuse: Callable[[int], None] | None = None

    @classmethod
    def from_config(
        cls,
        *,
        enabled: Collection[str] = (),
        disabled: Collection[str] = (),
        public_ips_only: bool = False,
        regions: Collection[str] | None = None,
        extra: Iterable[Detector] = (),
        key: bytes | None = None,
        engine: Engine | None = None,
        recent: int = RECENT_TEXTS,
    ) -> Scanner:
        """Built-ins filtered by `enabled` (empty: all), `disabled` and `regions` (ISO 3166
        codes whose national formats are read; None: every region), plus custom detectors."""
        chosen = []
        known = {d.id for d in builtin()}
        unknown = (set(enabled) | set(disabled)) - known
        if unknown:
            raise ValueError(
                f"unknown detector id(s) {sorted(unknown)}; `aigate scan --list` shows the ids"
            )
        wanted = None if regions is None else frozenset(r.upper() for r in regions)
        for d in builtin():
            if (enabled and d.id not in enabled) or d.id in disabled:
                continue
            if wanted is not None and d.regions and not wanted.intersection(d.regions):
                continue
            if public_ips_only and d.id in _IP_DETECTORS:
                d = dataclasses.replace(d, validator=_both(_public_ip, d.validator))
            if d.regional_check is not None:
                d = dataclasses.replace(d, checksum=d.regional_check(wanted))
            chosen.append(d)
        return cls([*chosen, *extra], key=key, engine=engine, recent=recent)

    def _compile(self, d: Detector) -> _Compiled:
        if self.engine == "re2":
            regex = re2.compile(_loosen(d.pattern).encode())
        else:
            regex = re.compile(_loosen(d.pattern), re.ASCII)
        context = None
        if d.context:
            # A label starts a word; a short one (SIN, TFN, DOB) must also end it, while a
            # longer one may run on (passport -> passports).
            words = "|".join(
                re.escape(w) + (_WORD_END if len(w) <= 4 and w[-1].isalnum() else "")
                for w in (w.lower() for w in d.context)
            )
            context = re.compile(rf"(?:^|[^a-z0-9])(?:{words})")
        return _Compiled(d, regex, context)

    def _build_prefilter(self) -> None:
        """Two cheap passes decide which detectors run. RE2's FilteredRE2 finds the literal
        atoms each pattern needs (`ghp_`, `AKIA`, `-----BEGIN`) and, in the same pass, the
        required context words (each added as a case-insensitive literal: its own atom); the
        few patterns without atoms (numbers, addresses) go into one RE2 set. One big set of
        every pattern would be simpler, but its DFA keeps meeting new states on varied text and
        costs milliseconds a prompt; these stay in microseconds. A pattern that starts with
        case-sensitive text (`CHE-`, `AKIA`) is then run only where that text occurs (the
        filter's atoms ignore case)."""
        probe = re2.Filter()
        for c in self._compiled:
            probe.Add(_loosen(c.detector.pattern).encode())
        probe.Compile()
        unfiltered = set(probe.Match(b"\0", True) or ())
        # The filter holds only patterns with atoms: the others would come back from every
        # Match, costing a set conversion per prompt for nothing. Its entries past the
        # patterns are the context words.
        self._filter = re2.Filter()
        self._filter_ids: list[int] = []
        for i, c in enumerate(self._compiled):
            if i not in unfiltered:
                self._filter.Add(_loosen(c.detector.pattern).encode())
                self._filter_ids.append(i)
        word_ids: dict[str, int] = {}
        for c in self._compiled:
            for word in c.words:
                if word not in word_ids:
                    self._filter.Add(("(?i)" + re2.escape(word)).encode())
                    word_ids[word] = len(word_ids)
            c.word_ids = frozenset(word_ids[w] for w in c.words)
        self._filtering = bool(self._filter_ids or word_ids)
        if self._filtering:
            self._filter.Compile()
        self._word_starts = [
            _word_start(w.encode()) for w in sorted(word_ids, key=word_ids.__getitem__)
        ]
        detectors = range(len(self._compiled))
        self._unfiltered = frozenset(unfiltered)
        self._plain = frozenset(
            i for i in detectors if i not in unfiltered and not self._compiled[i].words
        )
        self._word_detectors: dict[int, list[int]] = {}
        for i in detectors:
            for word_id in self._compiled[i].word_ids:
                self._word_detectors.setdefault(word_id, []).append(i)
        shapes = [i for i in detectors if i in unfiltered and not self._compiled[i].words]
        self._shape_set = re2.Set.SearchSet(re2.Options())
        for i in shapes:
            self._shape_set.Add(_loosen(self._compiled[i].detector.pattern).encode())
        self._shape_ids = shapes
        self._shape_set.Compile()
        # The bindings' C++ calls past their Python wrappers (which only check the text's type):
        # a tenth of a tiny prompt's scan.
        self._shape_match = getattr(self._shape_set, "_set", self._shape_set).Match
        self._filter_match = getattr(self._filter, "_filter", self._filter).Match

    def _candidates(self, subject: bytes) -> list[tuple[_Compiled, int]]:
        """The detectors that can fire on `subject`, each with the offset its matches start
        at or after (the detector's `first_start`, else where the text every match starts with
        first occurs, else 0); a detector whose `first_start` finds no room is left out."""
        chosen = [self._shape_ids[j] for j in self._shape_match(subject) or ()]
        atoms: set[int] = set()  # context-required detectors whose atoms occur
        words: list[int] = []
        if self._filtering:
            patterns = len(self._filter_ids)
            for j in self._filter_match(subject, True) or ():
                if j >= patterns:
                    words.append(j - patterns)
                elif (i := self._filter_ids[j]) in self._plain:
                    chosen.append(i)
                else:
                    atoms.add(i)
        if words:
            lowered = subject.lower()
            for word_id in words:
                search = self._word_starts[word_id]
                if search is None or search(lowered):
                    chosen.extend(
                        i
                        for i in self._word_detectors[word_id]
                        if i in atoms or i in self._unfiltered
                    )
        selected = []
        for i in sorted(set(chosen)):
            c = self._compiled[i]
            if c.first_start is not None:
                first = c.first_start(subject)
            else:
                first = 0 if c.lead is None else subject.find(c.lead)
            if first >= 0:
                selected.append((c, first))
        return selected

    def warm(self) -> None:
        """Scan a sample once so the first prompt does not pay for lazy set-up (RE2 builds its
        automata on first use; phonenumbers loads region data on first parse)."""
        self.scan(_WARM_UP)

    def digest(self, value: str) -> str:
        """Keyed hash of a value (HMAC-SHA256 under the process key, 128 bits shown)."""
        inner = self._inner.copy()  # the padded key is hashed once, not for every value
        inner.update(value.encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:32]

    def scan(self, text: str, ignored: list[tuple[str, str]] | None = None) -> list[Finding]:
        """Findings in `text`, ordered by position; offsets are characters of `text`. Values a
        detector matched but set aside as placeholders or published documentation examples
        (`AKIAIOSFODNN7EXAMPLE`) are appended to `ignored` as (detector, preview), if given.
        A text scanned recently, the same day, gets the findings of that scan: the same, as a
        scan depends on the text and the date alone."""
        if ignored is not None or not self._recent.keeps(text):
            return self._scan(text, ignored)
        return self._recall(self._recent, text, lambda: self._scan(text, None), len(text))

    def _recall(
        self, recent: Recent[tuple[Finding, ...]], text: str, work: Callable[[], list[Finding]],
        size: int,
    ) -> list[Finding]:
        """The findings kept in `recent` for `text`, else those `work` gives, then kept; `size`
        characters are told to `on_reuse` when kept ones answer. Findings kept from an earlier
        day are forgotten: dates of birth and expiry dates are judged against today."""
        if time.time() >= self._recent_until:
            self._recent_until = _next_midnight()
            self._recent.clear()
            self._recent_sources.clear()
        key = recent.key(text)
        found = recent.get(key)
        if found is not None:
            if self.on_reuse is not None:
                self.on_reuse(size)
            return list(found)
        findings = work()
        recent.put(key, tuple(findings), len(findings))
        return findings

    def _scan(self, text: str, ignored: list[tuple[str, str]] | None) -> list[Finding]:
        norm = normalize(text)
        t = norm.text
        try:
            data = t.encode()
        except UnicodeEncodeError:
            # A lone surrogate (JSON may escape one: `"\ud83d"`, half an emoji cut off) is not
            # UTF-8: read as "?", one character for one, so offsets stay the text's.
            t = t.encode("utf-8", "replace").decode()
            data = t.encode()
        if self.engine == "re2":
            subject: str | bytes = data
            candidates = self._candidates(subject)
            if not candidates:
                return []
            to_char = _identity if t.isascii() else _char_offsets(subject)
        else:
            subject, candidates, to_char = t, [(c, 0) for c in self._compiled], _identity
        lowered = t.lower() if self.engine == "re" else None
        found: list[_Hit] = []
        # (start, end, rank) of the findings so far above "pattern", by start: a value inside
        # one surer than its detector can ever be would be dropped by `_resolve`, so its checks
        # are not run (unless the caller collects ignored placeholders, which they report).
        surer: list[tuple[int, int, int]] = []
        # (rank, labelled) of the strongest finding so far on each exact value: a later
        # detector that cannot beat it there (`_resolve` keeps the surer, then the labelled,
        # then the earlier one) skips its checks; a generic detector meets a vendor's token.
        strongest: dict[tuple[int, int], tuple[int, bool]] = {}
        skipping = ignored is None
        size = len(t)
        for c, first in candidates:
            d = c.detector
            if lowered is not None and c.words and not any(map(lowered.__contains__, c.words)):
                continue
            outranked = surer if skipping and c.best_rank < _TOP_RANK else None
            for start, end in self._spans(c, subject, first):
                if start < 0 or end <= start:
                    continue
                start, end = to_char(start), to_char(end)
                if d.boundary and (
                    (start > 0 and t[start - 1] in d.boundary)
                    or (end < size and t[end] in d.boundary)
                ):
                    continue
                o_start, o_end = norm.span(start, end)
                if skipping:
                    if outranked and _inside_surer(outranked, o_start, o_end, c.best_rank):
                        continue
                    held = strongest.get((o_start, o_end))
                    # at most its best rank, and labelled only if it reads labels
                    if held is not None and held >= (c.best_rank, c.context is not None):
                        continue
                labelled = False
                if c.context is not None:
                    # A window cut mid-word starts with "x", so the fragment is not read as a
                    # word of its own ("Addis Ababa" cut to "aba" is no ABA label).
                    edge = max(0, start - d.window)
                    window = ("x" if edge else "") + t[edge:start] + " " + t[end : end + d.window]
                    labelled = c.context.search(window.lower()) is not None
                    if d.context_required and not labelled:
                        continue
                value = t[start:end]
                rejected = d.validator is not None and not d.validator(value)
                if rejected and ignored is None:
                    continue  # whether it is a placeholder only matters to `ignored`
                if rejected or d.data_class == "secret":
                    # A key block (PEM, OpenSSH) holds runs and words by chance: its own
                    # validator judges it; only token-sized values are read as typed placeholders.
                    placeholder = (
                        is_placeholder(value)
                        if len(value) <= _PLACEHOLDER_MAX
                        else is_filler(value)
                    )
                    if rejected or placeholder:
                        if ignored is not None and placeholder:
                            ignored.append((d.id, preview(value, d.keep)))
                        continue
                if d.checksum is not None:
                    level: Confidence = "validated" if d.checksum(value) else "low"
                elif labelled and d.confidence == "pattern":
                    level = "context"
                else:
                    level = d.confidence
                rank = CONFIDENCE_RANK[level]
                if rank > _LEAST_BEST:
                    bisect.insort(surer, (o_start, o_end, rank))
                found.append(_Hit(o_start, o_end, rank, labelled, d, value))
                if skipping:
                    held = strongest.get((o_start, o_end))
                    if held is None or held < (rank, labelled):
                        strongest[o_start, o_end] = (rank, labelled)
        # Previews and digests only for the findings kept.
        return [
            Finding(
                h.detector.id,
                h.detector.data_class,
                h.start,
                h.end,
                CONFIDENCES[h.rank],
                preview(h.value, h.detector.keep),
                self.digest(h.value),
            )
            for h in _resolve(found)
        ]

    @staticmethod
    def _spans(c: _Compiled, subject: Any, pos: int) -> Iterator[tuple[int, int]]:
        """The value's (start, end) in each match of `c` from `pos` on."""
        if c.match is None:
            for m in c.regex.finditer(subject, pos):
                yield m.span(c.group)
            return
        size = len(subject)
        while pos <= size:
            spans = c.match(_UNANCHORED, subject, pos, size)
            start, end = spans[0]
            if start < 0:
                return
            yield spans[c.group]
            pos = end if end > pos else pos + 1  # past an empty match

    def decoded_segments(self, segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
        """What the encoded runs in `segments` decode to (`aigate.inspect.encoded`), the runs
        of texts met recently looked up rather than searched for."""
        return decoded_segments(segments, self._recent_runs)

    def scan_extraction(self, extraction: Extraction, source: str | None = None) -> list[Finding]:
        """Findings in every segment, each tagged with its segment index (and the encoding,
        for a segment decoded from an encoded run). `source`: the text the extraction was read
        from and is a function of (a request target, which a client sends again and again),
        by which its findings are kept the way `scan` keeps a long text's."""
        if source is None or not self._recent_sources.keeps(source):
            return self._scan_segments(extraction)
        size = sum([len(segment.text) for segment in extraction.segments])
        return self._recall(
            self._recent_sources, source, lambda: self._scan_segments(extraction), size
        )

    def _scan_segments(self, extraction: Extraction) -> list[Finding]:
        found = []
        for index, segment in enumerate(extraction.segments):
            decoded = encoding_of(segment)
            found.extend(
                dataclasses.replace(f, segment=index, decoded=decoded)
                for f in self.scan(segment.text)
            )
        return found


class _Hit(NamedTuple):
    """A value a detector reported, before `_resolve` picks the findings to keep."""

    start: int  # offsets into the original text
    end: int
    rank: int  # CONFIDENCE_RANK of its confidence
    labelled: bool  # a label nearby names it: it wins a tie over the same value
    detector: Detector
    value: str


_TOP_RANK = CONFIDENCE_RANK["validated"]
_LEAST_BEST = CONFIDENCE_RANK["pattern"]  # every detector's findings can reach this
_NEIGHBOURS = 8
_NO_END = 1 << 62  # sorts after every end offset


def _inside_surer(surer: list[tuple[int, int, int]], start: int, end: int, rank: int) -> bool:
    """Whether a finding in `surer` (sorted) holds start..end at a rank above `rank`. Only the
    nearest few starting at or before `start` are read: a miss costs the checks it would have
    saved, never a finding, and a prompt full of findings stays linear."""
    at = bisect.bisect_right(surer, (start, _NO_END, 0))
    return any(
        e >= end and r > rank for _, e, r in surer[max(0, at - _NEIGHBOURS) : at]
    )


def _resolve(found: list[_Hit]) -> list[_Hit]:
    """One finding per value: drop a finding inside another one at least as confident. Over
    the same value equally sure, the one a nearby label names is kept ("SIN: 046 454 286" is a
    SIN, though its digits also make a phone number)."""
    if len(found) < 2:
        return found
    found.sort(key=lambda h: (h.start, h.start - h.end, -h.rank, not h.labelled))
    kept: list[_Hit] = []
    open_: list[_Hit] = []  # kept findings that still reach the current start
    for h in found:
        open_ = [k for k in open_ if k.end > h.start]
        if any(h.end <= k.end and k.rank >= h.rank for k in open_):
            continue
        kept.append(h)
        open_.append(h)
    return kept
