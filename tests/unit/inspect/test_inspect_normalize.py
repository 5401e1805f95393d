import pytest
from aigate.inspect.normalize import normalize
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
