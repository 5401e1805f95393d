"""National identification and tax numbers: each is validated by its official check (python-stdnum
implements them) and, where the bare shape is common (nine digits), needs a label nearby."""

from __future__ import annotations

from stdnum.au import tfn
from stdnum.br import cpf
from stdnum.ca import sin
from stdnum.de import idnr
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.in_ import aadhaar
from stdnum.it import codicefiscale
from stdnum.nl import bsn
from stdnum.us import itin, ssn

from aigate.inspect.detectors.base import Detector, Validator, digits


def _stdnum(module) -> Validator:
    def check(value: str) -> bool:
        return bool(module.is_valid(value))

    return check


def _ssn(value: str) -> bool:
    seps = {ch for ch in value if not ch.isdigit()}
    return len(seps) <= 1 and ssn.is_valid(digits(value))


_NINO_BAD_PREFIX = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


def _nino(value: str) -> bool:
    return value.replace(" ", "")[:2].upper() not in _NINO_BAD_PREFIX


DETECTORS = (
    Detector(
        "us_ssn",
        "pii",
        r"\b\d{3}[- ]\d{2}[- ]\d{4}\b",
        _ssn,
        confidence="pattern",
        keep=(0, 4),
        description="US Social Security number (area, group and serial rules).",
    ),
    Detector(
        "us_ssn_compact",
        "pii",
        r"\b\d{9}\b",
        _ssn,
        context=("ssn", "social security", "social-security", "ss#"),
        context_required=True,
        confidence="pattern",
        keep=(0, 4),
        description="US Social Security number without separators (with context).",
    ),
    Detector(
        "us_itin",
        "pii",
        r"\b9\d{2}[- ]?(?:5\d|6[0-5]|7\d|8[0-8]|9[0-24-9])[- ]?\d{4}\b",
        lambda value: itin.is_valid(digits(value)),
        confidence="pattern",
        keep=(0, 4),
        description="US individual taxpayer identification number.",
    ),
    Detector(
        "uk_nino",
        "pii",
        r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",
        _nino,
        confidence="pattern",
        description="UK National Insurance number.",
    ),
    Detector(
        "es_dni",
        "pii",
        r"\b\d{8}-?[A-Z]\b|\b[XYZ]-?\d{7}-?[A-Z]\b",
        lambda value: dni.is_valid(value) or nie.is_valid(value),
        confidence="pattern",
        description="Spanish DNI/NIE (check letter).",
    ),
    Detector(
        "br_cpf",
        "pii",
        r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b",
        _stdnum(cpf),
        confidence="pattern",
        description="Brazilian CPF (check digits).",
    ),
    Detector(
        "fr_nir",
        "pii",
        r"\b[12] ?\d{2} ?(?:0[1-9]|1[0-2]|20) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}\b",
        _stdnum(nir),
        confidence="pattern",
        description="French social security number (NIR, mod-97 key).",
    ),
    Detector(
        "it_codice_fiscale",
        "pii",
        r"\b[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]\b",
        _stdnum(codicefiscale),
        confidence="pattern",
        description="Italian fiscal code (check letter).",
    ),
    Detector(
        "nl_bsn",
        "pii",
        r"\b\d{9}\b|\b\d{4}\.\d{2}\.\d{3}\b",
        _stdnum(bsn),
        context=("bsn", "burgerservicenummer", "sofinummer"),
        context_required=True,
        confidence="pattern",
        description="Dutch citizen service number (11-test, with context).",
    ),
    Detector(
        "in_aadhaar",
        "pii",
        r"\b[2-9]\d{3} ?\d{4} ?\d{4}\b",
        _stdnum(aadhaar),
        context=("aadhaar", "aadhar", "uidai", "uid"),
        context_required=True,
        confidence="pattern",
        keep=(0, 4),
        description="Indian Aadhaar number (Verhoeff, with context).",
    ),
    Detector(
        "ca_sin",
        "pii",
        r"\b\d{3}[ -]?\d{3}[ -]?\d{3}\b",
        _stdnum(sin),
        context=("sin", "social insurance"),
        context_required=True,
        confidence="pattern",
        keep=(0, 3),
        description="Canadian social insurance number (Luhn, with context).",
    ),
    Detector(
        "au_tfn",
        "pii",
        r"\b\d{3} ?\d{3} ?\d{2,3}\b",
        _stdnum(tfn),
        context=("tfn", "tax file"),
        context_required=True,
        confidence="pattern",
        keep=(0, 3),
        description="Australian tax file number (checksum, with context).",
    ),
    Detector(
        "de_tax_id",
        "pii",
        r"\b\d{2} ?\d{3} ?\d{3} ?\d{3}\b",
        _stdnum(idnr),
        context=("steuer-id", "steuerid", "steuerliche identifikationsnummer", "idnr", "tax id"),
        context_required=True,
        confidence="pattern",
        keep=(0, 3),
        description="German tax identification number (checksum, with context).",
    ),
)
