"""National identification, tax, health-insurance and company numbers: what their detectors share.

The detectors live in one module per region (pii_national_americas, pii_national_europe_west,
pii_national_europe_south, pii_national_nordic, pii_national_europe_east,
pii_national_asia_pacific, pii_national_africa_middle_east). Each number is read the same way:
- `validator`: the number's structure apart from its check digits (length, alphabet, embedded
  birth date, region or office code). A value without it is not this number at all;
- `checksum`: the issuer's check (python-stdnum's `is_valid`, or a check written out in the region
  module where stdnum has none). A pass is "validated", a fail is "low" (reported, not blocked);
- `context`: label words in the country's own languages and in English. A bare run of digits that
  many other things share (nine to thirteen digits) needs one nearby (`context_required`); a shape
  only the issuer prints (a check letter, a century sign, fixed separators around a birth date,
  the issuer's own grouping such as 36 574 261 809 or 123-456-32-18) stands on its checksum
  alone. Where a number has both, `<id>` reads the printed form without a label and
  `<id>_compact` the run of digits after one; `alone()` keeps a printed form found inside a
  longer run of groups (an IBAN, a card number) from being read.
- `typed`: a value that is one straight run or one repeated digit is someone's sample, not a
  number an issuer assigned; any other value is judged by its checksum.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import ModuleType
from typing import Any

from stdnum.exceptions import InvalidChecksum, ValidationError

from aigate.inspect.detectors.base import Detector, Validator, digits

_ERRORS = (ValidationError, ValueError, KeyError, IndexError, TypeError)


def stdnum_valid(module: ModuleType, **options: Any) -> Validator:
    """The issuer's full check as python-stdnum implements it (`module.is_valid`)."""

    def check(value: str) -> bool:
        try:
            return bool(module.is_valid(value, **options))
        except _ERRORS:  # a few validators raise on odd input instead of answering False
            return False

    return check


_RUNS = ("01234567890123456789", "98765432109876543210")


def typed(value: str) -> bool:
    """A number someone typed as a sample, not one an issuer assigned: six or more digits that
    are one straight run (123456789, 987654321), at most two distinct digits (000000000,
    121212121), or eight and more digits that only rise or only fall (111-22-3333). A number
    that merely contains a run (12345678903) is judged by its check digits like any other."""
    d = digits(value)
    if len(d) < 6:
        return False
    if len(d) >= 8 and (list(d) == sorted(d) or list(d) == sorted(d, reverse=True)):
        return True  # 111-22-3333, 11223344
    return len(set(d)) <= 2 or any(d in run for run in _RUNS)


def not_typed(value: str) -> bool:
    return not typed(value)


def holds(*parts: Callable[[str], object]) -> Validator:
    """True when the value is no typed sample and every part accepts it without raising
    (stdnum's `get_birth_date`, `get_birth_place`, ...): the structure a shape-alike lacks."""

    def check(value: str) -> bool:
        if typed(value):
            return False
        try:
            for part in parts:
                part(value)
        except _ERRORS:
            return False
        return True

    return check


def stdnum_layout(module: ModuleType, **options: Any) -> Validator:
    """For numbers without a check digit: stdnum's `is_valid` tests only their layout (a real
    date, a known region), which is then the validator. Typed samples are refused."""
    valid = stdnum_valid(module, **options)

    def check(value: str) -> bool:
        return not typed(value) and valid(value)

    return check


def stdnum_shape(module: ModuleType, *parts: Callable[[str], object], **options: Any) -> Validator:
    """True when stdnum finds nothing wrong with the value except perhaps its check digits, and
    every one of `parts` accepts it (for modules that test the check digit before the date)."""
    rest = holds(*parts)

    def check(value: str) -> bool:
        try:
            module.validate(value, **options)
        except InvalidChecksum:
            pass
        except _ERRORS:
            return False
        return rest(value)

    return check


def official(
    module: ModuleType, *parts: Callable[[str], object], strip: str = "", **options: Any
) -> dict[str, Validator]:
    """`validator` and `checksum` keywords for a Detector from one python-stdnum module;
    `strip` names separators stdnum does not remove itself (the dots of 12.345.678-Z)."""
    validator = stdnum_shape(module, *parts, **options)
    checksum = stdnum_valid(module, **options)
    if not strip:
        return {"validator": validator, "checksum": checksum}
    table = str.maketrans("", "", strip)
    return {
        "validator": lambda value: validator(value.translate(table)),
        "checksum": lambda value: checksum(value.translate(table)),
    }


# The engine finds a context word where a word starts but lets it run on, so "sin" would be
# found in "single" and "nin" in "nine". A short ASCII label is therefore listed once with each
# character that can end it in a label ("SIN:", "SIN#", "(SIN)", "SIN no", "sin-nr").
_SHORT = 4
_ENDINGS = " :#.,;)(]/-=_'\"\n\t"


def labels(*words: str) -> tuple[str, ...]:
    """Context words, lower-case; short ASCII words spelled out with the endings above."""
    out: list[str] = []
    for word in words:
        word = word.lower()
        if len(word) <= _SHORT and word.isascii() and word.isalpha():
            out.extend(word + end for end in _ENDINGS)
        else:
            out.append(word)
    return tuple(dict.fromkeys(out))


# A group of a grouped number: up to nine letters and digits, at least one a digit.
_GROUP = r"[0-9A-Z]{0,4}\d[0-9A-Z]{0,4}"


def alone(pattern: str) -> str:
    """`pattern` as the value (group `v`) only when no other group of digits stands right
    before or after it, one space away: four groups inside an IBAN (IE29 AIBK 9311 5212 3456
    79) or a longer grouped number are then matched whole, with no value, and set aside."""
    core = f"(?:{pattern})"
    return (
        rf"(?:\b{_GROUP} )+{core}(?: {_GROUP}\b)*"
        rf"|{core}(?: {_GROUP}\b)+"
        rf"|(?P<v>{core})"
    )


# A value glued to a longer code by a dash or a slash (a part number, a path, a UUID's last group)
# is part of that code, not an identity number.
CODE_JOINERS = frozenset("-/")


def standalone(*detectors: Detector) -> tuple[Detector, ...]:
    """The detectors, none of them reading a value that touches a dash or a slash."""
    return tuple(dataclasses.replace(d, boundary=d.boundary | CODE_JOINERS) for d in detectors)
