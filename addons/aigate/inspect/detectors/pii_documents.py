"""Identity documents other than national id numbers: passport and identity card numbers of
many countries, the machine-readable zone of passports and id cards (ICAO 9303 check digits),
driving licence numbers and vehicle registration plates.

Document numbers are short generic shapes (two letters and seven digits is a passport in half
the world and a part number everywhere), so every one needs a label nearby. A label in any
language says what the document is ("Reisepass", "passaporto", "旅券" all read as "passport");
the shape says whose, so a German label before a French number finds the French shape. The MRZ
carries its own check digits and needs none, nor does a UK licence number, whose sixteen
characters encode the holder's name and birth date in DVLA's layout."""

from __future__ import annotations

import datetime
import string
from collections.abc import Callable

from aigate.inspect.detectors.base import Detector, Validator, digits, run_located

# --- passports -------------------------------------------------------------------------------

# Prefix-matched at a word start, so "passport" also covers "passport no", "passport#",
# "passports". A label in any language says "passport"; the shape says which country's, so
# every country's detector reads all of them ("Reisepassnummer" before a French number).
_PASSPORT = (
    "passport",
    "travel document",
    "pass no",
    "pass-nr",
    "pass nr",
    "pass-nummer",
    "passnummer",
    "reisepass",
    "mrz",
    "passeport",
    "pasaporte",
    "passaporto",
    "passaporte",
    "passaport",
    "paspoort",
    "paszport",
    "pasaport",
    "pasport",
    "cestovní pas",
    "útlevél",
    "διαβατήριο",
    "паспорт",
    "загранпаспорт",
    "护照",
    "護照",
    "旅券",
    "パスポート",
    "여권",
    "पासपोर्ट",
    "पारपत्र",
    "جواز سفر",
    "דרכון",
    "hộ chiếu",
)


def _passport(
    cc: str,
    pattern: str,
    words: tuple[str, ...],
    country: str,
    source: str,
    validator: Validator | None = None,
) -> Detector:
    return Detector(
        f"passport_{cc.lower()}",
        "pii",
        "(?i)" + pattern,  # typed in lower case as often as not once a label names it
        validator,
        context=(*_PASSPORT, *words),
        context_required=True,
        window=60,
        regions=("GB",) if cc == "UK" else (cc,),
        description=f"{country} passport number (with a label).",
        source=source,
    )


def _not_repeated(value: str) -> bool:
    """Not a run of one digit (000000000) or a sequence (123456789) someone typed as a sample."""
    number = digits(value)
    return len(set(number)) > 2 and number not in "0123456789012345678901234567890"


