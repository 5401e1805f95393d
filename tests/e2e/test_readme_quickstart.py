"""The README's quick start, run as a new admin runs it: its commands are read from README.md.

Every command of the "Quick start" section (each line of its code blocks, and inline code that
starts with `make `, `aigate `, `curl ` or `mitmdump `) must be matched by a step below, or the
test fails naming it: a command added to the README is either run here or noticed. The steps run
each command as written, in README order, from the repository root, in a fresh home directory
(so `~/.mitmproxy` is the new admin's), adapted only where a command is long-running or would
leave this machine:

- `make run [ARGS="..."]` is started in the background (its own session, like a terminal) and
  stopped with Ctrl-C (SIGINT to its process group) before the next `make run` or at the end.
  Its upstream connections go to a local fake upstream (the `--set` options of the other e2e
  tests, appended to ARGS); a port the README names is used when free, else a free one is
  substituted in the following commands; a policy file the README supposes the admin wrote
  (`my-policy.yaml`) is a copy of policies/default.yaml, as "What an admin does" says.
- `make test` runs with PYTEST_ARGS collecting this test only (running the suite from inside
  the suite would recurse); `make -n test` shows that the plain target runs the whole suite.
- `curl` is the real curl binary against the started proxy. Its trust store (CURL_CA_BUNDLE) is
  the fake upstream's CA, which stands for the public CAs; options that only say where curl
  writes its output are appended to read the status, headers and certificates. Each curl's
  trailing comment is its promise (`# block page`, `# warn page`, `# passed through, not
  decrypted`) and chooses what is asserted; a promise this test does not know fails it.

No traffic leaves 127.0.0.1: every upstream connection of the proxy is routed to the fake
upstream, and curl only talks to the proxy.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from components import on_ci, require_command
from procharness import ROUTE, START_SECONDS, free_port, wait_for
from proxyharness import FakeUpstream, read_jsonl

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SECTION = "Quick start"
THIS_TEST = f"{Path(__file__).relative_to(ROOT)}::test_readme_quick_start"
INLINE_COMMANDS = ("make ", "aigate ", "curl ", "mitmdump ")
UPSTREAM_CA_NAME = "aigate test upstream CA"  # proxyharness.make_ca_and_leaf's CA
CURL_MARK = "\n@@aigate-readme-test@@\n"
STOP_SECONDS = 30.0


# --- the README's commands --------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """One command of the quick start: as written, its trailing comment, where it was found."""

    text: str
    promise: str
    where: str

    def __str__(self) -> str:
        return f"`{self.text}` ({self.where})"


def section(markdown: str, title: str = SECTION) -> list[tuple[int, str]]:
    """The numbered lines of the `## title` section, up to the next heading of that level."""
    lines = markdown.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == f"## {title}"), None)
    if start is None:
        raise AssertionError(f"README.md has no '## {title}' section")
    out = []
    for number, line in enumerate(lines[start + 1:], start + 2):
        if line.startswith("## ") or line.startswith("# "):
            break
        out.append((number, line))
    return out


def split_comment(line: str) -> tuple[str, str]:
    """A shell line's command and its trailing `# comment` (a `#` outside quotes after a space)."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index].strip(), line[index + 1:].strip()
    return line.strip(), ""


def quick_start_commands(markdown: str) -> list[Command]:
    """The section's commands in order, each once: code block lines (indented or fenced), and
    inline code spans that start a command (`make run ARGS=...` in the prose)."""
    commands: dict[str, Command] = {}

    def add(text: str, promise: str, where: str) -> None:
        if text and text not in commands:
            commands[text] = Command(text, promise, where)

    fenced = False
    previous_blank = True
    in_indented = False
    pending = ""
    for number, line in section(markdown):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        indented = line.startswith(("    ", "\t")) and (previous_blank or in_indented)
        if fenced or (indented and line.strip()):
            in_indented = not fenced
            code = pending + line.strip()
            if code.endswith("\\"):  # a continued shell line
                pending = code[:-1].rstrip() + " "
                continue
            pending = ""
            text, promise = split_comment(code)
            add(text, promise, f"README.md:{number}, code block")
        else:
            in_indented = in_indented and not line.strip()
            for span in re.findall(r"`([^`\n]+)`", line):
                if span.startswith(INLINE_COMMANDS):
                    text, promise = split_comment(span)
                    add(text, promise, f"README.md:{number}, inline code")
        previous_blank = not line.strip()
    return list(commands.values())


