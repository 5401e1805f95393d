import pytest
from aigate.inspect.detectors import pii_national_europe_east as module
from test_inspect_detectors_pii_national import glued_rule, make, rows, run_row, table_rules

PESEL = make("pl_pesel", "920417####?")
PESEL_BAD = make("pl_pesel", "920417####?", valid=False)
NIP = make("pl_nip", "###-###-##-#?")
NIP_BAD = make("pl_nip", "###-###-##-#?", valid=False)
REGON = make("pl_regon", "########?")
REGON_LONG = make("pl_regon", "#############?")
REGON_BAD = make("pl_regon", "########?", valid=False)
RC = make("cz_rodne_cislo", "905512/###?")
RC_BAD = make("cz_rodne_cislo", "905512/###?", valid=False)
CNP = make("ro_cnp", "190041740###?")
CNP_BAD = make("ro_cnp", "190041740###?", valid=False)
EGN = make("bg_egn", "900417###?")
EGN_BAD = make("bg_egn", "900417###?", valid=False)
OIB = make("hr_oib", "##########?")
OIB_BAD = make("hr_oib", "##########?", valid=False)
EMSO = make("si_emso", "170499050###?")
EMSO_BAD = make("si_emso", "170499050###?", valid=False)
AMKA = make("gr_amka", "170490####?")
AMKA_BAD = make("gr_amka", "170490####?", valid=False)
IK = make("ee_isikukood", "3900417###?")
IK_BAD = make("ee_isikukood", "3900417###?", valid=False)
AK = make("lt_asmens_kodas", "4900417###?", seed=2)
AK_BAD = make("lt_asmens_kodas", "4900417###?", valid=False, seed=2)
INN = make("ru_inn", "#########?")
INN_PERSON = make("ru_inn", "##########??")
INN_BAD = make("ru_inn", "#########?", valid=False)
SNILS = make("ru_snils", "2##-###-### ??")
SNILS_BAD = make("ru_snils", "2##-###-### ??", valid=False)
OGRN = make("ru_ogrn", "1###########?")
OGRN_BAD = make("ru_ogrn", "1###########?", valid=False)
TCKN = make("tr_tckn", "2########??")
TCKN_BAD = make("tr_tckn", "2########??", valid=False)
VKN = make("tr_vkn", "#########?")
VKN_BAD = make("tr_vkn", "#########?", valid=False)

CASES = {
    "pl_pesel": [
        (f"PESEL «{PESEL}»", "validated"),
        (f"nr PESEL: «{PESEL_BAD}»", "low"),
        (f"zamówienie {PESEL}", None),
        ("PESEL 92043412345", None),  # 34 April
    ],
    "pl_nip": [
        (f"NIP «{NIP}»", "validated"),
        (f"faktura «{NIP}»", "validated"),  # the tax office's dashes: no label needed
        (f"NIP «{NIP_BAD}»", "low"),
        (f"faktura {NIP.replace('-', '')}", None),
    ],
    "pl_nip_compact": [
        (f"NIP: «{NIP.replace('-', '')}»", "validated"),
        (f"NIP «{NIP_BAD.replace('-', '')}»", "low"),
        (f"faktura {NIP.replace('-', '')}", None),
    ],
    "pl_regon": [
        (f"REGON «{REGON}»", "validated"),
        (f"REGON «{REGON_LONG}»", "validated"),
        (f"REGON «{REGON_BAD}»", "low"),
        (f"numer {REGON}", None),
    ],
    "cz_rodne_cislo": [
        (f"rodné číslo «{RC}»", "validated"),
        (f"«{RC}»", "validated"),
        (f"«{RC_BAD}»", "low"),
        ("901332/1234", None),  # month 13 (or 63 for women) does not exist
        (f"{RC.replace('/', '')}", None),
    ],
    "ro_cnp": [
        (f"CNP «{CNP}»", "validated"),
        (f"CNP: «{CNP_BAD}»", "low"),
        (f"comanda {CNP}", None),
    ],
    "bg_egn": [
        (f"ЕГН «{EGN}»", "validated"),
        (f"EGN: «{EGN_BAD}»", "low"),
        (f"поръчка {EGN}", None),
    ],
    "hr_oib": [
        (f"OIB «{OIB}»", "validated"),
        (f"OIB: «{OIB_BAD}»", "low"),
        (f"narudžba {OIB}", None),
    ],
    "si_emso": [
        (f"EMŠO «{EMSO}»", "validated"),
        (f"EMŠO «{EMSO_BAD}»", "low"),
        (f"naročilo {EMSO}", None),
    ],
    "gr_amka": [
        (f"ΑΜΚΑ «{AMKA}»", "validated"),  # noqa: RUF001 (Greek capitals)
        (f"AMKA: «{AMKA_BAD}»", "low"),
        (f"παραγγελία {AMKA}", None),
    ],
    "ee_isikukood": [
        (f"isikukood «{IK}»", "validated"),
        (f"isikukood «{IK_BAD}»", "low"),
        (f"tellimus {IK}", None),
    ],
    "lt_asmens_kodas": [
        (f"asmens kodas «{AK}»", "validated"),
        (f"asmens kodas «{AK_BAD}»", "low"),
        (f"užsakymas {AK}", None),
    ],
    "ru_inn": [
        (f"ИНН «{INN}»", "validated"),
        (f"ИНН: «{INN_PERSON}»", "validated"),
        (f"INN «{INN_BAD}»", "low"),
        (f"заказ {INN}", None),
        (f"innovation budget {INN}", None),  # a word starting "inn" is no label
    ],
    "ru_snils": [
        (f"СНИЛС «{SNILS}»", "validated"),
        (f"«{SNILS}»", "validated"),
        (f"«{SNILS_BAD}»", "low"),
        ("001-001-997 00", None),  # issued before the check number
    ],
    "ru_ogrn": [
        (f"ОГРН «{OGRN}»", "validated"),
        (f"ОГРН «{OGRN_BAD}»", "low"),
        (f"заказ {OGRN}", None),
    ],
    "tr_tckn": [
        (f"TC Kimlik No: «{TCKN}»", "validated"),
        (f"T.C. KİMLİK NUMARASI «{TCKN}»", "validated"),
        (f"TCKN «{TCKN_BAD}»", "low"),
        (f"sipariş {TCKN}", None),
    ],
    "tr_vkn": [
        (f"vergi kimlik no «{VKN}»", "validated"),
        (f"VKN «{VKN_BAD}»", "low"),
        (f"sipariş {VKN}", None),
    ],
}


def test_every_detector_has_a_table():
    table_rules(CASES, module)


def test_a_value_glued_to_a_longer_code_is_not_read():
    glued_rule(CASES)


@pytest.mark.parametrize(("detector", "text", "want"), rows(CASES))
def test_table(detector, text, want):
    run_row(detector, text, want)


def test_snils_check_number():
    # 112-233-445: 1*9 + 1*8 + 2*7 + 2*6 + 3*5 + 3*4 + 4*3 + 4*2 + 5*1 = 95
    assert module._snils("112-233-445 95") and not module._snils("112-233-445 96")