PASSPORTS = (
    _passport(
        "US",
        r"\b[A-Z]\d{8}\b|\b\d{9}\b",
        ("us passport", "u.s. passport", "passport card", "pasaporte"),
        "US",
        "https://learn.microsoft.com/en-us/purview/sit-defn-us-uk-passport-number",
        _not_repeated,
    ),
    _passport(
        "UK",
        r"\b\d{9}\b|\b[A-Z]{2}\d{7}\b",
        ("uk passport", "british passport", "hm passport", "hmpo"),
        "UK",
        "https://en.wikipedia.org/wiki/British_passport",
        _not_repeated,
    ),
    _passport(
        "CA",
        r"\b[A-Z]{2}\d{6}\b",
        ("passeport", "canadian passport", "numéro de passeport"),
        "Canadian",
        "https://learn.microsoft.com/en-us/purview/sit-defn-canada-passport-number",
    ),
    _passport(
        "AU",
        r"\b[NEDFACUX]\d{7}\b|\bP[A-FUWXZ]\d{7}\b",
        ("australian passport",),
        "Australian",
        "https://learn.microsoft.com/en-us/purview/sit-defn-australia-passport-number",
    ),
    _passport(
        "IN",
        r"\b[A-PR-WY][1-9]\d ?\d{5}\b",
        ("indian passport", "पासपोर्ट", "पारपत्र"),
        "Indian",
        "https://en.wikipedia.org/wiki/Indian_passport",
    ),
    _passport(
        "DE",
        # nine characters from the ICAO alphabet without vowels and look-alikes; the MRZ check
        # digit and the nationality letter D may follow
        r"\b(?P<v>[CFGHJK][CFGHJKLMNPRTVWXYZ0-9]{8})\d?D?\b",
        ("reisepass", "passnummer", "pass-nummer", "pass nr", "reisepassnummer"),
        "German",
        "https://learn.microsoft.com/en-us/purview/sit-defn-germany-passport-number",
    ),
    _passport(
        "FR",
        r"\b\d{2}[A-Z]{2}\d{5}\b",
        ("passeport", "numéro de passeport", "n° passeport", "n° de passeport"),
        "French",
        "https://learn.microsoft.com/en-us/purview/sit-defn-france-passport-number",
    ),
    _passport(
        "IT",
        r"\b[A-Z]{2}\d{7}\b",
        ("passaporto", "numero passaporto", "numero di passaporto"),
        "Italian",
        "https://learn.microsoft.com/en-us/purview/sit-defn-italy-passport-number",
    ),
    _passport(
        "ES",
        r"\b[A-Z]{2}[A-Z0-9]?\d{6}\b",
        ("pasaporte", "número de pasaporte", "numero de pasaporte", "passaport"),
        "Spanish",
        "https://learn.microsoft.com/en-us/purview/sit-defn-spain-passport-number",
    ),
    _passport(
        "NL",
        r"\b[A-NP-Z]{2}[A-NP-Z0-9]{6}\d\b",
        ("paspoort", "paspoortnummer", "paspoort nr"),
        "Dutch",
        "https://learn.microsoft.com/en-us/purview/sit-defn-netherlands-passport-number",
    ),
    _passport(
        "PL",
        r"\b[A-Z]{2}\d{7}\b",
        ("paszport", "numer paszportu", "nr paszportu"),
        "Polish",
        "https://learn.microsoft.com/en-us/purview/sit-defn-poland-passport-number",
    ),
    _passport(
        "JP",
        r"\b[A-Z]{2}\d{7}\b",
        ("パスポート", "旅券", "旅券番号"),
        "Japanese",
        "https://learn.microsoft.com/en-us/purview/sit-defn-japan-passport-number",
    ),
    _passport(
        "KR",
        r"\b[MSRODG]\d{3}[A-Z]\d{4}\b|\b[MSROD]\d{8}\b",
        ("여권", "여권번호", "korean passport"),
        "South Korean",
        "https://learn.microsoft.com/en-us/purview/sit-defn-south-korea-passport-number",
    ),
    _passport(
        "CN",
        r"\bE[A-HJ-NP-Z]\d{7}\b|\b[EGDSP]\d{8}\b",
        ("护照", "護照", "护照号码", "chinese passport"),
        "Chinese",
        "https://en.wikipedia.org/wiki/Chinese_passport",
    ),
    _passport(
        "SG",
        r"\b[EK]\d{7}[A-Z]\b",
        ("singapore passport", "护照", "pasport"),
        "Singapore",
        "https://learn.microsoft.com/en-us/purview/sit-defn-singapore-passport-number",
    ),
    _passport(
        "PH",
        r"\bP\d{7}[A-Z]\b|\b[A-Z]{2}\d{7}\b",
        ("pasaporte", "numero ng pasaporte", "philippine passport"),
        "Philippine",
        "https://learn.microsoft.com/en-us/purview/sit-defn-philippines-passport-number",
    ),
    _passport(
        "MY",
        r"\b[AHK]\d{8}\b",
        ("pasport", "nombor pasport", "malaysian passport"),
        "Malaysian",
        "https://learn.microsoft.com/en-us/purview/sit-defn-malaysia-passport-number",
    ),
    _passport(
        "BR",
        r"\b[A-Z]{2}\d{6}\b",
        ("passaporte", "número do passaporte", "numero do passaporte"),
        "Brazilian",
        "https://en.wikipedia.org/wiki/Brazilian_passport",
    ),
    _passport(
        "RU",
        r"\b\d{2} ?\d{7}\b",
        ("паспорт", "загранпаспорт", "заграничный паспорт", "номер паспорта"),
        "Russian international",
        "https://en.wikipedia.org/wiki/Russian_international_passport",
        _not_repeated,
    ),
    _passport(
        "TR",
        r"\b[A-Z]\d{8}\b",
        ("pasaport", "pasaport no", "pasaport numarası"),  # noqa: RUF001
        "Turkish",
        "https://en.wikipedia.org/wiki/Turkish_passport",
    ),
)

# --- identity cards --------------------------------------------------------------------------

