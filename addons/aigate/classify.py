"""Host and path -> AI service.

Precedence: an exact host beats a `*.domain` wildcard (the longest suffix first), which beats a
glob such as `bedrock-runtime.*.amazonaws.com`, which beats a registered-domain claim (computed
with tldextract's bundled public suffix list; never downloaded). Within one level the service
claiming the longest path prefix wins; a level whose services all claim other paths falls through
to the next level, so `www.bing.com/` is not AI while `www.bing.com/chat` is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

import tldextract

from aigate.catalog import Catalog, Service

MatchKind = Literal["host", "wildcard", "glob", "domain"]

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
_CACHE_LIMIT = 65536


@dataclass(frozen=True, slots=True)
class Match:
    """Why a request belongs to a service: the pattern that claimed it."""

    service: Service
    kind: MatchKind
    pattern: str


_IPV6_CHARS = frozenset("0123456789abcdef:.")


def normalize_host(host: str) -> str:
    """Canonical host: lowercase, no userinfo, port, brackets or trailing dot, IDNA as punycode.

    Returns "" for input that cannot be a host name.
    """
    host = host.strip()
    if "@" in host:  # userinfo has no place in a host; the name after it is the one servers see
        host = host.rsplit("@", 1)[1]
    if not host:
        return ""
    if host.startswith("["):
        end = host.find("]")
        inner = host[1:end].lower() if end > 0 else ""
        return inner if _IPV6_CHARS.issuperset(inner) else ""  # only an IPv6 literal is bracketed
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    elif host.count(":") > 1:
        return host.lower()  # bare IPv6 literal
    host = host.rstrip(".").lower()
    if not host.isascii():
        try:
            # IDNA also maps full-width and ideographic dots, so strip a trailing dot again.
            host = host.encode("idna").decode("ascii").rstrip(".")
        except UnicodeError:
            return ""
    return host


_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def canonical_path(path: str) -> str:
    """The path a server routes: `//`, `.` and `..` segments resolved, %-escaped letters decoded.

    Without this `chatgpt.com//backend-anon/` or `/%62ackend-anon/` would slip past a rule for
    `/backend-anon`. The query string is kept as is; `%2F` and other reserved escapes stay encoded.
    """
    path, sep, query = path.partition("?")
    path = _ESCAPE.sub(lambda m: ch if (ch := chr(int(m[1], 16))) in _UNRESERVED else m[0], path)
    return _resolved(path) + sep + query


def rule_path(path: str) -> str:
    """The one form a catalog path rule is matched on, so spellings a server may route alike all
    meet the rule: %-escapes decoded (reserved ones too, and up to three times, so `%2562` and
    `%2F` count), backslashes read as slashes, `;parameters` dropped from each segment, dot
    segments resolved, letters lowercased; the query is not part of it.
    """
    path = path.split("?", 1)[0].split("#", 1)[0]
    for _ in range(3):
        if "%" not in path:
            break
        decoded = _ESCAPE.sub(lambda m: chr(int(m[1], 16)), path)
        if decoded == path:
            break
        path = decoded
    return _resolved(path.replace("\\", "/").lower(), drop_params=True)


def _resolved(path: str, drop_params: bool = False) -> str:
    """`path` with empty, `.` and `..` segments resolved (and `;parameters` dropped, if asked)."""
    segments: list[str] = []
    for segment in path.split("/"):
        if drop_params:
            segment = segment.split(";", 1)[0]
        if segment == "..":
            if segments:
                segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    out = "/" + "/".join(segments)
    if segments and path.endswith(("/", "/.", "/..")):
        out += "/"
    return out


def registered_domain(host: str) -> str:
    """The registrable domain ("example.co.uk" for "a.b.example.co.uk"), or "" for none."""
    return _EXTRACT(host).top_domain_under_public_suffix


def split_target(target: str) -> tuple[str, str]:
    """Split a URL or a bare `host[:port][/path]` into (normalized host, path)."""
    if "://" not in target:
        target = "//" + target
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. an unclosed "[" IPv6 literal: not a host anyone can reach
        return "", "/"
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return normalize_host(netloc), parts.path or "/"


class Classifier:
    """Indexes one catalog for fast lookups; build once per catalog, share across requests."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._exact: dict[str, list[Service]] = {}
        self._wildcard: dict[str, list[Service]] = {}
        self._globs: dict[str, list[tuple[re.Pattern[str], str, Service]]] = {}
        self._domains: dict[str, list[Service]] = {}
        self._host_cache: dict[str, tuple[tuple[MatchKind, str, tuple[Service, ...]], ...]] = {}
        for service in catalog.services.values():
            for pattern in service.hosts:
                if pattern.startswith("*.") and "*" not in pattern[2:]:
                    self._wildcard.setdefault(pattern[2:], []).append(service)
                elif "*" in pattern:
                    regex = re.compile(
                        "^" + r"\.".join(
                            re.escape(label).replace(r"\*", "[a-z0-9-]+")
                            for label in pattern.split(".")
                        ) + "$"
                    )
                    key = registered_domain(pattern.replace("*", "x"))
                    self._globs.setdefault(key, []).append((regex, pattern, service))
                else:
                    self._exact.setdefault(pattern, []).append(service)
            for domain in service.domains:
                self._domains.setdefault(domain, []).append(service)

    def classify(self, host: str, path: str = "/") -> Match | None:
        """The service a request to `host` + `path` belongs to, or None for non-AI traffic.

        `host` must already be normalized (see `normalize_host`).
        """
        levels = self._levels(host)
        if any(s.paths for _, _, services in levels for s in services):
            path = rule_path(path)
        for kind, pattern, services in levels:
            best: Service | None = None
            best_len = -1
            for service in services:
                length = service.matches_path(path)
                if length > best_len:
                    best, best_len = service, length
            if best is not None:
                return Match(best, kind, pattern)
        return None

    def classify_target(self, target: str) -> Match | None:
        """Classify a URL or bare host as typed by a person."""
        host, path = split_target(target)
        return self.classify(host, path) if host else None

    def may_be_ai(self, host: str) -> bool:
        """Whether any request to `host` could be AI: decides TLS interception by host alone."""
        return bool(self._levels(host))

    def services_at(self, host: str) -> tuple[Service, ...]:
        """Every service with a claim on `host` (normalized), whatever the path."""
        return tuple(s for _, _, services in self._levels(host) for s in services)

    def _levels(self, host: str) -> tuple[tuple[MatchKind, str, tuple[Service, ...]], ...]:
        cached = self._host_cache.get(host)
        if cached is not None:
            return cached
        levels: list[tuple[MatchKind, str, tuple[Service, ...]]] = []
        exact = self._exact.get(host)
        if exact:
            levels.append(("host", host, tuple(exact)))
        dot = host.find(".")
        while dot != -1:
            suffix = host[dot + 1 :]
            services = self._wildcard.get(suffix)
            if services:
                levels.append(("wildcard", "*." + suffix, tuple(services)))
            dot = host.find(".", dot + 1)
        if self._globs or self._domains:
            domain = registered_domain(host) if "." in host else ""
            for regex, pattern, service in self._globs.get(domain, ()):
                if regex.match(host):
                    levels.append(("glob", pattern, (service,)))
            services = self._domains.get(domain)
            if services:
                levels.append(("domain", domain, tuple(services)))
        result = tuple(levels)
        if len(self._host_cache) >= _CACHE_LIMIT:
            self._host_cache.clear()
        self._host_cache[host] = result
        return result
