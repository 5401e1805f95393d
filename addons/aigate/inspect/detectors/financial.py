"""Payment cards, bank identifiers and crypto wallets: shapes plus the checksums that separate a
real number from an order number or a hash."""

from __future__ import annotations

import hashlib

from stdnum import bic, bitcoin, iban, luhn
from stdnum.exceptions import ValidationError
from stdnum.us import rtn

from aigate.inspect.detectors.base import Detector, digits

# Issuer prefixes (IIN ranges) of the major card networks, and their lengths.
_CARD_PREFIXES = (
    ("4", (13, 16, 19)),
    *((str(p), (16,)) for p in range(51, 56)),
    *((str(p), (16,)) for p in range(2221, 2721)),
    ("34", (15,)),
    ("37", (15,)),
    ("6011", (16, 19)),
    ("65", (16, 19)),
    *((str(p), (16, 19)) for p in range(644, 650)),
    *((str(p), (16, 19)) for p in range(3528, 3590)),
    ("36", (14,)),
    ("300", (14,)),
    ("301", (14,)),
    ("305", (14,)),
    ("38", (14, 16)),
    ("62", (16, 17, 18, 19)),
)


def _card(value: str) -> bool:
    number = digits(value)
    seps = {ch for ch in value if not ch.isdigit()}
    if len(seps) > 1:  # "4111-1111 1111-1111" is not how people write a card
        return False
    if seps == {"."} and any(len(group) < 3 for group in value.split(".")):
        return False  # "4.1.1.1..." is a version string; dotted cards come in groups
    if not any(number.startswith(p) and len(number) in lens for p, lens in _CARD_PREFIXES):
        return False
    return luhn.is_valid(number)


def _iban(value: str) -> bool:
    return iban.is_valid(value)


def _rtn(value: str) -> bool:
    return rtn.is_valid(value) and value[:2] in _RTN_PREFIXES


_RTN_PREFIXES = {f"{n:02d}" for n in (*range(0, 13), *range(21, 33), *range(61, 73), 80)}


def _bic(value: str) -> bool:
    return bic.is_valid(value)


def _bitcoin(value: str) -> bool:
    try:
        return bitcoin.is_valid(value)
    except ValidationError:
        return False


def _base58check(versions: bytes):
    def check(value: str) -> bool:
        try:
            raw = bitcoin.b58decode(value)
        except (KeyError, ValueError):
            return False
        if len(raw) != 25 or raw[0] not in versions:
            return False
        body, checksum = raw[:-4], raw[-4:]
        return hashlib.sha256(hashlib.sha256(body).digest()).digest()[:4] == checksum

    return check


_B58 = "[1-9A-HJ-NP-Za-km-z]"

DETECTORS = (
    Detector(
        "credit_card",
        "financial",
        r"\b(?:\d[ .-]?){12,18}\d\b",
        _card,
        confidence="validated",
        keep=(4, 4),
        description="Payment card number (issuer prefix, length and Luhn checksum).",
    ),
    Detector(
        "iban",
        "financial",
        r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b",
        _iban,
        confidence="validated",
        keep=(4, 2),
        description="International bank account number (country length and mod-97).",
    ),
    Detector(
        "aba_routing",
        "financial",
        r"\b\d{9}\b",
        _rtn,
        context=("routing", "aba", "rtn", "bank", "ach routing", "transit"),
        context_required=True,
        confidence="pattern",
        description="US bank routing number (checksum, with context).",
    ),
    Detector(
        "swift_bic",
        "financial",
        r"\b[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b",
        _bic,
        context=("swift", "bic", "bank", "wire", "iban"),
        context_required=True,
        confidence="pattern",
        description="SWIFT/BIC bank code (with context).",
    ),
    Detector(
        "bitcoin_address",
        "financial",
        r"\b(?:[13]" + _B58 + r"{25,34}|bc1[ac-hj-np-z02-9]{11,71})\b",
        _bitcoin,
        keep=(4, 4),
        description="Bitcoin address (base58check or bech32 checksum).",
    ),
    Detector(
        "litecoin_address",
        "financial",
        r"\b[LM]" + _B58 + r"{26,33}\b",
        _base58check(bytes([0x30, 0x32])),
        keep=(4, 4),
        description="Litecoin address (base58check).",
    ),
    Detector(
        "dogecoin_address",
        "financial",
        r"\bD" + _B58 + r"{33}\b",
        _base58check(bytes([0x1E])),
        keep=(4, 4),
        description="Dogecoin address (base58check).",
    ),
    Detector(
        "ethereum_address",
        "financial",
        r"\b0x[0-9a-fA-F]{40}\b",
        context=("eth", "ethereum", "wallet", "erc20", "address", "send", "usdt", "metamask"),
        context_required=True,
        confidence="pattern",
        keep=(6, 4),
        description="Ethereum address (with context; EIP-55 needs keccak, not in hashlib).",
    ),
    Detector(
        "monero_address",
        "financial",
        r"\b4[0-9AB]" + _B58 + r"{93}\b",
        context=("monero", "xmr", "wallet"),
        context_required=True,
        confidence="pattern",
        keep=(4, 4),
        description="Monero address (with context).",
    ),
)
