"""`aigate catalog`: list the AI services aigate recognises, for admins writing a policy, and
`aigate catalog import`: check a community list of AI hosts against the catalog."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from dataclasses import asdict
from pathlib import Path

from aigate.catalog import CATEGORIES, CatalogError, Service
from aigate.classify import Classifier
from aigate.cli.classify import add_catalog_option, catalog_from
from aigate.hostlists import ListError, check_list, overlay, read_list

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
    sub = parser.add_subparsers(dest="catalog_command", metavar="SUBCOMMAND")
    importer = sub.add_parser(
        "import",
        help="check a community list of AI hosts against the catalog",
        description="Read a list of AI host names from a local file (v2fly domain-list-community "
        "with its include: files, an AdGuard HostlistsRegistry service YAML, or a plain host, "
        "hosts-file or ||host^ list) and print, per host, the catalog service that claims it "
        "('-' for none), then a coverage summary. Nothing is fetched.",
    )
    importer.add_argument("file", metavar="FILE", type=Path, help="the list to check")
    importer.add_argument(
        "--write",
        metavar="OUT",
        type=Path,
        help="write the hosts no service claims as a catalog overlay (risk unknown) to OUT",
    )
    importer.add_argument(
        "--category",
        default="chat",
        choices=CATEGORIES,
        metavar="C",
        help="category of the overlay's entries (default chat)",
    )
    importer.add_argument("--json", action="store_true", help="one JSON object per host")
    add_catalog_option(importer)
    importer.set_defaults(func=run_import)


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


def run_import(args: argparse.Namespace) -> int:
    try:
        catalog = catalog_from(args.catalog)
        listed = read_list(args.file)
    except (CatalogError, ListError) as e:
        print(f"aigate catalog import: {e}", file=sys.stderr)
        return 2
    results = check_list(listed.hosts, Classifier(catalog))
    out = []
    for r in results:
        if args.json:
            out.append(json.dumps({
                "host": r.listed.host,
                "scope": r.listed.scope,
                "service": r.service_id,
                "subdomains_covered": r.subdomains_covered,
                "listed_at": r.listed.where,
            }))
        else:
            partly = r.service_id and r.subdomains_covered is False
            note = "subdomains not covered" if partly else ""
            out.append("\t".join((r.listed.host, r.listed.scope, r.service_id or "-", note)))
    known = sum(1 for r in results if r.service_id)
    partial = sum(1 for r in results if r.service_id and r.subdomains_covered is False)
    share = f"{100 * known / len(results):.1f}%" if results else "n/a"
    summary = (
        f"# {args.file} ({listed.format}): {len(results)} hosts, {known} in the catalog "
        f"({share}), {len(results) - known} not; {partial} domain entries known but not their "
        f"subdomains; {len(listed.skipped)} lines are not host names (regexp:, keyword:, paths)"
    )
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))
    if not args.json:
        sys.stdout.write(summary + "\n")
    else:
        print(summary, file=sys.stderr)
    if args.write is not None:
        missing = [r.listed for r in results if r.service_id is None]
        args.write.write_text(overlay(missing, catalog, str(args.file), args.category))
        print(
            f"aigate catalog import: wrote {len(missing)} hosts to {args.write}; review it, then "
            f"name it under `catalog:` in the policy",
            file=sys.stderr,
        )
    return 0