_ID_CARD = ("id card", "identity card", "id-card", "id number", "id no", "id#")


def _id_card(
    id_: str,
    pattern: str,
    words: tuple[str, ...],
    country: str,
    name: str,
    source: str,
    validator: Validator | None = None,
) -> Detector:
    return Detector(
        id_,
        "pii",
        "(?i)" + pattern,
        validator,
        context=(*_ID_CARD, *words),
        context_required=True,
        window=60,
        regions=(country,),
        description=f"{name} number (with a label).",
        source=source,
    )


def _mixed(value: str) -> bool:
    """Letters and digits both: a document number, not a word or an amount."""
    return any(ch.isdigit() for ch in value) and any(ch.isalpha() for ch in value)


def _fr_card(value: str) -> bool:
    """The 2021 card's nine letters and digits (both), or the old card's twelve digits."""
    return len(set(value)) > 2 if value.isdigit() else _mixed(value)


ID_CARDS = (
    # nPA since 2010: nine characters from the ICAO alphabet without vowels (the authority's
    # code, then a serial), the MRZ check digit sometimes written after; before 2010, T and
    # eight digits.
    _id_card(
        "de_id_card",
        r"\b[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\d?\b|\bT\d{8}\b",
        (
            "personalausweis",
            "ausweisnummer",
            "ausweis-nr",
            "ausweis nr",
            "ausweis:",
            "ausweis-nummer",
            "perso-nr",
            "identitätskarte",
            "dokumentennummer",
        ),
        "DE",
        "German identity card (Personalausweis)",
        "https://de.wikipedia.org/wiki/Personalausweis_(Deutschland)",
        _mixed,
    ),
    # Since 2021 nine letters and digits; the older card twelve digits.
    _id_card(
        "fr_id_card",
        r"\b[0-9A-Z]{9}\b|\b\d{12}\b",
        (
            "carte d'identité",
            "carte d\u2019identité",  # typographic apostrophe
            "carte nationale d'identité",
            "carte d'identite",
            "cni",
            "n° cni",
            "numéro de carte",
            "pièce d'identité",
        ),
        "FR",
        "French identity card (CNI)",
        "https://fr.wikipedia.org/wiki/Carte_nationale_d%27identit%C3%A9_en_France",
        _fr_card,
    ),
    # CIE: two letters, five digits, two letters (CA00000AA); the paper card two letters and
    # seven digits.
    _id_card(
        "it_id_card",
        r"\b[A-Z]{2}\d{5}[A-Z]{2}\b|\b[A-Z]{2} ?\d{7}\b",
        (
            "carta d'identità",
            "carta d\u2019identità",
            "carta di identità",
            "carta identità",
            "carta d'identita",
            "cie",
            "documento d'identità",
            "documento di identità",
        ),
        "IT",
        "Italian identity card (CIE)",
        "https://it.wikipedia.org/wiki/Carta_d%27identit%C3%A0_elettronica_italiana",
    ),
    # The DNI's support number (número de soporte): three letters and six digits; the NIE
    # card's, E and eight digits.
    _id_card(
        "es_dni_support",
        r"\b[A-Z]{3}\d{6}\b|\bE\d{8}\b",
        (
            "número de soporte",
            "numero de soporte",
            "nº de soporte",
            "soporte del dni",
            "soporte dni",
            "idesp",
            "support number",
        ),
        "ES",
        "Spanish DNI support number (número de soporte)",
        "https://es.wikipedia.org/wiki/Documento_Nacional_de_Identidad_(Espa%C3%B1a)",
    ),
)

# --- machine-readable zone (ICAO Doc 9303) ---------------------------------------------------

_MRZ_VALUE = {ch: i for i, ch in enumerate(string.digits + string.ascii_uppercase)} | {"<": 0}
_MRZ_CHARS = frozenset(string.ascii_uppercase + string.digits + "<")


def _mrz_digit(field: str) -> int:
    """ICAO 9303 part 3 check digit: weights 7, 3, 1 repeating, letters A=10 .. Z=35, < = 0."""
    return sum(_MRZ_VALUE[ch] * (7, 3, 1)[i % 3] for i, ch in enumerate(field)) % 10


def _mrz_ok(field: str, check: str) -> bool:
    if check == "<":  # an empty optional field may carry a filler instead of a digit
        return set(field) <= {"<"}
    return check.isdigit() and _mrz_digit(field) == int(check)


