"""A detector's `first_start` (a cheap look before its RE2 pass) spares passes over prompts that
hold its atoms or labels but not its shape, and never changes what the scanner reports."""

import random
import string

import pytest
from aigate.inspect.detectors import builtin
from aigate.inspect.detectors.base import Detector, located_by, run_located
from aigate.inspect.engine import Scanner

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE64 = string.ascii_letters + string.digits + "+/"


def _detector(id_: str, pattern: str, **kwargs) -> Detector:
    return Detector(id_, "secret", pattern, source="https://example.org/spec", **kwargs)


def test_a_detector_is_searched_only_from_its_first_start():
    after_bang = _detector("after_bang", r"zz_[a-z0-9]{8}", first_start=lambda t: t.find(b"!"))
    scanner = Scanner([after_bang], key=b"k")
    text = "zz_a8k2m9q0 ! zz_b7k2m9q1"
    assert [text[f.start : f.end] for f in scanner.scan(text)] == ["zz_b7k2m9q1"]
    assert scanner.scan("zz_a8k2m9q0 and zz_b7k2m9q1") == []  # -1: no room for a match


def test_located_by_answers_the_first_place_a_pattern_matches_less_back():
    first_start = located_by(r"://[^\s@]*@", r"CHE-\d", back=3)
    assert first_start(b"see x CHE-1 or db://u:p@h") == 3
    assert first_start(b"http://u@h") == 1
    assert first_start(b"://u@h") == 0
    assert first_start(b"https://host/path") == -1
    assert located_by(r"<a>", r"(?i:value)=", back=None)(b"..... VALUE=") == 0


def test_run_located_answers_the_first_run_of_its_characters_less_back():
    first_start = run_located(string.digits, 6, back=4)
    assert first_start(b"abc 12345 x 1234567") == 8
    assert first_start(b"123456") == 0
    assert first_start("12345é6 ١٢٣٤٥٦".encode()) == -1  # ASCII digits only, as RE2's \d


def test_the_label_cp_is_not_read_inside_tcp():
    scanner = Scanner.from_config(enabled=["fr_postal_code"], key=b"k")
    assert scanner.scan("Explain TCP 75008 and UDP.") == []
    for text in ("CP 75008 Paris", "(cp 75008)", "x,CP 75008", "écp 75008"):
        assert [f.detector for f in scanner.scan(text)] == ["fr_postal_code"], text


_FRAGMENTS = (
    "<password>", "</password>", "<", ">", " ", "\n", "\t", "\f", "\v", "=", "==", "'", '"', "-",
    "value=", "VALUE = '", 'key="db_password" ', "'page_token'", '"csrf_token">', "<pwd>",
    '<ns:password a="<">', '<add key="Password" value="', "Zx8#kP2mQ9vL", "s3cr3tV4lue",
    "postgres://", "http://", "user:pa55@db.host", "://", "@", ":", "/", "[::1]", "0x",
    "0x" + "ab12" * 10, "CHE-", "123.456.789", "CHE-123.456.789", "U1", "U1AB12345C", "AB1234567C",
    "12-34-567890-12", "é", "\u212a", "密码", "license", "address", "aws",
)  # fmt: skip
_RUNS = (_B58, _BASE64, string.digits, "0123456789ABCDEF")


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randrange(1, 30)):
            if rng.random() < 0.25:
                run = rng.choice([1, 20, 31, 32, 33, 40, 44, 50, 51, 52, 86, 88])
                parts.append("".join(rng.choice(rng.choice(_RUNS)) for _ in range(run)))
            else:
                parts.append(rng.choice(_FRAGMENTS))
        texts.append("".join(parts))
    return texts


_GATED = sorted(d.id for d in builtin() if d.first_start is not None)


def test_the_detectors_with_a_common_label_or_atom_look_first():
    assert {
        "credential_xml", "password_in_url", "ethereum_address_labelled", "solana_address",
        "it_driving_licence", "kr_driving_licence", "ch_uid", "aws_secret_access_key",
        "azure_storage_key", "crypto_wif_private_key",
    } <= set(_GATED)  # fmt: skip


@pytest.mark.parametrize("detector_id", _GATED)
def test_first_start_never_answers_past_a_match_the_full_search_finds(detector_id):
    # Every value the pattern yields searching the whole text, and in the same order, from
    # the detector's first_start on (none when it answers -1); the shortcut, not the scanner,
    # is compared, so the texts need no label.
    scanner = Scanner([d for d in builtin() if d.id == detector_id], key=b"k")
    (compiled,) = scanner._compiled
    matched = 0
    for text in _texts(1500, seed=len(detector_id)):
        subject = text.encode()
        full = [s for s in scanner._spans(compiled, subject, 0) if 0 <= s[0] < s[1]]
        at = compiled.first_start(subject)
        shortcut = [] if at < 0 else [s for s in scanner._spans(compiled, subject, at)]
        assert full == [s for s in shortcut if 0 <= s[0] < s[1]], text
        matched += bool(full)
    assert matched >= 10  # the texts hold the shape often enough to test the shortcut
