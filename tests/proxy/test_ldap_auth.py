"""Proxy authentication against a real OpenLDAP: Debian's `slapd`, started by the test on a free
127.0.0.1 port with a temporary database (tests/proxy/ldapharness.py).

mitmproxy's `proxyauth=ldap:...` checks each person's password by binding to the directory as
them; aigate then asks the same directory which groups (`groupOfNames`) the person is in and
gives them the policy groups that name those (`groups.<name>.ldap_groups`), so a member of the
directory group `engineering` gets the policy group's exception. What is proven here: the right
password is accepted and gets the group's decision, a person outside the directory group gets
the rule for everyone, every wrong credential (wrong password, unknown user, empty password, a
filter wildcard) gets 407 with `Proxy-Authenticate` and never reaches the upstream, no password
(plain or as the Basic credential) is in the proxy's log output or the audit log, read from
disk, and a directory that stops answering after a lookup leaves people their groups, costs
one timeout, and is logged once.

The module's proxy runs in this process; the last test runs `aigate run` as admins start it,
with the LDAP settings in the confdir's config.yaml, and reads its output.
"""

from __future__ import annotations

import base64
import logging
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
import yaml
from aigate.flowstate import FLOW_KEY
from components import require_command
from ldapharness import GROUPS, SERVICE_DN, Person, Slapd, require_slapd, running_slapd
from procharness import proxy_client, routed, started
from proxyharness import (
    TEST_POLICY,
    RunningProxy,
    make_client,
    read_head,
    read_jsonl,
    wait_for,
    write_test_policy,
)

BIN = Path(sys.executable).parent
TOOL = "https://code.group.test/v1/chat/completions"  # blocked, except for group engineering
# In the directory: alice is in the LDAP groups engineering and staff, bob in staff only. The
# policy's group `engineering` is the directory's (spelled as people write DNs, not as slapd
# does); no policy group names staff, or anyone by user name.
ALICE = Person("alice", "Alice-LDAP-pw-4417", ("engineering", "staff"))
BOB = Person("bob", "Bob-LDAP-pw-8826", ("staff",))
# dana is in engineering by her entry's memberOf alone (as Active Directory records it): the
# groupOfNames entry does not list her.
DANA = Person("dana", "Dana-LDAP-pw-3309", (), member_of=(f"cn=engineering,{GROUPS}",))
WRONG = {
    "wrong-password": "alice:Alice-LDAP-pw-4418",
    "unknown-user": "carol:Carol-LDAP-pw-1234",
    "empty-password": "alice:",  # an LDAP simple bind with no password would succeed anonymously
    "filter-wildcard": f"*:{ALICE.password}",  # `(uid=*)` would match everyone
    "dn-as-user-name": f"{ALICE.dn}:{ALICE.password}",
}


ENGINEERING = "CN=Engineering, OU=Groups, DC=example, DC=test"


def ldap_policy_text() -> str:
    """The test policy with `engineering` defined by the directory group, not by user names."""
    text = TEST_POLICY.read_text()
    by_user = "  engineering:\n    users: [alice]\n"
    assert by_user in text, "tests/proxy/data/policy.yaml no longer names alice in engineering"
    return text.replace(by_user, f'  engineering:\n    ldap_groups: ["{ENGINEERING}"]\n')


def basic(auth: str) -> str:
    return base64.b64encode(auth.encode()).decode()


def secrets_of(slapd: Slapd) -> list[str]:
    """Every password in play, and each as a Basic credential would carry it."""
    people = (ALICE, BOB, DANA)
    texts = [*(p.password for p in people), slapd.service_password, slapd.root_password,
             *(auth.partition(":")[2] for auth in WRONG.values() if auth.partition(":")[2])]
    credentials = [*(p.auth for p in people), *WRONG.values()]
    return [*texts, *(basic(c) for c in credentials)]


def connect(proxy_port: int, auth: str | None) -> tuple[int, dict[str, str]]:
    """A raw CONNECT with these credentials: the proxy's status and lowercased headers."""
    with socket.create_connection(("127.0.0.1", proxy_port), timeout=10) as sock:
        head = "CONNECT code.group.test:443 HTTP/1.1\r\nHost: code.group.test:443\r\n"
        if auth is not None:
            head += f"Proxy-Authorization: Basic {basic(auth)}\r\n"
        sock.sendall((head + "\r\n").encode())
        lines = read_head(sock).decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    return int(lines[0].split(" ", 2)[1]), headers


@pytest.fixture(scope="module")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    require_slapd()
    with running_slapd(tmp_path_factory.mktemp("slapd"), [ALICE, BOB, DANA]) as server:
        yield server


@pytest.fixture(scope="module")
def audit_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ldap-audit") / "aigate-audit.jsonl"


@pytest.fixture(scope="module")
def proxy(
    launch, slapd: Slapd, audit_log: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningProxy]:
    policy = write_test_policy(tmp_path_factory.mktemp("ldap-policy"), ldap_policy_text())
    with launch(policy, proxyauth=slapd.proxyauth, aigate_audit_log=str(audit_log)) as running:
        yield running


