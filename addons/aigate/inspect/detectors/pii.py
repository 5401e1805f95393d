"""Personal data: contact details (email, phone numbers by region, postal codes), dates of
birth and network identifiers (IP and MAC addresses, IMEI, ICCID). Passports, driving licences
and vehicle plates are in `pii_documents`; national identification numbers in `pii_national`.

Phone numbers use phonenumbers' dialling plans: an international number is validated against
its country's plan; a national number (no country code) is checked against the plans of the
regions the policy reads (`dlp.regions`), and, without a label, must also be grouped the way
that region writes its numbers. Ambiguous shapes (five digits, a date) need a label nearby."""

from __future__ import annotations

import datetime
import ipaddress
import re
from functools import lru_cache

import phonenumbers
import tldextract
from phonenumbers import re_util
from stdnum import imei, luhn

from aigate.inspect.detectors.base import Detector, Validator, digits, is_placeholder

# --- email -----------------------------------------------------------------------------------

_PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net", "test.com", "domain.com")
_PLACEHOLDER_SUFFIXES = (".example", ".test", ".invalid", ".localhost", ".local")
# The public suffix list bundled with tldextract: never fetched, so scanning stays offline.
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=4096)
def _public_domain(domain: str) -> bool:
    """True when `domain` is a registrable name under a real public suffix (acme.io, a.co.uk),
    not a file name (`logo@2x.png`), an internal host (`db.internal`) or a made-up suffix."""
    parts = _SUFFIXES(domain)
    return bool(parts.suffix and parts.domain)


# Letters of the scripts internationalised addresses (RFC 6531) are written in, as literal ranges
# (RE2 and Python's re both read them): Latin, Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai,
# kana, CJK and Hangul.
_INTL = "À-ÖØ-öø-ɏͰ-ϿЀ-ӿ֐-ۿऀ-ॿ฀-๿぀-ヿ一-鿿가-힯"
_LOCAL = f"[A-Za-z0-9{_INTL}._%+-]"
_LABEL = f"[A-Za-z0-9{_INTL}]"
_EMAIL = (
    rf"(?:\b[A-Za-z0-9]|[{_INTL}]){_LOCAL}{{0,63}}@{_LABEL}(?:[A-Za-z0-9{_INTL}-]{{0,62}}\.){{1,8}}"
    # a top-level domain: letters, its punycode form (xn--p1ai) or its own script (中国)
    rf"(?:xn--[a-z0-9-]{{2,59}}\b|[A-Za-z]{{2,24}}\b|[{_INTL}]{{2,24}})"
)

_PLACEHOLDER_LOCALS = frozenset(
    ("your.email", "youremail", "your.name", "yourname", "firstname.lastname", "first.last")
)


def _email(value: str) -> bool:
    local, domain = value.rsplit("@", 1)
    domain, low = domain.lower(), local.lower()
    if domain in _PLACEHOLDER_DOMAINS or domain.endswith(_PLACEHOLDER_SUFFIXES):
        return False
    if local.startswith(".") or ".." in value or low == "git":  # git@github.com:org/repo
        return False
    if low in _PLACEHOLDER_LOCALS or (len(low) >= 4 and is_placeholder(low)):  # xxxx@, your_
        return False
    return _public_domain(domain)


# --- phone numbers ---------------------------------------------------------------------------

# Regions whose national formats (no country code) are read. `dlp.regions` narrows them; the
# unlabelled detector never guesses beyond this list, so 8-digit runs are not read as, say,
# Pacific-island numbers.
PHONE_REGIONS = (
    "US", "CA", "GB", "IE", "DE", "AT", "CH", "FR", "BE", "NL", "LU", "IT", "ES", "PT",
    "SE", "NO", "DK", "FI", "IS", "PL", "CZ", "SK", "HU", "RO", "BG", "GR", "HR", "SI",
    "RS", "UA", "RU", "TR", "IL", "AE", "SA", "EG", "MA", "ZA", "NG", "KE", "IN", "PK",
    "BD", "LK", "PH", "ID", "MY", "SG", "TH", "VN", "CN", "HK", "TW", "JP", "KR", "AU",
    "NZ", "BR", "MX", "AR", "CO", "CL", "PE",
)  # fmt: skip


