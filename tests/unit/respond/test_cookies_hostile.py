"""Forged, replayed and malformed acknowledgement cookies and continue tokens: every one is
refused (the person sees the warn page again), none raises."""

from __future__ import annotations

import base64
import json

import pytest
from aigate.respond.cookies import COOKIE_NAME, AckSigner, ack_tokens, strip_ack_cookie
from hypothesis import given, settings
from hypothesis import strategies as st

KEY = bytes(range(32))
NOW = 1_800_000_000.0
EXPIRES = int(NOW) + 3600
SIGNER = AckSigner(KEY)
FACTS = ("alice", "chatgpt", "2026.1")
TOKEN = SIGNER.sign(*FACTS, EXPIRES)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _flip(token: str, index: int) -> str:
    ch = token[index]
    return token[:index] + ("A" if ch != "A" else "B") + token[index + 1 :]


expires_text, _, mac_text = TOKEN.partition(".")
FORGED = {
    "mac changed at the start": _flip(TOKEN, len(expires_text) + 1),
    "mac changed at the end": _flip(TOKEN, len(TOKEN) - 2),
    "mac truncated": TOKEN[:-4],
    "mac missing": expires_text + ".",
    "mac only": "." + mac_text,
    "expiry extended": f"{EXPIRES + 86400}.{mac_text}",
    "expiry with a sign": f"+{EXPIRES}.{mac_text}",
    "expiry in other digits": "".join(chr(0x660 + int(d)) for d in expires_text) + "." + mac_text,
    "expiry superscript": "\u00b2." + mac_text,
    "expiry huge": "9" * 40 + "." + mac_text,
    "other key": AckSigner(bytes(range(1, 33))).sign(*FACTS, EXPIRES),
    "expired": SIGNER.sign(*FACTS, int(NOW) - 1),
    "expires now": SIGNER.sign(*FACTS, int(NOW)),
    "another user's cookie": SIGNER.sign("bob", "chatgpt", "2026.1", EXPIRES),
    "another service's cookie": SIGNER.sign("alice", "claude", "2026.1", EXPIRES),
    "an older policy's cookie": SIGNER.sign("alice", "chatgpt", "2025.9", EXPIRES),
    "a continue token as cookie": SIGNER.sign_continue("alice", "chatgpt", "https://x/", NOW),
    "empty": "",
    "dots": "....",
    "garbage": "%00<script>\r\nSet-Cookie: x=1",
    "non-ascii mac": f"{EXPIRES}.{'é' * 43}",
    "oversized": f"{EXPIRES}." + "A" * 100_000,
    "padding games": f"{EXPIRES}.{mac_text}====",
}


@pytest.mark.parametrize("case", sorted(FORGED))
def test_forged_or_replayed_cookie_is_refused(case):
    assert SIGNER.verify(FORGED[case], *FACTS, NOW) is False


def test_the_genuine_cookie_verifies_so_the_refusals_mean_something():
    assert SIGNER.verify(TOKEN, *FACTS, NOW)


@pytest.mark.parametrize(
    "user, service, version",
    [
        ("alice\u0000", "chatgpt", "2026.1"),  # a NUL smuggled after the name
        ("alice", "chatgpt\u200b", "2026.1"),  # zero-width space
        ('alice","chatgpt', "", "2026.1"),  # field boundaries shifted
        ("ALICE", "chatgpt", "2026.1"),
        ("alice\udcff", "chatgpt", "2026.1"),  # a surrogate-escaped byte in the user name
    ],
)
def test_look_alike_facts_do_not_verify_and_do_not_raise(user, service, version):
    assert SIGNER.verify(TOKEN, user, service, version, NOW) is False
    assert SIGNER.verify(SIGNER.sign(user, service, version, EXPIRES), *FACTS, NOW) is False


@settings(max_examples=200, deadline=1000)
@given(token=st.text(max_size=200) | st.binary(max_size=200).map(_b64))
def test_arbitrary_cookie_values_are_refused_without_raising(token):
    assert SIGNER.verify(token, *FACTS, NOW) is False


# --- continue tokens --------------------------------------------------------------------------

RETURN = "https://chatgpt.com/c/1"
CONTINUE = SIGNER.sign_continue("alice", "chatgpt", RETURN, NOW)
body_text, _, cmac = CONTINUE.partition(".")


def _body(value: object) -> str:
    return _b64(json.dumps(value).encode()) + "." + cmac


FORGED_CONTINUE = {
    "another user": ("bob", CONTINUE),
    "service swapped": ("alice", _body(["claude", RETURN, int(NOW) + 600])),
    "return url swapped": ("alice", _body(["chatgpt", "https://evil.test/", int(NOW) + 600])),
    "expiry extended": ("alice", _body(["chatgpt", RETURN, int(NOW) + 99999])),
    "expiry a float": ("alice", _body(["chatgpt", RETURN, NOW + 600.0])),
    "expiry a bool": ("alice", _body(["chatgpt", RETURN, True])),
    "not a list": ("alice", _body({"a": 1, "b": 2, "c": 3})),
    "two fields": ("alice", _body(["chatgpt", RETURN])),
    "deep nesting": ("alice", _b64(b"[" * 6000 + b"]" * 6000) + "." + cmac),
    "not json": ("alice", _b64(b"\xff\xfe") + "." + cmac),
    "an acknowledgement cookie": ("alice", TOKEN),
    "oversized": ("alice", "A" * 9000 + "." + cmac),
    "expired": ("alice", SIGNER.sign_continue("alice", "chatgpt", RETURN, NOW - 601)),
}


@pytest.mark.parametrize("case", sorted(FORGED_CONTINUE))
def test_forged_continue_token_is_refused(case):
    subject, token = FORGED_CONTINUE[case]
    assert SIGNER.read_continue(token, subject, NOW) is None


@settings(max_examples=200, deadline=1000)
@given(token=st.text(max_size=300) | st.binary(max_size=300).map(lambda b: _b64(b) + "." + cmac))
def test_arbitrary_continue_tokens_are_refused_without_raising(token):
    assert SIGNER.read_continue(token, "alice", NOW) is None


# --- the Cookie header ------------------------------------------------------------------------


def test_many_cookies_are_all_read_and_all_stripped():
    header = "; ".join([f"{COOKIE_NAME}=forged{i}" for i in range(500)] + ["session=keep"])
    tokens = ack_tokens(header)
    assert len(tokens) == 500
    assert not any(SIGNER.verify(t, *FACTS, NOW) for t in tokens)
    assert strip_ack_cookie(header) == "session=keep"


@pytest.mark.parametrize(
    "header, kept",
    [
        (f" {COOKIE_NAME} = {TOKEN} ; a=1", "a=1"),  # spaces around the name
        (f"{COOKIE_NAME}={TOKEN};;;a=1;", "a=1"),
        (f"{COOKIE_NAME}", ""),  # a bare name
        (f"a=1; {COOKIE_NAME}=\r\nx", "a=1"),
    ],
)
def test_odd_cookie_syntax_never_leaks_the_cookie_upstream(header, kept):
    assert COOKIE_NAME not in strip_ack_cookie(header)
    assert strip_ack_cookie(header) == kept
