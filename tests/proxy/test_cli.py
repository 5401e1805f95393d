"""The proxy as admins start it: `mitmdump -s addons/aigate_addons.py`, `aigate run`, and the
PAC file from `aigate pac`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aigate.cli import build_parser
from aigate.cli.pac import pac_text
from aigate.cli.run import mitmdump_arguments
from aigate.policy import DEFAULT_POLICY, PolicyError, load_policy, load_policy_text
from components import require_command
from procharness import AIGATE_READY, proxy_client, started
from proxyharness import BROWSER_HEADERS, TEST_POLICY, wait_for, write_test_policy

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    write_test_policy(tmp_path)
    return tmp_path


def test_mitmdump_script_entry_loads_the_policy_and_blocks(policy_dir, tmp_path):
    confdir = tmp_path / "conf"
    with started(
        [str(BIN / "mitmdump"), "-s", "addons/aigate_addons.py", "--listen-host", "127.0.0.1",
         "--listen-port", "0", "--set", f"confdir={confdir}",
         "--set", f"aigate_policy={policy_dir / 'policy.yaml'}"],
        re.compile(r"proxy listening at 127\.0\.0\.1:(\d+)"),
    ) as mitmdump, proxy_client(mitmdump.port, confdir) as client:
        response = client.post("https://api.openai.test/v1/chat/completions", json={})
    assert response.status_code == 403
    assert "not approved for company data" in response.json()["error"]["message"]


@pytest.fixture
def aigate_run(policy_dir, tmp_path) -> Iterator[tuple[int, Path, list[str]]]:
    confdir = tmp_path / "conf"
    with started(
        [str(BIN / "aigate"), "run", "--policy", str(policy_dir / "policy.yaml"),
         "--listen-port", "0", "--set", f"confdir={confdir}"],
        AIGATE_READY,
    ) as running:
        yield running.port, confdir, running.lines


def test_aigate_run_prints_address_and_ca_and_serves_block_and_warn_pages(aigate_run):
    port, confdir, lines = aigate_run
    # The banner's lines follow the ready line: they are read as they come.
    wait_for(lambda: any(f"clients must trust the CA at {confdir}/mitmproxy-ca-cert.pem" in line
                         for line in lines), what="the CA in the banner")
    wait_for(lambda: any(line.startswith("aigate: audit log") and f"{confdir}/aigate-audit." in line
                         for line in lines), what="the audit log(s) in the banner")
    with proxy_client(port, confdir) as client:
        blocked = client.get("https://chat.blocked.test/", headers=BROWSER_HEADERS)
        warned = client.get("https://chat.warn.test/", headers=BROWSER_HEADERS)
    assert blocked.status_code == 403 and "is blocked" in blocked.text
    assert warned.status_code == 200 and "I understand, continue" in warned.text


def _environment(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().partition("=")[::2] for item in raw if item)


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("0", "0")])
def test_aigate_run_runs_the_proxy_on_python_optimised_unless_told(policy_dir, tmp_path, given,
                                                                   expected):
    """mitmproxy's per-message type checks run only with assertions on: `aigate run` restarts
    itself (same process) with PYTHONOPTIMIZE=1, and leaves an explicit setting alone."""
    confdir = tmp_path / "conf"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONOPTIMIZE"}
    if given is not None:
        env["PYTHONOPTIMIZE"] = given
    with started(
        [str(BIN / "aigate"), "run", "--workers", "1", "--policy",
         str(policy_dir / "policy.yaml"), "--listen-port", "0", "--set", f"confdir={confdir}"],
        AIGATE_READY, env=env,
    ) as running, proxy_client(running.port, confdir) as client:
        assert _environment(running.process.pid).get("PYTHONOPTIMIZE") == expected
        response = client.post("https://api.openai.test/v1/chat/completions", json={})
    assert response.status_code == 403


def test_default_policy_blocks_deepseek_and_warns_on_chatgpt(tmp_path):
    try:
        load_policy(DEFAULT_POLICY)
    except PolicyError as e:
        pytest.fail(f"the shipped default policy does not load: {e}")
    confdir = tmp_path / "conf"
    with started(
        [str(BIN / "aigate"), "run", "--listen-port", "0", "--set", f"confdir={confdir}"],
        AIGATE_READY,
    ) as running, proxy_client(running.port, confdir) as client:
        # curl's defaults: `Accept: */*`, no browser headers.
        headers = {"accept": "*/*", "user-agent": "curl/8.0"}
        blocked = client.get("https://chat.deepseek.com/", headers=headers)
        warned = client.get("https://chatgpt.com/", headers=headers)
    assert blocked.status_code == 403 and "is blocked" in blocked.text
    assert "I understand, continue" in warned.text


PAC_SHIMS = """
function dnsDomainIs(host, domain) { return host.length >= domain.length &&
  host.substring(host.length - domain.length) === domain; }
function shExpMatch(str, exp) {
  return new RegExp("^" + exp.replace(/[.+^${}()|[\\]\\\\]/g, "\\\\$&")
  .replace(/\\*/g, ".*").replace(/\\?/g, ".") + "$").test(str); }
function isPlainHostName(host) { return host.indexOf(".") < 0; }
function isInNet(host, pattern, mask) {
  function n(a) { return a.split(".").reduce(function (x, o) { return x * 256 + Number(o); }, 0); }
  return ((n(host) & n(mask)) >>> 0) === ((n(pattern) & n(mask)) >>> 0); }
