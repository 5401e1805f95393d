"""`aigate replay AUDIT.jsonl... --policy NEW.yaml`: what a policy change would do to the
requests in an audit log (see `aigate.whatif.replay`)."""

from __future__ import annotations

import argparse
import json
import sys

from aigate.cli._policy import load_or_report
from aigate.whatif.replay import Replay, Summary, parse_time, read_lines


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="re-decide recorded requests under a new policy",
        description="Read audit logs (JSON Lines, .gz too), re-decide every recorded request "
        "under the new policy (classification, groups, rules, and the DLP rules applied to the "
        "findings recorded with it) and summarise what changes: per service, old outcome -> new "
        "outcome, with requests and distinct users, most requests first. Other records are "
        "skipped. Exit 0 whether or not anything changes; 1 when the policy does not load, 2 "
        "when a log cannot be read.",
    )
    parser.add_argument("logs", nargs="+", metavar="AUDIT", help="audit log file(s)")
    parser.add_argument(
        "--policy", required=True, metavar="POLICY", help="the new policy YAML to replay under"
    )
    parser.add_argument("--since", metavar="TIME", help="only records at or after TIME (ISO 8601)")
    parser.add_argument("--until", metavar="TIME", help="only records before TIME (ISO 8601)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        since = parse_time(args.since) if args.since else None
        until = parse_time(args.until) if args.until else None
    except ValueError as e:
        print(f"aigate replay: --since/--until: {e}", file=sys.stderr)
        return 2
    loaded = load_or_report(args.policy)
    if loaded is None:
        return 1
    replay = Replay(loaded, since, until)
    try:
        for line in read_lines(args.logs):
            replay.add_line(line)
    except (OSError, EOFError) as e:
        print(f"aigate replay: cannot read the audit log: {e}", file=sys.stderr)
        return 2
    summary = replay.summary()
    if args.json:
        report = {"policy": {"path": args.policy, "version": loaded.version}, **summary.as_json()}
        print(json.dumps(report, indent=2))
    else:
        print(render_text(summary, args.policy, loaded.version))
    return 0


def render_text(summary: Summary, policy: str, version: str) -> str:
    lines = [f"Replayed {summary.decisions} recorded requests under {policy} (version {version})"]
    if summary.moves:
        rows = [("SERVICE", "OLD", "", "NEW", "REQUESTS", "USERS")]
        rows += [
            (m.service or "(not AI)", m.old, "->", m.new, str(m.requests), str(m.users))
            for m in summary.moves
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            cells = [
                cell.rjust(width) if i >= 4 else cell.ljust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            lines.append("  " + "  ".join(cells).rstrip())
    total = summary.decisions
    share = f" ({summary.changed / total:.1%})" if total else ""
    lines.append(
        f"{summary.changed} of {total} requests change{share}, from {summary.changed_users} "
        f"users; {total - summary.changed} unchanged"
    )
    notes = [
        (summary.outside, "outside --since/--until"),
        (
            summary.skipped,
            "other records skipped (acknowledgements, WebSocket messages, policy and error events)",
        ),
        (summary.malformed, "lines that are not decision records"),
    ]
    lines.extend(f"{count} {what}" for count, what in notes if count)
    return "\n".join(lines)