def readme_listen_address(markdown: str) -> tuple[str, int]:
    """Where the quick start says `make run` listens (`make run` listens on `HOST:PORT`)."""
    text = "\n".join(line for _, line in section(markdown))
    match = re.search(r"`make run` listens on `([\d.]+):(\d+)`", text)
    if not match:
        raise AssertionError("the quick start no longer says where `make run` listens "
                             "(\"`make run` listens on `HOST:PORT`\"): update this test")
    return match.group(1), int(match.group(2))


# --- processes --------------------------------------------------------------------------------


def port_free(host: str, port: int) -> bool:
    """Whether a proxy could listen on host:port now (with SO_REUSEADDR, as asyncio binds)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def descendants(pid: int) -> list[int]:
    """The process ids below `pid` (children, their children, ...)."""
    out = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    for child in map(int, children):
        out += [child, *descendants(child)]
    return out


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


class Background:
    """A long-running command started as from a terminal: its own session and process group,
    its output read to the end on a thread, stopped with Ctrl-C (SIGINT to the group)."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.argv = argv
        self.process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_line(self, pattern: str, timeout: float = START_SECONDS) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while True:
            for line in list(self.lines):
                if match := re.search(pattern, line):
                    return match
            if self.process.poll() is not None or time.monotonic() > deadline:
                time.sleep(0.2)  # the reader's last lines
                raise AssertionError(f"`{shlex.join(self.argv)}` printed no line matching "
                                     f"{pattern!r}:\n{self.output}")
            time.sleep(0.05)

    def stop(self) -> bool:
        """Ctrl-C; whether everything it started ended within STOP_SECONDS (else killed)."""
        tree = descendants(self.process.pid)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        deadline = time.monotonic() + STOP_SECONDS
        while (self.process.poll() is None or any(map(alive, tree))) and (
                time.monotonic() < deadline):
            time.sleep(0.1)
        clean = self.process.poll() is not None and not any(map(alive, tree))
        if not clean:
            for pid in [self.process.pid, *tree]:
                if alive(pid):
                    os.kill(pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        return clean


# --- the admin's session ----------------------------------------------------------------------


@dataclass
class CurlResult:
    returncode: int
    body: str
    stderr: str
    status: int
    headers: dict[str, str]
    issuers: list[str]  # the Issuer of each certificate curl was shown, leaf first

    def describe(self) -> str:
        return (f"exit {self.returncode}, status {self.status}, headers {self.headers}, "
                f"issuers {self.issuers}\nstderr: {self.stderr}\nbody: {self.body[:600]}")


@dataclass
class Proxy:
    """The `make run` in the background, and the README address it stands for."""

    run: Background
    readme_address: str  # what the README's commands call it ("127.0.0.1:8080")
    address: str  # where it really listens (the same unless the README's port was busy)
    ca: Path


@dataclass
class Session:
    tmp: Path
    upstream: FakeUpstream
    env: dict[str, str]
    readme_address: tuple[str, int]
    proxy: Proxy | None = None
    log: list[str] = field(default_factory=list)

    @property
    def confdir(self) -> Path:
        return Path(self.env["HOME"]) / ".mitmproxy"

    def shell(self, text: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-c", text], cwd=ROOT, env=self.env, capture_output=True,
                              text=True, timeout=timeout, check=False)

    def substitute(self, text: str) -> str:
        if self.proxy is not None and self.proxy.address != self.proxy.readme_address:
            return text.replace(self.proxy.readme_address, self.proxy.address)
        return text

    def decisions(self, host: str) -> list[dict]:
        return [r for log in sorted(self.confdir.glob("aigate-audit*.jsonl"))
                for r in read_jsonl(log) if r.get("event") == "decision" and r.get("host") == host]

    def stop_proxy(self) -> None:
        if self.proxy is None:
            return
        run, self.proxy = self.proxy.run, None
        clean = run.stop()
        assert clean, f"Ctrl-C did not stop `{shlex.join(run.argv)}`:\n{run.output}"
        self.log.append(f"stopped `{shlex.join(run.argv)}` with Ctrl-C")


Step = Callable[[Session, Command], None]


def make_run(session: Session, command: Command) -> None:
    """`make run [ARGS="..."]`: the proxy in the background, on the README's port if free."""
    words = shlex.split(command.text)
    args: list[str] = []
    for word in words[2:]:
        name, sep, value = word.partition("=")
        if name != "ARGS" or not sep:
            pytest.fail(f"README quick start: {command}: this test knows `make run` and "
                        f"`make run ARGS=\"...\"` only, not {word!r}")
        args = shlex.split(value)
    options = dict(zip(args[::2], args[1::2], strict=False))
    for name in options:
        if name not in ("--policy", "--listen-host", "--listen-port", "--metrics-port"):
            pytest.fail(f"README quick start: {command}: this test does not know how to run "
                        f"`make run` with {name}")
    session.stop_proxy()  # one `make run` at a time, as in one terminal
    readme_host, readme_port = session.readme_address
    host = options.get("--listen-host", readme_host)
    port = int(options.get("--listen-port", readme_port))
    adapted = list(args)

    def replace(name: str, value: str) -> None:
        if name in options:
            adapted[adapted.index(name) + 1] = value
        else:
            adapted.extend([name, value])

    policy = options.get("--policy")
    if policy is not None and not (ROOT / policy).exists():
        # the admin's own copy of the default policy ("What an admin does", step 1)
        copy = session.tmp / policy
        copy.write_text((ROOT / "policies" / "default.yaml").read_text())
        replace("--policy", str(copy))
        policy = str(copy)
    listen = port if port_free(host, port) else free_port()
    if listen != port:
        replace("--listen-port", str(listen))
        session.log.append(f"port {port} is busy: `make run` listens on {listen} instead")
    metrics = options.get("--metrics-port")
    if metrics is not None and not port_free("127.0.0.1", int(metrics)):
        metrics = str(free_port())
        replace("--metrics-port", metrics)
        session.log.append(f"metrics port {options['--metrics-port']} is busy: using {metrics}")
    adapted += ["--set", f"scripts={ROUTE}",
                "--set", f"ssl_verify_upstream_trusted_ca={session.upstream.ca_path}"]
    argv = ["make", "run", f"ARGS={shlex.join(adapted)}"]
    run = Background(argv, session.env)
    session.log.append(f"started `{shlex.join(argv)}` in the background")
    try:
        listening = run.wait_line(r"aigate: proxy listening at http://(\S+):(\d+)")
        assert listening.group(1, 2) == (host, str(listen)), run.output
        policy_line = run.wait_line(r"aigate: policy (\S+)")
        ca_line = run.wait_line(r"aigate: clients must trust the CA at (\S+)")
        if metrics is not None:
            run.wait_line(rf"aigate: metrics at http://127\.0\.0\.1:{metrics}/metrics")
    except AssertionError:
        run.stop()
        raise
    session.proxy = Proxy(run, f"127.0.0.1:{port}", f"127.0.0.1:{listen}", Path(ca_line.group(1)))
    # "prints the CA certificate to trust": the admin's confdir, created on first start
    assert session.proxy.ca == session.confdir / "mitmproxy-ca-cert.pem", run.output
    assert session.proxy.ca.is_file(), run.output
    # the policy it runs: ARGS' --policy, else the one the README names ("on policies/...")
    named = re.search(r"\bon (\S+\.ya?ml)\b", command.promise)
    expected = policy or (named.group(1) if named else "policies/default.yaml")
    assert Path(policy_line.group(1)) == (ROOT / expected).resolve(), run.output
    if metrics is not None:
        status = f"http://127.0.0.1:{metrics}"
        wait_for(lambda: http_get(f"{status}/readyz")[0] == 200, START_SECONDS,
                 f"{status}/readyz answering 200")
        code, text = http_get(f"{status}/metrics")
        assert code == 200 and "aigate_" in text, (code, text[:300])


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError:
        return 0, ""


def make_test(session: Session, command: Command) -> None:
    """`make test`: the plain target runs the whole suite (dry run); run for real with this test
    only collected (running the suite from inside the suite would recurse)."""
    if command.text != "make test":
        pytest.fail(f"README quick start: {command}: this test knows plain `make test` only")
    dry = session.shell("make -n test")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    steps = dry.stdout.splitlines()
    assert ".ci/system-deps" in steps, steps
    assert any(re.fullmatch(r"\S*ruff check \.", s) for s in steps), steps
    # pytest without paths: the `testpaths` of pyproject.toml, every test
    assert any(re.fullmatch(r"\S*python -m pytest\s*", s) for s in steps), steps
    collect = f"PYTEST_ARGS=--collect-only -q -p no:cacheprovider {THIS_TEST}"
    real = session.shell(f"make test {shlex.quote(collect)}", timeout=600)
    output = real.stdout + real.stderr
    assert real.returncode == 0, output
    assert "All checks passed!" in output, output  # ruff
    assert THIS_TEST in output and "1 test collected" in output, output
    session.log.append("ran `make test` collecting this test only")


def shell_variable(session: Session, command: Command) -> None:
    """`NAME=VALUE`: set in the admin's shell; a file it names exists (the CA, once started)."""
    name = command.text.partition("=")[0]
    result = session.shell(f'{command.text}; printf %s "${name}"')
    assert result.returncode == 0, result.stderr
    value = result.stdout
    session.env[name] = value
    if value.endswith(".pem"):
        assert Path(value).is_file(), f"{command}: {value} does not exist"
        if session.proxy is not None and name == "CA":
            assert Path(value) == session.proxy.ca, "the README's CA is not the one printed"


def run_curl(session: Session, command: Command) -> tuple[CurlResult, str]:
    """The README's curl against the running proxy, output options appended; the host asked."""
    words = shlex.split(command.text)
    proxy = next((words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-x", "--proxy")), "")
    url = next((w for w in words if w.startswith(("http://", "https://")) and w != proxy), "")
    if session.proxy is None:
        pytest.fail(f"README quick start: {command} comes before any `make run`")
    assert url, f"{command}: no URL"
    assert proxy == f"http://{session.proxy.readme_address}", (
        f"{command} uses the proxy {proxy!r}, but `make run` listens on "
        f"{session.proxy.readme_address}")
    headers = session.tmp / "curl-headers.txt"
    headers.unlink(missing_ok=True)
    mark = CURL_MARK.replace("\n", "\\n")
    extra = (f" --silent --show-error --dump-header {shlex.quote(str(headers))}"
             f" --write-out '%{{stderr}}{mark}%{{http_code}}\\n%{{certs}}'")
    result = session.shell(session.substitute(command.text) + extra)
    stderr, _, written = result.stderr.partition(CURL_MARK)
    code, _, certs = written.partition("\n")
    head: dict[str, str] = {}  # of the last response (after the proxy's CONNECT reply)
    for line in headers.read_text().splitlines() if headers.exists() else []:
        if line.startswith("HTTP/"):
            head = {}
        elif ":" in line:
            name, _, value = line.partition(":")
            head[name.strip().lower()] = value.strip()
    issuers = re.findall(r"^Issuer:\s*(.*)$", certs, re.M)
    outcome = CurlResult(result.returncode, result.stdout, stderr, int(code or 0), head, issuers)
    session.log.append(f"ran `{session.substitute(command.text)}`: exit {outcome.returncode}, "
                       f"status {outcome.status}")
    return outcome, urllib.parse.urlsplit(url).hostname or ""


def curl(session: Session, command: Command) -> None:
    promise = command.promise.lower()
    check = next((c for words, c in PROMISES if all(w in promise for w in words)), None)
    if check is None:
        pytest.fail(f"README quick start: {command}: this test does not know the promise "
                    f"{command.promise!r} (known: {[' + '.join(w) for w, _ in PROMISES]})")
    before = session.upstream.snapshot()
    result, host = run_curl(session, command)
    check(session, result, host, before)


def expect_page(session: Session, result: CurlResult, host: str, before: tuple[int, int],
                status: int, title: str, action: str, *texts: str) -> None:
    """A page the proxy answered itself: decrypted (mitmproxy's CA), upstream never asked."""
    assert result.returncode == 0 and result.status == status, result.describe()
    assert result.headers.get("content-type", "").startswith("text/html"), result.describe()
    assert f"<title>{title}" in result.body, result.describe()
    for text in texts:
        assert text in result.body, result.describe()
    assert result.issuers and "mitmproxy" in result.issuers[0], result.describe()
    assert not [r for r in session.upstream.requests_since(before) if r.host == host]
    wait_for(lambda: session.decisions(host), 10, f"the audit decision for {host}")
    # one decision, the page's: its request id is the page's x-aigate-request-id
    assert [(r["action"], r["request_id"]) for r in session.decisions(host)] == [
        (action, result.headers.get("x-aigate-request-id"))], result.describe()


def expect_block_page(session: Session, result: CurlResult, host: str,
                      before: tuple[int, int]) -> None:
    expect_page(session, result, host, before, 403, "Blocked: ", "block", "Read the full AI policy")


def expect_warn_page(session: Session, result: CurlResult, host: str,
                     before: tuple[int, int]) -> None:
    expect_page(session, result, host, before, 200, "Caution: ", "warn", "I understand, continue")


def expect_passthrough(session: Session, result: CurlResult, host: str,
                       before: tuple[int, int]) -> None:
    """Passed through, not decrypted: curl verified the upstream's own certificate (no CA of
    the proxy), the upstream answered, and the proxy recorded no decision."""
    assert result.returncode == 0 and result.status == 200, result.describe()
    assert result.issuers and result.issuers[0] == f"CN = {UPSTREAM_CA_NAME}", result.describe()
    assert not any("mitmproxy" in issuer for issuer in result.issuers), result.describe()
    assert result.headers.get("x-upstream") == "fake", result.describe()
    assert json.loads(result.body)["host"] == host, result.describe()
    seen = session.upstream.requests_since(before)
    assert [r.host for r in seen] == [host], seen
    assert host in session.upstream.sni
    time.sleep(0.5)  # a decision would be written by now
    assert session.decisions(host) == []


PROMISES: list[tuple[tuple[str, ...], Callable[..., None]]] = [
    (("block page",), expect_block_page),
    (("warn page",), expect_warn_page),
    (("passed through", "not decrypted"), expect_passthrough),
]


def step_for(command: Command) -> Step | None:
    """How this test runs a README command, or None if it does not know."""
    text = command.text
    if re.fullmatch(r"make run(\s.*)?", text):
        return make_run
    if re.fullmatch(r"make test(\s.*)?", text):
        return make_test
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=\S+", text):
        return shell_variable
    if text.startswith("curl "):
        return curl
    return None


# --- the tests --------------------------------------------------------------------------------


def admin_environment(home: Path, upstream: FakeUpstream) -> dict[str, str]:
    """This environment as a new admin's shell: a fresh home, no proxy variables, nothing of an
    outer `make test` (it exports its command-line variables, PYTEST_ARGS among them);
    the public CAs are the fake upstream's, and the proxy's upstream is the fake upstream."""
    dropped = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "ARGS", "PYTEST_ARGS",
               "CURL_HOME", "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE")
    env = {k: v for k, v in os.environ.items()
           if k not in dropped and not k.lower().endswith("_proxy")}
    env.update(HOME=str(home), CURL_CA_BUNDLE=str(upstream.ca_path),
               AIGATE_TEST_UPSTREAM="{}:{}".format(*upstream.address))
    return env


def require_setup(env: dict[str, str]) -> None:
    """`make run` installs first when .venv is out of date: that needs the network, so ask for
    it up front (`make test` does it before running the suite)."""
    question = subprocess.run(["make", "-q", "setup"], cwd=ROOT, env=env, capture_output=True,
                              check=False)
    if question.returncode != 0:
        message = ".venv is not set up for this pyproject.toml: run `make setup` first"
        if on_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def test_readme_quick_start(tmp_path: Path) -> None:
    require_command("curl", "curl")
    require_command("make", "make")
    markdown = README.read_text()
    commands = quick_start_commands(markdown)
    assert any(c.text == "make run" for c in commands), commands
    unknown = [str(c) for c in commands if step_for(c) is None]
    if unknown:
        pytest.fail("README quick start command(s) this test does not know how to run: "
                    + "; ".join(unknown) + " (add a step to tests/e2e/test_readme_quickstart.py)",
                    pytrace=False)
    hosts = sorted({urllib.parse.urlsplit(w).hostname or "" for c in commands
                    for w in shlex.split(c.text) if w.startswith("https://")} - {""})
    upstream = FakeUpstream(tmp_path / "upstream", hosts)
    home = tmp_path / "home"
    home.mkdir()
    session = Session(tmp_path, upstream, admin_environment(home, upstream),
                      readme_listen_address(markdown))
    require_setup(session.env)
    try:
        for command in commands:
            step = step_for(command)
            assert step is not None
            step(session, command)
        session.stop_proxy()
    finally:
        if session.proxy is not None:
            session.proxy.run.stop()
        upstream.close()
    print("\n".join(session.log))


def test_a_readme_command_without_a_step_is_named() -> None:
    """A command added to the quick start that no step runs is found and named (the guard
    above), whether in a code block or inline; the real quick start has none."""
    markdown = (
        "# x\n\n## Quick start\n\n    make run   # starts it\n    rm -rf build  # tidy\n\n"
        "Or `aigate check policy.yaml`, with `python3.12`.\n\n"
        "```sh\ncurl -x http://127.0.0.1:8080 \\\n  https://a.example/  # block page\n```\n"
        "\n## Next\n\n    make bench\n"
    )
    commands = quick_start_commands(markdown)
    assert [(c.text, c.promise) for c in commands] == [
        ("make run", "starts it"), ("rm -rf build", "tidy"), ("aigate check policy.yaml", ""),
        ("curl -x http://127.0.0.1:8080 https://a.example/", "block page"),
    ]
    assert [c.text for c in commands if step_for(c) is None] == [
        "rm -rf build", "aigate check policy.yaml"]
    assert all(step_for(c) for c in quick_start_commands(README.read_text()))