def _mrz_date(yymmdd: str) -> bool:
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    return 1 <= month <= 12 and 1 <= day <= 31


def _td3_line(line: str) -> bool:
    """The second line of a passport (TD3, 44 characters): number, birth date, expiry,
    personal number and the composite check."""
    return (
        _mrz_ok(line[0:9], line[9])
        and _mrz_ok(line[13:19], line[19])
        and _mrz_ok(line[21:27], line[27])
        and _mrz_ok(line[28:42], line[42])
        and _mrz_ok(line[0:10] + line[13:20] + line[21:43], line[43])
    )


def _mrz_passport(value: str) -> bool:
    return _td3_line(value.splitlines()[-1])


def _mrz_passport_shape(value: str) -> bool:
    line = value.splitlines()[-1]
    return _mrz_date(line[13:19]) and _mrz_date(line[21:27])


def _td1(first: str, second: str) -> bool:
    """Id card (TD1, 3 x 30): document number in line 1 (a long one continues into the
    optional field, its check digit then last before the filler), dates in line 2."""
    number, check = first[5:14], first[14]
    if check == "<":
        rest = first[15:30].split("<", 1)[0]
        number, check = number + "<" + rest[:-1], rest[-1:] or "<"
    return (
        _mrz_ok(number, check)
        and _mrz_ok(second[0:6], second[6])
        and _mrz_ok(second[8:14], second[14])
        and _mrz_ok(first[5:30] + second[0:7] + second[8:15] + second[18:29], second[29])
    )


def _td2(line: str) -> bool:
    """Second line of a TD2 id card or visa (36 characters)."""
    return (
        _mrz_ok(line[0:9], line[9])
        and _mrz_ok(line[13:19], line[19])
        and _mrz_ok(line[21:27], line[27])
        and _mrz_ok(line[0:10] + line[13:20] + line[21:35], line[35])
    )


def _mrz_id_card(value: str) -> bool:
    lines = value.split()
    if len(lines) == 2:
        return _td1(lines[0], lines[1])
    return _td2(lines[0])


def _mrz_id_shape(value: str) -> bool:
    lines = value.split()
    if len(lines) == 2:
        return _mrz_date(lines[1][0:6]) and _mrz_date(lines[1][8:14])
    return _mrz_date(lines[0][13:19]) and _mrz_date(lines[0][21:27])


_TD3_LINE1 = r"P[A-Z<][A-Z<]{3}[A-Z<]{39}\r?\n"
_TD3_LINE2 = r"[A-Z0-9<]{9}\d[A-Z<]{3}\d{7}[MFX<]\d{7}[A-Z0-9<]{14}[0-9<]\d"
_TD1_LINE1 = r"[ACI][A-Z0-9<][A-Z<]{3}[A-Z0-9<]{9}[0-9<][A-Z0-9<]{15}\r?\n"
_TD1_LINE2 = r"\d{7}[MFX<]\d{7}[A-Z<]{3}[A-Z0-9<]{11}\d"
_TD2_LINE2 = r"[A-Z0-9<]{9}\d[A-Z<]{3}\d{7}[MFX<]\d{7}[A-Z0-9<]{7}\d"

MRZ = (
    Detector(
        "mrz_passport",
        "pii",
        rf"(?:{_TD3_LINE1})?{_TD3_LINE2}",
        _mrz_passport_shape,
        checksum=_mrz_passport,
        boundary=_MRZ_CHARS,
        keep=(0, 0),
        description="Machine-readable zone of a passport (ICAO 9303 TD3); validated by its "
        "five check digits.",
        source="https://www.icao.int/publications/Documents/9303_p4_cons_en.pdf",
    ),
    Detector(
        "mrz_id_card",
        "pii",
        rf"{_TD1_LINE1}{_TD1_LINE2}|{_TD2_LINE2}",
        _mrz_id_shape,
        checksum=_mrz_id_card,
        boundary=_MRZ_CHARS,
        keep=(0, 0),
        description="Machine-readable zone of an id card or visa (ICAO 9303 TD1/TD2); "
        "validated by its check digits.",
        source="https://www.icao.int/publications/Documents/9303_p5_cons_en.pdf",
    ),
)

# --- driving licences ------------------------------------------------------------------------

