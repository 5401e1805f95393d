"""Payment cards, bank identifiers and crypto wallets: the issuer's layout as the validator and its
check (Luhn, mod 97, base58check, bech32) as the checksum, so a number that fails the check is
still reported, as "low". Bare digit runs (routing and account numbers, sort codes) need a label."""

from __future__ import annotations

import hashlib
import importlib.resources
import re
from collections import defaultdict
from collections.abc import Callable

from stdnum import bic, iban, luhn
from stdnum.us import rtn

from aigate.inspect.detectors.base import Detector, Validator, digits, located_by, run_located
from aigate.inspect.detectors.pii_national import CODE_JOINERS, labels, stdnum_valid

# Issuer prefixes (IIN ranges) of the major card networks, and their lengths.
_CARD_PREFIXES = (
    ("4", (16, 19)),  # Visa (13-digit cards are long gone; 13-digit ids are not)
    *((str(p), (16,)) for p in range(51, 56)),  # Mastercard
    *((str(p), (16,)) for p in range(2221, 2721)),
    ("34", (15,)),  # American Express
    ("37", (15,)),
    ("6011", (16, 19)),  # Discover
    ("65", (16, 19)),
    *((str(p), (16, 19)) for p in range(644, 650)),
    *((str(p), (16, 19)) for p in range(3528, 3590)),  # JCB
    ("36", (14,)),  # Diners Club
    ("300", (14,)),
    ("301", (14,)),
    ("305", (14,)),
    ("38", (14, 16)),
    ("62", (16, 17, 18, 19)),  # UnionPay
    *((str(p), (16,)) for p in range(2200, 2205)),  # Mir
    ("60", (16,)),  # RuPay
    ("508", (16,)),
    ("81", (16,)),
    ("82", (16,)),
    *((p, tuple(range(12, 20))) for p in ("5018", "5020", "5038", "6304", "6759")),  # Maestro
)


def _card_groups(value: str) -> bool:
    """Cards are printed in fours (the last group may be shorter) or, for 14 and 15 digits,
    as 4-6-4 and 4-6-5; "45474.73508864641" and "4.1.1.1..." are other numbers."""
    seps = {ch for ch in value if not ch.isdigit()}
    if not seps:
        return True
    if len(seps) > 1:  # "4111-1111 1111-1111" is not how people write a card
        return False
    sizes = [len(group) for group in value.split(seps.pop())]
    fours = all(n == 4 for n in sizes[:-1]) and 1 <= sizes[-1] <= 4
    return fours or sizes in ([4, 6, 4], [4, 6, 5])


# The lengths each issuer prefix allows, by prefix (one look-up per prefix length).
_CARD_LENGTHS: dict[str, set[int]] = defaultdict(set)
for _prefix, _lengths in _CARD_PREFIXES:
    _CARD_LENGTHS[_prefix].update(_lengths)
_CARD_PREFIX_SIZES = sorted({len(p) for p, _ in _CARD_PREFIXES})


def _card_shape(value: str) -> bool:
    """A known issuer prefix in one of its lengths, grouped the way cards are printed."""
    number = digits(value)
    if not _card_groups(value):
        return False
    size = len(number)
    return any(size in _CARD_LENGTHS.get(number[:n], ()) for n in _CARD_PREFIX_SIZES)


# Luhn's doubled digits with their digits summed (2 * 7 = 14 -> 5), by ASCII code.
_LUHN_DOUBLED = bytes(48) + bytes((0, 2, 4, 6, 8, 1, 3, 5, 7, 9)) + bytes(198)


def _luhn(value: str) -> bool:
    """python-stdnum's Luhn check, summed over the ASCII codes in C: the card checksum runs on
    every card-shaped number, and stdnum's generic version (any alphabet) cost ~4 us a call."""
    number = digits(value)
    if not number or not number.isascii():  # other scripts' digits: stdnum says no
        return luhn.is_valid(number)
    codes = number.encode()
    kept = codes[-1::-2]
    doubled = codes[-2::-2].translate(_LUHN_DOUBLED)
    return (sum(kept) - 48 * len(kept) + sum(doubled)) % 10 == 0


# (country, BBAN layout) of the SWIFT IBAN registry python-stdnum ships: `8!n10!n` is 8 digits
# then 10 (`a` letters, `c` letters or digits).
_IBAN_REGISTRY: list[tuple[str, str]] = re.findall(
    r'^([A-Z]{2}) .*?bban="([^"]+)"',
    importlib.resources.files("stdnum").joinpath("iban.dat").read_text(),
    re.MULTILINE,
)
_LAYOUT_PART = re.compile(r"([1-9][0-9]*)!([nac])")
_LAYOUT_CHARS = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Za-z0-9]"}


