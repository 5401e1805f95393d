import pytest
from aigate.inspect.detectors import pii_national_asia_pacific as module
from test_inspect_detectors_pii_national import glued_rule, make, rows, run_row, table_rules

AADHAAR = make("in_aadhaar", "5### #### ###?")
AADHAAR_BAD = make("in_aadhaar", "5### #### ###?", valid=False)
AADHAAR_DASHED = make("in_aadhaar_compact", "7###-####-###?", seed=3)
AADHAAR_DASHED_BAD = make("in_aadhaar_compact", "7###-####-###?", valid=False, seed=3)
PAN = "BQWPK4821M"  # made up: holder type P (a person), name initial K
GSTIN = make("in_gstin", f"27{PAN}1Z?")
GSTIN_BAD = make("in_gstin", f"27{PAN}1Z?", valid=False)
EPIC = make("in_voter_id", "KXR######?")
EPIC_BAD = make("in_voter_id", "KXR######?", valid=False)
NRIC = {series: make("sg_nric", f"{series}#######?") for series in "STFGM"}
NRIC_BAD = make("sg_nric", "S#######?", valid=False)
UEN = make("sg_uen_compact", "########?")
UEN_BAD = make("sg_uen_compact", "########?", valid=False)
UEN_LOCAL = make("sg_uen", "2015#####?")
UEN_LOCAL_BAD = make("sg_uen", "2015#####?", valid=False)
UEN_OTHER = make("sg_uen", "T09LL####?")
TFN = make("au_tfn", "### ### ##?")
TFN_BAD = make("au_tfn", "### ### ##?", valid=False)
ABN = make("au_abn", "?? ### ### ###")
ABN_BAD = make("au_abn", "?? ### ### ###", valid=False)
ABN_COMPACT = ABN.replace(" ", "")
ACN = make("au_acn", "### ### ##?")
ACN_BAD = make("au_acn", "### ### ##?", valid=False)
MEDICARE = make("au_medicare", "3### ####? 1")
MEDICARE_BAD = make("au_medicare", "3### ####? 1", valid=False)
IRD = make("nz_ird", "##-###-##?")
IRD_BAD = make("nz_ird", "##-###-##?", valid=False)
RRN = make("kr_rrn", "880512-1#####?")
RRN_FOREIGN = make("kr_rrn", "880512-5#####?", seed=2)
RRN_BAD = make("kr_rrn", "880512-1#####?", valid=False)
BRN = make("kr_brn", "###-##-####?")
BRN_BAD = make("kr_brn", "###-##-####?", valid=False)
RRN_COMPACT = RRN.replace("-", "")
RRN_COMPACT_BAD = RRN_BAD.replace("-", "")
MY_NUMBER = make("jp_my_number", "#### #### ###?")
MY_NUMBER_BAD = make("jp_my_number", "#### #### ###?", valid=False)
HOUJIN = make("jp_corporate_number", "?############")
HOUJIN_BAD = make("jp_corporate_number", "?############", valid=False)
RIC = make("cn_resident_id", "11010519900307###?")
RIC_BAD = make("cn_resident_id", "11010519900307###?", valid=False)
USCC = make("cn_uscc", "91110000#########?")
USCC_BAD = make("cn_uscc", "91110000#########?", valid=False)
TW = make("tw_national_id", "F2#######?")
TW_BAD = make("tw_national_id", "F2#######?", valid=False)
HKID = make("hk_hkid", "K######(?)")
HKID_TWO = make("hk_hkid", "XA######(?)")
HKID_BAD = make("hk_hkid", "K######(?)", valid=False)
TH = make("th_national_id", "1-####-#####-##-?")
TH_BAD = make("th_national_id", "1-####-#####-##-?", valid=False)
TH_COMPACT = TH.replace("-", "")
TH_COMPACT_BAD = TH_BAD.replace("-", "")
MYKAD = make("my_nric", "880512-14-####")
NIK = make("id_nik", "327301120588####")
CNIC = make("pk_cnic", "35202-#######-#")
PH_TIN = make("ph_tin", "###-###-###")

