"""A real OpenLDAP server (`slapd` from Debian) for the proxy-authentication tests.

`running_slapd(directory)` writes a slapd.conf, loads the directory with `slapadd` and starts
`slapd` in the foreground on a free 127.0.0.1 port, everything (configuration, database, pid
file) inside `directory`: no root, no network, nothing of the system's own slapd (Debian's
postinst may have configured a default database; it is neither used nor needed). Stopped, by
its pid, on exit.

The directory, dc=example,dc=test:

- `ou=people`: the people a test passes, e.g. `uid=alice` (inetOrgPerson, salted SHA-1
  `userPassword`), each with the `memberOf` values it names (`Person.member_of`: stored on
  the entry, as Active Directory does; the memberof overlay defines the attribute);
- `ou=groups`: one groupOfNames per name in the people's `Person.groups`, listing them as
  `member`, e.g. `cn=engineering` and `cn=staff`;
- `ou=services`: `cn=aigate`, the account the proxy binds as to look people up (it may read
  entries, never passwords); the root DN is for the fixture alone.

`Slapd.proxyauth` is the mitmproxy `proxyauth` option for it: people sign in with their `uid`.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from components import on_ci

SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
SCHEMA = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")
PACKAGE = "slapd ldap-utils"
SUFFIX = "dc=example,dc=test"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
SERVICE_DN = f"cn=aigate,ou=services,{SUFFIX}"
ROOT_DN = f"cn=admin,{SUFFIX}"
START_SECONDS = 20.0


def ssha(password: str) -> str:
    """`{SSHA}` as slappasswd writes it: base64(sha1(password + salt) + salt)."""
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def missing() -> str | None:
    """Why slapd cannot run here (a missing file), or None."""
    for path in (SLAPD, SLAPADD, SCHEMA / "nis.schema", MODULES / "back_mdb.la",
                 MODULES / "memberof.la"):
        if not path.exists():
            return f"needs {path}: apt-get install {PACKAGE} (or run .ci/system-deps as root)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Person:
    uid: str
    password: str
    groups: tuple[str, ...]  # cn of groupOfNames entries under ou=groups that list the person
    member_of: tuple[str, ...] = ()  # group DNs in the person's own memberOf attribute

    @property
    def dn(self) -> str:
        return f"uid={self.uid},{PEOPLE}"

    @property
    def auth(self) -> str:
        """`user:password` for a proxy client."""
        return f"{self.uid}:{self.password}"


@dataclass
class Slapd:
    """A running slapd: its URL, the people in it, the service account and its own process."""

    directory: Path
    port: int
    people: dict[str, Person]
    service_password: str
    root_password: str
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    @property
    def proxyauth(self) -> str:
        """mitmproxy's `ldap:server:port:bind DN:bind password:search base?search_filter_key=`."""
        return (f"ldap:127.0.0.1:{self.port}:{SERVICE_DN}:{self.service_password}:"
                f"{PEOPLE}?search_filter_key=uid")

    @property
    def log(self) -> str:
        return (self.directory / "slapd.log").read_text(errors="replace")

    def pause(self) -> None:
        """Freeze the server (SIGSTOP): connections are accepted by the kernel, never answered."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self) -> None:
        """Stop and start again on the same port and database (open connections are dropped)."""
        self.stop()
        self.process = _start(self.directory, self.port)


def _config(directory: Path, root_password: str) -> str:
    schemas = "".join(
        f"include {SCHEMA / name}.schema\n"
        for name in ("core", "cosine", "inetorgperson", "nis")
    )
    return f"""{schemas}
pidfile {directory / "slapd.pid"}
argsfile {directory / "slapd.args"}
modulepath {MODULES}
moduleload back_mdb
moduleload memberof
# Passwords: only to bind with. Entries: read by anyone bound (the service account, people).
database mdb
maxsize 16777216
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {ssha(root_password)}
directory {directory / "db"}
access to attrs=userPassword by anonymous auth by self auth by * none
access to * by users read by * none
overlay memberof
"""


def _entries(people: dict[str, Person], service_password: str) -> str:
    blocks = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\n"
        "o: Example Test\n",
        *(f"dn: ou={ou},{SUFFIX}\nobjectClass: organizationalUnit\nou: {ou}\n"
          for ou in ("people", "groups", "services")),
        f"dn: {SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
        f"cn: aigate\nuserPassword: {ssha(service_password)}\n",
    ]
    for person in people.values():
        blocks.append(
            f"dn: {person.dn}\nobjectClass: inetOrgPerson\nuid: {person.uid}\n"
            f"cn: {person.uid.title()} Example\nsn: Example\nmail: {person.uid}@example.test\n"
            f"userPassword: {ssha(person.password)}\n"
            + "".join(f"memberOf: {dn}\n" for dn in person.member_of)
        )
    names = sorted({group for person in people.values() for group in person.groups})
    for name in names:
        members = "".join(
            f"member: {person.dn}\n" for person in people.values() if name in person.groups
        )
        blocks.append(f"dn: cn={name},{GROUPS}\nobjectClass: groupOfNames\ncn: {name}\n{members}")
    return "\n".join(blocks)


def _start(directory: Path, port: int) -> subprocess.Popen[bytes]:
    """slapd in the foreground (`-d`), serving only ldap://127.0.0.1:port/, logging to a file."""
    log = (directory / "slapd.log").open("ab")
    with log:
        process = subprocess.Popen(
            [str(SLAPD), "-f", str(directory / "slapd.conf"), "-h", f"ldap://127.0.0.1:{port}/",
             "-d", "stats"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"slapd exited with {process.returncode}:\n"
                + (directory / "slapd.log").read_text(errors="replace")[-3000:]
            )
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return process
        time.sleep(0.05)
    process.kill()
    process.wait()
    raise RuntimeError(f"slapd did not listen on 127.0.0.1:{port} within {START_SECONDS} s")


@contextlib.contextmanager
def running_slapd(directory: Path, people: list[Person]) -> Iterator[Slapd]:
    """slapd serving a fresh database of `people` in `directory`; raises (with slapd's own
    output) when it cannot start, so a test never passes without it."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "db").mkdir()
    root_password, service_password = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    by_uid = {person.uid: person for person in people}
    (directory / "slapd.conf").write_text(_config(directory, root_password))
    (directory / "entries.ldif").write_text(_entries(by_uid, service_password))
    loaded = subprocess.run(
        [str(SLAPADD), "-f", str(directory / "slapd.conf"), "-l", str(directory / "entries.ldif")],
        capture_output=True, text=True, timeout=60,
    )
    if loaded.returncode:
        raise RuntimeError(f"slapadd failed ({loaded.returncode}):\n{loaded.stderr}")
    for attempt in range(3):  # another process may take the free port before slapd binds it
        port = free_port()
        try:
            process = _start(directory, port)
            break
        except RuntimeError:
            if attempt == 2:
                raise
    server = Slapd(directory, port, by_uid, service_password, root_password, process)
    try:
        yield server
    finally:
        server.stop()


def require_slapd() -> None:
    """Skip (locally) or fail (under CI=true) when slapd is not installed."""
    import pytest

    reason = missing()
    if reason is None:
        return
    if on_ci():
        pytest.fail(f"CI is missing a test component: {reason}", pytrace=False)
    pytest.skip(reason)
