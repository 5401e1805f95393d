import pytest
from aigate.inspect.detectors import pii_national_americas as module
from test_inspect_detectors_pii_national import glued_rule, make, rows, run_row, table_rules

SSN = make("us_ssn", "5##-##-####", seed=3)
ITIN = make("us_itin", "9##-7#-####", seed=4)
EIN = make("us_ein", "??-#######")
EIN_BAD = make("us_ein", "??-#######", valid=False)
NPI = make("us_npi", "1########?")
NPI_BAD = make("us_npi", "1########?", valid=False)
DEA = make("us_dea", "BK######?")
DEA_BAD = make("us_dea", "BK######?", valid=False)
SIN = make("ca_sin", "### ### ##?")
SIN_BAD = make("ca_sin", "### ### ##?", valid=False)
BN = make("ca_bn", "########? RT0001")
BN_BAD = make("ca_bn", "########? RT0001", valid=False)
CPF = make("br_cpf", "###.###.###-??")
CPF_BAD = make("br_cpf", "###.###.###-??", valid=False)
CNPJ = make("br_cnpj", "##.###.###/0001-??")
CNPJ_ALNUM = make("br_cnpj", "##.QX#.###/0001-??")
CNPJ_BAD = make("br_cnpj", "##.###.###/0001-??", valid=False)
CURP = make("mx_curp", "ROSA870612MJCDNL0?")
CURP_BAD = make("mx_curp", "ROSA870612MJCDNL0?", valid=False)
RFC = make("mx_rfc", "ROSA870612K2?")
RFC_BAD = make("mx_rfc", "ROSA870612K2?", valid=False)
CUIT = make("ar_cuit", "20-########-?")
CUIT_BAD = make("ar_cuit", "20-########-?", valid=False)
RUT = make("cl_rut", "1#.###.###-?")
RUT_DASH = make("cl_rut", "1#######-?", seed=2)
RUT_BAD = make("cl_rut", "1#.###.###-?", valid=False)

