"""`aigate classify` and `aigate catalog`, through `aigate.cli.main` and once as a process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from aigate.catalog import CATEGORIES, default_catalog
from aigate.cli import main

AIGATE = Path(sys.executable).with_name("aigate")

ADMIN_CATALOG = """\
services:
  - id: acme-gpt
    name: Acme GPT
    vendor: Acme
    category: chat
    hosts: [gpt.acme.example]
    jurisdiction: US
    risk: low
    risk_reason: Internal assistant.
    url: https://gpt.acme.example/
"""


def run(capsys, argv: list[str], stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_classify_json_from_arguments(capsys):
    code, out, _ = run(
        capsys,
        ["classify", "--json", "https://chatgpt.com/backend-anon/conversation", "github.com"],
    )
    assert code == 0
    assert [json.loads(line) for line in out.splitlines()] == [
        {
            "input": "https://chatgpt.com/backend-anon/conversation",
            "service": "chatgpt-anonymous",
            "category": "chat",
            "matched": "chatgpt.com",
        },
        {"input": "github.com", "service": None, "category": None, "matched": None},
    ]


def test_classify_reads_stdin_and_skips_blank_lines(capsys, monkeypatch):
    stdin = "api.openai.com\n\n   \nfoo.openai.azure.com\nwww.google.com/search\n"
    code, out, _ = run(capsys, ["classify", "--json"], stdin, monkeypatch)
    assert code == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [(r["input"], r["service"], r["matched"]) for r in results] == [
        ("api.openai.com", "openai-api", "api.openai.com"),
        ("foo.openai.azure.com", "azure-openai", "*.openai.azure.com"),
        ("www.google.com/search", None, None),
    ]


def test_classify_reports_unparsable_input_as_not_ai(capsys):
    code, out, _ = run(capsys, ["classify", "http://[::1", "chatgpt.com"])
    assert code == 0
    assert [line.split("\t")[1] for line in out.splitlines()] == ["-", "chatgpt"]


def test_classify_text_output_is_tab_separated(capsys):
    code, out, _ = run(capsys, ["classify", "gemini.google.com", "example.com"])
    assert code == 0
    assert out.splitlines() == [
        "gemini.google.com\tgemini\tchat\tgemini.google.com",
        "example.com\t-\t-\t-",
    ]


def test_classify_uses_an_admin_catalog_file(capsys, tmp_path: Path):
    extra = tmp_path / "admin.yaml"
    extra.write_text(ADMIN_CATALOG)
    code, out, _ = run(
        capsys, ["classify", "--catalog", str(extra), "gpt.acme.example", "claude.ai"]
    )
    assert code == 0
    assert [line.split("\t")[1] for line in out.splitlines()] == ["acme-gpt", "claude"]


def test_classify_reports_a_broken_catalog_file_with_its_line(capsys, tmp_path: Path):
    extra = tmp_path / "admin.yaml"
    extra.write_text(ADMIN_CATALOG.replace("risk: low", "risk: none"))
    code, _, err = run(capsys, ["classify", "--catalog", str(extra), "claude.ai"])
    assert code == 2
    assert f"{extra}:8: " in err
    assert "risk 'none' is not one of low, medium, high" in err


def test_catalog_lists_every_service_with_a_header(capsys):
    code, out, _ = run(capsys, ["catalog"])
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "id\tname\tvendor\tcategory\trisk\tjurisdiction\thosts"
    assert len(lines) == len(default_catalog()) + 1
    deepseek = "deepseek\tDeepSeek Chat\tDeepSeek\tchat\thigh\tCN\t"
    assert deepseek + "chat.deepseek.com,deepseek.com,www.deepseek.com" in lines


@pytest.mark.parametrize("category", CATEGORIES)
def test_catalog_filters_by_category(capsys, category: str):
    code, out, _ = run(capsys, ["catalog", "--category", category, "--json"])
    services = json.loads(out)
    assert code == 0
    assert services
    assert {s["category"] for s in services} == {category}


def test_catalog_json_has_every_field(capsys):
    _, out, _ = run(capsys, ["catalog", "--json"])
    openai = next(s for s in json.loads(out) if s["id"] == "openai-api")
    assert openai["api_format"] == "openai"
    assert openai["hosts"] == ["api.openai.com", "platform.openai.com", "*.api.openai.com"]
    assert {"trains_on_inputs", "enterprise_tier", "risk_reason", "url"} <= set(openai)


def test_catalog_unknown_category_names_the_valid_ones(capsys):
    code, _, err = run(capsys, ["catalog", "--category", "chatbot"])
    assert code == 2
    assert "unknown category 'chatbot'; did you mean 'chat'?" in err
    assert ", ".join(CATEGORIES) in err


def test_catalog_includes_admin_services(capsys, tmp_path: Path):
    extra = tmp_path / "admin.yaml"
    extra.write_text(ADMIN_CATALOG)
    _, out, _ = run(capsys, ["catalog", "--catalog", str(extra), "--category", "chat"])
    assert any(line.startswith("acme-gpt\tAcme GPT\t") for line in out.splitlines())


def test_classify_runs_as_a_command_over_stdin():
    lines = ["chat.deepseek.com", "x.com/i/grok", "x.com", ""] * 2500
    result = subprocess.run(
        [str(AIGATE), "classify", "--json"],
        input="\n".join(lines),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert len(out) == 7500
    assert [json.loads(line)["service"] for line in out[:3]] == ["deepseek", "grok-x", None]


def test_catalog_runs_as_a_command():
    result = subprocess.run(
        [str(AIGATE), "catalog", "--category", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "valid categories: chat, api" in result.stderr
