"""National identification, tax, health and company numbers of the Americas (see pii_national
for how validator, checksum and labels divide the work)."""

from __future__ import annotations

from stdnum import luhn
from stdnum.ar import cuit
from stdnum.br import cnpj, cpf
from stdnum.ca import bn, sin
from stdnum.cl import rut
from stdnum.mx import curp, rfc
from stdnum.us import ein, ssn

from aigate.inspect.detectors.base import Detector, digits
from aigate.inspect.detectors.pii_national import (
    labels,
    not_typed,
    official,
    standalone,
    stdnum_layout,
    stdnum_valid,
    typed,
)

_SSN_LABELS = labels("ssn", "ssns", "ss#", "social security", "soc sec", "soc. sec")
_ITIN_LABELS = labels("itin", "individual taxpayer", "tin", "taxpayer id", "tax id")


# Printed in advertisements (a wallet's sample card, a commercial's): never a person's.
_ADVERTISED_SSNS = frozenset({"078051120", "457555462", "219099999"})


def _ssn_number(number: str) -> bool:
    """The SSA's assignment rules: no area 000, 666 or 9xx, no group 00, no serial 0000, none of
    the numbers printed in advertisements. Nine ASCII digits are judged here (1 us against
    python-stdnum's 13, which cleans Unicode first); anything else by stdnum."""
    if len(number) != 9 or not number.isascii() or not number.isdigit():
        return ssn.is_valid(number)
    area = number[:3]
    return (area != "000" and area != "666" and area[0] != "9" and number[3:5] != "00"
            and number[5:] != "0000" and number not in _ADVERTISED_SSNS)


def _ssn(value: str) -> bool:
    return _ssn_number(digits(value)) and not typed(value)


# The IRS's ITIN group ranges (digits 4-5): 50-65 since 2011, 70-88, 90-92 and 94-99.
_ITIN_GROUPS = frozenset((*range(50, 66), *range(70, 89), 90, 91, 92, *range(94, 100)))


def _itin_number(number: str) -> bool:
    return len(number) == 9 and number[0] == "9" and int(number[3:5]) in _ITIN_GROUPS


def _ssn_or_itin(value: str) -> bool:
    seps = {ch for ch in value if not ch.isdigit()}
    number = digits(value)
    return len(seps) <= 1 and not typed(value) and (_ssn_number(number) or _itin_number(number))


def _itin(value: str) -> bool:
    seps = {ch for ch in value if not ch.isdigit()}
    return len(seps) <= 1 and not typed(value) and _itin_number(digits(value))


def _mbi(value: str) -> bool:
    return value.count("-") in (0, 2)


def _npi(value: str) -> bool:
    """CMS: the Luhn check digit over the number prefixed with 80840 (the US health-card issuer
    identifier)."""
    return luhn.is_valid("80840" + digits(value))


