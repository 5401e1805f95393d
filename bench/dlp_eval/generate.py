#!/usr/bin/env python3
"""Generate aigate's held-out DLP evaluation set (issue 17, item 7).

    .venv/bin/python bench/dlp_eval/generate.py            # rewrites bench/dlp_eval/*.jsonl
    .venv/bin/python bench/dlp_eval/generate.py --check    # fails if the files are stale

Every value is made here, from the public definition of its format (the issuer's documentation,
the standard, or the national registry's rules), never copied from another scanner's tests:
check digits are computed (Luhn, mod 97, ISO 7064, Verhoeff, the national algorithms through
python-stdnum, GitHub's CRC32-in-base62, base58check, bech32, EIP-55), phone numbers are drawn
from libphonenumber's per-region metadata and checked with `is_valid_number`, and structured
credentials (PyPI macaroons, JWTs, PEM keys, Sentry and Grafana tokens) are built from their
binary or JSON layout. Each row cites the page the format was taken from.

Rows are {"id", "family", "kind", "text", "value", "positive", "source", "context"}: `value`
occurs exactly once in `text`; `context` is "labelled" when the sentence names what the value is
(an env var, "passport no.", "IBAN:") and "bare" when it does not. Randomness is seeded per kind,
so adding a kind leaves every other row unchanged.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import itertools
import json
import random
import string
import sys
import uuid
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

import phonenumbers
from stdnum import iban as std_iban
from stdnum import luhn, numdb

HERE = Path(__file__).resolve().parent
SEED = "aigate-dlp-eval-1"

DIGITS = string.digits
UPPER = string.ascii_uppercase
LOWER = string.ascii_lowercase
ALNUM = UPPER + LOWER + DIGITS
B62 = DIGITS + UPPER + LOWER  # GitHub's base62 digit order
HEX = "0123456789abcdef"
URLSAFE = ALNUM + "-_"
B64 = ALNUM + "+/"
B32 = UPPER + "234567"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
ALPHABETS = {
    "hex": HEX,
    "HEX": HEX.upper(),
    "alnum": ALNUM,
    "b62": B62,
    "upper": UPPER,
    "lower": LOWER,
    "digits": DIGITS,
    "urlsafe": URLSAFE,
    "b64": B64,
    "b32": B32,
    "b32l": B32.lower(),
    "updig": UPPER + DIGITS,
    "lowdig": LOWER + DIGITS,
    "letters": UPPER + LOWER,
}

# fmt: off
FIRST = [
    "Anna", "Lukas", "Maria", "Jonas", "Sofia", "Mateo", "Emma", "Noah", "Olivia", "Liam", "Chloé",
    "Hugo", "Giulia", "Lorenzo", "Lucía", "Pablo", "Sanne", "Daan", "Freja", "Magnus", "Aino",
    "Eero", "Zofia", "Jakub", "Ioana", "Andrei", "Priya", "Arjun", "Wei", "Mei", "Haruto", "Yui",
    "Min-jun", "Seo-yeon", "Thabo", "Aisha", "Omar", "Layla", "Tomás", "Camila", "Diego",
    "Valentina", "Siobhán", "Ciarán", "Nikos", "Eleni", "Mehmet", "Elif", "Oren", "Noa", "Kiri",
    "Aroha",
]
# fmt: on
# fmt: off
LAST = [
    "Schmidt", "Müller", "Rossi", "Bianchi", "García", "Fernández", "Martin", "Dubois", "de Vries",
    "Jansen", "Nielsen", "Hansen", "Virtanen", "Korhonen", "Nowak", "Kowalski", "Popescu",
    "Ionescu", "Sharma", "Patel", "Wang", "Li", "Sato", "Suzuki", "Kim", "Park", "Nkosi", "Haddad",
    "Silva", "Santos", "González", "Rodríguez", "Murphy", "O'Brien", "Papadopoulos",
    "Yılmaz",  # noqa: RUF001 - the native spelling
    "Cohen", "Levi", "Ngata", "Walker", "Johnson", "Brown", "Taylor", "Anderson", "Thompson",
    "Clarke",
]
# fmt: on


def rng_for(name: str) -> random.Random:
    """A generator seeded by the kind's name: adding a kind does not shift any other."""
    return random.Random(f"{SEED}:{name}")


def r(rng: random.Random, chars: str, n: int) -> str:
    """`n` characters from `chars`, or from the alphabet of that name ("hex", "updig", ...)."""
    chars = ALPHABETS.get(chars, chars)
    return "".join(rng.choice(chars) for _ in range(n))


def fill(rng: random.Random, spec: str) -> str:
    """Expand `{alphabet:n}` / `{alphabet:n-m}` placeholders with random characters."""
    out, i = [], 0
    while i < len(spec):
        if spec[i] == "{":
            j = spec.index("}", i)
            name, count = spec[i + 1 : j].split(":")
            lo, _, hi = count.partition("-")
            n = rng.randint(int(lo), int(hi)) if hi else int(lo)
            out.append(r(rng, ALPHABETS[name], n))
            i = j + 1
        else:
            out.append(spec[i])
            i += 1
    return "".join(out)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def base62(n: int, width: int) -> str:
    out = ""
    while n:
        n, d = divmod(n, 62)
        out = B62[d] + out
    return out.rjust(width, "0")


def name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


def birth_date(rng: random.Random, lo: int = 1945, hi: int = 2004) -> dt.date:
    start = dt.date(lo, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(hi, 12, 31).toordinal()))


def complete(make: Callable[[str], str], alphabet: str, k: int, valid: Callable[[str], bool]):
    """The first fill of `k` check characters that `valid` accepts, or None."""
    for combo in itertools.product(alphabet, repeat=k):
        candidate = make("".join(combo))
        try:
            if valid(candidate):
                return candidate
        except Exception:  # noqa: S112 - stdnum raises on malformed candidates
            continue
    return None


def until(rng: random.Random, make: Callable[[random.Random], str | None], tries: int = 20000):
    for _ in range(tries):
        value = make(rng)
        if value:
            return value
    raise RuntimeError("no valid value generated")


# ---------------------------------------------------------------------------------------------
# Encodings: base58check (Bitcoin wiki), bech32/bech32m (BIP 173/350), Keccak-256 (EIP-55),
# ISO/IEC 7812 Luhn, CRC-24 (RFC 4880 armor), DER (X.690).


def b58encode(data: bytes, alphabet: str = B58) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, d = divmod(n, 58)
        out = alphabet[d] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return alphabet[0] * pad + out


def b58check(payload: bytes, alphabet: str = B58) -> str:
    check = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    return b58encode(payload + check, alphabet)


def _bech32_polymod(values: list[int]) -> int:
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def _convertbits(data: bytes, frombits: int, tobits: int) -> list[int]:
    acc = bits = 0
    out = []
    maxv = (1 << tobits) - 1
    for value in data:
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & maxv)
    if bits:
        out.append((acc << (tobits - bits)) & maxv)
    return out


def bech32_encode(hrp: str, data5: list[int], m: bool = False) -> str:
    const = 0x2BC830A3 if m else 1
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    polymod = _bech32_polymod(expanded + data5 + [0] * 6) ^ const
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32[d] for d in data5 + checksum)


def segwit_address(hrp: str, version: int, program: bytes) -> str:
    return bech32_encode(hrp, [version, *_convertbits(program, 8, 5)], m=version > 0)


def _rol64(a: int, n: int) -> int:
    n %= 64
    return ((a >> (64 - n)) | (a << n)) & 0xFFFFFFFFFFFFFFFF if n else a


def _keccak_f(lanes: list[list[int]]) -> list[list[int]]:
    lfsr = 1
    for _ in range(24):
        c = [lanes[x][0] ^ lanes[x][1] ^ lanes[x][2] ^ lanes[x][3] ^ lanes[x][4] for x in range(5)]
        d = [c[(x + 4) % 5] ^ _rol64(c[(x + 1) % 5], 1) for x in range(5)]
        lanes = [[lanes[x][y] ^ d[x] for y in range(5)] for x in range(5)]
        x, y = 1, 0
        current = lanes[x][y]
        for t in range(24):
            x, y = y, (2 * x + 3 * y) % 5
            current, lanes[x][y] = lanes[x][y], _rol64(current, (t + 1) * (t + 2) // 2)
        for y in range(5):
            row = [lanes[x][y] for x in range(5)]
            for x in range(5):
                lanes[x][y] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5])
        for j in range(7):
            lfsr = ((lfsr << 1) ^ ((lfsr >> 7) * 0x71)) % 256
            if lfsr & 2:
                lanes[0][0] ^= 1 << ((1 << j) - 1)
    return lanes