_LICENSE_US = (
    "driver's license",
    "drivers license",
    "driver license",
    "driver\u2019s license",
    "driver's lic",
    "drivers lic",
    "driver lic",
    "driving license",
    "driving permit",
    "operator's license",
    "operator license",
    "license number",
    "license no",
    "license #",
    "license#",
    "lic#",
    "lic no",
    "lic. no",
    "dl#",
    "dl #",
    "dl:",
    "dl no",
    "dl number",
    "dl ",
    "dl.",
    "dln",
    "cdl",
)
_LICENCE = (
    "driver's licence",
    "drivers licence",
    "driver licence",
    "driving licence",
    "licence number",
    "licence no",
    "licence #",
    "dl no",
    "dl number",
)


def _licence(
    id_: str,
    pattern: str,
    words: tuple[str, ...],
    regions: tuple[str, ...],
    description: str,
    source: str,
    validator: Validator | None = None,
    first_start: Callable[[bytes], int] | None = None,
) -> Detector:
    return Detector(
        id_,
        "pii",
        pattern,
        validator,
        context=words,
        context_required=True,
        window=60,
        regions=regions,
        description=description,
        source=source,
        first_start=first_start,
    )


_SEVEN_DIGITS = run_located(string.digits, 7, back=2)


def _it_licence_start(text: bytes) -> int:
    """Seven digits after two letters, or the `U1` of the newer format: the label "license"
    is in every licence notice, the number rarely near it."""
    digit_run, newer = _SEVEN_DIGITS(text), text.find(b"U1")
    return newer if newer >= 0 and (digit_run < 0 or newer < digit_run) else digit_run


def _uk_licence(value: str) -> bool:
    """Surname letters padded with 9s, then a real birth month (+50 for women) and day."""
    surname = value[:5].rstrip("9")
    if not surname.isalpha():
        return False
    month, day = int(value[6:8]) % 50, int(value[8:10])
    return 1 <= month <= 12 and 1 <= day <= 31


_KR_LICENCE_REGIONS = {str(n) for n in range(11, 27)} | {"28"}


def _kr_licence(value: str) -> bool:
    return digits(value)[:2] in _KR_LICENCE_REGIONS


