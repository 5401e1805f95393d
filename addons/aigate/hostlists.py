"""Community lists of AI host names, read so an admin can check the catalog against them.

Four formats, told apart by their content:
- v2fly domain-list-community: `domain:x` or a bare `x` (x and its subdomains), `full:x` (exactly
  x), `include:name` (the file `name` beside this one), `regexp:`/`keyword:` (not host names:
  reported, not checked), `@attr` suffixes and `#` comments;
- AdGuard HostlistsRegistry service YAML: a mapping with `rules:` of `||x^` (x and subdomains);
- rule lists of proxy tools: Clash/Surge/Quantumult `DOMAIN,x` / `DOMAIN-SUFFIX,x` (also as
  a Clash `payload:` YAML, where `+.x` means x and its subdomains) and dnsmasq `server=/x/...`;
- plain lists: one host per line, also as hosts-file lines (`0.0.0.0 x`) or adblock `||x^`.

Pure and offline: nothing is fetched; an `include:` names a file in the same directory.
`check_list` says which catalog service claims each listed host; `overlay` writes the hosts no
service claims as catalog entries (risk `unknown`) an admin can review and name in the policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from aigate.catalog import CATEGORIES, Catalog
from aigate.classify import Classifier, normalize_host, registered_domain

Scope = Literal["domain", "full"]

_MAX_INCLUDE_DEPTH = 16
_ADBLOCK = re.compile(r"^\|\|([^/^$|]+)\^?(?:\$.*)?$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
# Clash / Surge / Quantumult X / Loon rule lines, and dnsmasq's `server=/x/` or `address=/x/`.
_RULE = re.compile(
    r"^(DOMAIN|DOMAIN-SUFFIX|HOST|HOST-SUFFIX|DOMAIN-KEYWORD|DOMAIN-REGEX|"
    r"DOMAIN-WILDCARD|HOST-KEYWORD|IP-CIDR6?|IP-ASN|GEOIP|USER-AGENT|URL-REGEX|"
    r"PROCESS-NAME)\s*,\s*([^,\s]+)",
    re.I,
)
_DNSMASQ = re.compile(r"^(?:server|address|ipset|nftset)=/([^/]+)/")
_HOSTS_FILE_ADDRESS = re.compile(r"^(0\.0\.0\.0|127\.0\.0\.1|::1?|::)$")


class ListError(ValueError):
    """A list cannot be read; the message names the file, line and fix."""


@dataclass(frozen=True, slots=True)
class ListedHost:
    """One host name a list names; `scope` says whether its subdomains are meant too."""

    host: str
    scope: Scope
    where: str  # file:line


@dataclass(frozen=True, slots=True)
class Skipped:
    """A list line that is not a host name (a regular expression, a keyword, a path rule)."""

    text: str
    where: str


@dataclass(frozen=True, slots=True)
class HostList:
    format: Literal["v2fly", "adguard", "rules", "plain"]
    hosts: tuple[ListedHost, ...]
    skipped: tuple[Skipped, ...]


def read_list(path: Path) -> HostList:
    """Read a list in any supported format (told apart by content, not by file name)."""
    text = _read(path, where=str(path))
    if _looks_like_adguard(text):
        return _adguard(path, text)
    if _looks_like_v2fly(text):
        hosts, skipped = _v2fly(path, text, depth=0, seen=set())
        return HostList("v2fly", _unique(hosts), tuple(skipped))
    if re.search(r"^payload:\s*$", text, re.M):
        hosts, skipped = _clash_payload(path, text)
        return HostList("rules", _unique(hosts), tuple(skipped))
    hosts, skipped = _plain(path, text)
    rules = any(_RULE.match(line) for line in text.splitlines())
    return HostList("rules" if rules else "plain", _unique(hosts), tuple(skipped))


def _read(path: Path, where: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ListError(f"{where}: file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ListError(f"{where}: cannot read {path}: {e}") from None


def _unique(hosts: list[ListedHost]) -> tuple[ListedHost, ...]:
    """First mention of each host wins, except that a domain scope widens a full one."""
    best: dict[str, ListedHost] = {}
    for item in hosts:
        known = best.get(item.host)
        if known is None or (known.scope == "full" and item.scope == "domain"):
            best[item.host] = item
    return tuple(best.values())


def _looks_like_adguard(text: str) -> bool:
    return bool(re.search(r"^rules:\s*$", text, re.M)) and "||" in text


def _looks_like_v2fly(text: str) -> bool:
    return bool(re.search(r"^\s*(domain|full|include|regexp|keyword):", text, re.M))


def _host_or_none(raw: str) -> str | None:
    host = normalize_host(raw)
    return host if host and _HOST.match(host) else None


def _adguard(path: Path, text: str) -> HostList:
    hosts: list[ListedHost] = []
    skipped: list[Skipped] = []
    for rule, where in _yaml_items(path, text, "rules", "an AdGuard service file"):
        _add(hosts, skipped, rule, where)
    return HostList("adguard", _unique(hosts), tuple(skipped))


def _yaml_items(path: Path, text: str, key: str, what: str) -> list[tuple[str, str]]:
    """The strings of the `key:` list of a YAML list file, each with its file:line."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ListError(f"{path}:{mark.line + 1 if mark else 1}: not valid YAML: {e}") from None
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ListError(f"{path}:1: {what} is a mapping with a '{key}:' list")
    lines = text.splitlines()
    out = []
    for item in items:
        item = str(item).strip()
        number = next((n for n, t in enumerate(lines, 1) if item in t), 1)
        out.append((item, f"{path}:{number}"))
    return out


