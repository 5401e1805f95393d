"""Credentials in the files tools read them from: ~/.netrc, ~/.pgpass, password hashes in
htpasswd/shadow lines, and daemon directives that take a password (redis.conf requirepass,
keepalived auth_pass, nslcd bindpw, slapd rootpw).

`key = value` files (.env, .pypirc, AWS credentials, application.properties, kubeconfig `token:`)
are read by the generic assignment detectors in `secrets_generic`; .npmrc auth lines and
kubeconfig client keys have vendor detectors (`npmrc_auth_token`, `kubeconfig_client_key`)."""

from __future__ import annotations

from aigate.inspect.detectors.base import Detector
from aigate.inspect.detectors.secrets_generic import url_password


def _netrc(value: str) -> bool:
    return url_password(value)


_HASH_EDGE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./")

DETECTORS = (
    Detector(
        "netrc_password",
        "secret",
        r"\b(?:machine[ \t]+\S+|default\s+login[ \t]+\S+)"
        r"(?:\s+(?:login|account|port)[ \t]+\S+){0,3}\s+password[ \t]+(?P<v>\S+)",
        _netrc,
        confidence="context",
        keep=(0, 0),
        description="Password in a .netrc entry (machine host login user password ...).",
        source="https://www.gnu.org/software/inetutils/manual/html_node/The-_002enetrc-file.html",
    ),
    Detector(
        "password_hash",
        "secret",
        r"(?P<v>\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}"
        r"|\$apr1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}"
        r"|\{S?SHA\}[A-Za-z0-9+/]{27,}={0,2})",
        confidence="validated",
        keep=(4, 0),
        boundary=_HASH_EDGE,
        description="A crackable password hash as htpasswd and LDAP store it (bcrypt $2b$, Apache "
        "$apr1$ MD5, {SHA}, {SSHA}).",
        source="https://httpd.apache.org/docs/2.4/misc/password_encryptions.html",
    ),
    Detector(
        "shadow_password_hash",
        "secret",
        # SHA-crypt: $5$/$6$, optional rounds=N$, salt, 43 or 86 characters; yescrypt: $y$,
        # parameters, salt, 43 characters.
        r"(?P<v>\$[56y]\$(?:rounds=\d{1,9}\$|[./A-Za-z0-9]{1,8}\$)?[./A-Za-z0-9]+\$"
        r"[./A-Za-z0-9]{43}(?:[./A-Za-z0-9]{43})?)",
        confidence="validated",
        keep=(3, 0),
        boundary=_HASH_EDGE,
        description="A crackable password hash in crypt(3) form as /etc/shadow stores it "
        "(SHA-256/512-crypt $5$/$6$, yescrypt $y$).",
        source="https://man7.org/linux/man-pages/man5/crypt.5.html",
    ),
    Detector(
        "pgpass_password",
        "secret",
        r"(?m)^[ \t]*[^\s:#]+:(?:\d{1,5}|\*):[^\s:]+:[^\s:]+:(?P<v>\S+)$",
        _netrc,
        context=("pgpass", "passfile"),
        context_required=True,
        window=300,
        confidence="context",
        keep=(0, 0),
        description="Password field of a PostgreSQL ~/.pgpass line "
        "(hostname:port:database:username:password), when the file is named.",
        source="https://www.postgresql.org/docs/current/libpq-pgpass.html",
    ),
    Detector(
        "config_directive_password",
        "secret",
        r"(?m)^[ \t]*(?:requirepass|masterauth|auth_pass|bindpw|rootpw)[ \t]+[\"']?"
        r"(?P<v>[^\s\"']+)",
        _netrc,
        confidence="context",
        keep=(0, 0),
        description="Password directive of a daemon config (redis.conf requirepass/masterauth, "
        "keepalived auth_pass, nslcd/ldap.conf bindpw, slapd rootpw).",
        source="https://redis.io/docs/latest/operate/oss_and_stack/management/security/",
    ),
)
