import pytest
from aigate.inspect.detectors import pii_national_nordic as module
from test_inspect_detectors_pii_national import glued_rule, make, rows, run_row, table_rules

PNR = make("se_personnummer", "880512-###?")
PNR_LONG = make("se_personnummer", "19880512-###?", seed=2)
PNR_BAD = make("se_personnummer", "880512-###?", valid=False)
ORGNR_SE = make("se_orgnr", "556###-###?")
ORGNR_SE_BAD = make("se_orgnr", "556###-###?", valid=False)
PNR_COMPACT = PNR_LONG.replace("-", "")
HETU = make("fi_hetu", "130592-###?")
HETU_2000 = make("fi_hetu", "130503A###?", seed=2)
HETU_BAD = make("fi_hetu", "130592-###?", valid=False)
YTUNNUS = make("fi_ytunnus", "#######-?")
YTUNNUS_BAD = make("fi_ytunnus", "#######-?", valid=False)
CPR = make("dk_cpr", "120588-####")
CVR = make("dk_cvr", "#######?")
CVR_BAD = make("dk_cvr", "#######?", valid=False)
FNR = make("no_fodselsnummer_compact", "120588###??")
FNR_BAD = make("no_fodselsnummer_compact", "120588###??", valid=False)
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
    "se_personnummer_compact": [
        (f"personnummer för sökanden: «{PNR_COMPACT}»", "validated"),
        (f"pnr «{PNR.replace('-', '')}»", "validated"),
        (f"personnummer «{PNR_BAD.replace('-', '')}»", "low"),
        (f"order {PNR_COMPACT}", None),
    ],
    "se_orgnr": [
        (f"organisationsnummer «{ORGNR_SE}»", "validated"),
        (f"Leverantör «{ORGNR_SE}» fakturerar oss", "validated"),  # Bolagsverket's layout
        (f"orgnr «{ORGNR_SE_BAD}»", "low"),
        ("faktura 551234-5678", None),  # no organisation has a third digit below 2
        ("invoice 202403-0017", None),  # YYYYMM-NNNN: an invoice number
    ],
    "se_orgnr_compact": [
        (f"org.nr «{ORGNR_SE.replace('-', '')}»", "validated"),
        (f"orgnummer «{ORGNR_SE_BAD.replace('-', '')}»", "low"),
        (f"faktura {ORGNR_SE.replace('-', '')}", None),
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
        (f"fnr: «{FNR[:6]} {FNR[6:]}»", "validated"),
        (f"pasient «{FNR[:6]} {FNR[6:]}»", "validated"),  # written DDMMYY NNNNN: no label
        (f"fødselsnummer «{FNR_BAD[:6]} {FNR_BAD[6:]}»", "low"),
        (f"ordre {FNR}", None),
        ("fødselsnummer 121388 12345", None),  # month 13
    ],
    "no_fodselsnummer_compact": [
        (f"fødselsnummer «{FNR}»", "validated"),
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
        (f"pöntun «{KT}»", "validated"),  # DDMMYY-NNNN with its mod 11 digit: no label
        (f"kennitala «{KT_BAD}»", "low"),
        (f"pöntun {KT.replace('-', '')}", None),
        ("kennitala 123588-1239", None),  # month 35
    ],
    "is_kennitala_compact": [
        (f"kt. «{KT.replace('-', '')}»", "validated"),
        (f"kennitala «{KT_BAD.replace('-', '')}»", "low"),
        (f"pöntun {KT.replace('-', '')}", None),
    ],
}


def test_every_detector_has_a_table():
    table_rules(CASES, module)


def test_a_value_glued_to_a_longer_code_is_not_read():
    glued_rule(CASES)


@pytest.mark.parametrize(("detector", "text", "want"), rows(CASES))
def test_table(detector, text, want):
    run_row(detector, text, want)
