"""Unicode hardening: full-width digits, zero-width characters and odd separators must not hide
a value from the detectors. The scan runs on a normalised copy; offsets map back to the original.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters people (or tools) slip between digits and letters.
_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064")
# Separators NFKC leaves alone but that read as a dash or a space.
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
_SPACES = frozenset("\u00a0\u2007\u202f\u3000\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008")
_SPECIAL = re.compile("[" + re.escape("".join(sorted(_DROP | _DASHES | _SPACES))) + "]")
# Runs copied as they are: ASCII, and text in other scripts that NFKC leaves alone.
_RUN = re.compile(r"[\x00-\x7f]+|.", re.DOTALL)


class Normalized:
    """Normalised text plus a map from each of its characters back to the original span."""

    __slots__ = ("_ends", "_starts", "text")

    def __init__(self, text: str, starts: list[int] | None, ends: list[int] | None) -> None:
        self.text = text
        self._starts = starts
        self._ends = ends

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) for a span of the normalised text."""
        if self._starts is None or self._ends is None:
            return start, end
        if end <= start:
            return self._starts[start], self._starts[start]
        return self._starts[start], self._ends[end - 1]


def normalize(text: str) -> Normalized:
    """NFKC per character, drop zero-width characters, fold dashes and spaces. ASCII is free,
    and so is text that is already in NFKC with nothing to drop or fold (most prose in any
    script); otherwise ASCII runs are copied whole and only the other characters are mapped."""
    if text.isascii() or (
        unicodedata.is_normalized("NFKC", text) and _SPECIAL.search(text) is None
    ):
        return Normalized(text, None, None)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for run in _RUN.finditer(text):
        i, ch = run.start(), run.group()
        if len(ch) > 1 or ch.isascii():
            out.append(ch)
            starts.extend(range(i, i + len(ch)))
            ends.extend(range(i + 1, i + len(ch) + 1))
            continue
        if ch in _DROP:
            continue
        if ch in _DASHES:
            rep = "-"
        elif ch in _SPACES:
            rep = " "
        else:
            rep = unicodedata.normalize("NFKC", ch)
        for piece in rep:
            out.append(piece)
            starts.append(i)
            ends.append(i + 1)
    starts.append(len(text))
    return Normalized("".join(out), starts, ends)
