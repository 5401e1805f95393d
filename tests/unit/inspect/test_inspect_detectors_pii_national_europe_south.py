import pytest
from aigate.inspect.detectors import pii_national_europe_south as module
from test_inspect_detectors_pii_national import glued_rule, make, rows, run_row, table_rules

CF = make("it_codice_fiscale", "BNCLRA92E47F205?")
CF_OMOCODE = make("it_codice_fiscale", "BNCLRA92E47F2L5?")
CF_BAD = make("it_codice_fiscale", "BNCLRA92E47F205?", valid=False)
PIVA = make("it_partita_iva", "#######058?")
PIVA_BAD = make("it_partita_iva", "#######058?", valid=False)
DNI = make("es_dni", "########?")
DNI_BAD = make("es_dni", "########?", valid=False)
DNI_DOTS = make("es_dni", "##.###.###-?", seed=2)
NIE = make("es_nie", "Y#######?")
NIE_BAD = make("es_nie", "Y#######?", valid=False)
CIF = make("es_cif", "B#######?")
CIF_BAD = make("es_cif", "B#######?", valid=False)
NIF_PT = make("pt_nif", "2#######?")
NIF_PT_BAD = make("pt_nif", "2#######?", valid=False)
CC = make("pt_cc", "######## # ZZ?")
CC_BAD = make("pt_cc", "######## # ZZ?", valid=False)

CASES = {
    "it_codice_fiscale": [
        (f"codice fiscale «{CF}»", "validated"),
        (f"«{CF_OMOCODE}»", "validated"),
        (f"CF «{CF_BAD}»", "low"),
        ("BNCLRA92E77F205X", None),  # day 77
        ("BNCLRA92E47F205", None),
    ],
    "it_partita_iva": [
        (f"P.IVA «{PIVA}»", "validated"),
        (f"partita IVA: «{PIVA}»", "validated"),
        (f"P.IVA «{PIVA_BAD}»", "low"),
        (f"ordine {PIVA}", None),
    ],
    "es_dni": [
        (f"DNI «{DNI}»", "validated"),
        (f"«{DNI_DOTS}»", "validated"),
        (f"DNI «{DNI_BAD}»", "low"),
        ("DNI 12345678Z", None),  # the sample
        (f"{DNI[:-1]}I", None),  # I is never a check letter
        (f"dni «{DNI[:-1]}{DNI[-1].lower()}»", "validated"),  # typed in lower case
    ],
    "es_nie": [
        (f"NIE «{NIE}»", "validated"),
        (f"«{NIE[0]}-{NIE[1:8]}-{NIE[8]}»", "validated"),
        (f"NIE «{NIE_BAD}»", "low"),
        (f"A{NIE[1:]}", None),
        (f"«{NIE.lower()}»", "validated"),
    ],
    "es_cif": [
        (f"CIF «{CIF}»", "validated"),
        (f"CIF «{CIF_BAD}»", "low"),
        (f"pedido {CIF}", None),
    ],
    "pt_nif": [
        (f"NIF «{NIF_PT}»", "validated"),
        (f"contribuinte n.º «{NIF_PT[:3]} {NIF_PT[3:6]} {NIF_PT[6:]}»", "validated"),
        (f"NIF «{NIF_PT_BAD}»", "low"),
        (f"encomenda {NIF_PT}", None),
    ],
    "pt_cc": [
        (f"cartão de cidadão «{CC}»", "validated"),
        (f"«{CC.replace(' ', '')}»", "validated"),
        (f"«{CC_BAD}»", "low"),
        ("12345678 9 Z", None),
        ("{4BD8D571-6D19-48D3-BE97-422220080E43}", None),
    ],
}


def test_every_detector_has_a_table():
    table_rules(CASES, module)


def test_a_value_glued_to_a_longer_code_is_not_read():
    glued_rule(CASES)


@pytest.mark.parametrize(("detector", "text", "want"), rows(CASES))
def test_table(detector, text, want):
    run_row(detector, text, want)
