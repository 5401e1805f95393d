"""National identification, tax, health and company numbers of Asia and the Pacific (see
pii_national for how validator, checksum and labels divide the work). Labels are listed in the
country's script as well as in English: 주민등록번호, マイナンバー, 身份证, เลขประจำตัวประชาชน."""

from __future__ import annotations

import re

from stdnum.au import abn, acn, tfn
from stdnum.cn import ric, uscc
from stdnum.id import nik
from stdnum.in_ import aadhaar, epic, gstin
from stdnum.jp import cn as jp_cn
from stdnum.jp import in_ as jp_in
from stdnum.kr import brn, rrn
from stdnum.my import nric as my_nric
from stdnum.nz import ird
from stdnum.pk import cnic
from stdnum.sg import uen
from stdnum.th import pin

from aigate.inspect.detectors.base import Detector, digits
from aigate.inspect.detectors.pii_national import (
    alone,
    holds,
    labels,
    not_typed,
    official,
    standalone,
    stdnum_layout,
)

_AADHAAR_LABELS = labels(
    "aadhaar", "aadhar", "adhaar", "uidai", "uid", "uid no", "uid number", "आधार", "ஆதார்"
)

_ABN_LABELS = labels("abn", "australian business number")
_MEDICARE_LABELS = labels("medicare", "medicare card", "medicare no")
_RRN_LABELS = labels(
    "주민등록번호",
    "주민번호",
    "외국인등록번호",
    "rrn",
    "frn",
    "resident registration",
    "foreigner registration",
    "alien registration",
)

_BRN_LABELS = labels(
    "사업자등록번호", "사업자번호", "사업자 등록번호", "business registration", "brn"
)
_UEN_LABELS = labels("uen", "unique entity number", "acra", "entity number")
_TH_LABELS = labels(
    "เลขประจำตัวประชาชน",
    "เลขบัตรประชาชน",
    "บัตรประชาชน",
    "thai id",
    "tnin",
    "national id",
    "citizen id",
)

_NRIC_TABLES = {
    "S": ("JZIHGFEDCBA", 0),
    "T": ("JZIHGFEDCBA", 4),
    "F": ("XWUTRQPNMLK", 0),
    "G": ("XWUTRQPNMLK", 4),
    "M": ("XWUTRQPNJLK", 3),
}


def _nric(value: str) -> bool:
    """Singapore NRIC/FIN: seven digits weighted 2, 7, 6, 5, 4, 3, 2 plus the series offset,
    mod 11, picks the check letter from the series' table."""
    table, offset = _NRIC_TABLES[value[0]]
    total = offset + sum(int(d) * w for d, w in zip(value[1:8], (2, 7, 6, 5, 4, 3, 2), strict=True))
    return value[8] == table[total % 11]


_HKID = re.compile(r"([A-Z]{1,2})(\d{6})\(([0-9A])\)")


def _hkid(value: str) -> bool:
    """Hong Kong identity card: letters as 10-35 (a missing first letter as 36), digits, and the
    check character (A = 10) weighted 9..1 add up to a multiple of 11."""
    match = _HKID.fullmatch(value)
    if match is None:
        return False
    letters, numbers, check = match.groups()
    values = [36] if len(letters) == 1 else []
    values += [ord(ch) - 55 for ch in letters] + [int(d) for d in numbers]
    values.append(10 if check == "A" else int(check))
    return sum(v * w for v, w in zip(values, range(9, 0, -1), strict=True)) % 11 == 0


# Taiwan's letters stand for two-digit area codes, not in alphabetical order.
_TW_AREA = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))


def _tw_id(value: str) -> bool:
    """Taiwan national id / resident certificate: the area code's digits weighted 1, 9, the
    nine digits 8..1, 1; the sum is a multiple of 10."""
    area = _TW_AREA[value[0]]
    total = area // 10 + area % 10 * 9
    total += sum(int(d) * w for d, w in zip(value[1:], (8, 7, 6, 5, 4, 3, 2, 1, 1), strict=True))
    return total % 10 == 0


