"""`aigate acks verify|export LOG...`: check and list the acknowledgement ledger in audit logs."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from aigate.record.audit import in_rotation_order
from aigate.record.ledger import Verification, acknowledgements, verify

EXPORT_FIELDS = ("acknowledged_at", "user", "groups", "client_ip", "service", "policy_version",
                 "policy_hash", "request_id")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "acks",
        help="verify or export the acknowledgement ledger",
        description="Acknowledgements of the AI policy are chained by hash in the audit log. "
        "Rotated files (LOG.N ... LOG.1, LOG) are read oldest first whatever the order given; "
        "each LOG (e.g. one per worker: audit.w1.jsonl, audit.w2.jsonl) is its own chain.",
    )
    sub = parser.add_subparsers(dest="acks_command", required=True, metavar="ACTION")
    check = sub.add_parser(
        "verify",
        help="check the hash chain; exit 1 naming the file and line where it breaks",
    )
    check.add_argument("logs", nargs="+", metavar="LOG", help="audit log files")
    check.add_argument(
        "--partial",
        action="store_true",
        help="allow the first acknowledgement to chain to a record in an older file not given "
        "(e.g. a rotated file already deleted)",
    )
    check.set_defaults(func=run_verify)
    export = sub.add_parser(
        "export", help="list who acknowledged which policy version, and when"
    )
    export.add_argument("logs", nargs="+", metavar="LOG", help="audit log files")
    export.add_argument("--csv", action="store_true", help="CSV with a header row")
    export.set_defaults(func=run_export)


def chains(logs: list[str]) -> list[list[Path]]:
    """The logs grouped into one hash chain per log (LOG with its LOG.N backups, oldest first):
    each worker of `aigate run --workers N` writes its own log (`audit.w1.jsonl`, ...)."""
    grouped: dict[str, list[Path]] = {}
    for path in in_rotation_order(logs):
        base, _, suffix = str(path).rpartition(".")
        grouped.setdefault(base if base and suffix.isdigit() else str(path), []).append(path)
    return list(grouped.values())


def run_verify(args: argparse.Namespace) -> int:
    try:
        results = [verify(files, partial=args.partial) for files in chains(args.logs)]
    except OSError as e:
        print(f"aigate acks verify: {e.filename}: {e.strerror}", file=sys.stderr)
        return 1
    result = Verification(sum(r.acks for r in results),
                          tuple(b for r in results for b in r.breaks),
                          any(r.starts_mid_chain for r in results))
    for problem in result.breaks:
        print(f"{problem}", file=sys.stderr)
    if not result.ok:
        print(f"ledger BROKEN: {len(result.breaks)} problem(s) in {result.acks} acknowledgements; "
              f"first at {result.breaks[0].file}:{result.breaks[0].line}", file=sys.stderr)
        return 1
    note = " (starts mid-chain: older files not given)" if result.starts_mid_chain else ""
    print(f"ledger ok: {result.acks} acknowledgements, chain intact{note}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    try:
        rows = [
            {**record, "groups": " ".join(record.get("groups") or ())}
            for record in acknowledgements(in_rotation_order(args.logs))
        ]
    except OSError as e:
        print(f"aigate acks export: {e.filename}: {e.strerror}", file=sys.stderr)
        return 1
    if args.csv:
        writer = csv.DictWriter(
            sys.stdout, EXPORT_FIELDS, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
        return 0
    for row in rows:
        print(f"{row.get('acknowledged_at')}  {row.get('user') or '-'} ({row.get('client_ip')}) "
              f"acknowledged policy {row.get('policy_version')} for {row.get('service')}")
    return 0