def _plan(region: str) -> tuple[str, frozenset[int], re.Pattern[str]]:
    """The region's trunk prefix, national number lengths and general number shape."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    general = meta.general_desc
    shape = re.compile(general.national_number_pattern or r"\d+")
    return meta.national_prefix or "", frozenset(general.possible_length or ()), shape


_PLANS = {region: _plan(region) for region in PHONE_REGIONS}
# phonenumbers compiles its metadata patterns through `re`'s bounded cache, which the ~60
# regions here overflow (every check recompiles); keep them compiled instead.
re_util.enable_pattern_cache()


# Regions where a national number is often written without its trunk prefix (415 555 0132,
# 912 345-67-89, (11) 96123-4567, 138 1234 5678, 98765 43210); everywhere else a national
# number starts with the prefix (0 in most places).
_PREFIX_OPTIONAL = frozenset({"US", "CA", "RU", "BR", "AR", "CN", "IN", "CO", "PE"})

# Ranges regulators set aside for films, books and examples, never assigned to anyone:
# (country code, national number prefixes). NANP 555-0100..0199 is matched apart.
_FICTIONAL = {
    44: (  # Ofcom, "TV and radio drama" numbers
        "1134960", "1144960", "1154960", "1164960", "1174960", "1184960", "1214960", "1314960",
        "1414960", "1514960", "1614960", "1914980", "2079460", "2896496", "2920180", "1632960",
        "7700900", "8081570", "9098790", "3069990",
    ),
    61: ("491570", "491571", "491572", "491573", "491574", "491575", "491576", "491577",
         "491578", "491579", "25550", "35550", "75550", "85550", "27010", "37010", "77010",
         "87010"),  # ACMA, numbers for use in fiction
    33: ("19900", "26191", "35301", "46571", "53649", "63998"),  # ARCEP, numéros de fiction
}  # fmt: skip


def _fictional(number: phonenumbers.PhoneNumber) -> bool:
    """A number from a range reserved for fiction and examples (555-0123, 020 7946 0xxx)."""
    national = str(number.national_number)
    if number.country_code == 1:
        return national[3:8] == "55501"  # 555-0100 .. 555-0199
    return national.startswith(_FICTIONAL.get(number.country_code, ()))


def _may_fit(region: str, number: str) -> bool:
    """Cheap pre-check before parsing: the region's trunk prefix is there (unless optional
    there) and the rest has a length and shape its plan allows."""
    prefix, lengths, shape = _PLANS[region]
    if prefix and number.startswith(prefix):
        rest = number[len(prefix) :]
        return len(rest) in lengths and shape.fullmatch(rest) is not None
    if prefix and region not in _PREFIX_OPTIONAL:
        return False
    return len(number) in lengths and shape.fullmatch(number) is not None


@lru_cache(maxsize=4096)
def _national(number: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """(region, digit grouping of its national format) for each listed region whose
    dialling plan makes `number` (digits only) a valid number; none when one of them reserves
    it for fiction (020 7946 0018 is London's drama range, whatever Guangzhou makes of it)."""
    found = []
    for region in PHONE_REGIONS:
        if not _may_fit(region, number):
            continue
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number_for_region(parsed, region):
            if _fictional(parsed):
                return ()
            shown = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
            found.append((region, tuple(len(run) for run in re.findall(r"\d+", shown))))
    return tuple(found)


@lru_cache(maxsize=1024)
def _international(number: str) -> bool:
    """`number` written with the 00 international call prefix (0049 30 ...)."""
    try:
        parsed = phonenumbers.parse("+" + number[2:], None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) and not _fictional(parsed)


_DIGIT_RUN = re.compile(r"\d+")


def _runs(value: str) -> tuple[int, ...]:
    """The lengths of the value's groups of digits: an unlabelled number must be grouped exactly
    the way its region writes it (a number grouped another way, or an order number that happens
    to be valid somewhere, needs a label)."""
    return tuple(map(len, _DIGIT_RUN.findall(value)))


_DATE_LIKE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}")


def _looks_like_date(value: str) -> bool:
    if not _DATE_LIKE.fullmatch(value):
        return False
    runs = [int(run) for run in re.findall(r"\d+", value)]
    if runs[0] > 31:  # 2024-03-18
        return 1900 <= runs[0] <= 2099 and 1 <= runs[1] <= 12
    return 1 <= min(runs[0], runs[1]) <= 12 and max(runs[0], runs[1]) <= 31


_YEAR_RANGE = re.compile(r"(?:19|20)\d\d ?[-/] ?(?:19|20)\d\d")


def _phone_shape(value: str) -> bool:
    """Not a date or a range of years, and a plausible length for a national or
    00-international number."""
    number = digits(value)
    if _looks_like_date(value) or _YEAR_RANGE.fullmatch(value) or len(set(number)) <= 2:
        return False
    if number.startswith("00"):
        return 9 <= len(number) <= 17
    return 6 <= len(number) <= 13


