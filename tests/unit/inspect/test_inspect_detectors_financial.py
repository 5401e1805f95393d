import hashlib
import random

import pytest
from aigate.inspect.detectors import financial as module
from inspect_helpers import HEX, levels, rand
from test_inspect_detectors_pii_national import make, rows, run_row, table_rules

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_XRP = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def base58check(version: int, seed: int = 1, alphabet: str = _B58) -> str:
    rng = random.Random(seed)
    payload = bytes([version]) + bytes(rng.randrange(256) for _ in range(20))
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n, out = int.from_bytes(raw, "big"), ""
    while n:
        n, r = divmod(n, 58)
        out = alphabet[r] + out
    return alphabet[0] * (len(raw) - len(raw.lstrip(b"\0"))) + out


def segwit(hrp: str, version: int, size: int, seed: int = 1) -> str:
    """A segwit address: bech32 for version 0, bech32m after (BIP 173, BIP 350)."""
    rng = random.Random(seed)
    program = bytes(rng.randrange(256) for _ in range(size))
    bits = "".join(f"{b:08b}" for b in program)
    bits += "0" * (-len(bits) % 5)
    data = [version] + [int(bits[i : i + 5], 2) for i in range(0, len(bits), 5)]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    const = 1 if version == 0 else 0x2BC830A3
    polymod = module._bech32_polymod([*expanded, *data, 0, 0, 0, 0, 0, 0]) ^ const
    data += [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_BECH32[d] for d in data)


def b58(raw: bytes, alphabet: str = _B58) -> str:
    n, out = int.from_bytes(raw, "big"), ""
    while n:
        n, r = divmod(n, 58)
        out = alphabet[r] + out
    return alphabet[0] * (len(raw) - len(raw.lstrip(b"\0"))) + out


def bech32(hrp: str, raw: bytes) -> str:
    """Plain bech32 (checksum constant 1) of any length, as Cardano writes its addresses."""
    bits = "".join(f"{b:08b}" for b in raw)
    bits += "0" * (-len(bits) % 5)
    data = [int(bits[i : i + 5], 2) for i in range(0, len(bits), 5)]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    polymod = module._bech32_polymod([*expanded, *data, 0, 0, 0, 0, 0, 0]) ^ 1
    data += [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_BECH32[d] for d in data)


def eip55(seed: int = 1) -> str:
    body = rand(HEX, 40, seed)
    digest = module.keccak256(body.encode()).hex()
    return "0x" + "".join(
        ch.upper() if ch.isalpha() and int(digest[i], 16) >= 8 else ch for i, ch in enumerate(body)
    )


def monero(prefix: int = 18, seed: int = 1) -> str:
    """Network byte, spend and view keys, Keccak checksum; base58 in blocks of 8 bytes."""
    rng = random.Random(seed)
    raw = bytes([prefix]) + bytes(rng.randrange(256) for _ in range(64))
    raw += module.keccak256(raw)[:4]
    sizes = {8: 11, 5: 7}
    out = ""
    for i in range(0, len(raw), 8):
        block = raw[i : i + 8]
        n, chunk = int.from_bytes(block, "big"), ""
        for _ in range(sizes[len(block)]):
            n, r = divmod(n, 58)
            chunk = _B58[r] + chunk
        out += chunk
    return out