def _v2fly(
    path: Path, text: str, depth: int, seen: set[Path]
) -> tuple[list[ListedHost], list[Skipped]]:
    seen = seen | {path.resolve()}
    hosts: list[ListedHost] = []
    skipped: list[Skipped] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{path}:{number}"
        rule = line.split()[0]  # drop `@attr` and `&affiliation` markers
        kind, sep, value = rule.partition(":")
        if not sep:
            kind, value = "domain", rule
        if kind == "include":
            included = path.parent / value
            if included.resolve() in seen or depth >= _MAX_INCLUDE_DEPTH:
                raise ListError(f"{where}: include:{value} loops back; remove one include")
            more_hosts, more_skipped = _v2fly(included, _read(included, where), depth + 1, seen)
            hosts += more_hosts
            skipped += more_skipped
            continue
        host = _host_or_none(value) if kind in ("domain", "full") else None
        if host:
            hosts.append(ListedHost(host, "full" if kind == "full" else "domain", where))
        else:
            skipped.append(Skipped(rule, where))
    return hosts, skipped


def _plain(path: Path, text: str) -> tuple[list[ListedHost], list[Skipped]]:
    hosts: list[ListedHost] = []
    skipped: list[Skipped] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith(("!", "//", ";")):  # adblock, Surge, dnsmasq comments
            continue
        _add(hosts, skipped, line, f"{path}:{number}")
    return hosts, skipped


def _clash_payload(path: Path, text: str) -> tuple[list[ListedHost], list[Skipped]]:
    hosts: list[ListedHost] = []
    skipped: list[Skipped] = []
    for item, where in _yaml_items(path, text, "payload", "a Clash rule provider"):
        if item.startswith(("+.", ".")):  # Clash domain behaviour: x and its subdomains
            item = f"||{item.lstrip('+.')}^"
        _add(hosts, skipped, item, where)
    return hosts, skipped


