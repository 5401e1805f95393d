"""`aigate schema`: print the policy JSON Schema (policies/schema.json is a checked-in copy)."""

from __future__ import annotations

import argparse
import sys

from aigate.policy.schema import schema_text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="print the policy JSON Schema",
        description="Print the JSON Schema of the policy YAML, generated from the policy model. "
        "Refresh the checked-in copy with: aigate schema > policies/schema.json",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text())
    return 0
