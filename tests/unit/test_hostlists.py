"""Community AI host lists: each format read, checked against the catalog, written as an overlay,
and `aigate catalog import` as an admin runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from aigate.catalog import default_catalog, load_catalog
from aigate.catalog.load import DATA_DIR
from aigate.classify import Classifier
from aigate.cli import main
from aigate.hostlists import ListedHost, ListError, check_list, overlay, read_list

AIGATE = Path(sys.executable).with_name("aigate")
CLASSIFIER = Classifier(default_catalog())


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def as_pairs(path: Path) -> dict[str, str]:
    return {h.host: h.scope for h in read_list(path).hosts}


def test_v2fly_lines_includes_attributes_and_comments(tmp_path: Path):
    write(tmp_path, "vendor-b", "# Vendor B\nfull:api.vendor-b.example @cn\n")
    top = write(
        tmp_path,
        "category-ai",
        "include:vendor-b\n"
        "# a comment line\n"
        "chat.example-ai.test # trailing comment\n"
        "domain:Example-AI.test\n"
        "full:upload.bucket.s3.amazonaws.com\n"
        "regexp:^chat-[0-9]+\\.example\\.test$\n"
        "keyword:gpt\n"
        "tracker.example @ads\n",
    )
    listed = read_list(top)
    assert listed.format == "v2fly"
    assert as_pairs(top) == {
        "api.vendor-b.example": "full",
        "chat.example-ai.test": "domain",
        "example-ai.test": "domain",
        "upload.bucket.s3.amazonaws.com": "full",
        "tracker.example": "domain",
    }
    assert [s.text for s in listed.skipped] == [
        "regexp:^chat-[0-9]+\\.example\\.test$",
        "keyword:gpt",
    ]
    assert listed.hosts[0].where == f"{tmp_path / 'vendor-b'}:2"


def test_v2fly_include_loop_and_missing_include_name_the_line(tmp_path: Path):
    write(tmp_path, "a", "include:b\n")
    write(tmp_path, "b", "x.test\ninclude:a\n")
    with pytest.raises(ListError, match=r"/b:2: include:a loops back"):
        read_list(tmp_path / "a")
    missing = write(tmp_path, "c", "x.test\ninclude:nope\n")
    with pytest.raises(ListError, match=rf"^{missing}:2: file not found"):
        read_list(missing)


def test_adguard_service_yaml(tmp_path: Path):
    path = write(
        tmp_path,
        "example.yml",
        "id: example\nname: Example AI\nrules:\n  - '||example-ai.test^'\n"
        "  - '||cdn.example-ai.test^$important'\n  - '/ads/*'\n",
    )
    listed = read_list(path)
    assert listed.format == "adguard"
    assert {h.host: h.scope for h in listed.hosts} == {
        "example-ai.test": "domain",
        "cdn.example-ai.test": "domain",
    }
    assert [(s.text, s.where) for s in listed.skipped] == [("/ads/*", f"{path}:6")]


def test_adguard_file_that_is_not_yaml_names_the_line(tmp_path: Path):
    path = write(tmp_path, "bad.yml", "rules:\n  - '||a.test^'\n  - [unclosed\n")
    with pytest.raises(ListError, match=rf"^{path}:\d+: not valid YAML"):
        read_list(path)


def test_plain_hosts_file_and_adblock_lines(tmp_path: Path):
    path = write(
        tmp_path,
        "hosts.txt",
        "! adblock comment\n# comment\nChat.Example-AI.test.\n0.0.0.0 api.example-ai.test\n"
        "||files.example-ai.test^\nnot a host\nhttps://no.scheme/\n",
    )
    listed = read_list(path)
    assert listed.format == "plain"
    assert {h.host: h.scope for h in listed.hosts} == {
        "chat.example-ai.test": "full",
        "api.example-ai.test": "full",
        "files.example-ai.test": "domain",
    }
    assert len(listed.skipped) == 2


def test_check_names_the_claiming_service_and_uncovered_subdomains(tmp_path: Path):
    hosts = (
        ListedHost("chatgpt.com", "domain", "l:1"),
        ListedHost("api.openai.com", "full", "l:2"),
        ListedHost("example.org", "domain", "l:3"),
    )
    results = {
        r.listed.host: (r.service_id, r.subdomains_covered) for r in check_list(hosts, CLASSIFIER)
    }
    assert results == {
        "chatgpt.com": ("chatgpt", True),
        "api.openai.com": ("openai-api", None),
        "example.org": (None, False),
    }


def test_overlay_loads_as_a_catalog_and_claims_no_shared_parent(tmp_path: Path):
    uncovered = [
        ListedHost("newai-overlay-probe.ai", "domain", "l:1"),
        ListedHost("cdn.newai-overlay-probe.ai", "full", "l:2"),
        ListedHost("newai-uploads.s3.amazonaws.com", "full", "l:3"),
        ListedHost("assistant.bigportal-overlay-probe.com", "domain", "l:4"),
    ]
    text = overlay(uncovered, default_catalog(), "my-list.txt", "writing")
    path = write(tmp_path, "overlay.yaml", text)
    catalog = load_catalog([path])
    assert {s.risk for s in catalog.services.values()} == {"unknown"}
    assert {s.category for s in catalog.services.values()} == {"writing"}
    assert {s.trains_on_inputs for s in catalog.services.values()} == {None}
    classifier = Classifier(catalog)
    for host in (
        "newai-overlay-probe.ai",
        "x.newai-overlay-probe.ai",
        "newai-uploads.s3.amazonaws.com",
        "assistant.bigportal-overlay-probe.com",
        "eu.assistant.bigportal-overlay-probe.com",
    ):
        assert classifier.classify(host) is not None, host
    for host in (
        "other-bucket.s3.amazonaws.com",
        "s3.amazonaws.com",
        "bigportal-overlay-probe.com",
        "mail.bigportal-overlay-probe.com",
    ):
        assert classifier.classify(host) is None, host


def test_overlay_ids_do_not_replace_catalog_services():
    text = overlay([ListedHost("x.test", "full", "l:1")], default_catalog(), "l", "chat")
    assert "id: imported-x-test\n" in text


def test_cli_import_reports_each_host_and_writes_an_overlay(tmp_path: Path, capsys):
    listed = write(tmp_path, "ai.txt", "chatgpt.com\nunknown-ai-overlay-probe.ai\n")
    out_file = tmp_path / "overlay.yaml"
    code = main(["catalog", "import", str(listed), "--write", str(out_file), "--category", "agent"])
    out, err = capsys.readouterr()
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "chatgpt.com\tfull\tchatgpt\t"
    assert lines[1] == "unknown-ai-overlay-probe.ai\tfull\t-\t"
    assert "2 hosts, 1 in the catalog (50.0%), 1 not" in lines[2]
    assert f"wrote 1 hosts to {out_file}" in err
    overlay_catalog = load_catalog([out_file])
    assert [s.category for s in overlay_catalog.services.values()] == ["agent"]


def test_cli_import_json_and_a_policy_naming_the_overlay(tmp_path: Path):
    listed = write(tmp_path, "ai.txt", "||unknown-ai-overlay-probe.ai^\n")
    overlay_file = tmp_path / "imported.yaml"
    result = subprocess.run(
        [AIGATE, "catalog", "import", listed, "--json", "--write", overlay_file],
        capture_output=True,
        text=True,
        check=True,
    )
    record = json.loads(result.stdout)
    assert record == {
        "host": "unknown-ai-overlay-probe.ai",
        "scope": "domain",
        "service": None,
        "subdomains_covered": False,
        "listed_at": f"{listed}:1",
    }
    policy = tmp_path / "policy.yaml"
    default = (DATA_DIR.parents[2].parent / "policies" / "default.yaml").read_text()
    policy.write_text(default + "\ncatalog: [imported.yaml]\n")
    explained = subprocess.run(
        [AIGATE, "explain", "https://chat.unknown-ai-overlay-probe.ai/", "--policy", policy],
        capture_output=True,
        text=True,
    )
    assert "imported-unknown-ai-overlay-probe-ai" in explained.stdout, (
        explained.stdout + explained.stderr
    )


def test_cli_import_of_a_missing_file_is_a_clear_error(tmp_path: Path, capsys):
    code = main(["catalog", "import", str(tmp_path / "nope.txt")])
    assert code == 2
    assert "file not found" in capsys.readouterr().err


def test_proxy_tool_rule_lists_and_dnsmasq(tmp_path: Path):
    path = write(
        tmp_path,
        "OpenAI.list",
        "# NAME: Example\nDOMAIN,api.example-ai.test\nDOMAIN-SUFFIX,example-ai.test,PROXY\n"
        "HOST-SUFFIX,cdn-ai.test,proxy\nDOMAIN-KEYWORD,openai\nIP-CIDR,10.0.0.0/8\n"
        "server=/upload.example-ai.test/1.1.1.1\n// surge comment\n",
    )
    listed = read_list(path)
    assert listed.format == "rules"
    assert as_pairs(path) == {
        "api.example-ai.test": "full",
        "example-ai.test": "domain",
        "cdn-ai.test": "domain",
        "upload.example-ai.test": "domain",
    }
    assert [s.text for s in listed.skipped] == ["DOMAIN-KEYWORD,openai", "IP-CIDR,10.0.0.0/8"]


def test_clash_payload_yaml(tmp_path: Path):
    path = write(
        tmp_path,
        "ai.yaml",
        "payload:\n  - '+.example-ai.test'\n  - 'api.other-ai.test'\n  - DOMAIN,full.ai.test\n"
        "  - DOMAIN-KEYWORD,gpt\n",
    )
    listed = read_list(path)
    assert listed.format == "rules"
    assert as_pairs(path) == {
        "example-ai.test": "domain",
        "api.other-ai.test": "full",
        "full.ai.test": "full",
    }
    assert [(s.text, s.where) for s in listed.skipped] == [("DOMAIN-KEYWORD,gpt", f"{path}:5")]