def _loosely_grouped(runs: tuple[int, ...], grouping: tuple[int, ...]) -> bool:
    """Written as one run, or with about the region's area code as its first group (writers
    differ by a digit: 0151 12345678 for 01511 2345678), the rest grouped freely; 2016-2020
    is no Danish 20 16 20 20."""
    if len(runs) == 1 or runs == grouping:
        return True
    return abs(runs[0] - grouping[0]) <= 1 and min(runs) >= 2


def _valid_in(regions: frozenset[str] | None) -> Validator:
    """The labelled national phone check: valid in one of `regions` (None: every listed one)
    and not grouped against that region's area code."""

    def check(value: str) -> bool:
        number = digits(value)
        if number.startswith("00"):
            return _international(number)
        runs = _runs(value)  # once, not per region
        return any(
            (regions is None or region in regions) and _loosely_grouped(runs, grouping)
            for region, grouping in _national(number)
        )

    return check


# Without a trunk prefix an unlabelled number is read as North American only: (415) 555-2671
# is how NANP writes its numbers; 917 123 4567 is also a Mexican number, and a Philippine one
# missing its 0, so only the NANP's own plan (no exchange 0xx or 1xx) may vouch for it.
_NANP = frozenset({"US", "CA"})


def _formatted_in(regions: frozenset[str] | None) -> Validator:
    """The unlabelled national phone check: valid in one of `regions` AND grouped the way
    that region writes its numbers (PH 0917 123 4567, TR 0532 123 45 67, FR 06 12 34 56 78)."""

    def check(value: str) -> bool:
        number = digits(value)
        if number.startswith("00"):
            return _international(number)
        prefixed = number.startswith("0")
        runs = _runs(value)  # once, not per region
        return any(
            (regions is None or region in regions)
            and (prefixed or region in _NANP)
            and runs == grouping
            for region, grouping in _national(number)
        )

    return check


_ANY_FORMATTED = _formatted_in(None)
_LEADING_GROUPS = r"(?:\b[0-9A-Z]{0,4}\d[0-9A-Z]{0,4} )*"


def _formatted_phone(value: str) -> bool:
    """Unlabelled: at least 8 digits, and a number some listed region writes this way (the
    configured regions then decide between validated and low)."""
    return len(digits(value)) >= 8 and _phone_shape(value) and _ANY_FORMATTED(value)


def _e164(value: str) -> bool:
    return 7 <= len(digits(value)) <= 15


@lru_cache(maxsize=1024)
def _e164_valid(value: str) -> bool:
    """The country's dialling plan has the number (parsing and the plan's look-up cost ~40 us:
    kept, like `_national`, for the number quoted again in the conversation's next prompt)."""
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) and not _fictional(parsed)


_PHONE_WORDS = (
    "phone",
    "telephone",
    "tel:",
    "tel.",
    "tel ",
    "tel/",
    "tél",
    "tlf",
    "tfn",
    "mobil",
    "cell:",
    "cell ",
    "cellphone",
    "cell phone",
    "cell no",
    "cell#",
    "fax",
    "whatsapp",
    "signal:",
    "call me",
    "call us",
    "text me",
    "sms",
    "telefon",  # de, pl, tr, cs, da, sv, no, ro, hu
    "rufnummer",
    "handy",
    "festnetz",
    "téléphone",
    "portable:",
    "portable :",
    "teléfono",
    "telefono",  # it, es without accent
    "móvil",
    "movil",
    "celular",
    "cellulare",
    "telefone",
    "telemóvel",
    "telefoon",
    "mobiel",
    "gsm",
    "puhelin",
    "matkapuhelin",
    "numer tel",
    "komórka",
    "cep tel",
    "cep no",
    "telepon",
    "nomor hp",
    "no. hp",
    "no hp",
    "điện thoại",
    "телефон",
    "моб",
    "電話",
    "携帯",
    "手机",
    "电话",
    "전화",
    "휴대폰",
    "फ़ोन",
    "फोन",
    "هاتف",
    "טלפון",
)

# --- dates of birth --------------------------------------------------------------------------