"""


def _pac_answers(pac: str, hosts: list[str]) -> dict[str, str]:
    script = PAC_SHIMS + pac + (
        f"var out = {{}}; {json.dumps(hosts)}.forEach(function (h) "
        "{ out[h] = FindProxyForURL('https://' + h + '/', h); });"
        "console.log(JSON.stringify(out));"
    )
    node = require_command("node", "nodejs")  # the PAC file runs in a real JavaScript engine
    result = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_pac_sends_exactly_the_intercepted_hosts_to_the_proxy():
    loaded = load_policy(TEST_POLICY)
    hosts = [
        "api.openai.test", "chat.warn.test", "example.org", "www.example.org", "intranet",
        *[h.replace("*", "x-1") for s in list(loaded.catalog.services.values())[:60]
          for h in s.hosts],
        *[f"sub.{d}" for s in loaded.catalog.services.values() for d in s.domains][:20],
    ]
    answers = _pac_answers(pac_text(loaded, "aigate.corp:3128"), hosts)
    for host in hosts:
        expected = "PROXY aigate.corp:3128" if loaded.intercepts(host) else "DIRECT"
        assert answers[host] == expected, host


# Hosts for a policy that inspects 10.0.0.0/8, 192.168.4.0/22 and fd00::/8 with name hints on.
UNLISTED_PAC_HOSTS = [
    ("10.1.2.3", "PROXY"),  # an IPv4 literal inside a network
    ("192.168.7.255", "PROXY"),
    ("192.168.8.1", "DIRECT"),  # just outside the /22
    ("11.1.2.3", "DIRECT"),
    ("10.example.org", "DIRECT"),  # a name, never resolved
    ("fd00::5", "PROXY"),  # any IPv6 literal: the proxy checks the network
    ("llm.corp.example", "PROXY"),  # name hints, as the proxy reads them
    ("gpu-vllm02.lab", "PROXY"),
    ("ollama", "PROXY"),
    ("allmost.example.org", "DIRECT"),
    ("llmx.corp.example", "DIRECT"),
]


def test_pac_sends_inspected_networks_and_name_hints_to_the_proxy():
    text = TEST_POLICY.read_text(encoding="utf-8") + (
        '\ninspect_networks: [10.0.0.0/8, 192.168.4.0/22, "fd00::/8"]\n'
        "unlisted_endpoints: {name_hints: true}\n"
    )
    loaded = load_policy_text(text, TEST_POLICY.name, base_dir=TEST_POLICY.parent)
    hosts = [host for host, _ in UNLISTED_PAC_HOSTS]
    answers = _pac_answers(pac_text(loaded, "p:1"), hosts)
    assert {h: a.split()[0] for h, a in answers.items()} == dict(UNLISTED_PAC_HOSTS)
    for host, route in UNLISTED_PAC_HOSTS:  # the PAC and the proxy agree, but for IPv6
        if ":" not in host:
            assert loaded.intercepts(host) == (route == "PROXY"), host


def test_pac_without_networks_or_hints_leaves_those_hosts_direct():
    answers = _pac_answers(pac_text(load_policy(TEST_POLICY), "p:1"), ["10.1.2.3", "llm.corp"])
    assert answers == {"10.1.2.3": "DIRECT", "llm.corp": "DIRECT"}


def test_pac_all_sends_everything_but_plain_names():
    loaded = load_policy(TEST_POLICY)
    answers = _pac_answers(pac_text(loaded, "p:1", all_traffic=True), ["example.org", "intranet"])
    assert answers == {"example.org": "PROXY p:1", "intranet": "DIRECT"}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["run"], ["--listen-host", "127.0.0.1", "--listen-port", "8080"]),
        (["run", "--metrics-port", "9464"], ["--set", "aigate_metrics_port=9464"]),
        (["run", "--set", "proxyauth=@/etc/htpasswd"], ["--set", "proxyauth=@/etc/htpasswd"]),
    ],
    ids=["defaults", "metrics-port-passed-through", "mitmproxy-option-passed-through"],
)
def test_aigate_run_builds_the_mitmdump_command_line(argv, expected):
    args = build_parser().parse_args(argv)
    built = mitmdump_arguments(args)
    assert any(built[i : i + len(expected)] == expected for i in range(len(built)))
    assert built[-2:] == ["--set", "connection_strategy=lazy"], "lazy must come last"


def test_aigate_run_keeps_connections_lazy_even_if_asked_otherwise():
    args = build_parser().parse_args(["run", "--set", "connection_strategy=eager"])
    assert mitmdump_arguments(args)[-1] == "connection_strategy=lazy"


def test_pac_without_proxy_uses_this_machines_name_and_says_so(capsys, monkeypatch):
    from aigate.cli import main

    monkeypatch.setattr("socket.gethostname", lambda: "gateway7")
    assert main(["pac"]) == 0
    out, err = capsys.readouterr()
    assert 'return "PROXY gateway7:8080";' in out and "127.0.0.1" not in out
    assert "no --proxy given: clients are sent to gateway7:8080" in err


def test_pac_without_proxy_on_a_nameless_machine_asks_for_one(capsys, monkeypatch):
    from aigate.cli import main

    monkeypatch.setattr("socket.gethostname", lambda: "localhost")
    assert main(["pac"]) == 2
    assert "pass --proxy HOST:PORT" in capsys.readouterr().err