def _dea(value: str) -> bool:
    """DEA: digits 1+3+5 plus twice 2+4+6; the last digit of that sum is the seventh digit."""
    d = [int(ch) for ch in value[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


_RFC_LABELS = labels("rfc", "registro federal de contribuyentes", "r.f.c")

_MBI_LETTER = "[AC-HJKMNP-RT-Y]"  # no S, L, O, I, B or Z
_MBI_ANY = "[0-9AC-HJKMNP-RT-Y]"

DETECTORS = standalone(
    # Written with dashes 3-2-4, a number is an SSN: no other common number is printed that way,
    # and the assignment rules (area, group, serial) reject the made-up ones.
    Detector(
        "us_ssn",
        "pii",
        r"\b\d{3}-\d{2}-\d{4}\b",
        _ssn,
        context=_SSN_LABELS,
        confidence="validated",
        keep=(0, 4),
        regions=("US",),
        source="https://en.wikipedia.org/wiki/Social_Security_number",
        description="US Social Security number, 123-45-6789 (area, group and serial rules).",
    ),
    Detector(
        "us_ssn_compact",
        "pii",
        r"\b\d{3} \d{2} \d{4}\b|\b\d{9}\b",
        _ssn_or_itin,
        context=_SSN_LABELS + _ITIN_LABELS,
        context_required=True,
        keep=(0, 4),
        regions=("US",),
        source="https://en.wikipedia.org/wiki/Social_Security_number",
        description="US SSN or ITIN written without dashes (with a label).",
    ),
    # 9xx area with a group in the IRS's ITIN ranges, dashed or spaced: the IRS's own layout.
    Detector(
        "us_itin",
        "pii",
        r"\b9\d{2}-\d{2}-\d{4}\b|\b9\d{2} \d{2} \d{4}\b",
        _itin,
        context=_ITIN_LABELS,
        confidence="validated",
        keep=(0, 4),
        regions=("US",),
        source="https://www.irs.gov/individuals/individual-taxpayer-identification-number",
        description="US individual taxpayer identification number (9xx area, ITIN group ranges).",
    ),
    Detector(
        "us_ein",
        "pii",
        r"\b\d{2}-\d{7}\b",  # the IRS's printed form only: "ein" is also German for "a"
        not_typed,
        context=labels(
            "ein",
            "fein",
            "employer identification",
            "employer id",
            "federal tax id",
            "tax id",
            "tin",
        ),
        context_required=True,
        checksum=stdnum_valid(ein),  # the IRS campus prefixes
        keep=(0, 3),
        regions=("US",),
        source="https://www.irs.gov/businesses/small-businesses-self-employed/how-eins-are-assigned-and-valid-ein-prefixes",
        description="US employer identification number (valid IRS prefix, with a label).",
    ),
    # The MBI's layout (digit, letter, letter-or-digit, ... with six letters never used) is
    # CMS's own; other eleven-character codes rarely fit it.
    Detector(
        "us_mbi",
        "pii",
        rf"\b[1-9]{_MBI_LETTER}{_MBI_ANY}\d-?{_MBI_LETTER}{_MBI_ANY}\d-?{_MBI_LETTER}{{2}}\d{{2}}\b",
        _mbi,
        context=labels("mbi", "medicare", "beneficiary", "hicn"),
        confidence="validated",
        regions=("US",),
        source="https://www.cms.gov/medicare/new-medicare-card/understanding-new-medicare-beneficiary-identifier-mbi",
        description="US Medicare beneficiary identifier (CMS character layout).",
    ),
    Detector(
        "us_npi",
        "pii",
        r"\b[12]\d{9}\b|\b[12]\d{3}[ -]\d{3}[ -]\d{3}\b",
        not_typed,
        context=labels("npi", "national provider", "provider id", "provider number", "prescriber"),
        context_required=True,
        checksum=_npi,
        regions=("US",),
        source="https://www.cms.gov/Regulations-and-Guidance/Administrative-Simplification/NationalProvIdentStand/Downloads/NPIcheckdigit.pdf",
        description="US national provider identifier (Luhn with prefix 80840, with a label).",
    ),
    Detector(
        "us_dea",
        "pii",
        r"\b[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}\b",
        not_typed,
        context=labels("dea", "dea#", "drug enforcement"),
        context_required=True,
        checksum=_dea,
        regions=("US",),
        source="https://en.wikipedia.org/wiki/DEA_number",
        description="US DEA registration number of a prescriber (check digit, with a label).",
    ),
    Detector(
        "ca_sin",
        "pii",
        r"\b\d{3}[ -]?\d{3}[ -]?\d{3}\b",
        # "sin" is Spanish for "without" and "nas" Portuguese for "in the": the French label
        # is spelled out and the label must sit close to the number.
        context=(
            *labels("sin", "social insurance", "numéro d'assurance sociale", "assurance sociale"),
            *("nas:", "nas :", "nas#", "(nas)", "numéro nas", "n° nas", "no nas"),
        ),
        context_required=True,
        checksum=stdnum_valid(sin),
        keep=(0, 3),
        window=40,
        regions=("CA",),
        source="https://www.canada.ca/en/employment-social-development/services/sin.html",
        description="Canadian social insurance number (Luhn, with a label).",
    ),
    # Nine digits followed by a program account (RT0001) is the CRA's layout.
    Detector(
        "ca_bn",
        "pii",
        r"\b\d{9} ?(?:RC|RM|RP|RR|RT|RZ) ?\d{4}\b",
        context=labels("business number", "bn", "numéro d'entreprise", "gst/hst"),
        **official(bn),
        regions=("CA",),
        source="https://www.canada.ca/en/services/taxes/business-number.html",
        description="Canadian business number with program account (Luhn).",
    ),
    Detector(
        "br_cpf",
        "pii",
        r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b",
        context=labels("cpf", "cadastro de pessoas"),
        **official(cpf),
        regions=("BR",),
        source="https://en.wikipedia.org/wiki/Cadastro_de_Pessoas_F%C3%ADsicas",
        description="Brazilian CPF, 000.000.000-00 (two check digits).",
    ),
    Detector(
        "br_cnpj",
        "pii",
        r"\b[0-9A-Z]{2}\.[0-9A-Z]{3}\.[0-9A-Z]{3}/[0-9A-Z]{4}-\d{2}\b",
        context=labels("cnpj", "cadastro nacional da pessoa"),
        **official(cnpj),
        regions=("BR",),
        source="https://en.wikipedia.org/wiki/CNPJ",
        description="Brazilian company number CNPJ, 00.000.000/0000-00 (two check digits).",
    ),
    # Letters from the name, a birth date, sex, state and a check digit: nothing else looks so.
    Detector(
        "mx_curp",
        "pii",
        r"\b[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z]\d\b",
        context=labels("curp", "clave única de registro"),
        **official(curp, curp.get_birth_date),
        regions=("MX",),
        source="https://en.wikipedia.org/wiki/CURP",
        description="Mexican population registry code CURP (birth date, check digit).",
    ),
    Detector(
        "mx_rfc",
        "pii",
        r"\b[A-Z]{3,4}\d{6}[1-9A-V][1-9A-Z][0-9A]\b",
        stdnum_layout(rfc),  # name letters, a real date, not a rude word
        context=_RFC_LABELS,
        checksum=stdnum_valid(rfc, validate_check_digits=True),
        regions=("MX",),
        source="https://es.wikipedia.org/wiki/Registro_Federal_de_Contribuyentes_(M%C3%A9xico)",
        description="Mexican taxpayer number RFC with homoclave (date, check digit).",
    ),
    # The SAT has issued RFCs whose check digit does not compute; labelled, one is still an RFC.
    Detector(
        "mx_rfc_labelled",
        "pii",
        r"\b[A-Z]{3,4}\d{6}[0-9A-Z]{3}\b",
        stdnum_layout(rfc),
        context=_RFC_LABELS,
        context_required=True,
        regions=("MX",),
        source="https://es.wikipedia.org/wiki/Registro_Federal_de_Contribuyentes_(M%C3%A9xico)",
        description="Mexican RFC after its label, whatever its check digit (the SAT has issued "
        "some that fail it).",
    ),
    Detector(
        "ar_cuit",
        "pii",
        # The type prefix as two digit classes (stdnum checks it is 20, 23, 24, 27, 30, 33 or
        # 34): spelled out, `20-` and `24-` would be prefilter atoms found in every 2024-03-18.
        r"\b[23]\d-\d{8}-\d\b",
        context=labels("cuit", "cuil", "clave única de identificación"),
        **official(cuit),
        regions=("AR",),
        source="https://es.wikipedia.org/wiki/Clave_%C3%9Anica_de_Identificaci%C3%B3n_Tributaria",
        description="Argentine tax number CUIT/CUIL, 20-12345678-9 (check digit).",
    ),
    Detector(
        "cl_rut",
        "pii",
        r"\b\d{1,2}\.\d{3}\.\d{3}-[\dkK]\b|\b\d{7,8}-[\dkK]\b",
        context=labels("rut", "run", "rol único tributario"),
        **official(rut),
        regions=("CL",),
        source="https://es.wikipedia.org/wiki/Rol_%C3%9Anico_Tributario",
        description="Chilean RUT/RUN, 12.345.678-5 (mod 11 check character).",
    ),
)