_MONTH_NAMES = {
    1: "january januar jänner janvier enero gennaio janeiro januari ocak stycznia tammikuuta "
    "ianuarie ledna января січня ιανουαρίου",
    2: "february februar février fevrier febrero febbraio fevereiro februari şubat subat lutego "
    "helmikuuta februarie února unora февраля лютого φεβρουαρίου",
    3: "march märz maerz mars marzo março marco maart mart marca maaliskuuta marts maret martie "
    "března brezna марта березня μαρτίου",
    4: "april avril abril aprile nisan kwietnia huhtikuuta aprilie dubna апреля квітня απριλίου",
    5: "may mai mayo maggio maio mei maj mayıs mayis maja toukokuuta května kvetna мая травня "  # noqa: RUF001
    "μαΐου",
    6: "june juni juin junio giugno junho haziran czerwca kesäkuuta iunie června cervna июня "
    "червня ιουνίου",
    7: "july juli juillet julio luglio julho temmuz lipca heinäkuuta iulie července cervence "
    "июля липня ιουλίου",
    8: "august août aout agosto augustus augusti ağustos agustos sierpnia elokuuta agustus "
    "srpna августа серпня αυγούστου",
    9: "september septembre septiembre setiembre settembre setembro eylül eylul września "
    "syyskuuta septembrie září zari сентября вересня σεπτεμβρίου",
    10: "october oktober octobre octubre ottobre outubro ekim października lokakuuta "
    "octombrie října rijna октября жовтня οκτωβρίου",
    11: "november novembre noviembre novembro kasım kasim listopada marraskuuta noiembrie "  # noqa: RUF001
    "listopadu ноября листопада νοεμβρίου",
    12: "december dezember décembre decembre diciembre dicembre dezembro aralık "  # noqa: RUF001
    "aralik grudnia joulukuuta desember decembrie prosince декабря грудня δεκεμβρίου",
}
_MONTH_ABBR = {
    1: "jan janv jän ene gen",
    2: "feb fév févr fev fevr",
    3: "mar mrz mär mrt",
    4: "apr avr abr",
    5: "mai mag",
    6: "jun juin giu",
    7: "jul juil lug",
    8: "aug aoû ago",
    9: "sep sept set",
    10: "oct okt ott out",
    11: "nov",
    12: "dec dez déc dic",
}
_MONTHS = {
    word: month
    for table in (_MONTH_NAMES, _MONTH_ABBR)
    for month, words in table.items()
    for word in words.split()
}
_MONTH_RE = "(?:" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + ")"
_ORDINAL = r"(?:\.|st|nd|rd|th|er|º|°)?"
_DOB_PATTERN = (
    r"(?i)\b(?:"
    # 12/03/1985, 03-12-85, 12.03.1985
    r"\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}"
    # 1985-03-12, 1985/3/12
    r"|(?:19|20)\d{2}[/.-]\d{1,2}[/.-]\d{1,2}"
    # 12 March 1985, 12th of March 1985, 12. März 1985, 12 de marzo de 1985, 12-Mar-1985
    rf"|\d{{1,2}}{_ORDINAL}[ -](?:de |of )?{_MONTH_RE}\.?,?[ -](?:de |del )?(?:19|20)\d{{2}}"
    # March 12, 1985
    rf"|{_MONTH_RE}\.? \d{{1,2}}{_ORDINAL},? (?:19|20)\d{{2}}"
    r")\b"
    # 1985年3月12日 (ja, zh), 1985년 3월 12일 (ko)
    r"|(?:19|20)\d{2} ?[年년] ?\d{1,2} ?[月월] ?\d{1,2} ?[日일]"
)
_OLDEST = 125  # years: older "dates of birth" are historical dates, not a living person's


def _dob_candidates(value: str) -> list[tuple[int, int, int]]:
    """(year, month, day) readings of a date: d/m/y and m/d/y both, two-digit years as the
    most recent past year."""
    text = value.lower()
    runs = re.findall(r"\d+", text)
    word = re.search(r"[^\W\d_]{3,}", text)
    if word is not None and len(runs) == 2:  # written month
        month = _MONTHS.get(word.group().rstrip("."))
        if month is None:
            return []
        day, year = (runs[0], runs[1]) if len(runs[1]) == 4 else (runs[1], runs[0])
        return [(int(year), month, int(day))]
    if len(runs) != 3:
        return []
    if len(runs[0]) == 4:
        return [(int(runs[0]), int(runs[1]), int(runs[2]))]
    year = int(runs[2])
    if len(runs[2]) == 2:
        this_year = datetime.date.today().year
        year += 2000 if 2000 + year <= this_year else 1900
    a, b = int(runs[0]), int(runs[1])
    return [(year, b, a), (year, a, b)]


def _date_of_birth(value: str) -> bool:
    """A real calendar date, not in the future, within a human lifetime."""
    today = datetime.date.today()
    for year, month, day in _dob_candidates(value):
        try:
            born = datetime.date(year, month, day)
        except ValueError:
            continue
        if today.year - _OLDEST <= born.year and born <= today:
            return True
    return False


