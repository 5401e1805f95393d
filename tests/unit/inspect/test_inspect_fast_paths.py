"""The scanner's helpers computed in C for ASCII input (digits, Luhn, previews, digests) give
what their plain versions give, on ASCII and on other scripts alike."""

import hashlib
import hmac
import random

import pytest
from aigate.inspect.detectors.base import _MASK, _skip_alnum, digits, preview
from aigate.inspect.detectors.financial import _luhn
from aigate.inspect.engine import Scanner
from stdnum import luhn

_CHARS = "0123456789 -./*_+=aZxé密²٣߁\n\x00\x7f"


def _values(seed: int, count: int, longest: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(_CHARS) for _ in range(rng.randrange(longest))) for _ in range(count)
    ]


def _plain_preview(value: str, keep: tuple[int, int]) -> str:
    head, tail = keep
    shown = value if len(value) <= 48 else value[:32]
    if shown is not value:
        tail = 0
    if sum(map(str.isalnum, shown)) <= head + tail + 2:
        head, tail = min(head, 1), 0
    first = min(head, len(shown))
    last = len(shown) - _skip_alnum(shown[::-1], tail)
    masked = shown[:first] + shown[first:last].translate(_MASK) + shown[last:]
    return masked if shown is value else f"{masked}...({len(value)} chars)"


def test_digits_keeps_what_str_isdigit_keeps():
    for value in _values(1, 20000, 30):
        assert digits(value) == "".join(filter(str.isdigit, value)), value


def test_the_card_checksum_is_stdnum_luhn():
    rng = random.Random(2)
    values = _values(3, 20000, 25)
    values += ["".join(rng.choice("0123456789") for _ in range(16)) for _ in range(20000)]
    valid = 0
    for value in values:
        assert _luhn(value) == luhn.is_valid(digits(value)), value
        valid += _luhn(value)
    assert valid > 1000  # the random numbers pass about one time in ten


@pytest.mark.parametrize("keep", [(0, 0), (2, 2), (4, 4), (0, 4), (4, 2), (1, 5)])
def test_preview_masks_as_the_plain_version_does(keep):
    for value in _values(4, 5000, 70):
        assert preview(value, keep) == _plain_preview(value, keep), value


@pytest.mark.parametrize("key_size", [0, 1, 32, 64, 65, 200])
def test_digest_is_hmac_sha256(key_size):
    key = bytes(range(key_size % 256)) * (key_size // 256 + 1)
    key = key[:key_size]
    scanner = Scanner([], key=key)
    for value in ["", "a", "sk-proj-3kd9x0qp2m7z", "é密码" * 30, "x" * 1000]:
        expected = hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]
        assert scanner.digest(value) == expected
