"""National-number detectors: the rules every region module keeps, the shared helpers, and the
table machinery the region test files use (`Row`, `make`, `run_row`).

A table row is a sentence and the confidence expected for it. The value is marked «like this» in
the sentence (the marks are removed before scanning); a row expecting None finds nothing."""

from __future__ import annotations

import itertools
import random
import re
import string

import pytest
from aigate.inspect.detectors import (
    financial,
    pii_national,
    pii_national_africa_middle_east,
    pii_national_americas,
    pii_national_asia_pacific,
    pii_national_europe_east,
    pii_national_europe_south,
    pii_national_europe_west,
    pii_national_nordic,
)
from aigate.inspect.detectors.base import Detector
from inspect_helpers import levels

REGION_MODULES = (
    pii_national_americas,
    pii_national_europe_west,
    pii_national_europe_south,
    pii_national_nordic,
    pii_national_europe_east,
    pii_national_asia_pacific,
    pii_national_africa_middle_east,
)
NATIONAL = [d for module in REGION_MODULES for d in module.DETECTORS]
OWNED = [*NATIONAL, *financial.DETECTORS]

Row = tuple[str, str | None]


def detector(detector_id: str) -> Detector:
    (found,) = [d for d in OWNED if d.id == detector_id]
    return found


def make(detector_id: str, template: str, *, valid: bool = True, seed: int = 1) -> str:
    """A value of `template` for the detector: `#` becomes a random digit, each `?` a character
    chosen so that the value fits the pattern and validator and passes (valid=True) or fails
    its checksum."""
    d = detector(detector_id)
    pattern = re.compile(d.pattern, re.ASCII)
    rng = random.Random(seed)
    alphabet = string.digits + string.ascii_uppercase
    for _ in range(200):
        body = [rng.choice(string.digits) if ch == "#" else ch for ch in template]
        holes = [i for i, ch in enumerate(body) if ch == "?"]
        for combo in itertools.product(alphabet, repeat=len(holes)):
            for i, ch in zip(holes, combo, strict=True):
                body[i] = ch
            value = "".join(body)
            if not any(m.group(0) == value for m in pattern.finditer(value)):
                continue
            if d.validator is not None and not d.validator(value):
                continue
            if d.checksum is None or d.checksum(value) == valid:
                return value
    raise AssertionError(f"{detector_id}: no {'valid' if valid else 'failing'} {template!r}")


def run_row(detector_id: str, text: str, want: str | None) -> None:
    marked = re.search("«(.*?)»", text)
    plain = text.replace("«", "").replace("»", "")
    found = levels(detector_id, plain)
    if want is None:
        assert found == [], f"{detector_id} found {found} in {plain!r}"
    else:
        assert marked is not None, f"mark the value in {text!r}"
        assert found == [(marked.group(1), want)], f"{detector_id} in {plain!r}"


def table_rules(cases: dict[str, list[Row]], module) -> None:
    """Every detector of the module has a table with a positive and a negative row, and a
    detector with a checksum has a failing row ("low")."""
    assert set(cases) == {d.id for d in module.DETECTORS}
    for d in module.DETECTORS:
        wants = [want for _, want in cases[d.id]]
        assert any(w in ("validated", "context") for w in wants), f"{d.id}: no positive row"
        assert None in wants, f"{d.id}: no negative row"
        if d.checksum is not None:
            assert "low" in wants, f"{d.id}: no row failing its checksum"


def glued_rule(cases: dict[str, list[Row]]) -> None:
    """A value a table finds is not found once it is glued to a longer code by "-" or "/"."""
    for detector_id, table in cases.items():
        for text, want in table:
            if want in ("validated", "context"):
                value = re.search("«(.*?)»", text).group(1)
                plain = text.replace("«", "").replace("»", "")
                for glued in (value + "-X7", "X7/" + value):
                    assert levels(detector_id, plain.replace(value, glued)) == [], glued


