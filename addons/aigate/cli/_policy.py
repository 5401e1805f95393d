"""What the policy-reading commands share: the `--policy` argument and loading with a report."""

from __future__ import annotations

import argparse
import sys

from aigate.policy import DEFAULT_POLICY, LoadedPolicy, PolicyError, load_policy


def add_policy_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--policy",
        default=str(DEFAULT_POLICY),
        metavar="POLICY",
        help="policy YAML (default: the shipped policies/default.yaml)",
    )


def load_or_report(path: str) -> LoadedPolicy | None:
    """The loaded policy, or None after printing its `file:line: message` problems to stderr."""
    try:
        return load_policy(path)
    except PolicyError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        count = len(e.problems)
        print(
            f"{path}: {count} problem{'s' if count != 1 else ''}; fix and re-run "
            f"`aigate check {path}`",
            file=sys.stderr,
        )
        return None
