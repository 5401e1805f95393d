import pytest
from aigate.inspect.detectors import pii_national_africa_middle_east as module
from stdnum import luhn
from test_inspect_detectors_pii_national import glued_rule, make, rows, run_row, table_rules

ZA = make("za_id", "880512####08?")
ZA_BAD = make("za_id", "880512####08?", valid=False)
ZA_REFUGEE = make("za_id", "880512####28?", seed=3)
ZA_NO_CITIZENSHIP = ZA_REFUGEE[:10] + "38" + luhn.calc_check_digit(ZA_REFUGEE[:10] + "38")
NIN = make("ng_nin", "###########")
IL = make("il_id", "########?")
IL_BAD = make("il_id", "########?", valid=False)
EMIRATES = make("ae_emirates_id", "784-1988-#######-?")
EMIRATES_BAD = make("ae_emirates_id", "784-1988-#######-?", valid=False)

CASES = {
    "za_id": [
        (f"ID number «{ZA}»", "validated"),
        (f"SA ID: «{ZA[:6]} {ZA[6:10]} {ZA[10:]}»", "validated"),
        (f"ID no «{ZA_BAD}»", "low"),
        (f"order {ZA}", None),
        (f"Refugee ID number «{ZA_REFUGEE}»", "validated"),  # citizenship digit 2 since 2019
        (f"ID number {ZA_NO_CITIZENSHIP}", None),  # no citizenship digit 3
        ("ID number 8813120001081", None),  # month 13
    ],
    "ng_nin": [
        (f"NIN «{NIN}»", "context"),
        (f"NIMC slip, National Identification Number: «{NIN}»", "context"),
        (f"nine items, {NIN}", None),  # "nin..." words are no label
        ("NIN 12345678901", None),
    ],
    "il_id": [
        (f"תעודת זהות «{IL}»", "validated"),
        (f"Teudat Zehut «{IL[:8]}-{IL[8]}»", "validated"),
        (f"ת.ז «{IL_BAD}»", "low"),
        (f"order {IL}", None),
    ],
    "ae_emirates_id": [
        (f"Emirates ID «{EMIRATES}»", "validated"),
        (f"«{EMIRATES.replace('-', '')}»", "validated"),
        (f"«{EMIRATES_BAD}»", "low"),
        ("784-1688-1234867-1", None),  # no birth year 1688
    ],
}


def test_every_detector_has_a_table():
    table_rules(CASES, module)


def test_a_value_glued_to_a_longer_code_is_not_read():
    glued_rule(CASES)


@pytest.mark.parametrize(("detector", "text", "want"), rows(CASES))
def test_table(detector, text, want):
    run_row(detector, text, want)
