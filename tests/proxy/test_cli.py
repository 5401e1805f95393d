"""The proxy as admins start it: `mitmdump -s addons/aigate_addons.py`, `aigate run`, and the
PAC file from `aigate pac`."""

from __future__ import annotations

import json
import re
import shutil
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from aigate.cli import build_parser
from aigate.cli.pac import pac_text
from aigate.cli.run import mitmdump_arguments
from aigate.policy import DEFAULT_POLICY, PolicyError, load_policy
from components import require_command
from proxyharness import BROWSER_HEADERS, DATA, TEST_POLICY

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _start(argv: list[str], ready: re.Pattern[str]) -> tuple[subprocess.Popen[str], re.Match[str]]:
    """Start a proxy process and wait for the line matching `ready` (its port)."""
    proc = subprocess.Popen(
        argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        stdin=subprocess.DEVNULL,
    )
    lines: list[str] = []
    found: list[re.Match[str]] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if not found and (match := ready.search(line)):
                found.append(match)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + 60  # `aigate run` starts one worker per core
    while not found and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if not found:
        proc.kill()
        proc.wait()
        raise AssertionError("proxy did not start:\n" + "".join(lines))
    proc.lines = lines  # type: ignore[attr-defined]
    return proc, found[0]


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    shutil.copy(TEST_POLICY, tmp_path / "policy.yaml")
    shutil.copy(DATA / "catalog.yaml", tmp_path / "catalog.yaml")
    return tmp_path


def _client(port: int, confdir: Path) -> httpx.Client:
    ca = ssl.create_default_context(cafile=str(confdir / "mitmproxy-ca-cert.pem"))
    return httpx.Client(proxy=f"http://127.0.0.1:{port}", verify=ca, timeout=10)


def test_mitmdump_script_entry_loads_the_policy_and_blocks(policy_dir, tmp_path):
    confdir = tmp_path / "conf"
    proc, match = _start(
        [str(BIN / "mitmdump"), "-s", "addons/aigate_addons.py", "--listen-host", "127.0.0.1",
         "--listen-port", "0", "--set", f"confdir={confdir}",
         "--set", f"aigate_policy={policy_dir / 'policy.yaml'}"],
        re.compile(r"proxy listening at 127\.0\.0\.1:(\d+)"),
    )
    try:
        with _client(int(match.group(1)), confdir) as client:
            response = client.post("https://api.openai.test/v1/chat/completions", json={})
        assert response.status_code == 403
        assert "not approved for company data" in response.json()["error"]["message"]
    finally:
        _stop(proc)


@pytest.fixture
def aigate_run(policy_dir, tmp_path) -> Iterator[tuple[int, Path, list[str]]]:
    confdir = tmp_path / "conf"
    proc, match = _start(
        [str(BIN / "aigate"), "run", "--policy", str(policy_dir / "policy.yaml"),
         "--listen-port", "0", "--set", f"confdir={confdir}"],
        re.compile(r"aigate: proxy listening at http://127\.0\.0\.1:(\d+)"),
    )
    try:
        yield int(match.group(1)), confdir, proc.lines  # type: ignore[attr-defined]
    finally:
        _stop(proc)


def test_aigate_run_prints_address_and_ca_and_serves_block_and_warn_pages(aigate_run):
    port, confdir, lines = aigate_run
    assert any(f"clients must trust the CA at {confdir}/mitmproxy-ca-cert.pem" in line
               for line in lines)
    with _client(port, confdir) as client:
        blocked = client.get("https://chat.blocked.test/", headers=BROWSER_HEADERS)
        warned = client.get("https://chat.warn.test/", headers=BROWSER_HEADERS)
    assert blocked.status_code == 403 and "is blocked" in blocked.text
    assert warned.status_code == 200 and "I understand, continue" in warned.text


def test_default_policy_blocks_deepseek_and_warns_on_chatgpt(tmp_path):
    try:
        load_policy(DEFAULT_POLICY)
    except PolicyError as e:
        pytest.fail(f"the shipped default policy does not load: {e}")
    confdir = tmp_path / "conf"
    proc, match = _start(
        [str(BIN / "aigate"), "run", "--listen-port", "0", "--set", f"confdir={confdir}"],
        re.compile(r"aigate: proxy listening at http://127\.0\.0\.1:(\d+)"),
    )
    try:
        with _client(int(match.group(1)), confdir) as client:
            # curl's defaults: `Accept: */*`, no browser headers.
            headers = {"accept": "*/*", "user-agent": "curl/8.0"}
            blocked = client.get("https://chat.deepseek.com/", headers=headers)
            warned = client.get("https://chatgpt.com/", headers=headers)
    finally:
        _stop(proc)
    assert blocked.status_code == 403 and "is blocked" in blocked.text
    assert "I understand, continue" in warned.text


PAC_SHIMS = """
function dnsDomainIs(host, domain) { return host.length >= domain.length &&
  host.substring(host.length - domain.length) === domain; }
function shExpMatch(str, exp) {
  return new RegExp("^" + exp.replace(/[.+^${}()|[\\]\\\\]/g, "\\\\$&")
  .replace(/\\*/g, ".*").replace(/\\?/g, ".") + "$").test(str); }
function isPlainHostName(host) { return host.indexOf(".") < 0; }
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
