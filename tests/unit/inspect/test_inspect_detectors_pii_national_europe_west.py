import pytest
from aigate.inspect.detectors import pii_national_europe_west as module
from test_inspect_detectors_pii_national import glued_rule, make, rows, run_row, table_rules

NHS = make("uk_nhs", "### ### ###?")
NHS_BAD = make("uk_nhs", "### ### ###?", valid=False)
UTR = make("uk_utr", "?#########")
UTR_BAD = make("uk_utr", "?#########", valid=False)
GB_VAT = make("uk_vat", "GB### #### ??")
GB_VAT_BAD = make("uk_vat", "GB### #### ??", valid=False)
DE_VAT = make("eu_vat", "DE########?")
DE_VAT_BAD = make("eu_vat", "DE########?", valid=False)
FR_VAT = make("eu_vat", "FR??#########")
NL_VAT = make("eu_vat", "NL########?B01")
AT_VAT = make("eu_vat", "ATU#######?")
ES_VAT = make("eu_vat", "ESB#######?")
BE_VAT = make("eu_vat", "BE0#######??")
PPS = make("ie_pps", "#######?")
PPS_BAD = make("ie_pps", "#######?", valid=False)
NIR = make("fr_nir", "2 91 07 75 ### ### ??")
NIR_BAD = make("fr_nir", "2 91 07 75 ### ### ??", valid=False)
NIF_FR = make("fr_nif_compact", "3#########???")
NIF_FR_BAD = make("fr_nif_compact", "3#########???", valid=False)
NIF_FR_PRINTED = f"{NIF_FR[:2]} {NIF_FR[2:4]} {NIF_FR[4:7]} {NIF_FR[7:10]} {NIF_FR[10:]}"
NIF_FR_PRINTED_BAD = (
    f"{NIF_FR_BAD[:2]} {NIF_FR_BAD[2:4]} {NIF_FR_BAD[4:7]} {NIF_FR_BAD[7:10]} {NIF_FR_BAD[10:]}"
)
SIREN = make("fr_siren", "### ### ##?")
SIREN_BAD = make("fr_siren", "### ### ##?", valid=False)
SIRET = make("fr_siret", "### ### ### ####?")
SIRET_BAD = make("fr_siret", "### ### ### ####?", valid=False)
NN = make("be_nn", "91.07.30-###.??")
NN_BAD = make("be_nn", "91.07.30-###.??", valid=False)
BSN = make("nl_bsn_compact", "########?")
BSN_BAD = make("nl_bsn_compact", "########?", valid=False)
BSN_DOTTED = f"{BSN[:4]}.{BSN[4:6]}.{BSN[6:]}"
BSN_DOTTED_BAD = f"{BSN_BAD[:4]}.{BSN_BAD[4:6]}.{BSN_BAD[6:]}"
IDNR = make("de_tax_id", "## ### ### ##?")
IDNR_BAD = make("de_tax_id", "## ### ### ##?", valid=False)
LANR = make("de_lanr", "######?26")
LANR_BAD = make("de_lanr", "######?26", valid=False)
STNR = make("de_stnr", "###/###/#####")
KVNR = make("de_kvnr", "M########?")
KVNR_BAD = make("de_kvnr", "M########?", valid=False)
RVNR = make("de_svnr", "65 150380 K ##?")
RVNR_BAD = make("de_svnr", "65 150380 K ##?", valid=False)
AT_SV = make("at_svnr", "###? 150380")
AT_SV_BAD = make("at_svnr", "###? 150380", valid=False)
AT_SV_COMPACT = AT_SV.replace(" ", "")
AHV = make("ch_ahv", "756.####.####.#?")
AHV_BAD = make("ch_ahv", "756.####.####.#?", valid=False)
UID = make("ch_uid", "CHE-###.###.##?")
UID_BAD = make("ch_uid", "CHE-###.###.##?", valid=False)

