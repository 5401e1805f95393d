"""National identification, tax, health and company numbers of the United Kingdom, Ireland,
France, the Benelux, Germany, Austria and Switzerland, plus EU VAT numbers (see pii_national for
how validator, checksum and labels divide the work)."""

from __future__ import annotations

from stdnum.at import vnr
from stdnum.be import nn
from stdnum.ch import ssn as ahv
from stdnum.ch import uid
from stdnum.de import idnr, stnr
from stdnum.eu import vat as eu_vat
from stdnum.fr import nif as fr_nif
from stdnum.fr import nir, siren, siret
from stdnum.gb import nhs, utr
from stdnum.gb import vat as gb_vat
from stdnum.ie import pps
from stdnum.nl import bsn

from aigate.inspect.detectors.base import Detector, digits, located_by
from aigate.inspect.detectors.pii_national import (
    alone,
    labels,
    not_typed,
    official,
    standalone,
    stdnum_layout,
    stdnum_valid,
    typed,
)

_NINO_BAD_PREFIX = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


def _nino(value: str) -> bool:
    """HMRC never allocates these prefixes; spaces, when used, split the number in pairs or
    set the prefix and the suffix apart (QQ 123456 C)."""
    spaced = value.count(" ")
    if spaced in (1, 2) and not (value[2] == " " and (spaced == 1 or value[-2] == " ")):
        return False
    return spaced != 3 and value[:2] not in _NINO_BAD_PREFIX


def _letter_digits(letter: str) -> str:
    return f"{ord(letter) - ord('A') + 1:02d}"


def _cross_sum(n: int) -> int:
    return n // 10 + n % 10


def _kvnr(value: str) -> bool:
    """German health insurance number (§ 290 SGB V): the letter as 01-26 and the eight digits,
    weighted 1, 2, 1, 2, ..., cross sums added; the sum mod 10 is the check digit."""
    body = _letter_digits(value[0]) + value[1:9]
    total = sum(_cross_sum(int(d) * (1 + i % 2)) for i, d in enumerate(body))
    return total % 10 == int(value[9])


def _rvnr_compact(value: str) -> str:
    return value.replace(" ", "")


def _rvnr_date(value: str) -> bool:
    """Digits 3-8 are the birth date DDMMYY; the day may carry +50 when the number is taken."""
    v = _rvnr_compact(value)
    if typed(v):
        return False
    day, month = int(v[2:4]), int(v[4:6])
    return (1 <= day <= 31 or 51 <= day <= 81) and 1 <= month <= 12


def _rvnr(value: str) -> bool:
    """German pension insurance number (VKVV § 2): the letter as 01-26, eleven digits weighted
    2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1, cross sums added; the sum mod 10 is the check digit."""
    v = _rvnr_compact(value)
    body = v[:8] + _letter_digits(v[8]) + v[9:11]
    weights = (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)
    total = sum(_cross_sum(int(d) * w) for d, w in zip(body, weights, strict=True))
    return total % 10 == int(v[11])


def _lanr(value: str) -> bool:
    """LANR: digits 1-6 weighted 4, 9, 4, 9, 4, 9; ten minus the sum's last digit (mod 10) is
    the seventh."""
    total = sum(int(d) * w for d, w in zip(value[:6], (4, 9, 4, 9, 4, 9), strict=True))
    return (10 - total % 10) % 10 == int(value[6])


def _nn_layout(value: str) -> bool:
    """YY.MM.DD of the birth date (month or day 00 when unknown); stdnum reads the century from
    the check digits, so a value failing them would have no date there."""
    d = digits(value)
    return not typed(d) and int(d[2:4]) <= 12 and int(d[4:6]) <= 31


