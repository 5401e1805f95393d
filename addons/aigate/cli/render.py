"""`aigate render [POLICY]`: the whole policy as a document for people (HTML or Markdown)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aigate.cli._policy import load_or_report
from aigate.policy import DEFAULT_POLICY
from aigate.respond.document import FORMATS, render_policy


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "render",
        help="render a policy as a document for people (HTML or Markdown)",
        description="Render the policy for the people it applies to: purpose, scope, "
        "definitions, guidelines, which AI tools are approved, restricted or blocked and why, "
        "how to request a tool, which data may go to which tools, training, contact, "
        "violations, disclaimer and acknowledgement, and what happens with every AI service "
        "the catalog knows. The tool tables come from the proxy's own decision for each "
        "service, and the proxy serves the same document at http://aigate.policy/, so the "
        "published text and the enforcement cannot drift apart.",
    )
    parser.add_argument(
        "policy",
        nargs="?",
        default=str(DEFAULT_POLICY),
        metavar="POLICY",
        help="policy YAML (default: the shipped policies/default.yaml)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="html",
        help="html (default: a self-contained, printable page) or md (Markdown; `markdown` is "
        "an alias)",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    loaded = load_or_report(args.policy)
    if loaded is None:
        return 1
    text = render_policy(loaded, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
