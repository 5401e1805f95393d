"""Shared test helpers: scan with one detector, and generators for checksummed values."""

from __future__ import annotations

import hashlib
import random
import string
from functools import cache

from aigate.inspect.detectors import builtin
from aigate.inspect.detectors.secrets_code import crc_checksum
from aigate.inspect.engine import Scanner

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


@cache
def single(detector_id: str) -> Scanner:
    (detector,) = [d for d in builtin() if d.id == detector_id]
    return Scanner([detector], key=b"test")


def hits(detector_id: str, text: str) -> list[str]:
    """The values one detector finds in `text` at confidence `pattern` or above."""
    return [text[f.start : f.end] for f in single(detector_id).scan(text) if f.confidence != "low"]


def levels(detector_id: str, text: str) -> list[tuple[str, str]]:
    """(value, confidence) of every finding of one detector in `text`, `low` ones included."""
    return [(text[f.start : f.end], f.confidence) for f in single(detector_id).scan(text)]


def module_ids(module) -> set[str]:
    return {d.id for d in module.DETECTORS}


def github_token(prefix: str, seed: int = 1) -> str:
    rng = random.Random(seed)
    body = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(30))
    return f"{prefix}_{body}{crc_checksum(body)}"


def b58check(version: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    payload = bytes([version]) + bytes(rng.randrange(256) for _ in range(20))
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n = int.from_bytes(raw, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def rand(chars: str, n: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(chars) for _ in range(n))


ALNUM = string.ascii_letters + string.digits
_FULLWIDTH = str.maketrans("0123456789", "".join(chr(0xFF10 + i) for i in range(10)))


def fullwidth(text: str) -> str:
    """ASCII digits as their full-width look-alikes (U+FF10..U+FF19)."""
    return text.translate(_FULLWIDTH)


HEX = "0123456789abcdef"