# EU VAT numbers: the country prefix and each state's own body, spaced the way invoices print
# them. A two-letter prefix in capitals before exactly that body is rare outside invoices.
_VAT_BODIES = {
    "AT": r"U\d{8}",
    "BE": r"[01]\d{3}[ .]?\d{3}[ .]?\d{3}",
    "BG": r"\d{9,10}",
    "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}",
    "DE": r"\d{3} ?\d{3} ?\d{3}",
    "DK": r"\d{2} ?\d{2} ?\d{2} ?\d{2}",
    "EE": r"\d{9}",
    "EL": r"\d{9}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}",
    "FR": r"[0-9A-HJ-NP-Z]{2} ?\d{3} ?\d{3} ?\d{3}",
    "HR": r"\d{11}",
    "HU": r"\d{8}",
    "IE": r"\d[0-9A-Z+*]\d{5}[A-W][A-I]?",
    "IT": r"\d{11}",
    "LT": r"\d{9}(?:\d{3})?",
    "LU": r"\d{8}",
    "LV": r"\d{11}",
    "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}",
    "PL": r"\d{10}|\d{3}-\d{3}-\d{2}-\d{2}",
    "PT": r"\d{9}",
    "RO": r"\d{6,10}",
    "SE": r"\d{10}01",
    "SI": r"\d{8}",
    "SK": r"\d{10}",
    "XI": r"\d{3} ?\d{4} ?\d{2}(?: ?\d{3})?",
}
_VAT = "|".join(f"{cc} ?(?:{body})" for cc, body in _VAT_BODIES.items())
_FR_NIF_LABELS = labels(
    "numéro fiscal",
    "numero fiscal",
    "spi",
    "nif",
    "identifiant fiscal",
    "numéro d'identification fiscale",
)
_BSN_LABELS = labels("bsn", "burgerservicenummer", "sofinummer", "sofi-nummer")
_IDNR_LABELS = labels(
    "steuer-id",
    "steuerid",
    "steuer-idnr",
    "steueridentifikationsnummer",
    "steuerliche identifikationsnummer",
    "identifikationsnummer",
    "idnr",
    "tax id",
)
_AT_SVNR_LABELS = labels(
    "sozialversicherungsnummer",
    "versicherungsnummer",
    "svnr",
    "sv-nr",
    "sv-nummer",
    "vsnr",
    "e-card",
)

