"""Contact details, phone numbers by region, dates of birth, network identifiers, postal codes:
one table per detector of (text, expected confidence) positives and negatives (no finding at
all), plus values that keep their shape but fail their check (reported `low`)."""

import datetime
import random

import pytest
from aigate.inspect.detectors import pii
from aigate.inspect.engine import Scanner
from aigate.inspect.result import CONFIDENCE_RANK
from inspect_helpers import hits, levels, module_ids, rand
from stdnum import luhn

LOWER = "abcdefghijklmnopqrstuvwxyz"
NEXT_YEAR = datetime.date.today().year + 1


def imei_with_check(body: str) -> str:
    return body + luhn.calc_check_digit(body)


def iccid(seed: int = 3) -> str:
    body = "8944" + rand("0123456789", 14, seed)
    return body + luhn.calc_check_digit(body)


IMEI = imei_with_check("35209900176148")
ICCID = iccid()
BAD_ICCID = ICCID[:-1] + str((int(ICCID[-1]) + 1) % 10)
NAME = rand(LOWER, 7, 11)

# detector -> ([(text, confidence)], [text with no finding])
CASES = {
    "email": (
        [
            (f"contact {NAME}.doe@acme-corp.io today", "validated"),
            ("J.Smith+ai@mail.co.uk", "validated"),
            ("écrivez à marie.dupont@orange.fr", "validated"),
        ],
        [
            "user@example.com",
            "name@test.invalid",
            "not an email: jane@",
            "@handle on twitter",
            "retina logo@2x.png",  # a file name, .png is no public suffix
            "ssh to admin@db.internal",  # no public suffix
            "git@github.com:org/repo.git",  # an SSH remote, not a mailbox
            "send it to your.email@gmail.com",
            "xxxx@acme-corp.io",
        ],
    ),
    "phone_e164": (
        [
            ("call +44 20 7946 0958", "validated"),
            ("+1 415-555-2671", "validated"),
            ("whatsapp +4915112345678", "validated"),
            ("+44 (0)20 7946 0958 is the office", "validated"),
            ("+63 917 123 4567", "validated"),
        ],
        ["version +1.2.3", "score +12", "+49 12"],
    ),
    "phone_national": (
        [
            ("phone: (415) 555-2671", "validated"),
            ("Tel.: 0917 123 4567", "validated"),
            ("Handy 0151 12345678", "validated"),
            ("Telefon: 0049 30 1234567", "validated"),
            ("teléfono 612 345 678", "validated"),  # Spain writes no trunk prefix
            ("tel: 09876543210", "validated"),  # India, ungrouped
            ("Cep telefonu: 0532 1234567", "validated"),
            ("mobiel 06-12345678", "validated"),
            ("Portable : 06 12 34 56 78", "validated"),
            ("call me at 0207 946 0018", "validated"),  # grouped oddly, but labelled
        ],
        [
            "order (415) 555-2671",  # no label
            "phone 555-0000",  # too few distinct digits
            "tel 12.03.1985",  # a date
            "call 12-34",
            "phone +44 20 7946 0958",  # international: phone_e164's
            "Endless Mobile, Inc 2016-2020",  # years, valid as a Danish number if read so
        ],
    ),
    "phone_national_formatted": (
        [
            ("0917 123 4567", "validated"),  # Philippines
            ("ring 0532 123 45 67 tonight", "validated"),  # Turkey
            ("020 7946 0018", "validated"),  # UK
            ("030 1234567", "validated"),  # Germany
            ("(415) 555-0132", "validated"),  # US
            ("415.555.0132", "validated"),
            ("06 12 34 56 78", "validated"),  # France
            ("03-1234-5678", "validated"),  # Japan
            ("010-1234-5678", "validated"),  # Korea
            ("0412 345 678", "validated"),  # Australia
            ("dial 0049 30 1234567", "validated"),  # 00 international prefix
        ],
        [
            "06.12.2024",  # a date
            "0207 946 0018",  # not how London groups its numbers: needs a label
            "order 0123-4567-89",
            "version 2.14.0 released 2024-05-01",
            "Invoice INV-482913 line 12",
            "It costs $1234.56 per seat",
            "Room 204 is booked from 10:00 to 11:30",
            "ISBN 978-3-16-148410-0",
            "0.5 0.25 0.125",
        ],
    ),
    "date_of_birth": (
        [
            ("DOB: 04/12/1985", "context"),
            ("born on 12 March 1979", "context"),
            ("date of birth 1990-07-23", "context"),
            ("dob 04/12/85", "context"),
            ("Date of birth: March 12th, 1985", "context"),
            ("Geburtsdatum: 12. März 1985", "context"),
            ("geb. 03.11.1962 in Köln", "context"),
            ("date de naissance : 1er mars 1985", "context"),
            ("né le 14 juillet 1989", "context"),
            ("fecha de nacimiento: 12 de marzo de 1985", "context"),
            ("data di nascita 05/06/1971", "context"),
            ("data de nascimento 23/09/1994", "context"),
            ("geboortedatum 17-02-1966", "context"),
            ("födelsedatum 1958-04-30", "context"),
            ("syntymäaika 12.10.1977", "context"),
            ("data urodzenia: 8 maja 1990", "context"),
            ("doğum tarihi 29.02.1988", "context"),
            ("生年月日 1985年3月12日", "context"),
            ("생년월일 1992년 7월 4일", "context"),
            ("дата рождения 01.02.1983", "context"),
        ],
        [
            "meeting on 04/12/1985 about budgets",  # no label
            "due 2024-13-45 born",  # no such month
            "DOB 31/02/1985",  # no 31 February
            "doğum tarihi 29.02.1987",  # 1987 was no leap year
            f"born 12/03/{NEXT_YEAR}",  # in the future
            "born 12 March 1850",  # beyond a lifetime
            "1985",
        ],
    ),
    "ipv4_address": (
        [("server at 203.0.113.7", "context"), ("10.1.2.3", "pattern")],
        [
            "0.0.0.0",  # noqa: S104 - text, not a bind
            "127.0.0.1",
            "1.2.3",
            "999.1.1.1",
            "see section 3.1.5.2 of the server spec",  # single-digit parts: a section number
            "SYNTAX 1.3.6.1.4.1.1466.115.121.1.40",  # an OID
            "Windows 10.0.19041.1",
        ],
    ),
    "ipv6_address": (
        [("addr 2001:db8:85a3::8a2e:370:7334", "context"), ("fe80:0:0:0:0:0:0:1", "pattern")],
        ["12:30:45", "::1", "use Cafe::Face and dead::beef", "every other: values[1::2]"],
    ),
    "mac_address": (
        [
            ("mac 00:1A:2B:3C:4D:5E", "context"),
            ("00-1a-2b-3c-4d-5e", "pattern"),
            ("bssid 0012.3456.789a", "context"),
        ],
        [
            "00:1A-2B:3C:4D:5E",
            "ff:ff:ff:ff:ff:ff",
            "build 1234.5678.9012",
            "SHA1 Fingerprint DB:45:3D:1B:B0:1A:F3:23:10:6B:DE:D0:09:61:57:2A",
        ],
    ),
    "imei": (
        [(f"IMEI {IMEI}", "validated"), ("imei: 35-209900-176148-1", "validated")],
        [f"serial {IMEI}", "IMEI 3520990017"],
    ),
    "iccid": (
        [(f"ICCID {ICCID}", "validated"), (f"SIM card number: {ICCID}", "validated")],
        [f"tracking {ICCID}", "iccid 12345678901234567890"],
    ),
    "uk_postcode": (
        [
            ("SW1A 1AA", "pattern"),
            ("deliver to 10 Downing St, London SW1A 2AA", "context"),
            ("postcode: M1 1AE", "context"),
            ("Birmingham B33 8TH", "pattern"),
        ],
        ["SW1A1AA", "QA1 1AA", "M1 1CI", "ABC 123"],
    ),
    "us_zip_code": (
        [("zip code 94103", "context"), ("ZIP: 10001-1234", "context")],
        ["order 94103", "94103 items shipped", "zip 1234"],
    ),
    "ca_postal_code": (
        [("K1A 0B1", "pattern"), ("code postal : H3Z 2Y7", "context")],
        ["D1A 0B1", "K1A0B1", "K1A 0B"],
    ),
    "de_postal_code": (
        [("Anschrift: Hauptstraße 5, 10115 Berlin", "context"), ("PLZ 80331", "context")],
        ["Bestellung 10115", "PLZ 00999", "Hauptstraße 5, 10115 Berlin"],
    ),
    "fr_postal_code": (
        [("adresse : 12 rue de Rivoli, 75001 Paris", "context"), ("code postal 13002", "context")],
        ["commande 75001", "code postal 99123"],
    ),
    "nl_postcode": (
        [("adres: Damrak 1, 1012 LG Amsterdam", "context"), ("postcode 3511AB", "context")],
        ["1012 LG Amsterdam", "adres 1024 MB", "postcode 0123 AB"],
    ),
    "in_pin_code": (
        [("PIN code 110001", "context"), ("pincode: 560 034", "context")],
        ["order 110001", "pin code 012345"],
    ),
    "jp_postal_code": (
        [("〒100-0001 東京都千代田区", "context"), ("郵便番号 150-0002", "context")],
        ["call 100-0001", "〒100-00012"],
    ),
    "br_cep": (
        [("CEP 01310-100", "context"), ("endereço: Av. Paulista, 01310-200", "context")],
        ["pedido 01310-100", "CEP 013100-100"],
    ),
}

