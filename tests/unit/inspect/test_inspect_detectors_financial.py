import pytest
from aigate.inspect.detectors import financial
from inspect_helpers import b58check, hits, module_ids

CASES = {
    "credit_card": (
        [
            "card 4111 1111 1111 1111 exp 12/29",
            "5500-0000-0000-0004",
            "amex 378282246310005",
            "6011111111111117",
            "visa 4012888888881881.",
            "card 4111.1111.1111.1111 exp 12/29",  # dots between the groups
            "mc 5500.0000.0000.0004",
        ],
        [
            "order 4111 1111 1111 1112",  # fails Luhn
            "1234567812345678",  # fails Luhn and prefix
            "4111-1111 1111-1111",  # mixed separators
            "4111.1111 1111.1111",
            "release 4.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1",  # a version string, not a card
            "tracking 9400111899223344556677",  # too long
            "0000000000000000",
        ],
    ),
    "iban": (
        [
            "IBAN DE89 3704 0044 0532 0130 00",
            "GB82WEST12345698765432",
            "FR1420041010050500013M02606",
        ],
        ["DE89 3704 0044 0532 0130 01", "GB00WEST12345698765432", "XX89370400440532013000"],
    ),
    "aba_routing": (
        ["routing number 021000021", "ABA: 011000015"],
        ["routing number 021000022", "order 021000021 shipped"],
    ),
    "swift_bic": (
        ["SWIFT: DEUTDEFF", "bic code NWBKGB2L for the wire"],
        ["PASSWORD for the wire", "DEUTDEFF without context words", "swift QQQQQQQQ"],
    ),
    "bitcoin_address": (
        [
            "send to 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
        ],
        ["1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdz"],
    ),
    "litecoin_address": (
        [f"ltc {b58check(0x30)}", b58check(0x32, 3)],
        [b58check(0x00), "LQ" + "a" * 31],
    ),
    "dogecoin_address": ([f"doge {b58check(0x1E)}"], [b58check(0x1E)[:-1] + "z", "D" + "a" * 33]),
    "ethereum_address": (
        ["my ETH wallet 0x52908400098527886E0F7030069857D2E4169EE7"],
        ["commit 0x52908400098527886E0F7030069857D2E4169EE7 in the log", "0x1234"],
    ),
    "monero_address": (
        ["xmr: 4A8" + "a" * 92],
        ["4A8" + "a" * 92 + " without context"],
    ),
}


def test_every_detector_in_the_module_has_a_table():
    assert module_ids(financial) == set(CASES)


@pytest.mark.parametrize(
    ("detector", "text"), [(d, t) for d, (pos, _) in CASES.items() for t in pos]
)
def test_detects_positive_example(detector, text):
    assert hits(detector, text), f"{detector} missed {text!r}"


@pytest.mark.parametrize(
    ("detector", "text"), [(d, t) for d, (_, neg) in CASES.items() for t in neg]
)
def test_ignores_negative_example(detector, text):
    assert hits(detector, text) == []


def test_card_preview_keeps_first_and_last_four():
    from aigate.inspect.engine import Scanner

    (finding,) = Scanner(key=b"k").scan("pay with 4111 1111 1111 1111 please")
    assert finding.preview == "4111 **** **** 1111"
    assert "4111 1111" not in repr(finding)
