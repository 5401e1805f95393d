"""`aigate acks verify|export LOG...`: check and list the acknowledgement ledger in audit logs."""

from __future__ import annotations

import argparse
import csv
import sys

from aigate.record.audit import in_rotation_order
from aigate.record.ledger import acknowledgements, verify

EXPORT_FIELDS = ("acknowledged_at", "user", "groups", "client_ip", "service", "policy_version",
                 "policy_hash", "request_id")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "acks",
        help="verify or export the acknowledgement ledger",
        description="Acknowledgements of the AI policy are chained by hash in the audit log. "
        "Rotated files (LOG.N ... LOG.1, LOG) are read oldest first whatever the order given.",
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


def run_verify(args: argparse.Namespace) -> int:
    try:
        result = verify(in_rotation_order(args.logs), partial=args.partial)
    except OSError as e:
        print(f"aigate acks verify: {e.filename}: {e.strerror}", file=sys.stderr)
        return 1
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