LICENCES = (
    _licence(
        "us_drivers_license",
        # state formats: a letter and 3-14 digits (CA, FL, IL, NY, WI...), two letters and
        # digits, 7-13 digits, NY's 123 456 789, NH's 12ABC34567, and the grouped forms
        # printed on cards: FL A123-456-78-901-2, IL A123-4567-8901, WI A123-4567-8901-23,
        # MD A-123-456-789-012, NJ A1234 56789 01234
        r"\b[A-Z]{1,2}\d{4,14}\b|\b\d{7,13}\b|\b\d{3} \d{3} \d{3}\b|\b\d{2}[A-Z]{3}\d{5}\b"
        r"|\b[A-Z]\d{3}-\d{3}-\d{2}-\d{3}-\d\b|\b[A-Z]\d{3}-\d{4}-\d{4}(?:-\d{2})?\b"
        r"|\b[A-Z]-\d{3}-\d{3}-\d{3}-\d{3}\b|\b[A-Z]\d{4} \d{5} \d{5}\b",
        _LICENSE_US,
        ("US",),
        "US driver's license number (state formats, with a label).",
        "https://en.wikipedia.org/wiki/Driver%27s_licenses_in_the_United_States",
        _not_repeated,
    ),
    # The surname's first five letters, the birth date (month + 50 for women), initials, a
    # digit and two check letters: DVLA's layout, with a real date in it.
    Detector(
        "uk_driving_licence",
        "pii",
        r"(?i)\b[A-Z9]{5}\d[0156]\d[0-3]\d{2}[A-Z9]{2}\d[A-Z]{2}\b",
        _uk_licence,
        context=(*_LICENCE, "dvla", "driving licence number", "licence"),
        confidence="validated",
        regions=("GB",),
        description="UK driving licence number (surname, birth date and initials encoded).",
        source="https://en.wikipedia.org/wiki/Driving_licence_in_the_United_Kingdom",
    ),
    # Eleven characters: the issuing authority's four, a five-character serial, a check
    # digit and the issue count (B072RRE2I55).
    _licence(
        "de_driving_licence",
        r"(?i)\b[A-Z0-9]{4}[A-Z0-9]{5}\d[A-Z0-9]\b",
        (*_LICENCE, "führerschein", "fuehrerschein", "fahrerlaubnis"),
        ("DE",),
        "German driving licence number (Führerscheinnummer, with a label).",
        "https://de.wikipedia.org/wiki/F%C3%BChrerschein_(Deutschland)",
        _mixed,
    ),
    _licence(
        "fr_driving_licence",
        r"\b\d{12}\b|\b\d{2}[A-Z]{2}\d{5}\b",
        (*_LICENCE, "permis de conduire", "numéro de permis", "n° de permis", "permis n"),
        ("FR",),
        "French driving licence number (permis de conduire, with a label).",
        "https://learn.microsoft.com/en-us/purview/sit-defn-france-drivers-license-number",
    ),
    _licence(
        "it_driving_licence",
        r"\b[A-Z]{2}\d{7}[A-Z]\b|\bU1[A-Z0-9]{7}[A-Z]\b",
        (*_LICENCE, "patente", "numero patente", "patente di guida", "license", "licence"),
        ("IT",),
        "Italian driving licence number (patente di guida, with a label).",
        "https://en.wikipedia.org/wiki/Driving_licence_in_Italy",
        first_start=_it_licence_start,
    ),
    _licence(
        "nl_driving_licence",
        r"\b\d{10}\b",
        (*_LICENCE, "rijbewijs", "rijbewijsnummer"),
        ("NL",),
        "Dutch driving licence number (rijbewijsnummer, with a label).",
        "https://learn.microsoft.com/en-us/purview/sit-defn-netherlands-drivers-license-number",
        _not_repeated,
    ),
    _licence(
        "au_drivers_licence",
        r"\b[A-Z]{0,2}\d{4,9}\b|\b[A-Z0-9]{2}\d{2}[A-Z0-9]{5}\b",
        _LICENCE,
        ("AU",),
        "Australian driver licence number (state formats, with a label).",
        "https://learn.microsoft.com/en-us/purview/sit-defn-australia-drivers-license-number",
        _not_repeated,
    ),
    _licence(
        "ca_drivers_licence",
        # Ontario A1234-12345-12345, Québec A123456789012, other provinces digits
        r"\b[A-Z]\d{4}-?\d{5}-?\d{5}\b|\b[A-Z]\d{12}\b|\b\d{7,9}\b",
        (*_LICENCE, "permis de conduire", "numéro de permis"),
        ("CA",),
        "Canadian driver's licence number (provincial formats, with a label).",
        "https://en.wikipedia.org/wiki/Driver%27s_licences_in_Canada",
        _not_repeated,
    ),
    _licence(
        "in_driving_licence",
        r"\b[A-Z]{2}[ -]?\d{2}[ -]?(?:19|20)\d{2}[ -]?\d{7}\b",
        (*_LICENCE, "driving license", "dl no", "ड्राइविंग लाइसेंस"),
        ("IN",),
        "Indian driving licence number (state, RTO, year, serial; with a label).",
        "https://en.wikipedia.org/wiki/Driving_licence_in_India",
    ),
    _licence(
        "kr_driving_licence",
        r"\b\d{2}-?\d{2}-?\d{6}-?\d{2}\b",
        (
            "운전면허",
            "면허번호",
            "driver's license",
            "driving licence",
            "driver license",
            "license",
        ),
        ("KR",),
        "South Korean driver's licence number (with a label).",
        "https://learn.microsoft.com/en-us/purview/sit-defn-south-korea-drivers-license-number",
        _kr_licence,
        run_located(string.digits, 6, back=6),
    ),
    _licence(
        "jp_driving_licence",
        r"\b\d{12}\b",
        ("運転免許", "免許証", "免許番号", "driver's license", "driving licence"),
        ("JP",),
        "Japanese driver's licence number (with a label).",
        "https://learn.microsoft.com/en-us/purview/sit-defn-japan-drivers-license-number",
        _not_repeated,
    ),
    _licence(
        "br_cnh",
        r"\b\d{11}\b",
        ("cnh", "carteira de motorista", "carteira nacional de habilitação", "habilitação"),
        ("BR",),
        "Brazilian driving licence number (CNH, with a label).",
        "https://en.wikipedia.org/wiki/Driving_licence_in_Brazil",
        _not_repeated,
    ),
)

# --- vehicle registration plates ------------------------------------------------------------

