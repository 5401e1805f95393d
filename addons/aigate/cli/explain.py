"""`aigate explain URL`: what the policy decides for one request, and the walk that got there.

The report comes from `aigate.whatif.explain` (the proxy's own steps); this module reads the
arguments and renders the report for people. Findings show a redacted preview, never the value.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from aigate.cli._policy import add_policy_option, load_or_report
from aigate.inspect.custom import ConfigError
from aigate.whatif.explain import explain_request, request_facts

_SHOWN_REDACTED = 4000  # characters of a redacted body printed in text output


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "explain",
        help="show the decision for a URL and why",
        description="Classify a URL, apply the policy and show the decision, the rule that "
        "matched and every rule considered before it (precedence: exceptions, services, "
        "risk_rules, categories, default, then training gates). With --body, also inspect the "
        "request body as the proxy would (extract the prompt, scan it, apply the dlp rules): the "
        "final action is the stricter of the access decision and the DLP verdict. A host outside "
        "the catalog whose path names a model API call (and whose JSON body, with --body, "
        "confirms it) is decided as the unlisted-ai-endpoint service, with whether the proxy "
        "sees it: plain HTTP always, HTTPS only to hosts it decrypts.",
    )
    parser.add_argument("url", metavar="URL", help="URL or host, e.g. https://chatgpt.com/")
    parser.add_argument("--user", help="proxy-auth user name of the requester")
    parser.add_argument("--ip", help="client IP address of the requester")
    parser.add_argument("--method", help="HTTP method (default: GET, or POST with --body)")
    parser.add_argument(
        "--body",
        metavar="FILE",
        help="request body to inspect as the proxy would: extract the prompt, scan it and apply "
        "the policy's dlp rules ('-' reads standard input)",
    )
    parser.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="request header, repeatable; Content-Type and Content-Encoding say how to read --body",
    )
    parser.add_argument(
        "--sni",
        metavar="NAME",
        help="TLS server name the client sends, when it differs from the URL's host",
    )
    add_policy_option(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        headers = parse_headers(args.header)
        body = read_body(args.body) if args.body is not None else None
    except ValueError as e:
        print(f"aigate explain: {e}", file=sys.stderr)
        return 2
    loaded = load_or_report(args.policy)
    if loaded is None:
        return 1
    method = args.method or ("POST" if body is not None else "GET")
    facts = request_facts(loaded, args.url, args.user, args.ip, method, headers.get("host"))
    if not facts.host:
        print(f"aigate explain: '{args.url}' has no host name", file=sys.stderr)
        return 2
    try:
        report = explain_request(loaded, args.url, facts, body, headers, sni=args.sni)
    except ConfigError as e:
        print(f"aigate explain: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(render_text(report))
    return 0


def parse_headers(values: list[str]) -> dict[str, str]:
    """`['Content-Type: application/json']` -> `{'content-type': 'application/json'}`."""
    headers = {}
    for value in values:
        name, sep, rest = value.partition(":")
        if not sep or not name.strip() or " " in name.strip():
            raise ValueError(f"--header {value!r} is not 'Name: value'")
        headers[name.strip().lower()] = rest.strip()
    return headers


def read_body(file: str) -> bytes:
    if file == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(file).read_bytes()
    except OSError as e:
        raise ValueError(f"cannot read --body {file}: {e.strerror or e}") from e


def render_text(report: dict[str, Any]) -> str:
    lines = [f"{report['method']} {report['url']}"]
    if report["service"]:
        how = report["matched_by"]
        lines.append(
            f"  service:  {report['service']} ({report['service_name']}, category "
            f"{report['category']}; matched {how['kind']} {how['pattern']})"
        )
    else:
        lines.append("  service:  none (not an AI service in the catalog)")
    who = report["user"] or "unauthenticated"
    groups = ", ".join(report["groups"]) or "none"
    lines.append(f"  who:      {who}, ip {report['client_ip'] or '-'}, groups: {groups}")
    if len(report.get("names", ())) > 1:
        lines.append(f"  names:    {', '.join(report['names'])}: each is decided, the strictest "
                     f"stands ({report['decided_by']})")
    enforced = "enforced" if report["enforced"] else f"not enforced: mode {report['mode']}"
    if report["action"] == "passthrough":
        enforced = "not inspected"
    if report.get("dlp") and report["action"] != report["access_action"]:
        enforced += f"; from the DLP rules, the access decision alone is {report['access_action']}"
    lines.append(f"  action:   {report['action']} ({enforced})")
    lines.append(f"  rule:     {report['rule']}")
    lines.append(f"  reason:   {report['reason']}")
    if report.get("unlisted"):
        lines.extend(_render_unlisted(report["unlisted"]))
    if report["redirect_url"]:
        lines.append(f"  redirect: {report['redirect_url']}")
    for alt in report["alternatives"]:
        lines.append(f"  instead:  {alt['name']}" + (f" <{alt['url']}>" if alt["url"] else ""))
    for header in report["tenant_headers"]:
        lines.append(f"  header:   {header['name']}: {header['value']}")
    if "body_bytes" in report:
        lines.extend(_render_body(report))
    shared = report.get("shared_host")
    if shared:
        state = "decrypted" if shared["decrypted"] else "not decrypted"
        lines.append(f"  tls:      {shared['host']} is a shared host, {state}: {shared['why']}")
    lines.append("  walk:")
    lines.extend(f"    {i}. {step}" for i, step in enumerate(report["trace"], 1))
    policy = report["policy"]
    lines.append(f"  policy:   {policy['path']} (version {policy['version']})")
    return "\n".join(lines)


def _render_unlisted(unlisted: dict[str, Any]) -> list[str]:
    lines = [f"  unlisted: {unlisted['note']}", f"  seen:     {unlisted['visibility']}"]
    would = unlisted["decision"]
    if would is not None and not unlisted["visible"]:
        lines.append(f"  if seen:  {would['action']} (rule {would['rule']}): {would['reason']}")
    return lines


def _render_body(report: dict[str, Any]) -> list[str]:
    if not report["inspected"]:
        return [
            f"  body:     {report['body_bytes']} bytes, not inspected: {report['not_inspected']}"
        ]
    ex = report["extraction"]
    how = ", ".join(
        f"{name} {ex[key]}"
        for name, key in (("type", "content_type"), ("encoding", "content_encoding"))
        if ex[key]
    )
    lines = [
        f"  body:     {report['body_bytes']} bytes{f' ({how})' if how else ''}, read as "
        f"{ex['extractor']}: {_count(ex['segments'], 'segment')}, "
        f"{_count(ex['characters'], 'character')} scanned"
    ]
    lines.extend(f"  unscanned: {reason}" for reason in ex["unscanned"])
    for f in report["findings"]:
        lines.append(
            f"  found:    {f['detector']} ({f['class']}, {f['confidence']}) in {f['where']} "
            f"at {f['start']}-{f['end']}: {f['preview']}"
        )
    if not report["findings"]:
        lines.append("  found:    nothing sensitive")
    dlp = report["dlp"]
    lines.append(f"  dlp:      {dlp['action']} (rule {dlp['rule'] or '-'})")
    if dlp["reason"]:
        lines.append(f"  dlp why:  {dlp['reason']}")
    redacted = report["redacted_body"]
    if redacted is not None:
        more = len(redacted) - _SHOWN_REDACTED
        shown = redacted[:_SHOWN_REDACTED] + (f"... ({more} more characters)" if more > 0 else "")
        lines.append(f"  redacted: {shown}")
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
