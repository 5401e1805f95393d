import pytest
from aigate.inspect.custom import (
    ConfigError,
    CustomPattern,
    ExactMatch,
    KeywordList,
    build,
    edm_digest,
    load_digests,
)
from aigate.inspect.engine import Scanner


def _scan(text, **kwargs):
    return [
        (f.detector, text[f.start : f.end]) for f in Scanner(build(**kwargs), key=b"k").scan(text)
    ]


@pytest.mark.parametrize(
    ("words", "case_sensitive", "text", "found"),
    [
        (("Project Falcon",), False, "notes on project falcon launch", ["project falcon"]),
        (("Falcon",), False, "Falconry is a hobby", []),
        (("ACME-42",), True, "ticket ACME-42 and acme-42", ["ACME-42"]),
        (("C++",), False, "we use c++ here", ["c++"]),
    ],
)
def test_keyword_lists_match_whole_words_with_case_rules(words, case_sensitive, text, found):
    spec = KeywordList("codenames", words, case_sensitive)
    assert [v for _, v in _scan(text, keywords=[spec])] == found


def test_custom_pattern_with_context():
    spec = CustomPattern("employee_id", r"\bE\d{6}\b", context=("employee",))
    assert _scan("employee E123456", patterns=[spec]) == [("employee_id", "E123456")]
    assert _scan("part E123456", patterns=[spec]) == []


def test_custom_pattern_with_backtracking_construct_is_rejected_with_the_fix():
    with pytest.raises(ConfigError, match="look-around"):
        build(patterns=[CustomPattern("bad", r"(?=x)y")])


def test_exact_match_finds_listed_values_without_holding_them(tmp_path):
    key = b"edm-key"
    path = tmp_path / "customers.txt"
    path.write_text(f"# customer ids\n{edm_digest(key, 'CUST-000123')}\n")
    spec = ExactMatch("customer_id", load_digests(path), key, pattern=r"\bCUST-\d{6}\b")
    assert _scan("see CUST-000123 and CUST-000999", exact=[spec]) == [
        ("customer_id", "CUST-000123")
    ]


def test_malformed_digest_file_names_file_and_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("ok\n")
    with pytest.raises(ConfigError, match=r"bad.txt:1"):
        load_digests(path)