_DOB_WORDS = (
    "dob",
    "d.o.b",
    "date of birth",
    "date_of_birth",
    "date-of-birth",
    "dateofbirth",
    "birth date",
    "birth_date",
    "birth-date",
    "birthdate",
    "birthday",
    "birth_day",
    "birth:",
    "born",
    "geburtsdatum",
    "geburtstag",
    "geboren",
    "geb.",
    "geb:",
    "date de naissance",
    "naissance",
    "né le",
    "née le",
    "né(e) le",
    "fecha de nacimiento",
    "nacimiento",
    "f. nac",
    "fec. nac",
    "nacido",
    "nacida",
    "nació",
    "nacio el",
    "data di nascita",
    "nascita",
    "nato il",
    "nata il",
    "nato a ",  # "nato a Torino il ...", not "NATO agreed"
    "nata a ",
    "data de nascimento",
    "nascimento",
    "nascido",
    "nascida",
    "nasceu",
    "geboortedatum",
    "geboren op",
    "geb. datum",
    "födelsedatum",
    "född",
    "fødselsdato",
    "fødselsdag",
    "født",
    "fæðingardagur",
    "syntymäaika",
    "syntynyt",
    "data urodzenia",
    "urodzon",
    "urodził",
    "datum narození",
    "datum rođenja",
    "datum rojstva",
    "narozen",
    "narodil",
    "születési",
    "született",
    "doğum tarihi",
    "dogum tarihi",
    "doğdu",
    "tarikh lahir",
    "tanggal lahir",
    "tgl lahir",
    "tgl. lahir",
    "lahir",
    "ngày sinh",
    "дата рождения",
    "дата народження",
    "родился",
    "родилась",
    "data nașterii",
    "data nasterii",
    "născut",
    "ημερομηνία γέννησης",
    "生年月日",
    "出生日期",
    "出生年月日",
    "出生",
    "생년월일",
    "जन्म तिथि",
    "जन्म",
    "تاريخ الميلاد",
    "תאריך לידה",
)

# --- network identifiers ---------------------------------------------------------------------


