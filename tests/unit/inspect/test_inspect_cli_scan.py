"""`aigate scan` through `aigate.cli.main`."""

import io
import json

import pytest
from aigate.cli import main
from aigate.inspect.custom import edm_digest

CARD = "4111 1111 1111 1111"


def run(capsys, monkeypatch, stdin: str, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["scan", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_plain_output_lists_findings_with_redacted_previews(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, f"pay {CARD}\n")
    assert code == 1
    assert out == "4-23\tcredit_card\tfinancial\tvalidated\t4111 **** **** 1111\n"


def test_clean_text_exits_zero(capsys, monkeypatch):
    assert run(capsys, monkeypatch, "hello world")[:2] == (0, "")


def test_json_output_from_a_file(capsys, monkeypatch, tmp_path):
    path = tmp_path / "p.txt"
    path.write_text(f"mail jane@acme.io card {CARD}")
    _, out, _ = run(capsys, monkeypatch, "", str(path), "--json")
    findings = json.loads(out)["findings"]
    assert [(f["detector"], f["class"]) for f in findings] == [
        ("email", "pii"),
        ("credit_card", "financial"),
    ]
    assert CARD not in out and "jane@acme.io" not in out


def test_jsonl_offsets_are_characters_of_the_input_text(capsys, monkeypatch):
    lines = [{"id": "a", "text": f"é🙂 {CARD}"}, {"id": 7, "text": "clean"}]
    _, out, _ = run(capsys, monkeypatch, "\n".join(json.dumps(x) for x in lines), "--jsonl")
    first, second = (json.loads(line) for line in out.splitlines())
    (f,) = first["findings"]
    assert lines[0]["text"][f["start"] : f["end"]] == CARD
    assert set(f) >= {"detector", "class", "start", "end", "preview"}
    assert second == {"id": 7, "findings": []}


def test_jsonl_bad_line_names_the_line(capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, '{"id": 1}\n', "--jsonl")
    assert code == 2 and "line 1" in err


def test_list_names_every_detector(capsys, monkeypatch):
    _, out, _ = run(capsys, monkeypatch, "", "--list")
    assert len(out.splitlines()) >= 60 and "credit_card\tfinancial" in out


def test_hash_values_makes_exact_match_digests(capsys, monkeypatch):
    monkeypatch.setenv("AIGATE_EDM_KEY", "k")
    _, out, _ = run(capsys, monkeypatch, "CUST-1\n\nCUST-2\n", "--hash-values")
    assert out.split() == [edm_digest(b"k", "CUST-1"), edm_digest(b"k", "CUST-2")]


@pytest.mark.parametrize("argv", [["/no/such/file"], ["--policy", "/no/such/policy.yaml"]])
def test_unreadable_input_exits_two_with_a_message(capsys, monkeypatch, argv):
    code, _, err = run(capsys, monkeypatch, "x", *argv)
    assert code == 2 and "aigate scan" in err


def test_a_documentation_example_is_said_to_be_ignored(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n")
    assert code == 0
    assert out.splitlines() == [
        "ignored\taws_access_key_id\tAKIA****************\texample ignored: a documentation "
        "example or placeholder, not a real value"
    ]
    code, out, _ = run(capsys, monkeypatch, "key AKIAIOSFODNN7EXAMPLE\n", "--json")
    assert json.loads(out) == {
        "findings": [],
        "ignored": [
            {
                "detector": "aws_access_key_id",
                "preview": "AKIA****************",
                "why": "example ignored: a documentation example or placeholder, not a real value",
            }
        ],
    }


def test_each_finding_says_how_sure_it_is_and_what_it_was_decoded_from(capsys, monkeypatch):
    hexed = b"AKIAQ3EGRLMNV4XKTYJW".hex()
    code, out, _ = run(capsys, monkeypatch, f"dump {hexed}\n")
    assert code == 1
    assert out.split("\t")[1:4] == ["aws_access_key_id", "secret", "validated, decoded from hex"]


def test_min_confidence_hides_weaker_findings(capsys, monkeypatch):
    text = "device 3c:22:fb:7a:41:09 again\n"  # a MAC address with no label: a pattern finding
    code, out, _ = run(capsys, monkeypatch, text)
    assert code == 1 and "\tpattern\t" in out
    code, out, _ = run(capsys, monkeypatch, text, "--min-confidence", "context")
    assert (code, out) == (0, "")


def test_the_list_shows_class_confidence_rule_regions_and_source(capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "", "--list")
    rows = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and all(len(row) == 6 for row in rows)
    assert err.strip() == f"{len(rows)} detectors"
