import uuid

import pytest
from aigate.inspect.detectors import builtin
from aigate.inspect.detectors.base import Detector
from aigate.inspect.engine import Scanner, _leading_literal, _loosen
from inspect_helpers import ALNUM, fullwidth, github_token, rand

URLSAFE = ALNUM + "_-"


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(key=b"k")


def test_ships_at_least_250_detectors_with_unique_ids_and_sources():
    detectors = builtin()
    ids = [d.id for d in detectors]
    assert len(ids) >= 250
    missing = [d.id for d in detectors if not d.source.startswith("https://")]
    assert missing == [], f"detectors without a source document: {missing}"
    assert len(set(ids)) == len(ids)


DECOYS = [
    "commit 3f786850e387550fdab836ed7e6dc881de23001b fixed it",  # git SHA
    f"request id {uuid.UUID(int=0x1234567890ABCDEF1234567890ABCDEF)}",
    "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "md5 d41d8cd98f00b204e9800998ecf8427e",
    "order number 1234 5678 9012 3456 shipped",  # fails Luhn
    "api_key = os.environ['OPENAI_API_KEY']",
    "OPENAI_API_KEY=<your-key>",
    "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
    "token: xxxxxxxxxxxxxxxxxxxxxxxx",
    "password: changeme",
    "see https://docs.python.org/3/library/re.html",
    "version 2.14.0 released 2024-05-01",
    "call me maybe",
    "The quick brown fox jumps over the lazy dog. " * 20,
]


@pytest.mark.parametrize("text", DECOYS)
def test_ordinary_look_alikes_are_not_findings(scanner, text):
    assert scanner.scan(text) == []


def test_findings_hold_offsets_preview_and_digest_never_the_value(scanner):
    text = "deploy with " + (token := github_token("ghp")) + " now"
    (f,) = scanner.scan(text)
    assert (f.detector, f.data_class) == ("github_pat", "secret")
    assert text[f.start : f.end] == token
    assert token not in repr(f)
    assert f.preview.startswith("ghp_") and "*" in f.preview
    assert f.digest == scanner.digest(token) and len(f.digest) == 32


def test_digest_is_keyed():
    assert Scanner(key=b"a").digest("x") != Scanner(key=b"b").digest("x")


@pytest.mark.parametrize(
    "text",
    [
        "card " + fullwidth("4111 1111 1111 1111"),
        "card 4111\u200b1111\u200b1111\u200b1111",  # zero-width spaces
        "card 4111\u20131111\u20131111\u20131111",  # en dashes
        "card 4111\u00a01111\u00a01111\u00a01111",  # no-break spaces
    ],
)
def test_unicode_tricks_do_not_hide_a_card_and_offsets_map_to_the_original(scanner, text):
    (f,) = scanner.scan(text)
    assert f.detector == "credit_card"
    assert text[f.start] in "4" + fullwidth("4") and text[f.end - 1] in "1" + fullwidth("1")


def test_offsets_are_characters_when_text_has_multibyte_characters(scanner):
    text = "Grüße — 🙂 mail jane.doe@acme-corp.io, 卡 4111 1111 1111 1111 🙂 bob@acme.io"
    values = [text[f.start : f.end] for f in scanner.scan(text)]
    assert values == ["jane.doe@acme-corp.io", "4111 1111 1111 1111", "bob@acme.io"]


def test_python_re_fallback_finds_the_same_as_re2():
    text = "mail jane@acme.io, card 4111111111111111, key " + github_token("ghp")
    fast = [(f.detector, f.start, f.end) for f in Scanner(key=b"k").scan(text)]
    slow = [(f.detector, f.start, f.end) for f in Scanner(key=b"k", engine="re").scan(text)]
    assert fast == slow and len(fast) == 3


def test_a_value_two_detectors_see_is_reported_once_by_the_more_confident(scanner):
    text = "api_key = sk-proj-" + rand(URLSAFE, 60)
    assert [f.detector for f in scanner.scan(text)] == ["openai_api_key"]


def test_public_ips_only_drops_private_addresses():
    scanner = Scanner.from_config(enabled={"ipv4_address"}, public_ips_only=True, key=b"k")
    assert [f.detector for f in scanner.scan("10.0.0.1 and 8.8.8.8")] == ["ipv4_address"]


def test_disabled_detectors_do_not_run():
    scanner = Scanner.from_config(disabled={"email"}, key=b"k")
    assert scanner.scan("jane@acme.io") == []


def test_unknown_detector_id_is_an_error_naming_it():
    with pytest.raises(ValueError, match="no_such_detector"):
        Scanner.from_config(enabled={"no_such_detector"})


def test_pathological_input_scans_in_linear_time(scanner):
    import time

    text = "a" * 200_000 + "@" + "-" * 100_000 + "=" * 100_000
    started = time.perf_counter()
    scanner.scan(text)
    assert time.perf_counter() - started < 1.0


def _detector(id_: str, pattern: str, **kwargs) -> Detector:
    return Detector(id_, "pii", pattern, source="https://example.org/spec", **kwargs)


def test_a_label_raises_a_pattern_finding_to_context_and_a_checksum_decides_validated_or_low():
    labelled = _detector("num", r"\b\d{6}\b", context=("ref",))
    checked = _detector("chk", r"\bK\d{5}\b", checksum=lambda v: int(v[-1]) % 2 == 0)
    scanner = Scanner([labelled, checked], key=b"k")
    text = "ref 123456 and later, " + "far " * 30 + "654321"
    found = {(f.detector, f.confidence) for f in scanner.scan(text)}
    assert found == {("num", "context"), ("num", "pattern")}
    levels = [f.confidence for f in scanner.scan("K12344 K12345")]
    assert levels == ["validated", "low"]