def keccak256(data: bytes) -> bytes:
    """Keccak-256 as Ethereum uses it (the original padding, not SHA3-256's)."""
    rate = 136
    msg = bytearray(data) + b"\x01"
    msg += b"\0" * (-len(msg) % rate)
    msg[-1] |= 0x80
    lanes = [[0] * 5 for _ in range(5)]
    for off in range(0, len(msg), rate):
        for i in range(rate // 8):
            lanes[i % 5][i // 5] ^= int.from_bytes(msg[off + 8 * i : off + 8 * i + 8], "little")
        lanes = _keccak_f(lanes)
    return b"".join(lanes[i % 5][i // 5].to_bytes(8, "little") for i in range(4))


def eip55(address_hex: str) -> str:
    digest = keccak256(address_hex.encode()).hex()
    return "0x" + "".join(
        c.upper() if int(digest[i], 16) >= 8 else c for i, c in enumerate(address_hex)
    )


def luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + r(rng, DIGITS, length - len(prefix) - 1)
    return body + luhn.calc_check_digit(body)


def crc24(data: bytes) -> int:
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def der(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + length + body


def der_int(n: int) -> bytes:
    raw = n.to_bytes(n.bit_length() // 8 + 1, "big")
    return der(0x02, raw)


def der_oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    out = bytearray([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(chunk))
    return der(0x06, bytes(out))


def pem(label: str, data: bytes, headers: str = "") -> str:
    body = b64(data)
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n{headers}" + "\n".join(lines) + f"\n-----END {label}-----"


def _probable_prime(rng: random.Random, bits: int) -> int:
    small = [p for p in range(3, 2000, 2) if all(p % q for q in range(3, int(p**0.5) + 1, 2))]
    while True:
        n = rng.getrandbits(bits) | (1 << (bits - 1)) | (1 << (bits - 2)) | 1
        if any(n % p == 0 for p in small):
            continue
        d, s = n - 1, 0
        while d % 2 == 0:
            d, s = d // 2, s + 1
        for _ in range(20):
            x = pow(rng.randrange(2, n - 2), d, n)
            if x in (1, n - 1):
                continue
            for _ in range(s - 1):
                x = pow(x, 2, n)
                if x == n - 1:
                    break
            else:
                break
        else:
            return n


def rsa_pkcs1(rng: random.Random, bits: int) -> bytes:
    """An RSAPrivateKey (RFC 8017 A.1.2) with real primes, so the DER parses and the numbers fit."""
    e = 65537
    while True:
        p, q = _probable_prime(rng, bits // 2), _probable_prime(rng, bits // 2)
        phi = (p - 1) * (q - 1)
        if p != q and phi % e:
            break
    d = pow(e, -1, phi)
    fields = [0, p * q, e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p)]
    return der(0x30, b"".join(der_int(f) for f in fields))


def pkcs8(algorithm: bytes, private_key: bytes) -> bytes:
    """PrivateKeyInfo (RFC 5208): version, AlgorithmIdentifier, OCTET STRING privateKey."""
    return der(0x30, der_int(0) + der(0x30, algorithm) + der(0x04, private_key))


# P-256 (SEC 2) for EC private keys with a matching public point.
_P256_P = 2**256 - 2**224 + 2**192 + 2**96 - 1
_P256_A = _P256_P - 3
_P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_P256_G = (
    0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
    0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
)


def _ec_add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    p = _P256_P
    if a[0] == b[0] and (a[1] + b[1]) % p == 0:
        return None
    if a == b:
        lam = (3 * a[0] * a[0] + _P256_A) * pow(2 * a[1], -1, p) % p
    else:
        lam = (b[1] - a[1]) * pow(b[0] - a[0], -1, p) % p
    x = (lam * lam - a[0] - b[0]) % p
    return x, (lam * (a[0] - x) - a[1]) % p


def p256_public(k: int) -> bytes:
    point, addend = None, _P256_G
    while k:
        if k & 1:
            point = _ec_add(point, addend)
        addend = _ec_add(addend, addend)
        k >>= 1
    return b"\x04" + point[0].to_bytes(32, "big") + point[1].to_bytes(32, "big")


def ec_private_key(rng: random.Random) -> bytes:
    """ECPrivateKey (RFC 5915) on prime256v1 with its public key."""
    k = rng.randrange(1, _P256_N)
    return der(
        0x30,
        der_int(1)
        + der(0x04, k.to_bytes(32, "big"))
        + der(0xA0, der_oid("1.2.840.10045.3.1.7"))
        + der(0xA1, der(0x03, b"\0" + p256_public(k))),
    )


# ---------------------------------------------------------------------------------------------
# Row collection.


class Rows:
    def __init__(self) -> None:
        self.by_family: dict[str, list[dict]] = {}

    def add(
        self,
        family: str,
        kind: str,
        text: str,
        value: str,
        source: str,
        *,
        positive: bool = True,
        context: str = "labelled",
    ) -> None:
        if text.count(value) != 1:
            raise ValueError(f"{kind}: value must occur exactly once in its text: {value!r}")
        rows = self.by_family.setdefault(family, [])
        rows.append(
            {
                "id": f"{family}-{len(rows) + 1:04d}",
                "family": family,
                "kind": kind,
                "text": text,
                "value": value,
                "positive": positive,
                "source": source,
                "context": context,
            }
        )


def fill_template(template: str, **values: str) -> str:
    for key, value in values.items():
        template = template.replace("<" + key + ">", value)
    return template


def spread(rng: random.Random, templates: list[str], n: int) -> list[str]:
    """`n` templates, each used before any repeats, in a seeded order."""
    out: list[str] = []
    while len(out) < n:
        batch = templates[:]
        rng.shuffle(batch)
        out.extend(batch)
    return out[:n]


# ---------------------------------------------------------------------------------------------
# secrets_vendor: credentials whose issuer documents a recognisable format.


def github_token(prefix: str) -> Callable[[random.Random], str]:
    """GitHub's 2021 format: prefix, 30 base62 characters, CRC32 of those in 6 base62 digits."""

    def make(rng: random.Random) -> str:
        body = r(rng, B62, 30)
        return prefix + body + base62(zlib.crc32(body.encode()), 6)

    return make


def spec(pattern: str) -> Callable[[random.Random], str]:
    return lambda rng: fill(rng, pattern)


def openai_key(prefix: str) -> Callable[[random.Random], str]:
    # Project, service-account and admin keys carry "T3BlbkFJ" ("OpenAI" in base64) mid-key.
    return lambda rng: prefix + r(rng, URLSAFE, 74) + "T3BlbkFJ" + r(rng, URLSAFE, 74)


def pypi_token(rng: random.Random) -> str:
    """A PyPI API token: "pypi-" + base64url(macaroon v2) with location pypi.org, a UUID
    identifier, one JSON caveat and a 32-byte signature (libmacaroons binary v2 layout)."""

    def field(tag: int, data: bytes) -> bytes:
        return bytes([tag, len(data)]) + data

    ident = str(uuid.UUID(int=rng.getrandbits(128), version=4)).encode()
    project = rng.choice(["invoice-tools", "geo-utils", "fastcsv", "pdfmerge", "tinyorm"])
    caveat = json.dumps({"version": 1, "permissions": {"projects": [project]}}).encode()
    sig = bytes(rng.getrandbits(8) for _ in range(32))
    raw = (
        b"\x02"
        + field(1, b"pypi.org")
        + field(2, ident)
        + b"\x00"
        + field(2, caveat)
        + b"\x00"
        + b"\x00"
        + field(6, sig)
    )
    return "pypi-" + b64url(raw)


def discord_bot_token(rng: random.Random) -> str:
    # base64(user snowflake) . base64(timestamp) . HMAC
    snowflake = str(rng.randint(10**17, 13 * 10**17))
    return b64url(snowflake.encode()) + "." + r(rng, URLSAFE, 6) + "." + r(rng, URLSAFE, 38)


def sentry_org_token(rng: random.Random) -> str:
    org = rng.choice(["acme-corp", "northwind", "globex", "initech", "umbrella-labs"])
    payload = {
        "iat": rng.randint(1_690_000_000, 1_760_000_000) + rng.random(),
        "url": "https://sentry.io",
        "region_url": rng.choice(["https://us.sentry.io", "https://de.sentry.io"]),
        "org": org,
    }
    return "sntrys_" + b64(json.dumps(payload).encode()).rstrip("=") + "_" + r(rng, B64, 43)


def grafana_cloud_token(rng: random.Random) -> str:
    payload = {
        "o": str(rng.randint(100000, 999999)),
        "n": f"stack-{rng.randint(100000, 999999)}-hm-read-{r(rng, LOWER, 6)}",
        "k": r(rng, ALNUM, 24),
        "m": {"r": rng.choice(["prod-us-east-0", "prod-eu-west-2", "prod-ap-southeast-1"])},
    }
    return "glc_" + b64(json.dumps(payload, separators=(",", ":")).encode())


def mapbox_secret(rng: random.Random) -> str:
    payload = {"u": rng.choice(["mapsteam", "geoops", "fleetviz"]), "a": r(rng, "lowdig", 25)}
    body = json.dumps(payload, separators=(",", ":")).encode()
    return "sk." + b64url(body) + "." + r(rng, URLSAFE, 22)


def onepassword_sa_token(rng: random.Random) -> str:
    payload = {
        "signInAddress": "my.1password.com",
        "userAuth": {
            "method": "SRPg-4096",
            "alg": "PBES2g-HS256",
            "iterations": 650000,
            "salt": r(rng, URLSAFE, 22),
        },
        "email": f"{r(rng, LOWER, 12)}@1passwordserviceaccounts.com",
        "srpX": r(rng, HEX, 64),
        "muk": {
            "alg": "A256GCM",
            "ext": True,
            "k": r(rng, URLSAFE, 43),
            "key_ops": ["encrypt", "decrypt"],
            "kty": "oct",
            "kid": "mp",
        },
        "secretKey": "A3-" + r(rng, "updig", 6) + "-" + r(rng, "updig", 6),
        "deviceUuid": r(rng, "lowdig", 26),
    }
    return "ops_" + b64url(json.dumps(payload, separators=(",", ":")).encode())


def jfrog_identity_token(rng: random.Random) -> str:
    raw = f"reftkn:01:{rng.randint(1_800_000_000, 2_100_000_000)}:{r(rng, ALNUM, 31)}"
    return b64(raw.encode()).rstrip("=")


def jwt(rng: random.Random, alg: str = "HS256") -> str:
    header = {"alg": alg, "typ": "JWT"}
    iat = rng.randint(1_700_000_000, 1_760_000_000)
    payload = {
        "sub": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "name": " ".join(name(rng)),
        "iat": iat,
        "exp": iat + 3600,
        "scope": rng.choice(["read:orders write:orders", "admin", "openid profile email"]),
    }
    sig_len = 32 if alg == "HS256" else 256
    sig = bytes(rng.getrandbits(8) for _ in range(sig_len))
    return ".".join(
        [b64url(json.dumps(header).encode()), b64url(json.dumps(payload).encode()), b64url(sig)]
    )


def supabase_service_jwt(rng: random.Random) -> str:
    iat = rng.randint(1_650_000_000, 1_750_000_000)
    payload = {
        "iss": "supabase",
        "ref": r(rng, LOWER, 20),
        "role": "service_role",
        "iat": iat,
        "exp": iat + 10 * 365 * 86400,
    }
    header = {"alg": "HS256", "typ": "JWT"}
    sig = bytes(rng.getrandbits(8) for _ in range(32))
    return ".".join(
        [b64url(json.dumps(header).encode()), b64url(json.dumps(payload).encode()), b64url(sig)]
    )


def wif_key(rng: random.Random) -> str:
    """Wallet import format: base58check(0x80 + 32-byte secret + 0x01 for a compressed key)."""
    return b58check(b"\x80" + bytes(rng.getrandbits(8) for _ in range(32)) + b"\x01")


def age_secret_key(rng: random.Random) -> str:
    data = bytes(rng.getrandbits(8) for _ in range(32))
    return bech32_encode("age-secret-key-", _convertbits(data, 8, 5)).upper()


def azure_storage_key(rng: random.Random) -> str:
    return b64(bytes(rng.getrandbits(8) for _ in range(64)))


def aws_key_id(prefix: str) -> Callable[[random.Random], str]:
    return lambda rng: prefix + r(rng, B32, 16)


def uuid4(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def azure_ad_client_secret(rng: random.Random) -> str:
    # Entra ID client secrets since 2022: 3 characters, "8Q~", 34 characters of [A-Za-z0-9_~.-]
    return r(rng, ALNUM, 3) + "8Q~" + r(rng, ALNUM + "_~.-", 34)


def slack_webhook(rng: random.Random) -> str:
    return f"https://hooks.slack.com/services/T{r(rng, 'updig', 10)}/B{r(rng, 'updig', 10)}/" + r(
        rng, ALNUM, 24
    )


def discord_webhook(rng: random.Random) -> str:
    return f"https://discord.com/api/webhooks/{rng.randint(10**17, 10**19 - 1)}/" + r(
        rng, URLSAFE, 68
    )


def teams_webhook(rng: random.Random) -> str:
    tenant = rng.choice(["contoso", "fabrikam", "northwindtraders"])
    return (
        f"https://{tenant}.webhook.office.com/webhookb2/{uuid4(rng)}@{uuid4(rng)}"
        f"/IncomingWebhook/{r(rng, HEX, 32)}/{uuid4(rng)}"
    )


def mailchimp_key(rng: random.Random) -> str:
    return r(rng, HEX, 32) + f"-us{rng.randint(1, 21)}"


def salesforce_token(rng: random.Random) -> str:
    return "00D" + r(rng, ALNUM, 12) + "!" + r(rng, ALNUM + ".", 96)


def twitter_bearer(rng: random.Random) -> str:
    return "A" * 22 + r(rng, ALNUM, 20) + "%2B" + r(rng, ALNUM, 26) + "%3D" + r(rng, ALNUM, 40)


def fcm_server_key(rng: random.Random) -> str:
    return "AAAA" + r(rng, URLSAFE, 7) + ":APA91b" + r(rng, URLSAFE, 134)


def atlassian_token(rng: random.Random) -> str:
    return "ATATT3xFfGF0" + r(rng, URLSAFE, 170) + "=" + r(rng, "HEX", 8)


def eth_private_key(rng: random.Random) -> str:
    return "0x" + r(rng, HEX, 64)


GH = "https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/"
OPENAI = "https://platform.openai.com/docs/api-reference/authentication"
GITLAB = "https://docs.gitlab.com/security/tokens/#token-prefixes"
SLACK = "https://api.slack.com/authentication/token-types"
DOPPLER = "https://docs.doppler.com/docs/auth-token-formats"
SONAR = "https://docs.sonarsource.com/sonarqube-server/latest/user-guide/managing-tokens/"
DO = "https://docs.digitalocean.com/reference/api/create-personal-access-token/"
SHOPIFY = "https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens"
PSCALE = "https://planetscale.com/docs/concepts/service-tokens"
NEWRELIC = "https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/"
STRIPE = "https://docs.stripe.com/keys"
AWS_IDS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids"

# (kind, vendor, env var, generator, source, prefixed). A prefixed credential is recognisable on
# its own, so some of its rows are bare; the others are always written next to their env var or
# vendor name, the way people paste them.
# fmt: off
VENDOR: list[tuple[str, str, str, Callable[[random.Random], str], str, bool]] = [
    ("openai_project_key", "OpenAI", "OPENAI_API_KEY", openai_key("sk-proj-"), OPENAI, True),
    ("openai_service_account_key", "OpenAI", "OPENAI_API_KEY", openai_key("sk-svcacct-"), OPENAI,
     True),
    ("openai_admin_key", "OpenAI", "OPENAI_ADMIN_KEY", openai_key("sk-admin-"),
     "https://platform.openai.com/docs/api-reference/administration", True),
    ("openai_legacy_key", "OpenAI", "OPENAI_API_KEY", spec("sk-{alnum:20}T3BlbkFJ{alnum:20}"),
     OPENAI, True),
    ("anthropic_api_key", "Anthropic", "ANTHROPIC_API_KEY", spec("sk-ant-api03-{urlsafe:93}AA"),
     "https://docs.anthropic.com/en/api/overview#authentication", True),
    ("anthropic_admin_key", "Anthropic", "ANTHROPIC_ADMIN_KEY",
     spec("sk-ant-admin01-{urlsafe:93}AA"), "https://docs.anthropic.com/en/api/administration-api",
     True),
    ("aws_access_key_id", "AWS", "AWS_ACCESS_KEY_ID", aws_key_id("AKIA"), AWS_IDS, True),
    ("aws_temporary_access_key_id", "AWS", "AWS_ACCESS_KEY_ID", aws_key_id("ASIA"), AWS_IDS, True),
    ("aws_secret_access_key", "AWS", "AWS_SECRET_ACCESS_KEY", spec("{b64:40}"),
     "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html", False),
    ("github_pat_classic", "GitHub", "GITHUB_TOKEN", github_token("ghp_"), GH, True),
    ("github_oauth_token", "GitHub", "GH_OAUTH_TOKEN", github_token("gho_"), GH, True),
    ("github_user_to_server_token", "GitHub", "GH_TOKEN", github_token("ghu_"), GH, True),
    ("github_server_to_server_token", "GitHub", "GITHUB_APP_TOKEN", github_token("ghs_"), GH, True),
    ("github_refresh_token", "GitHub", "GH_REFRESH_TOKEN", github_token("ghr_"), GH, True),
    ("github_fine_grained_pat", "GitHub", "GITHUB_PAT", spec("github_pat_{alnum:22}_{alnum:59}"),
     "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens",
     True),
    ("gitlab_pat", "GitLab", "GITLAB_TOKEN", spec("glpat-{urlsafe:20}"), GITLAB, True),
    ("gitlab_runner_token", "GitLab", "RUNNER_TOKEN", spec("glrt-{urlsafe:20}"), GITLAB, True),
    ("gitlab_deploy_token", "GitLab", "CI_DEPLOY_PASSWORD", spec("gldt-{urlsafe:20}"), GITLAB,
     True),
    ("gitlab_pipeline_trigger_token", "GitLab", "TRIGGER_TOKEN", spec("glptt-{hex:40}"), GITLAB,
     True),
    ("gitlab_feed_token", "GitLab", "GITLAB_FEED_TOKEN", spec("glft-{urlsafe:20}"), GITLAB, True),
    ("slack_bot_token", "Slack", "SLACK_BOT_TOKEN", spec("xoxb-{digits:12}-{digits:13}-{alnum:24}"),
     SLACK, True),
    ("slack_user_token", "Slack", "SLACK_USER_TOKEN",
     spec("xoxp-{digits:12}-{digits:12}-{digits:13}-{hex:32}"), SLACK, True),
    ("slack_app_token", "Slack", "SLACK_APP_TOKEN", spec("xapp-1-A{updig:10}-{digits:13}-{hex:64}"),
     SLACK, True),
    ("slack_webhook_url", "Slack", "SLACK_WEBHOOK_URL", slack_webhook,
     "https://api.slack.com/messaging/webhooks", True),
    ("stripe_secret_key", "Stripe", "STRIPE_SECRET_KEY", spec("sk_live_{alnum:99}"), STRIPE, True),
    ("stripe_secret_key_short", "Stripe", "STRIPE_API_KEY", spec("sk_live_{alnum:24}"), STRIPE,
     True),
    ("stripe_restricted_key", "Stripe", "STRIPE_RESTRICTED_KEY", spec("rk_live_{alnum:99}"), STRIPE,
     True),
    ("stripe_webhook_secret", "Stripe", "STRIPE_WEBHOOK_SECRET", spec("whsec_{alnum:32}"),
     "https://docs.stripe.com/webhooks#verify-events", True),
    ("twilio_auth_token", "Twilio", "TWILIO_AUTH_TOKEN", spec("{hex:32}"),
     "https://www.twilio.com/docs/iam/api/authtoken", False),
    ("twilio_api_key_secret", "Twilio", "TWILIO_API_SECRET", spec("{alnum:32}"),
     "https://www.twilio.com/docs/iam/api-keys", False),
    ("sendgrid_api_key", "SendGrid", "SENDGRID_API_KEY", spec("SG.{urlsafe:22}.{urlsafe:43}"),
     "https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys", True),
    ("npm_access_token", "npm", "NPM_TOKEN", github_token("npm_"),
     "https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/", True),
    ("pypi_api_token", "PyPI", "TWINE_PASSWORD", pypi_token, "https://pypi.org/help/#apitoken",
     True),
    ("google_api_key", "Google Cloud", "GOOGLE_API_KEY", spec("AIza{urlsafe:35}"),
     "https://cloud.google.com/docs/authentication/api-keys", True),
    ("google_oauth_client_secret", "Google", "GOOGLE_CLIENT_SECRET", spec("GOCSPX-{urlsafe:28}"),
     "https://developers.google.com/identity/protocols/oauth2", True),
    ("google_oauth_access_token", "Google", "GOOGLE_ACCESS_TOKEN", spec("ya29.a0{urlsafe:150}"),
     "https://developers.google.com/identity/protocols/oauth2", True),
    ("firebase_cloud_messaging_server_key", "Firebase", "FCM_SERVER_KEY", fcm_server_key,
     "https://firebase.google.com/docs/cloud-messaging/auth-server", True),
    ("azure_storage_account_key", "Azure Storage", "AZURE_STORAGE_KEY", azure_storage_key,
     "https://learn.microsoft.com/en-us/azure/storage/common/storage-account-keys-manage", False),
    ("azure_ad_client_secret", "Microsoft Entra", "AZURE_CLIENT_SECRET", azure_ad_client_secret,
     "https://learn.microsoft.com/en-us/purview/sit-defn-client-secret-api-key", True),
    ("azure_devops_pat", "Azure DevOps", "AZURE_DEVOPS_EXT_PAT", spec("{b32l:52}"),
     "https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate",
     False),
    ("azure_openai_key", "Azure OpenAI", "AZURE_OPENAI_API_KEY", spec("{hex:32}"),
     "https://learn.microsoft.com/en-us/azure/ai-services/openai/reference#authentication", False),
    ("heroku_api_key", "Heroku", "HEROKU_API_KEY", uuid4,
     "https://devcenter.heroku.com/articles/authentication", False),
    ("digitalocean_pat", "DigitalOcean", "DIGITALOCEAN_TOKEN", spec("dop_v1_{hex:64}"), DO, True),
    ("digitalocean_oauth_token", "DigitalOcean", "DO_OAUTH_TOKEN", spec("doo_v1_{hex:64}"), DO,
     True),
    ("digitalocean_refresh_token", "DigitalOcean", "DO_REFRESH_TOKEN", spec("dor_v1_{hex:64}"), DO,
     True),
    ("shopify_admin_access_token", "Shopify", "SHOPIFY_ACCESS_TOKEN", spec("shpat_{hex:32}"),
     SHOPIFY, True),
    ("shopify_custom_app_token", "Shopify", "SHOPIFY_CUSTOM_APP_TOKEN", spec("shpca_{hex:32}"),
     SHOPIFY, True),
    ("shopify_private_app_password", "Shopify", "SHOPIFY_PASSWORD", spec("shppa_{hex:32}"), SHOPIFY,
     True),
    ("shopify_shared_secret", "Shopify", "SHOPIFY_API_SECRET", spec("shpss_{hex:32}"), SHOPIFY,
     True),
    ("atlassian_api_token", "Atlassian", "JIRA_API_TOKEN", atlassian_token,
     "https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/",
     True),
    ("bitbucket_app_password", "Bitbucket", "BITBUCKET_APP_PASSWORD", spec("ATBB{alnum:32}"),
     "https://support.atlassian.com/bitbucket-cloud/docs/app-passwords/", True),
    ("discord_bot_token", "Discord", "DISCORD_BOT_TOKEN", discord_bot_token,
     "https://discord.com/developers/docs/reference#authentication", True),
    ("discord_webhook_url", "Discord", "DISCORD_WEBHOOK", discord_webhook,
     "https://discord.com/developers/docs/resources/webhook", True),
    ("telegram_bot_token", "Telegram", "TELEGRAM_BOT_TOKEN", spec("{digits:10}:AA{urlsafe:33}"),
     "https://core.telegram.org/bots/api#authorizing-your-bot", True),
    ("sentry_org_token", "Sentry", "SENTRY_AUTH_TOKEN", sentry_org_token,
     "https://docs.sentry.io/account/auth-tokens/", True),
    ("sentry_user_token", "Sentry", "SENTRY_AUTH_TOKEN", spec("sntryu_{hex:64}"),
     "https://docs.sentry.io/account/auth-tokens/", True),
    ("grafana_service_account_token", "Grafana", "GRAFANA_TOKEN", spec("glsa_{alnum:32}_{hex:8}"),
     "https://grafana.com/docs/grafana/latest/administration/service-accounts/", True),
    ("grafana_cloud_token", "Grafana Cloud", "GRAFANA_CLOUD_TOKEN", grafana_cloud_token,
     "https://grafana.com/docs/grafana-cloud/account-management/authentication-and-permissions/access-policies/",
     True),
    ("huggingface_token", "Hugging Face", "HF_TOKEN", spec("hf_{letters:34}"),
     "https://huggingface.co/docs/hub/security-tokens", True),
    ("databricks_pat", "Databricks", "DATABRICKS_TOKEN", spec("dapi{hex:32}"),
     "https://docs.databricks.com/en/dev-tools/auth/pat.html", True),
    ("doppler_personal_token", "Doppler", "DOPPLER_TOKEN", spec("dp.pt.{alnum:43}"), DOPPLER, True),
    ("doppler_service_token", "Doppler", "DOPPLER_TOKEN", spec("dp.st.prd.{alnum:43}"), DOPPLER,
     True),
    ("doppler_service_account_token", "Doppler", "DOPPLER_TOKEN", spec("dp.sa.{alnum:43}"), DOPPLER,
     True),
    ("linear_api_key", "Linear", "LINEAR_API_KEY", spec("lin_api_{alnum:40}"),
     "https://linear.app/developers/graphql#personal-api-keys", True),
    ("notion_token", "Notion", "NOTION_TOKEN", spec("ntn_{digits:11}{alnum:35}"),
     "https://developers.notion.com/docs/authorization", True),
    ("notion_legacy_secret", "Notion", "NOTION_API_KEY", spec("secret_{alnum:43}"),
     "https://developers.notion.com/docs/authorization", True),
    ("postman_api_key", "Postman", "POSTMAN_API_KEY", spec("PMAK-{hex:24}-{hex:34}"),
     "https://learning.postman.com/docs/developer/postman-api/authentication/", True),
    ("supabase_pat", "Supabase", "SUPABASE_ACCESS_TOKEN", spec("sbp_{hex:40}"),
     "https://supabase.com/docs/reference/cli/supabase-login", True),
    ("supabase_service_role_jwt", "Supabase", "SUPABASE_SERVICE_ROLE_KEY", supabase_service_jwt,
     "https://supabase.com/docs/guides/api/api-keys", False),
    ("vercel_token", "Vercel", "VERCEL_TOKEN", spec("{alnum:24}"),
     "https://vercel.com/docs/rest-api#creating-an-access-token", False),
    ("okta_api_token", "Okta", "OKTA_API_TOKEN", spec("00{urlsafe:40}"),
     "https://developer.okta.com/docs/guides/create-an-api-token/main/", False),
    ("cloudflare_api_token", "Cloudflare", "CLOUDFLARE_API_TOKEN", spec("{urlsafe:40}"),
     "https://developers.cloudflare.com/fundamentals/api/get-started/create-token/", False),
    ("cloudflare_global_api_key", "Cloudflare", "CLOUDFLARE_API_KEY", spec("{hex:37}"),
     "https://developers.cloudflare.com/fundamentals/api/get-started/keys/", False),
    ("jfrog_api_key", "JFrog", "ARTIFACTORY_API_KEY", spec("AKCp{alnum:69}"),
     "https://jfrog.com/help/r/jfrog-platform-administration-documentation/api-key", True),
    ("jfrog_identity_token", "JFrog", "JFROG_ACCESS_TOKEN", jfrog_identity_token,
     "https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens", True),
    ("snyk_token", "Snyk", "SNYK_TOKEN", uuid4,
     "https://docs.snyk.io/snyk-api/authentication-for-api", False),
    ("sonarqube_user_token", "SonarQube", "SONAR_TOKEN", spec("squ_{hex:40}"), SONAR, True),
    ("sonarqube_project_token", "SonarQube", "SONAR_TOKEN", spec("sqp_{hex:40}"), SONAR, True),
    ("sonarqube_global_token", "SonarQube", "SONAR_TOKEN", spec("sqa_{hex:40}"), SONAR, True),
    ("pulumi_access_token", "Pulumi", "PULUMI_ACCESS_TOKEN", spec("pul-{hex:40}"),
     "https://www.pulumi.com/docs/pulumi-cloud/access-management/access-tokens/", True),
    ("planetscale_service_token", "PlanetScale", "PLANETSCALE_SERVICE_TOKEN",
     spec("pscale_tkn_{urlsafe:43}"), PSCALE, True),
    ("planetscale_password", "PlanetScale", "DATABASE_PASSWORD", spec("pscale_pw_{urlsafe:43}"),
     "https://planetscale.com/docs/concepts/connection-strings", True),
    ("planetscale_oauth_token", "PlanetScale", "PLANETSCALE_OAUTH_TOKEN",
     spec("pscale_oauth_{urlsafe:43}"), PSCALE, True),
    ("rubygems_api_key", "RubyGems", "GEM_HOST_API_KEY", spec("rubygems_{hex:48}"),
     "https://guides.rubygems.org/api-key-scopes/", True),
    ("nuget_api_key", "NuGet", "NUGET_API_KEY", spec("oy2{lowdig:43}"),
     "https://learn.microsoft.com/en-us/nuget/nuget-org/scoped-api-keys", True),
    ("mailgun_api_key", "Mailgun", "MAILGUN_API_KEY", spec("key-{hex:32}"),
     "https://documentation.mailgun.com/docs/mailgun/api-reference/authentication/", True),
    ("mailgun_private_key", "Mailgun", "MAILGUN_API_KEY", spec("{hex:32}-{hex:8}-{hex:8}"),
     "https://documentation.mailgun.com/docs/mailgun/api-reference/authentication/", False),
    ("mailchimp_api_key", "Mailchimp", "MAILCHIMP_API_KEY", mailchimp_key,
     "https://mailchimp.com/developer/marketing/guides/quick-start/", True),
    ("square_access_token", "Square", "SQUARE_ACCESS_TOKEN", spec("EAAA{urlsafe:60}"),
     "https://developer.squareup.com/docs/build-basics/access-tokens", True),
    ("square_oauth_secret", "Square", "SQUARE_APPLICATION_SECRET", spec("sq0csp-{urlsafe:43}"),
     "https://developer.squareup.com/docs/oauth-api/overview", True),
    ("dropbox_access_token", "Dropbox", "DROPBOX_ACCESS_TOKEN", spec("sl.u.{urlsafe:140}"),
     "https://developers.dropbox.com/oauth-guide", True),
    ("figma_pat", "Figma", "FIGMA_TOKEN", spec("figd_{urlsafe:40}"),
     "https://www.figma.com/developers/api#access-tokens", True),
    ("hashicorp_vault_service_token", "HashiCorp Vault", "VAULT_TOKEN",
     spec("hvs.CAESI{urlsafe:86}"),
     "https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes", True),
    ("hashicorp_vault_batch_token", "HashiCorp Vault", "VAULT_TOKEN",
     spec("hvb.AAAAAQ{urlsafe:120}"),
     "https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes", True),
    ("terraform_cloud_token", "HCP Terraform", "TFE_TOKEN", spec("{alnum:14}.atlasv1.{alnum:67}"),
     "https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens",
     True),
    ("docker_hub_pat", "Docker Hub", "DOCKERHUB_TOKEN", spec("dckr_pat_{urlsafe:27}"),
     "https://docs.docker.com/security/for-developers/access-tokens/", True),
    ("render_api_key", "Render", "RENDER_API_KEY", spec("rnd_{alnum:32}"),
     "https://render.com/docs/api#1-create-an-api-key", True),
    ("buildkite_token", "Buildkite", "BUILDKITE_API_TOKEN", spec("bkua_{hex:40}"),
     "https://buildkite.com/docs/apis/managing-api-tokens", True),
    ("circleci_pat", "CircleCI", "CIRCLECI_TOKEN", spec("CCIPAT_{alnum:22}_{hex:40}"),
     "https://circleci.com/docs/managing-api-tokens/", True),
    ("airtable_pat", "Airtable", "AIRTABLE_API_KEY", spec("pat{alnum:14}.{hex:64}"),
     "https://airtable.com/developers/web/guides/personal-access-tokens", True),
    ("asana_pat", "Asana", "ASANA_ACCESS_TOKEN", spec("2/{digits:16}/{digits:16}:{hex:32}"),
     "https://developers.asana.com/docs/personal-access-token", True),
    ("clickup_api_token", "ClickUp", "CLICKUP_API_TOKEN", spec("pk_{digits:8}_{updig:32}"),
     "https://developer.clickup.com/docs/authentication", True),
    ("contentful_pat", "Contentful", "CONTENTFUL_MANAGEMENT_TOKEN", spec("CFPAT-{urlsafe:43}"),
     "https://www.contentful.com/developers/docs/references/authentication/", True),
    ("typeform_pat", "Typeform", "TYPEFORM_TOKEN", spec("tfp_{urlsafe:44}_{alnum:14}"),
     "https://www.typeform.com/developers/get-started/personal-access-token/", True),
    ("hubspot_private_app_token", "HubSpot", "HUBSPOT_ACCESS_TOKEN",
     lambda rng: f"pat-{rng.choice(['na1', 'eu1', 'na2'])}-{uuid4(rng)}",
     "https://developers.hubspot.com/docs/api/private-apps", True),
    ("salesforce_access_token", "Salesforce", "SF_ACCESS_TOKEN", salesforce_token,
     "https://help.salesforce.com/s/articleView?id=sf.remoteaccess_access_tokens.htm", True),
    ("mapbox_secret_token", "Mapbox", "MAPBOX_SECRET_TOKEN", mapbox_secret,
     "https://docs.mapbox.com/accounts/guides/tokens/", True),
    ("newrelic_user_key", "New Relic", "NEW_RELIC_API_KEY", spec("NRAK-{updig:27}"), NEWRELIC,
     True),
    ("newrelic_license_key", "New Relic", "NEW_RELIC_LICENSE_KEY", spec("{hex:36}NRAL"), NEWRELIC,
     True),
    ("newrelic_insert_key", "New Relic", "NEW_RELIC_INSERT_KEY", spec("NRII-{urlsafe:32}"),
     NEWRELIC, True),
    ("datadog_api_key", "Datadog", "DD_API_KEY", spec("{hex:32}"),
     "https://docs.datadoghq.com/account_management/api-app-keys/", False),
    ("datadog_app_key", "Datadog", "DD_APP_KEY", spec("{hex:40}"),
     "https://docs.datadoghq.com/account_management/api-app-keys/", False),
    ("dynatrace_token", "Dynatrace", "DT_API_TOKEN", spec("dt0c01.{updig:24}.{updig:64}"),
     "https://docs.dynatrace.com/docs/manage/identity-access-management/access-tokens-and-oauth-clients/access-tokens",
     True),
    ("plaid_secret", "Plaid", "PLAID_SECRET", spec("{hex:30}"),
     "https://plaid.com/docs/api/#api-access", False),
    ("plaid_access_token", "Plaid", "PLAID_ACCESS_TOKEN",
     lambda rng: "access-production-" + uuid4(rng), "https://plaid.com/docs/api/tokens/", True),
    ("braintree_access_token", "Braintree", "BRAINTREE_ACCESS_TOKEN",
     spec("access_token$production${lowdig:16}${hex:32}"),
     "https://developer.paypal.com/braintree/docs/guides/authorization/access-token", True),
    ("paystack_secret_key", "Paystack", "PAYSTACK_SECRET_KEY", spec("sk_live_{hex:40}"),
     "https://paystack.com/docs/api/authentication/", True),
    ("flutterwave_secret_key", "Flutterwave", "FLW_SECRET_KEY", spec("FLWSECK-{hex:32}-X"),
     "https://developer.flutterwave.com/docs/authentication", True),
    ("shippo_live_token", "Shippo", "SHIPPO_API_KEY", spec("shippo_live_{hex:40}"),
     "https://docs.goshippo.com/docs/guides_general/authentication/", True),
    ("easypost_api_key", "EasyPost", "EASYPOST_API_KEY", spec("EZAK{alnum:54}"),
     "https://docs.easypost.com/docs/authentication", True),
    ("gocardless_live_token", "GoCardless", "GOCARDLESS_ACCESS_TOKEN", spec("live_{urlsafe:40}"),
     "https://developer.gocardless.com/getting-started/api/making-your-first-request/", True),
    ("duffel_live_token", "Duffel", "DUFFEL_ACCESS_TOKEN", spec("duffel_live_{urlsafe:43}"),
     "https://duffel.com/docs/api/overview/making-requests/authentication", True),
    ("x_bearer_token", "X (Twitter)", "TWITTER_BEARER_TOKEN", twitter_bearer,
     "https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only", True),
    ("facebook_access_token", "Meta", "FB_ACCESS_TOKEN", spec("EAAG{alnum:180}"),
     "https://developers.facebook.com/docs/facebook-login/guides/access-tokens", True),
    ("alibaba_access_key_id", "Alibaba Cloud", "ALIBABA_CLOUD_ACCESS_KEY_ID",
     spec("LTAI{alnum:20}"),
     "https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair", True),
    ("tencent_secret_id", "Tencent Cloud", "TENCENTCLOUD_SECRET_ID", spec("AKID{alnum:32}"),
     "https://www.tencentcloud.com/document/product/598/40488", True),
    ("yandex_api_key", "Yandex Cloud", "YC_API_KEY", spec("AQVN{urlsafe:36}"),
     "https://yandex.cloud/en/docs/iam/concepts/authorization/api-key", True),
    ("yandex_oauth_token", "Yandex", "YC_TOKEN", spec("y0_AgAAAA{urlsafe:50}"),
     "https://yandex.cloud/en/docs/iam/concepts/authorization/oauth-token", True),
    ("scaleway_secret_key", "Scaleway", "SCW_SECRET_KEY", uuid4,
     "https://www.scaleway.com/en/docs/iam/concepts/#api-key", False),
    ("ibm_cloud_api_key", "IBM Cloud", "IBMCLOUD_API_KEY", spec("{urlsafe:44}"),
     "https://cloud.ibm.com/docs/account?topic=account-userapikey", False),
    ("groq_api_key", "Groq", "GROQ_API_KEY", spec("gsk_{alnum:52}"),
     "https://console.groq.com/docs/quickstart", True),
    ("xai_api_key", "xAI", "XAI_API_KEY", spec("xai-{alnum:80}"), "https://docs.x.ai/docs/overview",
     True),
    ("perplexity_api_key", "Perplexity", "PERPLEXITY_API_KEY", spec("pplx-{alnum:48}"),
     "https://docs.perplexity.ai/guides/getting-started", True),
    ("replicate_api_token", "Replicate", "REPLICATE_API_TOKEN", spec("r8_{alnum:37}"),
     "https://replicate.com/docs/topics/security/api-tokens", True),
    ("openrouter_api_key", "OpenRouter", "OPENROUTER_API_KEY", spec("sk-or-v1-{hex:64}"),
     "https://openrouter.ai/docs/api-reference/authentication", True),
    ("langsmith_api_key", "LangSmith", "LANGSMITH_API_KEY", spec("lsv2_pt_{hex:32}_{hex:10}"),
     "https://docs.smith.langchain.com/administration/how_to_guides/organization_management/create_account_api_key",
     True),
    ("pinecone_api_key", "Pinecone", "PINECONE_API_KEY", spec("pcsk_{alnum:6}_{alnum:63}"),
     "https://docs.pinecone.io/guides/projects/manage-api-keys", True),
    ("tavily_api_key", "Tavily", "TAVILY_API_KEY", spec("tvly-dev-{alnum:32}"),
     "https://docs.tavily.com/documentation/quickstart", True),
    ("together_api_key", "Together AI", "TOGETHER_API_KEY", spec("tgp_v1_{urlsafe:43}"),
     "https://docs.together.ai/reference/authentication-1", True),
    ("deepseek_api_key", "DeepSeek", "DEEPSEEK_API_KEY", spec("sk-{hex:32}"),
     "https://api-docs.deepseek.com/", False),
    ("cohere_api_key", "Cohere", "CO_API_KEY", spec("{alnum:40}"),
     "https://docs.cohere.com/reference/about", False),
    ("mistral_api_key", "Mistral AI", "MISTRAL_API_KEY", spec("{alnum:32}"),
     "https://docs.mistral.ai/getting-started/quickstart/", False),
    ("elevenlabs_api_key", "ElevenLabs", "ELEVENLABS_API_KEY", spec("sk_{hex:48}"),
     "https://elevenlabs.io/docs/api-reference/authentication", False),
    ("launchdarkly_api_token", "LaunchDarkly", "LD_API_KEY", lambda rng: "api-" + uuid4(rng),
     "https://docs.launchdarkly.com/home/account/api", True),
    ("zendesk_api_token", "Zendesk", "ZENDESK_API_TOKEN", spec("{alnum:40}"),
     "https://support.zendesk.com/hc/en-us/articles/4408889192858", False),
    ("algolia_admin_key", "Algolia", "ALGOLIA_ADMIN_KEY", spec("{hex:32}"),
     "https://www.algolia.com/doc/guides/security/api-keys/", False),
    ("adafruit_io_key", "Adafruit IO", "ADAFRUIT_IO_KEY", spec("aio_{alnum:28}"),
     "https://io.adafruit.com/api/docs/#authentication", True),
    ("prefect_api_key", "Prefect", "PREFECT_API_KEY", spec("pnu_{alnum:36}"),
     "https://docs.prefect.io/v3/manage/cloud/manage-users/api-keys", True),
    ("onepassword_service_account_token", "1Password", "OP_SERVICE_ACCOUNT_TOKEN",
     onepassword_sa_token, "https://developer.1password.com/docs/service-accounts/get-started/",
     True),
    ("readme_api_key", "ReadMe", "README_API_KEY", spec("rdme_{lowdig:70}"),
     "https://docs.readme.com/main/reference/intro-authentication", True),
    ("octopus_deploy_api_key", "Octopus Deploy", "OCTOPUS_API_KEY", spec("API-{updig:27}"),
     "https://octopus.com/docs/octopus-rest-api/how-to-create-an-api-key", True),
    ("sourcegraph_access_token", "Sourcegraph", "SRC_ACCESS_TOKEN", spec("sgp_{hex:16}_{hex:40}"),
     "https://sourcegraph.com/docs/cli/how-tos/creating_an_access_token", True),
    ("teams_incoming_webhook", "Microsoft Teams", "TEAMS_WEBHOOK_URL", teams_webhook,
     "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook",
     True),
    ("brevo_api_key", "Brevo", "BREVO_API_KEY", spec("xkeysib-{hex:64}-{alnum:16}"),
     "https://developers.brevo.com/docs/getting-started", True),
    ("mailersend_api_token", "MailerSend", "MAILERSEND_API_KEY", spec("mlsn.{hex:64}"),
     "https://developers.mailersend.com/general.html#api-authentication", True),
    ("age_secret_key", "age", "SOPS_AGE_KEY", age_secret_key, "https://age-encryption.org/v1",
     True),
    ("jwt_hs256", "JWT", "ACCESS_TOKEN", jwt, "https://www.rfc-editor.org/rfc/rfc7519", True),
    ("jwt_rs256", "JWT", "ID_TOKEN", lambda rng: jwt(rng, "RS256"),
     "https://www.rfc-editor.org/rfc/rfc7515", True),
    ("bitcoin_wif_private_key", "Bitcoin", "BTC_PRIVATE_KEY", wif_key,
     "https://en.bitcoin.it/wiki/Wallet_import_format", True),
    ("ethereum_private_key", "Ethereum", "ETH_PRIVATE_KEY", eth_private_key,
     "https://ethereum.org/en/developers/docs/accounts/#account-creation", False),
]
# fmt: on

# fmt: off
VENDOR_LABELLED = [
    "export <ENV>=<V>",
    "My .env file has these lines:\nNODE_ENV=production\n<ENV>=<V>\nLOG_LEVEL=info\n"
    "Why isn't the app picking the value up?",
    "Can you check this <VENDOR> setup? I pass the key <V> but every request comes back 403.",
    '{"service": "<SLUG>", "<VAR>": "<V>", "timeout": 30}',
    "config.yaml:\n<SLUG>:\n  api_key: <V>\n  region: eu-west-1\nIs the indentation right?",
    'const <CAMEL> = "<V>"; // TODO move to the vault',
    "Here is the <VENDOR> credential for the staging account: <V>. Please write a Python script "
    "that lists our resources with it.",
    "docker run --rm -e <ENV>=<V> registry.internal/worker:2.3 --once",
    "<VAR> = '<V>'  # copied from the <VENDOR> dashboard",
    "I pasted <V> into the <VENDOR> integration settings and it still says the token is invalid.",
    "In GitHub Actions I set env <ENV>: <V> but the job can't authenticate, any idea?",
    "kubectl create secret generic <SLUG>-creds --from-literal=<VAR>=<V>",
]
# fmt: on
# fmt: off
VENDOR_BARE = [
    "Why does this return 401? I'm using <V> as the token.",
    "Is this still valid or was it revoked already: <V>",
    "Found this in an old commit, should I be worried?\n\n<V>",
    "Here's the value from the vault, please put it in the CI settings for me: <V>",
    "Summarise the thread below.\n> ok try with <V> and tell me if it works\n> works now, thanks",
]
# fmt: on


def vendor_rows(rows: Rows) -> None:
    for kind, vendor, env, make, source, prefixed in VENDOR:
        rng = rng_for(kind)
        slug = "".join(c for c in vendor.lower() if c.isalnum())
        var = env.lower()
        camel = var.split("_")[0] + "".join(p.title() for p in var.split("_")[1:])
        labelled = spread(rng, VENDOR_LABELLED, 3 if prefixed else 5)
        bare = spread(rng, VENDOR_BARE, 2) if prefixed else []
        for template in labelled + bare:
            value = make(rng)
            text = fill_template(
                template, V=value, VENDOR=vendor, ENV=env, VAR=var, CAMEL=camel, SLUG=slug
            )
            rows.add(
                "secrets_vendor",
                kind,
                text,
                value,
                source,
                context="bare" if template in VENDOR_BARE else "labelled",
            )


# Private keys: PEM (RFC 7468) around real DER structures, OpenSSH's own container, OpenPGP
# armor (RFC 4880) with its CRC-24 line, and PuTTY's PPK v3.

RSA_OID = der_oid("1.2.840.113549.1.1.1") + der(0x05, b"")
EC_ALG = der_oid("1.2.840.10045.2.1") + der_oid("1.2.840.10045.3.1.7")


def openssh_ed25519(rng: random.Random) -> str:
    """openssh-key-v1 (OpenSSH PROTOCOL.key), unencrypted, with one ssh-ed25519 key."""

    def s(data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + data

    seed = bytes(rng.getrandbits(8) for _ in range(32))
    public = bytes(rng.getrandbits(8) for _ in range(32))
    pub_blob = s(b"ssh-ed25519") + s(public)
    check = rng.getrandbits(32).to_bytes(4, "big")
    comment = (
        f"{rng.choice(FIRST).lower()}@{rng.choice(['laptop', 'build-01', 'bastion'])}".encode()
    )
    private = check + check + s(b"ssh-ed25519") + s(public) + s(seed + public) + s(comment)
    private += bytes(range(1, 1 + (-len(private) % 8)))
    blob = b"openssh-key-v1\0" + s(b"none") + s(b"none") + s(b"") + (1).to_bytes(4, "big")
    blob += s(pub_blob) + s(private)
    body = b64(blob)
    lines = [body[i : i + 70] for i in range(0, len(body), 70)]
    return (
        "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        + "\n".join(lines)
        + "\n-----END OPENSSH PRIVATE KEY-----"
    )


def encrypted_pkcs8(rng: random.Random) -> str:
    """EncryptedPrivateKeyInfo (RFC 5958) with PBES2/PBKDF2/AES-256-CBC parameters."""
    salt = bytes(rng.getrandbits(8) for _ in range(16))
    iv = bytes(rng.getrandbits(8) for _ in range(16))
    kdf = der(
        0x30,
        der_oid("1.2.840.113549.1.5.12")
        + der(
            0x30,
            der(0x04, salt)
            + der_int(2048)
            + der(0x30, der_oid("1.2.840.113549.2.9") + der(0x05, b"")),
        ),
    )
    enc = der(0x30, der_oid("2.16.840.1.101.3.4.1.42") + der(0x04, iv))
    alg = der(0x30, der_oid("1.2.840.113549.1.5.13") + der(0x30, kdf + enc))
    cipher = bytes(rng.getrandbits(8) for _ in range(1216))
    return pem("ENCRYPTED PRIVATE KEY", der(0x30, alg + der(0x04, cipher)))


def pgp_private_block(rng: random.Random) -> str:
    # A v4 secret-key packet (tag 5, new format) for an EdDSA key, then the armor checksum.
    body = bytes([4]) + rng.getrandbits(32).to_bytes(4, "big") + bytes([22])
    body += bytes([9]) + bytes.fromhex("2b06010401da470f01")  # OID 1.3.6.1.4.1.11591.15.1
    body += (263).to_bytes(2, "big") + b"\x40" + bytes(rng.getrandbits(8) for _ in range(32))
    body += b"\x00" + (256).to_bytes(2, "big") + bytes(rng.getrandbits(8) for _ in range(32))
    body += rng.getrandbits(16).to_bytes(2, "big")
    uid = f"{' '.join(name(rng))} <{r(rng, LOWER, 7)}@mailbox.org>".encode()
    packets = bytes([0xC5, len(body)]) + body + bytes([0xCD, len(uid)]) + uid
    crc = b64(crc24(packets).to_bytes(3, "big"))
    data = b64(packets)
    lines = [data[i : i + 64] for i in range(0, len(data), 64)]
    return (
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + "\n".join(lines) + f"\n={crc}\n"
        "-----END PGP PRIVATE KEY BLOCK-----"
    )


def putty_ppk(rng: random.Random) -> str:
    def s(data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + data

    public = b64(s(b"ssh-ed25519") + s(bytes(rng.getrandbits(8) for _ in range(32))))
    private = b64(s(bytes(rng.getrandbits(8) for _ in range(32))))
    return (
        "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n"
        f"Comment: eddsa-key-{rng.randint(20200101, 20251231)}\nPublic-Lines: 2\n"
        f"{public[:64]}\n{public[64:]}\nPrivate-Lines: 1\n{private}\n"
        f"Private-MAC: {r(rng, HEX, 64)}"
    )


# fmt: off
PRIVATE_KEYS: list[tuple[str, Callable[[random.Random], str], str]] = [
    ("rsa_private_key_pkcs1", lambda rng: pem("RSA PRIVATE KEY", rsa_pkcs1(rng, 2048)),
     "https://www.rfc-editor.org/rfc/rfc8017#appendix-A.1.2"),
    ("private_key_pkcs8_rsa", lambda rng: pem("PRIVATE KEY", pkcs8(RSA_OID, rsa_pkcs1(rng, 1024))),
     "https://www.rfc-editor.org/rfc/rfc7468#section-10"),
    ("private_key_pkcs8_ec", lambda rng: pem("PRIVATE KEY", pkcs8(EC_ALG, ec_private_key(rng))),
     "https://www.rfc-editor.org/rfc/rfc5208"),
    ("ec_private_key_sec1", lambda rng: pem("EC PRIVATE KEY", ec_private_key(rng)),
     "https://www.rfc-editor.org/rfc/rfc5915"),
    ("openssh_private_key", openssh_ed25519,
     "https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key"),
    ("encrypted_private_key_pkcs8", encrypted_pkcs8,
     "https://www.rfc-editor.org/rfc/rfc5958#section-3"),
    ("pgp_private_key_block", pgp_private_block,
     "https://www.rfc-editor.org/rfc/rfc4880#section-6.2"),
    ("putty_private_key", putty_ppk,
     "https://the.earth.li/~sgtatham/putty/0.81/htmldoc/AppendixC.html"),
]
# fmt: on
KEY_TEMPLATES = [
    ("Can you tell me why ssh says 'invalid format' for this key?\n\n<V>\n", "labelled"),
    (
        "Here's the deploy key from the server, convert it to the format Paramiko wants:\n<V>",
        "labelled",
    ),
    ("What does this block contain?\n<V>", "bare"),
    ('config = {\n  "tls_key": """<V>"""\n}', "labelled"),
    ("cat ~/.ssh/id_deploy\n<V>\n$ chmod 600 ~/.ssh/id_deploy", "labelled"),
]


def private_key_rows(rows: Rows) -> None:
    for kind, make, source in PRIVATE_KEYS:
        rng = rng_for(kind)
        count = 3 if kind in ("rsa_private_key_pkcs1", "private_key_pkcs8_rsa") else 5
        for template, context in spread(rng, KEY_TEMPLATES, count):
            value = make(rng)
            rows.add(
                "secrets_vendor",
                kind,
                fill_template(template, V=value),
                value,
                source,
                context=context,
            )
    # A service-account key file: the private key sits JSON-escaped inside it.
    rng = rng_for("gcp_service_account_key")
    for _ in range(4):
        key = pem("PRIVATE KEY", pkcs8(RSA_OID, rsa_pkcs1(rng, 1024))).replace("\n", "\\n") + "\\n"
        project = f"{rng.choice(['billing', 'ml', 'etl', 'web'])}-{r(rng, 'lowdig', 6)}"
        text = (
            'Why does google-auth reject this file?\n{\n  "type": "service_account",\n'
            f'  "project_id": "{project}",\n  "private_key_id": "{r(rng, HEX, 40)}",\n'
            f'  "private_key": "{key}",\n'
            f'  "client_email": "deployer@{project}.iam.gserviceaccount.com"\n}}'
        )
        rows.add(
            "secrets_vendor",
            "gcp_service_account_key",
            text,
            key,
            "https://cloud.google.com/iam/docs/keys-create-delete",
        )


# ---------------------------------------------------------------------------------------------
# secrets_generic: credentials recognisable only by where they sit: URL userinfo, connection
# strings, Authorization headers and command-line flags, key=value assignments.

# fmt: off
WORDS = [
    "harbor", "velvet", "copper", "lantern", "meadow", "orbit", "pepper", "quartz", "saffron",
    "timber", "walnut", "zephyr", "falcon", "glacier", "maple", "nectar", "pixel", "rocket",
]
# fmt: on
# fmt: off
USERS = [
    "app", "svc_billing", "deploy", "etl_user", "admin", "reporting", "backup", "jenkins",
    "webapp", "analytics",
]
# fmt: on
# fmt: off
HOSTS = [
    "db.internal.corp", "10.20.4.17", "pg-prod-eu.cluster-c9x2.eu-west-1.rds.amazonaws.com",
    "mysql01.prod.lan", "cache.internal", "mq.internal.corp", "sql-prod.database.windows.net",
    "cluster0.k3j9x.mongodb.net", "ftp.partner-portal.net", "smtp.mailrelay.io",
]
# fmt: on


def password(rng: random.Random, url_safe: bool = False) -> str:
    style = rng.randrange(4)
    if style == 0:
        symbols = "-_.~" if url_safe else "!#%^*-_+=?"
        chars = ALNUM + symbols
        while True:
            pw = r(rng, chars, rng.randint(14, 22))
            if any(c.isdigit() for c in pw) and any(c.isupper() for c in pw):
                return pw
    if style == 1:
        sep = rng.choice("-_.")
        return sep.join(rng.sample(WORDS, 3)) + sep + str(rng.randint(10, 9999))
    if style == 2:
        return r(rng, ALNUM, 24)
    return r(rng, HEX, 32)


def basic(user: str, pw: str) -> str:
    return base64.b64encode(f"{user}:{pw}".encode()).decode()


RFC3986 = "https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1"


def generic_cases(rng: random.Random) -> list[tuple[str, str, str, str, str]]:
    """(kind, text, value, source, context) for one round of every generic kind."""
    u, pw, upw = rng.choice(USERS), password(rng), password(rng, url_safe=True)
    h = rng.choice(HOSTS)
    db = rng.choice(["orders", "crm", "analytics", "billing", "inventory"])
    tok = rng.choice([r(rng, ALNUM, 40), r(rng, HEX, 48), r(rng, URLSAFE, 32)])
    b = basic(u, pw)
    n1, _ = name(rng)
    cases = [
        (
            "url_postgres",
            f"psql postgres://{u}:{upw}@{h}:5432/{db} fails with 'SSL off', why?",
            upw,
            "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS",
        ),
        (
            "url_postgresql_env",
            f"DATABASE_URL=postgresql://{u}:{upw}@{h}/{db}?sslmode=require",
            upw,
            "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS",
        ),
        (
            "url_mysql",
            f"SQLAlchemy engine: create_engine('mysql+pymysql://{u}:{upw}@{h}:3306/{db}')",
            upw,
            "https://docs.sqlalchemy.org/en/20/core/engines.html#database-urls",
        ),
        (
            "url_mongodb_srv",
            f'client = MongoClient("mongodb+srv://{u}:{upw}@{h}/{db}?retryWrites=true")',
            upw,
            "https://www.mongodb.com/docs/manual/reference/connection-string/",
        ),
        (
            "url_mongodb",
            f"The replica set URI is mongodb://{u}:{upw}@{h}:27017,{h}:27018/{db}",
            upw,
            "https://www.mongodb.com/docs/manual/reference/connection-string/",
        ),
        (
            "url_redis",
            f"REDIS_URL=rediss://default:{upw}@{h}:6380/0",
            upw,
            "https://www.iana.org/assignments/uri-schemes/prov/redis",
        ),
        (
            "url_amqp",
            f"Celery broker: amqp://{u}:{upw}@{h}:5672/vhost",
            upw,
            "https://www.rabbitmq.com/docs/uri-spec",
        ),
        (
            "url_https_userinfo",
            f"Can you fetch https://{u}:{upw}@reports.partner-portal.net/export.csv and "
            "summarise it?",
            upw,
            RFC3986,
        ),
        (
            "url_ftp",
            f"The nightly job uploads to ftp://{u}:{upw}@ftp.partner-portal.net/incoming/",
            upw,
            RFC3986,
        ),
        (
            "url_smtp",
            f"EMAIL_URL=smtp://{u}%40mailrelay.io:{upw}@smtp.mailrelay.io:587",
            upw,
            RFC3986,
        ),
        (
            "url_git_token",
            f"git clone https://oauth2:{tok}@gitlab.internal.corp/platform/infra.git",
            tok,
            "https://git-scm.com/docs/gitcredentials",
        ),
        (
            "url_proxy",
            f"export HTTPS_PROXY=http://{u}:{upw}@proxy.corp.lan:3128",
            upw,
            "https://curl.se/docs/manpage.html#-x",
        ),
        (
            "conn_sqlserver",
            f"Server=tcp:{h},1433;Database={db};User Id={u};Password={pw};Encrypt=True;",
            pw,
            "https://learn.microsoft.com/en-us/dotnet/framework/data/adonet/connection-string-syntax",
        ),
        (
            "conn_azure_storage",
            f"DefaultEndpointsProtocol=https;AccountName=st{r(rng, 'lowdig', 10)};"
            f"AccountKey={(k := azure_storage_key(rng))};EndpointSuffix=core.windows.net",
            k,
            "https://learn.microsoft.com/en-us/azure/storage/common/storage-configure-connection-string",
        ),
        (
            "conn_azure_service_bus",
            f"Endpoint=sb://{db}-bus.servicebus.windows.net/;"
            "SharedAccessKeyName=RootManageSharedAccessKey;"
            f"SharedAccessKey={(k2 := b64(rand_bytes(rng, 32)))}",
            k2,
            "https://learn.microsoft.com/en-us/azure/service-bus-messaging/service-bus-sas",
        ),
        (
            "conn_jdbc",
            f"spring.datasource.url=jdbc:mysql://{h}:3306/{db}?user={u}&password={upw}&useSSL=true",
            upw,
            "https://dev.mysql.com/doc/connector-j/en/connector-j-reference-jdbc-url-format.html",
        ),
        (
            "conn_odbc",
            f"Driver={{PostgreSQL Unicode}};Server={h};Port=5432;Database={db};Uid={u};Pwd={pw};",
            pw,
            "https://learn.microsoft.com/en-us/sql/odbc/reference/syntax/sqldriverconnect-function",
        ),
        (
            "conn_libpq_keywords",
            f'conn = psycopg2.connect("host={h} dbname={db} user={u} password={pw}")',
            pw,
            "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-KEYWORD-VALUE",
        ),
        (
            "header_bearer",
            f'curl https://api.partner-portal.net/v2/orders -H "Authorization: Bearer {tok}"',
            tok,
            "https://www.rfc-editor.org/rfc/rfc6750#section-2.1",
        ),
        (
            "header_basic",
            f"The request had the header Authorization: Basic {b} and still got 401.",
            b,
            "https://www.rfc-editor.org/rfc/rfc7617#section-2",
        ),
        (
            "header_token_scheme",
            f"requests.get(url, headers={{'Authorization': 'token {tok}'}})",
            tok,
            "https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api",
        ),
        (
            "header_x_api_key",
            f"GET /v1/reports HTTP/1.1\nHost: api.partner-portal.net\nX-API-Key: {tok}\n",
            tok,
            "https://swagger.io/docs/specification/v3_0/authentication/api-keys/",
        ),
        (
            "header_proxy_authorization",
            f"Proxy-Authorization: Basic {b}",
            b,
            "https://www.rfc-editor.org/rfc/rfc9110#section-11.7.2",
        ),
        (
            "curl_user",
            f"curl -u {u}:{pw} https://jenkins.corp.lan/api/json",
            pw,
            "https://curl.se/docs/manpage.html#-u",
        ),
        (
            "wget_password",
            f"wget --user={u} --password='{pw}' https://files.corp.lan/dump.sql.gz",
            pw,
            "https://www.gnu.org/software/wget/manual/wget.html#Download-Options",
        ),
        (
            "mysql_cli_password",
            f"mysql -h {h} -u {u} -p'{pw}' {db} < migrate.sql",
            pw,
            "https://dev.mysql.com/doc/refman/8.0/en/connection-options.html#option_general_password",
        ),
        (
            "sshpass",
            f"sshpass -p '{pw}' ssh {u}@bastion.corp.lan",
            pw,
            "https://linux.die.net/man/1/sshpass",
        ),
        (
            "docker_login_password",
            f"docker login -u {u} -p {pw} registry.corp.lan",
            pw,
            "https://docs.docker.com/reference/cli/docker/login/",
        ),
        (
            "kv_env_password",
            f"DB_HOST={h}\nDB_USER={u}\nDB_PASSWORD={pw}\nDB_NAME={db}",
            pw,
            "https://12factor.net/config",
        ),
        (
            "kv_json_password",
            f'{{"username": "{u}", "password": "{pw}", "host": "{h}"}}',
            pw,
            "https://cwe.mitre.org/data/definitions/798.html",
        ),
        (
            "kv_yaml_password",
            f'spring:\n  datasource:\n    username: {u}\n    password: "{pw}"',
            pw,
            "https://docs.spring.io/spring-boot/reference/data/sql.html#data.sql.datasource",
        ),
        (
            "kv_properties_password",
            f"mail.smtp.user={u}\nmail.smtp.password={pw}",
            pw,
            "https://docs.oracle.com/javase/8/docs/api/java/util/Properties.html",
        ),
        (
            "kv_ini_password",
            f"[database]\nhost = {h}\nuser = {u}\npasswd = {pw}",
            pw,
            "https://docs.python.org/3/library/configparser.html",
        ),
        (
            "kv_xml_password",
            f"<connection>\n  <user>{u}</user>\n  <password>{pw}</password>\n</connection>",
            pw,
            "https://cwe.mitre.org/data/definitions/260.html",
        ),
        (
            "kv_python_secret",
            f'API_SECRET = "{tok}"\nclient = Client(secret=API_SECRET)',
            tok,
            "https://cwe.mitre.org/data/definitions/798.html",
        ),
        (
            "kv_js_api_key",
            f"const apiKey = '{tok}';\nfetch(url, {{ headers: {{ 'x-api-key': apiKey }} }});",
            tok,
            "https://cwe.mitre.org/data/definitions/798.html",
        ),
        (
            "kv_php_define",
            f"define('DB_PASSWORD', '{pw}');",
            pw,
            "https://developer.wordpress.org/advanced-administration/wordpress/wp-config/",
        ),
        (
            "kv_django_secret_key",
            f"SECRET_KEY = '{(sk := r(rng, LOWER + DIGITS + '!@#%^*(-_=+)', 50))}'",
            sk,
            "https://docs.djangoproject.com/en/stable/ref/settings/#secret-key",
        ),
        (
            "kv_jwt_secret",
            f"JWT_SECRET={tok}",
            tok,
            "https://www.rfc-editor.org/rfc/rfc7518#section-3.2",
        ),
        (
            "kv_client_secret",
            f"client_id: {uuid4(rng)}\nclient_secret: {tok}",
            tok,
            "https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1",
        ),
        (
            "kv_npmrc_auth_token",
            f"//registry.npmjs.org/:_authToken={tok}",
            tok,
            "https://docs.npmjs.com/cli/v10/configuring-npm/npmrc#auth-related-configuration",
        ),
        (
            "kv_pypirc_password",
            f"[pypi]\nusername = {u}\npassword = {pw}",
            pw,
            "https://packaging.python.org/en/latest/specifications/pypirc/",
        ),
        (
            "kv_kubeconfig_token",
            f"users:\n- name: ci\n  user:\n    token: {tok}",
            tok,
            "https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/",
        ),
        (
            "kv_terraform_tfvars",
            f'db_password = "{pw}"\nregion      = "eu-central-1"',
            pw,
            "https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files",
        ),
        (
            "kv_netrc",
            f"machine api.partner-portal.net login {u} password {pw}",
            pw,
            "https://www.gnu.org/software/inetutils/manual/html_node/The-_002enetrc-file.html",
        ),
        (
            "kv_prose_password",
            f"Hi {n1}, the Wi-Fi password for the office is {pw}, see you Monday.",
            pw,
            "https://cwe.mitre.org/data/definitions/798.html",
        ),
        (
            "kv_prose_login",
            f"Login for the vendor portal: user {u}, password {pw}. Can you draft the "
            "onboarding email?",
            pw,
            "https://cwe.mitre.org/data/definitions/798.html",
        ),
    ]
    return [(k, t, v, s, "labelled") for k, t, v, s in cases]


def generic_rows(rows: Rows) -> None:
    rng = rng_for("secrets_generic")
    for _ in range(6):
        for kind, text, value, source, context in generic_cases(rng):
            rows.add("secrets_generic", kind, text, value, source, context=context)


# ---------------------------------------------------------------------------------------------
# pii_contact: email addresses (RFC 5322 addr-spec, RFC 6531 for the internationalised ones) and
# phone numbers of many regions (ITU-T E.164, national formats from libphonenumber's metadata).

# fmt: off
EMAIL_DOMAINS = [
    "gmail.com", "outlook.com", "yahoo.co.jp", "web.de", "orange.fr", "libero.it", "gmx.at",
    "proton.me", "icloud.com", "hotmail.co.uk", "uol.com.br", "naver.com", "qq.com", "seznam.cz",
    "wp.pl", "mail.ru", "bluewin.ch", "telenet.be", "ziggo.nl", "kpnmail.nl",
    "northwind-traders.com", "contoso-bank.de", "fabrikam.co.uk", "acme-logistics.io",
    "globex.com.au", "initech.ca", "med.uni-heidelberg.de", "cs.stanford.edu",
    "hospital-sanjose.es", "studio-rossi.it",
]
# fmt: on
EMAIL_TEMPLATES = [
    ("Please send the signed contract to <V> by Friday.", "labelled"),
    ("Contact: <NAME> <<V>>", "labelled"),
    ("Can you write a polite reminder to <V> about the overdue invoice?", "bare"),
    ("name,email,team\n<NAME>,<V>,finance", "labelled"),
    ("From: <V>\nSubject: Re: interview schedule\n\nThanks, Tuesday works for me.", "labelled"),
    ("I got a complaint from <V>, summarise it and draft an apology.", "bare"),
    ("E-Mail: <V> | Tel. siehe unten", "labelled"),
    ("<NAME> (<V>) will replace me while I'm on leave.", "bare"),
]


def email_local(rng: random.Random, first: str, last: str) -> str:
    ascii_first = first.encode("ascii", "ignore").decode().lower().replace("-", "") or "anna"
    ascii_last = last.encode("ascii", "ignore").decode().lower().replace(" ", "").replace("'", "")
    ascii_last = ascii_last or "lee"
    style = rng.randrange(6)
    return [
        f"{ascii_first}.{ascii_last}",
        f"{ascii_first[0]}{ascii_last}",
        f"{ascii_first}_{ascii_last}{rng.randint(1, 99)}",
        f"{ascii_first}.{ascii_last}+{rng.choice(['invoices', 'news', 'jobs'])}",
        f"{ascii_last}.{ascii_first}{rng.randint(1960, 2005)}",
        f"{ascii_first}{ascii_last[:3]}",
    ][style]


def email_rows(rows: Rows) -> None:
    rng = rng_for("email")
    source = "https://www.rfc-editor.org/rfc/rfc5322#section-3.4.1"
    for template, context in spread(rng, EMAIL_TEMPLATES, 64):
        first, last = name(rng)
        value = email_local(rng, first, last) + "@" + rng.choice(EMAIL_DOMAINS)
        if rng.random() < 0.1:
            value = value.upper() if rng.random() < 0.5 else value.capitalize()
        text = fill_template(template, V=value, NAME=f"{first} {last}")
        rows.add("pii_contact", "email", text, value, source, context=context)
    for local, domain, sentence in [
        ("josé.garcía", "correo.es", "Please reply to <V> in Spanish."),
        ("jürgen.müller", "gmx.de", "Schick die Rechnung bitte an <V>."),
        ("李伟", "公司.中国", "请把报告发到 <V> 谢谢"),
    ]:
        value = f"{local}@{domain}"
        rows.add(
            "pii_contact",
            "email_internationalised",
            fill_template(sentence, V=value),
            value,
            "https://www.rfc-editor.org/rfc/rfc6531",
            context="bare",
        )


# fmt: off
PHONE_REGIONS = {
    "US": "en", "CA": "en", "GB": "en", "IE": "en", "DE": "de", "AT": "de", "CH": "de", "FR": "fr",
    "BE": "fr", "NL": "nl", "LU": "fr", "ES": "es", "PT": "pt", "IT": "it", "GR": "en", "SE": "sv",
    "NO": "en", "DK": "en", "FI": "en", "PL": "pl", "CZ": "en", "HU": "en", "RO": "en", "BG": "en",
    "HR": "en", "TR": "en", "IL": "en", "AE": "en", "SA": "en", "EG": "en", "ZA": "en", "NG": "en",
    "KE": "en", "MA": "fr", "IN": "en", "PK": "en", "CN": "zh", "HK": "en", "TW": "zh", "JP": "ja",
    "KR": "en", "SG": "en", "MY": "en", "TH": "en", "VN": "en", "PH": "en", "ID": "en", "AU": "en",
    "NZ": "en", "BR": "pt", "MX": "es", "AR": "es", "CL": "es", "CO": "es", "PE": "es",
}
# fmt: on
# fmt: off
PHONE_LABELS = {
    "en": ("Mobile", "Tel"), "de": ("Handy", "Tel."), "fr": ("Portable", "Tél."),
    "nl": ("Mobiel", "Tel."), "es": ("Móvil", "Teléfono"), "pt": ("Celular", "Telefone"),
    "it": ("Cellulare", "Tel."), "sv": ("Mobil", "Telefon"), "pl": ("Komórka", "Tel."),
    "zh": ("手机", "电话"), "ja": ("携帯", "電話"),
}
# fmt: on
PHONE_SOURCE_E164 = "https://www.itu.int/rec/T-REC-E.164"
PHONE_SOURCE_NATIONAL = "https://www.itu.int/oth/T0202.aspx?parent=T0202"
PNF = phonenumbers.PhoneNumberFormat
MOBILE, FIXED = phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE


def phone_number(rng: random.Random, region: str, ntype: int):
    """A valid number of `ntype` in `region` near libphonenumber's example, but not it."""
    example = phonenumbers.example_number_for_type(region, ntype)
    if example is None:
        return None
    nsn = phonenumbers.national_significant_number(example)
    keep = 3 if region in ("US", "CA") else max(2, len(nsn) - 5)
    for _ in range(500):
        tail = r(rng, DIGITS, len(nsn) - keep)
        if region in ("US", "CA"):
            tail = rng.choice("23456789") + tail[1:]
            if tail[:3] == "555":
                continue
        candidate = phonenumbers.parse("+" + str(example.country_code) + nsn[:keep] + tail)
        if (
            candidate != example
            and phonenumbers.is_valid_number(candidate)
            and phonenumbers.number_type(candidate)
            in (ntype, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
        ):
            return candidate
    return None


def phone_rows(rows: Rows) -> None:
    for region, lang in PHONE_REGIONS.items():
        rng = rng_for("phone:" + region)
        mobile_label, fixed_label = PHONE_LABELS[lang]
        mobile = phone_number(rng, region, MOBILE) or phone_number(rng, region, FIXED)
        mobile2 = phone_number(rng, region, MOBILE) or mobile
        fixed = phone_number(rng, region, FIXED) or mobile2
        first, last = name(rng)
        e164 = phonenumbers.format_number(mobile, PNF.E164)
        intl = phonenumbers.format_number(mobile2, PNF.INTERNATIONAL)
        nat_mobile = phonenumbers.format_number(mobile, PNF.NATIONAL)
        nat_fixed = phonenumbers.format_number(fixed, PNF.NATIONAL)
        cases = [
            (
                "phone_e164",
                f"Text me on WhatsApp, my number is {e164}.",
                e164,
                PHONE_SOURCE_E164,
                "labelled",
            ),
            (
                "phone_international",
                f"Best regards,\n{first} {last}\nRegional Sales\n{intl}",
                intl,
                PHONE_SOURCE_E164,
                "bare",
            ),
            (
                "phone_national_mobile",
                f"{mobile_label}: {nat_mobile}",
                nat_mobile,
                PHONE_SOURCE_NATIONAL,
                "labelled",
            ),
            (
                "phone_national_fixed",
                f"Please call the customer back. {fixed_label}: {nat_fixed} ({first} {last})",
                nat_fixed,
                PHONE_SOURCE_NATIONAL,
                "labelled",
            ),
        ]
        for kind, text, value, source, context in cases:
            rows.add("pii_contact", f"{kind}", text, value, source, context=context)


# ---------------------------------------------------------------------------------------------
# pii_national: national identity, social-security and personal tax numbers. Check digits are
# searched with python-stdnum's validator for the scheme (which implements the issuer's rule),
# so every value passes it; the few schemes stdnum lacks are implemented from their definition.


def _d(rng: random.Random, n: int) -> str:
    return r(rng, DIGITS, n)


def _sep(rng: random.Random, parts: list[str], seps: str = "- ") -> str:
    sep = rng.choice([*seps, ""])
    return sep.join(parts)


def _dob(rng: random.Random) -> dt.date:
    return birth_date(rng, 1950, 2003)


def gen_us_ssn(rng):
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return _sep(
        rng, [f"{area:03d}", f"{rng.randint(1, 99):02d}", f"{rng.randint(1, 9999):04d}"], "- "
    )


def gen_us_itin(rng):
    groups = [*range(50, 66), *range(70, 89), 90, 91, 92, *range(94, 100)]
    return f"9{_d(rng, 2)}-{rng.choice(groups)}-{_d(rng, 4)}"


def gen_us_ein(rng):
    return f"{_d(rng, 2)}-{_d(rng, 7)}"


def gen_gb_nino(rng):
    while True:
        prefix = rng.choice("ABCEGHJKLMNOPRSTWXYZ") + rng.choice("ABCEGHJKLMNPRSTWXYZ")
        if prefix not in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
            break
    digits = _d(rng, 6)
    suffix = rng.choice("ABCD")
    if rng.random() < 0.5:
        return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"
    return prefix + digits + suffix


def gen_gb_nhs(rng):
    stem = rng.choice("4679") + _d(rng, 8)
    return complete(lambda c: f"{stem[:3]} {stem[3:6]} {stem[6:]}{c}", DIGITS, 1, std("gb.nhs"))


def gen_gb_utr(rng):
    tail = _d(rng, 9)
    return complete(lambda c: c + tail, DIGITS, 1, std("gb.utr"))


def gen_ca_sin(rng):
    number = luhn_complete(rng, rng.choice("1234567"), 9)
    return _sep(rng, [number[:3], number[3:6], number[6:]], "- ")


def gen_au_tfn(rng):
    stem = _d(rng, 8)
    value = complete(lambda c: stem + c, DIGITS, 1, std("au.tfn"))
    return value and f"{value[:3]} {value[3:6]} {value[6:]}"


def gen_au_abn(rng):
    tail = _d(rng, 9)
    value = complete(lambda c: c + tail, DIGITS, 2, lambda v: v[0] != "0" and std("au.abn")(v))
    return value and f"{value[:2]} {value[2:5]} {value[5:8]} {value[8:]}"


def gen_in_aadhaar(rng):
    stem = rng.choice("23456789") + _d(rng, 10)
    value = complete(lambda c: stem + c, DIGITS, 1, std("in_.aadhaar"))
    return value and _sep(rng, [value[:4], value[4:8], value[8:]], " -")


def gen_in_pan(rng):
    return r(rng, UPPER, 3) + "P" + rng.choice(UPPER) + _d(rng, 4) + rng.choice(UPPER)


def gen_de_idnr(rng):
    digits = rng.sample(DIGITS, 9)
    digits.insert(rng.randrange(10), rng.choice(digits))
    if digits[0] == "0":
        return None
    stem = "".join(digits)
    value = complete(lambda c: stem + c, DIGITS, 1, std("de.idnr"))
    return value and (
        value if rng.random() < 0.5 else f"{value[:2]} {value[2:5]} {value[5:8]} {value[8:]}"
    )


def gen_fr_nir(rng):
    d = _dob(rng)
    dept = rng.choice([f"{n:02d}" for n in range(1, 96) if n != 20])
    commune, order = rng.randint(1, 990), rng.randint(1, 999)
    stem = f"{rng.choice('12')} {d.year % 100:02d} {d.month:02d} {dept} {commune:03d} {order:03d}"
    return complete(lambda c: f"{stem} {c}", DIGITS, 2, std("fr.nir"))


def gen_fr_nif(rng):
    stem = rng.choice("0123") + _d(rng, 9)
    value = complete(lambda c: stem + c, DIGITS, 3, std("fr.nif"))
    return value and f"{value[:2]} {value[2:4]} {value[4:7]} {value[7:10]} {value[10:]}"


def gen_es_dni(rng):
    stem = _d(rng, 8)
    return complete(lambda c: stem + c, UPPER, 1, std("es.dni"))


def gen_es_nie(rng):
    stem = rng.choice("XYZ") + _d(rng, 7)
    return complete(lambda c: stem + c, UPPER, 1, std("es.nie"))


BELFIORE = ["H501", "F205", "L219", "F839", "G273", "A944", "D612", "L736", "C351", "B157"]


def gen_it_cf(rng):
    from stdnum.it import codicefiscale

    d = _dob(rng)
    consonants = "BCDFGHJKLMNPQRSTVWXZ"
    day = d.day + (40 if rng.random() < 0.5 else 0)
    stem = (
        r(rng, consonants, 3)
        + r(rng, consonants, 3)
        + f"{d.year % 100:02d}"
        + "ABCDEHLMPRST"[d.month - 1]
        + f"{day:02d}"
        + rng.choice(BELFIORE)
    )
    return stem + codicefiscale.calc_check_digit(stem)


def gen_nl_bsn(rng):
    stem = rng.choice("123456789") + _d(rng, 7)
    value = complete(lambda c: stem + c, DIGITS, 1, std("nl.bsn"))
    return value and (value if rng.random() < 0.6 else f"{value[:4]}.{value[4:6]}.{value[6:]}")


def gen_be_nn(rng):
    d = _dob(rng)
    stem = f"{d.year % 100:02d}.{d.month:02d}.{d.day:02d}-{rng.randint(1, 997):03d}."
    return complete(lambda c: stem + c, DIGITS, 2, std("be.nn"))


def gen_pl_pesel(rng):
    d = _dob(rng)
    month = d.month + (20 if d.year >= 2000 else 0)
    stem = f"{d.year % 100:02d}{month:02d}{d.day:02d}{_d(rng, 4)}"
    return complete(lambda c: stem + c, DIGITS, 1, std("pl.pesel"))


def gen_pl_nip(rng):
    stem = rng.choice("123456789") + _d(rng, 8)
    value = complete(lambda c: stem + c, DIGITS, 1, std("pl.nip"))
    return value and f"{value[:3]}-{value[3:6]}-{value[6:8]}-{value[8:]}"


def gen_se_pnr(rng):
    d = _dob(rng)
    stem = f"{d.year % 100:02d}{d.month:02d}{d.day:02d}-{_d(rng, 3)}"
    return complete(lambda c: stem + c, DIGITS, 1, std("se.personnummer"))


def gen_no_fnr(rng):
    d = _dob(rng)
    individual = rng.randint(0, 499) if d.year < 2000 else rng.randint(500, 999)
    stem = f"{d.day:02d}{d.month:02d}{d.year % 100:02d}{individual:03d}"
    value = complete(lambda c: stem + c, DIGITS, 2, std("no.fodselsnummer"))
    return value and (value if rng.random() < 0.5 else f"{value[:6]} {value[6:]}")


def gen_dk_cpr(rng):
    d = _dob(rng)
    century = rng.choice("0123") if d.year < 2000 else rng.choice("4")
    return f"{d.day:02d}{d.month:02d}{d.year % 100:02d}-{century}{_d(rng, 3)}"


def gen_fi_hetu(rng):
    d = _dob(rng)
    sign = "-" if d.year < 2000 else "A"
    stem = f"{d.day:02d}{d.month:02d}{d.year % 100:02d}{sign}{rng.randint(2, 899):03d}"
    return complete(lambda c: stem + c, "0123456789ABCDEFHJKLMNPRSTUVWXY", 1, std("fi.hetu"))


def gen_ch_ahv(rng):
    stem = "756" + _d(rng, 9)
    value = complete(lambda c: stem + c, DIGITS, 1, std("ch.ssn"))
    return value and f"{value[:3]}.{value[3:7]}.{value[7:11]}.{value[11:]}"


def gen_at_svnr(rng):
    d = _dob(rng)
    serial = rng.choice("123456789") + _d(rng, 2)
    birth = f"{d.day:02d}{d.month:02d}{d.year % 100:02d}"
    return complete(lambda c: f"{serial}{c} {birth}", DIGITS, 1, std("at.vnr"))


def gen_ie_pps(rng):
    stem = _d(rng, 7)
    return complete(lambda c: stem + c, UPPER, 1, std("ie.pps"))


def gen_br_cpf(rng):
    stem = _d(rng, 9)
    value = complete(lambda c: stem + c, DIGITS, 2, std("br.cpf"))
    return value and f"{value[:3]}.{value[3:6]}.{value[6:9]}-{value[9:]}"


# fmt: off
CURP_STATES = [
    "AS", "BC", "CH", "CL", "DF", "GT", "JC", "MC", "MN", "NL", "PL", "QT", "SP", "VZ", "YN",
]
# fmt: on


def gen_mx_curp(rng):
    d = _dob(rng)
    vowels, consonants = "AEIOU", "BCDFGHJKLMNPQRSTVWXYZ"
    stem = (
        rng.choice(consonants)
        + rng.choice(vowels)
        + rng.choice(UPPER)
        + rng.choice(UPPER)
        + f"{d.year % 100:02d}{d.month:02d}{d.day:02d}"
        + rng.choice("HM")
        + rng.choice(CURP_STATES)
        + r(rng, consonants, 3)
        + (rng.choice(DIGITS) if d.year < 2000 else rng.choice(UPPER))
    )
    return complete(lambda c: stem + c, DIGITS, 1, std("mx.curp"))


def gen_mx_rfc(rng):
    d = _dob(rng)
    stem = (
        rng.choice("BCDFGLMPRSTV")
        + rng.choice("AEIOU")
        + r(rng, "BCDFGLMPRSTV", 2)
        + f"{d.year % 100:02d}{d.month:02d}{d.day:02d}"
        + r(rng, "ABCDEFGHJKLMNPRSTUVWXYZ123456789", 2)
    )
    return complete(lambda c: stem + c, DIGITS + "A", 1, std("mx.rfc"))


def gen_ar_cuit(rng):
    stem = rng.choice(["20", "23", "27"]) + _d(rng, 8)
    value = complete(lambda c: stem + c, DIGITS, 1, std("ar.cuit"))
    return value and f"{value[:2]}-{value[2:10]}-{value[10]}"


def gen_cl_rut(rng):
    body = str(rng.randint(5_000_000, 25_999_999))
    value = complete(lambda c: body + c, DIGITS + "K", 1, std("cl.rut"))
    return value and f"{int(value[:-1]):,}".replace(",", ".") + "-" + value[-1]


CN_REGIONS = ["110101", "310104", "440305", "320102", "510104", "330106", "420106", "610113"]


def gen_cn_ric(rng):
    d = _dob(rng)
    stem = rng.choice(CN_REGIONS) + d.strftime("%Y%m%d") + _d(rng, 3)
    return complete(lambda c: stem + c, DIGITS + "X", 1, std("cn.ric"))


def gen_jp_mynumber(rng):
    stem = _d(rng, 11)
    value = complete(lambda c: stem + c, DIGITS, 1, std("jp.in_"))
    return value and f"{value[:4]} {value[4:8]} {value[8:]}"


def gen_kr_rrn(rng):
    d = _dob(rng)
    gender = rng.choice("12") if d.year < 2000 else rng.choice("34")
    stem = (
        f"{d.year % 100:02d}{d.month:02d}{d.day:02d}-{gender}{rng.randint(0, 92):02d}{_d(rng, 3)}"
    )
    return complete(lambda c: stem + c, DIGITS, 1, std("kr.rrn"))


def gen_za_id(rng):
    d = _dob(rng)
    stem = f"{d.year % 100:02d}{d.month:02d}{d.day:02d}{_d(rng, 4)}08"
    return complete(lambda c: stem + c, DIGITS, 1, std("za.idnr"))


def gen_il_id(rng):
    stem = _d(rng, 8)
    return complete(lambda c: stem + c, DIGITS, 1, std("il.idnr"))


def gen_tr_tc(rng):
    stem = rng.choice("123456789") + _d(rng, 8)
    return complete(lambda c: stem + c, DIGITS, 2, std("tr.tckimlik"))


def gen_nz_ird(rng):
    stem = str(rng.randint(10_000_000, 14_999_999))
    value = complete(lambda c: stem + c, DIGITS, 1, std("nz.ird"))
    return value and f"{value[:3]}-{value[3:6]}-{value[6:]}"


def gen_ro_cnp(rng):
    d = _dob(rng)
    sex = rng.choice("12") if d.year < 2000 else rng.choice("56")
    county = rng.choice([f"{n:02d}" for n in range(1, 47)] + ["51", "52"])
    stem = f"{sex}{d.year % 100:02d}{d.month:02d}{d.day:02d}{county}{rng.randint(1, 999):03d}"
    return complete(lambda c: stem + c, DIGITS, 1, std("ro.cnp"))


def gen_cz_rc(rng):
    d = birth_date(rng, 1955, 2003)
    month = d.month + (50 if rng.random() < 0.5 else 0)
    stem = f"{d.year % 100:02d}{month:02d}{d.day:02d}/{_d(rng, 3)}"
    return complete(lambda c: stem + c, DIGITS, 1, std("cz.rc"))


def gen_gr_amka(rng):
    d = _dob(rng)
    stem = f"{d.day:02d}{d.month:02d}{d.year % 100:02d}{_d(rng, 4)}"
    return complete(lambda c: stem + c, DIGITS, 1, std("gr.amka"))


def gen_my_nric(rng):
    d = _dob(rng)
    stem = f"{d.year % 100:02d}{d.month:02d}{d.day:02d}-{rng.randint(1, 14):02d}-{_d(rng, 3)}"
    return complete(lambda c: stem + c, DIGITS, 1, std("my.nric"))


def gen_th_pin(rng):
    stem = rng.choice("12345678") + _d(rng, 11)
    value = complete(lambda c: stem + c, DIGITS, 1, std("th.pin"))
    return value and f"{value[0]}-{value[1:5]}-{value[5:10]}-{value[10:12]}-{value[12]}"


def gen_id_nik(rng):
    d = _dob(rng)
    day = d.day + (40 if rng.random() < 0.5 else 0)
    region = rng.choice(["3171", "3273", "3578", "5171", "1271"]) + f"{rng.randint(1, 9):02d}"
    return f"{region}{day:02d}{d.month:02d}{d.year % 100:02d}{rng.randint(1, 999):04d}"


def gen_sg_nric(rng):
    prefix = rng.choice("STFG")
    digits = (
        _d(rng, 7)
        if prefix in "FG"
        else (rng.choice("0189") if prefix == "S" else rng.choice("0123")) + _d(rng, 6)
    )
    total = sum(int(x) * w for x, w in zip(digits, [2, 7, 6, 5, 4, 3, 2], strict=True))
    total += 4 if prefix in "TG" else 0
    table = "JZIHGFEDCBA" if prefix in "ST" else "XWUTRQPNMLK"
    return prefix + digits + table[total % 11]


def gen_hk_hkid(rng):
    letter, digits = rng.choice(UPPER), _d(rng, 6)
    total = 36 * 9 + (ord(letter) - 55) * 8 + sum(int(x) * (7 - i) for i, x in enumerate(digits))
    check = (11 - total % 11) % 11
    return f"{letter}{digits}({'A' if check == 10 else check})"


def gen_hr_oib(rng):
    stem = _d(rng, 10)
    return complete(lambda c: stem + c, DIGITS, 1, std("hr.oib"))


def gen_bg_egn(rng):
    d = _dob(rng)
    month = d.month + (40 if d.year >= 2000 else 0)
    stem = f"{d.year % 100:02d}{month:02d}{d.day:02d}{_d(rng, 3)}"
    return complete(lambda c: stem + c, DIGITS, 1, std("bg.egn"))


def gen_ee_ik(rng):
    d = _dob(rng)
    sex = rng.choice("34") if d.year < 2000 else rng.choice("56")
    stem = f"{sex}{d.year % 100:02d}{d.month:02d}{d.day:02d}{_d(rng, 3)}"
    return complete(lambda c: stem + c, DIGITS, 1, std("ee.ik"))


def gen_lt_asmens(rng):
    d = _dob(rng)
    sex = rng.choice("34") if d.year < 2000 else rng.choice("56")
    stem = f"{sex}{d.year % 100:02d}{d.month:02d}{d.day:02d}{_d(rng, 3)}"
    return complete(lambda c: stem + c, DIGITS, 1, std("lt.asmens"))


def gen_si_emso(rng):
    d = _dob(rng)
    stem = f"{d.day:02d}{d.month:02d}{d.year % 1000:03d}50{rng.choice(['0', '5'])}{_d(rng, 2)}"
    return complete(lambda c: stem + c, DIGITS, 1, std("si.emso"))


def gen_is_kennitala(rng):
    d = _dob(rng)
    century = "9" if d.year < 2000 else "0"
    stem = f"{d.day:02d}{d.month:02d}{d.year % 100:02d}"
    rand = _d(rng, 2)
    value = complete(lambda c: f"{stem}{rand}{c}{century}", DIGITS, 1, std("is_.kennitala"))
    return value and f"{value[:6]}-{value[6:]}"


def gen_pt_nif(rng):
    stem = rng.choice("123") + _d(rng, 7)
    return complete(lambda c: stem + c, DIGITS, 1, std("pt.nif"))


def gen_pk_cnic(rng):
    return f"{rng.choice('1234567')}{_d(rng, 4)}-{_d(rng, 7)}-{_d(rng, 1)}"


def gen_us_mbi(rng):
    letters = "ACDEFGHJKMNPQRTUVWXY"
    an = letters + DIGITS
    mbi = (
        rng.choice("123456789")
        + rng.choice(letters)
        + rng.choice(an)
        + rng.choice(DIGITS)
        + rng.choice(letters)
        + rng.choice(an)
        + rng.choice(DIGITS)
        + rng.choice(letters)
        + rng.choice(letters)
        + rng.choice(DIGITS)
        + rng.choice(DIGITS)
    )
    return mbi if rng.random() < 0.5 else f"{mbi[:4]}-{mbi[4:7]}-{mbi[7:]}"


def std(module: str) -> Callable[[str], bool]:
    import importlib

    return importlib.import_module("stdnum." + module).is_valid


WIKI_NIN = "https://en.wikipedia.org/wiki/National_identification_number"
# (kind, labels as people write them, generator, stdnum module that must accept it, source)
# fmt: off
NATIONAL: list[tuple[str, list[str], Callable, str | None, str]] = [
    ("us_ssn", ["SSN", "Social Security number", "SS#"], gen_us_ssn, "us.ssn",
     "https://www.ssa.gov/employer/randomization.html"),
    ("us_itin", ["ITIN", "taxpayer ID (ITIN)"], gen_us_itin, None,
     "https://www.irs.gov/individuals/individual-taxpayer-identification-number"),
    ("us_ein", ["EIN", "Employer Identification Number"], gen_us_ein, "us.ein",
     "https://www.irs.gov/businesses/small-businesses-self-employed/employer-id-numbers"),
    ("us_medicare_mbi", ["Medicare number", "MBI"], gen_us_mbi, None,
     "https://www.cms.gov/medicare/new-medicare-card/understanding-the-mbi.pdf"),
    ("gb_nino", ["National Insurance number", "NI number", "NINO"], gen_gb_nino, None,
     "https://www.gov.uk/hmrc-internal-manuals/national-insurance-manual/nim39110"),
    ("gb_nhs_number", ["NHS number", "NHS No."], gen_gb_nhs, "gb.nhs",
     "https://www.datadictionary.nhs.uk/attributes/nhs_number.html"),
    ("gb_utr", ["UTR", "Unique Taxpayer Reference"], gen_gb_utr, "gb.utr",
     "https://www.oecd.org/tax/automatic-exchange/crs-implementation-and-assistance/tax-identification-numbers/UK-TIN.pdf"),
    ("ca_sin", ["SIN", "Social Insurance Number", "NAS"], gen_ca_sin, "ca.sin",
     "https://www.canada.ca/en/employment-social-development/services/sin.html"),
    ("au_tfn", ["TFN", "tax file number"], gen_au_tfn, "au.tfn",
     "https://www.ato.gov.au/individuals-and-families/tax-file-number"),
    ("au_abn", ["ABN", "Australian Business Number"], gen_au_abn, "au.abn",
     "https://abr.business.gov.au/Help/AbnFormat"),
    ("in_aadhaar", ["Aadhaar", "Aadhaar number", "UID"], gen_in_aadhaar, "in_.aadhaar",
     "https://uidai.gov.in/en/my-aadhaar/about-your-aadhaar.html"),
    ("in_pan", ["PAN", "PAN card number"], gen_in_pan, "in_.pan",
     "https://incometaxindia.gov.in/tutorials/1.permanent%20account%20number%20(pan).pdf"),
    ("de_steuer_id", ["Steuer-ID", "Steuerliche Identifikationsnummer", "IdNr"], gen_de_idnr,
     "de.idnr",
     "https://www.bzst.de/DE/Privatpersonen/SteuerlicheIdentifikationsnummer/steuerlicheidentifikationsnummer_node.html"),
    ("fr_nir", ["numéro de sécurité sociale", "NIR", "n° INSEE"], gen_fr_nir, "fr.nir",
     "https://www.insee.fr/en/metadonnees/definition/c1409"),
    ("fr_nif", ["numéro fiscal", "SPI", "NIF"], gen_fr_nif, "fr.nif",
     "https://ec.europa.eu/taxation_customs/tin/#/check-tin"),
    ("es_dni", ["DNI", "NIF"], gen_es_dni, "es.dni",
     "https://www.interior.gob.es/opencms/es/servicios-al-ciudadano/tramites-y-gestiones/dni/calculo-del-digito-de-control-del-nif-nie/"),
    ("es_nie", ["NIE", "número de identidad de extranjero"], gen_es_nie, "es.nie",
     "https://www.interior.gob.es/opencms/es/servicios-al-ciudadano/tramites-y-gestiones/dni/calculo-del-digito-de-control-del-nif-nie/"),
    ("it_codice_fiscale", ["codice fiscale", "C.F."], gen_it_cf, "it.codicefiscale",
     "https://www.agenziaentrate.gov.it/portale/web/guest/schede/istanze/richiesta-ts_cf/informazioni-codificazione-pf"),
    ("nl_bsn", ["BSN", "burgerservicenummer"], gen_nl_bsn, "nl.bsn",
     "https://www.rijksoverheid.nl/onderwerpen/privacy-en-persoonsgegevens/burgerservicenummer-bsn"),
    ("be_national_number", ["rijksregisternummer", "numéro de registre national", "NN"], gen_be_nn,
     "be.nn",
     "https://www.ibz.rrn.fgov.be/fileadmin/user_upload/nl/rr/instructies/IT-lijst/IT000_Rijksregisternummer.pdf"),
    ("pl_pesel", ["PESEL", "numer PESEL"], gen_pl_pesel, "pl.pesel",
     "https://www.gov.pl/web/gov/czym-jest-numer-pesel"),
    ("pl_nip", ["NIP", "numer identyfikacji podatkowej"], gen_pl_nip, "pl.nip",
     "https://www.podatki.gov.pl/wyszukiwarki/nip/"),
    ("se_personnummer", ["personnummer", "pers.nr"], gen_se_pnr, "se.personnummer",
     "https://www.skatteverket.se/privat/folkbokforing/personnummer.4.3810a01c150939e893f18c29.html"),
    ("no_fodselsnummer", ["fødselsnummer", "personnummer"], gen_no_fnr, "no.fodselsnummer",
     "https://www.skatteetaten.no/en/person/national-registry/identification-numbers/national-identity-number/"),
    ("dk_cpr", ["CPR-nr.", "CPR-nummer", "personnummer"], gen_dk_cpr, "dk.cpr", "https://cpr.dk/"),
    ("fi_hetu", ["henkilötunnus", "HETU", "personbeteckning"], gen_fi_hetu, "fi.hetu",
     "https://dvv.fi/en/personal-identity-code"),
    ("ch_ahv", ["AHV-Nummer", "AVS", "Sozialversicherungsnummer"], gen_ch_ahv, "ch.ssn",
     "https://www.zas.admin.ch/zas/en/home/partenaires-et-institutions-/navs13.html"),
    ("at_svnr", ["SV-Nummer", "Sozialversicherungsnummer"], gen_at_svnr, "at.vnr",
     "https://de.wikipedia.org/wiki/Sozialversicherungsnummer#%C3%96sterreich"),
    ("ie_ppsn", ["PPSN", "PPS number"], gen_ie_pps, "ie.pps",
     "https://www.gov.ie/en/department-of-social-protection/services/get-a-personal-public-service-pps-number/"),
    ("br_cpf", ["CPF", "Cadastro de Pessoas Físicas"], gen_br_cpf, "br.cpf",
     "https://www.gov.br/receitafederal/pt-br/assuntos/meu-cpf"),
    ("mx_curp", ["CURP", "Clave Única de Registro de Población"], gen_mx_curp, "mx.curp",
     "https://www.gob.mx/curp/"),
    ("mx_rfc", ["RFC", "Registro Federal de Contribuyentes"], gen_mx_rfc, "mx.rfc",
     "https://www.sat.gob.mx/aplicacion/operacion/31274/consulta-tu-clave-de-rfc-mediante-curp"),
    ("ar_cuit", ["CUIT", "CUIL"], gen_ar_cuit, "ar.cuit",
     "https://es.wikipedia.org/wiki/Clave_%C3%9Anica_de_Identificaci%C3%B3n_Tributaria"),
    ("cl_rut", ["RUT", "RUN", "Rol Único Tributario"], gen_cl_rut, "cl.rut",
     "https://www.sii.cl/ayudas/ayudas_por_servicios/1956-rut-1958.html"),
    ("cn_resident_id", ["身份证号", "居民身份证号码", "Resident ID"], gen_cn_ric, "cn.ric",
     "https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=080D6FBF2BB468F9007657F26D60013E"),
    ("jp_my_number", ["マイナンバー", "個人番号", "My Number"], gen_jp_mynumber, "jp.in_",
     "https://www.digital.go.jp/policies/mynumber"),
    ("kr_rrn", ["주민등록번호", "resident registration number", "RRN"], gen_kr_rrn, "kr.rrn",
     "https://en.wikipedia.org/wiki/Resident_registration_number"),
    ("za_id_number", ["SA ID number", "identity number", "RSA ID"], gen_za_id, "za.idnr",
     "https://www.dha.gov.za/index.php/identity-documents2"),
    ("il_teudat_zehut", ["מספר זהות", "ID number (teudat zehut)"], gen_il_id, "il.idnr",
     "https://en.wikipedia.org/wiki/Israeli_identity_card"),
    ("tr_tc_kimlik", ["T.C. Kimlik No", "TC kimlik numarası"], gen_tr_tc, "tr.tckimlik",  # noqa: RUF001 - the native spelling
     "https://tckimlik.nvi.gov.tr/"),
    ("nz_ird", ["IRD number", "IRD no."], gen_nz_ird, "nz.ird",
     "https://www.ird.govt.nz/managing-my-tax/ird-numbers"),
    ("ro_cnp", ["CNP", "cod numeric personal"], gen_ro_cnp, "ro.cnp",
     "https://ro.wikipedia.org/wiki/Cod_numeric_personal"),
    ("cz_rodne_cislo", ["rodné číslo", "RČ"], gen_cz_rc, "cz.rc",
     WIKI_NIN + "#Czech_Republic_and_Slovakia"),
    ("gr_amka", ["ΑΜΚΑ", "AMKA"], gen_gr_amka, "gr.amka", "https://www.amka.gr/tieinai_en.html"),  # noqa: RUF001 - the native spelling
    ("my_nric", ["MyKad", "NRIC", "No. K/P"], gen_my_nric, "my.nric",
     "https://www.jpn.gov.my/en/informasi-mykad/"),
    ("th_citizen_id", ["เลขประจำตัวประชาชน", "Thai ID"], gen_th_pin, "th.pin",
     "https://en.wikipedia.org/wiki/Thai_identity_card"),
    ("id_nik", ["NIK", "Nomor Induk Kependudukan"], gen_id_nik, None,
     "https://id.wikipedia.org/wiki/Nomor_Induk_Kependudukan"),
    ("sg_nric", ["NRIC", "FIN", "NRIC/FIN"], gen_sg_nric, None,
     "https://en.wikipedia.org/wiki/National_Registration_Identity_Card"),
    ("hk_hkid", ["HKID", "Hong Kong ID card no."], gen_hk_hkid, None,
     "https://en.wikipedia.org/wiki/Hong_Kong_identity_card"),
    ("hr_oib", ["OIB", "osobni identifikacijski broj"], gen_hr_oib, "hr.oib",
     "https://www.porezna-uprava.hr/en/Pages/PIN.aspx"),
    ("bg_egn", ["ЕГН", "EGN"], gen_bg_egn, "bg.egn",
     "https://en.wikipedia.org/wiki/Unified_Civil_Number"),
    ("ee_isikukood", ["isikukood", "personal code"], gen_ee_ik, "ee.ik",
     "https://www.riigiteataja.ee/akt/106032012004"),
    ("lt_asmens_kodas", ["asmens kodas"], gen_lt_asmens, "lt.asmens",
     "https://lt.wikipedia.org/wiki/Asmens_kodas"),
    ("si_emso", ["EMŠO"], gen_si_emso, "si.emso",
     "https://en.wikipedia.org/wiki/Unique_Master_Citizen_Number"),
    ("is_kennitala", ["kennitala", "kt."], gen_is_kennitala, "is_.kennitala",
     "https://www.skra.is/english/people/my-registration/id-numbers/"),
    ("pt_nif", ["NIF", "número de contribuinte"], gen_pt_nif, "pt.nif",
     "https://info.portaldasfinancas.gov.pt/pt/apoio_contribuinte/NIF/Pages/default.aspx"),
    ("pk_cnic", ["CNIC", "NIC number"], gen_pk_cnic, "pk.cnic",
     "https://www.nadra.gov.pk/identity/identity-cnic/"),
]
# fmt: on
# fmt: off
NATIONAL_LABELLED = [
    "<LABEL>: <V>", "My <LABEL> is <V> — can you fill it into the application form for me?",
    "Please update the customer record: <NAME>, <LABEL> <V>, address unchanged.",
    "The applicant <NAME> gave <V> as their <LABEL>. Write the confirmation letter.",
    "| Name | <LABEL> |\n|---|---|\n| <NAME> | <V> |",
    'Translate into English: "<NAME>, <LABEL> <V>, wohnhaft in Hamburg"',
]
# fmt: on
NATIONAL_BARE = [
    "Check whether <NAME> (<V>) already exists in the CRM export.",
    "<NAME>, <V>, joined 2019 — write a short welcome note for the newsletter.",
]


def _accepted(value: str | None, module: str | None) -> str | None:
    """`value` when stdnum's validator for the scheme accepts it (with or without spaces)."""
    if value is None or module is None:
        return value
    ok = std(module)
    return value if ok(value) or ok(value.replace(" ", "")) else None


def national_rows(rows: Rows) -> None:
    for kind, labels, make, module, source in NATIONAL:
        rng = rng_for(kind)
        templates = spread(rng, NATIONAL_LABELLED, 4) + NATIONAL_BARE
        for i, template in enumerate(templates):
            value = until(rng, lambda g, make=make, module=module: _accepted(make(g), module))
            text = fill_template(
                template, V=value, LABEL=labels[i % len(labels)], NAME=" ".join(name(rng))
            )
            rows.add(
                "pii_national",
                kind,
                text,
                value,
                source,
                context="bare" if template in NATIONAL_BARE else "labelled",
            )


# ---------------------------------------------------------------------------------------------
# pii_documents: passport and identity-card numbers, machine-readable zones (ICAO Doc 9303),
# driving licence numbers, dates of birth.

ICAO_9303 = "https://www.icao.int/publications/Documents/9303_p3_cons_en.pdf"
ICAO_TD3 = "https://www.icao.int/publications/Documents/9303_p4_cons_en.pdf"


def icao_check(field: str) -> str:
    """ICAO 9303 part 3 §4.9: weights 7,3,1 over digits, letters A=10.., filler < = 0."""

    def val(c: str) -> int:
        return int(c) if c.isdigit() else 0 if c == "<" else ord(c) - 55

    return str(sum(val(c) * (7, 3, 1)[i % 3] for i, c in enumerate(field)) % 10)


DE_DOC = "CFGHJKLMNPRTVWXYZ0123456789"
NO_O = "ABCDEFGHIJKLMNPQRSTUVWXYZ"  # Dutch document numbers never use the letter O

# fmt: off
PASSPORTS: list[tuple[str, str, Callable[[random.Random], str], str]] = [
    ("us_passport", "USA", lambda rng: rng.choice([_d(rng, 9), rng.choice("AB") + _d(rng, 8)]),
     "https://travel.state.gov/content/travel/en/passports/passport-help/next-generation-passport.html"),
    ("gb_passport", "GBR", lambda rng: rng.choice("1235") + _d(rng, 8),
     "https://en.wikipedia.org/wiki/British_passport"),
    ("de_passport", "D", lambda rng: "C" + r(rng, DE_DOC, 8),
     "https://en.wikipedia.org/wiki/German_passport"),
    ("fr_passport", "FRA", lambda rng: _d(rng, 2) + r(rng, UPPER, 2) + _d(rng, 5),
     "https://en.wikipedia.org/wiki/French_passport"),
    ("ca_passport", "CAN", lambda rng: r(rng, UPPER, 2) + _d(rng, 6),
     "https://en.wikipedia.org/wiki/Canadian_passport"),
    ("in_passport", "IND", lambda rng: rng.choice("JKLMNPRSTUVWZ") + _d(rng, 7),
     "https://en.wikipedia.org/wiki/Indian_passport"),
    ("au_passport", "AUS", lambda rng: rng.choice(["PA", "PB", "PE", "RA", "N"]) + _d(rng, 7),
     "https://en.wikipedia.org/wiki/Australian_passport"),
    ("it_passport", "ITA", lambda rng: r(rng, UPPER, 2) + _d(rng, 7),
     "https://en.wikipedia.org/wiki/Italian_passport"),
    ("es_passport", "ESP", lambda rng: r(rng, UPPER, 3) + _d(rng, 6),
     "https://en.wikipedia.org/wiki/Spanish_passport"),
    ("jp_passport", "JPN", lambda rng: rng.choice(["TK", "TR", "TZ", "MZ"]) + _d(rng, 7),
     "https://en.wikipedia.org/wiki/Japanese_passport"),
    ("cn_passport", "CHN",
     lambda rng: rng.choice(["E" + _d(rng, 8), "EA" + _d(rng, 7), "EH" + _d(rng, 7)]),
     "https://en.wikipedia.org/wiki/Chinese_passport"),
    ("nl_passport", "NLD",
     lambda rng: r(rng, NO_O, 2) + r(rng, NO_O + DIGITS, 6) + _d(rng, 1),
     "https://en.wikipedia.org/wiki/Dutch_passport"),
    ("br_passport", "BRA", lambda rng: r(rng, UPPER, 2) + _d(rng, 6),
     "https://en.wikipedia.org/wiki/Brazilian_passport"),
    ("mx_passport", "MEX", lambda rng: rng.choice("GNE") + _d(rng, 8),
     "https://en.wikipedia.org/wiki/Mexican_passport"),
]
# fmt: on
PASSPORT_TEMPLATES = [
    ("Passport number: <V>", "labelled"),
    (
        "I'm booking the flight for <NAME>, passport no. <V>, expires 2031 — can you fill the "
        "form?",
        "labelled",
    ),
    ("Reisepassnummer: <V> (<NAME>)", "labelled"),
    ("N° de passeport : <V>", "labelled"),
    ("Guest list for the visa letter:\n- <NAME>, passport <V>\n- two colleagues TBD", "labelled"),
    ("Número de pasaporte <V>, por favor confirme la reserva.", "labelled"),
]


def mrz_td3(rng: random.Random) -> tuple[str, str]:
    country = rng.choice(["UTO", "D<<", "FRA", "ITA", "NLD", "CAN", "SWE", "IRL"])
    first, last = name(rng)

    def clean(s: str) -> str:
        import unicodedata

        s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().upper()
        return "".join(c if c.isalpha() else "<" for c in s)

    line1 = ("P<" + country + clean(last) + "<<" + clean(first)).ljust(44, "<")[:44]
    number = r(rng, UPPER + DIGITS, 9)
    dob = birth_date(rng, 1950, 2004).strftime("%y%m%d")
    expiry = dt.date(2027 + rng.randrange(8), rng.randint(1, 12), rng.randint(1, 28)).strftime(
        "%y%m%d"
    )
    personal = "<" * 14
    sex = rng.choice("MF")
    nat = country
    composite = (
        number
        + icao_check(number)
        + dob
        + icao_check(dob)
        + expiry
        + icao_check(expiry)
        + personal
        + icao_check(personal)
    )
    line2 = (
        number
        + icao_check(number)
        + nat
        + dob
        + icao_check(dob)
        + sex
        + expiry
        + icao_check(expiry)
        + personal
        + icao_check(personal)
        + icao_check(composite)
    )
    assert len(line2) == 44, line2
    return line1 + "\n" + line2, number


# fmt: off
ID_CARDS: list[tuple[str, list[str], Callable[[random.Random], str], str]] = [
    ("de_id_card", ["Personalausweisnummer", "Ausweisnummer"],
     lambda rng: (lambda s: s + icao_check(s))(rng.choice("LMNPRTVWXY") + r(rng, DE_DOC, 8)),
     "https://en.wikipedia.org/wiki/German_identity_card"),
    ("fr_cni", ["numéro de carte d'identité", "n° CNI"], lambda rng: r(rng, UPPER + DIGITS, 9),
     "https://en.wikipedia.org/wiki/National_identity_card_(France)"),
    ("it_cie", ["numero carta d'identità", "CIE"],
     lambda rng: "C" + r(rng, UPPER, 1) + _d(rng, 5) + r(rng, UPPER, 2),
     "https://www.cartaidentita.interno.gov.it/"),
    ("es_dni_soporte", ["número de soporte del DNI", "IDESP"],
     lambda rng: r(rng, UPPER, 3) + _d(rng, 6), "https://www.dnielectronico.es/PortalDNIe/"),
]
# fmt: on

# fmt: off
DRIVING: list[tuple[str, list[str], Callable[[random.Random], str], str]] = [
    ("gb_driving_licence", ["driving licence number", "DVLA licence no."], None,
     "https://en.wikipedia.org/wiki/Driving_licence_in_the_United_Kingdom#Driver_number"),
    ("us_ca_driver_license", ["California driver license", "CA DL#"],
     lambda rng: rng.choice(UPPER) + _d(rng, 7),
     "https://learn.microsoft.com/en-us/purview/sit-defn-us-drivers-license-number"),
    ("us_ny_driver_license", ["NY driver license number", "NYS DL"],
     lambda rng: f"{_d(rng, 3)} {_d(rng, 3)} {_d(rng, 3)}",
     "https://learn.microsoft.com/en-us/purview/sit-defn-us-drivers-license-number"),
    ("us_fl_driver_license", ["Florida DL", "driver's license no."],
     lambda rng: "-".join([rng.choice(UPPER) + _d(rng, 3), _d(rng, 3), _d(rng, 2), _d(rng, 3),
                           _d(rng, 1)]),
     "https://learn.microsoft.com/en-us/purview/sit-defn-us-drivers-license-number"),
    ("us_tx_driver_license", ["Texas DL", "TX driver's license"],
     lambda rng: rng.choice("0123") + _d(rng, 7),
     "https://learn.microsoft.com/en-us/purview/sit-defn-us-drivers-license-number"),
    ("us_il_driver_license", ["Illinois driver's license", "IL DL"],
     lambda rng: f"{rng.choice(UPPER)}{_d(rng, 3)}-{_d(rng, 4)}-{_d(rng, 4)}",
     "https://learn.microsoft.com/en-us/purview/sit-defn-us-drivers-license-number"),
    ("de_fuehrerschein", ["Führerscheinnummer", "Führerschein-Nr."],
     lambda rng: r(rng, "updig", 1) + _d(rng, 2) + r(rng, "updig", 6) + _d(rng, 1)
     + r(rng, "updig", 1),
     "https://de.wikipedia.org/wiki/F%C3%BChrerschein_(Deutschland)"),
    ("fr_permis", ["numéro de permis de conduire", "n° de permis"], lambda rng: _d(rng, 12),
     "https://www.service-public.fr/particuliers/vosdroits/F1460"),
    ("ca_on_driver_licence", ["Ontario driver's licence", "licence number"],
     lambda rng: f"{rng.choice(UPPER)}{_d(rng, 4)}-{_d(rng, 5)}-{_d(rng, 5)}",
     "https://www.ontario.ca/page/drivers-licence"),
    ("au_nsw_driver_licence", ["NSW licence number", "driver licence no."], lambda rng: _d(rng, 8),
     "https://www.nsw.gov.au/driving-boating-and-transport/driver-and-rider-licences"),
    ("in_driving_licence", ["DL No.", "driving licence number"],
     lambda rng: f"{rng.choice(['MH', 'KA', 'DL', 'TN', 'UP'])}{_d(rng, 2)} "
     f"{rng.randint(1995, 2023)}{_d(rng, 7)}",
     "https://parivahan.gov.in/parivahan/en/content/driving-licence-0"),
    ("ie_driving_licence", ["Irish driving licence number", "licence no."], lambda rng: _d(rng, 9),
     "https://www.ndls.ie/"),
]
# fmt: on
LICENCE_TEMPLATES = [
    ("<LABEL>: <V>", "labelled"),
    ("For the rental car form: <NAME>, <LABEL> <V>, valid until 2030.", "labelled"),
    ("Please add the driver to the insurance policy — <LABEL> <V>.", "labelled"),
    ("Fahrer: <NAME>\n<LABEL>: <V>", "labelled"),
    ("My <LABEL> is <V>, what else do I need to register?", "labelled"),
]


def gb_driving_licence(rng: random.Random) -> str:
    import unicodedata

    first, last = name(rng)
    surname = unicodedata.normalize("NFKD", last).encode("ascii", "ignore").decode().upper()
    surname = "".join(c for c in surname if c.isalpha())[:5].ljust(5, "9")
    d = birth_date(rng, 1950, 2004)
    month = d.month + (50 if rng.random() < 0.5 else 0)
    initials = (first[0] + rng.choice(UPPER + "9")).upper()
    initials = (
        unicodedata.normalize("NFKD", initials).encode("ascii", "ignore").decode().ljust(2, "9")
    )
    year = str(d.year)
    return f"{surname}{year[2]}{month:02d}{d.day:02d}{year[3]}{initials}9{r(rng, UPPER, 2)}"


DOB_SOURCE = (
    "https://www.hhs.gov/hipaa/for-professionals/special-topics/de-identification/index.html"
)
# fmt: off
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"],
}
# fmt: on
# fmt: off
DOB_CASES: list[tuple[str, Callable[[dt.date], str], str, str]] = [
    ("dob_iso", lambda d: d.isoformat(), "DOB: <V>", "labelled"),
    ("dob_iso", lambda d: d.isoformat(),
     '{"name": "<NAME>", "date_of_birth": "<V>", "plan": "gold"}', "labelled"),
    ("dob_us", lambda d: d.strftime("%m/%d/%Y"), "Date of birth: <V>", "labelled"),
    ("dob_us", lambda d: d.strftime("%m/%d/%Y"),
     "Patient <NAME>, D.O.B. <V>, presents with a cough.", "labelled"),
    ("dob_eu_slash", lambda d: d.strftime("%d/%m/%Y"), "Date de naissance : <V>", "labelled"),
    ("dob_eu_slash", lambda d: d.strftime("%d/%m/%Y"), "Fecha de nacimiento: <V>", "labelled"),
    ("dob_eu_slash", lambda d: d.strftime("%d/%m/%Y"), "Data di nascita <V>, nato a Torino",
     "labelled"),
    ("dob_eu_dot", lambda d: d.strftime("%d.%m.%Y"), "Geburtsdatum: <V>", "labelled"),
    ("dob_eu_dot", lambda d: d.strftime("%d.%m.%Y"), "<NAME>, geb. <V>, wohnhaft in Köln",
     "labelled"),
    ("dob_eu_dot", lambda d: d.strftime("%d.%m.%Y"), "Data urodzenia: <V>", "labelled"),
    ("dob_eu_dash", lambda d: d.strftime("%d-%m-%Y"), "Geboortedatum: <V>", "labelled"),
    ("dob_text_en", lambda d: f"{MONTHS['en'][d.month - 1]} {d.day}, {d.year}",
     "She was born on <V> in Leeds.", "labelled"),
    ("dob_text_en", lambda d: f"{d.day} {MONTHS['en'][d.month - 1]} {d.year}", "Birthdate: <V>",
     "labelled"),
    ("dob_text_es", lambda d: f"{d.day} de {MONTHS['es'][d.month - 1]} de {d.year}",
     "Nació el <V> en Sevilla.", "labelled"),
    ("dob_text_de", lambda d: f"{d.day}. {MONTHS['de'][d.month - 1]} {d.year}",
     "geboren am <V> in Wien", "labelled"),
    ("dob_ja", lambda d: f"{d.year}年{d.month}月{d.day}日", "生年月日：<V>", "labelled"),  # noqa: RUF001 - the native spelling
    ("dob_zh", lambda d: d.isoformat(), "出生日期：<V>", "labelled"),  # noqa: RUF001 - the native spelling
    ("dob_iso", lambda d: d.isoformat(), "<NAME>; <V>; London; member since 2018", "bare"),
    ("dob_us", lambda d: d.strftime("%m/%d/%Y"),
     "Employee: <NAME>, <V>, Engineering, start date pending", "bare"),
]
# fmt: on


def document_rows(rows: Rows) -> None:
    for kind, _nat, make, source in PASSPORTS:
        rng = rng_for(kind)
        for template, context in spread(rng, PASSPORT_TEMPLATES, 5):
            value = make(rng)
            rows.add(
                "pii_documents",
                kind,
                fill_template(template, V=value, NAME=" ".join(name(rng))),
                value,
                source,
                context=context,
            )
    rng = rng_for("passport_mrz")
    mrz_templates = [
        "Can you read the machine-readable zone from my scan?\n<V>",
        "OCR output of the passport page:\n\n<V>\n\nExtract name and expiry date.",
        "<V>",
    ]
    for template in spread(rng, mrz_templates, 8):
        value, _ = mrz_td3(rng)
        rows.add(
            "pii_documents",
            "passport_mrz_td3",
            fill_template(template, V=value),
            value,
            ICAO_TD3,
            context="bare" if template == "<V>" else "labelled",
        )
    for kind, labels, make, source in ID_CARDS:
        rng = rng_for(kind)
        for i, (template, context) in enumerate(spread(rng, LICENCE_TEMPLATES, 5)):
            value = make(rng)
            rows.add(
                "pii_documents",
                kind,
                fill_template(
                    template, V=value, LABEL=labels[i % len(labels)], NAME=" ".join(name(rng))
                ),
                value,
                source,
                context=context,
            )
    for kind, labels, make, source in DRIVING:
        rng = rng_for(kind)
        make = make or gb_driving_licence
        for i, (template, context) in enumerate(spread(rng, LICENCE_TEMPLATES, 5)):
            value = make(rng)
            rows.add(
                "pii_documents",
                kind,
                fill_template(
                    template, V=value, LABEL=labels[i % len(labels)], NAME=" ".join(name(rng))
                ),
                value,
                source,
                context=context,
            )
    rng = rng_for("date_of_birth")
    for _ in range(3):
        for kind, fmt, template, context in DOB_CASES:
            value = fmt(birth_date(rng, 1940, 2006))
            rows.add(
                "pii_documents",
                kind,
                fill_template(template, V=value, NAME=" ".join(name(rng))),
                value,
                DOB_SOURCE,
                context=context,
            )


# ---------------------------------------------------------------------------------------------
# financial: payment cards (ISO/IEC 7812 IIN ranges, Luhn), IBANs (ISO 13616, BBAN layouts from
# SWIFT's IBAN registry as shipped in python-stdnum), bank routing numbers, crypto addresses.

CARD_SOURCE = "https://www.iso.org/standard/70484.html"
# fmt: off
CARDS: list[tuple[str, Callable[[random.Random], str], tuple[int, ...], str]] = [
    ("card_visa", lambda rng: "4", (16,), "https://usa.visa.com/support/consumer/visa-cards.html"),
    ("card_mastercard",
     lambda rng: rng.choice([str(rng.randint(51, 55)), str(rng.randint(2221, 2720))]), (16,),
     "https://www.mastercard.us/en-us/business/overview/support/rules.html"),
    ("card_amex", lambda rng: rng.choice(["34", "37"]), (15,),
     "https://www.americanexpress.com/content/dam/amex/us/merchant/new-merchant-specifications/TechSpecs_ISO8583.pdf"),
    ("card_discover", lambda rng: rng.choice(["6011", "65", str(rng.randint(644, 649))]), (16,),
     "https://www.discoverglobalnetwork.com/content/dam/discover/en_us/dgn/docs/IPP_VAR_Compliance.pdf"),
    ("card_jcb", lambda rng: str(rng.randint(3528, 3589)), (16,),
     "https://www.global.jcb/en/products/cards/"),
    ("card_diners", lambda rng: rng.choice(["36", "38", str(rng.randint(300, 305))]), (14,),
     "https://en.wikipedia.org/wiki/Payment_card_number#Issuer_identification_number_(IIN)"),
    ("card_unionpay", lambda rng: "62" + str(rng.randint(2126, 2925)), (16, 19),
     "https://www.unionpayintl.com/en/"),
    ("card_maestro", lambda rng: rng.choice(["6759", "5018", "5020", "5038", "6304"]), (16, 19),
     "https://en.wikipedia.org/wiki/Payment_card_number#Issuer_identification_number_(IIN)"),
    ("card_mir", lambda rng: str(rng.randint(2200, 2204)), (16,), "https://mironline.ru/en/"),
]
# fmt: on


def card_group(number: str, sep: str) -> str:
    if len(number) == 15:
        return sep.join([number[:4], number[4:10], number[10:]])
    if len(number) == 14:
        return sep.join([number[:4], number[4:10], number[10:]])
    return sep.join(number[i : i + 4] for i in range(0, len(number), 4))


CARD_TEMPLATES = [
    ("Card number: <V>", "labelled", " "),
    ("Please charge my card <V>, expiry 09/28, CVC 713.", "labelled", "-"),
    ("Why was <V> declined at checkout yesterday?", "bare", " "),
    ('{"customer": "<NAME>", "card_number": "<V>", "exp": "11/27"}', "labelled", ""),
    ("Kreditkarte: <V> gültig bis 03/29", "labelled", " "),
    ("The refund went to <V> — draft a note to the customer.", "bare", ""),
    ("CC#: <V>", "labelled", "."),
    ("Número de tarjeta <V>", "labelled", "-"),
]


def card_rows(rows: Rows) -> None:
    for kind, prefix, lengths, source in CARDS:
        rng = rng_for(kind)
        for template, context, sep in spread(rng, CARD_TEMPLATES, 8):
            number = luhn_complete(rng, prefix(rng), rng.choice(lengths))
            value = card_group(number, sep) if sep else number
            rows.add(
                "financial",
                kind,
                fill_template(template, V=value, NAME=" ".join(name(rng))),
                value,
                source if source.startswith("http") else CARD_SOURCE,
                context=context,
            )


# fmt: off
IBAN_COUNTRIES = [
    "DE", "FR", "GB", "ES", "IT", "NL", "BE", "AT", "CH", "PT", "IE", "PL", "SE", "NO", "DK", "FI",
    "CZ", "SK", "HU", "RO", "BG", "HR", "SI", "GR", "LU", "LT", "LV", "EE", "IS", "MT", "CY", "TR",
    "SA", "AE", "IL", "BR", "QA", "KW", "MC", "LI",
]
# fmt: on
IBAN_SOURCE = (
    "https://www.swift.com/standards/data-standards/iban-international-bank-account-number"
)
# fmt: off
IBAN_LABELS = {
    "DE": "IBAN (Kontonummer)", "FR": "IBAN du compte", "ES": "IBAN de la cuenta",
    "IT": "codice IBAN", "NL": "IBAN-rekeningnummer", "PL": "numer rachunku IBAN",
    "PT": "IBAN da conta", "BR": "IBAN da conta",
}
# fmt: on


def _bban(rng: random.Random, structure: str) -> str:
    import re as _re

    out = []
    for count, kind in _re.findall(r"(\d+)!([nac])", structure):
        for _ in range(int(count)):
            # 'c' (alphanumeric) positions hold digits in most real account numbers
            use_digit = kind == "n" or (kind == "c" and rng.random() < 0.85)
            out.append(rng.choice(DIGITS if use_digit else UPPER))
    return "".join(out)


def iban_rows(rows: Rows) -> None:
    db = numdb.get("iban")
    for cc in IBAN_COUNTRIES:
        rng = rng_for("iban:" + cc)
        structure = dict(db.info(cc)[0][1])["bban"]
        values = []
        while len(values) < 3:
            bban = _bban(rng, structure)
            candidate = cc + std_iban.calc_check_digits(cc + "00" + bban) + bban
            if std_iban.is_valid(candidate):
                values.append(candidate)
        grouped = std_iban.format(values[1])
        label = IBAN_LABELS.get(cc, "IBAN")
        first, last = name(rng)
        cases = [
            (f"Please transfer the deposit to IBAN {values[0]} by Monday.", values[0], "labelled"),
            (
                f"{label}: {grouped}\nKontoinhaber / account holder: {first} {last}",
                grouped,
                "labelled",
            ),
            (
                f"Can you check why the payment to {std_iban.format(values[2])} bounced?",
                std_iban.format(values[2]),
                "bare",
            ),
        ]
        for text, value, context in cases:
            rows.add("financial", f"iban_{cc.lower()}", text, value, IBAN_SOURCE, context=context)


def aba_routing(rng: random.Random) -> str:
    prefix = rng.choice([f"{n:02d}" for n in [*range(1, 13), *range(21, 33), *range(61, 73)]])
    stem = prefix + _d(rng, 6)
    weights = [3, 7, 1, 3, 7, 1, 3, 7]
    check = (10 - sum(int(c) * w for c, w in zip(stem, weights, strict=True)) % 10) % 10
    return stem + str(check)


def bank_rows(rows: Rows) -> None:
    rng = rng_for("bank_accounts")
    for _ in range(6):
        routing, account = aba_routing(rng), _d(rng, rng.randint(9, 12))
        rows.add(
            "financial",
            "us_aba_routing_number",
            f"Direct deposit form: routing number {routing}, account {account}.",
            routing,
            "https://www.aba.com/about-us/routing-number",
            context="labelled",
        )
        rows.add(
            "financial",
            "us_bank_account_number",
            f"ABA {routing} / checking account number {account} — set up the payroll transfer.",
            account,
            "https://www.frbservices.org/resources/routing-number-directory",
            context="labelled",
        )
        sort = f"{_d(rng, 2)}-{_d(rng, 2)}-{_d(rng, 2)}"
        gb_account = _d(rng, 8)
        rows.add(
            "financial",
            "gb_sort_code_account",
            f"Bank details: sort code {sort}, account number {gb_account}, "
            f"name {' '.join(name(rng))}.",
            gb_account,
            "https://www.vocalink.com/tools/modulus-checking/",
            context="labelled",
        )
        bsb = f"{rng.choice(['06', '03', '08', '01'])}{_d(rng, 1)}-{_d(rng, 3)}"
        au_account = _d(rng, 9)
        rows.add(
            "financial",
            "au_bsb_account",
            f"BSB {bsb}, account no. {au_account} for the refund.",
            au_account,
            "https://auspaynet.com.au/resources/direct-entry",
            context="labelled",
        )
        ca_account = _d(rng, 7)
        rows.add(
            "financial",
            "ca_transit_account",
            f"Void cheque details: transit {_d(rng, 5)}, institution 00{rng.choice('1234')}, "
            f"account {ca_account}",
            ca_account,
            "https://www.payments.ca/",
            context="labelled",
        )
        ifsc = rng.choice(["HDFC", "ICIC", "SBIN", "UTIB"]) + "0" + _d(rng, 6)
        in_account = _d(rng, rng.randint(11, 14))
        rows.add(
            "financial",
            "in_bank_account",
            f"Please pay to A/c No. {in_account}, IFSC {ifsc}, {' '.join(name(rng))}.",
            in_account,
            "https://www.rbi.org.in/Scripts/FAQView.aspx?Id=60",
            context="labelled",
        )


def monero_address(rng: random.Random) -> str:
    data = b"\x12" + bytes(rng.getrandbits(8) for _ in range(64))
    data += keccak256(data)[:4]
    sizes = [0, 2, 3, 5, 6, 7, 9, 10, 11]
    out = ""
    for i in range(0, len(data), 8):
        block = data[i : i + 8]
        enc = b58encode(block)
        if enc.startswith("1") and set(block) != {0}:
            enc = enc.lstrip("1")
        out += enc.rjust(sizes[len(block)], "1")
    return out


XRP_B58 = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz"


def rand_bytes(rng: random.Random, n: int) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(n))


# fmt: off
CRYPTO: list[tuple[str, Callable[[random.Random], str], str]] = [
    ("btc_p2pkh", lambda rng: b58check(b"\x00" + rand_bytes(rng, 20)),
     "https://en.bitcoin.it/wiki/Address"),
    ("btc_p2sh", lambda rng: b58check(b"\x05" + rand_bytes(rng, 20)),
     "https://en.bitcoin.it/wiki/Address"),
    ("btc_bech32", lambda rng: segwit_address("bc", 0, rand_bytes(rng, 20)),
     "https://github.com/bitcoin/bips/blob/master/bip-0173.mediawiki"),
    ("btc_taproot", lambda rng: segwit_address("bc", 1, rand_bytes(rng, 32)),
     "https://github.com/bitcoin/bips/blob/master/bip-0350.mediawiki"),
    ("eth_address", lambda rng: eip55(rand_bytes(rng, 20).hex()),
     "https://eips.ethereum.org/EIPS/eip-55"),
    ("ltc_address",
     lambda rng: rng.choice([b58check(b"\x30" + rand_bytes(rng, 20)),
                             segwit_address("ltc", 0, rand_bytes(rng, 20))]),
     "https://en.bitcoin.it/wiki/List_of_address_prefixes"),
    ("doge_address", lambda rng: b58check(b"\x1e" + rand_bytes(rng, 20)),
     "https://en.bitcoin.it/wiki/List_of_address_prefixes"),
    ("xrp_address",
     lambda rng: b58check(b"\x00" + rand_bytes(rng, 20), XRP_B58),
     "https://xrpl.org/docs/concepts/accounts/addresses"),
    ("tron_address", lambda rng: b58check(b"\x41" + rand_bytes(rng, 20)),
     "https://developers.tron.network/docs/account"),
    ("xmr_address", monero_address, "https://docs.getmonero.org/public-address/standard-address/"),
    ("sol_address", lambda rng: b58encode(rand_bytes(rng, 32)),
     "https://solana.com/docs/core/accounts"),
    ("ada_address",
     lambda rng: bech32_encode("addr", _convertbits(b"\x01" + rand_bytes(rng, 56), 8, 5)),
     "https://cips.cardano.org/cip/CIP-19"),
]
# fmt: on
CRYPTO_TEMPLATES = [
    ("Send the 0.25 payment to my wallet <V> please.", "labelled"),
    ("Withdrawal address: <V>", "labelled"),
    ("Is <V> the right address for the refund?", "bare"),
    ("Donations welcome at <V> — thanks!", "labelled"),
    ("tx from <V> still unconfirmed after 3 hours, why?", "bare"),
]


def crypto_rows(rows: Rows) -> None:
    for kind, make, source in CRYPTO:
        rng = rng_for(kind)
        for template, context in spread(rng, CRYPTO_TEMPLATES, 5):
            value = make(rng)
            rows.add(
                "financial", kind, fill_template(template, V=value), value, source, context=context
            )


# ---------------------------------------------------------------------------------------------
# network: public IPv4/IPv6 addresses (IANA special-purpose registries say which are not),
# MAC addresses (IEEE 802), IMEIs (3GPP TS 23.003, Luhn).

IANA_V4_SPECIAL = (
    "https://www.iana.org/assignments/iana-ipv4-special-registry/iana-ipv4-special-registry.xhtml"
)
IANA_V6_SPECIAL = (
    "https://www.iana.org/assignments/iana-ipv6-special-registry/iana-ipv6-special-registry.xhtml"
)


def public_ipv4(rng: random.Random) -> str:
    import ipaddress

    while True:
        addr = ipaddress.IPv4Address(rng.getrandbits(32))
        if (
            addr.is_global
            and not addr.is_multicast
            and addr.packed[0] not in (0, 100, 198, 203, 192)
        ):
            return str(addr)


def global_ipv6(rng: random.Random) -> str:
    import ipaddress

    while True:
        prefix = rng.choice(
            [0x2A00, 0x2A01, 0x2A02, 0x2600, 0x2607, 0x2804, 0x2409, 0x2400, 0x2A03]
        )
        words = [prefix] + [rng.getrandbits(16) for _ in range(7)]
        if rng.random() < 0.4:
            words[4:7] = [0, 0, 0]
        addr = ipaddress.IPv6Address(":".join(f"{w:x}" for w in words))
        if addr.is_global:
            return addr.compressed


def mac_address(rng: random.Random) -> str:
    octets = [rng.getrandbits(8) & 0xFC] + [rng.getrandbits(8) for _ in range(5)]  # unicast, OUI
    style = rng.randrange(4)
    if style == 0:
        return ":".join(f"{o:02x}" for o in octets)
    if style == 1:
        return "-".join(f"{o:02X}" for o in octets)
    if style == 2:
        return ":".join(f"{o:02X}" for o in octets)
    raw = "".join(f"{o:02x}" for o in octets)
    return ".".join(raw[i : i + 4] for i in range(0, 12, 4))


def imei(rng: random.Random) -> str:
    return luhn_complete(rng, rng.choice(["35", "86", "01", "99"]), 15)


NETWORK: list[tuple[str, Callable[[random.Random], str], str, list[tuple[str, str]]]] = [
    (
        "ipv4_public",
        public_ipv4,
        IANA_V4_SPECIAL,
        [
            ("Why is <V> hitting our login endpoint 400 times a minute?", "bare"),
            (
                "203 requests from client IP <V> were blocked by the WAF, summarise the log.",
                "labelled",
            ),
            ('<V> - - [12/Mar/2025:10:14:22 +0000] "GET /admin HTTP/1.1" 403 153', "bare"),
            ("My home IP address is <V>, please add it to the allow-list.", "labelled"),
            ("Failed password for root from <V> port 52144 ssh2", "bare"),
        ],
    ),
    (
        "ipv6_global",
        global_ipv6,
        IANA_V6_SPECIAL,
        [
            ("The customer's IPv6 address <V> shows up in the fraud report.", "labelled"),
            ("Connection from [<V>]:443 reset, any idea why?", "bare"),
            ("remote_addr=<V> user_agent=Mozilla/5.0 status=200", "labelled"),
        ],
    ),
    (
        "mac_address",
        mac_address,
        "https://standards.ieee.org/products-programs/regauth/",
        [
            ("The laptop's MAC address is <V>; add it to the DHCP reservation.", "labelled"),
            ("Device <V> keeps dropping off the Wi-Fi, here's the controller log.", "bare"),
            ("hwaddr <V> assigned to the printer on floor 3", "labelled"),
        ],
    ),
    (
        "imei",
        imei,
        "https://www.3gpp.org/ftp/Specs/archive/23_series/23.003/",
        [
            ("IMEI: <V> — the phone was reported stolen, draft the police report.", "labelled"),
            ("My handset's IMEI is <V>, can the carrier unlock it?", "labelled"),
            ("Device <V> failed MDM enrolment twice.", "bare"),
        ],
    ),
]


def network_rows(rows: Rows) -> None:
    for kind, make, source, templates in NETWORK:
        rng = rng_for(kind)
        count = 20 if kind == "ipv4_public" else 12
        for template, context in spread(rng, templates, count):
            value = make(rng)
            rows.add(
                "network", kind, fill_template(template, V=value), value, source, context=context
            )


# ---------------------------------------------------------------------------------------------
# negatives: text that must not be flagged. Placeholders and documentation examples, references
# to secrets rather than secrets, identifiers and digests that are random but not credentials,
# numbers and dates that are not personal, addresses the policy leaves alone (private ranges).


def isbn13(rng: random.Random) -> str:
    from stdnum import ean  # an ISBN-13 carries the EAN-13 check digit

    stem = "978" + rng.choice("0123") + _d(rng, 8)
    full = stem + ean.calc_check_digit(stem)
    return f"{full[:3]}-{full[3]}-{full[4:8]}-{full[8:12]}-{full[12]}"


def ean13(rng: random.Random) -> str:
    from stdnum import ean

    stem = rng.choice(["40", "50", "70", "80", "87"]) + _d(rng, 10)
    return stem + ean.calc_check_digit(stem)


def luhn_invalid(rng: random.Random) -> str:
    number = luhn_complete(rng, rng.choice("3456"), 16)
    return number[:-1] + str((int(number[-1]) + rng.randint(1, 9)) % 10)


def negative_cases() -> list[tuple[str, str, str, str]]:
    """(kind, text, value, source) for every negative row."""
    out: list[tuple[str, str, str, str]] = []

    def add(kind: str, source: str, pairs: Iterable[tuple[str, str]]) -> None:
        out.extend((kind, text, value, source) for text, value in pairs)

    rng = rng_for("neg:placeholders")
    placeholders = [
        "your-api-key-here",
        "YOUR_API_KEY",
        "<your-api-key>",
        "sk-...",
        "sk-" + "x" * 48,
        "ghp_" + "x" * 36,
        "xoxb-your-bot-token",
        "<REDACTED>",
        "********",
        "REPLACE_ME",
        "insert-token-here",
        "sk_live_" + "X" * 24,
        "glpat-XXXXXXXXXXXXXXXXXXXX",
        "hf_" + "x" * 34,
        "[API_KEY]",
        "<token>",
        "your_password_here",
        "AIzaSy" + "X" * 33,
        "xxxx-xxxx-xxxx-xxxx",
        "sk-ant-api03-...",
        "<paste your key>",
        "{YOUR_TOKEN}",
    ]
    placeholder_templates = [
        "export OPENAI_API_KEY=<V>",
        'api_key = "<V>"  # replace with your own key',
        'curl -H "Authorization: Bearer <V>" https://api.partner-portal.net/v1/me',
        "password: <V>",
        "In the README we tell users to set TOKEN=<V> before running the script.",
        '{"apiKey": "<V>", "region": "us-east-1"}',
    ]
    add(
        "placeholder_credential",
        "https://platform.openai.com/docs/quickstart",
        (
            (fill_template(t, V=v), v)
            for t, v in zip(
                spread(rng, placeholder_templates, len(placeholders)), placeholders, strict=True
            )
        ),
    )

    rng = rng_for("neg:aws_examples")
    aws = [
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AKIAI44QH8DHBEXAMPLE",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    ]
    aws += ["AKIA" + r(rng, B32, 9) + "EXAMPLE" for _ in range(4)]
    aws += [r(rng, B64, 30) + "EXAMPLEKEY" for _ in range(4)]
    aws_templates = [
        "The AWS docs show aws_access_key_id = <V> in the credentials file example.",
        "[default]\naws_secret_access_key = <V>\n(this is the sample from the AWS CLI guide)",
        "export AWS_ACCESS_KEY_ID=<V>  # example value from the documentation",
        "Why does the tutorial use <V> as the key?",
    ]
    add(
        "aws_documentation_example",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
        (
            (fill_template(t, V=v), v)
            for t, v in zip(spread(rng, aws_templates, len(aws)), aws, strict=True)
        ),
    )

    rng = rng_for("neg:references")
    refs = [
        "${{ secrets.NPM_TOKEN }}",
        "${DB_PASSWORD}",
        "$OPENAI_API_KEY",
        "%API_KEY%",
        "{{ .Values.postgresql.auth.password }}",
        'os.environ["STRIPE_SECRET_KEY"]',
        "process.env.GITHUB_TOKEN",
        "${env:AZURE_CLIENT_SECRET}",
        "<%= ENV['SMTP_PASSWORD'] %>",
        "{{api_key}}",
        "${jwt.secret}",
        "!Ref DbPasswordParameter",
        "${data.aws_secretsmanager_secret_version.db.secret_string}",
        "{{ vault_db_password }}",
        "$(cat /run/secrets/db_password)",
        "${SLACK_WEBHOOK_URL}",
    ]
    ref_templates = [
        "password: <V>",
        "export TOKEN=<V>",
        "DATABASE_URL=postgres://app:<V>@db:5432/app",
        "headers: {Authorization: 'Bearer ' + <V>}",
        "api_key = <V>",
        "client_secret=<V>",
    ]
    add(
        "secret_reference",
        "https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions",
        (
            (fill_template(t, V=v), v)
            for t, v in zip(spread(rng, ref_templates, len(refs)), refs, strict=True)
        ),
    )

    code = [
        "password = getpass.getpass()",
        'token = request.headers.get("Authorization")',
        'api_key = os.getenv("API_KEY")',
        "secret = None",
        "if not password:\n    raise ValueError('password required')",
        "def rotate_secret(secret_id: str) -> None:",
        "password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())",
        "const token = await getAccessToken(scopes);",
        "self.api_key = api_key",
        'echo "$DOCKER_PASSWORD" | docker login --username ci --password-stdin',
        "passwd = input('Password: ')",
        "client = OpenAI()  # reads OPENAI_API_KEY from the environment",
        "token: str = Field(..., min_length=20)",
        "if (user.password !== confirmPassword) return error;",
    ]
    add(
        "code_without_secret",
        "https://docs.python.org/3/library/getpass.html",
        ((f"Why does this line fail the linter?\n{c}", c) for c in code),
    )

    params = [
        "max_tokens=4096",
        "max_output_tokens: 8192",
        "tokens_per_minute = 90000",
        "context window of 128000 tokens",
        "top_k=40",
        '"max_completion_tokens": 16384',
        "num_ctx 32768",
        "token_limit: 200000",
        "TPM limit 2000000",
        "max_new_tokens=512",
        "temperature=0.7, top_p=0.95",
    ]
    add(
        "llm_parameter",
        "https://platform.openai.com/docs/api-reference/chat/create",
        ((f"Set {p} and retry the request.", p) for p in params),
    )

    prose = [
        "The key insight is that caching reduces latency for repeat queries.",
        "Please rotate the secret every 90 days and store it in the vault, never in git.",
        "A token is roughly four characters of English text.",
        "Passwords must have at least 12 characters and may not reuse the last five.",
        "The primary key of the orders table is order_id.",
        "Our secret sauce is the onboarding flow, not the pricing.",
        "Use an API key from the dashboard; never commit it to the repository.",
        "The auth token expired, so the user was logged out after 30 minutes.",
        "Keynote: how security keys and passkeys replace passwords.",
        "The password reset email should arrive within five minutes.",
        "We store only a salted hash of each password, never the password itself.",
        "Explain the difference between an access token and a refresh token.",
        "Lock the door and leave the key with reception.",
        "The secret to good sourdough is a long, cold fermentation.",
    ]
    add("prose_keywords", "https://www.rfc-editor.org/rfc/rfc4949", ((p, p) for p in prose))

    rng = rng_for("neg:uuids")
    uuid_templates = [
        "request id <V> returned 500",
        "trace_id=<V> span_id=a3f1",
        "X-Correlation-ID: <V>",
        "GET /api/v2/orders/<V> HTTP/1.1",
        "Subscription <V> reached its quota.",
        "Idempotency-Key: <V>",
    ]
    add(
        "uuid",
        "https://www.rfc-editor.org/rfc/rfc9562",
        ((fill_template(t, V=(v := uuid4(rng))), v) for t in spread(rng, uuid_templates, 24)),
    )

    rng = rng_for("neg:git")
    git_templates = [
        "git revert <V>",
        "The regression was introduced in commit <V>.",
        "cherry-pick <V> onto the release branch",
        "Deployed <V> to staging at 14:02.",
        "HEAD is now at <V> Merge pull request #481",
    ]
    sha_values = [r(rng, HEX, 40) for _ in range(14)] + [r(rng, HEX, 7) for _ in range(8)]
    add(
        "git_sha",
        "https://git-scm.com/book/en/v2/Git-Internals-Git-Objects",
        (
            (fill_template(t, V=v), v)
            for t, v in zip(spread(rng, git_templates, 22), sha_values, strict=True)
        ),
    )

    rng = rng_for("neg:digests")
    digests = []
    for _ in range(2):
        digests += [
            (f"{(v := r(rng, HEX, 64))}  release-2.4.1.tar.gz", v),
            (f"MD5 (backup.zip) = {(v := r(rng, HEX, 32))}", v),
            (f"sha1sum: {(v := r(rng, HEX, 40))}  installer.msi", v),
            (
                f'<script src="/app.js" '
                f'integrity="{(v := "sha384-" + b64(rand_bytes(rng, 48)))}"></script>',
                v,
            ),
            (f"image: ghcr.io/acme/api@{(v := 'sha256:' + r(rng, HEX, 64))}", v),
            (f'"integrity": "{(v := "sha512-" + b64(rand_bytes(rng, 64)))}"', v),
            (f'ETag: "{(v := r(rng, HEX, 32))}"', v),
            (f"Checksum (SHA-256): {(v := r(rng, HEX, 64).upper())}", v),
            (f"The file hash {(v := r(rng, HEX, 64))} matches VirusTotal's clean report.", v),
            (f"blake2b: {(v := r(rng, HEX, 128))}", v),
            (f"content-md5: {(v := b64(rand_bytes(rng, 16)))}", v),
            (f"go.sum: golang.org/x/net v0.25.0 h1:{(v := b64(rand_bytes(rng, 32)))}", v),
        ]
    add("hash_digest", "https://www.w3.org/TR/SRI/", digests)
    fingerprints = [
        (
            "The server's host key fingerprint is "
            f"SHA256:{(v := b64(rand_bytes(rng, 32)).rstrip('='))}.",
            v,
        )
        for _ in range(3)
    ] + [
        (f"ED25519 key fingerprint is SHA256:{(v := b64(rand_bytes(rng, 32)).rstrip('='))}", v)
        for _ in range(3)
    ]
    add("ssh_key_fingerprint", "https://man.openbsd.org/ssh-keygen", fingerprints)

    versions = [
        "1.2.3",
        "v2.14.0-rc.1",
        "Python 3.12.4",
        "10.0.19045.4529",
        "126.0.6478.127",
        "6.8.0-45-generic",
        "node v20.11.1",
        "OpenSSL 3.0.13",
        "17.0.11+9",
        "2024.06.1",
        "5.15.153.1-microsoft-standard-WSL2",
        "1.27.3-eks-2f008fe",
    ]
    add(
        "version_number",
        "https://semver.org/",
        ((f"We upgraded to {v} last night and the build broke.", v) for v in versions),
    )

    rng = rng_for("neg:orders")
    orders = []
    for _ in range(2):
        orders += [
            (f"Where is my order #{(v := f'{_d(rng, 3)}-{_d(rng, 7)}-{_d(rng, 7)}')}?", v),
            (f"Invoice {(v := f'INV-2025-{_d(rng, 6)}')} is overdue.", v),
            (f"PO number {(v := '45' + _d(rng, 8))} was approved.", v),
            (f"Ticket {(v := 'INC' + _d(rng, 10))} assigned to the network team.", v),
            (f"Salesforce case {(v := '0' + _d(rng, 7))} escalated.", v),
            (f"Booking reference {(v := r(rng, UPPER + DIGITS, 6))} for the Lisbon trip.", v),
            (f"Shipment {(v := '1Z' + r(rng, UPPER + DIGITS, 16))} left the depot.", v),
            (f"Pull request #{(v := str(rng.randint(1000, 99999)))} fixes the flaky test.", v),
            (f"Jira issue {(v := 'PLAT-' + str(rng.randint(100, 9999)))} blocks the release.", v),
            (f"Customer number {(v := 'C-' + _d(rng, 7))} requested a callback.", v),
            (f"Batch {(v := _d(rng, 4) + '-' + _d(rng, 2) + '-' + _d(rng, 5))} failed QA.", v),
        ]
    add("order_or_ticket_id", "https://en.wikipedia.org/wiki/Identifier", orders)
    add(
        "luhn_invalid_number",
        "https://en.wikipedia.org/wiki/Luhn_algorithm",
        ((f"Order number {(v := luhn_invalid(rng))} shipped on Tuesday.", v) for _ in range(10)),
    )
    add(
        "luhn_invalid_number",
        "https://en.wikipedia.org/wiki/Luhn_algorithm",
        ((f"Tracking: {(v := ' '.join(textwrap4(luhn_invalid(rng))))}", v) for _ in range(4)),
    )

    rng = rng_for("neg:dates")
    date_templates = [
        ("The release is planned for <V>.", lambda d: d.isoformat()),
        ("Meeting moved to <V> at 10:00.", lambda d: d.strftime("%d/%m/%Y")),
        ("Invoice date: <V>", lambda d: d.strftime("%d.%m.%Y")),
        (
            "The deadline is <V>, please plan accordingly.",
            lambda d: f"{MONTHS['en'][d.month - 1]} {d.day}, {d.year}",
        ),
        ("The company was founded on <V> in a garage.", lambda d: d.isoformat()),
        ("Last login: <V> 08:13:55 UTC", lambda d: d.isoformat()),
        ("Contract valid from <V> for 24 months.", lambda d: d.strftime("%m/%d/%Y")),
        ("Lieferdatum: <V>", lambda d: d.strftime("%d.%m.%Y")),
    ]
    add(
        "date_not_birth",
        "https://www.iso.org/iso-8601-date-and-time-format.html",
        (
            (fill_template(t, V=(v := f(birth_date(rng, 1995, 2027)))), v)
            for t, f in spread(rng, date_templates, 26)
        ),
    )

    prices = [
        "$1,299.99",
        "€ 4.50",
        "USD 12,500.00",
        "1 234 567,89 €",
        "¥128,000",
        "£89.00",
        "CHF 2'450.–",  # noqa: RUF001 - the native spelling
        "R$ 3.499,90",
        "₹ 45,999",
        "$0.0025 per 1K tokens",
    ]
    add(
        "price_or_amount",
        "https://www.iso.org/iso-4217-currency-codes.html",
        ((f"The quote came to {p}, is that reasonable?", p) for p in prices),
    )

    phone_like = [
        ("Employee ID 100-245-3391 is missing from payroll.", "100-245-3391"),
        ("Docket No. 2:23-cv-01234 was dismissed.", "2:23-cv-01234"),
        ("Patent US 11,234,567 B2 covers the hinge.", "11,234,567"),
        ("HS code 8471.30.0100 applies to laptops.", "8471.30.0100"),
        ("Serial SN 7731-4420-0912 is under warranty.", "7731-4420-0912"),
        ("Model number 1-800-series cabinets ship flat.", "1-800-series"),
        ("Room 1204, building 3, floor 12.", "1204"),
        ("The population grew to 8,336,817 in 2023.", "8,336,817"),
        ("Batch 2024-0614-3321 expired.", "2024-0614-3321"),
        ("Call stack depth was 1048576 frames.", "1048576"),
    ]
    add("number_not_phone", "https://www.nationalnanpa.com/area_codes/index.html", phone_like)

    test_cards = [
        "4242 4242 4242 4242",
        "4000 0566 5566 5556",
        "5555 5555 5555 4444",
        "2223 0031 2200 3222",
        "3782 822463 10005",
        "6011 1111 1111 1117",
        "3566 0020 2036 0505",
        "4000 0000 0000 0002",
    ]
    add(
        "documented_test_card",
        "https://docs.stripe.com/testing",
        (
            (f"For the checkout tests, use Stripe's test card {c} with any future expiry.", c)
            for c in test_cards
        ),
    )

    rng = rng_for("neg:isbn")
    books = [(f"ISBN {(v := isbn13(rng))} — can you summarise this book?", v) for _ in range(10)]
    books += [(f"Barcode {(v := ean13(rng))} scanned at till 4.", v) for _ in range(10)]
    add("isbn_or_ean", "https://www.isbn-international.org/content/what-isbn", books)

    rng = rng_for("neg:private_ip")
    private = [
        f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}" for _ in range(4)
    ]
    private += [f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}" for _ in range(4)]
    private += [
        f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}" for _ in range(3)
    ]
    private += [
        "127.0.0.1",
        f"169.254.{rng.randint(1, 254)}.{rng.randint(1, 254)}",
        f"fd{r(rng, HEX, 2)}:{r(rng, HEX, 4)}:{r(rng, HEX, 4)}::{r(rng, HEX, 3)}",
        "::1",
    ]
    ip_templates = [
        "The service listens on <V>:8080 inside the VPC.",
        "ping <V> times out from the build agent.",
        "upstream backend { server <V>:9000; }",
        "DB_HOST=<V>",
    ]
    add(
        "private_ip",
        "https://www.rfc-editor.org/rfc/rfc1918",
        (
            (fill_template(t, V=v), v)
            for t, v in zip(spread(rng, ip_templates, len(private)), private, strict=True)
        ),
    )
    doc_ips = [
        f"192.0.2.{rng.randint(1, 254)}",
        f"198.51.100.{rng.randint(1, 254)}",
        f"203.0.113.{rng.randint(1, 254)}",
        f"2001:db8::{r(rng, HEX, 4)}",
        f"2001:db8:{r(rng, HEX, 3)}::1",
        f"203.0.113.{rng.randint(1, 254)}",
    ]
    add(
        "documentation_ip",
        "https://www.rfc-editor.org/rfc/rfc5737",
        ((f"In the docs example the server address is {v}.", v) for v in doc_ips),
    )

    rng = rng_for("neg:public_keys")

    def s(data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + data

    pubs = []
    for _ in range(4):
        key = (
            "ssh-ed25519 "
            + b64(s(b"ssh-ed25519") + s(rand_bytes(rng, 32)))
            + f" {rng.choice(FIRST).lower()}@laptop"
        )
        pubs.append((f"Add my public key to the server's authorized_keys:\n{key}", key))
    for _ in range(3):
        spki = der(
            0x30, der(0x30, EC_ALG) + der(0x03, b"\0" + p256_public(rng.randrange(1, _P256_N)))
        )
        key = pem("PUBLIC KEY", spki)
        pubs.append((f"Here is our public key for verifying webhooks:\n{key}", key))
    for _ in range(3):
        cert = pem(
            "CERTIFICATE", der(0x30, der(0x30, der_int(rng.getrandbits(64)) + rand_bytes(rng, 300)))
        )
        pubs.append((f"The server presents this certificate, is the chain complete?\n{cert}", cert))
    add("public_key_or_certificate", "https://www.rfc-editor.org/rfc/rfc7468", pubs)

    rng = rng_for("neg:publishable")
    publishable = [
        (f"Stripe.js init: Stripe('{(v := 'pk_live_' + r(rng, ALNUM, 99))}')", v) for _ in range(4)
    ]
    publishable += [
        (f'const stripe = loadStripe("{(v := "pk_test_" + r(rng, ALNUM, 99))}");', v)
        for _ in range(2)
    ]
    add("stripe_publishable_key", "https://docs.stripe.com/keys#obtain-api-keys", publishable)
    add(
        "mapbox_public_token",
        "https://docs.mapbox.com/accounts/guides/tokens/#public-tokens",
        (
            (f"mapboxgl.accessToken = '{(v := 'pk.' + mapbox_secret(rng)[3:])}';", v)
            for _ in range(4)
        ),
    )
    add(
        "recaptcha_site_key",
        "https://developers.google.com/recaptcha/docs/display",
        (
            (
                f'<div class="g-recaptcha" '
                f'data-sitekey="{(v := "6L" + r(rng, URLSAFE, 38))}"></div>',
                v,
            )
            for _ in range(4)
        ),
    )

    rng = rng_for("neg:object_ids")
    stripe_ids, ai_ids, slack_ids = [], [], []
    for _ in range(2):
        stripe_ids += [
            (f"Refund the payment {(v := 'pi_3' + r(rng, ALNUM, 23))} in full.", v),
            (f"Customer {(v := 'cus_' + r(rng, ALNUM, 14))} upgraded to the annual plan.", v),
            (f"Charge {(v := 'ch_3' + r(rng, ALNUM, 23))} was disputed.", v),
            (f"Invoice {(v := 'in_1' + r(rng, ALNUM, 23))} failed to finalize.", v),
        ]
        ai_ids += [
            (f"The response id was {(v := 'chatcmpl-' + r(rng, ALNUM, 29))}.", v),
            (f"Uploaded {(v := 'file-' + r(rng, ALNUM, 22))} to the vector store.", v),
            (f"Assistant {(v := 'asst_' + r(rng, ALNUM, 24))} keeps timing out.", v),
            (f"Thread {(v := 'thread_' + r(rng, ALNUM, 24))} has 40 messages.", v),
            (f"Batch {(v := 'batch_' + r(rng, 'lowdig', 32))} completed.", v),
        ]
        slack_ids += [
            (f"Post it to Slack channel {(v := 'C0' + r(rng, 'updig', 9))}.", v),
            (f"The Slack user {(v := 'U0' + r(rng, 'updig', 9))} left the workspace.", v),
        ]
    add("stripe_object_id", "https://docs.stripe.com/api/payment_intents/object", stripe_ids)
    add("openai_object_id", "https://platform.openai.com/docs/api-reference/chat/object", ai_ids)
    add(
        "anthropic_message_id",
        "https://docs.anthropic.com/en/api/messages",
        ((f"Message {(v := 'msg_01' + r(rng, ALNUM, 22))} was truncated.", v) for _ in range(3)),
    )
    add("slack_object_id", "https://api.slack.com/types/conversation", slack_ids)

    rng = rng_for("neg:cloud_ids")
    aws_ids, workloads = [], []
    for _ in range(2):
        aws_ids += [
            (
                f"Assume role {(v := f'arn:aws:iam::{_d(rng, 12)}:role/DeployRole')} in the "
                "pipeline.",
                v,
            ),
            (f"Bucket policy for {(v := f'arn:aws:s3:::acme-{r(rng, LOWER, 6)}-logs')}", v),
            (f"Instance {(v := 'i-0' + r(rng, HEX, 16))} failed the health check.", v),
            (f"Launch from {(v := 'ami-0' + r(rng, HEX, 16))} in eu-west-1.", v),
            (f"Security group {(v := 'sg-0' + r(rng, HEX, 16))} allows 443.", v),
            (f"CloudFront distribution {(v := 'E' + r(rng, 'updig', 13))} serves the site.", v),
            (f"VPC {(v := 'vpc-0' + r(rng, HEX, 16))} peering is pending.", v),
        ]
        workloads += [
            (
                f"Pod {(v := f'web-{r(rng, "lowdig", 10)}-{r(rng, "lowdig", 5)}')} is in "
                "CrashLoopBackOff.",
                v,
            ),
            (f"Container {(v := r(rng, HEX, 64))} exited with code 137.", v),
        ]
    add(
        "aws_resource_id",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
        aws_ids,
    )
    add(
        "container_or_pod_name",
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
        workloads,
    )
    add(
        "azure_subscription_id",
        "https://learn.microsoft.com/en-us/azure/azure-portal/get-subscription-tenant-id",
        ((f"Azure subscription {(v := uuid4(rng))} is over budget.", v) for _ in range(3)),
    )

    rng = rng_for("neg:base64")
    png = b64(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rand_bytes(rng, 60))
    blobs = [
        (f'<img src="data:image/png;base64,{png}">', png),
        (f"echo {(v := b64(b'Hello, world! This is a test.'))} | base64 -d", v),
        (
            "The attachment header says Content-Transfer-Encoding: base64 and starts with "
            f"{(v := b64(rand_bytes(rng, 45)))}",
            v,
        ),
        (
            "font-face src: url(data:font/woff2;base64,"
            f"{(v := b64(b'wOF2' + rand_bytes(rng, 60)))})",
            v,
        ),
        (f"The protobuf payload is {(v := b64(rand_bytes(rng, 24)))} — decode it for me.", v),
        (
            "Cursor for the next page: "
            f"{(v := b64(json.dumps({'offset': 200, 'sort': 'created_at'}).encode()))}",
            v,
        ),
    ]
    add("base64_data", "https://www.rfc-editor.org/rfc/rfc2397", blobs)

    literals = [
        "0xdeadbeef",
        "#1a2b3c",
        "0x7fffffff",
        "0xFFFF0000",
        "[A-Za-z0-9]{32}",
        "rgba(0, 0, 0, 0.5)",
        "\\b[0-9a-f]{40}\\b",
        "1e-9",
    ]
    add(
        "code_literal",
        "https://www.w3.org/TR/css-color-4/#hex-notation",
        ((f"What does {v} mean in this snippet?", v) for v in literals),
    )

    rng = rng_for("neg:counters")
    counters = []
    for _ in range(2):
        counters += [
            (
                f"The event timestamp {(v := str(rng.randint(1_600_000_000, 1_800_000_000)))} "
                "looks off by an hour.",
                v,
            ),
            (f"created_at_ms={(v := str(rng.randint(1_600_000_000_000, 1_800_000_000_000)))}", v),
            (f"Process {(v := str(rng.randint(1000, 99999)))} was killed by the OOM killer.", v),
            (f"Processed {(v := f'{rng.randint(10**6, 10**8):,}')} records in 8231 ms.", v),
            (f"Row {(v := str(rng.randint(10**5, 10**7)))} has a malformed date.", v),
            (f"Port {(v := str(rng.randint(1024, 65535)))} is already in use.", v),
            (f"Build #{(v := str(rng.randint(1000, 99999)))} passed.", v),
            (f"Heap usage peaked at {(v := str(rng.randint(10**9, 10**10)))} bytes.", v),
            (f"Order total in cents: {(v := str(rng.randint(10**5, 10**8)))}", v),
            (f"Latency p99 was {(v := str(rng.randint(100, 9999)))} microseconds.", v),
        ]
    add(
        "counter_or_timestamp",
        "https://pubs.opengroup.org/onlinepubs/9699919799/basedefs/V1_chap04.html#tag_04_16",
        counters,
    )

    env_names = [
        "OPENAI_API_KEY",
        "GITHUB_TOKEN",
        "AWS_SECRET_ACCESS_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "DATABASE_PASSWORD",
        "ANTHROPIC_API_KEY",
        "SLACK_BOT_TOKEN",
        "NPM_TOKEN",
        "JWT_SECRET",
        "AZURE_CLIENT_SECRET",
    ]
    env_templates = [
        "Set <V> in your shell before running the script.",
        "Where do I find my <V>?",
        "The <V> variable is missing in production.",
        "<V> is injected by the CI runner.",
    ]
    rng = rng_for("neg:env")
    add(
        "env_var_name_only",
        "https://12factor.net/config",
        (
            (fill_template(t, V=v), v)
            for t, v in zip(spread(rng, env_templates, len(env_names)), env_names, strict=True)
        ),
    )

    kv = [
        '"token_type": "Bearer"',
        "grant_type=client_credentials",
        "sort_key=created_at",
        "primary_key: id",
        "password_min_length: 12",
        "secret_name: db-credentials",
        "key: value",
        "auth_method: oauth2",
        "api_version: 2024-06-01",
        "password_policy: strong",
        "token_endpoint: https://login.partner-portal.net/oauth2/token",
        '"keyId": "sig-2024-05"',
        "secretRef: name: app-secrets",
        "passwordless: true",
        "api_key_header: X-API-Key",
    ]
    add(
        "benign_key_value",
        "https://www.rfc-editor.org/rfc/rfc6749#section-5.1",
        ((f"Is this config line correct?\n{v}", v) for v in kv),
    )

    rng = rng_for("neg:masked")
    masked = [
        f"**** **** **** {_d(rng, 4)}",
        f"XXX-XX-{_d(rng, 4)}",
        f"sk-...{r(rng, ALNUM, 4)}",
        "ghp_************************************",
        f"DE** **** **** **** **{_d(rng, 2)} {_d(rng, 2)}",
        f"+49 *** ***** {_d(rng, 2)}",
        f"{rng.choice(LOWER)}***@gmail.com",
        f"•••• {_d(rng, 4)}",
        f"xxxx-xxxx-xxxx-{_d(rng, 4)}",
        "password: [hidden]",
        f"AKIA************{r(rng, B32, 4)}",
        f"IBAN ending in {_d(rng, 4)}",
    ]
    add(
        "masked_value",
        "https://www.pcisecuritystandards.org/document_library/",
        (
            (f"The support page shows {v} — is that enough to identify the account?", v)
            for v in masked
        ),
    )

    invalid_ssn = [
        "078-05-1120",
        "219-09-9999",
        f"000-{_d(rng, 2)}-{_d(rng, 4)}",
        f"666-{_d(rng, 2)}-{_d(rng, 4)}",
        f"{rng.randint(100, 665)}-00-{_d(rng, 4)}",
        f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-0000",
    ]
    add(
        "invalid_ssn",
        "https://www.ssa.gov/history/ssn/misused.html",
        ((f"Is {v} even a possible SSN? It was printed on a sample card.", v) for v in invalid_ssn),
    )

    rng = rng_for("neg:bad_iban")
    bad_ibans = []
    for cc in ["DE", "FR", "GB", "NL", "ES", "IT"]:
        structure = dict(numdb.get("iban").info(cc)[0][1])["bban"]
        bban = _bban(rng, structure)
        good = std_iban.calc_check_digits(cc + "00" + bban)
        bad = f"{(int(good) + rng.randint(1, 50)) % 97 + 2:02d}"
        bad_ibans.append(std_iban.format(cc + bad + bban))
    add(
        "iban_bad_checksum",
        "https://www.iso13616.org/",
        (
            (f"Payment reference {v} from the old system, what does it encode?", v)
            for v in bad_ibans
        ),
    )

    emails = [
        "user@example.com",
        "jane.doe@example.org",
        "noreply@example.net",
        "admin@example.com",
        "test@test.invalid",
        "alice@example.co",
    ]
    emails[-1] = "bob@foo.example"
    add(
        "documentation_email",
        "https://www.rfc-editor.org/rfc/rfc2606",
        ((f"In the sample request the recipient is {v}.", v) for v in emails),
    )

    fictional = [
        "+1 202-555-0143",
        "(212) 555-0198",
        "555-0172",
        "020 7946 0321",
        "07700 900123",
        "+44 113 496 0555",
    ]
    add(
        "fictional_phone",
        "https://www.ofcom.org.uk/phones-and-broadband/phone-numbers/numbers-for-drama",
        ((f"In the screenplay, the detective dials {v}.", v) for v in fictional),
    )

    rng = rng_for("neg:urls")
    urls = [
        f"https://github.com/acme/{r(rng, LOWER, 6)}/pull/{rng.randint(10, 9999)}",
        f"https://docs.google.com/document/d/{r(rng, URLSAFE, 44)}/edit",
        f"https://www.youtube.com/watch?v={r(rng, URLSAFE, 11)}",
        f"s3://acme-{r(rng, LOWER, 5)}-exports/2025/03/report.parquet",
        "postgres://app@db.internal.corp:5432/orders",
        f"https://drive.google.com/file/d/{r(rng, URLSAFE, 33)}/view",
        f"https://www.notion.so/Design-review-{r(rng, HEX, 32)}",
        "ssh://git@github.com/acme/infra.git",
        f"https://acme.atlassian.net/browse/PLAT-{rng.randint(100, 9999)}",
        f"https://zoom.us/j/{_d(rng, 11)}",
        "https://user@bitbucket.org/acme/app.git",
        f"https://www.dropbox.com/scl/fi/{r(rng, 'lowdig', 25)}/plan.pdf",
    ]
    add(
        "url_without_credentials",
        "https://www.rfc-editor.org/rfc/rfc3986",
        ((f"Can you open {u} and summarise it?", u) for u in urls),
    )

    plain = [
        "Write a SQL query that counts orders per customer for the last 30 days.",
        "Can you make this paragraph sound more professional? We shipped the feature late.",
        "def total(items):\n    return sum(i.price * i.qty for i in items)",
        "Translate 'the meeting is postponed to next week' into German and French.",
        "Explain the difference between TCP and UDP in two sentences.",
        "Draft a polite reply declining the invitation for Thursday at 3pm.",
        "Our Q3 revenue grew 12% while costs stayed flat at 3.4 million.",
        "Summarise the attached retro notes: the deploy failed because the cache was stale.",
        "What's a good name for an internal tool that tracks office plants?",
        "Refactor this: for i in range(len(xs)): print(xs[i])",
        "SELECT id, created_at FROM events WHERE type = 'login' ORDER BY created_at DESC LIMIT 50;",
        "Write a haiku about Kubernetes upgrades.",
        "List five icebreaker questions for a team offsite.",
        "Room 204 is booked from 10:00 to 11:30 for the design review.",
        'Convert this JSON to YAML: {"replicas": 3, "image": "nginx:1.27"}',
        "How do I centre a div horizontally and vertically with flexbox?",
        "The build takes 14 minutes; suggest ways to cache dependencies in CI.",
        "Rewrite the onboarding checklist as a table with owner and due date columns.",
        "Why does git say 'detached HEAD' after I check out a tag?",
        "Give me a regex that matches ISO dates like 2025-03-14.",
        "Plan a 3-day itinerary for Lisbon with one museum per day.",
        "Compare PostgreSQL and MySQL for a read-heavy analytics workload.",
        "Outline a blog post about reducing cloud costs by 20%.",
        "Create unit tests for a function that parses semantic versions.",
    ]
    add("plain_prompt", "https://www.rfc-editor.org/rfc/rfc4949", ((p, p) for p in plain))

    models = [
        "gpt-4o-2024-08-06",
        "claude-3-5-sonnet-20241022",
        "text-embedding-3-large",
        "meta-llama/Llama-3.1-8B-Instruct",
        "gemini-1.5-pro-002",
        "mistral-large-2407",
    ]
    add(
        "model_name",
        "https://platform.openai.com/docs/models",
        ((f"Switch the pipeline to {m} and compare the costs.", m) for m in models),
    )
    return out


def textwrap4(digits: str) -> list[str]:
    return [digits[i : i + 4] for i in range(0, len(digits), 4)]


def negative_rows(rows: Rows) -> None:
    for kind, text, value, source in negative_cases():
        rows.add("negatives", kind, text, value, source, positive=False, context="decoy")


# ---------------------------------------------------------------------------------------------

FAMILIES = (
    "secrets_vendor",
    "secrets_generic",
    "pii_contact",
    "pii_national",
    "pii_documents",
    "financial",
    "network",
    "negatives",
)


def build() -> dict[str, list[dict]]:
    rows = Rows()
    vendor_rows(rows)
    private_key_rows(rows)
    generic_rows(rows)
    email_rows(rows)
    phone_rows(rows)
    national_rows(rows)
    document_rows(rows)
    card_rows(rows)
    iban_rows(rows)
    bank_rows(rows)
    crypto_rows(rows)
    network_rows(rows)
    negative_rows(rows)
    return {family: rows.by_family[family] for family in FAMILIES}


def render(rows: list[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="directory for the .jsonl files")
    parser.add_argument(
        "--check", action="store_true", help="fail if the files differ from a fresh build"
    )
    args = parser.parse_args(argv)
    stale = []
    for family, rows in build().items():
        path = args.out / f"{family}.jsonl"
        text = render(rows)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
            continue
        path.write_text(text, encoding="utf-8")
        positives = sum(row["positive"] for row in rows)
        kinds = len({row["kind"] for row in rows})
        print(f"{path.name:24} {len(rows):5} rows ({positives} positive) {kinds:4} kinds")
    if stale:
        print("stale (run bench/dlp_eval/generate.py):", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
