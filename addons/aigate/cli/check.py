"""`aigate check [POLICY]`: validate a policy; errors are `file:line: message` lines on stderr.

A policy past its `review_by` date is still valid (exit 0) but gets a warning: enforcement must
not stop because a review is late. So does a stricter rule that an earlier, more lenient rule
keeps from applying to some services (`aigate.policy.shadow`): the document says one thing and
the proxy does another.
"""

from __future__ import annotations

import argparse
import sys

from aigate.cli._policy import load_or_report
from aigate.policy import DEFAULT_POLICY
from aigate.policy.review import days_overdue
from aigate.policy.shadow import shadowed_rules
from aigate.yamlfile import load_yaml


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="validate a policy file",
        description="Validate a policy file against the model and the catalog. Exit 0 with a "
        "one-line summary when valid (and warnings on stderr when its review_by date has passed "
        "or a more lenient earlier rule keeps a stricter rule from applying to some services); "
        "otherwise exit 1 with one `file:line: message` per problem.",
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
    shadowed = shadowed_rules(loaded)
    if shadowed:
        document = load_yaml(args.policy)
        for shadow in shadowed:
            line = document.line_of(shadow.path(policy))
            print(f"{args.policy}:{line}: warning: {shadow.message()}", file=sys.stderr)
    overdue = days_overdue(policy.review_by)
    if overdue:
        print(
            f"{args.policy}: warning: review_by {policy.review_by} has passed ({overdue} "
            f"day{'s' if overdue != 1 else ''} overdue); review the policy and set a new review_by",
            file=sys.stderr,
        )
    return 0
