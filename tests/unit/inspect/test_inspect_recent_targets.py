"""A request target (path and query) comes again and again from one client: its findings are
kept by the scanner that found them, keyed by a hash of the target, never by the target itself,
which may hold the very secret the scan is for."""

import gc
import time

from aigate.inspect import inspect_request
from aigate.inspect.detectors.base import Detector
from aigate.inspect.engine import Scanner
from aigate.inspect.result import Extraction
from aigate.inspect.url import URL_KIND, url_segments


def _scanner(checked: list[str], **kwargs) -> Scanner:
    def check(value: str) -> bool:
        checked.append(value)
        return True

    token = Detector("token", "secret", r"tok_[a-z0-9]{12}", source="https://example.org/spec",
                     validator=check)
    return Scanner([token], key=b"k", **kwargs)


def _url_findings(scanner: Scanner, target: str) -> list[str]:
    inspection = inspect_request(scanner, body=b"", path=target)
    return [f.preview for f in inspection.findings]


def test_a_target_sent_again_gets_its_findings_without_a_second_scan():
    checked: list[str] = []
    scanner = _scanner(checked)
    first = _url_findings(scanner, "/v1/x?key=tok_3kd9x0qp2m7z")
    assert len(first) == 1
    assert _url_findings(scanner, "/v1/x?key=tok_3kd9x0qp2m7z") == first
    assert checked == ["tok_3kd9x0qp2m7z"]


def test_short_targets_are_kept_too():
    """Unlike a prompt's texts (256 characters and up), a target is kept however short: most
    are `/v1/chat/completions`."""
    checked: list[str] = []
    scanner = _scanner(checked)
    for _ in range(3):
        assert len(_url_findings(scanner, "/tok_3kd9x0qp2m7z")) == 1
    assert checked == ["tok_3kd9x0qp2m7z"]


def test_another_target_is_scanned():
    checked: list[str] = []
    scanner = _scanner(checked)
    _url_findings(scanner, "/v1/x?key=tok_3kd9x0qp2m7z")
    _url_findings(scanner, "/v1/x?key=tok_3kd9x0qp2m7y")
    assert checked == ["tok_3kd9x0qp2m7z", "tok_3kd9x0qp2m7y"]


def test_the_characters_of_a_target_answered_again_are_told():
    told: list[int] = []
    scanner = _scanner([])
    scanner.on_reuse = told.append
    target = "/v1/x?key=tok_3kd9x0qp2m7z"
    _url_findings(scanner, target)
    assert told == []
    _url_findings(scanner, target)
    assert told == [sum(len(s.text) for s in url_segments(target))]


def test_a_new_scanner_after_a_reload_scans_the_target_again():
    checked: list[str] = []
    _url_findings(_scanner(checked), "/v1/x?key=tok_3kd9x0qp2m7z")
    _url_findings(_scanner(checked), "/v1/x?key=tok_3kd9x0qp2m7z")
    assert checked == ["tok_3kd9x0qp2m7z"] * 2


def test_nothing_is_kept_when_recent_is_zero():
    checked: list[str] = []
    scanner = _scanner(checked, recent=0)
    _url_findings(scanner, "/tok_3kd9x0qp2m7z")
    _url_findings(scanner, "/tok_3kd9x0qp2m7z")
    assert checked == ["tok_3kd9x0qp2m7z"] * 2


def test_an_extraction_without_its_source_is_always_scanned():
    checked: list[str] = []
    scanner = _scanner(checked)
    extraction = Extraction(URL_KIND, url_segments("/tok_3kd9x0qp2m7z"))
    scanner.scan_extraction(extraction)
    scanner.scan_extraction(extraction)
    assert checked == ["tok_3kd9x0qp2m7z"] * 2


def test_findings_kept_for_targets_are_forgotten_at_midnight(monkeypatch):
    """A date in a query (`?dob=...`) is judged against today's date."""
    monkeypatch.setattr("aigate.inspect.engine._next_midnight", lambda: time.time() + 1.0)
    checked: list[str] = []
    scanner = _scanner(checked)
    _url_findings(scanner, "/tok_3kd9x0qp2m7z")
    _url_findings(scanner, "/tok_3kd9x0qp2m7z")
    assert checked == ["tok_3kd9x0qp2m7z"]
    time.sleep(1.1)  # past the scanner's midnight
    _url_findings(scanner, "/tok_3kd9x0qp2m7z")
    _url_findings(scanner, "/tok_3kd9x0qp2m7z")
    assert checked == ["tok_3kd9x0qp2m7z"] * 2


def _containers_holding(needle: str) -> list[type]:
    """Types of the live containers that hold a string containing `needle`."""
    holders = []
    for obj in gc.get_objects():
        if isinstance(obj, dict):
            items = [*obj.keys(), *obj.values()]
        elif isinstance(obj, tuple | list):
            items = obj
        else:
            continue
        if any(isinstance(item, str) and needle in item for item in items):
            holders.append(type(obj))
    return holders


def test_no_target_or_decoded_value_stays_in_memory_after_the_request():
    """A key pasted into a query string must not outlive the request in a cache."""
    token = Detector("token", "secret", r"tok_[a-z0-9]{12}", source="https://example.org/spec")
    scanner = Scanner([token], key=b"k")
    secret = "tok_" + "q7z3kd9x0pm2"  # built here, so no constant of this module holds it
    for target in (f"/v1/x?key={secret}", f"/v1/{secret}/send", f"/v1/x?key={secret}"):
        inspection = inspect_request(scanner, body=b"", path=target)
        assert len(inspection.findings) == 1
    del inspection, target
    gc.collect()
    assert _containers_holding(secret[4:]) == []
