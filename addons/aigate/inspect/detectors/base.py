"""What a detector is: data (id, class, RE2 pattern, context words, source) plus at most a
validator (is this the kind at all?) and a checksum (is this value well-formed?).

Patterns use RE2 syntax only (no look-around, no back-references) so every scan is linear in the
input. A pattern may name the value with a group `v`; otherwise the whole match is the value.

Each finding carries a confidence, lowest first:
- `low`: the shape fits but the checksum fails (a typo, a made-up or truncated value);
- `pattern`: a shape many things share (an address, nine digits, a date) and nothing else;
- `context`: a label near the value names the kind ("SIN:", "Steuer-ID", `password =`);
- `validated`: the value passes its issuer's check (Luhn, mod-97, CRC32, a check digit, a
  dialling plan), or carries a prefix only that issuer uses in its documented length and alphabet.
"""

from __future__ import annotations

import math
import re
from collections import _count_elements
from collections.abc import Callable
from dataclasses import dataclass

from aigate.inspect.result import CONFIDENCES, Confidence, DataClass

Validator = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Detector:
    """A declarative detector.

    `validator` says whether a match is this kind at all (False: no finding). `checksum` says
    whether the value is well-formed (True: `validated`; False: `low`, still reported).
    `context` words near the value raise it to `context`; with `context_required` a match
    without one is no finding (the shape alone is too common: nine digits, a date).
    `regions` are the ISO 3166 countries whose national format this is: `dlp.regions` decides
    which run. `source` is the issuer's format document."""

    id: str
    data_class: DataClass
    pattern: str
    validator: Validator | None = None
    context: tuple[str, ...] = ()
    confidence: Confidence = "pattern"  # the level of a match with no checksum and no label
    keep: tuple[int, int] = (2, 2)  # characters the preview keeps at (head, tail)
    window: int = 80  # how far (characters) to look for context words around the value
    boundary: frozenset[str] = frozenset()  # characters that may not touch the value's ends
    description: str = ""
    checksum: Validator | None = None
    context_required: bool = False
    regions: tuple[str, ...] = ()
    source: str = ""
    # A checksum that depends on the configured regions (phone dialling plans): the scanner
    # calls it with `dlp.regions` (None: every region) and uses the result as `checksum`.
    regional_check: Callable[[frozenset[str] | None], Validator] | None = None
    # A detector judged by key name and randomness rather than the issuer's format: when it and
    # a vendor's detector report the same value equally sure, the vendor's name is reported.
    generic: bool = False
    # A cheap look at the UTF-8 text before the RE2 pass: the byte offset no match can start
    # before, or -1 when the text cannot hold a match at all. For detectors whose atoms or labels
    # are common (`token`, `://`, "license") but whose shape is rare; it spares a full pass over
    # the prompt, so it must never answer past a match the pattern would find.
    first_start: Callable[[bytes], int] | None = None

    def __post_init__(self) -> None:
        if self.confidence not in CONFIDENCES[1:]:
            raise ValueError(
                f"detector {self.id}: confidence {self.confidence!r} is not one of "
                f"{CONFIDENCES[1:]}"
            )
        if self.context_required and not self.context:
            raise ValueError(f"detector {self.id}: context_required needs context words")

    @property
    def confidence_rule(self) -> str:
        """How this detector's findings get their confidence, for `aigate scan --list`."""
        parts = []
        if self.context_required:
            parts.append("needs a label nearby")
        if self.checksum is not None or self.regional_check is not None:
            parts.append("validated by its check, low when the check fails")
        elif self.confidence == "validated":
            parts.append("validated by its format (an issuer's prefix and length, a valid domain)")
        if (
            self.context
            and not self.context_required
            and self.confidence == "pattern"
            and self.checksum is None
            and self.regional_check is None
        ):
            parts.append("context when labelled")
        if not parts or (self.context_required and self.checksum is None):
            parts.append(f"{'context' if self.context_required else self.confidence} otherwise")
        return "; ".join(parts)


