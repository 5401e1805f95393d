"""`aigate report` end to end on a crafted log, per output format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from aigate.cli import main
from report_log import crafted, decision, websocket, write_jsonl


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "audit.jsonl", crafted())


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_html_is_one_self_contained_document_with_charts(log, capsys):
    code, out, _ = run(capsys, str(log))
    assert code == 0
    assert out.startswith("<!DOCTYPE html>")
    assert out.count("<svg") >= 4  # daily trend, services, sparklines, actions, shadow AI
    assert out.count("<script>") == out.count("<script") == 1  # the inline table sorter only
    assert "http://" not in out.replace('"http://www.w3.org/2000/svg"', "")
    assert 'data-table="shadow"' in out and "Claude" in out
    assert "llm.lab.corp.example" in out


def test_markdown_has_a_section_per_part(log, capsys):
    code, out, _ = run(capsys, str(log), "--format", "md")
    assert code == 0
    for heading in ("## AI usage", "## Actions", "## Sensitive data", "## Shadow AI"):
        assert heading in out
    assert "| chatgpt | chat | 7 | 1 | 4 | 2 | 2 | 0.12 | 1 | 2 | caution | medium | US |" in out


@pytest.mark.parametrize(
    ("table", "header", "first"),
    [
        ("services", "service", ["chatgpt", "chat", "7", "1", "4", "2", "2", "0.12", "1"]),
        ("offenders", "user", ["bob", "4", "3", "1", "0", "1", "chatgpt, deepseek"]),
        ("unlisted", "host",
         ["llm.lab.corp.example", "1", "1", "1", "openai-chat", "/v1/chat/completions"]),
    ],
)
def test_csv_writes_the_chosen_table(log, capsys, table, header, first):
    code, out, _ = run(capsys, str(log), "--format", "csv", "--table", table)
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][0] == header
    assert rows[1][: len(first)] == first


def test_json_holds_every_table_and_the_trend(log, capsys):
    code, out, _ = run(capsys, str(log), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["summary"]["requests"] == 13
    assert doc["trend"]["requests"] == [8, 3, 2]
    assert doc["trend"]["data_loss"] == [2, 0, 0]
    assert doc["tables"]["shadow"][0]["service"] == "claude"


@pytest.mark.parametrize(("name", "marker"), [
    ("r.html", "<!DOCTYPE html>"), ("r.md", "# AI usage report"), ("r.json", '{\n  "summary"'),
    ("r.csv", "service,category,requests"),
])
def test_output_format_follows_the_file_extension(log, tmp_path, capsys, name, marker):
    out = tmp_path / name
    code, stdout, err = run(capsys, str(log), "-o", str(out))
    assert code == 0 and stdout == ""
    assert "13 AI requests" in err
    assert out.read_text().lstrip().startswith(marker)


def test_filters_reach_the_report(log, capsys):
    _, out, _ = run(capsys, str(log), "--format", "json", "--since", "2026-03-03",
                    "--group", "engineering")
    # carol's 2 and alice's 2 (her acknowledgement is aigate's own request)
    assert json.loads(out)["summary"]["requests"] == 4


@pytest.mark.parametrize("args", [["missing.jsonl"], ["LOG", "--since", "last week"],
                                  ["LOG", "--format", "pdf"]])
def test_bad_arguments_fail_with_status_2(log, capsys, args):
    args = [str(log) if a == "LOG" else a for a in args]
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(["report", *args]))
    assert exit_info.value.code == 2


def test_unreadable_lines_are_reported_on_stderr(tmp_path, capsys):
    log = write_jsonl(tmp_path / "audit.jsonl", crafted())
    with log.open("ab") as f:
        f.write(b"garbage\n")
    code, out, err = run(capsys, str(log), "--format", "md")
    assert code == 0
    assert f"{log}:17: not JSON" in err and "1 unreadable line(s) skipped" in out


def test_values_from_the_log_are_escaped_in_every_format(tmp_path, capsys):
    evil = "<img src=x onerror=alert(1)>|=cmd"
    log = write_jsonl(tmp_path / "audit.jsonl", [decision("2026-03-02T09:00:00", evil)])
    _, html_out, _ = run(capsys, str(log))
    assert "<img" not in html_out and "&lt;img src=x" in html_out
    _, md_out, _ = run(capsys, str(log), "--format", "md")
    assert "<img" not in md_out and "\\|=cmd" in md_out
    bad_user = write_jsonl(tmp_path / "b.jsonl", [decision("2026-03-02T09:00:00", "=cmd()")])
    _, csv_out, _ = run(capsys, str(bad_user), "--format", "csv", "--table", "users")
    assert csv_out.splitlines()[1].startswith("'=cmd()")


@pytest.mark.parametrize(
    ("given", "compared"),
    [
        ("2026-01-31", "2026-01-31"),
        ("2026-01-31T12:00", "2026-01-31T12:00:00"),
        ("2026-01-31T12:00:00Z", "2026-01-31T12:00:00"),
        ("2026-01-31T12:00+02:00", "2026-01-31T10:00:00"),  # the log is in UTC
        ("2026-01-31T12:00:00.5", "2026-01-31T12:00:00.500"),
    ],
)
def test_since_and_until_are_read_as_utc_log_times(given, compared):
    from aigate.cli.report import _when

    assert _when(given) == compared


@pytest.mark.parametrize("fmt", ["html", "md", "json", "csv"])
def test_an_empty_log_gives_an_empty_report_not_an_error(tmp_path, capsys, fmt):
    empty = tmp_path / "audit.jsonl"
    empty.touch()
    code, out, _ = run(capsys, str(empty), "--format", fmt)
    assert code == 0 and out


def test_html_is_not_written_to_a_terminal(log, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    code, out, err = run(capsys, str(log))
    assert (code, out) == (2, "")
    assert "write it with -o report.html" in err
    assert run(capsys, str(log), "--format", "md")[0] == 0  # text for the terminal still works


@pytest.mark.parametrize("fmt", ["html", "md", "json", "csv"])
def test_a_log_with_websocket_message_records_reports_them_apart(tmp_path, capsys, fmt):
    log = write_jsonl(tmp_path / "audit.jsonl", [*crafted(), websocket("2026-03-02T09:10:00",
                                                                       "alice")])
    args = ["--format", fmt] + (["--table", "websocket"] if fmt == "csv" else [])
    code, out, err = run(capsys, str(log), *args)
    assert code == 0, err
    if fmt == "json":
        doc = json.loads(out)
        assert doc["summary"]["requests"] == 13
        assert doc["tables"]["websocket"] == [{
            "service": "chatgpt", "mode": "enforce", "dlp_action": "block",
            "outcome": "dropped", "messages": 1, "users": 1, "findings": 1,
            "classes": "secret", "last": "2026-03-02T09:10:00.000Z",
        }]
    elif fmt == "csv":
        assert list(csv.reader(io.StringIO(out)))[1][:5] == [
            "chatgpt", "enforce", "block", "dropped", "1"]
    else:
        assert "Flagged WebSocket messages" in out


def test_markdown_opens_with_the_kpis(log, capsys):
    _, out, _ = run(capsys, str(log), "--format", "md")
    head = out.split("## AI usage")[0]
    assert "13 AI requests (1 page views, 4 prompts) by 4 people" in head
    assert "- Sanctioned use: 0% of requests went to services the policy approves; 2 high-risk" \
        in head
    assert "- Sensitive data: 2 data-loss events by 2 people (blocked 1, redacted 1)." in head
    assert "- Left out: 1 requests to aigate's own pages" in head


def test_markdown_compares_with_the_previous_period(log, capsys):
    _, out, _ = run(capsys, str(log), "--format", "md", "--since", "2026-03-04")
    assert ("- Against the previous period, 2026-03-03 up to 2026-03-04: requests -33.3%, "
            "page views new, prompts new, people -50%, data-loss events new.") in out
    assert "| requests | 2 | 3 | -33.3 |" in out


@pytest.mark.parametrize("table", ["incidents", "policy_status", "risky_services", "comparison",
                                   "new_services"])
def test_csv_writes_the_new_tables(log, capsys, table):
    code, out, _ = run(capsys, str(log), "--format", "csv", "--table", table, "--since",
                       "2026-03-03")
    assert code == 0
    header = next(csv.reader(io.StringIO(out)))
    assert header and header[0] in ("time", "policy_status", "service", "figure")


def test_json_holds_the_kpis_and_the_daily_series(log, capsys):
    _, out, _ = run(capsys, str(log), "--format", "json", "--since", "2026-03-03")
    doc = json.loads(out)
    s = doc["summary"]
    assert (s["requests"], s["page_views"], s["prompts"], s["aigate_requests"]) == (5, 1, 0, 1)
    assert s["policy_status"] == {"caution": 3, "blocked": 1, "not in policy": 1}
    assert doc["trend"]["page_views"] == [0, 1] and doc["trend"]["data_loss"] == [0, 0]
    assert doc["tables"]["incidents"] == []
    # 2026-03-01 and 02 come before: the log begins on the 2nd, too late to compare
    assert s["previous"]["covered"] is False and s["change_percent"] is None
    _, out, _ = run(capsys, str(log), "--format", "json", "--since", "2026-03-04")
    s = json.loads(out)["summary"]
    assert s["previous"]["requests"] == 3 and s["change_percent"]["requests"] == -33.3