def decisions(log: Path, user: str) -> list[dict]:
    return [r for r in read_jsonl(log) if r.get("event") == "decision" and r["user"] == user]


def test_the_directory_is_a_real_slapd_with_the_people_and_groups(slapd):
    """The fixture itself: passwords are checked by slapd, and the groups are in it."""
    whoami = require_command("ldapwhoami", "ldap-utils")
    right = subprocess.run([whoami, "-x", "-H", slapd.url, "-D", ALICE.dn, "-w", ALICE.password],
                           capture_output=True, text=True, timeout=10)
    wrong = subprocess.run([whoami, "-x", "-H", slapd.url, "-D", ALICE.dn, "-w", "nope"],
                           capture_output=True, text=True, timeout=10)
    assert right.returncode == 0 and right.stdout.strip() == f"dn:{ALICE.dn}", right.stderr
    assert wrong.returncode == 49, "slapd must refuse a wrong password (invalidCredentials)"
    search = subprocess.run(
        [require_command("ldapsearch", "ldap-utils"), "-x", "-LLL", "-H", slapd.url,
         "-D", SERVICE_DN, "-w", slapd.service_password, "-b", GROUPS, "(cn=engineering)",
         "member", "userPassword"],
        capture_output=True, text=True, timeout=10,
    )
    assert search.returncode == 0, search.stderr
    assert f"member: {ALICE.dn}" in search.stdout and BOB.dn not in search.stdout
    assert DANA.dn not in search.stdout
    people = subprocess.run(
        [require_command("ldapsearch", "ldap-utils"), "-x", "-LLL", "-H", slapd.url,
         "-D", SERVICE_DN, "-w", slapd.service_password, "-b", DANA.dn, "userPassword",
         "memberOf"],
        capture_output=True, text=True, timeout=10,
    )
    assert people.returncode == 0 and "userPassword" not in people.stdout, (
        "the proxy's service account must not read password hashes"
    )
    assert f"memberOf: cn=engineering,{GROUPS}" in people.stdout, people.stdout


@pytest.mark.parametrize(
    ("login", "status", "outcome", "groups"),
    [
        (ALICE.auth, 200, "allowed", ["engineering"]),
        (BOB.auth, 403, "blocked", []),
        # LDAP matches uid case-insensitively: same entry, same directory groups, same rule.
        (f"ALICE:{ALICE.password}", 200, "allowed", ["engineering"]),
        (DANA.auth, 200, "allowed", ["engineering"]),
    ],
    ids=["alice-gets-the-engineering-exception", "bob-gets-the-service-rule", "ALICE-as-alice",
         "dana-by-memberOf"],
)
def test_a_member_of_the_directory_group_gets_the_rules_of_its_policy_group(
    proxy, upstream, audit_log, login, status, outcome, groups
):
    user = login.partition(":")[0]
    before = upstream.snapshot()
    with make_client(proxy, auth=login) as client:
        response = client.post(TOOL, json={"messages": [{"role": "user", "content": "hi"}]})
    assert response.status_code == status
    assert bool(upstream.requests_since(before)) is (status == 200)
    wait_for(lambda: decisions(audit_log, user), what=f"the audit record of {user}")
    record = decisions(audit_log, user)[-1]
    assert (record["user"], record["groups"], record["outcome"]) == (user, groups, outcome)
    assert record["rule"] == (
        "exceptions.engineering-tools" if groups else "services.t-group"
    )
    state = next(f.metadata[FLOW_KEY] for f in reversed(proxy.flows)
                 if f.metadata.get(FLOW_KEY) and f.metadata[FLOW_KEY].identity.user == user)
    assert login.partition(":")[2] not in repr(state), "the password leaked into FlowState"


@pytest.mark.parametrize("auth", [*WRONG.values(), None], ids=[*WRONG, "no-credentials"])
def test_every_wrong_credential_gets_407_and_never_reaches_the_upstream(proxy, upstream, auth):
    before = upstream.snapshot()
    status, headers = connect(proxy.port, auth)
    assert status == 407
    assert headers.get("proxy-authenticate", "").startswith("Basic realm=")
    # A plain-HTTP request is refused the same way (the client sees the 407 itself).
    url = proxy.url if auth is None else proxy.url.replace("http://", f"http://{auth}@")
    with httpx.Client(proxy=url, timeout=10) as client:
        plain = client.get("http://code.group.test/v1/models")
    assert plain.status_code == 407 and "proxy-authenticate" in plain.headers
    assert upstream.snapshot() == before, "a refused request must not contact the upstream"


def test_no_password_reaches_the_proxy_log_or_the_audit_log(proxy, slapd, audit_log, caplog):
    """Every record the proxy logs, at every level, and the audit log as written to disk."""
    caplog.set_level(logging.DEBUG)
    with make_client(proxy, auth=ALICE.auth) as client:
        assert client.post(TOOL, json={}).status_code == 200
    with make_client(proxy, auth=BOB.auth) as client:
        assert client.post(TOOL, json={}).status_code == 403
    for auth in WRONG.values():
        assert connect(proxy.port, auth)[0] == 407
    wait_for(lambda: len(decisions(audit_log, "alice")) and decisions(audit_log, "bob"))
    ours = [r for r in caplog.records if r.thread == proxy.thread.ident]
    assert ours, "the proxy logged nothing at DEBUG: is the capture attached?"
    logged = "\n".join(f"{r.getMessage()}\n{r.exc_text or ''}" for r in ours)
    audit = audit_log.read_text()
    assert '"user":"alice"' in audit and '"user":"bob"' in audit
    for secret in secrets_of(slapd):
        assert secret not in logged, f"{secret!r} in the proxy's log"
        assert secret not in audit, f"{secret!r} in the audit log"


