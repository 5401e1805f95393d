"""National identification, tax and company numbers of central and eastern Europe, the Baltic
states, Greece, Russia and Turkey (see pii_national for how validator, checksum and labels divide
the work). Most are bare runs of ten to thirteen digits, so they need a label."""

from __future__ import annotations

from stdnum.bg import egn
from stdnum.cz import rc
from stdnum.ee import ik
from stdnum.gr import amka
from stdnum.hr import oib
from stdnum.lt import asmens
from stdnum.pl import nip, pesel, regon
from stdnum.ro import cnp
from stdnum.ru import inn, ogrn
from stdnum.si import emso
from stdnum.tr import tckimlik, vkn

from aigate.inspect.detectors.base import Detector, digits
from aigate.inspect.detectors.pii_national import labels, official, standalone, typed


def _snils_issued(value: str) -> bool:
    """Numbers up to 001-001-998 were issued before the check digit existed."""
    return int(digits(value)[:9]) > 1001998 and not typed(value)


def _snils(value: str) -> bool:
    """SNILS: the nine digits weighted 9..1; the sum mod 101 (100 as 00) is the check number."""
    d = digits(value)
    total = sum(int(ch) * (9 - i) for i, ch in enumerate(d[:9]))
    return total % 101 % 100 == int(d[9:])


_NIP_LABELS = labels("nip", "numer identyfikacji podatkowej", "nr nip")

