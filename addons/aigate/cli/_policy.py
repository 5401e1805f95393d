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


def shared_host_lines(path: str) -> list[str]:
    """Banner lines: which shared hosts (AI on some paths only) are decrypted, and which not."""
    try:
        shared = load_policy(path).shared_hosts
    except (PolicyError, OSError):
        return []  # the proxy itself reports a policy it cannot load
    decrypted = sorted(h for h, why in shared.items() if why)
    passed = sorted(h for h, why in shared.items() if not why)
    lines = []
    if decrypted:
        lines.append(
            f"aigate: shared hosts decrypted for their AI paths ({len(decrypted)}): "
            f"{', '.join(decrypted)}; `aigate explain https://HOST/` says why"
        )
    if passed:
        lines.append(
            f"aigate: shared hosts passed through undecrypted, the policy treating their AI "
            f"paths like the rest ({len(passed)}): {', '.join(passed)}"
        )
    return lines
