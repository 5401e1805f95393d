import pytest
from aigate.inspect.detectors import pii_national_nordic as module
from test_inspect_detectors_pii_national import glued_rule, make, rows, run_row, table_rules

PNR = make("se_personnummer", "880512-###?")
PNR_LONG = make("se_personnummer", "19880512-###?", seed=2)
PNR_BAD = make("se_personnummer", "880512-###?", valid=False)
ORGNR_SE = make("se_orgnr", "55####-###?")
ORGNR_SE_BAD = make("se_orgnr", "55####-###?", valid=False)
HETU = make("fi_hetu", "130592-###?")
HETU_2000 = make("fi_hetu", "130503A###?", seed=2)
HETU_BAD = make("fi_hetu", "130592-###?", valid=False)
YTUNNUS = make("fi_ytunnus", "#######-?")
YTUNNUS_BAD = make("fi_ytunnus", "#######-?", valid=False)
CPR = make("dk_cpr", "120588-####")
CVR = make("dk_cvr", "#######?")
CVR_BAD = make("dk_cvr", "#######?", valid=False)
FNR = make("no_fodselsnummer", "120588###??")
FNR_BAD = make("no_fodselsnummer", "120588###??", valid=False)
ORGNR_NO = make("no_orgnr", "9#######?")
ORGNR_NO_BAD = make("no_orgnr", "9#######?", valid=False)
KT = make("is_kennitala", "120588-##?9")
KT_BAD = make("is_kennitala", "120588-##?9", valid=False)

CASES = {
    "se_personnummer": [
        (f"personnummer «{PNR}»", "validated"),
        (f"sökande «{PNR_LONG}»", "validated"),
        (f"«{PNR_BAD}»", "low"),
        ("881312-1234", None),  # month 13
        (f"{PNR.replace('-', '')}", None),  # ten bare digits
    ],
    "se_orgnr": [
        (f"organisationsnummer «{ORGNR_SE}»", "validated"),
        (f"org.nr «{ORGNR_SE.replace('-', '')}»", "validated"),
        (f"orgnr «{ORGNR_SE_BAD}»", "low"),
        (f"faktura {ORGNR_SE}", None),
    ],
    "fi_hetu": [
        (f"henkilötunnus «{HETU}»", "validated"),
        (f"«{HETU_2000}»", "validated"),
        (f"hetu «{HETU_BAD}»", "low"),
        ("310292-123A", None),  # 31 February
        ("130592/1234", None),
    ],
    "fi_ytunnus": [
        (f"Y-tunnus «{YTUNNUS}»", "validated"),
        (f"Y-tunnus «{YTUNNUS_BAD}»", "low"),
        (f"tilaus {YTUNNUS}", None),
    ],
    "dk_cpr": [
        (f"CPR-nr. «{CPR}»", "context"),
        (f"personnummer «{CPR.replace('-', '')}»", "context"),
        (f"sag {CPR}", None),
        ("CPR 320588-1234", None),  # 32 May
    ],
    "dk_cvr": [
        (f"CVR «{CVR}»", "validated"),
        (f"CVR-nr.: «{CVR_BAD}»", "low"),
        (f"ordre {CVR}", None),
    ],
    "no_fodselsnummer": [
        (f"fødselsnummer «{FNR}»", "validated"),
        (f"fnr: «{FNR[:6]} {FNR[6:]}»", "validated"),
        (f"fødselsnummer «{FNR_BAD}»", "low"),
        (f"ordre {FNR}", None),
        ("fødselsnummer 12138812345", None),  # month 13
    ],
    "no_orgnr": [
        (f"organisasjonsnummer «{ORGNR_NO}»", "validated"),
        (f"org.nr. «{ORGNR_NO[:3]} {ORGNR_NO[3:6]} {ORGNR_NO[6:]}»", "validated"),
        (f"orgnr «{ORGNR_NO_BAD}»", "low"),
        (f"ordre {ORGNR_NO}", None),
    ],
    "is_kennitala": [
        (f"kennitala «{KT}»", "validated"),
        (f"kt. «{KT.replace('-', '')}»", "validated"),
        (f"kennitala «{KT_BAD}»", "low"),
        (f"pöntun {KT}", None),
    ],
}


def test_every_detector_has_a_table():
    table_rules(CASES, module)


def test_a_value_glued_to_a_longer_code_is_not_read():
    glued_rule(CASES)


@pytest.mark.parametrize(("detector", "text", "want"), rows(CASES))
def test_table(detector, text, want):
    run_row(detector, text, want)
