"""`aigate catalog`: list the AI services aigate recognises, for admins writing a policy."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from dataclasses import asdict

from aigate.catalog import CATEGORIES, CatalogError, Service
from aigate.cli.classify import add_catalog_option, catalog_from

_COLUMNS = ("id", "name", "vendor", "category", "risk", "jurisdiction", "hosts")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "catalog",
        help="list the AI service catalog",
        description="List the AI services in the catalog: id, name, vendor, category, risk, "
        "jurisdiction and hosts (tab-separated), or every field as a JSON array with --json.",
    )
    parser.add_argument(
        "--category",
        metavar="C",
        help=f"only this category ({', '.join(CATEGORIES)})",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array of services")
    add_catalog_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.category is not None and args.category not in CATEGORIES:
        hint = difflib.get_close_matches(args.category, CATEGORIES, n=1)
        fix = f"did you mean '{hint[0]}'? " if hint else ""
        print(
            f"aigate catalog: unknown category '{args.category}'; {fix}"
            f"valid categories: {', '.join(CATEGORIES)}",
            file=sys.stderr,
        )
        return 2
    try:
        catalog = catalog_from(args.catalog)
    except CatalogError as e:
        print(f"aigate catalog: {e}", file=sys.stderr)
        return 2
    services = sorted(
        (s for s in catalog.services.values() if args.category in (None, s.category)),
        key=lambda s: (s.category, s.id),
    )
    if args.json:
        sys.stdout.write(json.dumps([_as_json(s) for s in services], indent=2) + "\n")
    else:
        lines = ["\t".join(_COLUMNS)]
        lines += ["\t".join(_row(s)) for s in services]
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _row(service: Service) -> tuple[str, ...]:
    return (
        service.id,
        service.name,
        service.vendor,
        service.category,
        service.risk,
        service.jurisdiction,
        ",".join(service.hosts),
    )


def _as_json(service: Service) -> dict[str, object]:
    data = asdict(service)
    del data["source"]
    for key in ("hosts", "domains", "paths"):
        data[key] = list(data[key])
    return data
