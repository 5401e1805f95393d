"""Signed acknowledgement cookies and continue-form tokens for the warn interstitial.

An acknowledgement cookie proves "this subject acknowledged this service under this policy
version until this time". The bound facts are not stored in the cookie, only the expiry and an
HMAC over all of them, so a cookie copied to another user, service or policy version fails.
The continue token is a second, short-lived kind (its own HMAC domain) that carries the service
and the page to return to, so the acknowledgement endpoint cannot be driven by a forged form.
Replicas that share the key honour each other's tokens.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

COOKIE_NAME = "aigate_ack"
KEY_ENV = "AIGATE_ACK_KEY"
KEY_BYTES = 32
MIN_KEY_BYTES = 16
CONTINUE_TTL_SECONDS = 600

_ACK = "ack1"
_CONTINUE = "cont1"
_MAX_TOKEN = 8192


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class ContinueGrant:
    """What a verified continue token allows: acknowledging `service_id`, then `return_url`."""

    service_id: str
    return_url: str
    expires: int


class AckSigner:
    """HMAC-SHA256 signer for acknowledgement cookies and continue tokens."""

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"acknowledgement key must be at least {MIN_KEY_BYTES} bytes")
        self._key = key

    def _mac(self, *fields: str | int) -> bytes:
        # JSON keeps the field boundaries unambiguous whatever the user or URL contains.
        # `surrogatepass`: a user name decoded with surrogate escapes still signs, distinctly.
        message = json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode(
            "utf-8", "surrogatepass"
        )
        return hmac.new(self._key, message, hashlib.sha256).digest()

    def sign(self, user: str, service_id: str, policy_version: str, expires: int) -> str:
        """Cookie value: `<expires>.<mac>`; `user` is the user name or, unauthenticated, the IP."""
        mac = self._mac(_ACK, user, service_id, policy_version, int(expires))
        return f"{int(expires)}.{_b64(mac)}"

    def verify(
        self, token: str, user: str, service_id: str, policy_version: str, now: float
    ) -> bool:
        """True only for an unexpired token signed with this key for exactly these facts."""
        if not token or len(token) > _MAX_TOKEN:
            return False
        expires_text, _, mac_text = token.partition(".")
        # ASCII digits only: `str.isdigit` also accepts "²", which `int` refuses.
        if not (expires_text.isascii() and expires_text.isdigit()) or len(expires_text) > 12:
            return False
        if not mac_text:
            return False
        expires = int(expires_text)
        try:
            mac = _unb64(mac_text)
        except (binascii.Error, ValueError):
            return False
        if _b64(mac) != mac_text:  # one spelling per cookie: no padding or alphabet variants
            return False
        expected = self._mac(_ACK, user, service_id, policy_version, expires)
        return hmac.compare_digest(mac, expected) and now < expires

    def sign_continue(self, subject: str, service_id: str, return_url: str, now: float) -> str:
        """Token for the warn page's continue form, valid for CONTINUE_TTL_SECONDS."""
        expires = int(now) + CONTINUE_TTL_SECONDS
        body = json.dumps([service_id, return_url, expires], separators=(",", ":")).encode()
        mac = self._mac(_CONTINUE, subject, service_id, return_url, expires)
        return f"{_b64(body)}.{_b64(mac)}"

    def read_continue(self, token: str, subject: str, now: float) -> ContinueGrant | None:
        """The service and return URL a valid continue token for `subject` carries, else None."""
        if not token or len(token) > _MAX_TOKEN:
            return None
        body_text, _, mac_text = token.partition(".")
        try:
            service_id, return_url, expires = json.loads(_unb64(body_text))
            mac = _unb64(mac_text)
        except (binascii.Error, ValueError, TypeError, RecursionError):
            return None
        if not (
            isinstance(service_id, str) and isinstance(return_url, str) and type(expires) is int
        ):
            return None
        expected = self._mac(_CONTINUE, subject, service_id, return_url, expires)
        if not hmac.compare_digest(mac, expected) or now >= expires:
            return None
        return ContinueGrant(service_id, return_url, expires)

    def verify_continue(
        self, token: str, subject: str, service_id: str, return_url: str, now: float
    ) -> bool:
        """True when the token is valid for `subject` and carries this service and return URL."""
        grant = self.read_continue(token, subject, now)
        return grant is not None and (grant.service_id, grant.return_url) == (
            service_id,
            return_url,
        )


def set_cookie_header(token: str, max_age: int, *, secure: bool = True) -> str:
    """Set-Cookie value for an acknowledgement: host-only, HttpOnly, SameSite=Lax, Path=/."""
    parts = [f"{COOKIE_NAME}={token}", f"Max-Age={max(0, int(max_age))}", "Path=/", "HttpOnly"]
    if secure:
        parts.append("Secure")
    parts.append("SameSite=Lax")
    return "; ".join(parts)


def _pairs(cookie_header: str) -> list[tuple[str, str]]:
    out = []
    for part in cookie_header.split(";"):
        name, sep, value = part.strip().partition("=")
        if name or sep:
            out.append((name.strip(), value.strip()))
    return out


def ack_tokens(cookie_header: str | None) -> tuple[str, ...]:
    """Every aigate acknowledgement value in a Cookie header (a browser may send several)."""
    if not cookie_header:
        return ()
    return tuple(value for name, value in _pairs(cookie_header) if name == COOKIE_NAME)


def strip_ack_cookie(cookie_header: str) -> str:
    """The Cookie header without aigate's cookie, other cookies untouched; "" when none remain.

    The upstream service must never see aigate's cookie.
    """
    kept = [part.strip() for part in cookie_header.split(";")]
    kept = [p for p in kept if p and p.partition("=")[0].strip() != COOKIE_NAME]
    return "; ".join(kept)


def decode_key(text: str) -> bytes | None:
    text = text.strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        try:
            key = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
        except (binascii.Error, ValueError):
            return None
    return key if len(key) >= MIN_KEY_BYTES else None


def load_or_create_key(path: str | os.PathLike[str]) -> bytes:
    """The acknowledgement key: $AIGATE_ACK_KEY (hex or base64) if set, else the key file.

    The file holds 32 random bytes as hex, mode 0600; it is created once (atomically, so two
    starting replicas agree) and reused, so acknowledgements survive restarts.
    """
    env = os.environ.get(KEY_ENV)
    if env:
        key = decode_key(env)
        if key is None:
            raise ValueError(
                f"{KEY_ENV} must be at least {MIN_KEY_BYTES} bytes as hex or base64; "
                f"generate one with: python3 -c 'import secrets; print(secrets.token_hex(32))'"
            )
        return key
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Write a private temporary file, then link it into place: the link fails if another
        # process won the race, and nobody ever reads a half-written key.
        tmp = file.with_name(f".{file.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_bytes(KEY_BYTES).hex() + "\n")
        try:
            os.link(tmp, file)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = decode_key(file.read_text(encoding="ascii", errors="replace"))
    if key is None:
        raise ValueError(
            f"{file}: not a valid acknowledgement key (expected hex of at least "
            f"{MIN_KEY_BYTES} bytes); delete it to generate a new one"
        )
    return key