DETECTORS = standalone(
    Detector(
        "pl_pesel",
        "pii",
        r"\b\d{11}\b",
        context=labels("pesel", "numer pesel", "nr pesel"),
        context_required=True,
        **official(pesel, pesel.get_birth_date),
        keep=(0, 3),
        regions=("PL",),
        source="https://en.wikipedia.org/wiki/PESEL",
        description="Polish national identification number PESEL (birth date, check digit).",
    ),
    # Written with its dashes (123-456-32-18 or 123-45-67-819), a NIP is the tax office's layout.
    Detector(
        "pl_nip",
        "pii",
        r"\b\d{3}-\d{3}-\d{2}-\d{2}\b|\b\d{3}-\d{2}-\d{2}-\d{3}\b",
        context=_NIP_LABELS,
        **official(nip),
        regions=("PL",),
        source="https://pl.wikipedia.org/wiki/Numer_identyfikacji_podatkowej",
        description="Polish tax number NIP as printed, 123-456-32-18 (weighted check digit).",
    ),
    Detector(
        "pl_nip_compact",
        "pii",
        r"\b\d{10}\b",
        context=_NIP_LABELS,
        context_required=True,
        **official(nip),
        regions=("PL",),
        source="https://pl.wikipedia.org/wiki/Numer_identyfikacji_podatkowej",
        description="Polish tax number NIP run together (weighted check digit, with a label).",
    ),
    Detector(
        "pl_regon",
        "pii",
        r"\b\d{9}(?:\d{5})?\b",
        context=labels("regon"),
        context_required=True,
        **official(regon),
        regions=("PL",),
        source="https://bip.stat.gov.pl/en/regon/",
        description="Polish business register number REGON (check digit, with a label).",
    ),
    # Birth date (month +50 for women), a slash and the serial: the Czech and Slovak layout.
    Detector(
        "cz_rodne_cislo",
        "pii",
        r"\b\d{6}/\d{3,4}\b",
        context=labels("rodné číslo", "rodne cislo", "r.č.", "birth number"),
        **official(rc, rc.get_birth_date),
        keep=(0, 3),
        regions=("CZ", "SK"),
        source="https://cs.wikipedia.org/wiki/Rodn%C3%A9_%C4%8D%C3%ADslo",
        description="Czech/Slovak birth number, YYMMDD/SSSC (birth date, mod 11).",
    ),
    Detector(
        "ro_cnp",
        "pii",
        r"\b[1-9]\d{12}\b",
        context=labels("cnp", "cod numeric personal"),
        context_required=True,
        **official(cnp),
        keep=(0, 3),
        regions=("RO",),
        source="https://ro.wikipedia.org/wiki/Cod_numeric_personal",
        description="Romanian personal numeric code CNP (birth date, check digit).",
    ),
    Detector(
        "bg_egn",
        "pii",
        r"\b\d{10}\b",
        context=labels("егн", "egn", "единен граждански номер"),
        context_required=True,
        **official(egn, egn.get_birth_date),
        keep=(0, 3),
        regions=("BG",),
        source="https://bg.wikipedia.org/wiki/Единен_граждански_номер",
        description="Bulgarian personal number EGN (birth date, check digit).",
    ),
    Detector(
        "hr_oib",
        "pii",
        r"\b\d{11}\b",
        context=labels("oib", "osobni identifikacijski broj"),
        context_required=True,
        **official(oib),
        keep=(0, 3),
        regions=("HR",),
        source="https://hr.wikipedia.org/wiki/Osobni_identifikacijski_broj",
        description="Croatian personal identification number OIB (ISO 7064, with a label).",
    ),
    Detector(
        "si_emso",
        "pii",
        r"\b[0-3]\d[01]\d{10}\b",
        context=labels("emšo", "emso", "enotna matična številka"),
        context_required=True,
        **official(emso, emso.get_birth_date),
        keep=(0, 3),
        regions=("SI",),
        source="https://sl.wikipedia.org/wiki/Enotna_mati%C4%8Dna_%C5%A1tevilka_ob%C4%8Dana",
        description="Slovenian master citizen number EMŠO (birth date, mod 11).",
    ),
    Detector(
        "gr_amka",
        "pii",
        r"\b[0-3]\d[01]\d{8}\b",
        context=labels("amka", "αμκα", "α.μ.κ.α."),  # noqa: RUF001 (Greek)
        context_required=True,
        **official(amka, amka.get_birth_date),
        keep=(0, 3),
        regions=("GR",),
        source="https://www.amka.gr/tieinai_en.html",
        description="Greek social security number AMKA (birth date, Luhn, with a label).",
    ),
    Detector(
        "ee_isikukood",
        "pii",
        r"\b[1-6]\d{10}\b",
        context=labels("isikukood", "personal identification code", "personal code"),
        context_required=True,
        **official(ik, ik.get_birth_date),
        keep=(0, 3),
        regions=("EE",),
        source="https://en.wikipedia.org/wiki/National_identification_number#Estonia",
        description="Estonian personal identification code (birth date, check digit).",
    ),
    Detector(
        "lt_asmens_kodas",
        "pii",
        r"\b[1-6]\d{10}\b",
        context=labels("asmens kodas", "asmens kodą", "a.k."),
        context_required=True,
        **official(asmens, ik.get_birth_date),
        keep=(0, 3),
        regions=("LT",),
        source="https://lt.wikipedia.org/wiki/Asmens_kodas",
        description="Lithuanian personal code (birth date, check digit, with a label).",
    ),
    Detector(
        "ru_inn",
        "pii",
        r"\b\d{10}(?:\d{2})?\b",
        context=labels("инн", "inn", "идентификационный номер налогоплательщика"),
        context_required=True,
        **official(inn),
        keep=(0, 3),
        regions=("RU",),
        source="https://ru.wikipedia.org/wiki/Идентификационный_номер_налогоплательщика",
        description="Russian taxpayer number INN (check digits, with a label).",
    ),
    # Written 123-456-789 01, the pension fund's layout.
    Detector(
        "ru_snils",
        "pii",
        r"\b\d{3}-\d{3}-\d{3}[ -]\d{2}\b",
        _snils_issued,
        context=labels("снилс", "snils", "страховой номер"),
        checksum=_snils,
        keep=(0, 2),
        regions=("RU",),
        source="https://ru.wikipedia.org/wiki/Страховой_номер_индивидуального_лицевого_счёта",
        description="Russian insurance account number SNILS, 123-456-789 01 (check number).",
    ),
    Detector(
        "ru_ogrn",
        "pii",
        r"\b[1-9]\d{12}(?:\d{2})?\b",
        context=labels("огрн", "огрнип", "ogrn", "psrn"),
        context_required=True,
        **official(ogrn),
        regions=("RU",),
        source="https://ru.wikipedia.org/wiki/Основной_государственный_регистрационный_номер",
        description="Russian state registration number OGRN (check digit, with a label).",
    ),
    Detector(
        "tr_tckn",
        "pii",
        r"\b[1-9]\d{10}\b",
        context=labels(
            "tc kimlik",
            "t.c. kimlik",
            "tckn",
            "tc no",
            "kimlik",
            "t.c.",  # KİMLİK in capitals lower-cases to a dotted i no label can spell
            "turkish id",
        ),
        context_required=True,
        **official(tckimlik),
        keep=(0, 3),
        regions=("TR",),
        source="https://en.wikipedia.org/wiki/Turkish_Identification_Number",
        description="Turkish identity number T.C. Kimlik No (two check digits, with a label).",
    ),
    Detector(
        "tr_vkn",
        "pii",
        r"\b\d{10}\b",
        context=labels("vergi kimlik", "vergi no", "vergi numara", "vkn"),
        context_required=True,
        **official(vkn),
        regions=("TR",),
        source="https://www.turkiye.gov.tr/gib-intvrg-vergi-kimlik-numarasi-dogrulama",
        description="Turkish tax number VKN (check digit, with a label).",
    ),
)