def rows(cases: dict[str, list[Row]]) -> list:
    return [
        pytest.param(d, text, want, id=f"{d}-{i}")
        for d, table in cases.items()
        for i, (text, want) in enumerate(table)
    ]


# --- the rules every national detector keeps -------------------------------------------------


@pytest.mark.parametrize("d", NATIONAL, ids=lambda d: d.id)
def test_national_detector_names_its_regions_source_and_description(d):
    import phonenumbers

    assert d.regions and set(d.regions) <= phonenumbers.SUPPORTED_REGIONS  # what dlp.regions takes
    assert d.source.startswith("https://")
    assert d.description.endswith(".")
    assert d.data_class == "pii"


@pytest.mark.parametrize("d", OWNED, ids=lambda d: d.id)
def test_labels_are_lower_case_and_required_labels_exist(d):
    assert all(word == word.lower() for word in d.context)
    assert d.context or not d.context_required


@pytest.mark.parametrize("d", OWNED, ids=lambda d: d.id)
def test_patterns_compile_in_re2(d):
    import re2  # a dependency of the project: the test must run, never skip
    re2.compile(d.pattern.encode())


def test_national_ids_are_unique_and_prefixed_by_their_country():
    ids = [d.id for d in NATIONAL]
    assert len(ids) == len(set(ids))
    for d in NATIONAL:
        assert d.id[:2].upper() in {*d.regions, "UK"} or d.id.startswith("eu_"), d.id


def test_there_are_sixty_or_more_of_these_detectors():
    assert len(OWNED) >= 60


# --- shared helpers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "sample"),
    [
        ("123456789", True),
        ("987-65-4321", True),
        ("000000000", True),
        ("121212121", True),
        ("111-22-3333", True),
        ("219-09-9998", False),
        ("36 574 261 809", False),
        ("12345", False),  # too short to tell
    ],
)
def test_typed_samples_are_told_from_issued_numbers(value, sample):
    assert pii_national.typed(value) is sample


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("customer 36 574 261 809 on file", "36 574 261 809"),
        ("IBAN TN59 A000 36 574 261 809", None),  # a group before it
        ("36 574 261 809 7 items", None),  # a group after it
        ("ABN 36 574 261 809", "36 574 261 809"),  # a word in capitals is no group
    ],
)
def test_alone_reads_a_grouped_number_only_outside_longer_runs(text, value):
    regex = re.compile(pii_national.alone(r"\b\d{2} \d{3} \d{3} \d{3}\b"))
    found = [m.group("v") for m in regex.finditer(text)]
    assert [v for v in found if v] == ([value] if value else [])


def test_short_labels_are_spelled_out_with_their_endings():
    words = pii_national.labels("SIN", "social insurance")
    assert "sin:" in words and "sin " in words and "sin#" in words
    assert "sin" not in words  # would be found in "since" and "single"
    assert "social insurance" in words


def test_official_splits_layout_from_check_digit():
    from stdnum.pl import pesel

    checks = pii_national.official(pesel, pesel.get_birth_date)
    good = make("pl_pesel", "920417####?")
    wrong_check = good[:-1] + str((int(good[-1]) + 1) % 10)
    wrong_date = "920434" + good[6:]  # 34 April
    assert checks["validator"](good) and checks["checksum"](good)
    assert checks["validator"](wrong_check) and not checks["checksum"](wrong_check)
    assert not checks["validator"](wrong_date)


def test_make_builds_values_that_pass_or_fail_the_check():
    good = make("pl_pesel", "850315####?")
    bad = make("pl_pesel", "850315####?", valid=False)
    assert detector("pl_pesel").checksum(good)
    assert not detector("pl_pesel").checksum(bad)


def test_dlp_regions_choose_the_national_detectors():
    from aigate.inspect.engine import Scanner

    ids = {d.id for d in Scanner.from_config(regions=["de"], key=b"k").detectors}
    assert {"de_tax_id", "de_kvnr", "eu_vat", "iban", "credit_card"} <= ids
    assert not {"us_ssn", "in_aadhaar", "fr_nir", "aba_routing"} & ids
