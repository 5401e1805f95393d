"""Key material and signed tokens: PEM private keys (body required, so a header quoted in
documentation is not a finding), JWTs whose header and payload decode, and age secret keys."""

from __future__ import annotations

import base64
import hashlib
import json

from aigate.inspect.detectors.base import TOKEN_CHARS, Detector, is_placeholder, run_located

# PEM body characters, including JSON-escaped newlines ("\\n") from a key file pasted raw.
_CH = r"(?:\\[rn]|[A-Za-z0-9+/=\s])"
_HEADER = r"(?:[A-Za-z-]{2,20}:[^\n]{0,80}(?:\\n|\n))"


def _pem(kind: str, block: str = "") -> str:
    """BEGIN line, optional headers, at least 64 body characters, then END if it is there."""
    return (
        rf"-----BEGIN {kind}PRIVATE KEY{block}-----{_CH}*{_HEADER}*"
        rf"{_CH}{{64}}{_CH}*(?:-----END {kind}PRIVATE KEY{block}-----)?"
    )


def _pem_body(value: str) -> bool:
    """Key material, not a template: the body (after the BEGIN line) uses a good part of the
    base64 alphabet (`xxxx...`, `AAAA...` or `...` are someone's placeholder)."""
    parts = value.split("-----", 3)
    body = parts[2] if len(parts) > 2 else ""
    return len(set(body) - set(" \t\r\n")) >= 16 and "..." not in body and "\u2026" not in body


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _base58check(value: str) -> bytes | None:
    """The payload of a base58check string (Bitcoin's encoding), None when the 4-byte double
    SHA-256 checksum does not match."""
    n = 0
    for ch in value:
        index = _B58.find(ch)
        if index < 0:
            return None
        n = n * 58 + index
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    raw = b"\0" * (len(value) - len(value.lstrip("1"))) + raw
    payload, check = raw[:-4], raw[-4:]
    if len(payload) < 2 or hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != check:
        return None
    return payload


def _wif(value: str) -> bool:
    """Wallet import format: version 0x80 (mainnet) or 0xef (testnet), 32 key bytes, and 0x01
    when the public key is compressed."""
    payload = _base58check(value)
    return (
        payload is not None
        and payload[0] in (0x80, 0xEF)
        and (len(payload) == 33 or (len(payload) == 34 and payload[-1] == 1))
    )


def _hex_private_key(value: str) -> bool:
    body = value.removeprefix("0x").removeprefix("0X")
    return len(set(body.lower())) >= 10 and not is_placeholder(body)


def _b64json(part: str) -> dict | None:
    try:
        data = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _jwt_parts(value: str) -> tuple[dict, dict, str] | None:
    """Header and payload as JSON objects (the header naming an algorithm) and the signature."""
    header, payload, signature = value.split(".", 2)
    head, body = _b64json(header), _b64json(payload)
    if head is None or body is None or not isinstance(head.get("alg"), str):
        return None
    return head, body, signature


def _jwt(value: str) -> bool:
    parts = _jwt_parts(value)
    if parts is None:
        return False
    head, _body, signature = parts
    # An unsigned token (alg "none") has an empty signature; every other one carries one.
    return len(signature) >= 16 or (head["alg"].lower() == "none" and not signature)


# Signature sizes in bytes per JWA algorithm family (RFC 7518 section 3): HMAC output, RSA
# modulus, ECDSA r||s, Ed25519/Ed448.
_SIGNATURE_BYTES = {
    "HS256": {32},
    "HS384": {48},
    "HS512": {64},
    "ES256": {64},
    "ES256K": {64},
    "ES384": {96},
    "ES512": {132},
    "EdDSA": {64, 114},
    "Ed25519": {64},
}
_RSA_BYTES = {128, 256, 384, 512, 768, 1024}


def _jwt_signed(value: str) -> bool:
    """A JWT whose signature has exactly the size its algorithm produces: a token that was
    really issued (or copied whole), not a header and payload with made-up characters after."""
    parts = _jwt_parts(value)
    if parts is None:
        return False
    head, _body, signature = parts
    try:
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    except ValueError:
        return False
    alg = head["alg"]
    sizes = _RSA_BYTES if alg[:2] in ("RS", "PS") else _SIGNATURE_BYTES.get(alg, set())
    return len(raw) in sizes


def _service_role_jwt(value: str) -> bool:
    """A Supabase service-role key: a JWT whose payload grants the `service_role` role, which
    bypasses row-level security."""
    parts = _jwt_parts(value)
    return parts is not None and parts[1].get("role") == "service_role"