# Values that keep the detector's shape but fail its check: reported `low`, never dropped.
LOW = {
    "phone_e164": "call +1 000 000 0000",
    "phone_national": "phone: 0000 123 4567",
    "imei": "IMEI 35-209900-176148-2",
    "iccid": f"ICCID {BAD_ICCID}",
}


def test_every_detector_in_the_module_has_a_table():
    assert module_ids(pii) == set(CASES)


def test_every_detector_has_a_source_and_a_description():
    for d in pii.DETECTORS:
        assert d.source.startswith("https://"), d.id
        assert d.description, d.id


@pytest.mark.parametrize(
    ("detector", "text", "confidence"),
    [(d, t, c) for d, (pos, _) in CASES.items() for t, c in pos],
)
def test_detects_positive_example(detector, text, confidence):
    found = levels(detector, text)
    assert found, f"{detector} missed {text!r}"
    assert max((level for _, level in found), key=CONFIDENCE_RANK.get) == confidence, found


@pytest.mark.parametrize(
    ("detector", "text"), [(d, t) for d, (_, neg) in CASES.items() for t in neg]
)
def test_ignores_negative_example(detector, text):
    assert levels(detector, text) == []


@pytest.mark.parametrize(("detector", "text"), sorted(LOW.items()))
def test_a_value_failing_its_check_is_reported_low(detector, text):
    assert [level for _, level in levels(detector, text)] == ["low"]
    assert hits(detector, text) == []


