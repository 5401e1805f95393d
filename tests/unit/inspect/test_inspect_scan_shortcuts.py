"""The scanner's shortcuts (work it skips because the answer is already known) never change
what it reports."""

from collections.abc import Callable

import pytest
from aigate.inspect.detectors.base import Detector
from aigate.inspect.engine import Scanner


def _detector(id_: str, pattern: str, **kwargs) -> Detector:
    return Detector(id_, "secret", pattern, source="https://example.org/spec", **kwargs)


def _counting(checked: list[str]) -> Callable[[str], bool]:
    """A validator that accepts every value and notes it in `checked`."""

    def check(value: str) -> bool:
        checked.append(value)
        return True

    return check


@pytest.mark.parametrize(
    "vendor_confidence",
    [
        "validated",  # surer than the generic detector can ever be
        "context",  # as sure as it can be, and it reads no label to win the tie by
    ],
)
def test_a_value_a_vendor_already_holds_as_surely_is_not_checked_by_a_later_detector(
    vendor_confidence,
):
    checked: list[str] = []
    vendor = _detector("vendor_key", r"vk_[a-z0-9]{12}", confidence=vendor_confidence)
    generic = _detector(
        "generic", r"key = (?P<v>[a-z_0-9]{15})", validator=_counting(checked),
        confidence="context", generic=True,
    )
    scanner = Scanner([generic, vendor], key=b"k")
    text = "key = vk_3kd9x0qp2m7z and key = 9f2kq8x1m4z7p0a"
    found = scanner.scan(text)
    assert [(f.detector, text[f.start : f.end]) for f in found] == [
        ("vendor_key", "vk_3kd9x0qp2m7z"),
        ("generic", "9f2kq8x1m4z7p0a"),
    ]
    assert checked == ["9f2kq8x1m4z7p0a"]
    # Collecting ignored placeholders runs every check, with the same findings.
    assert scanner.scan(text, []) == found
    assert checked == ["9f2kq8x1m4z7p0a", "vk_3kd9x0qp2m7z", "9f2kq8x1m4z7p0a"]


def test_a_shape_inside_a_labelled_value_is_not_checked():
    checked: list[str] = []
    labelled = _detector("labelled", r"key=(?P<v>[a-z0-9]{16})", confidence="context")
    shape = _detector("shape", r"\b[a-f0-9]{16}\b", validator=_counting(checked))
    scanner = Scanner([labelled, shape], key=b"k")
    text = "key=9f3a0c7e1b5d2a8e and 4c1e9a7f0b3d8e2a"
    assert [(f.detector, text[f.start : f.end]) for f in scanner.scan(text)] == [
        ("labelled", "9f3a0c7e1b5d2a8e"),
        ("shape", "4c1e9a7f0b3d8e2a"),
    ]
    assert checked == ["4c1e9a7f0b3d8e2a"]


def test_a_value_a_checksum_may_validate_is_checked_even_inside_a_validated_one():
    vendor = _detector("vendor_key", r"vk_[a-z0-9]{12}", confidence="validated")
    labelled = _detector(
        "labelled", r"vk_[a-z0-9]{12}", checksum=lambda value: True, context=("use",)
    )
    found = Scanner([vendor, labelled], key=b"k").scan("use vk_3kd9x0qp2m7z")
    assert [f.detector for f in found] == ["labelled"]  # as sure, and a label names it


def test_required_labels_select_their_detector_in_any_letter_case_and_script():
    sin = _detector(
        "sin", r"\b\d{3} \d{3} \d{3}\b", context=("sin", "пароль"), context_required=True
    )
    plain = _detector("plain", r"zz_[a-z0-9]{8}")
    scanner = Scanner([sin, plain], key=b"k")
    for text in ("SIN: 130 692 544", "sin 130 692 544", "ПАРОЛЬ 130 692 544"):
        assert [f.detector for f in scanner.scan(text)] == ["sin"], text
    assert scanner.scan("basin 130 692 544") == []
    assert [f.detector for f in scanner.scan("zz_a8k2m9q0")] == ["plain"]


def test_a_pattern_with_leading_text_finds_every_occurrence_and_keeps_its_word_boundary():
    swiss = _detector("che", r"\bCHE-\d{3}\.\d{3}\.\d{3}")
    scanner = Scanner([swiss], key=b"k")
    text = "xCHE-123.456.789 and CHE-987.654.321, CHE-111.222.333"
    assert [text[f.start : f.end] for f in scanner.scan(text)] == [
        "CHE-987.654.321",
        "CHE-111.222.333",
    ]


def test_a_later_detector_a_label_may_name_is_checked_unless_the_value_is_labelled_already():
    checked: list[str] = []
    first = _detector("first", r"\b\d{3} \d{3} \d{3}\b", confidence="context")
    later = _detector(
        "later", r"\b\d{3} \d{3} \d{3}\b", validator=_counting(checked), context=("sin",)
    )
    scanner = Scanner([first, later], key=b"k")
    # as sure as the first at best, and a label would win the tie: checked, then dropped
    assert [f.detector for f in scanner.scan("call 130 692 544")] == ["first"]
    assert [f.detector for f in scanner.scan("SIN 130 692 544")] == ["later"]
    assert checked == ["130 692 544", "130 692 544"]
    # once a labelled finding holds the value, a later one cannot win it: not checked
    labelled_first = _detector(
        "first", r"\b\d{3} \d{3} \d{3}\b", confidence="context", context=("sin",)
    )
    scanner = Scanner([labelled_first, later], key=b"k")
    assert [f.detector for f in scanner.scan("SIN 130 692 544")] == ["first"]
    assert checked == ["130 692 544", "130 692 544"]


def test_a_label_counts_only_where_a_word_starts_however_often_it_occurs_inside_words():
    label = _detector("label", r"\b\d{3} \d{3} \d{3}\b", context=("cp",), context_required=True)
    scanner = Scanner([label], key=b"k")
    assert scanner.scan("tcp tcp TCP 130 692 544") == []
    for text in ("cp 130 692 544", "tcp, TCP and then CP: 130 692 544", "tcptcp-cp 130 692 544"):
        assert [f.detector for f in scanner.scan(text)] == ["label"], text
