"""Passwords and tokens on command lines: `--password ...` options of any tool, `mysql -p...`,
`sshpass -p`, `docker login -p`, and the password arguments of openssl, keytool, LDAP, SQL Server,
Redis, MongoDB, smbclient, 7-Zip, zip, `net use`, htpasswd and rabbitmqctl; plus a password
echoed into `chpasswd` or `--password-stdin`. A variable (`$PASS`, `%PASS%`) is not a finding."""

from __future__ import annotations

from aigate.inspect.detectors.base import Detector
from aigate.inspect.detectors.secrets_generic import either_case, password_value, url_password

# A command-line word: up to white space or a quote.
_ARG = r"[\"']?(?P<v>[^\s\"'`]{3,})"
# The rest of one command, before the option (no pipe, no command separator, no new line).
_SAME_COMMAND = r"[^\n|;&]{0,200}?[ \t]"


# Option names (after their last dash) that take a password or token, in any case.
_SECRET_OPTIONS = either_case(
    "password", "passwd", "pass", "pwd", "passphrase", "secret", "client-secret", "token",
    "api-key", "apikey", "api-token", "auth-token", "access-token", "private-token", "bearer-token",
)  # fmt: skip


def _argument(value: str) -> bool:
    return url_password(value)


DETECTORS = (
    Detector(
        "docker_login_password",
        "secret",
        r"\b(?:docker|podman|buildah|skopeo|nerdctl|oras|oc|helm(?:[ \t]+registry)?)[ \t]+login\b"
        rf"{_SAME_COMMAND}(?:-p|--password|--token)(?:=|[ \t]+){_ARG}",
        _argument,
        confidence="context",
        keep=(0, 0),
        description="Password or token given to `docker/podman/helm/oc login -p`.",
        source="https://docs.docker.com/reference/cli/docker/login/",
    ),
    Detector(
        "password_cli_option",
        "secret",
        # `--?(?:[A-Za-z0-9]+-){0,3}` with its last dash written next to the name, so the
        # prefilter's atoms are `-password`, `-token`, ... (not the bare words of prose)
        r"(?:^|[ \t])(?:-|-?-(?:[A-Za-z0-9]+-){0,2}[A-Za-z0-9]+)?-"
        rf"{_SECRET_OPTIONS}(?:=|[ \t]+){_ARG}",
        password_value,
        confidence="context",
        keep=(0, 0),
        description="A literal after a --password, --passphrase, --token or --api-key option "
        "(wget --http-password=..., psql, vault, gh, any tool).",
        source="https://www.gnu.org/software/wget/manual/wget.html#Download-Options",
    ),
    Detector(
        "mysql_password_option",
        "secret",
        r"\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mysqlsh|mariadb|"
        rf"mariadb-dump|mariadb-admin){_SAME_COMMAND}-p[\"']?(?P<v>[^\s\"'`]+)",
        _argument,
        confidence="context",
        keep=(0, 0),
        description="MySQL/MariaDB password attached to -p (mysql -u root -pS3cret).",
        source="https://dev.mysql.com/doc/refman/8.4/en/connection-options.html#option_general_password",
    ),
    Detector(
        "sshpass_password",
        "secret",
        rf"\bsshpass(?:[ \t]+-[A-Za-oq-z]\S*)*[ \t]+-p[ \t]*{_ARG}",
        _argument,
        confidence="context",
        keep=(0, 0),
        description="SSH password given to sshpass -p.",
        source="https://manpages.debian.org/sshpass",
    ),
    Detector(
        "cli_password_argument",
        "secret",
        rf"(?:\bopenssl\b{_SAME_COMMAND}-pass(?:in|out)?[ \t]+pass:"
        rf"|\bopenssl[ \t]+(?:enc|aes|des|bf|camellia)\S*{_SAME_COMMAND}-k[ \t]+"
        rf"|\b(?:keytool|jarsigner)\b{_SAME_COMMAND}-(?:store|key|srcstore|deststore|srckey|"
        r"destkey|new)pass[ \t]+"
        rf"|\bldap(?:search|add|modify|delete|passwd|whoami|compare|modrdn|exop)\b{_SAME_COMMAND}"
        r"-w[ \t]+"
        rf"|\b(?:sqlcmd|bcp|osql|isql)\b{_SAME_COMMAND}-P[ \t]*"
        rf"|\bredis-cli\b{_SAME_COMMAND}-a[ \t]+"
        rf"|\bmongo(?:sh|dump|restore|export|import|stat|top)?\b{_SAME_COMMAND}-p[ \t]+"
        rf"|\bsmbclient\b{_SAME_COMMAND}(?:-U|--user)[ \t=]+[\"']?[^%\s\"']+%"
        rf"|\b7z[ar]?\b{_SAME_COMMAND}-p"
        rf"|\b(?:un)?zip\b{_SAME_COMMAND}-P[ \t]+"
        r"|\bnet[ \t]+use[ \t]+(?:[A-Za-z]:[ \t]+)?\\\\\S+[ \t]+(?:/user:\S+[ \t]+)?"
        r"|\bhtpasswd[ \t]+-[A-Za-z]*b[A-Za-z]*[ \t]+(?:[^\s&|;<>]+[ \t]+){1,2}"
        r"|\brabbitmqctl[ \t]+(?:add_user|change_password)[ \t]+\S+[ \t]+)"
        r"[\"']?(?P<v>[^\s\"'`/*&|;<>][^\s\"'`]*)",
        _argument,
        confidence="context",
        keep=(0, 0),
        description="Password argument of openssl (-passin pass:), keytool (-storepass), LDAP "
        "tools (-w), sqlcmd (-P), redis-cli (-a), mongosh (-p), smbclient (-U user%pw), 7z, zip, "
        "net use, htpasswd -b or rabbitmqctl.",
        source="https://docs.openssl.org/master/man1/openssl-passphrase-options/",
    ),
    Detector(
        "cli_password_piped",
        "secret",
        r"\b(?:echo|printf)[ \t]+(?:-[neE]+[ \t]+)?[\"']?(?:[^\s\"':$]+:)?"
        r"(?P<v>[^\s\"'$|][^\s\"'|]*)[\"']?[ \t]*\|[ \t]*(?:sudo[ \t]+)?"
        r"(?:chpasswd\b|passwd[ \t]+--stdin|[^\n|]*?--password-stdin)",
        _argument,
        confidence="context",
        keep=(0, 0),
        description="A password echoed into chpasswd, passwd --stdin or docker login "
        "--password-stdin.",
        source="https://docs.docker.com/reference/cli/docker/login/#password-stdin",
    ),
)