def random_bytes(n: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


def flip(value: str, alphabet: str) -> str:
    """The value with its last character changed (the checksum then fails)."""
    last = value[-1]
    return value[:-1] + (alphabet[1] if last == alphabet[0] else alphabet[0])


VISA = make("credit_card", "4### #### #### ###?")
VISA_BAD = make("credit_card", "4### #### #### ###?", valid=False)
MASTERCARD = make("credit_card", "5###-####-####-###?", seed=2)
AMEX = make("credit_card", "37## ###### ####?", seed=3)
DISCOVER = make("credit_card", "6011.####.####.###?", seed=4)
BARE = make("credit_card", "3528###########?", seed=5)
DE_IBAN = make("iban", "DE?? #### #### #### #### ##")
DE_IBAN_BAD = make("iban", "DE?? #### #### #### #### ##", valid=False)
GB_IBAN = make("iban", "GB??NWBK##############")
NL_IBAN = make("iban", "NL??ABNA##########")
ROUTING = make("aba_routing_compact", "02######?")
ROUTING_BAD = make("aba_routing_compact", "02######?", valid=False)
P2PKH, P2SH = base58check(0x00), base58check(0x05, 2)
SEGWIT, TAPROOT = segwit("bc", 0, 20), segwit("bc", 1, 32, 2)
LTC = base58check(0x30)
DOGE = base58check(0x1E)
TRON = base58check(0x41)
XRP = base58check(0x00, alphabet=_XRP)
ETH = eip55()
ETH_BAD = ETH[:2] + ETH[2:].swapcase()
XMR, XMR_SUB = monero(), monero(42, 2)
XMR_BAD = XMR[:-1] + ("A" if XMR[-1] != "A" else "B")
SOL = b58(bytes([7]) + random_bytes(31, 3))
ADA = bech32("addr", bytes([1]) + random_bytes(56, 4))
ADA_BAD = flip(ADA, _BECH32)
ROUTING_DASHED = make("aba_routing", "0210-####-?")
ROUTING_DASHED_BAD = make("aba_routing", "0210-####-?", valid=False)

CASES = {
    "credit_card": [
        (f"card «{VISA}» exp 12/29", "validated"),
        (f"«{MASTERCARD}»", "validated"),
        (f"amex «{AMEX}»", "validated"),
        (f"«{DISCOVER}» exp 01/30", "validated"),  # dots between the groups
        (f"jcb «{BARE}».", "validated"),
        ("card «4111 1111 1111 1111» exp 12/29", "validated"),  # the networks' test card
        (f"order «{VISA_BAD}» shipped", "low"),  # fails Luhn
        ("1234567812345678", None),  # no issuer prefix
        ("4111-1111 1111-1111", None),  # mixed separators
        ("release 4.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1", None),  # a version string
        ("tracking 9400111899223344556677", None),
        ("size 45474.73508864641 TiB", None),  # not grouped like a card
        ("feature/4981025180483584", None),  # an id in a path
        ("whatsapp +4915112345678", None),  # a phone number
    ],
    "card_cvv": [
        ("CVV: «381»", "context"),
        ("security code «4821» on the back", "context"),
        ("order 381 shipped", None),
        ("cid: 4821", None),  # a client id
        ("the CVV is printed on the back of the card; room 381", None),
    ],
    "iban": [
        (f"IBAN «{DE_IBAN}»", "validated"),
        (f"IBAN «{DE_IBAN}» THEN transfer", "validated"),  # the next word stays out
        (f"«{GB_IBAN}»", "validated"),
        (f"pay to «{NL_IBAN}» today", "validated"),
        (f"«{DE_IBAN_BAD}»", "low"),
        ("XX89370400440532013000", None),  # no such country
        (f"{DE_IBAN[:-3]}", None),  # too short for Germany
        ("GB82WEST123456987654", None),
        (f"IBAN «{DE_IBAN.replace(' ', '-')}»", "validated"),  # dashes between the groups
    ],
    "aba_routing": [
        (f"routing «{ROUTING_DASHED}»", "validated"),
        (f"wire via «{ROUTING_DASHED}»", "validated"),  # grouped 4-4-1: no label needed
        (f"«{ROUTING_DASHED_BAD}»", "low"),
        ("ref 9910-1234-5", None),  # no Federal Reserve prefix 99
    ],
    "aba_routing_compact": [
        (f"routing number «{ROUTING}»", "validated"),
        (f"ABA: «{ROUTING}»", "validated"),
        (f"routing «{ROUTING_BAD}»", "low"),
        (f"order {ROUTING} shipped", None),
        ("routing 999999999", None),
    ],
    "bank_account_number": [
        ("account number «48213907»", "context"),
        ("Acct: «4821-3907-55»", "context"),
        ("A/C no. «48213907»", "context"),
        ("order 48213907", None),
        ("Tullamore/Caragabal/Rockley 61253028", None),
        ("account number 11111111", None),
    ],
    "uk_sort_code": [
        ("sort code «20-45-77»", "context"),
        ("Sort code: «204577»", "context"),
        ("20-45-77", None),
    ],
    "au_bsb": [
        ("BSB «062-001»", "context"),
        ("BSB: «062001»", "context"),
        ("room 062-001", None),
    ],
    "in_ifsc": [
        ("IFSC «HDFC0001234»", "context"),
        ("NEFT to «SBIN0004821»", "context"),
        ("HDFC0001234", None),
        ("IFSC HDFC1001234", None),
    ],
    "swift_bic": [
        ("SWIFT: «DEUTDEFF»", "context"),
        ("bic code «NWBKGB2L» for the wire", "context"),
        ("SWIFT is the network the banks use; our CUSTOMER team", None),  # label too far
        ("PASSWORD for the wire", None),
        ("DEUTDEFF without context words", None),
        ("swift QQQQQQQQ", None),
    ],
    "bitcoin_address": [
        (f"send to «{P2PKH}»", "validated"),
        (f"«{P2SH}»", "validated"),
        (f"«{SEGWIT}»", "validated"),
        (f"«{TAPROOT}»", "validated"),  # bech32m
        (f"«{flip(P2PKH, _B58)}»", "low"),
        (f"«{flip(P2SH, _B58)}» and more text", "low"),
        (f"«{flip(SEGWIT, _BECH32)}»", "low"),
        (f"{P2PKH[:26]}", None),  # decodes to too few bytes
        (f"{SEGWIT}b", None),  # b is no bech32 character
    ],
    "litecoin_address": [
        (f"ltc «{LTC}»", "validated"),
        (f"«{base58check(0x32, 3)}»", "validated"),
        (f"«{segwit('ltc', 0, 20)}»", "validated"),
        (f"«{flip(LTC, _B58)}»", "low"),
        (base58check(0x00), None),
    ],
    "dogecoin_address": [
        (f"doge «{DOGE}»", "validated"),
        (f"«{base58check(0x16, 2)}»", "validated"),
        (f"«{flip(DOGE, _B58)}»", "low"),
        ("D" + "a" * 33, None),
    ],
    "tron_address": [
        (f"USDT (TRC20) to «{TRON}»", "validated"),
        (f"«{flip(TRON, _B58)}»", "low"),
        ("T" + "a" * 33, None),
    ],
    "ripple_address": [
        (f"XRP «{XRP}»", "validated"),
        (f"«{flip(XRP, _XRP)}»", "low"),
        ("r" + "a" * 30, None),
        ("rightwardsArrowThroughGreaterthan", None),  # a name: no digit in it
    ],
    "ethereum_address": [
        (f"tx from «{ETH}» still pending", "validated"),  # EIP-55's mixed case is its check
        (f"my ETH wallet «{ETH}»", "validated"),
        (f"«{ETH_BAD}»", "low"),
        (f"commit 0x{rand(HEX, 40, 2)} in the log", None),  # one case: no check to pass
        ("0x1234", None),
    ],
    "ethereum_address_labelled": [
        (f"send to «0x{rand(HEX, 40)}»", "context"),
        (f"my ETH wallet «0x{rand(HEX, 40, 3).upper()}»", "context"),
        (f"commit 0x{rand(HEX, 40, 2)} in the log", None),
        ("wallet 0x1234", None),
    ],
    "monero_address": [
        (f"xmr: «{XMR}»", "validated"),
        (f"is «{XMR_SUB}» the right address?", "validated"),  # a sub-address, 8...
        (f"«{XMR_BAD}»", "low"),
        ("4A8" + "a" * 92 + " in the text", None),  # decodes to no network byte
    ],
    "solana_address": [
        (f"my Phantom wallet «{SOL}»", "context"),
        (f"withdrawal address: «{SOL}»", "context"),
        (f"build {SOL} passed", None),  # no label: 44 base58 characters are many things
        ("wallet " + "A" * 43 + "1", None),
    ],
    "cardano_address": [
        (f"ADA to «{ADA}»", "validated"),
        (f"«{ADA}»", "validated"),
        (f"«{ADA_BAD}»", "low"),
        ("addr1" + "q" * 60 + "b", None),  # b is no bech32 character
    ],
    "ca_bank_account": [
        ("void cheque: transit 10472, institution 004, account «4718203»", "context"),
        ("numéro de transit 10472, numéro de compte «5029931847»", "context"),
        ("account 4718203", None),  # "account" alone also names cloud and shop accounts
        ("transit 10472, account 1111111", None),
    ],
    "ca_transit_number": [
        ("transit/institution «10472-004»", "context"),
        ("direct deposit to «0004-10472»", "context"),
        ("ticket 10472-004", None),
    ],
}


def test_every_detector_has_a_table():
    table_rules(CASES, module)


@pytest.mark.parametrize(("detector", "text", "want"), rows(CASES))
def test_table(detector, text, want):
    run_row(detector, text, want)


@pytest.mark.parametrize("d", module.DETECTORS, ids=lambda d: d.id)
def test_every_detector_names_its_source(d):
    assert d.source.startswith("https://") and d.description


def test_card_preview_keeps_first_and_last_four():
    from aigate.inspect.engine import Scanner

    (finding,) = Scanner([module.DETECTORS[0]], key=b"k").scan("pay with 4111 1111 1111 1111")
    assert finding.preview == "4111 **** **** 1111"
    assert "4111 1111" not in repr(finding)


def test_keccak_is_the_original_keccak_not_sha3():
    # the published Keccak-256 of the empty string; SHA3-256's is a7ffc6f8...
    assert module.keccak256(b"").hex().startswith("c5d2460186f7233c")
    assert module.keccak256(b"a" * 200) != module.keccak256(b"a" * 201)  # two blocks


def test_iban_layout_is_every_country_of_the_registry():
    assert len(module._iban_lengths()) >= 15
    assert levels("iban", "LC55HEMM000100010012001200023015") == [
        ("LC55HEMM000100010012001200023015", "validated")
    ]  # Saint Lucia, 32 characters: the registry's own example