def _add(hosts: list[ListedHost], skipped: list[Skipped], line: str, where: str) -> None:
    """One line of a plain or rule list: a host with its scope, or a skipped line."""
    host: str | None = None
    scope: Scope = "full"
    if match := _ADBLOCK.match(line):
        host, scope = _host_or_none(match[1]), "domain"
    elif match := _RULE.match(line):
        kind = match[1].upper()
        if kind in ("DOMAIN", "HOST", "DOMAIN-SUFFIX", "HOST-SUFFIX"):
            host = _host_or_none(match[2])
            scope = "domain" if kind.endswith("SUFFIX") else "full"
    elif match := _DNSMASQ.match(line):
        host, scope = _host_or_none(match[1].lstrip(".")), "domain"
    else:
        fields = line.split()
        if len(fields) == 2 and _HOSTS_FILE_ADDRESS.match(fields[0]):
            fields = fields[1:]
        if len(fields) == 1:
            host = _host_or_none(fields[0])
    if host:
        hosts.append(ListedHost(host, scope, where))
    else:
        skipped.append(Skipped(line, where))


@dataclass(frozen=True, slots=True)
class Coverage:
    """What the catalog says of one listed host. `subdomains` is only known for domain scope."""

    listed: ListedHost
    service_id: str | None
    subdomains_covered: bool | None


def check_list(hosts: tuple[ListedHost, ...], classifier: Classifier) -> list[Coverage]:
    """Classify every listed host (and, for a domain entry, one of its subdomains)."""
    out = []
    for item in hosts:
        match = classifier.classify(item.host)
        sub = None
        if item.scope == "domain":
            sub = classifier.classify(f"aigate-coverage-probe.{item.host}") is not None
        out.append(Coverage(item, match.service.id if match else None, sub))
    return out


def overlay(uncovered: list[ListedHost], catalog: Catalog, origin: str, category: str) -> str:
    """Catalog YAML with one service per registered domain among `uncovered`.

    A listed registered domain becomes a `domains:` claim; any other name an exact host (and its
    subdomains when the list meant them), so an entry never claims a shared parent domain.
    """
    if category not in CATEGORIES:
        raise ValueError(f"category '{category}' is not one of {', '.join(CATEGORIES)}")
    groups: dict[str, list[ListedHost]] = {}
    for item in uncovered:
        groups.setdefault(registered_domain(item.host) or item.host, []).append(item)
    lines = [
        f"# Catalog overlay written by `aigate catalog import` from {origin}.",
        "# Review each entry (name, vendor, jurisdiction, risk) before naming this file in a",
        "# policy's `catalog:` list; until then every service here has risk `unknown`.",
        "services:",
    ]
    for domain, items in sorted(groups.items()):
        service_id = _overlay_id(domain, catalog)
        hosts: list[str] = []
        domains: list[str] = []
        for item in sorted(items, key=lambda i: i.host):
            if item.host == domain and item.scope == "domain":
                domains.append(domain)
                hosts.append(domain)
            else:
                hosts.append(item.host)
                if item.scope == "domain":
                    hosts.append(f"*.{item.host}")
        lines += [
            f"  - id: {service_id}",
            f"    name: {_quote(domain)}",
            "    vendor: unknown",
            f"    category: {category}",
            f"    hosts: [{', '.join(_quote(h) for h in dict.fromkeys(hosts))}]",
        ]
        if domains:
            lines.append(f"    domains: [{', '.join(domains)}]")
        lines += [
            "    jurisdiction: ZZ  # ISO 3166 code for unknown",
            "    trains_on_inputs: unknown",
            "    enterprise_tier: unknown",
            "    risk: unknown",
            f"    risk_reason: {_quote(f'Listed by {origin}; not assessed yet.'[:160])}",
            f"    url: https://{domain}/",
        ]
    return "\n".join(lines) + "\n"


def _overlay_id(domain: str, catalog: Catalog) -> str:
    base = "imported-" + re.sub(r"[^a-z0-9]+", "-", domain).strip("-")
    service_id, n = base, 2
    while catalog.get(service_id) is not None:
        service_id, n = f"{base}-{n}", n + 1
    return service_id


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