def _iban_lengths() -> dict[int, list[str]]:
    """Countries by BBAN length."""
    by_length: dict[int, list[str]] = defaultdict(list)
    for cc, bban in _IBAN_REGISTRY:
        by_length[sum(int(n) for n, _ in _LAYOUT_PART.findall(bban))].append(cc)
    return by_length


# Each country's IBAN has one length, so the pattern counts characters per country and a word
# in capitals after the number is never swallowed into it.
_IBAN = "|".join(
    f"(?:{'|'.join(ccs)})\\d{{2}}(?:[ -]?[A-Z0-9]){{{n}}}" for n, ccs in _iban_lengths().items()
)
# Each country's BBAN as python-stdnum's `iban.validate` matches it.
_BBAN = {
    cc: re.compile(
        "^" + _LAYOUT_PART.sub(lambda m: f"{_LAYOUT_CHARS[m[2]]}{{{m[1]}}}", bban) + "$"
    )
    for cc, bban in _IBAN_REGISTRY
}
_IBAN_SEPARATORS = str.maketrans("", "", " -")
_BASE36 = {ord(c): str(int(c, 36)) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def _iban_number(value: str) -> str | None:
    """The value as python-stdnum compacts it, when it is an IBAN's letters and digits with
    spaces or hyphens between them (as the pattern's matches are); None for anything else,
    which stdnum then reads itself (its Unicode clean-up, its errors)."""
    if not value.isascii():
        return None
    number = value.translate(_IBAN_SEPARATORS).upper()
    return number if 4 <= len(number) <= 64 and number.isalnum() else None


def _iban_mod97(value: str) -> bool:
    """ISO 13616's mod 97 over the country's layout. python-stdnum's per-country check also
    looks the bank up in the registry it bundles, which lags the banks (a Belgian IBAN of a
    bank code it does not list fails), so it is not asked for. What `iban.validate` checks, for
    a value the pattern matched, without its three passes of Unicode clean-up (~30 us)."""
    number = _iban_number(value)
    if number is None:
        try:
            return bool(iban.validate(value, check_country=False))
        except ValueError:
            return False
    layout = _BBAN.get(number[:2])
    return (
        int((number[4:] + number[:4]).translate(_BASE36)) % 97 == 1
        and layout is not None
        and layout.match(number[4:]) is not None
    )


def _iban_shape(value: str) -> bool:
    """The country's BBAN layout (the registry's letters and digits), whatever the check digits:
    python-stdnum's `validate` of the number with its check digits made right, which for a
    value the pattern matched is the layout alone (~100 us through stdnum)."""
    number = _iban_number(value)
    if number is not None:
        layout = _BBAN.get(number[:2])
        return layout is not None and layout.match(number[4:]) is not None
    number = iban.compact(value)
    fixed = number[:2] + iban.calc_check_digits(number) + number[4:]
    try:
        iban.validate(fixed, check_country=False)
    except ValueError:
        return False
    return True


_RTN_PREFIXES = {f"{n:02d}" for n in (*range(0, 13), *range(21, 33), *range(61, 73), 80)}


def _rtn_shape(value: str) -> bool:
    """The Federal Reserve district prefixes (00-12, 21-32 thrift, 61-72 electronic, 80)."""
    number = digits(value)
    return number[:2] in _RTN_PREFIXES and len(set(number)) > 2


_rtn_valid = stdnum_valid(rtn)


def _rtn(value: str) -> bool:
    return _rtn_valid(digits(value))


_ROUTING_LABELS = labels("routing", "aba", "rtn", "ach", "transit number", "abarouting")


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_XRP58 = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz"
_B58_CLASS = "[1-9A-HJ-NP-Za-km-z]"


def _has(text: str, kind: Callable[[str], bool]) -> bool:
    return any(map(kind, text))


def _b58decode(value: str, alphabet: str = _B58) -> bytes:
    number = 0
    for ch in value:
        number = number * 58 + alphabet.index(ch)
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    leading = len(value) - len(value.lstrip(alphabet[0]))
    return b"\0" * leading + raw


def _base58(versions: bytes, alphabet: str = _B58) -> tuple[Validator, Validator]:
    """(validator, checksum) of a base58check address: 25 bytes under one of `versions`; the
    last four are the double SHA-256 of the rest."""

    def shape(value: str) -> bool:
        body = value[1:]
        if not (_has(body, str.isdigit) and _has(body, str.isupper) and _has(body, str.islower)):
            return False  # "rightwardsArrowThroughGreaterthan" is a name, not an address
        raw = _b58decode(value, alphabet)
        return len(raw) == 25 and raw[0] in versions

    def check(value: str) -> bool:
        raw = _b58decode(value, alphabet)
        return hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()[:4] == raw[-4:]

    return shape, check


# --- Keccak-256 (the pre-standard SHA-3 Ethereum and Monero use; hashlib has only SHA3-256) ---

_KECCAK_RC = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)  # fmt: skip
_KECCAK_ROT = (
    (0, 36, 3, 41, 18), (1, 44, 10, 45, 2), (62, 6, 43, 15, 61), (28, 55, 25, 21, 56),
    (27, 20, 39, 8, 14),
)  # fmt: skip
_MASK64 = (1 << 64) - 1