# Values that are someone's example, template or variable reference, never a real secret.
PLACEHOLDER_WORDS = (
    "example",
    "changeme",
    "change_me",
    "placeholder",
    "your_",
    "your-",
    "yourkey",
    "xxxx",
    "****",
    "....",
    "<",
    ">",
    "${",
    "{{",
    "%(",
    "os.environ",
    "getenv",
    "process.env",
    "env[",
    "env.",
    "dummy",
    "redacted",
    "secret_here",
    "insert",
    "replace",
    "todo",
    "fixme",
    "sample",
    "fake",
    "_here",
    "-here",
)


_PLACEHOLDER = re.compile("|".join(re.escape(word) for word in PLACEHOLDER_WORDS))


_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl")
_RUN = 8  # this many sequential or identical characters in a row are typed, not random
_TYPED_GRAMS = sorted(
    {s[i : i + _RUN] for s in _SEQUENCES for i in range(len(s) - _RUN + 1)}
    | {s[i : i + _RUN][::-1] for s in _SEQUENCES for i in range(len(s) - _RUN + 1)}
)
_TYPED_RUN = re.compile("|".join(_TYPED_GRAMS) + rf"|([a-z0-9])\1{{{_RUN - 1}}}")
# The same two checks as one RE2 automaton (identical runs spelled out, RE2 has no
# back-references): a single linear pass instead of Python's alternation tried at every offset,
# which cost ~15 us on a 128-character token and ran twice per finding. Held in a one-pattern
# set: its Match is a single call, where a compiled pattern's search builds a match object.
try:
    import re2 as _re2
except ImportError:  # pragma: no cover - the wheel exists for our platforms
    _re2 = None


def re2_set_match(*patterns: str) -> Callable[[bytes], list[int]] | None:
    """A RE2 set searching UTF-8 text for each of `patterns` anywhere, as its C++ Match past the
    Python wrapper (which only checks the text's type): one call answering several patterns,
    with the indices of those found (empty when none). None without the re2 wheel."""
    if _re2 is None:  # pragma: no cover - the wheel exists for our platforms
        return None
    found = _re2.Set.SearchSet(_re2.Options())
    for pattern in patterns:
        found.Add(pattern)
    found.Compile()
    return getattr(found, "_set", found).Match


# `_PLACEHOLDER` and `_TYPED_RUN` in RE2 syntax (identical runs spelled out).
PLACEHOLDER_OR_RUN = "|".join(
    [re.escape(word) for word in PLACEHOLDER_WORDS]
    + _TYPED_GRAMS
    + [c * _RUN for c in "abcdefghijklmnopqrstuvwxyz0123456789"]
)
_PLACEHOLDER_OR_RUN_MATCH = re2_set_match(PLACEHOLDER_OR_RUN)


def located_by(*patterns: str, back: int | None = 0) -> Callable[[bytes], int] | None:
    """A `first_start` from RE2 patterns that each start with fixed text (RE2 then skips to it
    at memchr speed, a tenth of a full pass) and one of which every match of the detector
    contains: where one first matches, less `back` bytes (how far before it a match can start;
    None: anywhere, so 0), or -1 when none does. None without the re2 wheel (then every pattern
    runs in full)."""
    if _re2 is None:  # pragma: no cover - the wheel exists for our platforms
        return None
    unanchored = _re2._Anchor.UNANCHORED
    searches = [_re2.compile(pattern.encode())._regexp.Match for pattern in patterns]

    def first_start(text: bytes) -> int:
        size, first = len(text), -1
        for search in searches:
            at = search(unanchored, text, 0, size)[0][0]
            if at >= 0:
                if back is None:
                    return 0
                first = at if first < 0 else min(first, at)
        return first if first < 0 else max(0, first - back)

    return first_start


def run_located(chars: str, length: int, back: int = 0) -> Callable[[bytes], int]:
    """A `first_start` for a shape that holds `length` of the ASCII `chars` in a row, at most
    `back` bytes into its match: one `translate` and one `find` (a third of an RE2 pass), for a
    labelled shape whose label ("address", "license", "aws") is common and the run rare."""
    table = bytes(88 if chr(byte) in chars else 32 for byte in range(256))  # X or a space
    run = b"X" * length

    def first_start(text: bytes) -> int:
        at = text.translate(table).find(run)
        return at if at < 0 else max(0, at - back)

    return first_start


def _typed_run(low: str) -> bool:
    """A run like `abcdefgh`, `12345678`, `qwertyui` or `aaaaaaaa` (forwards or backwards)."""
    return _TYPED_RUN.search(low) is not None


def is_placeholder(value: str) -> bool:
    """True for template values (`<your-key>`, `xxxx`, `${TOKEN}`, `changeme`, `...EXAMPLE`)
    and typed runs (`abcdef`, `123456`, `aaaaaa`) no random generator produces."""
    low = value.lower()
    if len(set(low[:16])) <= 2 and len(set(low)) <= 2:  # aaaa, 0000, x-x-x
        return True
    if _PLACEHOLDER_OR_RUN_MATCH is not None:
        return bool(_PLACEHOLDER_OR_RUN_MATCH(low.encode()))
    return _PLACEHOLDER.search(low) is not None or _typed_run(low)


_DOUBLED = re.compile(r"(.)\1", re.DOTALL)


def is_filler(value: str) -> bool:
    """True for a long value that is mostly one character (`ops_eyJxxxx...`): a template padded
    to length, never key material.

    A character filling half the value is either one of its first two characters or stands
    twice in a row somewhere (pair the value up from the start: without a doubled pair, each
    pair holds it at most once, so it is in every pair, the first one too); only those are
    counted, not every character of a key block."""
    if not value:
        return False
    candidates = set(value[:2])
    candidates.update(_DOUBLED.findall(value))  # each doubled pair's character
    return max(map(value.count, candidates)) * 2 >= len(value)


# c * log2(c) for the counts of short values (token-sized; longer values compute it).
_C_LOG_C = [0.0] + [c * math.log2(c) for c in range(1, 1025)]


def entropy(value: str) -> float:
    """Shannon entropy in bits per character: log2(n) - sum(c * log2(c)) / n over the counts c
    of each character (the same sum as -sum(p * log2(p)), with one table look-up per count)."""
    if not value:
        return 0.0
    n = len(value)
    counts: dict[str, int] = {}
    _count_elements(counts, value)
    if n < len(_C_LOG_C):
        return max(0.0, math.log2(n) - sum(map(_C_LOG_C.__getitem__, counts.values())) / n)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
BASE64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")


def not_placeholder(value: str) -> bool:
    return not is_placeholder(value)


def random_token(min_entropy: float = 3.0) -> Validator:
    """A validator for opaque tokens: not a placeholder and random-looking enough."""

    def check(value: str) -> bool:
        return not is_placeholder(value) and entropy(value) >= min_entropy

    return check


_NOT_DIGITS = bytes(byte for byte in range(256) if not 48 <= byte <= 57)


def digits(value: str) -> str:
    if value.isascii():  # its digits are 0-9: everything else deleted in C
        return value.encode().translate(None, _NOT_DIGITS).decode()
    return "".join(filter(str.isdigit, value))


def _skip_alnum(text: str, count: int) -> int:
    """Index just past the first `count` letters/digits of `text`."""
    if count <= 0:
        return 0
    for index, ch in enumerate(text):
        if ch.isalnum():
            count -= 1
            if count == 0:
                return index + 1
    return len(text)


_MASK = {ord(c): "*" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"}


def preview(value: str, keep: tuple[int, int]) -> str:
    """Mask letters and digits except `keep` (characters at the head, letters and digits at the
    tail); separators stay so the shape reads.
    Long values (keys, PEM blocks) show their first 32 characters' shape and their length."""
    head, tail = keep
    shown = value if len(value) <= 48 else value[:32]
    if shown is not value:
        tail = 0
    stars = shown.translate(_MASK)  # masked whole, then the kept ends put back
    # In ASCII the letters and digits are the characters masked: counted in C.
    alnum = stars.count("*") - shown.count("*") if shown.isascii() else sum(map(str.isalnum, shown))
    if alnum <= head + tail + 2:
        head, tail = min(head, 1), 0
    first = min(head, len(shown))  # the head is a literal prefix (ghp_, AKIA) or digits
    last = len(shown) - _skip_alnum(shown[::-1], tail)
    masked = shown[:first] + stars[first:last] + shown[last:]
    return masked if shown is value else f"{masked}...({len(value)} chars)"
