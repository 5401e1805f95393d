"""`aigate report`: AI usage, actions, findings and shadow AI from audit logs."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from aigate.cli._policy import add_policy_option, load_or_report
from aigate.report import Filters, build_report
from aigate.report.aggregate import DEFAULT_OFFENDER_BLOCKS, DEFAULT_SESSION_GAP
from aigate.report.parallel import MAX_JOBS, PARALLEL_BYTES
from aigate.report.render_html import render_html
from aigate.report.render_text import TABLE_NAMES, render_csv, render_json, render_markdown

FORMATS = ("html", "md", "csv", "json")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="usage report from audit logs",
        description="Read audit logs (JSON Lines; gzip and rotated backups such as log.1 too) "
        "and report AI usage per service, category, group and person (requests, page views, "
        "prompts; aigate's own pages left out), each service's status in the policy, risk and "
        "jurisdiction (sanctioned against unsanctioned use, high-risk and new services), what "
        "the policy did (or, in monitor mode, would have done), sensitive data and what aigate "
        "did with it (per kind, per day, the newest incidents), inspection coverage, repeated "
        "blocks, and shadow AI: services in use the policy does not name and unlisted AI "
        "endpoints. With --since, the figures are compared with the previous period (as long, "
        "immediately before it) when the logs reach back that far. The input is streamed: "
        "memory stays flat however large the logs are.",
    )
    parser.add_argument("logs", nargs="+", metavar="AUDIT.jsonl",
                        help="audit log files; name the rotated backups too (LOG*)")
    parser.add_argument("--since", type=_when, metavar="D",
                        help="from this UTC date or time (2026-01-31 or 2026-01-31T12:00); "
                        "logs from before it give the previous period to compare with")
    parser.add_argument("--until", type=_when, metavar="D",
                        help="up to this UTC date (the whole day) or time")
    parser.add_argument("--group", metavar="G", help="only requests by members of this group")
    parser.add_argument("--format", choices=FORMATS, help="output format (default: from the "
                        "-o file's extension, else html)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    parser.add_argument("--table", choices=TABLE_NAMES, default="services",
                        help="the table to write with --format csv (default: services)")
    parser.add_argument("--session-gap", type=float, default=DEFAULT_SESSION_GAP / 60,
                        metavar="MIN", help="requests less than this many minutes apart are one "
                        "session of active time (default: %(default)g)")
    parser.add_argument("--offender-blocks", type=int, default=DEFAULT_OFFENDER_BLOCKS,
                        metavar="N", help="list people blocked at least N times "
                        "(default: %(default)s)")
    parser.add_argument("--jobs", type=_jobs, metavar="N",
                        help="processes reading the logs, each counting its share of the people "
                        "(the figures are the same); default: one per CPU on logs of "
                        f"{PARALLEL_BYTES // 2**20} MiB or more, else 1")
    add_policy_option(parser)
    parser.set_defaults(func=run)


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if not 1 <= jobs <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes from 1 to "
                                         f"{MAX_JOBS}")
    return jobs


def _when(text: str) -> str:
    """A date or date-time as the audit log writes it (UTC), for comparison as text."""
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text).isoformat()
        parsed = dt.datetime.fromisoformat(text.removesuffix("Z"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (2026-01-31) or UTC time (2026-01-31T12:00)"
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed.isoformat(timespec="milliseconds").removesuffix(".000")


def run(args: argparse.Namespace) -> int:
    missing = [log for log in args.logs if not Path(log).exists()]
    if missing:
        print(f"aigate report: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    policy = load_or_report(args.policy)
    if policy is None:
        return 2
    fmt = args.format or _format_of(args.output)
    if fmt == "html" and not args.output and sys.stdout.isatty():
        print("aigate report: the HTML report is a file to open in a browser, not terminal text: "
              "write it with -o report.html (or --format md for the terminal)", file=sys.stderr)
        return 2
    report = build_report(
        args.logs,
        policy,
        Filters(args.since, args.until, args.group),
        session_gap=args.session_gap * 60,
        offender_blocks=args.offender_blocks,
        jobs=args.jobs,
    )
    if fmt == "html":
        text = render_html(report)
    elif fmt == "md":
        text = render_markdown(report)
    elif fmt == "csv":
        text = render_csv(report, args.table)
    else:
        text = render_json(report)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    summary = report.summary
    if summary.get("bad_lines"):
        print(f"aigate report: skipped {summary['bad_lines']} unreadable line(s), first: "
              f"{report.problems[0]}", file=sys.stderr)
    if args.output:
        print(f"aigate report: {summary['requests']:,} AI requests, {summary['users']:,} people "
              f"-> {args.output}", file=sys.stderr)
    return 0


def _format_of(output: str | None) -> str:
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return {"htm": "html", "markdown": "md"}.get(suffix, suffix) if suffix in (
        *FORMATS, "htm", "markdown") else "html"
