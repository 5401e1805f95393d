"""Read catalog YAML files into `Catalog`, with file:line errors."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from aigate.catalog.model import API_FORMATS, CATEGORIES, RISKS, Catalog, CatalogError, Service
from aigate.yamlfile import YamlDocument, YamlError, load_yaml

DATA_DIR = Path(__file__).parent / "data"

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
_HOST = re.compile(r"^(\*\.)?([a-z0-9*-]+\.)+[a-z0-9-]+$")
_REQUIRED = ("id", "name", "vendor", "category", "hosts", "jurisdiction", "risk", "url")
_OPTIONAL = (
    "domains",
    "paths",
    "api_format",
    "trains_on_inputs",
    "enterprise_tier",
    "risk_reason",
    "description",
    "sources",
)


def load_catalog(files: Iterable[str | Path]) -> Catalog:
    """Merge catalog files in order; a later entry with the same id replaces the earlier one."""
    services: dict[str, Service] = {}
    for file in files:
        for service in _read_file(Path(file)):
            services[service.id] = service
    return Catalog(services)


@cache
def default_catalog() -> Catalog:
    """The catalog shipped with aigate (read once per process)."""
    return load_catalog(sorted(DATA_DIR.glob("*.yaml")))


def _read_file(path: Path) -> list[Service]:
    try:
        doc = load_yaml(path)
    except YamlError as e:
        raise CatalogError(str(e)) from e
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("services"), list):
        raise CatalogError(f"{path}:1: a catalog file is a mapping with a 'services:' list")
    unknown = set(data) - {"services"}
    if unknown:
        key = sorted(unknown)[0]
        raise CatalogError(f"{path}:{doc.line_of((key,))}: unknown top-level key '{key}'")
    seen: dict[str, int] = {}
    out = []
    for index, entry in enumerate(data["services"]):
        service = _service(doc, index, entry)
        if service.id in seen:
            raise CatalogError(
                f"{path}:{doc.line_of(('services', index))}: duplicate service id "
                f"'{service.id}' (first at line {seen[service.id]}); rename or remove one"
            )
        seen[service.id] = doc.line_of(("services", index))
        out.append(service)
    return out


def _service(doc: YamlDocument, index: int, entry: Any) -> Service:
    where = ("services", index)

    def fail(key: str | None, message: str) -> CatalogError:
        path = (*where, key) if key else where
        return CatalogError(f"{doc.file}:{doc.line_of(path)}: services[{index}]: {message}")

    if not isinstance(entry, dict):
        raise fail(None, "each service is a mapping")
    for key in entry:
        if key not in _REQUIRED and key not in _OPTIONAL:
            hint = difflib.get_close_matches(str(key), _REQUIRED + _OPTIONAL, n=1)
            fix = f"; did you mean '{hint[0]}'?" if hint else ""
            raise fail(key, f"unknown key '{key}'{fix}")
    for key in _REQUIRED:
        if entry.get(key) in (None, "", []):
            raise fail(None, f"missing required key '{key}'")
    if not _ID.match(str(entry["id"])):
        raise fail("id", f"id '{entry['id']}' must be lowercase letters, digits and dashes")
    for key, allowed in (("category", CATEGORIES), ("risk", RISKS), ("api_format", API_FORMATS)):
        value = entry.get(key)
        if value is not None and value not in allowed:
            hint = difflib.get_close_matches(str(value), allowed, n=1)
            fix = f"; did you mean '{hint[0]}'?" if hint else ""
            raise fail(key, f"{key} '{value}' is not one of {', '.join(allowed)}{fix}")
    api_format = entry.get("api_format")
    jurisdiction = str(entry["jurisdiction"])
    if not re.fullmatch(r"[A-Z]{2}", jurisdiction):
        raise fail(
            "jurisdiction", f"jurisdiction '{jurisdiction}' must be an ISO 3166 code like US"
        )
    hosts = entry["hosts"]
    if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
        raise fail("hosts", "hosts is a list of host names")
    for host in hosts:
        if not _HOST.match(host) or host != host.lower():
            raise fail("hosts", f"host '{host}' must be a lowercase name, '*.domain' or a glob")
    domains = entry.get("domains") or []
    if not isinstance(domains, list) or not all(
        isinstance(d, str) and _HOST.match(d) and "*" not in d for d in domains
    ):
        raise fail("domains", "domains is a list of registered domains such as 'deepseek.com'")
    paths = entry.get("paths") or []
    if not isinstance(paths, list) or not all(
        isinstance(p, str) and p.startswith("/") for p in paths
    ):
        raise fail("paths", "paths is a list of URL path prefixes starting with '/'")
    for flag in ("trains_on_inputs", "enterprise_tier"):
        if flag in entry and not isinstance(entry[flag], bool) and entry[flag] != "unknown":
            raise fail(flag, f"{flag} must be true, false or unknown")
    sources = entry.get("sources") or []
    if not isinstance(sources, list) or not all(
        isinstance(u, str) and u.startswith("https://") for u in sources
    ):
        raise fail("sources", "sources is a list of https:// URLs of the vendor's documents")
    return Service(
        id=entry["id"],
        name=str(entry["name"]),
        vendor=str(entry["vendor"]),
        category=entry["category"],
        hosts=tuple(hosts),
        domains=tuple(domains),
        paths=tuple(paths),
        jurisdiction=jurisdiction,
        trains_on_inputs=_flag(entry.get("trains_on_inputs", False)),
        enterprise_tier=_flag(entry.get("enterprise_tier", False)),
        risk=entry["risk"],
        risk_reason=str(entry.get("risk_reason", "")),
        url=str(entry["url"]),
        api_format=api_format,
        description=str(entry.get("description", "")),
        sources=tuple(sources),
        source=f"{doc.file}:{doc.line_of(where)}",
    )


def _flag(value: bool | str) -> bool | None:
    return None if value == "unknown" else bool(value)
