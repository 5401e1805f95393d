import pytest
from aigate.inspect.detectors import pii
from inspect_helpers import hits, module_ids

CASES = {
    "email": (
        ["contact jane.doe@acme-corp.io today", "J.Smith+ai@mail.co.uk"],
        ["user@example.com", "name@test.invalid", "not an email: jane@", "@handle on twitter"],
    ),
    "phone_e164": (
        ["call +44 20 7946 0958", "+1 415-555-2671", "whatsapp +4915112345678"],
        ["+1 000 000 0000", "version +1.2.3", "score +12"],
    ),
    "phone_national": (
        ["phone: (415) 555-2671", "call me at 415-555-2671"],
        ["order (415) 555-2671", "phone 555-0000", "call 12-34"],
    ),
    "passport_us": (["passport no. 912803456", "Passport: C03005988"], ["invoice 912803456"]),
    "passport_uk": (["UK passport 925076473"], ["ref 925076473"]),
    "passport_eu": (
        ["Reisepass C01X00T47", "passport 18AB12345", "passport YA1234567"],
        ["C01X00T47"],
    ),
    "passport_in": (["passport number J8369854"], ["J8369854 in stock"]),
    "passport_ca": (["Canadian passport AB123456"], ["part AB123456"]),
    "date_of_birth": (
        ["DOB: 04/12/1985", "born on 12 March 1979", "date of birth 1990-07-23"],
        ["meeting on 04/12/1985 about budgets", "due 2024-13-45 born", "1985"],
    ),
    "ipv4_address": (
        ["server at 203.0.113.7", "10.1.2.3"],
        ["0.0.0.0", "127.0.0.1", "1.2.3", "999.1.1.1"],  # noqa: S104 - text, not a bind
    ),
    "ipv6_address": (
        ["addr 2001:db8:85a3::8a2e:370:7334", "fe80:0:0:0:0:0:0:1"],
        ["12:30:45", "::1"],
    ),
    "mac_address": (
        ["mac 00:1A:2B:3C:4D:5E", "00-1a-2b-3c-4d-5e"],
        ["00:1A-2B:3C:4D:5E", "ff:ff:ff:ff:ff:ff"],
    ),
    "us_drivers_license": (
        ["driver's license D1234567", "DL number 123456789"],
        ["order D1234567"],
    ),
    "uk_driving_licence": (["MORGA753116SM9IJ"], ["MORGA713116SM9IJ"]),
}


def test_every_detector_in_the_module_has_a_table():
    assert module_ids(pii) == set(CASES)


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


def test_context_words_must_be_near_the_value():
    far = "passport " + "filler text " * 20 + "912803456"
    assert hits("passport_us", far) == []