CASES = {
    "in_aadhaar": [
        (f"Aadhaar «{AADHAAR}»", "validated"),
        (f"«{AADHAAR}» on the e-KYC form", "validated"),  # UIDAI's grouping needs no label
        (f"Aadhaar «{AADHAAR_BAD}»", "low"),
        (AADHAAR.replace(" ", "-"), None),  # other groupings need a label
        (f"IBAN IE29 AIBK {AADHAAR} 79", None),  # groups inside a longer grouped number
        (f"card 4000 {AADHAAR}", None),
        (AADHAAR.replace(" ", ""), None),
    ],
    "in_aadhaar_compact": [
        (f"आधार संख्या «{AADHAAR.replace(' ', '')}»", "validated"),
        (f"Aadhaar of the customer: «{AADHAAR_DASHED}»", "validated"),
        (f"UID: «{AADHAAR_DASHED.replace('-', ':')}»", "validated"),
        (f"Aadhaar «{AADHAAR_DASHED_BAD}»", "low"),
        (f"order {AADHAAR_DASHED}", None),
    ],
    "in_pan": [
        (f"PAN: «{PAN}»", "validated"),
        (f"vendor «{PAN}» registered", "validated"),
        ("BQWDK4821M", None),  # D is no holder type
        (PAN.lower(), None),
    ],
    "in_gstin": [
        (f"GSTIN «{GSTIN}»", "validated"),
        (f"«{GSTIN}»", "validated"),
        (f"«{GSTIN_BAD}»", "low"),
        (f"27{PAN[:3]}D{PAN[4:]}1Z5", None),  # the PAN inside has no holder type D
        (f"65{PAN}1Z5", None),  # no state 65
    ],
    "in_voter_id": [
        (f"voter ID «{EPIC}»", "validated"),
        (f"EPIC no «{EPIC_BAD}»", "low"),
        (f"part {EPIC}", None),
    ],
    "sg_nric": [
        (f"NRIC «{NRIC['S']}»", "validated"),
        *[(f"holder «{NRIC[series]}»", "validated") for series in "TFGM"],
        (f"«{NRIC_BAD}»", "low"),
        ("A1234867B", None),
        ("S1234567D", None),  # the sample on every form
    ],
    "sg_uen": [
        (f"UEN: «{UEN_LOCAL}»", "validated"),
        (f"registered as «{UEN_LOCAL}» in 2015", "validated"),  # the year leads: no label
        (f"society «{UEN_OTHER}»", "validated"),
        (f"«{UEN_LOCAL_BAD}»", "low"),
        (f"ref {UEN}", None),  # a business's eight digits need a label
    ],
    "sg_uen_compact": [
        (f"UEN «{UEN}»", "validated"),
        (f"UEN «{UEN_BAD}»", "low"),
        (f"ref {UEN}", None),
    ],
    "au_tfn": [
        (f"TFN «{TFN}»", "validated"),
        (f"tax file number: «{TFN.replace(' ', '')}»", "validated"),
        (f"TFN «{TFN_BAD}»", "low"),
        (f"order {TFN}", None),
    ],
    "au_abn": [
        (f"ABN «{ABN}»", "validated"),
        (f"invoice from «{ABN}»", "validated"),  # printed 11 222 333 444: no label needed
        (f"ABN «{ABN_BAD}»", "low"),
        (f"invoice {ABN_COMPACT}", None),
        ("invoice 11 111 111 111", None),
        (f"ref {ABN} 4", None),
    ],
    "au_abn_compact": [
        (f"ABN: «{ABN_COMPACT}»", "validated"),
        (f"ABN «{ABN_BAD.replace(' ', '')}»", "low"),
        (f"invoice {ABN_COMPACT}", None),
    ],
    "au_acn": [
        (f"ACN «{ACN}»", "validated"),
        (f"ACN «{ACN_BAD}»", "low"),
        (f"invoice {ACN}", None),
    ],
    "au_medicare": [
        (f"Medicare card «{MEDICARE}»", "validated"),
        (f"card «{MEDICARE}»", "validated"),  # the card's own grouping
        (f"Medicare «{MEDICARE_BAD}»", "low"),
        (f"ticket {MEDICARE.replace(' ', '')}", None),
    ],
    "au_medicare_compact": [
        (f"Medicare no. «{MEDICARE.replace(' ', '')}»", "validated"),
        (f"Medicare «{MEDICARE_BAD.replace(' ', '')}»", "low"),
        (f"ticket {MEDICARE.replace(' ', '')}", None),
    ],
    "nz_ird": [
        (f"IRD number «{IRD}»", "validated"),
        (f"IRD «{IRD_BAD}»", "low"),
        (f"order {IRD}", None),
    ],
    "kr_rrn": [
        (f"주민등록번호 «{RRN}»", "validated"),
        (f"제 주민등록번호는 «{RRN}»입니다", "validated"),
        (f"«{RRN_FOREIGN}»", "validated"),
        (f"«{RRN_BAD}»", "low"),  # also every number issued since October 2020
        ("881312-1234567", None),  # month 13
        (f"{RRN.replace('-', '')}", None),
    ],
    "kr_rrn_compact": [
        (f"applicant RRN «{RRN_COMPACT}»", "validated"),
        (f"외국인등록번호 «{RRN_COMPACT}»", "validated"),
        (f"RRN «{RRN_COMPACT_BAD}»", "low"),
        (f"주문 {RRN_COMPACT}", None),
    ],
    "kr_brn": [
        (f"사업자등록번호 «{BRN}»", "validated"),
        (f"«{BRN}»", "validated"),  # the NTS's 3-2-5 layout
        (f"BRN «{BRN_BAD}»", "low"),
        ("123-45-678", None),
    ],
    "kr_brn_compact": [
        (f"BRN for the vendor: «{BRN.replace('-', '')}»", "validated"),
        (f"BRN «{BRN_BAD.replace('-', '')}»", "low"),
        (f"주문 {BRN.replace('-', '')}", None),
    ],
    "jp_my_number": [
        (f"マイナンバー «{MY_NUMBER}»", "validated"),
        (
            f"私のマイナンバーは«{MY_NUMBER.replace(' ', '')}»です",
            "validated",
        ),  # no spaces in Japanese
        (f"My Number: «{MY_NUMBER.replace(' ', '')}»", "validated"),
        (f"個人番号 «{MY_NUMBER_BAD}»", "low"),
        (f"注文 {MY_NUMBER}", None),
    ],
    "jp_corporate_number": [
        (f"法人番号 «{HOUJIN}»", "validated"),
        (f"corporate number «{HOUJIN_BAD}»", "low"),
        (f"注文 {HOUJIN}", None),
    ],
    "cn_resident_id": [
        (f"身份证号 «{RIC}»", "validated"),
        (f"«{RIC}»", "validated"),
        (f"«{RIC_BAD}»", "low"),
        ("110105199013071234", None),  # month 13
        ("990105199003071234", None),  # no region 99
    ],
    "cn_uscc": [
        (f"统一社会信用代码 «{USCC}»", "validated"),
        (f"公司的统一社会信用代码为«{USCC}»。", "validated"),
        (f"USCC «{USCC_BAD}»", "low"),
        (f"订单 {USCC}", None),
    ],
    "tw_national_id": [
        (f"身分證 «{TW}»", "validated"),
        (f"national ID «{TW_BAD}»", "low"),
        (f"order {TW}", None),
    ],
    "hk_hkid": [
        (f"HKID «{HKID}»", "validated"),
        (f"«{HKID_TWO}»", "validated"),
        (f"«{HKID_BAD}»", "low"),
        (f"{HKID.replace('(', '').replace(')', '')}", None),
    ],
    "th_national_id": [
        (f"เลขประจำตัวประชาชน «{TH}»", "validated"),
        (f"«{TH.replace('-', ' ')}»", "validated"),
        (f"«{TH_BAD}»", "low"),
        (f"{TH.replace('-', '')}", None),  # thirteen bare digits
        ("9-1234-56789-12-3", None),
    ],
    "th_national_id_compact": [
        (f"Thai ID of the applicant: «{TH_COMPACT}»", "validated"),
        (f"เลขบัตรประชาชน «{TH_COMPACT}»", "validated"),
        (f"TNIN: «{TH_COMPACT_BAD}»", "low"),
        (f"{TH_COMPACT}", None),
    ],
    "my_nric": [
        (f"MyKad «{MYKAD}»", "validated"),
        (f"«{MYKAD}»", "validated"),
        ("881312-14-1234", None),  # month 13
        ("880512-19-1234", None),  # no birthplace 19
    ],
    "id_nik": [
        (f"NIK «{NIK}»", "context"),
        (f"No. KTP: «{NIK}»", "context"),
        (f"pesanan {NIK}", None),
        ("NIK 3273013205881234", None),  # day 32
    ],
    "pk_cnic": [
        (f"CNIC «{CNIC}»", "validated"),
        (f"«{CNIC}»", "validated"),
        ("95202-1234867-1", None),  # no province 9
    ],
    "ph_tin": [
        (f"TIN «{PH_TIN}»", "context"),
        (f"BIR TIN: «{PH_TIN}-000»", "context"),
        (f"order {PH_TIN}", None),
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
    ("check", "good", "bad"),
    [
        (module._nric, "S1234567D", "S1234567E"),  # the examples on ICA's forms
        (module._hkid, "A123456(3)", "A123456(4)"),  # and Hong Kong's
        (module._tw_id, "A123456789", "A123456788"),
        (module._medicare, "2123456701", "2123456711"),  # NEHTA's example 2123 45670 1
        # 2+6+0+8+3+42+2+15+15 = 93, plus 3*5 // 10 = 1: 94, so the check digit is 6
        (module._brn, "220-81-62536", "220-81-62537"),
    ],
)
def test_written_out_checks_agree_with_the_issuers_examples(check, good, bad):
    assert check(good) and not check(bad)
