import pytest
from aigate.inspect.detectors import company
from inspect_helpers import hits, module_ids

CASES = {
    "confidential_marking": (
        [
            "CONFIDENTIAL - Q3 board deck",
            "Strictly: INTERNAL USE ONLY",
            "ATTORNEY-CLIENT PRIVILEGED",
        ],
        ["is this confidential?", "Confidential information policy", "UNCONFIDENTIALLY"],
    ),
}


def test_every_detector_in_the_module_has_a_table():
    assert module_ids(company) == set(CASES)


@pytest.mark.parametrize(("detector", "text"), [(d, t) for d, (p, _) in CASES.items() for t in p])
def test_detects_positive_example(detector, text):
    assert hits(detector, text)


@pytest.mark.parametrize(("detector", "text"), [(d, t) for d, (_, n) in CASES.items() for t in n])
def test_ignores_negative_example(detector, text):
    assert hits(detector, text) == []
