"""Passports, machine-readable zones, driving licences and vehicle plates: one table per
detector of (text, expected confidence) positives and negatives (no finding at all)."""

import string

import pytest
from aigate.inspect.detectors import pii_documents
from aigate.inspect.detectors.pii_documents import _mrz_digit
from aigate.inspect.engine import Scanner
from aigate.inspect.result import CONFIDENCE_RANK
from inspect_helpers import hits, levels, module_ids, rand

UPPER = string.ascii_uppercase
DIGITS = string.digits


def check(field: str) -> str:
    return str(_mrz_digit(field))


def td3(number: str, born: str = "850312", expires: str = "310415", personal: str = "") -> str:
    """A passport MRZ (two lines of 44) with correct check digits, for a made-up holder."""
    optional = personal.ljust(14, "<")
    line = f"{number}{check(number)}UTO{born}{check(born)}F{expires}{check(expires)}"
    line += optional + ("<" if not personal else check(optional))
    line += check(line[0:10] + line[13:20] + line[21:43])
    return "P<UTO" + "ERIKSSON<<ANNA<MARIA".ljust(39, "<") + "\n" + line


def td1(number: str, born: str = "740812", expires: str = "300415") -> str:
    """An id card MRZ (TD1, three lines of 30) with correct check digits."""
    first = f"I<UTO{number}{check(number)}".ljust(30, "<")
    second = f"{born}{check(born)}F{expires}{check(expires)}UTO" + "<" * 11
    second += check(first[5:30] + second[0:7] + second[8:15] + second[18:29])
    return f"{first}\n{second}\n" + "ERIKSSON<<ANNA<MARIA".ljust(30, "<")


def td2(number: str, born: str = "740812", expires: str = "300415") -> str:
    """The second line of a TD2 id card or visa (36 characters)."""
    line = f"{number}{check(number)}UTO{born}{check(born)}F{expires}{check(expires)}<<<<<<<"
    return line + check(line[0:10] + line[13:20] + line[21:35])


def broken(mrz: str) -> str:
    """The same MRZ with its last (composite) check digit wrong."""
    return mrz[:-1] + str((int(mrz[-1]) + 1) % 10)


PASSPORT_TD3 = td3("L8" + rand(DIGITS, 7, 3), personal="ZE184226B")
CARD_TD1 = td1("D2" + rand(DIGITS, 7, 4))
CARD_TD2 = td2("D2" + rand(DIGITS, 7, 5))
TWO_LETTERS_SEVEN = rand(UPPER, 2, 8) + "4" + rand(DIGITS, 6, 9)