def _rol(x: int, n: int) -> int:
    return ((x << n) | (x >> (64 - n))) & _MASK64 if n else x


def _keccak_f(a: list[list[int]]) -> None:
    for rc in _KECCAK_RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[x - 1] ^ _rol(c[(x + 1) % 5], 1) for x in range(5)]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = _rol(a[x][y] ^ d[x], _KECCAK_ROT[x][y])
        for x in range(5):
            for y in range(5):
                a[x][y] = b[x][y] ^ (~b[(x + 1) % 5][y] & b[(x + 2) % 5][y])
        a[0][0] ^= rc


def keccak256(data: bytes) -> bytes:
    """Keccak-256 with the original padding (0x01 ... 0x80), rate 136 bytes."""
    rate = 136
    padded = bytearray(data) + b"\x01" + bytes(-(len(data) + 1) % rate)
    padded[-1] |= 0x80
    state = [[0] * 5 for _ in range(5)]
    for offset in range(0, len(padded), rate):
        block = padded[offset : offset + rate]
        for i in range(rate // 8):
            state[i % 5][i // 5] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        _keccak_f(state)
    return b"".join(state[i % 5][i // 5].to_bytes(8, "little") for i in range(4))


def _eip55_mixed(value: str) -> bool:
    """Upper and lower case letters both: only then does the address carry EIP-55's check."""
    body = value[2:]
    return any(ch.isupper() for ch in body) and any(ch.islower() for ch in body)


def _eip55(value: str) -> bool:
    """EIP-55: a hex letter is upper case exactly where the Keccak-256 of the lower-case address
    has a nibble of 8 or more."""
    body = value[2:]
    digest = keccak256(body.lower().encode()).hex()
    return all(
        ch.isdigit() or ch.isupper() == (int(digest[i], 16) >= 8) for i, ch in enumerate(body)
    )


_MONERO_BLOCK = {0: 0, 2: 1, 3: 2, 5: 3, 6: 4, 7: 5, 9: 6, 10: 7, 11: 8}  # chars -> bytes
_MONERO_PREFIXES = {18, 19, 42}  # standard, integrated and sub-address on the main network


def _monero_decode(value: str) -> bytes | None:
    """Monero's base58: blocks of eleven characters for eight bytes, a shorter last block."""
    out = b""
    for start in range(0, len(value), 11):
        chunk = value[start : start + 11]
        size = _MONERO_BLOCK.get(len(chunk))
        if size is None:
            return None
        number = 0
        for ch in chunk:
            number = number * 58 + _B58.index(ch)
        if number >> (8 * size):
            return None
        out += number.to_bytes(size, "big")
    return out


def _monero_shape(value: str) -> bool:
    raw = _monero_decode(value)
    return raw is not None and raw[0] in _MONERO_PREFIXES and len(raw) in (69, 77)


def _monero_check(value: str) -> bool:
    """The last four bytes are the Keccak-256 of the rest (network byte and public keys)."""
    raw = _monero_decode(value)
    return raw is not None and keccak256(raw[:-4])[:4] == raw[-4:]


def _solana(value: str) -> bool:
    """A base58 ed25519 public key: 32 bytes, letters of both cases and digits."""
    if not (_has(value, str.isdigit) and _has(value, str.isupper) and _has(value, str.islower)):
        return False
    return len(_b58decode(value)) == 32


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _bech32_polymod(values: list[int]) -> int:
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i, gen in enumerate(_BECH32_GEN):
            if top >> i & 1:
                chk ^= gen
    return chk


def _segwit_shape(value: str) -> bool:
    """A witness version and a program of a length that version allows (BIP 173/350)."""
    data = value.lower().rpartition("1")[2]
    if any(ch not in _BECH32 for ch in data):
        return False
    version, size = _BECH32.index(data[0]), (len(data) - 7) * 5 // 8  # program bytes
    if version == 0:
        return size in (20, 32)
    return version <= 16 and 2 <= size <= 40


def _segwit_check(value: str) -> bool:
    """bech32 (witness version 0) or bech32m (version 1+) checksum over the human part and data."""
    hrp, _, data = value.lower().rpartition("1")
    values = [_BECH32.index(ch) for ch in data]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    return _bech32_polymod(expanded + values) == (1 if values[0] == 0 else 0x2BC830A3)


def _cardano_check(value: str) -> bool:
    """Shelley addresses are bech32 (not bech32m) with no length limit: the polymod is 1."""
    hrp, _, data = value.lower().rpartition("1")
    if any(ch not in _BECH32 for ch in data):
        return False
    values = [_BECH32.index(ch) for ch in data]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    return _bech32_polymod(expanded + values) == 1


def _crypto(
    base58: tuple[Validator, Validator], segwit_prefix: str | None = None
) -> dict[str, Validator]:
    """validator/checksum for a coin with base58check addresses and, maybe, segwit ones."""
    b58_shape, b58_check = base58

    def shape(value: str) -> bool:
        if segwit_prefix and value.lower().startswith(segwit_prefix):
            return _segwit_shape(value)
        return b58_shape(value)

    def check(value: str) -> bool:
        if segwit_prefix and value.lower().startswith(segwit_prefix):
            return _segwit_check(value)
        return b58_check(value)

    return {"validator": shape, "checksum": check}


_BECH32_CLASS = "[ac-hj-np-z02-9]"
_WALLET_LABELS = labels(
    "wallet",
    "address",
    "send",
    "pay to",
    "deposit",
    "withdraw",
    "withdrawal",
    "recipient",
    "public key",
    "pubkey",
    "transfer",
    "tx from",
    "tx to",
    "donation",
    "donations",
    "donate",
)
_ACCOUNT_LABELS = labels(
    "account number",
    "account no",
    "account #",
    "acct",
    "bank account",
    "checking account",
    "savings account",
    "a/c no",
    "a/c:",
    "a/c #",
)

_CA_BANK_LABELS = labels(
    "transit",
    "transit number",
    "institution number",
    "institution",
    "void cheque",
    "chèque annulé",
    "direct deposit",
    "numéro de transit",
    "numéro d'institution",
    "numéro de compte",
    "folio",
)

DETECTORS = (
    Detector(
        "credit_card",
        "financial",
        r"\b(?:\d[ .-]?){11,18}\d\b",
        _card_shape,
        checksum=_luhn,
        keep=(4, 4),
        boundary=frozenset("+/-"),  # +4915112345678 is a phone, /4981025180483584 a path
        source="https://en.wikipedia.org/wiki/Payment_card_number",
        description="Payment card number (issuer prefix and length; Luhn).",
    ),
    Detector(
        "card_cvv",
        "financial",
        r"\b\d{3,4}\b",
        context=labels("cvv", "cvv2", "cvc", "cvc2", "security code", "card verification", "csc"),
        context_required=True,
        keep=(0, 0),
        window=16,
        boundary=CODE_JOINERS,
        source="https://en.wikipedia.org/wiki/Card_security_code",
        description="Card security code after its label (CVV, CVC, security code).",
    ),
    Detector(
        "iban",
        "financial",
        rf"\b(?:{_IBAN})\b",
        _iban_shape,
        checksum=_iban_mod97,
        keep=(4, 2),
        source="https://en.wikipedia.org/wiki/International_Bank_Account_Number",
        description="International bank account number (country layout; mod 97).",
    ),
    # Grouped 4-4-1 (0210-0002-1), the routing number's Federal Reserve prefix and its 3-7-1
    # check stand without a label; nine bare digits do not.
    Detector(
        "aba_routing",
        "financial",
        r"\b\d{4}-\d{4}-\d\b",
        _rtn_shape,
        context=_ROUTING_LABELS,
        checksum=_rtn,
        regions=("US",),
        boundary=CODE_JOINERS,
        source="https://en.wikipedia.org/wiki/ABA_routing_transit_number",
        description="US bank routing number grouped 4-4-1 (Federal Reserve prefix, 3-7-1 check).",
    ),
    Detector(
        "aba_routing_compact",
        "financial",
        r"\b\d{9}\b",
        _rtn_shape,
        context=_ROUTING_LABELS,
        context_required=True,
        checksum=_rtn,
        regions=("US",),
        boundary=CODE_JOINERS,
        source="https://en.wikipedia.org/wiki/ABA_routing_transit_number",
        description="US bank routing number (Federal Reserve prefix, 3-7-1 check, with a label).",
    ),
    Detector(
        "bank_account_number",
        "financial",
        r"\b\d{7,17}\b|\b\d{4}[ -]\d{4}(?:[ -]\d{1,5}){1,2}\b",
        lambda value: len(set(digits(value))) > 2,
        context=_ACCOUNT_LABELS,
        context_required=True,
        keep=(0, 4),
        window=40,
        regions=("US", "GB", "CA", "AU", "NZ", "IN", "SG", "IE"),
        boundary=CODE_JOINERS,
        source="https://en.wikipedia.org/wiki/Bank_account",
        description="Bank account number after an English label (no public check digit).",
    ),
    Detector(
        "uk_sort_code",
        "financial",
        r"\b\d{2}-\d{2}-\d{2}\b|\b\d{2} \d{2} \d{2}\b|\b\d{6}\b",
        context=labels("sort code", "sort-code", "sortcode", "s/c"),
        context_required=True,
        window=40,
        regions=("GB", "IE"),
        boundary=CODE_JOINERS,
        source="https://en.wikipedia.org/wiki/Sort_code",
        description="UK/Irish bank sort code (with a label).",
    ),
    Detector(
        "au_bsb",
        "financial",
        r"\b\d{3}-?\d{3}\b",
        context=labels("bsb", "bank state branch"),
        context_required=True,
        window=40,
        regions=("AU",),
        boundary=CODE_JOINERS,
        source="https://en.wikipedia.org/wiki/Bank_state_branch",
        description="Australian bank-state-branch number (with a label).",
    ),
    Detector(
        "in_ifsc",
        "financial",
        r"\b[A-Z]{4}0[A-Z0-9]{6}\b",
        context=labels("ifsc", "ifs code", "neft", "rtgs", "imps"),
        context_required=True,
        regions=("IN",),
        boundary=CODE_JOINERS,
        source="https://en.wikipedia.org/wiki/Indian_Financial_System_Code",
        description="Indian Financial System Code of a bank branch (with a label).",
    ),
    Detector(
        "swift_bic",
        "financial",
        r"\b[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b",
        stdnum_valid(bic),  # a real ISO country code in places 5-6
        context=labels("swift", "bic", "swift code", "bic code", "swift/bic"),
        context_required=True,
        window=30,  # upper-case words (CUSTOMER, BENEFICIARY) share the shape
        source="https://en.wikipedia.org/wiki/ISO_9362",
        description="SWIFT/BIC bank code (ISO 9362, with a label).",
    ),
    Detector(
        "bitcoin_address",
        "financial",
        rf"\b(?:[13]{_B58_CLASS}{{25,34}}|bc1{_BECH32_CLASS}{{11,71}}|BC1[AC-HJ-NP-Z02-9]{{11,71}})\b",
        **_crypto(_base58(bytes([0x00, 0x05])), "bc1"),
        keep=(4, 4),
        source="https://en.bitcoin.it/wiki/Address",
        description="Bitcoin address (base58check, bech32 or bech32m checksum).",
    ),
    Detector(
        "litecoin_address",
        "financial",
        rf"\b(?:[LM]{_B58_CLASS}{{26,33}}|ltc1{_BECH32_CLASS}{{11,71}})\b",
        **_crypto(_base58(bytes([0x30, 0x32])), "ltc1"),
        keep=(4, 4),
        source="https://en.wikipedia.org/wiki/Litecoin",
        description="Litecoin address (base58check or bech32 checksum).",
    ),
    Detector(
        "dogecoin_address",
        "financial",
        rf"\b[DA9]{_B58_CLASS}{{33}}\b",
        **_crypto(_base58(bytes([0x1E, 0x16]))),
        keep=(4, 4),
        source="https://en.wikipedia.org/wiki/Dogecoin",
        description="Dogecoin address (base58check).",
    ),
    Detector(
        "tron_address",
        "financial",
        rf"\bT{_B58_CLASS}{{33}}\b",
        **_crypto(_base58(bytes([0x41]))),
        keep=(4, 4),
        source="https://developers.tron.network/docs/account",
        description="TRON address (base58check, version 0x41).",
    ),
    Detector(
        "ripple_address",
        "financial",
        rf"\br{_B58_CLASS}{{24,34}}\b",
        **_crypto(_base58(bytes([0x00]), _XRP58)),
        keep=(4, 4),
        source="https://xrpl.org/docs/concepts/accounts/addresses",
        description="XRP Ledger classic address (base58check in Ripple's alphabet).",
    ),
    # EIP-55 writes the address in mixed case as its checksum: so written, it needs no label.
    Detector(
        "ethereum_address",
        "financial",
        r"\b0x[0-9a-fA-F]{40}\b",
        _eip55_mixed,
        context=(*_WALLET_LABELS, *labels("eth", "ethereum", "erc20", "erc-20", "metamask")),
        checksum=_eip55,
        keep=(6, 4),
        source="https://eips.ethereum.org/EIPS/eip-55",
        description="Ethereum (EVM) address in EIP-55 mixed case (Keccak-256 case checksum).",
    ),
    Detector(
        "ethereum_address_labelled",
        "financial",
        r"\b0x[0-9a-fA-F]{40}\b",
        context=(
            *_WALLET_LABELS,
            *labels("eth", "ethereum", "erc20", "erc-20", "usdt", "usdc", "metamask"),
        ),
        context_required=True,
        first_start=located_by(r"0x[0-9a-fA-F]{40}"),  # "address" is common, 0x + 40 hex is not
        keep=(6, 4),
        source="https://ethereum.org/en/developers/docs/accounts/",
        description="Ethereum (EVM) address in one case, after a label (wallet, address, ETH).",
    ),
    # Monero's own base58 blocks, a network byte and a Keccak-256 checksum.
    Detector(
        "monero_address",
        "financial",
        rf"\b[48]{_B58_CLASS}{{94}}(?:{_B58_CLASS}{{11}})?\b",
        _monero_shape,
        context=(*_WALLET_LABELS, *labels("monero", "xmr")),
        checksum=_monero_check,
        keep=(4, 4),
        source="https://docs.getmonero.org/public-address/standard-address/",
        description="Monero address: standard, integrated or sub-address (Keccak-256 checksum).",
    ),
    # A Solana address is a bare ed25519 key in base58, with no checksum: it needs a label.
    Detector(
        "solana_address",
        "financial",
        rf"\b{_B58_CLASS}{{32,44}}\b",
        _solana,
        context=(*_WALLET_LABELS, *labels("solana", "sol", "phantom", "spl")),
        context_required=True,
        first_start=run_located(_B58, 32),
        keep=(4, 4),
        window=60,
        source="https://solana.com/docs/core/accounts",
        description="Solana address (a 32-byte base58 public key, with a label).",
    ),
    Detector(
        "cardano_address",
        "financial",
        rf"\b(?:addr1{_BECH32_CLASS}{{53,110}}|stake1{_BECH32_CLASS}{{53}})\b",
        context=(*_WALLET_LABELS, *labels("cardano", "ada")),
        checksum=_cardano_check,
        keep=(6, 4),
        source="https://cips.cardano.org/cip/CIP-0019",
        description="Cardano Shelley address (addr1..., stake1...; bech32 checksum).",
    ),
    # Canadian cheques: transit (branch) number, institution number, account number.
    Detector(
        "ca_bank_account",
        "financial",
        r"\b\d{7,12}\b",
        lambda value: len(set(value)) > 2,
        context=_CA_BANK_LABELS,
        context_required=True,
        keep=(0, 3),
        window=60,
        regions=("CA",),
        boundary=CODE_JOINERS,
        source="https://www.payments.ca/sites/default/files/standard006eng.pdf",
        description="Canadian bank account number near its transit and institution labels.",
    ),
    Detector(
        "ca_transit_number",
        "financial",
        r"\b\d{5}-?\d{3}\b|\b0\d{3}-?\d{5}\b",
        context=_CA_BANK_LABELS,
        context_required=True,
        window=60,
        regions=("CA",),
        boundary=CODE_JOINERS,
        source="https://www.payments.ca/sites/default/files/standard006eng.pdf",
        description="Canadian branch transit and institution number (12345-678 or 0678-12345, "
        "with a label).",
    ),
)
