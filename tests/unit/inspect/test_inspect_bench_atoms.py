"""`bench/literal_atoms.py`, the atoms `bench_scan.py --engines` gives Hyperscan in place of
FilteredRE2: every match of a pattern holds one of its atoms, or the comparison would flatter
Hyperscan by selecting too little."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import re2
from aigate.inspect.detectors import builtin
from aigate.inspect.engine import _loosen

BENCH = Path(__file__).parents[3] / "bench"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


literal_atoms = _module("literal_atoms").literal_atoms


@pytest.mark.parametrize(("pattern", "atoms"), [
    (r"\bghp_[A-Za-z0-9]{36}\b", {b"ghp_"}),
    (r"(?i:AKIA)[A-Z0-9]{16}", {b"akia"}),
    (r"(?:secret|token)_key\s*=", {b"secret_key", b"token_key"}),
    (r"xox[bp]-[0-9]{10,}", {b"xoxb-", b"xoxp-"}),
    (r"(?:api|app)[_-]?key", {b"apikey", b"api_key", b"api-key", b"appkey", b"app_key",
                              b"app-key"}),
    (r"密码\s*[:=]", {"密码".encode()}),
])
def test_the_atoms_of_a_pattern_are_the_literals_every_match_holds(pattern, atoms):
    assert literal_atoms(pattern) == atoms


@pytest.mark.parametrize("pattern", [
    r"\b\d{3}-\d{2}-\d{4}\b",  # digits only: ten choices a character
    r"[A-Za-z0-9+/]{40}",
    r"(?:ab|[0-9]{8})",  # one branch has no literal
    r"(?:key)?[a-f0-9]{32}",  # the literal is optional
])
def test_a_pattern_whose_matches_share_no_literal_has_no_atoms(pattern):
    assert literal_atoms(pattern) is None


def test_every_match_of_every_builtin_pattern_holds_one_of_its_atoms():
    """Over the DLP evaluation set (2,825 texts of 391 kinds and negatives) and bench prompts."""
    bench = _module("bench_scan")
    texts = [json.loads(line)["text"] for path in sorted((BENCH / "dlp_eval").glob("*.jsonl"))
             for line in path.read_text().splitlines() if line]
    subjects = [text.encode() for text in [*texts, *bench.prompts(1, 20)]]
    checked = 0
    for detector in builtin():
        pattern = _loosen(detector.pattern)
        atoms = literal_atoms(pattern)
        if atoms is None:
            continue
        regex = re2.compile(pattern.encode())
        for subject in subjects:
            for match in regex.finditer(subject):
                found = match.group().lower()
                assert any(atom in found for atom in atoms), (detector.id, found, atoms)
                checked += 1
    assert checked > 1500