def _medicare(value: str) -> bool:
    """Australian Medicare card: digits 1-8 weighted 1, 3, 7, 9, 1, 3, 7, 9; the sum mod 10 is
    the ninth digit (the tenth is the card's issue number)."""
    d = [int(ch) for ch in digits(value)]
    return sum(x * w for x, w in zip(d[:8], (1, 3, 7, 9, 1, 3, 7, 9), strict=True)) % 10 == d[8]


def _brn(value: str) -> bool:
    """Korean business registration number: digits 1-9 weighted 1, 3, 7, 1, 3, 7, 1, 3, 5, plus
    the tens of the ninth digit times 5; the check digit makes the sum a multiple of 10."""
    d = [int(ch) for ch in digits(value)]
    total = sum(x * w for x, w in zip(d[:9], (1, 3, 7, 1, 3, 7, 1, 3, 5), strict=True))
    total += d[8] * 5 // 10
    return (10 - total % 10) % 10 == d[9]


DETECTORS = standalone(
    # UIDAI prints the number in three groups of four: so written, with its Verhoeff digit, it
    # needs no label; run together or grouped otherwise it does.
    Detector(
        "in_aadhaar",
        "pii",
        alone(r"\b[2-9]\d{3} \d{4} \d{4}\b"),
        context=_AADHAAR_LABELS,
        **official(aadhaar),
        keep=(0, 4),
        regions=("IN",),
        source="https://uidai.gov.in/en/my-aadhaar/about-your-aadhaar.html",
        description="Indian Aadhaar number as UIDAI prints it, 1234 5678 9012 (Verhoeff).",
    ),
    Detector(
        "in_aadhaar_compact",
        "pii",
        r"\b[2-9]\d{3}[ :-]?\d{4}[ :-]?\d{4}\b",
        context=_AADHAAR_LABELS,
        context_required=True,
        **official(aadhaar, strip=":-"),
        keep=(0, 4),
        regions=("IN",),
        source="https://en.wikipedia.org/wiki/Aadhaar",
        description="Indian Aadhaar number run together or dashed (Verhoeff, with a label).",
    ),
    # Three letters, the holder type (P person, C company, ...), the name's initial, four digits
    # and a letter: the Income Tax Department's layout, rare in other text.
    Detector(
        "in_pan",
        "pii",
        r"\b[A-Z]{3}[ABCFGHJLPT][A-Z]\d{4}[A-Z]\b",
        context=labels("pan", "pan no", "pan card", "permanent account number", "पैन"),
        confidence="validated",
        regions=("IN",),
        source="https://en.wikipedia.org/wiki/Permanent_account_number",
        description="Indian permanent account number PAN (holder-type layout).",
    ),
    Detector(
        "in_gstin",
        "pii",
        r"\b\d{2}[A-Z]{3}[ABCFGHJLPT][A-Z]\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]\b",
        context=labels("gstin", "gst", "gst no", "goods and services tax"),
        **official(gstin),
        regions=("IN",),
        source="https://en.wikipedia.org/wiki/Goods_and_Services_Tax_(India)",
        description="Indian GST identification number (state code, PAN, mod 36 check).",
    ),
    Detector(
        "in_voter_id",
        "pii",
        r"\b[A-Z]{3}\d{7}\b",
        context=labels("voter", "epic", "electoral", "election card", "मतदाता"),
        context_required=True,
        **official(epic),
        regions=("IN",),
        source="https://en.wikipedia.org/wiki/Voter_ID_(India)",
        description="Indian voter id EPIC (Luhn, with a label).",
    ),
    Detector(
        "sg_nric",
        "pii",
        r"\b[STFGM]\d{7}[A-Z]\b",
        not_typed,
        context=labels("nric", "fin", "uin", "ic no", "i/c"),
        checksum=_nric,
        keep=(1, 1),
        regions=("SG",),
        source="https://en.wikipedia.org/wiki/National_Registration_Identity_Card",
        description="Singapore NRIC/FIN (series letter, check letter).",
    ),
    # Local companies' YYYYNNNNNC (registration year first) and the T/S/R series'
    # TYYPQNNNNC: ACRA's layouts with a check letter.
    Detector(
        "sg_uen",
        "pii",
        r"\b(?:19|20)\d{7}[A-Z]\b|\b[RST]\d{2}[A-Z]{2}\d{4}[A-Z]\b",
        context=_UEN_LABELS,
        **official(uen),
        regions=("SG",),
        source="https://www.uen.gov.sg/ueninternet/faces/pages/admin/aboutUEN.jspx",
        description="Singapore unique entity number UEN of companies and other entities "
        "(check letter).",
    ),
    # Businesses' eight digits and a letter are the shape of a Spanish DNI too: label needed.
    Detector(
        "sg_uen_compact",
        "pii",
        r"\b\d{8,9}[A-Z]\b",
        context=_UEN_LABELS,
        context_required=True,
        **official(uen),
        regions=("SG",),
        source="https://www.uen.gov.sg/ueninternet/faces/pages/admin/aboutUEN.jspx",
        description="Singapore unique entity number UEN of a business (check letter, with a "
        "label).",
    ),
    Detector(
        "au_tfn",
        "pii",
        r"\b\d{3} ?\d{3} ?\d{2,3}\b",
        context=labels("tfn", "tax file number"),
        context_required=True,
        **official(tfn),
        keep=(0, 3),
        regions=("AU",),
        source="https://en.wikipedia.org/wiki/Tax_file_number",
        description="Australian tax file number (weighted check, with a label).",
    ),
    # The ABR prints 51 824 753 556; so grouped, its mod 89 check is enough without a label.
    Detector(
        "au_abn",
        "pii",
        alone(r"\b\d{2} \d{3} \d{3} \d{3}\b"),
        context=_ABN_LABELS,
        **official(abn),
        regions=("AU",),
        source="https://abr.business.gov.au/Help/AbnFormat",
        description="Australian business number ABN as printed, 51 824 753 556 (mod 89).",
    ),
    Detector(
        "au_abn_compact",
        "pii",
        r"\b\d{2} ?\d{3} ?\d{3} ?\d{3}\b",
        context=_ABN_LABELS,
        context_required=True,
        **official(abn),
        regions=("AU",),
        source="https://en.wikipedia.org/wiki/Australian_Business_Number",
        description="Australian business number ABN run together (mod 89, with a label).",
    ),
    Detector(
        "au_acn",
        "pii",
        r"\b\d{3} ?\d{3} ?\d{3}\b",
        context=labels("acn", "arbn", "australian company number"),
        context_required=True,
        **official(acn),
        regions=("AU",),
        source="https://en.wikipedia.org/wiki/Australian_Company_Number",
        description="Australian company number ACN (check digit, with a label).",
    ),
    # Printed on the card as 2123 45670 1: four, five and one digits (and the holder's position).
    Detector(
        "au_medicare",
        "pii",
        alone(r"\b[2-6]\d{3} \d{5} \d(?:[ -]\d)?\b"),
        not_typed,
        context=_MEDICARE_LABELS,
        checksum=_medicare,
        keep=(0, 2),
        regions=("AU",),
        source="https://www.servicesaustralia.gov.au/how-to-read-your-medicare-card",
        description="Australian Medicare card number as printed, 2123 45670 1 (check digit).",
    ),
    Detector(
        "au_medicare_compact",
        "pii",
        r"\b[2-6]\d{3} ?\d{5} ?\d(?:[ -]?\d)?\b",
        not_typed,
        context=_MEDICARE_LABELS,
        context_required=True,
        checksum=_medicare,
        keep=(0, 2),
        regions=("AU",),
        source="https://en.wikipedia.org/wiki/Medicare_(Australia)",
        description="Australian Medicare card number run together (check digit, with a label).",
    ),
    Detector(
        "nz_ird",
        "pii",
        r"\b\d{2,3}-?\d{3}-?\d{3}\b",
        context=labels("ird", "inland revenue", "gst number", "tax number"),
        context_required=True,
        **official(ird),
        keep=(0, 3),
        regions=("NZ",),
        source="https://www.oecd.org/tax/automatic-exchange/crs-implementation-and-assistance/tax-identification-numbers/New%20Zealand-TIN.pdf",
        description="New Zealand IRD number (mod 11, with a label).",
    ),
    # Birth date, a dash and seven digits whose first is sex and century: the RRN layout (the
    # foreigner registration number shares it, with 5-8). Numbers issued since October 2020
    # carry no check digit and read as "low".
    Detector(
        "kr_rrn",
        "pii",
        r"\b\d{6}-[1-8]\d{6}\b",
        context=_RRN_LABELS,
        **official(rrn),
        keep=(0, 2),
        regions=("KR",),
        source="https://en.wikipedia.org/wiki/Resident_registration_number",
        description="South Korean resident / foreigner registration number, YYMMDD-SNNNNNN "
        "(birth date, check digit).",
    ),
    Detector(
        "kr_rrn_compact",
        "pii",
        r"\b\d{6}[1-8]\d{6}\b",
        context=_RRN_LABELS,
        context_required=True,
        **official(rrn),
        keep=(0, 2),
        regions=("KR",),
        source="https://en.wikipedia.org/wiki/Resident_registration_number",
        description="South Korean resident / foreigner registration number without its dash "
        "(birth date, check digit, with a label).",
    ),
    # The NTS prints it 123-45-67890 (office, type, serial and check digit).
    Detector(
        "kr_brn",
        "pii",
        r"\b\d{3}-\d{2}-\d{5}\b",
        stdnum_layout(brn),  # office code, type and serial (stdnum has no check digit)
        context=_BRN_LABELS,
        checksum=_brn,
        regions=("KR",),
        source="https://www.oecd.org/tax/automatic-exchange/crs-implementation-and-assistance/tax-identification-numbers/Korea-TIN.pdf",
        description="South Korean business registration number, 123-45-67890 (check digit).",
    ),
    Detector(
        "kr_brn_compact",
        "pii",
        r"\b\d{10}\b",
        stdnum_layout(brn),
        context=_BRN_LABELS,
        context_required=True,
        checksum=_brn,
        regions=("KR",),
        source="https://www.oecd.org/tax/automatic-exchange/crs-implementation-and-assistance/tax-identification-numbers/Korea-TIN.pdf",
        description="South Korean business registration number run together (check digit, "
        "with a label).",
    ),
    Detector(
        "jp_my_number",
        "pii",
        r"\b\d{4} ?\d{4} ?\d{4}\b",
        context=labels("マイナンバー", "個人番号", "my number", "mynumber", "individual number"),
        context_required=True,
        **official(jp_in),
        keep=(0, 2),
        regions=("JP",),
        source="https://en.wikipedia.org/wiki/Individual_Number",
        description="Japanese Individual Number (My Number; check digit, with a label).",
    ),
    Detector(
        "jp_corporate_number",
        "pii",
        r"\b\d{13}\b",
        context=labels("法人番号", "corporate number", "houjin bangou"),
        context_required=True,
        **official(jp_cn),
        regions=("JP",),
        source="https://en.wikipedia.org/wiki/Corporate_Number",
        description="Japanese Corporate Number (check digit, with a label).",
    ),
    # Region code, a full birth date and a mod 11-2 check character: too specific to need a label.
    Detector(
        "cn_resident_id",
        "pii",
        r"\b[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]\b",
        context=labels("身份证", "居民身份证", "公民身份号码", "resident identity"),
        **official(ric, ric.get_birth_date, ric.get_birth_place),
        keep=(0, 2),
        regions=("CN",),
        source="https://en.wikipedia.org/wiki/Resident_Identity_Card",
        description="Chinese resident identity card number (region, birth date, check).",
    ),
    Detector(
        "cn_uscc",
        "pii",
        r"\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b",
        context=labels("统一社会信用代码", "信用代码", "social credit code", "uscc"),
        context_required=True,
        **official(uscc),
        regions=("CN",),
        source="https://zh.wikipedia.org/wiki/统一社会信用代码",
        description="Chinese unified social credit code (mod 31 check, with a label).",
    ),
    Detector(
        "tw_national_id",
        "pii",
        r"\b[A-Z][1289]\d{8}\b",
        not_typed,
        context=labels("身分證", "身份證", "統一證號", "居留證", "national id", "arc"),
        context_required=True,
        checksum=_tw_id,
        keep=(1, 1),
        regions=("TW",),
        source="https://en.wikipedia.org/wiki/National_identification_number#Taiwan",
        description="Taiwan national id / resident certificate number (check digit, with a label).",
    ),
    Detector(
        "hk_hkid",
        "pii",
        r"\b[A-Z]{1,2}\d{6}\([0-9A]\)",
        not_typed,
        context=labels("hkid", "香港身份證", "身份證", "identity card"),
        checksum=_hkid,
        keep=(1, 0),
        regions=("HK",),
        source="https://en.wikipedia.org/wiki/Hong_Kong_identity_card",
        description="Hong Kong identity card number, A123456(7) (mod 11 check).",
    ),
    # Printed 1-2345-67890-12-3: the separators make it a Thai id; thirteen bare digits are not.
    Detector(
        "th_national_id",
        "pii",
        alone(r"\b[1-8][- ]\d{4}[- ]\d{5}[- ]\d{2}[- ]\d\b"),
        context=_TH_LABELS,
        **official(pin),
        keep=(0, 1),
        regions=("TH",),
        source="https://en.wikipedia.org/wiki/Thai_identity_card",
        description="Thai national id number, 1-2345-67890-12-3 (mod 11 check).",
    ),
    Detector(
        "th_national_id_compact",
        "pii",
        r"\b[1-8]\d{12}\b",
        context=_TH_LABELS,
        context_required=True,
        **official(pin),
        keep=(0, 1),
        regions=("TH",),
        source="https://en.wikipedia.org/wiki/Thai_identity_card",
        description="Thai national id number run together (mod 11 check, with a label).",
    ),
    # Birth date, a birthplace code and a serial between dashes: the MyKad layout.
    Detector(
        "my_nric",
        "pii",
        r"\b\d{6}-\d{2}-\d{4}\b",
        stdnum_layout(my_nric),  # a real date and a known birthplace code (there is no check)
        context=labels("mykad", "nric", "ic no", "kad pengenalan", "no. k/p"),
        confidence="validated",
        keep=(0, 2),
        regions=("MY",),
        source="https://en.wikipedia.org/wiki/Malaysian_identity_card",
        description="Malaysian identity card number, YYMMDD-PB-NNNN (date, birthplace code).",
    ),
    Detector(
        "id_nik",
        "pii",
        r"\b\d{16}\b",
        holds(nik.validate),  # region and birth date (there is no check digit)
        context=labels("nik", "nomor induk kependudukan", "ktp", "e-ktp"),
        context_required=True,
        keep=(0, 2),
        regions=("ID",),
        source="https://id.wikipedia.org/wiki/Nomor_Induk_Kependudukan",
        description="Indonesian population number NIK (region, birth date, with a label).",
    ),
    # Five, seven and one digits between dashes: NADRA's layout, with a province code.
    Detector(
        "pk_cnic",
        "pii",
        r"\b\d{5}-\d{7}-\d\b",
        stdnum_layout(cnic),
        context=labels("cnic", "nic", "شناختی کارڈ"),
        confidence="validated",
        keep=(0, 1),
        regions=("PK",),
        source="https://en.wikipedia.org/wiki/CNIC_(Pakistan)",
        description="Pakistani computerised national identity card number (province code).",
    ),
    Detector(
        "ph_tin",
        "pii",
        r"\b\d{3}-\d{3}-\d{3}(?:-\d{3,5})?\b",
        not_typed,
        context=labels("tin", "bir tin", "taxpayer identification"),  # "bir" is Turkish "one"
        context_required=True,
        keep=(0, 3),
        regions=("PH",),
        source="https://www.bir.gov.ph/",
        description="Philippine taxpayer identification number (no public check; with a label).",
    ),
)
