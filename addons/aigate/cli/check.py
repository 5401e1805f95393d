"""`aigate check [POLICY]`: validate a policy; errors are `file:line: message` lines on stderr."""

from __future__ import annotations

import argparse

from aigate.cli._policy import load_or_report
from aigate.policy import DEFAULT_POLICY


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="validate a policy file",
        description="Validate a policy file against the model and the catalog. Exit 0 with a "
        "one-line summary when valid; otherwise exit 1 with one `file:line: message` per problem.",
    )
    parser.add_argument(
        "policy",
        nargs="?",
        default=str(DEFAULT_POLICY),
        metavar="POLICY",
        help="policy YAML (default: the shipped policies/default.yaml)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    loaded = load_or_report(args.policy)
    if loaded is None:
        return 1
    policy = loaded.policy
    print(
        f"{args.policy}: ok: '{policy.organisation}' version {policy.version}, mode {policy.mode}; "
        f"{len(policy.services)} service rules, {len(policy.categories)} category rules, "
        f"{len(policy.risk_rules)} risk rules, {len(policy.exceptions)} exceptions, "
        f"{len(policy.groups)} groups; catalog of {len(loaded.catalog)} services"
    )
    return 0