# detector -> ([(text, confidence)], [text with no finding])
CASES = {
    "passport_us": (
        [("passport no. 912803456", "context"), ("Passport: C03005988", "context")],
        ["invoice 912803456", "passport 123456789", "passport 000000000"],
    ),
    "passport_uk": (
        [("UK passport 925076473", "context"), ("British passport number AB4817265", "context")],
        ["ref 925076473", "passport 92507647"],
    ),
    "passport_ca": (
        [("Canadian passport AB123456", "context"), ("passeport canadien GK409811", "context")],
        ["part AB123456", "passport AB12345"],
    ),
    "passport_au": (
        [("Australian passport N4817265", "context"), ("passport PA4817265", "context")],
        ["passport B4817265", "item N4817265"],
    ),
    "passport_in": (
        [("passport number J8369854", "context"), ("पासपोर्ट K4817265", "context")],
        ["J8369854 in stock", "passport J0369854"],
    ),
    "de_id_card": (
        [
            ("Personalausweis: L7X0RN4T2", "context"),
            ("Ausweisnummer T27019384", "context"),  # before 2010: T and eight digits
            ("ausweis-nr. ltx41gh79", "context"),  # typed in lower case
        ],
        ["L7X0RN4T2", "Personalausweis 123456789", "Personalausweis LTXGHKMNP"],
    ),
    "fr_id_card": (
        [
            ("numéro de carte d'identité : X4RT72K9P", "context"),
            ("n° CNI 880692310478", "context"),  # the card before 2021: twelve digits
        ],
        [
            "X4RT72K9P",
            "carte d'identité 000000000000",
            "identity card presented yesterday",  # a word of nine letters
        ],
    ),
    "it_id_card": (
        [("carta d'identità CA48172KF", "context"), ("CIE: AY 4817265", "context")],
        ["CA48172KF", "carta d'identità CA4817KF"],
    ),
    "es_dni_support": (
        [("número de soporte del DNI: BKT481726", "context"), ("IDESP QWE407182", "context")],
        ["BKT481726", "número de soporte BKT48172"],
    ),
    "passport_de": (
        [("Reisepass C01X00T47", "context"), ("Reisepassnummer C01X00T478D", "context")],
        ["C01X00T47", "Reisepass A01X00T47"],  # A is not in the German alphabet
    ),
    "passport_fr": (
        [("numéro de passeport 18AB12345", "context"), ("passport 07CD48172", "context")],
        ["18AB12345", "passeport 18AB1234"],
    ),
    "passport_it": (
        [
            (f"passaporto {TWO_LETTERS_SEVEN}", "context"),
            ("numero passaporto YA1234567", "context"),
        ],
        [TWO_LETTERS_SEVEN, "passaporto YA123456"],
    ),
    "passport_es": (
        [("pasaporte AAA123456", "context"), ("número de pasaporte XD481726", "context")],
        ["AAA123456", "pasaporte AAAA12345"],
    ),
    "passport_nl": (
        [("paspoortnummer NP4817265", "context"), ("paspoort XR12AB345", "context")],
        ["NP4817265", "paspoort NO4817265"],  # the letter O is never used
    ),
    "passport_pl": (
        [("numer paszportu ZS4817265", "context"), ("paszport AB9183726", "context")],
        ["ZS4817265", "paszport ZS481726"],
    ),
    "passport_jp": (
        [("旅券番号 TK4817265", "context"), ("パスポート MZ9183726", "context")],
        ["TK4817265", "旅券番号 TK48172"],
    ),
    "passport_kr": (
        [("여권번호 M481A7265", "context"), ("여권 S48172659", "context")],
        ["M481A7265", "여권 Z48172659"],
    ),
    "passport_cn": (
        [("护照号码 E48172659", "context"), ("护照 EA4817265", "context")],
        ["E48172659", "护照 EI4817265"],
    ),
    "passport_sg": (
        [("passport E4817265J", "context"), ("Singapore passport K9183726A", "context")],
        ["E4817265J", "passport X4817265J"],
    ),
    "passport_ph": (
        [("numero ng pasaporte P4817265A", "context"), ("passport EC4817265", "context")],
        ["P4817265A", "pasaporte P481726A"],
    ),
    "passport_my": (
        [("nombor pasport A48172659", "context"), ("passport H91837265", "context")],
        ["A48172659", "pasport B48172659"],
    ),
    "passport_br": (
        [("passaporte FZ481726", "context"), ("número do passaporte YB918372", "context")],
        ["FZ481726", "passaporte FZ4817"],
    ),
    "passport_ru": (
        [("загранпаспорт 72 4817265", "context"), ("паспорт 759183726", "context")],
        ["72 4817265", "паспорт 4506 123456"],
    ),
    "passport_tr": (
        [("pasaport no U48172659", "context"), ("passport S91837265", "context")],
        ["U48172659", "pasaport U4817265"],
    ),
    "mrz_passport": (
        [
            (PASSPORT_TD3, "validated"),
            ("scan: " + PASSPORT_TD3.splitlines()[1], "validated"),
            (td3("C01X00T47", personal=""), "validated"),
        ],
        [
            PASSPORT_TD3.splitlines()[0],  # the name line alone
            td3("L8" + rand(DIGITS, 7, 3), born="851312"),  # month 13
            PASSPORT_TD3.replace("\n", "\n<"),  # 45 characters: not an MRZ line
        ],
    ),
    "mrz_id_card": (
        [(CARD_TD1, "validated"), (f"MRZ: {CARD_TD2}", "validated")],
        [CARD_TD1.splitlines()[0], td2("D2" + rand(DIGITS, 7, 5), expires="301315")],
    ),
    "us_drivers_license": (
        [
            ("driver's license D4817265", "context"),
            ("DL number 481726593", "context"),
            ("Florida DL# W426-545-30-761-0", "context"),
            ("NY driver license number 730 418 652", "context"),  # NY prints 3-3-3
            ("Illinois driver's license K417-3082-6519", "context"),
            ("Texas DL: 40718263", "context"),
            ("NJ DL A4173 08265 19374", "context"),
        ],
        [
            "order D4817265",
            "driver's license D1234567",
            "driver's license 00000000",
            "download: 730 418 652",
        ],
    ),
    "uk_driving_licence": (
        [
            ("MORGA753116SM9IJ", "validated"),  # DVLA's layout with a real birth date
            ("driving licence MORGA753116SM9IJ", "validated"),
            ("licence: jones861045pw9qa", "validated"),
        ],
        ["MORGA713116SM9IJ", "MORGA753006SM9IJ", "9ORGA753116SM9IJ", "MO9G9753116SM9IJ"],
    ),
    "de_driving_licence": (
        [("Führerschein B072RRE2I55", "context"), ("Führerscheinnummer J4812345671", "context")],
        ["B072RRE2I55", "Führerschein B072RRE2I5"],
    ),
    "fr_driving_licence": (
        [("permis de conduire 120375481726", "context"), ("n° de permis 13AB48172", "context")],
        ["120375481726", "permis de conduire 12037548172"],
    ),
    "it_driving_licence": (
        [
            ("patente AB4817265C", "context"),
            ("numero patente U1B234567Z", "context"),
            ("license U1C63W42KP here", "context"),
        ],
        ["AB4817265C", "patente AB4817265"],
    ),
    "nl_driving_licence": (
        [("rijbewijsnummer 4817265930", "context")],
        ["4817265930", "rijbewijs 481726593", "rijbewijs 1111111111"],
    ),
    "au_drivers_licence": (
        [("driver licence 048172659", "context"), ("Drivers Licence No. AB481726", "context")],
        ["048172659", "driver licence 0000000"],
    ),
    "ca_drivers_licence": (
        [
            ("Ontario driver's licence A4817-26593-01234", "context"),
            ("permis de conduire L481726593012", "context"),
        ],
        ["A4817-26593-01234", "driver's licence A4817"],
    ),
    "in_driving_licence": (
        [("DL no MH12 20110048172", "context"), ("driving licence KA-05-2019-4817265", "context")],
        ["MH12 20110048172", "DL no MH12 18110048172"],
    ),
    "kr_driving_licence": (
        [("운전면허 11-15-481726-01", "context"), ("면허번호 281548172601", "context")],
        ["11-15-481726-01", "운전면허 99-15-481726-01"],
    ),
    "jp_driving_licence": (
        [("運転免許証番号 304817265930", "context")],
        ["304817265930", "運転免許 30481726593"],
    ),
    "br_cnh": (
        [("CNH 48172659301", "context"), ("carteira de motorista: 91837265401", "context")],
        ["48172659301", "CNH 00000000000"],
    ),
    "uk_vehicle_registration": (
        [("number plate AB51 ABC", "context"), ("reg no: LR19 XKM", "context")],
        ["AB51 ABC", "number plate AB99 ABC", "number plate AB51 ABI"],
    ),
    "de_vehicle_registration": (
        [("Kennzeichen: M AB 1234", "context"), ("Kfz-Kennzeichen MÜ-XY 12E", "context")],
        ["M AB 1234", "Kennzeichen: M AB 0123"],
    ),
    "fr_vehicle_registration": (
        [("immatriculation AB-123-CD", "context"), ("plaque : FG 481 HJ", "context")],
        ["AB-123-CD", "immatriculation AB-123-CO"],
    ),
    "in_vehicle_registration": (
        [("vehicle MH 12 AB 1234", "context"), ("registration 22 BH 4817 AA", "context")],
        ["MH 12 AB 1234", "vehicle ZZ 12 AB 1234"],
    ),
    "tr_vehicle_registration": (
        [("plaka 34 ABC 123", "context"), ("araç plakasi 06 A 4817", "context")],
        ["34 ABC 123", "plaka 99 ABC 123"],
    ),
    "ng_vehicle_registration": (
        [
            ("plate number ABC-123DE", "context"),
            ("vehicle registration KJA 481 FG", "context"),
            ("plates: KJA-207FG and ABC-123DE", "context"),
        ],
        ["ABC-123DE", "plate number AB-123DE"],
    ),
}

