"""Contact details, phone numbers by region, dates of birth, network identifiers, postal codes:
one table per detector of (text, expected confidence) positives and negatives (no finding at
all), plus values that keep their shape but fail their check (reported `low`)."""

import datetime
import random

import pytest
import re2
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
            ("请发到 王芳@公司.中国 谢谢", "validated"),  # internationalised (RFC 6531)
            ("mail b@xn--e1afmkfd.xn--p1ai today", "validated"),  # punycode domain and TLD
            ("müller.jörg@beispiel-firma.de", "validated"),
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
            "clone https://deploy@gitlab.acme-corp.io/team/app.git",  # a URL's user name
        ],
    ),
    "phone_e164": (
        [
            ("call +44 20 8123 4567", "validated"),
            ("+1 415-555-2671", "validated"),
            ("whatsapp +4915112345678", "validated"),
            ("+44 (0)20 8123 4567 is the office", "validated"),
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
            ("call me at 0208 123 4567", "validated"),  # grouped oddly, but labelled
            ("Celular: (11) 96123-4870", "validated"),  # Brazil writes no trunk prefix
            ("tel. (030) 1234567", "validated"),  # area code in brackets
        ],
        [
            "order (415) 555-2671",  # no label
            "phone 555-0000",  # too few distinct digits
            "tel 12.03.1985",  # a date
            "call 12-34",
            "call me in 30 minutes, room 204",  # lone short numbers
            "phone +44 20 8123 4567",  # international: phone_e164's
            "Endless Mobile, Inc 2016-2020",  # years, valid as a Danish number if read so
        ],
    ),
    "phone_national_formatted": (
        [
            ("0917 123 4567", "validated"),  # Philippines
            ("ring 0532 123 45 67 tonight", "validated"),  # Turkey
            ("020 8123 4567", "validated"),  # UK
            ("030 1234567", "validated"),  # Germany
            ("(415) 555-2671", "validated"),  # US
            ("415.555.2671", "validated"),
            ("06 12 34 56 78", "validated"),  # France
            ("03-1234-5678", "validated"),  # Japan
            ("010-1234-5678", "validated"),  # Korea
            ("0412 345 678", "validated"),  # Australia
            ("dial 0049 30 1234567", "validated"),  # 00 international prefix
        ],
        [
            "06.12.2024",  # a date
            "0208 123 4567",  # not how London groups its numbers: needs a label
            "IBAN IT60 X054 2811 1010 0000 0123 456",  # the tail is no Italian phone
            "ABN 51 824 753 5564",  # nor is a business number's tail a US one
            "917 123 4567",  # no NANP exchange starts with 1: no trunk prefix, no phone
            "(415) 555-0132",  # 555-0100..0199 are reserved for fiction
            "020 7946 0018",  # so is London's 020 7946 0xxx
            "order 0123-4567-89",
            "version 2.14.0 released 2024-05-01",
            "meeting on 2024-03-18 at 09.30",
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
            ('{"name": "A. Muster", "date_of_birth": "1971-06-04"}', "context"),
            ("birthDate=1990-01-02", "context"),
            ("Nació el 3 de febrero de 1988 en Cádiz.", "context"),
            ("nato a Torino il 14/02/1977", "context"),
            ("she was born on the 2nd of May 1990", "context"),
            ("дата рождения: 12 марта 1985", "context"),
            ("datum narození 3. března 1979", "context"),
            ("data nașterii 5 martie 1990", "context"),
            ("tanggal lahir 17 agustus 1985", "context"),
            ("생년월일 1992년 7월 4일", "context"),
            ("дата рождения 01.02.1983", "context"),
        ],
        [
            "meeting on 04/12/1985 about budgets",  # no label
            "NATO agreed on 04/04/1949 to defend its members",
            "due 2024-13-45 born",  # no such month
            "DOB 31/02/1985",  # no 31 February
            "doğum tarihi 29.02.1987",  # 1987 was no leap year
            f"born 12/03/{NEXT_YEAR}",  # in the future
            "born 12 March 1850",  # beyond a lifetime
            "1985",
        ],
    ),
    "ipv4_address": (
        [
            ("Failed password for root from 81.24.197.63 port 52144 ssh2", "validated"),
            ("server at 10.1.2.3", "validated"),  # a site's own host
            ("34.117.59.81 - - [12/Mar/2025:10:14:22 +0000] GET /admin", "validated"),
        ],
        [
            "0.0.0.0",  # noqa: S104 - text, not a bind
            "127.0.0.1",
            "1.2.3",
            "999.1.1.1",
            "SYNTAX 1.3.6.1.4.1.1466.115.121.1.40",  # an OID
            "Windows 10.0.19041.1",
            "kernel 5.15.153.1-microsoft-standard",  # a version joined on by a dash
            "upgraded the controller to firmware 12.4.1.2 yesterday",
            "Release: 20.11.1.3",
            "build v81.24.197.63",
        ],
    ),
    "ipv6_address": (
        [
            ("peer 2a02:6b8:a::a", "validated"),
            ("[2606:4700:4700::1111]:443", "validated"),
            ("mapped ::ffff:81.24.197.63", "validated"),
            ("fe80:0:0:0:0:0:0:1", "validated"),  # link-local: a host on the site
        ],
        [
            "12:30:45",
            "::1",
            "use Cafe::Face and dead::beef",
            "every other: values[1::2]",
            "text2001:db8::1",
        ],
    ),
    "mac_address": (
        [
            ("mac 00:1A:2B:3C:4D:5E", "context"),
            ("00-1a-2b-3c-4d-5e", "pattern"),
            ("bssid 0012.3456.789a", "context"),
            ("hwaddr da:a1:19:3c:5e:07 on wlan0", "context"),  # locally administered
        ],
        [
            "00:1A-2B:3C:4D:5E",
            "ff:ff:ff:ff:ff:ff",
            "build 1234.5678.9012",
            "SHA1 Fingerprint DB:45:3D:1B:B0:1A:F3:23:10:6B:DE:D0:09:61:57:2A",
        ],
    ),
    "imei": (
        [
            (f"IMEI {IMEI}", "validated"),
            ("imei: 35-209900-176148-1", "validated"),
            (f"Device {IMEI} failed MDM enrolment", "validated"),
        ],
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
    "ipv4_address": "In the docs the server address is 192.0.2.76.",  # TEST-NET-1
    "ipv6_address": "see 2001:db8:85a3::8a2e:370:7334 in the RFC",  # the documentation prefix
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


@pytest.mark.parametrize(
    "text",
    [
        "the detective dials +1 202-555-0143",  # NANP 555-0100..0199
        "+44 113 496 0591 in the screenplay",  # Ofcom's drama numbers
        "+44 7700 900461",
        "+61 491 570 156",  # ACMA's
        "+33 6 39 98 41 27",  # ARCEP's
    ],
)
def test_numbers_reserved_for_fiction_are_reported_low(text):
    assert [level for _, level in levels("phone_e164", text)] == ["low"]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("see 1.2.3.4 in the spec", "low"),  # single-digit parts: a section or version
        ("AssemblyInfo 4.0.0.0", "low"),  # a network address (.0)
        ("host 224.0.0.251", "low"),  # multicast
        ("host 81.24.197.255", "low"),  # broadcast
    ],
)
def test_dotted_quads_that_are_no_hosts_address_are_low(text, level):
    assert [found for _, found in levels("ipv4_address", text)] == [level]


