"""`aigate classify`: which AI service each host or URL belongs to, one result per line.

Built for piping whole proxy or DNS logs through: the classifier is built once and output goes
through one buffered write per batch, so tens of thousands of lines per second is the norm.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from aigate.catalog import Catalog, CatalogError, default_catalog, load_catalog
from aigate.classify import Classifier

_BATCH = 4096


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "classify",
        help="name the AI service of hosts or URLs",
        description="Classify hosts or URLs against the AI service catalog. Reads the arguments, "
        "or standard input (one per line; blank lines are skipped) when there are none. Prints "
        "input, service, category and the matched pattern, tab-separated ('-' when not AI).",
    )
    parser.add_argument("targets", nargs="*", metavar="HOST_OR_URL", help="hosts or URLs")
    parser.add_argument(
        "--json",
        action="store_true",
        help='one JSON object per line: {"input", "service", "category", "matched"}',
    )
    add_catalog_option(parser)
    parser.set_defaults(func=run)


def add_catalog_option(parser: argparse.ArgumentParser) -> None:
    """`--catalog FILE` (repeatable), shared with `aigate catalog`."""
    parser.add_argument(
        "--catalog",
        action="append",
        default=[],
        metavar="FILE",
        help="an admin catalog file added on top of the shipped one (repeatable; later wins)",
    )


def catalog_from(files: list[str]) -> Catalog:
    """The shipped catalog with admin files laid over it, as a policy's `catalog:` does."""
    base = default_catalog()
    if not files:
        return base
    return Catalog({**base.services, **load_catalog(files).services})


def run(args: argparse.Namespace) -> int:
    try:
        catalog = catalog_from(args.catalog)
    except CatalogError as e:
        print(f"aigate classify: {e}", file=sys.stderr)
        return 2
    classifier = Classifier(catalog)
    targets = args.targets or _lines(sys.stdin)
    format_line = _json_line if args.json else _text_line
    _write(sys.stdout, (format_line(target, classifier) for target in targets))
    return 0


def _lines(stream: TextIO) -> Iterator[str]:
    for line in stream:
        line = line.strip()
        if line:
            yield line


def _json_line(target: str, classifier: Classifier) -> str:
    match = classifier.classify_target(target)
    if match is None:
        return json.dumps({"input": target, "service": None, "category": None, "matched": None})
    return json.dumps(
        {
            "input": target,
            "service": match.service.id,
            "category": match.service.category,
            "matched": match.pattern,
        }
    )


def _text_line(target: str, classifier: Classifier) -> str:
    match = classifier.classify_target(target)
    if match is None:
        return f"{target}\t-\t-\t-"
    return f"{target}\t{match.service.id}\t{match.service.category}\t{match.pattern}"


def _write(out: TextIO, lines: Iterable[str]) -> None:
    """Join lines into large chunks: one write call per batch instead of one per line."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= _BATCH:
            out.write("\n".join(batch) + "\n")
            batch.clear()
    if batch:
        out.write("\n".join(batch) + "\n")
    out.flush()
