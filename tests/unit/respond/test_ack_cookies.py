"""Acknowledgement cookies and continue tokens: only the exact, unexpired grant verifies."""

from __future__ import annotations

import base64
import os
import stat

import pytest
from aigate.respond.cookies import (
    CONTINUE_TTL_SECONDS,
    COOKIE_NAME,
    KEY_ENV,
    AckSigner,
    ack_tokens,
    load_or_create_key,
    set_cookie_header,
    strip_ack_cookie,
)

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
NOW = 1_800_000_000.0
EXPIRES = int(NOW) + 3600
SIGNER = AckSigner(KEY)
TOKEN = SIGNER.sign("alice", "chatgpt", "2026.1", EXPIRES)


def _tamper(token: str) -> str:
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


@pytest.mark.parametrize(
    ("token", "user", "service", "version", "now", "valid"),
    [
        (TOKEN, "alice", "chatgpt", "2026.1", NOW, True),
        (TOKEN, "mallory", "chatgpt", "2026.1", NOW, False),
        (TOKEN, "alice", "claude", "2026.1", NOW, False),
        (TOKEN, "alice", "chatgpt", "2026.2", NOW, False),
        (TOKEN, "alice", "chatgpt", "2026.1", EXPIRES, False),
        (TOKEN, "alice", "chatgpt", "2026.1", EXPIRES + 1, False),
        (
            AckSigner(OTHER_KEY).sign("alice", "chatgpt", "2026.1", EXPIRES),
            "alice",
            "chatgpt",
            "2026.1",
            NOW,
            False,
        ),
        (_tamper(TOKEN), "alice", "chatgpt", "2026.1", NOW, False),
        (f"{EXPIRES + 999999}.{TOKEN.partition('.')[2]}", "alice", "chatgpt", "2026.1", NOW, False),
        ("", "alice", "chatgpt", "2026.1", NOW, False),
        ("garbage", "alice", "chatgpt", "2026.1", NOW, False),
        ("123.!!!", "alice", "chatgpt", "2026.1", NOW, False),
        (f"-1.{TOKEN.partition('.')[2]}", "alice", "chatgpt", "2026.1", NOW, False),
        ("9" * 20000, "alice", "chatgpt", "2026.1", NOW, False),
    ],
    ids=[
        "valid",
        "other user",
        "other service",
        "other policy version",
        "expired at the second",
        "expired",
        "other key",
        "tampered mac",
        "extended expiry",
        "empty",
        "garbage",
        "bad base64",
        "negative expiry",
        "huge",
    ],
)
def test_ack_verify(token: str, user: str, service: str, version: str, now: float, valid: bool):
    assert SIGNER.verify(token, user, service, version, now) is valid


def test_ack_fields_cannot_be_shifted_between_each_other() -> None:
    token = SIGNER.sign("a", "b,c", "v", EXPIRES)
    assert not SIGNER.verify(token, "a,b", "c", "v", NOW)


def test_ack_token_is_cookie_safe() -> None:
    assert all(c.isalnum() or c in "-_." for c in TOKEN)


def test_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        AckSigner(b"short")


CONTINUE = SIGNER.sign_continue("alice", "chatgpt", "https://chatgpt.com/c/1?x=1", NOW)


@pytest.mark.parametrize(
    ("token", "subject", "service", "url", "now", "valid"),
    [
        (CONTINUE, "alice", "chatgpt", "https://chatgpt.com/c/1?x=1", NOW, True),
        (
            CONTINUE,
            "alice",
            "chatgpt",
            "https://chatgpt.com/c/1?x=1",
            NOW + CONTINUE_TTL_SECONDS - 1,
            True,
        ),
        (
            CONTINUE,
            "alice",
            "chatgpt",
            "https://chatgpt.com/c/1?x=1",
            NOW + CONTINUE_TTL_SECONDS,
            False,
        ),
        (CONTINUE, "mallory", "chatgpt", "https://chatgpt.com/c/1?x=1", NOW, False),
        (CONTINUE, "alice", "claude", "https://chatgpt.com/c/1?x=1", NOW, False),
        (CONTINUE, "alice", "chatgpt", "https://evil.example/", NOW, False),
        (_tamper(CONTINUE), "alice", "chatgpt", "https://chatgpt.com/c/1?x=1", NOW, False),
        (TOKEN, "alice", "chatgpt", "https://chatgpt.com/c/1?x=1", NOW, False),
        ("x.y", "alice", "chatgpt", "https://chatgpt.com/c/1?x=1", NOW, False),
    ],
    ids=[
        "valid",
        "just before expiry",
        "expired",
        "other subject",
        "other service",
        "other return url",
        "tampered",
        "an ack cookie is not a continue token",
        "garbage",
    ],
)
def test_continue_verify(token, subject, service, url, now, valid) -> None:
    assert SIGNER.verify_continue(token, subject, service, url, now) is valid