def test_context_words_must_be_near_the_value():
    far = "date of birth " + "filler text " * 10 + "04/12/1985"
    assert levels("date_of_birth", far) == []


def scanner(regions):
    return Scanner.from_config(
        enabled={"phone_national", "phone_national_formatted"}, regions=regions, key=b"k"
    )


def found(scanner, text):
    return [(f.detector, f.confidence) for f in scanner.scan(text)]


def test_national_phone_is_validated_only_for_the_configured_regions():
    text = "ring 0532 123 45 67 tonight"  # a Turkish mobile
    assert found(scanner({"TR"}), text) == [("phone_national_formatted", "validated")]
    assert found(scanner({"TR", "DE"}), text) == [("phone_national_formatted", "validated")]
    # read for Germany only, the Turkish grouping is no German number: shape only, `low`
    assert found(scanner({"DE"}), text) == [("phone_national_formatted", "low")]
    assert found(scanner(None), text) == [("phone_national_formatted", "validated")]


def test_labelled_phone_needs_a_valid_number_in_a_configured_region():
    text = "Tel.: 0917 123 4567"  # a Philippine mobile
    assert ("phone_national", "validated") in found(scanner({"PH"}), text)
    assert found(scanner({"FR"}), text) == [("phone_national", "low")]


def test_phone_detectors_are_skipped_for_regions_they_do_not_cover():
    assert Scanner.from_config(enabled={"phone_national"}, regions={"XX"}).detectors == ()


def test_phone_regions_are_all_known_to_phonenumbers():
    import phonenumbers

    assert set(pii.PHONE_REGIONS) <= phonenumbers.SUPPORTED_REGIONS


def test_date_of_birth_reads_both_day_month_orders():
    assert hits("date_of_birth", "DOB 12/31/1985") == ["12/31/1985"]  # US month first
    assert hits("date_of_birth", "DOB 31/12/1985") == ["31/12/1985"]


def test_random_grouped_digits_are_rarely_phones():
    """Order numbers, amounts and ids in phone-like groups: few read as a formatted number."""
    rng = random.Random(5)
    texts = [
        f"ref {rng.randrange(1000, 9999)}-{rng.randrange(100, 999)}-{rng.randrange(10, 99)}"
        for _ in range(200)
    ]
    flagged = [t for t in texts if hits("phone_national_formatted", t)]
    assert len(flagged) <= 2, flagged


@pytest.mark.parametrize("detector", sorted(CASES))
def test_python_re_fallback_finds_the_same(detector):
    (d,) = [d for d in pii.DETECTORS if d.id == detector]
    fast, slow = Scanner([d], key=b"k"), Scanner([d], key=b"k", engine="re")
    for text, _ in CASES[detector][0]:
        assert [(f.start, f.end, f.confidence) for f in fast.scan(text)] == [
            (f.start, f.end, f.confidence) for f in slow.scan(text)
        ], text
