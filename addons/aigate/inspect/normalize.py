"""Unicode hardening: full-width digits, other scripts' digits, zero-width characters and odd
separators must not hide a value from the detectors. The scan runs on a normalised copy;
offsets map back to the original.
"""

from __future__ import annotations

import re
import unicodedata

import re2

# Invisible characters people (or tools) slip between digits and letters.
_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064")
# Separators NFKC leaves alone but that read as a dash or a space.
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
_SPACES = frozenset("\u00a0\u2007\u202f\u3000\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008")
# Digits of every script (Arabic-Indic ٤١١١, Devanagari ४१११, ...) read as 0-9, as int() reads
# them: each script's zero (Unicode 15's 67 sets of decimal digits beyond ASCII; a test checks
# the list against `unicodedata`), its digits the nine code points after it.
_ZEROS = (
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
    0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0,
    0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0,
    0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0,
    0x11F50, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140,
    0x1E2F0, 0x1E4F0, 0x1E950, 0x1FBF0,
)
DIGITS = {chr(zero + value): str(value) for zero in _ZEROS for value in range(10)}
# RE2 (its DFA reads a class of 700 characters at the speed of one; `re` took 3 ms over 4 KB of
# Cyrillic), on the text's UTF-8: whether anything needs dropping or folding.
_SPECIAL = re2.compile(
    "[" + "".join(sorted(_DROP | _DASHES | _SPACES | DIGITS.keys())) + "]"
)._regexp.Match
# Cyrillic and Greek letters that look like Latin ones (Unicode TR39's confusables), read as
# Latin inside a word that also holds ASCII letters or digits: `AKIA...` whose A is Cyrillic
# is AKIA. A word all in one script keeps its letters: Russian or Greek prose is left alone.
LATIN_LOOKALIKES = dict(
    zip(
        "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0423\u0430\u0435"
        "\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u04bb\u04cf\u0405\u0406\u0408"
        "\u051b\u051d\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4"
        "\u03a5\u03a7\u03bf\u03f2",
        "ABEKMHOPCTXYaeopcyxijsdhlSIJqwABEZHIKMNOPTYXoc",
        strict=True,
    )
)
# Where an ASCII letter or digit meets a Greek or Cyrillic character (the look-alikes' blocks,
# U+0370-U+052F): RE2 says whether there is one at all, `re` then finds them in the rare text
# that has one. (Accented Latin letters are no look-alikes: `café` is not a mixed word.)
_GREEK_CYRILLIC = "\u0370-\u052f"
_EDGE = f"[A-Za-z0-9][{_GREEK_CYRILLIC}]|[{_GREEK_CYRILLIC}][A-Za-z0-9]"
_MIXED_EDGE = re.compile(_EDGE)
_NEAR_ASCII_ALNUM = re2.compile(_EDGE)._regexp.Match
_UNANCHORED = re2._Anchor.UNANCHORED
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
    """NFKC per character, drop zero-width characters, fold dashes, spaces and digits. ASCII is
    free, and so is text that is already in NFKC with nothing to drop or fold (most prose in any
    script); otherwise ASCII runs are copied whole and only the other characters are mapped."""
    if text.isascii():
        return Normalized(text, None, None)
    data = text.encode("utf-8", "surrogatepass")
    size = len(data)
    near = _NEAR_ASCII_ALNUM(_UNANCHORED, data, 0, size)[0][0] >= 0
    mixed = _MIXED_EDGE.search(text) if near else None
    if (
        mixed is None
        and _SPECIAL(_UNANCHORED, data, 0, size)[0][0] < 0
        and unicodedata.is_normalized("NFKC", text)
    ):
        return Normalized(text, None, None)
    latin = _lookalikes_in_mixed_words(text, mixed)
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
        if i in latin:
            rep = LATIN_LOOKALIKES[ch]
        elif ch in _DASHES:
            rep = "-"
        elif ch in _SPACES:
            rep = " "
        elif ch in DIGITS:
            rep = DIGITS[ch]
        else:
            rep = unicodedata.normalize("NFKC", ch)
        for piece in rep:
            out.append(piece)
            starts.append(i)
            ends.append(i + 1)
    starts.append(len(text))
    return Normalized("".join(out), starts, ends)


def _lookalikes_in_mixed_words(text: str, edge: re.Match[str] | None) -> set[int]:
    """Positions of `LATIN_LOOKALIKES` in the words where ASCII letters or digits meet other
    letters (`edge`, then every later such place)."""
    found: set[int] = set()
    end = 0
    while edge is not None:
        start = edge.start()
        if start >= end:  # a word not read yet: from its first character to its last
            while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
                start -= 1
            end = edge.end()
            while end < len(text) and (text[end].isalnum() or text[end] == "_"):
                end += 1
            word = text[start:end]
            others = [ch for ch in word if not ch.isascii() and ch.isalpha()]
            # A Latin word with a look-alike in it, or a word spelled in look-alikes alone: not
            # the Russian tax-number label INN run into its number, in Cyrillic.
            if any(ch.isascii() and ch.isalpha() for ch in word) or all(
                ch in LATIN_LOOKALIKES for ch in others
            ):
                found.update(start + i for i, ch in enumerate(word) if ch in LATIN_LOOKALIKES)
        edge = _MIXED_EDGE.search(text, max(end, edge.end()))
    return found
