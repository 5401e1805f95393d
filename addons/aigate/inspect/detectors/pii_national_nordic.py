"""National identification and company numbers of Sweden, Finland, Denmark, Norway and Iceland
(see pii_national for how validator, checksum and labels divide the work)."""

from __future__ import annotations

from stdnum.dk import cpr, cvr
from stdnum.fi import hetu, ytunnus
from stdnum.is_ import kennitala
from stdnum.no import fodselsnummer
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr
from stdnum.se import personnummer

from aigate.inspect.detectors.base import Detector
from aigate.inspect.detectors.pii_national import alone, labels, official, standalone, stdnum_layout

_SE_PNR_LABELS = labels(
    "personnummer",
    "samordningsnummer",
    "personnr",
    "pnr",
    "personal identity number",
    "personal identity code",
    "swedish id",
)
_SE_ORGNR_LABELS = labels(
    "organisationsnummer", "orgnummer", "org.nr", "org. nr", "org nr", "orgnr", "company id"
)
_NO_FNR_LABELS = labels("fødselsnummer", "fodselsnummer", "fnr", "f.nr", "personnummer", "d-nummer")
_KT_LABELS = labels("kennitala", "kt.")

DETECTORS = standalone(
    # A birth date, a dash (or + past a hundred years) and four digits ending in a Luhn digit:
    # how Skatteverket writes it. Without the dash ten digits are too common to read alone.
    Detector(
        "se_personnummer",
        "pii",
        r"\b(?:19|20)?\d{6}[-+]\d{4}\b",
        context=_SE_PNR_LABELS,
        **official(personnummer),
        keep=(0, 4),
        regions=("SE",),
        source="https://en.wikipedia.org/wiki/Personal_identity_number_(Sweden)",
        description="Swedish personal identity number, YYMMDD-NNNN (birth date, Luhn).",
    ),
    Detector(
        "se_personnummer_compact",
        "pii",
        r"\b(?:19|20)?\d{10}\b",
        context=_SE_PNR_LABELS,
        context_required=True,
        **official(personnummer),
        keep=(0, 4),
        regions=("SE",),
        source="https://en.wikipedia.org/wiki/Personal_identity_number_(Sweden)",
        description="Swedish personal identity number without its dash (birth date, Luhn, with "
        "a label).",
    ),
    # Ten digits with a dash before the last four, the third digit 2 or more (no birth month),
    # the first the legal form's group (5 limited companies, 7 economic associations, 8
    # non-profits, 9 partnerships; 6 sole traders): Bolagsverket's layout, with its Luhn digit.
    # Invoice numbers written YYYYMM-NNNN start with 1 or 2 and stay out.
    Detector(
        "se_orgnr",
        "pii",
        r"\b[5-9]\d[2-9]\d{3}-\d{4}\b",
        context=_SE_ORGNR_LABELS,
        **official(se_orgnr),
        regions=("SE",),
        source="https://sv.wikipedia.org/wiki/Organisationsnummer",
        description="Swedish organisation number as printed, 556703-7485 (Luhn).",
    ),
    Detector(
        "se_orgnr_compact",
        "pii",
        r"\b\d{6}-?\d{4}\b",
        context=_SE_ORGNR_LABELS,
        context_required=True,
        **official(se_orgnr),
        regions=("SE",),
        source="https://sv.wikipedia.org/wiki/Organisationsnummer",
        description="Swedish organisation number (Luhn, with a label).",
    ),
    # Birth date, century sign (- + A-F U-Y), individual number and a check character.
    Detector(
        "fi_hetu",
        "pii",
        r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]\b",
        context=labels("henkilötunnus", "hetu", "personbeteckning", "personal identity code"),
        **official(hetu, allow_temporary=True),
        keep=(0, 1),
        regions=("FI",),
        source="https://en.wikipedia.org/wiki/National_identification_number#Finland",
        description="Finnish personal identity code HETU (birth date, check character).",
    ),
    Detector(
        "fi_ytunnus",
        "pii",
        r"\b\d{7}-\d\b",
        context=labels("y-tunnus", "ytunnus", "business id", "fo-nummer", "företags-id"),
        context_required=True,
        **official(ytunnus),
        regions=("FI",),
        source="https://fi.wikipedia.org/wiki/Y-tunnus",
        description="Finnish business identifier Y-tunnus (mod 11, with a label).",
    ),
    # CPR numbers issued since 2007 may fail the old mod 11 test, so only the date is checked.
    Detector(
        "dk_cpr",
        "pii",
        r"\b[0-3]\d[01]\d{3}-?\d{4}\b",
        stdnum_layout(cpr),
        context=labels("cpr", "cpr-nr", "cpr-nummer", "personnummer", "personnr"),
        context_required=True,
        keep=(0, 4),
        regions=("DK",),
        source="https://en.wikipedia.org/wiki/Personal_identification_number_(Denmark)",
        description="Danish CPR number (birth date, with a label).",
    ),
    Detector(
        "dk_cvr",
        "pii",
        r"\b\d{8}\b|\b\d{2} \d{2} \d{2} \d{2}\b",
        context=labels("cvr", "cvr-nr", "cvr-nummer", "se-nr"),
        context_required=True,
        **official(cvr),
        regions=("DK",),
        source="https://da.wikipedia.org/wiki/CVR-nummer",
        description="Danish company number CVR (mod 11, with a label).",
    ),
    # Birth date, a space, the individual number and two mod 11 digits: 010190 12345.
    Detector(
        "no_fodselsnummer",
        "pii",
        alone(r"\b[0-7]\d[0-5]\d{3} \d{5}\b"),
        context=_NO_FNR_LABELS,
        **official(fodselsnummer, fodselsnummer.get_birth_date),
        keep=(0, 3),
        regions=("NO",),
        source="https://no.wikipedia.org/wiki/F%C3%B8dselsnummer",
        description="Norwegian national identity number as written, DDMMYY NNNNN (birth date, "
        "two mod 11 digits).",
    ),
    Detector(
        "no_fodselsnummer_compact",
        "pii",
        r"\b[0-7]\d[0-5]\d{3} ?\d{5}\b",
        context=_NO_FNR_LABELS,
        context_required=True,
        **official(fodselsnummer, fodselsnummer.get_birth_date),
        keep=(0, 3),
        regions=("NO",),
        source="https://no.wikipedia.org/wiki/F%C3%B8dselsnummer",
        description="Norwegian national identity number run together (two mod 11 digits, with "
        "a label).",
    ),
    Detector(
        "no_orgnr",
        "pii",
        r"\b\d{3} ?\d{3} ?\d{3}\b",
        context=labels("organisasjonsnummer", "org.nr", "org. nr", "org nr", "orgnr"),
        context_required=True,
        **official(no_orgnr),
        regions=("NO",),
        source="https://no.wikipedia.org/wiki/Organisasjonsnummer",
        description="Norwegian organisation number (mod 11, with a label).",
    ),
    # Birth date, a dash, two serial digits, a mod 11 digit and the century: 120174-3399.
    Detector(
        "is_kennitala",
        "pii",
        r"\b[0-7]\d[01]\d{3}-\d{4}\b",
        context=_KT_LABELS,
        **official(kennitala),
        regions=("IS",),
        source="https://en.wikipedia.org/wiki/Kennitala",
        description="Icelandic identity number kennitala as written, DDMMYY-NNNN (birth date, "
        "mod 11).",
    ),
    Detector(
        "is_kennitala_compact",
        "pii",
        r"\b[0-7]\d[01]\d{3}\d{4}\b",
        context=_KT_LABELS,
        context_required=True,
        **official(kennitala),
        regions=("IS",),
        source="https://en.wikipedia.org/wiki/Kennitala",
        description="Icelandic identity number kennitala run together (mod 11, with a label).",
    ),
)
