"""A text the scanner met recently (an earlier turn of a conversation, resent with every
request) gets the findings of that scan instead of a second scan: the same findings, kept in
bounded memory, keyed by a hash rather than the text."""

import threading
import time
from collections.abc import Callable

import pytest
from aigate.inspect.detectors.base import Detector
from aigate.inspect.engine import RECENT_TEXTS, Scanner
from aigate.inspect.result import Extraction, Segment

FILLER = "Please summarise the meeting notes and draft a reply to the team. " * 4  # 264 chars


def _counting_detector(checked: list[str]) -> Detector:
    """A detector of `tok_` tokens whose validator notes each value it is asked about."""

    def check(value: str) -> bool:
        checked.append(value)
        return True

    return Detector("token", "secret", r"tok_[a-z0-9]{12}", source="https://example.org/spec",
                    validator=check)


def _scanner(checked: list[str], **kwargs) -> Scanner:
    return Scanner([_counting_detector(checked)], key=b"k", **kwargs)


def test_a_text_scanned_again_gets_the_same_findings_without_a_second_scan():
    checked: list[str] = []
    scanner = _scanner(checked)
    text = FILLER + "use tok_3kd9x0qp2m7z today"
    first = scanner.scan(text)
    assert [text[f.start : f.end] for f in first] == ["tok_3kd9x0qp2m7z"]
    assert scanner.scan(text) == first
    assert checked == ["tok_3kd9x0qp2m7z"]


def test_a_text_differing_by_one_character_is_scanned():
    checked: list[str] = []
    scanner = _scanner(checked)
    scanner.scan(FILLER + "use tok_3kd9x0qp2m7z today")
    found = scanner.scan(FILLER + "use tok_3kd9x0qp2m7y today")
    assert len(found) == 1
    assert checked == ["tok_3kd9x0qp2m7z", "tok_3kd9x0qp2m7y"]


def test_the_characters_answered_from_recent_texts_are_told():
    told: list[int] = []
    scanner = _scanner([])
    scanner.on_reuse = told.append
    text = FILLER + "use tok_3kd9x0qp2m7z today"
    scanner.scan(text)
    assert told == []
    scanner.scan(text)
    scanner.scan("a short text")
    assert told == [len(text)]


def test_short_texts_are_scanned_every_time():
    checked: list[str] = []
    scanner = _scanner(checked)
    for _ in range(2):
        assert len(scanner.scan("use tok_3kd9x0qp2m7z today")) == 1
    assert checked == ["tok_3kd9x0qp2m7z"] * 2


def test_a_caller_collecting_ignored_values_always_gets_a_scan():
    checked: list[str] = []
    scanner = _scanner(checked)
    text = FILLER + "use tok_3kd9x0qp2m7z today"
    scanner.scan(text)
    assert len(scanner.scan(text, [])) == 1
    assert checked == ["tok_3kd9x0qp2m7z"] * 2


def test_no_texts_are_kept_when_recent_is_zero():
    checked: list[str] = []
    scanner = _scanner(checked, recent=0)
    text = FILLER + "use tok_3kd9x0qp2m7z today"
    scanner.scan(text)
    scanner.scan(text)
    assert checked == ["tok_3kd9x0qp2m7z"] * 2


def test_the_least_recently_used_text_is_forgotten_first():
    checked: list[str] = []
    scanner = _scanner(checked, recent=2)
    texts = [f"{FILLER} tok_{n}kd9x0qp2m7z" for n in range(3)]
    scanner.scan(texts[0])
    scanner.scan(texts[1])
    scanner.scan(texts[0])  # used again: now the most recent
    scanner.scan(texts[2])  # forgets texts[1]
    del checked[:]
    scanner.scan(texts[0])
    scanner.scan(texts[2])
    assert checked == []
    scanner.scan(texts[1])
    assert checked == ["tok_1kd9x0qp2m7z"]


def test_memory_is_bounded_by_the_number_of_texts():
    checked: list[str] = []
    scanner = _scanner(checked, recent=3)
    texts = [f"{FILLER} tok_{n}kd9x0qp2m7z" for n in range(4)]
    for text in texts:
        scanner.scan(text)
    del checked[:]
    for text in texts[1:]:
        scanner.scan(text)
    assert checked == []
    scanner.scan(texts[0])
    assert checked == ["tok_0kd9x0qp2m7z"]


def test_memory_is_bounded_by_the_findings_held(monkeypatch):
    monkeypatch.setattr("aigate.inspect.engine._RECENT_FINDINGS", 5)
    checked: list[str] = []
    scanner = _scanner(checked)
    many = FILLER + " ".join(f"tok_{n}kd9x0qp2m7z" for n in range(6))
    for _ in range(2):  # more findings than all it may hold: scanned each time, never kept
        assert len(scanner.scan(many)) == 6
    assert len(checked) == 12


def test_the_default_keeps_thousands_of_texts():
    assert RECENT_TEXTS >= 1000


def test_a_callers_changes_to_the_returned_list_do_not_reach_the_next_caller():
    scanner = _scanner([])
    text = FILLER + "use tok_3kd9x0qp2m7z today"
    scanner.scan(text).clear()
    assert len(scanner.scan(text)) == 1


def test_two_scanners_keep_their_own_texts():
    checked: list[str] = []
    text = FILLER + "use tok_3kd9x0qp2m7z today"
    _scanner(checked).scan(text)
    _scanner(checked).scan(text)
    assert checked == ["tok_3kd9x0qp2m7z"] * 2


def test_segments_met_again_keep_their_own_index_in_a_longer_conversation():
    scanner = _scanner([])
    turn = FILLER + "use tok_3kd9x0qp2m7z today"
    first = Extraction("openai", (Segment(turn, (("messages", 0, "content"),)),))
    resent = Extraction("openai", (Segment(FILLER, (("messages", 0, "content"),)),
                                   Segment(turn, (("messages", 1, "content"),))))
    assert [f.segment for f in scanner.scan_extraction(first)] == [0]
    assert [f.segment for f in scanner.scan_extraction(resent)] == [1]


def _from_threads(scan: Callable[[str], list], texts: list[str], threads: int) -> list:
    results: list = [None] * threads
    barrier = threading.Barrier(threads)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = [scan(t) for t in texts]

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


@pytest.mark.parametrize("recent", [4, RECENT_TEXTS])
def test_threads_sharing_a_scanner_get_what_one_scan_finds(recent):
    texts = [f"{FILLER} tok_{n % 7}kd9x0qp2m7z and {n}" for n in range(60)]
    expected = [_scanner([], recent=0).scan(t) for t in texts]
    scanner = _scanner([], recent=recent)
    for result in _from_threads(scanner.scan, texts, 4):
        assert result == expected


def test_findings_kept_from_yesterday_are_not_reused(monkeypatch):
    """Dates of birth and expiry dates are judged against today's date."""
    monkeypatch.setattr("aigate.inspect.engine._next_midnight", lambda: time.time() + 1.0)
    checked: list[str] = []
    scanner = _scanner(checked)
    text = FILLER + "use tok_3kd9x0qp2m7z today"
    scanner.scan(text)
    scanner.scan(text)
    assert checked == ["tok_3kd9x0qp2m7z"]
    time.sleep(1.1)  # past the scanner's midnight
    scanner.scan(text)
    scanner.scan(text)
    assert checked == ["tok_3kd9x0qp2m7z"] * 2
