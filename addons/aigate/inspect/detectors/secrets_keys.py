"""Key material and signed tokens: PEM private keys (body required, so a header quoted in
documentation is not a finding), JWTs whose header and payload decode, and age secret keys."""

from __future__ import annotations

import base64
import json

from aigate.inspect.detectors.base import TOKEN_CHARS, Detector

# PEM body characters, including JSON-escaped newlines ("\\n") from a key file pasted raw.
_CH = r"(?:\\[rn]|[A-Za-z0-9+/=\s])"
_HEADER = r"(?:[A-Za-z-]{2,20}:[^\n]{0,80}(?:\\n|\n))"


def _pem(kind: str, block: str = "") -> str:
    """BEGIN line, optional headers, at least 64 body characters, then END if it is there."""
    return (
        rf"-----BEGIN {kind}PRIVATE KEY{block}-----{_CH}*{_HEADER}*"
        rf"{_CH}{{64}}{_CH}*(?:-----END {kind}PRIVATE KEY{block}-----)?"
    )


def _b64json(part: str) -> dict | None:
    try:
        data = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _jwt(value: str) -> bool:
    header, payload, _signature = value.split(".", 2)
    head = _b64json(header)
    return head is not None and "alg" in head and _b64json(payload) is not None


DETECTORS = (
    Detector(
        "private_key_rsa",
        "secret",
        _pem("RSA "),
        confidence="validated",
        keep=(0, 0),
        description="PEM RSA private key (PKCS#1).",
        source="https://www.rfc-editor.org/rfc/rfc8017#appendix-A.1.2",
    ),
    Detector(
        "private_key_ec",
        "secret",
        _pem("EC "),
        confidence="validated",
        keep=(0, 0),
        description="PEM EC private key.",
        source="https://www.rfc-editor.org/rfc/rfc5915",
    ),
    Detector(
        "private_key_dsa",
        "secret",
        _pem("DSA "),
        confidence="validated",
        keep=(0, 0),
        description="PEM DSA private key.",
        source="https://docs.openssl.org/master/man1/openssl-dsa/",
    ),
    Detector(
        "private_key_openssh",
        "secret",
        _pem("OPENSSH "),
        confidence="validated",
        keep=(0, 0),
        description="OpenSSH private key.",
        source="https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key",
    ),
    Detector(
        "private_key_pkcs8",
        "secret",
        _pem("(?:ENCRYPTED )?"),
        confidence="validated",
        keep=(0, 0),
        description="PEM PKCS#8 private key (plain or encrypted).",
        source="https://www.rfc-editor.org/rfc/rfc7468#section-10",
    ),
    Detector(
        "private_key_pgp",
        "secret",
        _pem("PGP ", " BLOCK"),
        confidence="validated",
        keep=(0, 0),
        description="PGP private key block.",
        source="https://www.rfc-editor.org/rfc/rfc9580#section-6.2",
    ),
    Detector(
        "jwt",
        "secret",
        r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}",
        _jwt,
        context=("bearer", "authorization", "jwt", "id_token", "access_token", "token", "cookie"),
        confidence="pattern",
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="JSON Web Token (header and payload must decode to JSON objects).",
        source="https://www.rfc-editor.org/rfc/rfc7519",
    ),
    Detector(
        "age_secret_key",
        "secret",
        r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}",
        confidence="validated",
        keep=(15, 0),
        description="age encryption secret key.",
        source="https://age-encryption.org/v1",
    ),
)
