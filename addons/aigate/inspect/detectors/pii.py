"""Personal data: contact details, national identifiers, travel and driving documents, network
identifiers. Ambiguous shapes (nine digits, a date) need context words; national numbers use
python-stdnum's validators and phone numbers use phonenumbers."""

from __future__ import annotations

import datetime
import ipaddress
import re

import phonenumbers
from stdnum import mac
from stdnum.us import ssn

from aigate.inspect.detectors.base import Detector, Validator, digits

_PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net", "test.com", "domain.com")
_PLACEHOLDER_SUFFIXES = (".example", ".test", ".invalid", ".localhost", ".local")


def _stdnum(module) -> Validator:
    def check(value: str) -> bool:
        return bool(module.is_valid(value))

    return check


def _email(value: str) -> bool:
    domain = value.rsplit("@", 1)[1].lower()
    if domain in _PLACEHOLDER_DOMAINS or domain.endswith(_PLACEHOLDER_SUFFIXES):
        return False
    local = value.rsplit("@", 1)[0]
    return not (local.startswith(".") or ".." in value)


def _phone(region: str | None) -> Validator:
    def check(value: str) -> bool:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            return False
        return phonenumbers.is_valid_number(number)

    return check


def _ssn(value: str) -> bool:
    seps = {ch for ch in value if not ch.isdigit()}
    return len(seps) <= 1 and ssn.is_valid(digits(value))


_NINO_BAD_PREFIX = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


def _nino(value: str) -> bool:
    return value.replace(" ", "")[:2].upper() not in _NINO_BAD_PREFIX


_DATE_FORMATS = ("%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%m-%d-%Y")


def _date_of_birth(value: str) -> bool:
    text = re.sub(r"\s+", " ", value.strip().replace(",", ""))
    formats = (*_DATE_FORMATS, "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y")
    for fmt in formats:
        try:
            day = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return 1900 <= day.year <= datetime.date.today().year
    return False


def _ip(value: str) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return not (address.is_unspecified or address.is_loopback)


def _mac(value: str) -> bool:
    compact = value.replace(":", "").replace("-", "").lower()
    if len(set(value[2::3])) != 1 or compact in ("000000000000", "ffffffffffff"):
        return False
    return mac.is_valid(value)


def _uk_licence(value: str) -> bool:
    month = int(value[6:8])
    return month in range(1, 13) or month in range(51, 63)


_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
_PASSPORT = ("passport", "passeport", "reisepass", "pasaporte", "travel document")
_LICENCE = (
    "driver",
    "driving",
    "licence",
    "license",
    "dl#",
    "dl no",
    "dl number",
    "führerschein",
)
_HEX2 = "[0-9A-Fa-f]{2}"

DETECTORS = (
    Detector(
        "email",
        "pii",
        r"\b[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,24}\b",
        _email,
        confidence="pattern",
        keep=(1, 0),
        description="Email address (placeholder domains like example.com are ignored).",
    ),
    Detector(
        "phone_e164",
        "pii",
        r"\+[1-9]\d{0,2}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}\b",
        _phone(None),
        confidence="pattern",
        keep=(3, 2),
        description="International phone number (+country code, validated by phonenumbers).",
    ),
    Detector(
        "phone_national",
        "pii",
        r"(?:\(\d{2,4}\) ?|\b\d{2,4}[ .-])\d{3,4}[ .-]?\d{3,4}\b",
        _phone("US"),
        context=(
            "phone",
            "tel:",
            "tel.",
            "telephone",
            "call me",
            "call us",
            "mobile",
            "cell",
            "whatsapp",
            "fax",
            "contact",
            "text me",
            "reach me",
        ),
        context_required=True,
        confidence="pattern",
        keep=(0, 2),
        description="US/national phone number (with context, validated by phonenumbers).",
    ),
    Detector(
        "passport_us",
        "pii",
        r"\b[A-Z]?\d{8,9}\b",
        context=_PASSPORT,
        context_required=True,
        confidence="pattern",
        description="US passport number (with context).",
    ),
    Detector(
        "passport_uk",
        "pii",
        r"\b\d{9}GBR\d{7}[MF<]\d{7}\b|\b[0-9]{9}\b",
        context=_PASSPORT,
        context_required=True,
        confidence="pattern",
        description="UK passport number (with context).",
    ),
    Detector(
        "passport_eu",
        "pii",
        r"\b[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\b|\b\d{2}[A-Z]{2}\d{5}\b|\b[A-Z]{2}\d{7}\b",
        context=_PASSPORT,
        context_required=True,
        confidence="pattern",
        description="German, French, Italian/Spanish-style passport numbers (with context).",
    ),
    Detector(
        "passport_in",
        "pii",
        r"\b[A-PR-WY][1-9]\d ?\d{4}[1-9]\b",
        context=_PASSPORT,
        context_required=True,
        confidence="pattern",
        description="Indian passport number (with context).",
    ),
    Detector(
        "passport_ca",
        "pii",
        r"\b[A-Z]{2}\d{6}\b",
        context=_PASSPORT,
        context_required=True,
        confidence="pattern",
        description="Canadian passport number (with context).",
    ),
    Detector(
        "date_of_birth",
        "pii",
        r"(?i)\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2}|\d{1,2} "
        + _MONTHS
        + r",? (?:19|20)\d{2}|"
        + _MONTHS
        + r" \d{1,2},? (?:19|20)\d{2})\b",
        _date_of_birth,
        context=("dob", "d.o.b", "date of birth", "born", "birth", "birthday", "geburtsdatum"),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        window=40,
        description="Date of birth (a date near 'born', 'DOB', 'date of birth').",
    ),
    Detector(
        "ipv4_address",
        "pii",
        r"\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b",
        _ip,
        confidence="pattern",
        keep=(3, 0),
        description="IPv4 address (policy can limit findings to public addresses).",
    ),
    Detector(
        "ipv6_address",
        "pii",
        r"(?i)\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,6}(?::[0-9a-f]{1,4}){1,6}\b",
        _ip,
        confidence="pattern",
        keep=(4, 0),
        description="IPv6 address.",
    ),
    Detector(
        "mac_address",
        "pii",
        rf"\b{_HEX2}[:-]{_HEX2}[:-]{_HEX2}[:-]{_HEX2}[:-]{_HEX2}[:-]{_HEX2}\b",
        _mac,
        confidence="pattern",
        keep=(8, 0),
        description="MAC address (consistent separators; all-zero and broadcast ignored).",
    ),
    Detector(
        "us_drivers_license",
        "pii",
        r"\b[A-Z]\d{6,12}\b|\b[A-Z]{1,2}\d{5,8}\b|\b\d{7,9}\b",
        context=_LICENCE,
        context_required=True,
        confidence="pattern",
        window=48,
        description="US driver's licence number (with context).",
    ),
    Detector(
        "uk_driving_licence",
        "pii",
        r"\b[A-Z9]{5}\d[0156]\d[0-3]\d{2}[A-Z9]{2}\d[A-Z]{2}\b",
        _uk_licence,
        confidence="pattern",
        description="UK driving licence number.",
    ),
)