@pytest.mark.parametrize(
    "text", ["every other: values[1::2]", "use Cafe::Face", "a[1:2:3:4:5:6:7:8]"]
)
def test_code_shaped_like_ipv6_is_never_more_than_low_under_public_ips_only(text):
    shipped = Scanner.from_config(enabled={"ipv6_address"}, public_ips_only=True, key=b"k")
    assert all(f.confidence == "low" for f in shipped.scan(text))


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


@pytest.mark.parametrize(
    ("detector", "text"),
    [
        # dates and times are in every other prompt: the unlabelled shape must not match them,
        # or the shape set selects the detector everywhere
        ("phone_national_formatted", "We shipped on 2024-03-18 and 2023-11-05."),
        ("phone_national_formatted", "due 03/18/2025, from 10:00 to 11:30"),
        # the labelled one reads six digits or grouped numbers, not every lone number
        ("phone_national", "Room 204, the last 30 days, 12% growth, 3.4 million"),
    ],
)
def test_the_pattern_leaves_ordinary_numbers_alone(detector, text):
    (d,) = [d for d in pii.DETECTORS if d.id == detector]
    assert re2.compile(d.pattern).search(text) is None


@pytest.mark.parametrize("detector", sorted(CASES))
def test_python_re_fallback_finds_the_same(detector):
    (d,) = [d for d in pii.DETECTORS if d.id == detector]
    fast, slow = Scanner([d], key=b"k"), Scanner([d], key=b"k", engine="re")
    for text, _ in CASES[detector][0]:
        assert [(f.start, f.end, f.confidence) for f in fast.scan(text)] == [
            (f.start, f.end, f.confidence) for f in slow.scan(text)
        ], text