def test_a_directory_that_stops_answering_leaves_people_the_groups_last_seen(
    proxy, slapd, audit_log, caplog
):
    """slapd frozen (SIGSTOP: connections accepted, never answered) after alice's groups were
    read and had gone stale: her requests on her open connection (already signed in, so
    mitmproxy's own check does not ask the directory) keep the engineering exception, only the
    first waits for the lookup's timeout, and the outage is logged once, then its end once."""
    caplog.set_level(logging.INFO)
    proxy.set(aigate_ldap_groups_ttl=1.0)
    try:
        with make_client(proxy, auth=ALICE.auth) as client:
            assert client.post(TOOL, json={}).status_code == 200  # groups read and remembered
            time.sleep(1.1)  # ... and now stale: the next request asks the directory
            slapd.pause()
            try:
                started = time.monotonic()
                during = [client.post(TOOL, json={}).status_code for _ in range(3)]
                waited = time.monotonic() - started
            finally:
                slapd.resume()
            time.sleep(1.1)  # the pause after a failure (the TTL, at most 30 s) is over
            assert client.post(TOOL, json={}).status_code == 200
        wait_for(lambda: len(decisions(audit_log, "alice")) >= 5, what="alice's decisions")
    finally:
        proxy.set(aigate_ldap_groups_ttl=300.0)
    assert during == [200, 200, 200]
    assert 2.5 < waited < 6, f"{waited:.1f} s: expected one lookup timeout (3 s), not more"
    connections = {f.client_conn.id for f in proxy.flows[-5:]}
    assert len(connections) == 1, "the client reconnected: mitmproxy would have asked slapd"
    assert [r["groups"] for r in decisions(audit_log, "alice")[-5:]] == [["engineering"]] * 5
    ours = [r for r in caplog.records
            if r.thread == proxy.thread.ident and r.name == "aigate.proxy.directory"]
    assert [(r.levelname, r.getMessage()) for r in ours] == [
        ("ERROR", f"aigate: the directory ldap://127.0.0.1:{slapd.port} did not answer a group "
                  "lookup (no answer in 3 s); until it does, people keep the directory groups "
                  "last seen and others get none (the rules for everyone)"),
        ("WARNING", f"aigate: the directory ldap://127.0.0.1:{slapd.port} answers group "
                    "lookups again"),
    ]


def test_aigate_run_with_ldap_in_the_confdir_config(slapd, upstream, tmp_path):
    """`aigate run` as admins start it: the LDAP setting (with the service account's password)
    in <confdir>/config.yaml, not on the command line; its output and audit logs are clean."""
    confdir = tmp_path / "conf"
    confdir.mkdir()
    config = confdir / "config.yaml"
    config.write_text(yaml.safe_dump({"proxyauth": slapd.proxyauth}))
    config.chmod(0o600)
    policy = write_test_policy(tmp_path / "policy", ldap_policy_text())
    route, env = routed(upstream.address, upstream.ca_path)
    argv = [str(BIN / "aigate"), "run", "--policy", str(policy), "--listen-port", "0",
            "--set", f"confdir={confdir}", *route]
    with started(argv, env=env) as running:
        with proxy_client(running.port, confdir, ALICE.auth) as client:
            assert client.post(TOOL, json={}).status_code == 200
        with proxy_client(running.port, confdir, BOB.auth) as client:
            assert client.post(TOOL, json={}).status_code == 403
        for auth in (*WRONG.values(), None):
            assert connect(running.port, auth)[0] == 407, auth
        wait_for(lambda: any(decisions(f, "bob") for f in confdir.glob("aigate-audit*.jsonl")),
                 what="bob's decision on disk")
        logs = sorted(confdir.glob("aigate-audit*.jsonl"))
        records = [r for f in logs for r in read_jsonl(f) if r.get("event") == "decision"]
        assert {(r["user"], tuple(r["groups"]), r["outcome"]) for r in records} == {
            ("alice", ("engineering",), "allowed"), ("bob", (), "blocked")
        }
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                    for pid in [running.process.pid, *_children(running.process.pid)]]
    output = "\n".join(running.lines)
    audit = "".join(f.read_text() for f in logs)
    assert "aigate: proxy listening at" in output
    for secret in secrets_of(slapd):
        assert secret not in output, f"{secret!r} in the output of aigate run"
        assert secret not in audit, f"{secret!r} in the audit log"
        assert not any(secret in command for command in commands), f"{secret!r} in argv"


def _children(pid: int) -> list[int]:
    """Worker processes of an `aigate run` supervisor (none for one worker)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []
