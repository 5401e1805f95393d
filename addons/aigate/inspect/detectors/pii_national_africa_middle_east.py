"""National identification numbers of Africa and the Middle East (see pii_national for how
validator, checksum and labels divide the work)."""

from __future__ import annotations

from stdnum import luhn
from stdnum.il import idnr as il_idnr
from stdnum.za import idnr as za_idnr

from aigate.inspect.detectors.base import Detector, digits
from aigate.inspect.detectors.pii_national import labels, not_typed, official, standalone, typed


def _za_layout(value: str) -> bool:
    """YYMMDD of a real date, then the citizenship digit: 0 citizen, 1 permanent resident, 2
    refugee (Home Affairs has issued the last since 2019; python-stdnum knows 0 and 1 only)."""
    number = digits(value)
    if typed(number) or number[10] not in "012":
        return False
    try:
        za_idnr.get_birth_date(number)
    except ValueError:
        return False
    return True


def _za_check(value: str) -> bool:
    return luhn.is_valid(digits(value))


def _emirates_id(value: str) -> bool:
    return luhn.is_valid(digits(value))


DETECTORS = standalone(
    Detector(
        "za_id",
        "pii",
        r"\b\d{2}[01]\d[0-3]\d{8}\b|\b\d{6} \d{4} \d{3}\b",
        _za_layout,
        context=labels(
            "id number",
            "id no",
            "identity number",
            "south african id",
            "rsa id",
            "sa id",
            "smart id",
            "green id book",
            "id book",
            "identity document",
            "permanent resident",
            "refugee id",
            "asylum seeker",
        ),
        context_required=True,
        checksum=_za_check,
        keep=(0, 3),
        regions=("ZA",),
        source="https://en.wikipedia.org/wiki/South_African_identity_card",
        description="South African identity number (birth date, Luhn, with a label).",
    ),
    # NIMC assigns the eleven digits at random: no check digit is published, so only the label
    # makes a NIN.
    Detector(
        "ng_nin",
        "pii",
        r"\b\d{11}\b",
        not_typed,
        context=labels("nin", "nimc", "national identification number", "national identity number"),
        context_required=True,
        keep=(0, 3),
        regions=("NG",),
        source="https://nimc.gov.ng/",
        description="Nigerian national identification number (with a label; no public check).",
    ),
    Detector(
        "il_id",
        "pii",
        r"\b\d{9}\b|\b\d{8}-\d\b",
        context=labels(
            "teudat zehut", "mispar zehut", "תעודת זהות", "מספר זהות", "ת.ז", 'ת"ז', "israeli id"
        ),
        context_required=True,
        **official(il_idnr),
        keep=(0, 3),
        regions=("IL",),
        source="https://en.wikipedia.org/wiki/Israeli_identity_card",
        description="Israeli identity number Teudat Zehut (check digit, with a label).",
    ),
    # 784 (the UAE's ISO number), the holder's birth year, a serial and a Luhn digit.
    Detector(
        "ae_emirates_id",
        "pii",
        r"\b784-?(?:19|20)\d{2}-?\d{7}-?\d\b",
        not_typed,
        context=labels("emirates id", "رقم الهوية", "resident id"),
        checksum=_emirates_id,
        keep=(3, 1),
        regions=("AE",),
        source="https://en.wikipedia.org/wiki/National_identification_number#United_Arab_Emirates",
        description="UAE Emirates ID number, 784-YYYY-NNNNNNN-C (Luhn).",
    ),
)