_PLATE = (
    "number plate",
    "licence plate",
    "license plate",
    "plate:",
    "plate no",
    "plate number",
    "plates",
    "registration",
    "vehicle",
    "car reg",
)


def _uk_plate(value: str) -> bool:
    """The age identifier: the year (March) or the year + 50 (September), 2001 onwards."""
    age = int(digits(value)[:2])
    year = datetime.date.today().year % 100
    return 2 <= age <= year or 51 <= age <= 50 + year


_IN_STATES = frozenset(
    ("AN", "AP", "AR", "AS", "BR", "CG", "CH", "DD", "DL", "DN", "GA", "GJ", "HP", "HR", "JH",
     "JK", "KA", "KL", "LA", "LD", "MH", "ML", "MN", "MP", "MZ", "NL", "OD", "OR", "PB", "PY",
     "RJ", "SK", "TN", "TR", "TS", "UK", "UA", "UP", "WB")
)  # fmt: skip


def _in_plate(value: str) -> bool:
    """A state or union territory code, or the nationwide BH (Bharat) series."""
    compact = value.replace(" ", "").replace("-", "")
    return compact[:2] in _IN_STATES or compact[2:4] == "BH"


PLATES = (
    _licence(
        "uk_vehicle_registration",
        r"\b[A-HJ-PR-Y]{2}\d{2} ?[A-HJ-PR-Z]{3}\b",
        (*_PLATE, "reg no", "reg.", "reg:", "reg number", "vrn", "dvla", "v5c", "car reg"),
        ("GB",),
        "UK vehicle registration (AB12 CDE, with a label).",
        "https://en.wikipedia.org/wiki/Vehicle_registration_plates_of_the_United_Kingdom",
        _uk_plate,
    ),
    _licence(
        "de_vehicle_registration",
        r"\b[A-ZÄÖÜ]{1,3}[ -][A-Z]{1,2}[ -]?[1-9]\d{0,3}[EH]?\b",
        ("kennzeichen", "kfz", "nummernschild", "fahrzeug", "pkw", "zulassung", *_PLATE),
        ("DE",),
        "German vehicle registration (Kfz-Kennzeichen, with a label).",
        "https://en.wikipedia.org/wiki/Vehicle_registration_plates_of_Germany",
    ),
    _licence(
        "fr_vehicle_registration",
        r"\b[A-HJ-NP-TV-Z]{2}[- ]?\d{3}[- ]?[A-HJ-NP-TV-Z]{2}\b",
        ("immatriculation", "plaque", "véhicule", "vehicule", "voiture", *_PLATE),
        ("FR",),
        "French vehicle registration (AB-123-CD, with a label).",
        "https://en.wikipedia.org/wiki/Vehicle_registration_plates_of_France",
    ),
    _licence(
        "in_vehicle_registration",
        r"\b[A-Z]{2}[ -]?\d{1,2}[ -]?[A-Z]{1,3}[ -]?\d{4}\b"
        r"|\b\d{2}[ -]?BH[ -]?\d{4}[ -]?[A-Z]{1,2}\b",
        ("vehicle", "rto", "gaadi", "gadi", "वाहन", *_PLATE),
        ("IN",),
        "Indian vehicle registration (MH 12 AB 1234, with a label).",
        "https://en.wikipedia.org/wiki/Vehicle_registration_plates_of_India",
        _in_plate,
    ),
    _licence(
        "tr_vehicle_registration",
        r"\b(?:0[1-9]|[1-7]\d|8[01]) ?[A-PR-VYZ]{1,3} ?\d{2,4}\b",
        ("plaka", "araç", "arac", *_PLATE),
        ("TR",),
        "Turkish vehicle registration (34 ABC 123, with a label).",
        "https://en.wikipedia.org/wiki/Vehicle_registration_plates_of_Turkey",
    ),
    _licence(
        "ng_vehicle_registration",
        r"\b[A-Z]{3}[- ]?\d{3}[- ]?[A-Z]{2}\b",
        ("plate number", "vehicle", *_PLATE),
        ("NG",),
        "Nigerian vehicle registration (ABC-123DE, with a label).",
        "https://en.wikipedia.org/wiki/Vehicle_registration_plates_of_Nigeria",
    ),
)

DETECTORS = (*PASSPORTS, *ID_CARDS, *MRZ, *LICENCES, *PLATES)
