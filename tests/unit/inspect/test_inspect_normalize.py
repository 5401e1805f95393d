import sys
import unicodedata

import pytest
from aigate.inspect.normalize import DIGITS, normalize
from inspect_helpers import fullwidth


def test_ascii_text_is_returned_unchanged_without_a_map():
    n = normalize("plain ascii")
    assert n.text == "plain ascii" and n.span(0, 5) == (0, 5)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (fullwidth("123"), "123"),
        ("a\u200bb\u200dc\ufeffd", "abcd"),
        ("1\u20132\u20143\u22124", "1-2-3-4"),
        ("x\u00a0y\u3000z", "x y z"),
        ("ﬁle", "file"),
    ],
)
def test_hardening_folds_look_alikes(raw, clean):
    assert normalize(raw).text == clean


def test_span_maps_back_to_original_characters():
    raw = "id: " + fullwidth("4") + "\u200b" + fullwidth("2")
    n = normalize(raw)
    start = n.text.index("4")
    assert n.span(start, start + 2) == (4, 7)


def _script_digits(zero: int, number: str) -> str:
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in number)


@pytest.mark.parametrize(
    "zero", [0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x1040, 0x1D7CE],
    ids=["arabic-indic", "persian", "devanagari", "bengali", "thai", "myanmar", "math-bold"],
)
def test_digits_of_any_script_are_read_as_0_to_9_and_map_back(zero):
    raw = "card " + _script_digits(zero, "4111 1111 1111 1111")
    n = normalize(raw)
    assert n.text == "card 4111 1111 1111 1111"
    assert n.span(5, len(n.text)) == (5, len(raw))


def test_the_digit_table_holds_every_decimal_digit_unicode_knows():
    """Data, not a scan of the code space at import (a fifth of a second): checked here."""
    known = {
        chr(c) for c in range(0x80, sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Nd"
    }
    assert set(DIGITS) == known
    assert all(DIGITS[c] == str(unicodedata.decimal(c)) for c in known)


def test_prose_in_another_script_without_digits_is_left_alone():
    text = "Привет, как дела? नमस्ते दुनिया"
    n = normalize(text)
    assert n.text == text and n.span(0, 6) == (0, 6)


CYRILLIC_A, CYRILLIC_O, GREEK_KAPPA = "\u0410", "\u043e", "\u039a"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (f"key {CYRILLIC_A}KIAQ3EGRLMNV4XKTYJW.", "key AKIAQ3EGRLMNV4XKTYJW."),
        (f"ghp_{CYRILLIC_O}ne{CYRILLIC_O}", "ghp_oneo"),
        (f"A{GREEK_KAPPA}IA7", "AKIA7"),
    ],
)
def test_greek_and_cyrillic_look_alikes_inside_a_latin_word_are_read_as_latin(raw, clean):
    n = normalize(raw)
    assert n.text == clean
    assert n.span(0, len(n.text)) == (0, len(raw))


@pytest.mark.parametrize(
    "text",
    [
        "Привет, как дела? Сергей передал отчёт.",
        "Используйте API ключ для Python-клиента",
        "Καλημέρα, η ομάδα είναι έτοιμη",
        "un café très crème, naïve",
    ],
    ids=["russian", "russian-with-latin-words", "greek", "french"],
)
def test_words_all_in_one_script_keep_their_letters(text):
    assert normalize(text).text == text


def test_a_cyrillic_label_run_into_its_number_keeps_its_letters():
    """INN (a Russian tax number's label) written in Cyrillic against the digits: its И is no
    look-alike, so the word is Russian and its context word still reads."""
    text = "\u0418\u041d\u041d7707083893"
    assert normalize(text).text == text