def _ip(value: str) -> bool:
    """An address at all: parses, and is no C++/Rust path or Python slice that happens to."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    if address.version == 6 and (
        not any(ch.isdigit() for ch in value)  # `Cafe::Face`: C++/Rust paths
        or max(map(len, value.split(":"))) < 3  # `values[1::2]`: a slice
    ):
        return False
    return not (address.is_unspecified or address.is_loopback)


def _ipv4(value: str) -> bool:
    return value.count(".") == 3 and _ip(value)


# Networks whose addresses are hosts inside an organisation: real machines, if not public ones.
_SITE_NETS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "169.254.0.0/16",
        "fc00::/7",
        "fe80::/10",
    )
)


def _host_address(value: str) -> bool:
    """The address of a machine, as IANA's special-purpose registries allot them: globally
    routable or inside a site (RFC 1918, ULA, link-local). Documentation and benchmarking
    ranges, multicast, reserved space, network (.0) and broadcast (.255) addresses, and
    single-digit quads (3.1.4.2, a section or version number) are no one's address. The shape
    checks of `_ip` are repeated here: `public_ips_only` swaps the validator for its own."""
    if not _ip(value):
        return False
    address = ipaddress.ip_address(value)
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.version == 4:
        parts = str(address).split(".")
        if all(len(part) == 1 for part in parts) or parts[-1] in ("0", "255"):
            return False
    if address.is_multicast or address.is_unspecified or address.is_loopback:
        return False
    return address.is_global or any(address in net for net in _SITE_NETS)


def _mac(value: str) -> bool:
    """Six octets written one consistent way (colons, hyphens or Cisco's dotted groups); not
    all zeros and not the broadcast address. Any vendor block counts: phones and virtual
    machines use locally administered addresses no registry lists."""
    if "." in value:  # Cisco 0012.3456.789a: all-digit groups are more likely a version
        compact = value.replace(".", "").lower()
        if compact.isdigit():
            return False
    elif len(set(value[2::3])) != 1:
        return False
    else:
        compact = value.replace(":", "").replace("-", "").lower()
    return compact not in ("000000000000", "ffffffffffff")


# A dotted quad joined to more by a dash or plus is a version (5.15.153.1-microsoft, 1.2.3.4+9).
_VERSION_JOINERS = frozenset("-+_")
_NET_WORDS = (
    "ip ",
    "ip:",
    "ip=",
    "ip-",
    "ip_",
    "ips",
    "ipv4",
    "ipv6",
    "ipaddr",
    "inet",
    "addr",
    "address",
    "adresse",
    "dirección",
    "indirizzo",
    "host",
    "server",
    "gateway",
    "dns",
    "nameserver",
)
_MAC_WORDS = (
    "mac",
    "hwaddr",
    "hardware address",
    "physical address",
    "physikalische adresse",
    "adresse physique",
    "ether",
    "bssid",
    "wifi",
    "wi-fi",
    "wlan",
    "nic",
)
_HEX2 = "[0-9A-Fa-f]{2}"
_HEX4 = "[0-9A-Fa-f]{4}"

# --- postal codes ----------------------------------------------------------------------------

_ADDRESS_WORDS = (
    "address",
    "postal code",
    "postcode",
    "post code",
    "mailing",
    "shipping",
    "delivery",
    "deliver to",
    "ship to",
    "billing",
    "street",
    "residence",
    "lives at",
    "located at",
)
_UK_POSTCODE = (
    r"\b(?:GIR 0AA|(?:[A-PR-UWYZ](?:\d\d?|\d[A-HJKPSTUW])|[A-PR-UWYZ][A-HK-Y](?:\d\d?|"
    r"\d[ABEHMNPRV-Y])) \d[ABD-HJLNP-UW-Z]{2})\b"
)
_CA_LETTER = "[ABCEGHJ-NPRSTV-Z]"
_CA_POSTAL = rf"\b[ABCEGHJ-NPRSTVXY]\d{_CA_LETTER} \d{_CA_LETTER}\d\b"
_NL_NOT_SUFFIX = {"SA", "SD", "SS", "KB", "MB", "GB", "TB", "PB", "MS", "PM", "AM", "HZ"}


def _nl_postcode(value: str) -> bool:
    return value[-2:].upper() not in _NL_NOT_SUFFIX


def _de_postal(value: str) -> bool:
    return "01001" <= value <= "99998"


DETECTORS = (
    Detector(
        "email",
        "pii",
        _EMAIL,
        _email,
        confidence="validated",
        keep=(1, 0),
        # `https://user@host/path` is a URL's user name, not a mailbox
        boundary=frozenset("/"),
        description="Email address whose domain ends in a real public suffix (placeholder and "
        "internal domains are ignored); internationalised addresses (RFC 6531) included.",
        source="https://www.rfc-editor.org/rfc/rfc5322#section-3.4.1",
    ),
    Detector(
        "phone_e164",
        "pii",
        r"\+[1-9]\d{0,2}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}\b",
        _e164,
        checksum=_e164_valid,
        keep=(3, 2),
        description="International phone number (+country code); validated against the "
        "country's dialling plan, low when the plan has no such number.",
        source="https://www.itu.int/rec/T-REC-E.164",
    ),
    Detector(
        "phone_national",
        "pii",
        # Six digits at least (the validator's minimum) unless grouped: the lone 30, 204 and
        # 10 of ordinary text are no match to look for a label around.
        r"(?:\(\d{1,5}\)[ .-]?\b\d{2,12}(?:[ ./-]\d{1,8}){0,5}"
        r"|\b\d{6,12}(?:[ ./-]\d{1,8}){0,5}|\b\d{2,12}(?:[ ./-]\d{1,8}){1,5})\b",
        _phone_shape,
        context=_PHONE_WORDS,
        context_required=True,
        checksum=_valid_in(None),
        regional_check=_valid_in,
        boundary=frozenset("+-./"),
        keep=(0, 2),
        window=48,
        regions=PHONE_REGIONS,
        description="Labelled national phone number ('Tel.', 'mobile', 'Handy', 'celular'); "
        "validated when valid in a configured region's dialling plan.",
        source="https://www.itu.int/oth/T0202",
    ),
    Detector(
        "phone_national_formatted",
        "pii",
        # Groups of digits written before the number are taken in with it, so the tail of an
        # IBAN, a card or a business number (51 824 753 5564) is seen whole and set aside.
        # Two groups hold eight digits at least (the validator's minimum), so the 03-18 of
        # 2024-03-18 is no match and dates do not select this detector.
        rf"{_LEADING_GROUPS}(?:"
        r"(?:\(0\d{1,4}\)[ .-]?\d{2,8}|\b0\d{1,4}[ ./-]\d{2,8})(?:[ .-]\d{2,8}){1,4}\b"
        r"|\b(?:0\d[ ./-]\d{6,8}|0\d{2}[ ./-]\d{5,8}|0\d{3}[ ./-]\d{4,8}|0\d{4}[ ./-]\d{3,8})\b"
        r"|\(0\d{1,4}\)[ .-]?\d{2,8}\b"
        r"|\(\d{3}\) ?\d{3}[ .-]\d{4}\b"
        r"|\b[2-9]\d{2}[ .-]\d{3}[ .-]\d{4}\b)",
        _formatted_phone,
        checksum=_formatted_in(None),
        regional_check=_formatted_in,
        boundary=frozenset("+-./"),  # not the tail of 219-09-6490 or of a dotted version
        keep=(0, 2),
        regions=PHONE_REGIONS,
        description="National phone number without a label, grouped the way its region "
        "writes numbers (020 7946 0018, (415) 555-0132); validated in a configured region.",
        source="https://www.itu.int/oth/T0202",
    ),
    Detector(
        "date_of_birth",
        "pii",
        _DOB_PATTERN,
        _date_of_birth,
        context=_DOB_WORDS,
        context_required=True,
        keep=(0, 0),
        window=48,
        description="Date of birth: a real past date near 'DOB', 'born', 'Geburtsdatum', "
        "'date de naissance', 'fecha de nacimiento', ...",
        source="https://en.wikipedia.org/wiki/Date_format_by_country",
    ),
    Detector(
        "ipv4_address",
        "pii",
        # every dotted run of four or more numbers: an OID (1.3.6.1.4.1) or a version
        # (10.0.19041.1) is then seen whole and set aside by the validator; a quad named a
        # version or release (v12.4.1.2, "release 12.4.1.2") is matched with no value
        r"(?i:\b(?:version|release|build|firmware|ver\.?|v)[ :=]*)\d{1,3}(?:\.\d{1,3}){3}\b"
        r"|(?P<v>\b\d{1,3}(?:\.\d{1,3}){3}(?:\.\d+)*\b)",
        _ipv4,
        context=_NET_WORDS,
        checksum=_host_address,
        boundary=_VERSION_JOINERS,
        window=40,
        keep=(3, 0),
        description="IPv4 address; validated when IANA's registries make it a host's address "
        "(public or in a site's private range), low for documentation, reserved and multicast "
        "ranges and network addresses.",
        source="https://www.iana.org/assignments/iana-ipv4-special-registry/",
    ),
    Detector(
        "ipv6_address",
        "pii",
        r"(?i)\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b"
        r"|\b(?:[0-9a-f]{1,4}:){1,6}(?::[0-9a-f]{1,4}){1,6}\b"
        # an IPv4 address in IPv6 (::ffff:198.51.100.7, 64:ff9b::203.0.113.9)
        r"|(?:\b[0-9a-f]{1,4}|:)(?::[0-9a-f]{0,4}){1,6}:\d{1,3}(?:\.\d{1,3}){3}\b",
        _ip,
        context=_NET_WORDS,
        checksum=_host_address,
        boundary=_VERSION_JOINERS | {":"},  # not the tail of `2001:db8::1` glued to a word
        window=40,
        keep=(4, 0),
        description="IPv6 address; validated when IANA's registries make it a host's address, "
        "low for the documentation prefix and multicast.",
        source="https://www.iana.org/assignments/iana-ipv6-special-registry/",
    ),
    Detector(
        "mac_address",
        "pii",
        rf"\b{_HEX2}[:-]{_HEX2}[:-]{_HEX2}[:-]{_HEX2}[:-]{_HEX2}[:-]{_HEX2}\b"
        rf"|\b{_HEX4}\.{_HEX4}\.{_HEX4}\b",
        _mac,
        context=_MAC_WORDS,
        boundary=frozenset(":-."),  # not six pairs inside a longer fingerprint
        window=40,
        keep=(8, 0),
        description="MAC address (colon, hyphen or Cisco dotted; all-zero and broadcast "
        "ignored); context when labelled 'mac', 'hwaddr', 'bssid'.",
        source="https://standards.ieee.org/wp-content/uploads/import/documents/tutorials/eui.pdf",
    ),
    Detector(
        "imei",
        "pii",
        r"\b\d{2}[ -]?\d{6}[ -]?\d{6}[ -]?\d\b",
        context=(
            "imei",
            "meid",
            "device",
            "handset",
            "mdm",
            "geräte-id",
            "gerät",
            "numéro de série",
            "appareil",
        ),
        context_required=True,
        checksum=imei.is_valid,
        keep=(2, 0),
        description="Mobile device IMEI (with a label; Luhn check digit).",
        source="https://en.wikipedia.org/wiki/International_Mobile_Equipment_Identity",
    ),
    Detector(
        "iccid",
        "pii",
        r"\b89\d{16,18}\b",
        context=(
            "iccid",
            "sim card",
            "sim number",
            "sim no",
            "sim-nummer",
            "sim-karte",
            "carte sim",
        ),
        context_required=True,
        checksum=luhn.is_valid,
        keep=(4, 0),
        description="SIM card serial number (ICCID, with a label; Luhn check digit).",
        source="https://www.itu.int/rec/T-REC-E.118",
    ),
    Detector(
        "uk_postcode",
        "pii",
        _UK_POSTCODE,
        context=_ADDRESS_WORDS,
        keep=(2, 0),
        regions=("GB",),
        description="UK postcode in its full format (SW1A 1AA); context when labelled.",
        source="https://en.wikipedia.org/wiki/Postcodes_in_the_United_Kingdom",
    ),
    Detector(
        "us_zip_code",
        "pii",
        r"\b\d{5}(?:-\d{4})?\b",
        context=(
            "zip",
            "zipcode",
            "zip code",
            "zip+4",
            "postal code",
            "mailing address",
            "street address",
            "home address",
            "shipping address",
            "billing address",
        ),
        context_required=True,
        keep=(2, 0),
        window=40,
        regions=("US",),
        description="US ZIP or ZIP+4 code (with a label).",
        source="https://en.wikipedia.org/wiki/ZIP_Code",
    ),
    Detector(
        "ca_postal_code",
        "pii",
        _CA_POSTAL,
        context=(*_ADDRESS_WORDS, "code postal", "adresse"),
        keep=(3, 0),
        regions=("CA",),
        description="Canadian postal code (K1A 0B1); context when labelled.",
        source="https://en.wikipedia.org/wiki/Postal_codes_in_Canada",
    ),
    Detector(
        "de_postal_code",
        "pii",
        r"\b\d{5}\b",
        _de_postal,
        context=(
            "plz",
            "postleitzahl",
            "anschrift",
            "adresse",
            "wohnort",
            "wohnhaft",
            "straße",
            "strasse",
            "str.",
            "postfach",
        ),
        context_required=True,
        keep=(2, 0),
        window=40,
        regions=("DE",),
        description="German postal code (PLZ, with an address label).",
        source="https://en.wikipedia.org/wiki/Postal_codes_in_Germany",
    ),
    Detector(
        "fr_postal_code",
        "pii",
        r"\b(?:0[1-9]|[1-8]\d|9[0-8])\d{3}\b",
        context=("code postal", "cp ", "cp:", "adresse", "rue ", "avenue", "boulevard", "cedex"),
        context_required=True,
        keep=(2, 0),
        window=40,
        regions=("FR",),
        description="French postal code (with an address label).",
        source="https://en.wikipedia.org/wiki/Postal_codes_in_France",
    ),
    Detector(
        "nl_postcode",
        "pii",
        r"\b[1-9]\d{3} ?[A-Z]{2}\b",
        _nl_postcode,
        context=("postcode", "adres", "straat", "woonplaats", "postbus", "laan", "weg "),
        context_required=True,
        keep=(2, 0),
        window=48,
        regions=("NL",),
        description="Dutch postcode (1234 AB, with an address label).",
        source="https://en.wikipedia.org/wiki/Postal_codes_in_the_Netherlands",
    ),
    Detector(
        "in_pin_code",
        "pii",
        r"\b[1-9]\d{2} ?\d{3}\b",
        context=("pincode", "pin code", "pin-code", "postal code", "पिन कोड", "पिनकोड"),
        context_required=True,
        keep=(2, 0),
        window=40,
        regions=("IN",),
        description="Indian postal PIN code (with a label).",
        source="https://en.wikipedia.org/wiki/Postal_Index_Number",
    ),
    Detector(
        "jp_postal_code",
        "pii",
        r"\b\d{3}-\d{4}\b",
        context=("〒", "郵便番号", "postal code", "zip"),
        context_required=True,
        keep=(3, 0),
        window=24,
        regions=("JP",),
        description="Japanese postal code (〒123-4567 or labelled).",
        source="https://en.wikipedia.org/wiki/Postal_codes_in_Japan",
    ),
    Detector(
        "br_cep",
        "pii",
        r"\b\d{5}-\d{3}\b",
        context=("cep", "código postal", "codigo postal", "endereço", "endereco"),
        context_required=True,
        keep=(2, 0),
        window=40,
        regions=("BR",),
        description="Brazilian postal code (CEP, with a label).",
        source="https://en.wikipedia.org/wiki/Postal_codes_in_Brazil",
    ),
)
