"""Passwords without a vendor prefix: in URLs, in connection strings, and in `password=` or
`secret:` assignments. Variable references and templates are not findings, and an assigned value
must look random (entropy) or mix character classes."""

from __future__ import annotations

import re

from aigate.inspect.detectors.base import Detector, entropy, is_placeholder

_CODE_REFERENCE = re.compile(
    r"^(?:[A-Za-z_][A-Za-z0-9_]*[.(\[]|\$|%|@|&|\*|self\b|this\b|true$|false$|null$|none$)",
    re.IGNORECASE,
)
_CLASSES = tuple(re.compile(p) for p in ("[a-z]", "[A-Z]", "[0-9]", "[^A-Za-z0-9]"))
_WORDY = {"password", "passwd", "secret", "required", "optional", "string", "hidden", "none"}


def _password_value(value: str) -> bool:
    if is_placeholder(value) or _CODE_REFERENCE.match(value) or value.lower() in _WORDY:
        return False
    classes = sum(pattern.search(value) is not None for pattern in _CLASSES)
    return len(value) >= 8 and ((entropy(value) >= 3.0 and classes >= 2) or classes >= 3)


def _url_password(value: str) -> bool:
    return bool(value) and not is_placeholder(value) and value.lower() not in _WORDY | {"pass"}


DETECTORS = (
    Detector(
        "password_in_url",
        "secret",
        r"\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\s:@/\"'<>]{1,64}:(?P<v>[^\s:@/\"'<>]{1,128})@[A-Za-z0-9._-]{1,253}",
        _url_password,
        confidence="pattern",
        keep=(0, 0),
        description="Password in a URL (postgres://user:pass@host, https://u:p@host).",
    ),
    Detector(
        "password_connection_string",
        "secret",
        r"(?i)(?:server|data source|host|address)\s*=[^;\n]{1,200};[^\n]{0,300}?"
        r"\b(?:password|pwd)\s*=\s*(?P<v>[^;\"'\s]{1,128})",
        _url_password,
        confidence="pattern",
        keep=(0, 0),
        description="Password in an ADO.NET/ODBC/JDBC connection string.",
    ),
    Detector(
        "password_assignment",
        "secret",
        r"(?i)(?:\b|_)(?:password|passwd|pwd|pass|secret|secret_key|client_secret|api_?key|apikey|"
        r"access_?token|auth_?token|private_key)[\"']?\s*(?::=|=>|[:=])\s*[\"']?(?P<v>[^\s\"',;`]{6,128})",
        _password_value,
        confidence="pattern",
        keep=(0, 0),
        description="A password, secret or key assigned a random-looking literal value.",
    ),
)
