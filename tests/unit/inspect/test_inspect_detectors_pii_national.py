import pytest
from aigate.inspect.detectors import pii_national
from inspect_helpers import hits, module_ids

CASES = {
    "us_ssn": (
        ["SSN 219-09-9998", "536 90 4399"],
        ["078-05-1120", "000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "219-09 9998"],
    ),
    "us_ssn_compact": (["ssn: 219099998"], ["order 219099998", "ssn 000123456"]),
    "us_itin": (["ITIN 912-70-1234", "912 80 1234"], ["912-40-1234", "812-70-1234"]),
    "uk_nino": (["NI number AB 12 34 56 C", "JG103759A"], ["BG123456A", "AB123456E", "DA123456A"]),
    "es_dni": (["DNI 54362315K", "NIE X-2482300-W"], ["54362315A"]),
    "br_cpf": (["CPF 390.533.447-05"], ["390.533.447-06"]),
    "fr_nir": (["NIR 2 95 10 99 126 111 93"], ["2 95 10 99 126 111 94"]),
    "it_codice_fiscale": (["CF RCCMNL83S18D969H"], ["RCCMNL83S18D969A"]),
    "nl_bsn": (["BSN 111222333"], ["BSN 111222334", "order 111222333"]),
    "in_aadhaar": (["Aadhaar 2341 2341 2346"], ["Aadhaar 2341 2341 2347", "2341 2341 2346"]),
    "ca_sin": (["SIN 130 692 544"], ["SIN 130 692 545", "130 692 544"]),
    "au_tfn": (["TFN 123 456 782"], ["TFN 123 456 783", "123 456 782"]),
    "de_tax_id": (["Steuer-ID 36 574 261 809"], ["Steuer-ID 36 574 261 808", "36574261809"]),
}


def test_every_detector_in_the_module_has_a_table():
    assert module_ids(pii_national) == set(CASES)


@pytest.mark.parametrize(
    ("detector", "text"), [(d, t) for d, (pos, _) in CASES.items() for t in pos]
)
def test_detects_positive_example(detector, text):
    assert hits(detector, text), f"{detector} missed {text!r}"


@pytest.mark.parametrize(
    ("detector", "text"), [(d, t) for d, (_, neg) in CASES.items() for t in neg]
)
def test_ignores_negative_example(detector, text):
    assert hits(detector, text) == []