# Header and payload are base64url JSON objects (`eyJ` is `{"`); the signature may be empty
# for an unsigned token (alg "none") and is sometimes written with base64 padding.
_JWT = r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.(?:[A-Za-z0-9_-]{16,}={0,2})?"
_JWT_LABELS = (
    "bearer",
    "authorization",
    "jwt",
    "id_token",
    "access_token",
    "token",
    "cookie",
    "session",
    "key",
    "secret",
    "service_role",
    "supabase",
    "apikey",
    "auth",
)

DETECTORS = (
    Detector(
        "private_key_rsa",
        "secret",
        _pem("RSA "),
        _pem_body,
        confidence="validated",
        keep=(0, 0),
        description="PEM RSA private key (PKCS#1).",
        source="https://www.rfc-editor.org/rfc/rfc8017#appendix-A.1.2",
    ),
    Detector(
        "private_key_ec",
        "secret",
        _pem("EC "),
        _pem_body,
        confidence="validated",
        keep=(0, 0),
        description="PEM EC private key.",
        source="https://www.rfc-editor.org/rfc/rfc5915",
    ),
    Detector(
        "private_key_dsa",
        "secret",
        _pem("DSA "),
        _pem_body,
        confidence="validated",
        keep=(0, 0),
        description="PEM DSA private key.",
        source="https://docs.openssl.org/master/man1/openssl-dsa/",
    ),
    Detector(
        "private_key_openssh",
        "secret",
        _pem("OPENSSH "),
        _pem_body,
        confidence="validated",
        keep=(0, 0),
        description="OpenSSH private key.",
        source="https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key",
    ),
    Detector(
        "private_key_pkcs8",
        "secret",
        _pem("(?:ENCRYPTED )?"),
        _pem_body,
        confidence="validated",
        keep=(0, 0),
        description="PEM PKCS#8 private key (plain or encrypted).",
        source="https://www.rfc-editor.org/rfc/rfc7468#section-10",
    ),
    Detector(
        "private_key_pgp",
        "secret",
        _pem("PGP ", " BLOCK"),
        _pem_body,
        confidence="validated",
        keep=(0, 0),
        description="PGP private key block.",
        source="https://www.rfc-editor.org/rfc/rfc9580#section-6.2",
    ),
    Detector(
        "jwt",
        "secret",
        _JWT,
        _jwt,
        context=_JWT_LABELS,
        confidence="pattern",
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="JSON Web Token (header and payload must decode to JSON objects; context "
        "when labelled).",
        source="https://www.rfc-editor.org/rfc/rfc7519",
    ),
    Detector(
        "jwt_signed",
        "secret",
        _JWT,
        _jwt_signed,
        confidence="validated",
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="JSON Web Token whose signature has the size its algorithm produces (HS256: "
        "32 bytes, RS256: the RSA modulus, ES256: 64 bytes): an issued token.",
        source="https://www.rfc-editor.org/rfc/rfc7518#section-3",
    ),
    Detector(
        "supabase_service_role_key",
        "secret",
        _JWT,
        _service_role_jwt,
        confidence="validated",
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="Supabase service-role key (a JWT granting role service_role, which "
        "bypasses row-level security).",
        source="https://supabase.com/docs/guides/api/api-keys",
    ),
    Detector(
        "crypto_wif_private_key",
        "secret",
        r"[5KLc9][1-9A-HJ-NP-Za-km-z]{50,51}",
        checksum=_wif,
        context=(
            "wif",
            "private key",
            "private_key",
            "privatekey",
            "privkey",
            "priv_key",
            "bitcoin",
            "btc",
            "wallet",
            "importprivkey",
        ),
        context_required=True,
        window=100,
        first_start=run_located("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 51),
        confidence="pattern",
        keep=(1, 0),
        boundary=TOKEN_CHARS,
        description="Bitcoin private key in wallet import format (base58check, version 0x80), "
        "near 'private key', 'wif' or 'bitcoin'.",
        source="https://en.bitcoin.it/wiki/Wallet_import_format",
    ),
    Detector(
        "crypto_hex_private_key",
        "secret",
        r"(?:0[xX])?[a-fA-F0-9]{64}",
        _hex_private_key,
        context=(
            "private key",
            "private_key",
            "privatekey",
            "privkey",
            "priv_key",
            "secret key",
            "signing key",
            "wallet key",
            "eth_private",
            "mnemonic",
        ),
        context_required=True,
        window=60,
        confidence="pattern",
        keep=(2, 0),
        boundary=TOKEN_CHARS,
        description="A 256-bit private key in hex (Ethereum, secp256k1, Ed25519 seeds) next to "
        "'private key'.",
        source="https://ethereum.org/en/developers/docs/accounts/#account-creation",
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
