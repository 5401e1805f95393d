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
    "us_ssn": (
        ["SSN 219-09-9998", "536 90 4399"],
        ["078-05-1120", "000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "219-09 9998"],
    ),
    "us_ssn_compact": (["ssn: 219099998"], ["order 219099998", "ssn 000123456"]),
    "us_itin": (["ITIN 912-70-1234", "912 80 1234"], ["912-40-1234", "812-70-1234"]),
    "uk_nino": (["NI number AB 12 34 56 C", "JG103759A"], ["BG123456A", "AB123456E", "DA123456A"]),
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
    "es_dni": (["DNI 54362315K", "NIE X-2482300-W"], ["54362315A"]),
    "br_cpf": (["CPF 390.533.447-05"], ["390.533.447-06"]),
    "fr_nir": (["NIR 2 95 10 99 126 111 93"], ["2 95 10 99 126 111 94"]),
    "it_codice_fiscale": (["CF RCCMNL83S18D969H"], ["RCCMNL83S18D969A"]),
    "nl_bsn": (["BSN 111222333"], ["BSN 111222334", "order 111222333"]),
    "in_aadhaar": (["Aadhaar 2341 2341 2346"], ["Aadhaar 2341 2341 2347", "2341 2341 2346"]),
    "ca_sin": (["SIN 130 692 544"], ["SIN 130 692 545", "130 692 544"]),
    "au_tfn": (["TFN 123 456 782"], ["TFN 123 456 783", "123 456 782"]),
    "de_tax_id": (["Steuer-ID 36 574 261 809"], ["Steuer-ID 36 574 261 808", "36574261809"]),
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