_EU = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE")
_EU += ("IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "GB")

DETECTORS = standalone(
    # Two letters from HMRC's allowed sets, six digits and a suffix A-D: HMRC's own layout.
    Detector(
        "uk_nino",
        "pii",
        r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",
        _nino,
        context=labels("national insurance", "nino", "ni number", "ni no", "nat ins"),
        confidence="validated",
        regions=("GB",),
        source="https://www.gov.uk/hmrc-internal-manuals/national-insurance-manual/nim39110",
        description="UK National Insurance number (HMRC prefix and suffix rules).",
    ),
    Detector(
        "uk_nhs",
        "pii",
        r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b",
        not_typed,
        context=labels(
            "nhs",
            "nhs number",
            "nhs no",
            "chi number",
            "community health index",
            "health and care number",
        ),
        context_required=True,
        checksum=stdnum_valid(nhs),
        keep=(0, 3),
        regions=("GB",),
        source="https://www.datadictionary.nhs.uk/attributes/nhs_number.html",
        description="UK NHS / CHI number (mod 11, with a label).",
    ),
    Detector(
        "uk_utr",
        "pii",
        r"\b\d{5} ?\d{5}\b",
        not_typed,
        context=labels("utr", "unique taxpayer reference", "self assessment", "tax reference"),
        context_required=True,
        checksum=stdnum_valid(utr),
        keep=(0, 3),
        regions=("GB",),
        source="https://www.oecd.org/tax/automatic-exchange/crs-implementation-and-assistance/tax-identification-numbers/UK-TIN.pdf",
        description="UK unique taxpayer reference (check digit, with a label).",
    ),
    Detector(
        "uk_vat",
        "pii",
        r"\bGB ?\d{3} ?\d{4} ?\d{2}(?: ?\d{3})?\b",
        context=labels("vat", "vat reg", "vat number"),
        **official(gb_vat),
        keep=(2, 2),
        regions=("GB",),
        source="https://en.wikipedia.org/wiki/VAT_identification_number",
        description="UK VAT registration number, GB + 9 or 12 digits (mod 97 check).",
    ),
    Detector(
        "eu_vat",
        "pii",
        rf"\b(?:{_VAT})\b",
        context=labels(
            "vat",
            "ust-idnr",
            "ust-id",
            "umsatzsteuer",
            "tva",
            "iva",
            "btw",
            "moms",
            "mwst",
            "dph",
            "nip",
            "pvm",
            "áfa",
            "alv",
            "φπα",
            "ддс",
            "intra-community",
        ),
        **official(eu_vat),
        keep=(2, 2),
        regions=_EU,
        source="https://en.wikipedia.org/wiki/VAT_identification_number",
        description="EU VAT number with its country prefix (each state's check digits).",
    ),
    Detector(
        "ie_pps",
        "pii",
        r"\b\d{7}[A-W][A-IW]?\b",
        context=labels("pps", "ppsn", "personal public service"),
        **official(pps),
        regions=("IE",),
        source="https://en.wikipedia.org/wiki/Personal_Public_Service_Number",
        description="Irish personal public service number, 1234567T (mod 23 check letter).",
    ),
    Detector(
        "fr_nir",
        "pii",
        r"\b[1-478] ?\d{2} ?(?:0[1-9]|1[0-2]|20) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}\b",
        context=labels(
            "nir", "sécurité sociale", "securite sociale", "sécu", "insee", "carte vitale"
        ),
        **official(nir),
        regions=("FR",),
        source="https://fr.wikipedia.org/wiki/Num%C3%A9ro_de_s%C3%A9curit%C3%A9_sociale_en_France",
        description="French social security number NIR (mod 97 key).",
    ),
    # The DGFiP prints it 30 23 217 600 053: so grouped, its three-digit key suffices.
    Detector(
        "fr_nif",
        "pii",
        alone(r"\b[0-3]\d \d{2} \d{3} \d{3} \d{3}\b"),
        context=_FR_NIF_LABELS,
        **official(fr_nif),
        regions=("FR",),
        source="https://ec.europa.eu/taxation_customs/tin/tinByCountry.html",
        description="French tax number SPI/NIF as printed, 30 23 217 600 053 (check key).",
    ),
    Detector(
        "fr_nif_compact",
        "pii",
        r"\b[0-3]\d ?\d{2} ?\d{3} ?\d{3} ?\d{3}\b",
        context=_FR_NIF_LABELS,
        context_required=True,
        **official(fr_nif),
        regions=("FR",),
        source="https://ec.europa.eu/taxation_customs/tin/tinByCountry.html",
        description="French tax number SPI/NIF run together (check key, with a label).",
    ),
    Detector(
        "fr_siren",
        "pii",
        r"\b\d{3} ?\d{3} ?\d{3}\b",
        context=labels("siren"),
        context_required=True,
        **official(siren),
        regions=("FR",),
        source="https://fr.wikipedia.org/wiki/Syst%C3%A8me_d%27identification_du_r%C3%A9pertoire_des_entreprises",
        description="French company number SIREN (Luhn, with a label).",
    ),
    Detector(
        "fr_siret",
        "pii",
        r"\b\d{3} ?\d{3} ?\d{3} ?\d{5}\b",
        context=labels("siret"),
        context_required=True,
        **official(siret),
        regions=("FR",),
        source="https://fr.wikipedia.org/wiki/Syst%C3%A8me_d%27identification_du_r%C3%A9pertoire_des_%C3%A9tablissements",
        description="French establishment number SIRET (Luhn, with a label).",
    ),
    # The national register prints YY.MM.DD-SSS.CC: a date, dots and a dash in that order.
    Detector(
        "be_nn",
        "pii",
        r"\b\d{2}\.\d{2}\.\d{2}[- ]\d{3}[.-]\d{2}\b",
        _nn_layout,
        context=labels(
            "rijksregisternummer",
            "rijksregister",
            "registre national",
            "niss",
            "inss",
            "national number",
        ),
        checksum=stdnum_valid(nn),
        regions=("BE",),
        source="https://nl.wikipedia.org/wiki/Rijksregisternummer",
        description="Belgian national register number, YY.MM.DD-SSS.CC (mod 97).",
    ),
    Detector(
        "nl_bsn",
        "pii",
        r"\b\d{4}\.\d{2}\.\d{3}\b",
        context=_BSN_LABELS,
        **official(bsn),
        keep=(0, 3),
        regions=("NL",),
        source="https://nl.wikipedia.org/wiki/Burgerservicenummer",
        description="Dutch citizen service number BSN as printed, 1234.56.782 (11-test).",
    ),
    Detector(
        "nl_bsn_compact",
        "pii",
        r"\b\d{9}\b|\b\d{3} \d{3} \d{3}\b",
        context=_BSN_LABELS,
        context_required=True,
        **official(bsn),
        keep=(0, 3),
        regions=("NL",),
        source="https://nl.wikipedia.org/wiki/Burgerservicenummer",
        description="Dutch citizen service number BSN run together (11-test, with a label).",
    ),
    # The BZSt prints it 36 574 261 809: so grouped, the ISO 7064 check and the rule that one
    # digit repeats suffice.
    Detector(
        "de_tax_id",
        "pii",
        alone(r"\b\d{2} \d{3} \d{3} \d{3}\b"),
        context=_IDNR_LABELS,
        **official(idnr),
        keep=(0, 3),
        regions=("DE",),
        source="https://de.wikipedia.org/wiki/Steuerliche_Identifikationsnummer",
        description="German tax identification number IdNr as printed, 36 574 261 809 "
        "(ISO 7064 check).",
    ),
    Detector(
        "de_tax_id_compact",
        "pii",
        r"\b\d{2} ?\d{3} ?\d{3} ?\d{3}\b",
        context=_IDNR_LABELS,
        context_required=True,
        **official(idnr),
        keep=(0, 3),
        regions=("DE",),
        source="https://de.wikipedia.org/wiki/Steuerliche_Identifikationsnummer",
        description="German tax identification number IdNr run together (ISO 7064 check, "
        "with a label).",
    ),
    Detector(
        "de_stnr",
        "pii",
        r"\b\d{2,3}/\d{3,4}/\d{4,5}\b|\b\d{10,13}\b",
        stdnum_layout(stnr),  # the Länder's number layouts (there is no check digit)
        context=labels(
            "steuernummer", "steuer-nr", "steuer nr", "st.-nr", "st-nr", "stnr", "finanzamt"
        ),
        context_required=True,
        regions=("DE",),
        source="https://de.wikipedia.org/wiki/Steuernummer",
        description="German tax number Steuernummer (a Land's layout, with a label).",
    ),
    Detector(
        "de_kvnr",
        "pii",
        r"\b[A-Z]\d{9}\b",
        not_typed,
        context=labels(
            "krankenversichertennummer",
            "krankenversicherungsnummer",
            "versichertennummer",
            "versicherten-nr",
            "kvnr",
            "krankenkasse",
            "gesundheitskarte",
            "egk",
        ),
        context_required=True,
        checksum=_kvnr,
        regions=("DE",),
        source="https://de.wikipedia.org/wiki/Krankenversichertennummer",
        description="German health insurance number KVNR (check digit, with a label).",
    ),
    # Office, birth date, the initial of the birth name, serial and check digit.
    Detector(
        "de_svnr",
        "pii",
        r"\b\d{2} ?\d{6} ?[A-Z] ?\d{3}\b",
        _rvnr_date,
        context=labels(
            "rentenversicherungsnummer",
            "sozialversicherungsnummer",
            "versicherungsnummer",
            "rvnr",
            "svnr",
            "sv-nummer",
            "sv-nr",
        ),
        checksum=_rvnr,
        regions=("DE",),
        source="https://de.wikipedia.org/wiki/Versicherungsnummer",
        description="German pension insurance number (birth date, check digit).",
    ),
    # Serial and check digit, a space, the birth date: 1237 010180 as the e-card prints it.
    Detector(
        "at_svnr",
        "pii",
        alone(r"\b\d{4} [0-3]\d[01]\d{3}\b"),
        context=_AT_SVNR_LABELS,
        **official(vnr),
        regions=("AT",),
        source="https://de.wikipedia.org/wiki/Sozialversicherungsnummer#%C3%96sterreich",
        description="Austrian social insurance number as printed, 1237 010180 (birth date, "
        "check digit).",
    ),
    Detector(
        "at_svnr_compact",
        "pii",
        r"\b\d{4} ?\d{6}\b",
        context=_AT_SVNR_LABELS,
        context_required=True,
        **official(vnr),
        regions=("AT",),
        source="https://de.wikipedia.org/wiki/Sozialversicherungsnummer#%C3%96sterreich",
        description="Austrian social insurance number run together (check digit, with a label).",
    ),
    # Betriebsstättennummer: the Kassenärztliche Vereinigung's two-digit region and seven
    # digits of the practice (no check digit).
    Detector(
        "de_bsnr",
        "pii",
        r"\b\d{9}\b",
        not_typed,
        context=labels("bsnr", "betriebsstättennummer", "betriebsstaettennummer", "praxisnummer"),
        context_required=True,
        regions=("DE",),
        source="https://de.wikipedia.org/wiki/Betriebsst%C3%A4ttennummer",
        description="German practice number BSNR (with a label).",
    ),
    # Lebenslange Arztnummer: six digits, a check digit over them (weights 4 and 9), and the
    # two-digit specialty.
    Detector(
        "de_lanr",
        "pii",
        r"\b\d{9}\b",
        not_typed,
        context=labels("lanr", "arztnummer", "lebenslange arztnummer", "arzt-nr", "arzt nr"),
        context_required=True,
        checksum=_lanr,
        regions=("DE",),
        source="https://de.wikipedia.org/wiki/Lebenslange_Arztnummer",
        description="German physician number LANR (check digit, with a label).",
    ),
    Detector(
        "ch_ahv",
        "pii",
        r"\b756\.?\d{4}\.?\d{4}\.?\d{2}\b",
        context=labels("ahv", "avs", "numéro avs", "sozialversicherungsnummer"),
        **official(ahv),
        regions=("CH",),
        source="https://de.wikipedia.org/wiki/Sozialversicherungsnummer#Versichertennummer",
        description="Swiss social security number AHV/AVS, 756.xxxx.xxxx.xx (EAN-13 check).",
    ),
    Detector(
        "ch_uid",
        "pii",
        r"\bCHE-?\d{3}\.?\d{3}\.?\d{3}\b",
        context=labels("uid", "ide", "unternehmens-identifikationsnummer", "mwst"),
        first_start=located_by(r"CHE-?\d{3}\.?\d{3}\.?\d{3}"),  # not each CHECK or CACHE
        **official(uid),
        regions=("CH",),
        source="https://www.uid.admin.ch/",
        description="Swiss business identification number UID, CHE-123.456.789 (mod 11).",
    ),
)
