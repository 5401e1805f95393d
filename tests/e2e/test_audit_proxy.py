"""The audit log and acknowledgement ledger through a real proxy (records read from disk)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from aigate.cli import main
from aigate.record.audit import rotated_files
from recordharness import acknowledge, make_client, new_upstream, record_proxy

PASSWORD = "Pa55-w0rd-7c1e"
PROMPT = "PROMPT-MARKER-quarterly-numbers-4711"
QUERY_SECRET = "QUERY-MARKER-sk-live-9931"
AUTH = f"alice:{PASSWORD}"


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("audit-e2e")


@pytest.fixture(scope="module")
def proxy(work):
    upstream = new_upstream(work)
    log = work / "audit" / "aigate-audit.jsonl"
    with record_proxy(
        work, upstream, proxyauth=AUTH, aigate_audit_log=str(log),
        aigate_audit_max_bytes=20_000, aigate_audit_backups=10_000,
    ) as running:
        running.log = log
        yield running
    upstream.close()


def records(log: Path) -> list[dict]:
    return [json.loads(line) for f in rotated_files(log) for line in f.read_text().splitlines()]


def decisions(log: Path) -> list[dict]:
    return [r for r in records(log) if r["event"] == "decision"]


def send(client, n: int):
    if n % 2:
        return client.post(f"https://allowed.openai.test/v1/chat/completions?key={QUERY_SECRET}",
                           json={"messages": [{"role": "user", "content": PROMPT}]})
    return client.post(f"https://api.openai.test/v1/chat/completions?key={QUERY_SECRET}",
                       json={"messages": [{"role": "user", "content": PROMPT}]})


def test_200_concurrent_requests_give_exactly_200_decision_records_over_rotated_files(proxy):
    before = decisions(proxy.log)
    with make_client(proxy, auth=AUTH) as client, ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(lambda n: send(client, n).status_code, range(200)))
    assert sorted(set(statuses)) == [200, 403]
    new = decisions(proxy.log)[len(before):]
    assert len(new) == 200
    assert len({r["request_id"] for r in new}) == 200
    assert {(r["service"], r["outcome"]) for r in new} == {
        ("t-allowed-api", "allowed"), ("t-openai", "blocked")
    }
    assert len(rotated_files(proxy.log)) > 3, "the small max bytes should have rotated the log"


def test_blocked_request_is_on_disk_when_the_client_gets_the_answer(proxy):
    with make_client(proxy, auth=AUTH) as client:
        reply = client.get("https://api.openai.test/v1/models")
        request_id = reply.headers.get("x-aigate-request-id") or ""
        last = decisions(proxy.log)[-1]
    assert reply.status_code == 403
    assert last["service"] == "t-openai" and last["outcome"] == "blocked"
    assert not request_id or last["request_id"] == request_id
    assert (last["user"], last["groups"], last["status"]) == ("alice", ["engineering"], 403)


def test_no_prompt_password_or_query_string_ever_reaches_the_log(proxy):
    with make_client(proxy, auth=AUTH) as client:
        for n in range(4):
            send(client, n)
    text = "".join(f.read_text() for f in rotated_files(proxy.log))
    assert text.count('"event":"decision"') >= 4
    for marker in (PASSWORD, PROMPT, QUERY_SECRET, "key="):
        assert marker not in text, marker


def test_acknowledgements_chain_verifies_and_tampering_is_located(proxy, tmp_path, capsys):
    with make_client(proxy, auth=AUTH) as client:
        for _ in range(3):
            assert acknowledge(client, "https://chat.warn.test/") == 302
    acks = [r for r in records(proxy.log) if r["event"] == "ack"]
    assert len(acks) >= 3
    assert {(a["user"], a["service"], a["policy_version"]) for a in acks} == {
        ("alice", "t-warn-chat", "t1")
    }
    files = [str(f) for f in rotated_files(proxy.log)]
    assert main(["acks", "verify", *files]) == 0
    capsys.readouterr()

    copies = []
    for f in files:
        copy = tmp_path / Path(f).name
        copy.write_bytes(Path(f).read_bytes())
        copies.append(copy)
    target, line_no = next(
        (copy, n)
        for copy in reversed(copies)
        for n, line in enumerate(copy.read_text().splitlines(), 1)
        if '"event":"ack"' in line
    )
    lines = target.read_text().splitlines()
    lines[line_no - 1] = lines[line_no - 1].replace('"user":"alice"', '"user":"mallory"')
    target.write_text("\n".join(lines) + "\n")
    assert main(["acks", "verify", *map(str, copies)]) == 1
    assert f"{target}:{line_no}:" in capsys.readouterr().err


def test_policy_load_is_recorded_with_version_and_hash(proxy):
    loads = [r for r in records(proxy.log) if r["event"] == "policy_load"]
    assert loads and loads[0]["result"] == "success" and loads[0]["policy_version"] == "t1"
    assert len(loads[0]["policy_hash"]) == 64


def test_a_page_a_person_opens_is_recorded_as_a_navigation_and_an_api_call_is_not(proxy):
    page = {"accept": "text/html,application/xhtml+xml", "sec-fetch-mode": "navigate",
            "sec-fetch-dest": "document"}
    icon = {"accept": "image/*", "sec-fetch-mode": "no-cors", "sec-fetch-dest": "image"}
    with make_client(proxy, auth=AUTH) as client:
        client.get("https://chat.warn.test/opened", headers=page)
        client.get("https://chat.warn.test/favicon.ico", headers=icon)
        client.get("https://api.openai.test/v1/models")
    seen = {r["path"]: r["navigation"] for r in decisions(proxy.log)
            if r["path"] in ("/opened", "/favicon.ico", "/v1/models")}
    assert seen == {"/opened": True, "/favicon.ico": False, "/v1/models": False}