def test_a_required_label_must_be_a_whole_word_near_the_value():
    sin = _detector("sin", r"\b\d{9}\b", context=("sin",), context_required=True)
    scanner = Scanner([sin], key=b"k")
    assert scanner.scan("SIN: 046454286")
    assert scanner.scan("single 046454286") == []  # "sin" inside a word names nothing
    assert scanner.scan("Addis Ababa " + "x" * 70 + " 046454286") == []
    far = "sin " + "words " * 20 + "046454286"
    assert scanner.scan(far) == []


def test_regions_choose_which_national_formats_run():
    def ids(regions):
        scanner = Scanner.from_config(regions=regions, key=b"k")
        return {d.id for d in scanner.detectors}

    everywhere = ids(None)
    canada = ids(["CA"])
    national = {d.id for d in builtin() if d.regions}
    assert national <= everywhere
    assert {d.id for d in builtin() if "CA" in d.regions} <= canada
    assert not canada & {d.id for d in builtin() if d.regions and "CA" not in d.regions}


def test_on_a_tie_the_vendors_detector_names_the_value_not_the_generic_one():
    vendor = _detector("vendor_key", r"vk_[a-z0-9]{12}", confidence="validated")
    generic = _detector("generic", r"key = (?P<v>[a-z_0-9]{15})", generic=True,
                        confidence="validated")
    scanner = Scanner([generic, vendor], key=b"k")
    assert [f.detector for f in scanner.scan("key = vk_3kd9x0qp2m7z")] == ["vendor_key"]


@pytest.mark.parametrize(
    ("pattern", "loosened"),
    [
        ("pypi-[A-Za-z0-9]{50,1000}", "pypi-[A-Za-z0-9]{50,}"),
        (r"\d{3,9}", r"\d{3,9}"),
        (r"\{0,500\}", r"\{0,500\}"),
    ],
)
def test_large_counted_repeats_are_compiled_unbounded(pattern, loosened):
    assert _loosen(pattern) == loosened


@pytest.mark.parametrize(
    ("pattern", "lead"),
    [
        (r"\bCHE-?\d{3}", "CHE"),
        ("ghp_[A-Za-z0-9]{36}", "ghp_"),
        ("(?i)secret", None),
        ("abc|def", None),
        ("ab[cd]", None),
    ],
)
def test_a_pattern_starting_with_fixed_text_runs_only_where_that_text_is(pattern, lead):
    assert _leading_literal(pattern) == lead


def test_over_the_same_value_the_detector_a_label_names_is_kept():
    phone = _detector("phone", r"\b\d{3} \d{3} \d{3}\b", confidence="validated")
    sin = _detector("sin", r"\b\d{3} \d{3} \d{3}\b", context=("sin",), context_required=True,
                    confidence="validated")
    scanner = Scanner([phone, sin], key=b"k")
    assert [f.detector for f in scanner.scan("SIN: 130 692 544")] == ["sin"]
    assert [f.detector for f in scanner.scan("call 130 692 544")] == ["phone"]


def test_the_policys_countries_are_the_default_regions_and_dlp_regions_override_them():
    from aigate.inspect import build_scanner
    from aigate.policy.model import Dlp

    def ids(scanner):
        return {d.id for d in scanner.detectors}

    by_countries = ids(build_scanner(Dlp(), countries=["CA"]))
    assert "ca_sin" in by_countries and "de_tax_id" not in by_countries
    overridden = ids(build_scanner(Dlp(regions=["DE"]), countries=["CA"]))
    assert "de_tax_id" in overridden and "ca_sin" not in overridden
    assert {"ca_sin", "de_tax_id", "in_pan"} <= ids(build_scanner(Dlp()))


@pytest.mark.parametrize("engine", ["re2", "re"])
@pytest.mark.parametrize("half", ["\ud83d", "\ude00", "\udbff"])
def test_a_lone_surrogate_is_read_as_one_character_and_values_after_it_are_found(engine, half):
    """JSON may carry half an emoji (`"\\ud83d"`, a message cut at a length): the text is then
    no UTF-8, and the scan goes on, its offsets still the text's."""
    scanner = Scanner([d for d in builtin() if d.id == "credit_card"], key=b"k", engine=engine)
    text = f"{half} card 4111 1111 1111 1111 {half}"
    (found,) = scanner.scan(text)
    assert text[found.start : found.end] == "4111 1111 1111 1111"


@pytest.mark.parametrize("zero", [0x0660, 0x0966], ids=["arabic-indic", "devanagari"])
def test_a_card_written_in_another_scripts_digits_is_found_where_it_was_written(scanner, zero):
    number = "".join(chr(zero + int(c)) if c.isdigit() else c for c in "4111 1111 1111 1111")
    text = f"my card: {number} thanks"
    (found,) = [f for f in scanner.scan(text) if f.detector == "credit_card"]
    assert text[found.start : found.end] == number


def test_a_key_spelled_with_a_cyrillic_letter_is_found_where_it_was_written(scanner):
    key = "\u0410KIAQ3EGRLMNV4XKTYJW"  # its first letter Cyrillic
    text = f"aws_access_key_id = {key}"
    (found,) = [f for f in scanner.scan(text) if f.detector == "aws_access_key_id"]
    assert text[found.start : found.end] == key