def test_continue_token_carries_service_and_return_url() -> None:
    grant = SIGNER.read_continue(CONTINUE, "alice", NOW)
    assert grant is not None
    assert (grant.service_id, grant.return_url) == ("chatgpt", "https://chatgpt.com/c/1?x=1")
    assert AckSigner(OTHER_KEY).read_continue(CONTINUE, "alice", NOW) is None


def test_continue_token_cannot_be_used_as_ack_cookie() -> None:
    expires = str(int(NOW) + CONTINUE_TTL_SECONDS)
    forged = f"{expires}.{CONTINUE.partition('.')[2]}"
    assert not SIGNER.verify(forged, "alice", "chatgpt", "https://chatgpt.com/c/1?x=1", NOW)


def test_set_cookie_header_attributes() -> None:
    header = set_cookie_header(TOKEN, 86400)
    assert header.startswith(f"{COOKIE_NAME}={TOKEN}; ")
    attributes = {part.split("=")[0] for part in header.split("; ")[1:]}
    assert attributes == {"Max-Age", "Path", "HttpOnly", "Secure", "SameSite"}
    assert "Max-Age=86400" in header and "SameSite=Lax" in header and "Path=/" in header


@pytest.mark.parametrize(
    ("cookie", "stripped"),
    [
        (f"{COOKIE_NAME}=abc", ""),
        (f"a=1; {COOKIE_NAME}=abc; b=2", "a=1; b=2"),
        (f"{COOKIE_NAME}=abc;session=x==;theme=dark", "session=x==; theme=dark"),
        (f"a=1; {COOKIE_NAME}=x; {COOKIE_NAME}=y", "a=1"),
        (f"{COOKIE_NAME}_other=1; x{COOKIE_NAME}=2", f"{COOKIE_NAME}_other=1; x{COOKIE_NAME}=2"),
        ("a=1; b=2", "a=1; b=2"),
        ("", ""),
    ],
)
def test_strip_ack_cookie_keeps_other_cookies(cookie: str, stripped: str) -> None:
    assert strip_ack_cookie(cookie) == stripped


def test_ack_tokens_reads_every_aigate_cookie() -> None:
    assert ack_tokens(f"a=1; {COOKIE_NAME}=x; b=2; {COOKIE_NAME}=y") == ("x", "y")
    assert ack_tokens(None) == ()


def test_key_file_is_created_private_once_and_reused(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    path = tmp_path / "conf" / "aigate-ack.key"
    first = load_or_create_key(path)
    assert len(first) == 32
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_or_create_key(path) == first
    assert [p.name for p in path.parent.iterdir()] == ["aigate-ack.key"]


@pytest.mark.parametrize("encode", [bytes.hex, lambda k: base64.b64encode(k).decode()])
def test_key_from_environment_wins(tmp_path, monkeypatch, encode) -> None:
    monkeypatch.setenv(KEY_ENV, encode(OTHER_KEY))
    path = tmp_path / "key"
    assert load_or_create_key(path) == OTHER_KEY
    assert not path.exists()


def test_bad_keys_are_explained(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(KEY_ENV, "not-a-key")
    with pytest.raises(ValueError, match=KEY_ENV):
        load_or_create_key(tmp_path / "key")
    monkeypatch.delenv(KEY_ENV)
    bad = tmp_path / "bad"
    bad.write_text("zz\n")
    with pytest.raises(ValueError, match="delete it"):
        load_or_create_key(bad)