CASES = {
    "uk_nino": [
        ("NI number «JK 43 71 92 C»", "validated"),
        ("employee «JK437192C» joined", "validated"),
        ("BG437192C", None),  # prefix never allocated
        ("JK437192E", None),  # suffix A-D only
        ("DA437192C", None),
        ("JK 43 7192 C", None),
        ("nino: «WL 582049B»", "validated"),  # prefix and suffix set apart
        ("«JK 437192 C»", "validated"),
        ("JK43 7192C", None),
    ],
    "uk_nhs": [
        (f"NHS number: «{NHS}»", "validated"),
        (f"her NHS no. is «{NHS.replace(' ', '')}»", "validated"),
        (f"NHS «{NHS_BAD}»", "low"),
        (f"call {NHS} today", None),
    ],
    "uk_utr": [
        (f"UTR «{UTR}»", "validated"),
        (f"Unique Taxpayer Reference: «{UTR[:5]} {UTR[5:]}»", "validated"),
        (f"UTR «{UTR_BAD}»", "low"),
        (f"order {UTR}", None),
    ],
    "uk_vat": [
        (f"VAT Reg No «{GB_VAT}»", "validated"),
        (f"«{GB_VAT.replace(' ', '')}»", "validated"),
        (f"«{GB_VAT_BAD}»", "low"),
        ("GB12", None),
    ],
    "eu_vat": [
        (f"USt-IdNr. «{DE_VAT}»", "validated"),
        (f"supplier «{DE_VAT[:2]} {DE_VAT[2:5]} {DE_VAT[5:8]} {DE_VAT[8:]}» invoiced", "validated"),
        (f"TVA intracommunautaire «{FR_VAT}»", "validated"),
        (f"BTW «{NL_VAT}»", "validated"),
        (f"UID «{AT_VAT}»", "validated"),
        (f"NIF-IVA «{ES_VAT}»", "validated"),
        (f"BTW «{BE_VAT}»", "validated"),
        (f"«{DE_VAT_BAD}»", "low"),
        ("DE12345", None),
        ("XX123456789", None),
        (f"{DE_VAT.lower()}", None),
    ],
    "ie_pps": [
        (f"PPS No: «{PPS}»", "validated"),
        (f"PPSN «{PPS}W»".replace("»W", "W»"), "validated"),
        (f"client «{PPS}» on file", "validated"),  # the check letter makes it a PPSN
        (f"PPS «{PPS_BAD}»", "low"),
        ("ref 1234567T", None),  # a typed run
    ],
    "fr_nir": [
        (f"numéro de sécurité sociale «{NIR}»", "validated"),
        (f"«{NIR.replace(' ', '')}»", "validated"),
        (f"NIR «{NIR_BAD}»", "low"),
        ("2 91 13 75 123 456 78", None),  # month 13
    ],
    "fr_nif": [
        (f"SPI «{NIF_FR_PRINTED}»", "validated"),
        (f"déclarant «{NIF_FR_PRINTED}»", "validated"),  # the DGFiP's grouping: no label
        (f"numéro fiscal «{NIF_FR_PRINTED_BAD}»", "low"),
        (f"commande {NIF_FR}", None),
    ],
    "fr_nif_compact": [
        (f"numéro fiscal «{NIF_FR}»", "validated"),
        (f"numéro fiscal «{NIF_FR_BAD}»", "low"),
        (f"commande {NIF_FR}", None),
    ],
    "fr_siren": [
        (f"SIREN «{SIREN}»", "validated"),
        (f"n° SIREN : «{SIREN.replace(' ', '')}»", "validated"),
        (f"SIREN «{SIREN_BAD}»", "low"),
        (f"facture {SIREN}", None),
    ],
    "fr_siret": [
        (f"SIRET «{SIRET}»", "validated"),
        (f"SIRET «{SIRET_BAD}»", "low"),
        (f"colis {SIRET}", None),
    ],
    "be_nn": [
        (f"rijksregisternummer «{NN}»", "validated"),
        (f"«{NN}»", "validated"),
        (f"«{NN_BAD}»", "low"),
        ("91.13.30-123.45", None),  # month 13
        (f"{NN.replace('.', '').replace('-', '')}", None),
    ],
    "nl_bsn": [
        (f"burgerservicenummer: «{BSN_DOTTED}»", "validated"),
        (f"klant «{BSN_DOTTED}»", "validated"),  # dotted 1234.56.782: no label needed
        (f"BSN «{BSN_DOTTED_BAD}»", "low"),
        (f"order {BSN}", None),
    ],
    "nl_bsn_compact": [
        (f"BSN «{BSN}»", "validated"),
        (f"BSN «{BSN_BAD}»", "low"),
        (f"order {BSN}", None),
    ],
    "de_tax_id": [
        (f"Steuer-ID «{IDNR}»", "validated"),
        (f"Mitarbeiterin «{IDNR}»", "validated"),  # the BZSt's grouping: no label needed
        (f"Steuer-ID «{IDNR_BAD}»", "low"),
        (f"{IDNR.replace(' ', '')}", None),
    ],
    "de_tax_id_compact": [
        (f"Steueridentifikationsnummer: «{IDNR.replace(' ', '')}»", "validated"),
        (f"IdNr. «{IDNR_BAD.replace(' ', '')}»", "low"),
        (f"{IDNR.replace(' ', '')}", None),
    ],
    "de_lanr": [
        (f"LANR: «{LANR}»", "validated"),
        (f"Arztnummer «{LANR}» auf dem Rezept", "validated"),
        (f"LANR «{LANR_BAD}»", "low"),
        (f"Bestellung {LANR}", None),
    ],
    "de_bsnr": [
        ("Betriebsstättennummer: «021734568»", "context"),
        ("BSNR «711039467» der Praxis", "context"),
        ("Bestellung 711039467", None),
        ("BSNR 000000000", None),
    ],
    "de_stnr": [
        (f"Steuernummer «{STNR}»", "context"),
        (f"St.-Nr. «{STNR}»", "context"),
        (f"Aktenzeichen {STNR}", None),
        ("Steuernummer 123/456/78901", None),  # typed
    ],
    "de_kvnr": [
        (f"Krankenversichertennummer «{KVNR}»", "validated"),
        (f"KVNR: «{KVNR}»", "validated"),
        (f"Versichertennummer «{KVNR_BAD}»", "low"),
        (f"Bestellung {KVNR}", None),
    ],
    "de_svnr": [
        (f"Rentenversicherungsnummer «{RVNR}»", "validated"),
        (f"«{RVNR.replace(' ', '')}»", "validated"),
        (f"SV-Nummer «{RVNR_BAD}»", "low"),
        ("65 153380 K 041", None),  # month 33
    ],
    "at_svnr": [
        (f"Sozialversicherungsnummer «{AT_SV}»", "validated"),
        (f"Patient «{AT_SV}»", "validated"),  # as the e-card prints it: no label needed
        (f"SVNR «{AT_SV_BAD}»", "low"),
        (f"Rechnung {AT_SV_COMPACT}", None),
    ],
    "at_svnr_compact": [
        (f"SVNR: «{AT_SV_COMPACT}»", "validated"),
        (f"SVNR «{AT_SV_BAD.replace(' ', '')}»", "low"),
        (f"Rechnung {AT_SV_COMPACT}", None),
    ],
    "ch_ahv": [
        (f"AHV-Nummer «{AHV}»", "validated"),
        (f"«{AHV.replace('.', '')}»", "validated"),
        (f"«{AHV_BAD}»", "low"),
        ("757.1234.5678.97", None),
    ],
    "ch_uid": [
        (f"«{UID}» MWST", "validated"),
        (f"UID «{UID.replace('-', '').replace('.', '')}»", "validated"),
        (f"«{UID_BAD}»", "low"),
        ("CHF 123.456.789", None),
    ],
}


def test_every_detector_has_a_table():
    table_rules(CASES, module)


def test_a_value_glued_to_a_longer_code_is_not_read():
    glued_rule(CASES)


@pytest.mark.parametrize(("detector", "text", "want"), rows(CASES))
def test_table(detector, text, want):
    run_row(detector, text, want)


def test_kvnr_check_digit_on_the_gkv_example():
    # § 290 SGB V, Anlage 1: A000500015 (A = 01; 0+2+0+0+0+0+5+0+0+0 ... mod 10 = 5)
    assert module._kvnr("A000500015") and not module._kvnr("A000500016")


def test_pension_number_check_digit_on_the_drv_example():
    # DRV's example 15 070649 C 103: weighted cross sums 43, check digit 3
    assert module._rvnr("15070649C103") and not module._rvnr("15070649C104")
