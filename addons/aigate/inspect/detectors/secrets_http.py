"""HTTP credentials: `Authorization` header values (Basic user:password, Bearer tokens, other
schemes and raw keys) and `curl -u user:password` / HTTPie `-a user:password`, wherever they are
written (a curl command, code setting a header, a pasted request, a log line)."""

from __future__ import annotations

import base64
import binascii

from aigate.inspect.detectors.base import Detector
from aigate.inspect.detectors.secrets_generic import random_value, url_password

# The value of a header: up to white space, a quote, a comma or a semicolon; no closing bracket
# at its end.
_VALUE = r"(?P<v>[^\s\"'`,;\\]{5,}[^\s\"'`,;\\)\]}])"


def _basic_credentials(value: str) -> bool:
    """Base64 of `user:password` (RFC 7617) with a real password."""
    padded = value.rstrip("=")
    padded += "=" * (-len(padded) % 4)
    try:
        decoded = base64.b64decode(padded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    if ":" not in decoded or not decoded.isprintable():
        return False
    user, _, password = decoded.partition(":")
    return url_password(password, user)


def _bearer(value: str) -> bool:
    return random_value(value, 12)


def _curl_user(value: str) -> bool:
    user, _, password = value.partition(":")
    if user.startswith(("$", "%", "{", "<")):
        return False
    return url_password(password, user)


DETECTORS = (
    Detector(
        "http_basic_auth",
        "secret",
        r"\b(?i:basic)[ \t]+(?P<v>[A-Za-z0-9+/]{8,}={0,2})",
        _basic_credentials,
        confidence="context",
        keep=(0, 0),
        boundary=frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_."),
        description="HTTP Basic credentials: `Basic` and base64 that decodes to user:password "
        "(Authorization headers, code, curl -H).",
        source="https://www.rfc-editor.org/rfc/rfc7617#section-2",
    ),
    Detector(
        "http_bearer_token",
        "secret",
        rf"\b(?i:bearer)[ \t]+{_VALUE}",
        _bearer,
        confidence="context",
        keep=(0, 0),
        description="A random-looking token after `Bearer` (Authorization headers, code, "
        "curl -H, pasted requests).",
        source="https://www.rfc-editor.org/rfc/rfc6750#section-2.1",
        generic=True,
    ),
    Detector(
        "http_authorization_header",
        "secret",
        # Basic and Bearer have their own detectors; Digest, Negotiate, NTLM and AWS SigV4 carry
        # one-time proofs, not reusable credentials. A header in one of those schemes is matched
        # first and yields no value.
        r"\b(?i:(?:proxy-)?authorization)\\?[\"']?[ \t]*[:=][ \t]*\\?[\"']?"
        r"(?:(?i:basic|bearer|digest|negotiate|ntlm|aws4-hmac-sha256|hoba|mutual|vapid|"
        r"scram-sha-\d+|signature|hmac\S*|oauth|gnap)\b"
        r"|(?:(?i:token|api-?key|apikey|key|ssws|sharedkey|sharedaccesssignature|bot|otp|dsn|"
        r"private-token|access-token|client-token|session)[ \t]+)?"
        rf"{_VALUE})",
        _bearer,
        confidence="context",
        keep=(0, 0),
        description="A random-looking credential in an Authorization header with another "
        "scheme (`token ...`, `ApiKey ...`, `SSWS ...`) or none.",
        source="https://www.rfc-editor.org/rfc/rfc9110#section-11.6.2",
        generic=True,
    ),
    Detector(
        "curl_user_credentials",
        "secret",
        r"\b(?:curl|xh|https?)\b(?:\\\r?\n|[^\n]){0,300}?[ \t]"
        r"(?:-u|--user|-a|--auth)(?:=|[ \t]*)[\"']?"
        r"(?P<v>[^\s\"':]*:[^\s\"']+)",
        _curl_user,
        confidence="context",
        keep=(0, 0),
        description="user:password given to curl -u/--user or HTTPie -a/--auth.",
        source="https://curl.se/docs/manpage.html#-u",
    ),
)