CASES = {
    "us_ssn": [
        (f"Employee SSN: «{SSN}» on file", "validated"),
        (f"the third column holds «{SSN}» for each person", "validated"),
        ("Case 000-12-3456 closed", None),  # area 000 is never assigned
        ("666-12-3456 and 532-00-1234 and 532-12-0000", None),
        ("SSN 123-45-6789", None),  # the sample everyone types
        ("ssn : 111-22-3333", None),
        ("219-09 9998", None),
        ("call 555-123-4567", None),
    ],
    "us_ssn_compact": [
        (f"SSN «{SSN.replace('-', '')}»", "context"),
        (f"social security no. «{SSN.replace('-', ' ')}»", "context"),
        (f"ITIN: «{ITIN.replace('-', '')}»", "context"),
        (f"order {SSN.replace('-', '')} shipped", None),
        ("ssn 000123456", None),
        ("single 532041234 items since", None),  # "sin..." words are no SSN label
    ],
    "us_itin": [
        (f"ITIN «{ITIN}»", "validated"),
        (f"taxpayer «{ITIN.replace('-', ' ')}» filed", "validated"),
        ("ITIN 912-40-1234", None),  # group 40 is no ITIN group
        ("ITIN 812-70-1234", None),
        ("ITIN «943-57-0926»", "validated"),  # groups 50-65, issued since 2011
        ("ITIN 943-66-0926", None),
    ],
    "us_ein": [
        (f"EIN: «{EIN}»", "validated"),
        (f"Employer Identification Number «{EIN}»", "validated"),
        (f"EIN «{EIN_BAD}»", "low"),  # no IRS campus uses this prefix
        (f"reference {EIN} attached", None),
        (f"ein Auftrag über {EIN.replace('-', '')}", None),  # German "ein", bare digits
    ],
    "us_mbi": [
        ("Medicare MBI «3CD7-HJ2-KM48»", "validated"),
        ("member «3CD7HJ2KM48» enrolled", "validated"),
        ("3CS7-HJ2-KM48", None),  # S is never used
        ("0CD7-HJ2-KM48", None),
        ("3CD7-HJ2KM48", None),  # one dash of two
    ],
    "us_npi": [
        (f"prescriber NPI «{NPI}»", "validated"),
        (f"NPI: «{NPI[:4]}-{NPI[4:7]}-{NPI[7:]}»", "validated"),
        (f"NPI «{NPI_BAD}»", "low"),
        (f"invoice {NPI}", None),
    ],
    "us_dea": [
        (f"DEA number «{DEA}»", "validated"),
        (f"DEA# «{DEA_BAD}»", "low"),
        (f"part {DEA} in stock", None),
    ],
    "ca_sin": [
        (f"SIN: «{SIN}»", "validated"),
        (f"numéro d'assurance sociale «{SIN.replace(' ', '')}»", "validated"),
        (f"SIN «{SIN_BAD}»", "low"),
        (f"tracking {SIN}", None),
        (f"since {SIN.replace(' ', '')} came in", None),
        (f"ligue nas lojas: {SIN}", None),  # Portuguese "nas"
    ],
    "ca_bn": [
        (f"registered as «{BN}»", "validated"),
        (f"BN «{BN.replace(' ', '')}»", "validated"),
        (f"«{BN_BAD}»", "low"),
        (f"business number {BN[:9]}", None),  # nine digits alone are not enough
    ],
    "br_cpf": [
        (f"CPF «{CPF}»", "validated"),
        (f"cliente «{CPF}» cadastrado", "validated"),
        (f"CPF «{CPF_BAD}»", "low"),
        ("CPF 111.111.111-11", None),  # one digit repeated: a sample
        (f"{CPF.replace('.', '').replace('-', '')}", None),
    ],
    "br_cnpj": [
        (f"CNPJ «{CNPJ}»", "validated"),
        (f"empresa «{CNPJ_ALNUM}»", "validated"),  # alphanumeric CNPJs from 2026
        (f"«{CNPJ_BAD}»", "low"),
        ("00.000.000/0000-00", None),
    ],
    "mx_curp": [
        (f"CURP: «{CURP}»", "validated"),
        (f"«{CURP_BAD}»", "low"),
        ("ROSA871312MJCDNL01", None),  # month 13
        ("ROSA870612MJCDNL0", None),
    ],
    "mx_rfc": [
        (f"RFC «{RFC}»", "validated"),
        (f"cliente «{RFC}»", "validated"),
        (f"RFC «{RFC_BAD}»", "low"),
        ("ROSA873412K21", None),  # no such date
        ("ABCDEFGHIJKLM", None),
    ],
    "mx_rfc_labelled": [
        (f"RFC «{RFC_BAD}»", "context"),  # the SAT has issued some that fail the check
        (f"Registro Federal de Contribuyentes: «{RFC}»", "context"),
        (f"cliente {RFC_BAD}", None),
        ("RFC ROSA873412K21", None),  # no such date
    ],
    "ar_cuit": [
        (f"CUIT «{CUIT}»", "validated"),
        (f"«{CUIT_BAD}»", "low"),
        (f"{CUIT.replace('-', '')}", None),
        ("21-12345678-9", None),
        ("released 2024-03-18, patched 2020-12-01", None),  # dates hold 20- and 24-
    ],
    "cl_rut": [
        (f"RUT «{RUT}»", "validated"),
        (f"cliente «{RUT_DASH}»", "validated"),
        (f"RUT «{RUT_BAD}»", "low"),
        ("12.345.678", None),
    ],
}


def test_every_detector_has_a_table():
    table_rules(CASES, module)


def test_a_value_glued_to_a_longer_code_is_not_read():
    glued_rule(CASES)


@pytest.mark.parametrize(("detector", "text", "want"), rows(CASES))
def test_table(detector, text, want):
    run_row(detector, text, want)


@pytest.mark.parametrize(
    ("value", "valid"),
    [("1234567893", True), ("1234567894", False)],  # the example in CMS's check-digit note
)
def test_npi_check_digit(value, valid):
    assert module._npi(value) is valid


def test_dea_check_digit():
    # 1+3+5 + 2*(2+4+6) = 33: the check digit is 3
    assert module._dea("AB1234563") and not module._dea("AB1234564")