# Values that keep the detector's shape but fail their check: reported `low`, never dropped.
LOW = {
    "mrz_passport": broken(PASSPORT_TD3),
    "mrz_id_card": broken(CARD_TD1.rsplit("\n", 1)[0]),
}


def test_every_detector_in_the_module_has_a_table():
    assert module_ids(pii_documents) == set(CASES)


def test_every_detector_has_a_source_a_description_and_a_region():
    for d in pii_documents.DETECTORS:
        assert d.source.startswith("https://"), d.id
        assert d.description, d.id
        assert d.regions or d.id.startswith("mrz_"), d.id


def test_generic_document_shapes_need_a_label():
    for d in pii_documents.DETECTORS:
        assert d.context_required or d.checksum or d.id == "uk_driving_licence", d.id


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
def test_an_mrz_failing_its_check_digits_is_reported_low(detector, text):
    assert [level for _, level in levels(detector, text)] == ["low"]
    assert hits(detector, text) == []


def test_a_passport_mrz_is_found_as_both_lines():
    (value,) = hits("mrz_passport", PASSPORT_TD3)
    assert value == PASSPORT_TD3


def test_context_words_must_be_near_the_value():
    far = "passport " + "filler text " * 20 + "912803456"
    assert hits("passport_us", far) == []


@pytest.mark.parametrize(
    ("detector", "text"),
    [
        ("passport_us", "Reisepassnummer: A47318265"),
        ("passport_uk", "N° de passeport : 538270164"),
        ("passport_fr", "Número de pasaporte 18KX47302"),
        ("passport_nl", "numero di passaporto NXR4T82K1"),
        ("passport_ca", "паспорт GK409811"),
    ],
)
def test_a_passport_label_in_any_language_finds_every_countrys_shape(detector, text):
    assert hits(detector, text) == [text.split()[-1]]


def test_a_german_label_finds_the_german_shape_only():
    assert hits("passport_de", "Reisepass C01X00T47") == ["C01X00T47"]
    assert hits("passport_fr", "Reisepass C01X00T47") == []


@pytest.mark.parametrize("detector", sorted(CASES))
def test_python_re_fallback_finds_the_same(detector):
    (d,) = [d for d in pii_documents.DETECTORS if d.id == detector]
    fast, slow = Scanner([d], key=b"k"), Scanner([d], key=b"k", engine="re")
    for text, _ in CASES[detector][0]:
        assert [(f.start, f.end, f.confidence) for f in fast.scan(text)] == [
            (f.start, f.end, f.confidence) for f in slow.scan(text)
        ], text
