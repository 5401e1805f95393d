"""`aigate explain URL`: what the policy decides for one request, and the walk that got there.

Steps kept apart: `request_facts` (arguments -> facts), `explain_request` (facts -> the report,
as the proxy's addons would decide and inspect the request), `explanation` (facts + decision -> a
JSON-ready dict), `unlisted_endpoint` (a host outside the catalog whose path names a model API
call: what `aigate.proxy.unlisted` makes of it, and whether the proxy sees it at all),
`inspection` (with `--body`: extract, scan and apply the DLP rules as the proxy would),
`render_text` (the dict for people). Findings show a redacted preview, never the value.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from aigate.actions import FORWARDED_ACCESS, final_action
from aigate.classify import normalize_host, split_target
from aigate.cli._policy import add_policy_option, load_or_report
from aigate.decide import Decision, RequestFacts
from aigate.endpoints import UNLISTED_ID, ModelApiShape, confirm_body, match_path, unlisted_service
from aigate.inspect import (
    DlpVerdict,
    RedactionError,
    build_scanner,
    dlp_action,
    inspect_request,
    redact_request,
)
from aigate.inspect.custom import ConfigError
from aigate.inspect.result import Finding, Inspection, Locator
from aigate.policy import LoadedPolicy
from aigate.verdict import decide_request, decrypts, other_names

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


def request_facts(
    loaded: LoadedPolicy,
    url: str,
    user: str | None,
    ip: str | None,
    method: str,
    host_header: str | None = None,
) -> RequestFacts:
    """The facts of a request to `url`; a Host header names the site instead of the URL's host
    (which then stays the name the connection goes to, see `explain_request`)."""
    host, path = split_target(url)
    if host_header:
        host = normalize_host(host_header)
    return RequestFacts(
        host=host,
        path=path,
        method=method.upper(),
        user=user,
        groups=loaded.groups_for(user, ip),
        client_ip=ip,
    )


def explain_request(
    loaded: LoadedPolicy,
    url: str,
    facts: RequestFacts,
    body: bytes | None,
    headers: dict[str, str],
    sni: str | None = None,
) -> dict[str, Any]:
    """The report for one request, decided as the proxy's addons would: every name it carries
    (site, URL host, SNI; `aigate.verdict.decide_request`) against the catalog first, then, for
    a host it does not know, the unlisted-endpoint check; with a body, the inspection.
    Raises `ConfigError` when the policy's DLP configuration cannot be built."""
    url_host = split_target(url)[0]
    names = other_names(facts.host, url_host, sni)
    https = not url.strip().lower().startswith("http://")
    connection = [url_host, normalize_host(sni or "")] if https else None
    decision = decide_request(loaded, facts, names, connection_names=connection)
    shape = None
    if decision.service is None and loaded.policy.unlisted_endpoints.detect:
        shape = match_path(facts.path)
    unlisted = None
    if shape is not None:
        unlisted, adopted = unlisted_endpoint(
            loaded, url, facts, shape, body, headers, connection or [facts.host]
        )
        decision = adopted or decision
    report = explanation(loaded, url, facts, decision, names)
    report["unlisted"] = unlisted
    if shape is not None and decision.service is not None:
        report["matched_by"] = {"kind": "endpoint", "pattern": shape.id}
    if body is not None:
        report.update(inspection(loaded, facts, decision, body, headers))
        if unlisted is not None and not unlisted["visible"]:
            report["not_inspected"] = unlisted["visibility"]
    return report


def unlisted_endpoint(
    loaded: LoadedPolicy,
    url: str,
    facts: RequestFacts,
    shape: ModelApiShape,
    body: bytes | None,
    headers: dict[str, str],
    connection: list[str],
) -> tuple[dict[str, Any], Decision | None]:
    """What `aigate.proxy.unlisted` makes of a request whose path names a `shape` call: the
    report's `unlisted` entry, and the decision the proxy acts on (None: it forwards the request
    undecided). Without a body the decision is the one a confirming body would get.
    `connection`: the names the TLS connection carries, which decide whether it is seen."""
    confirmed = None if body is None else confirm_body(shape, body, headers.get("content-encoding"))
    visible, visibility = _visibility(loaded, url, connection)
    would = None
    if confirmed is not False:
        would = decide_request(loaded, facts, service=unlisted_service(shape))
    keys = _body_keys(shape)
    if confirmed is None:
        note = (f"the path names a model API call ({shape.id}): the proxy decides it as "
                f"{UNLISTED_ID} once the JSON body has {keys}")
    elif confirmed:
        note = (f"the path names a model API call ({shape.id}) and the body has {keys}: "
                f"decided as {UNLISTED_ID}")
    else:
        note = (f"the path names a model API call ({shape.id}) but the body lacks {keys}: "
                "not one, forwarded undecided")
    entry = {
        "endpoint": shape.id,
        "body": {None: "not given", True: "confirmed", False: "not confirmed"}[confirmed],
        "body_keys": keys,
        "visible": visible,
        "visibility": visibility,
        "note": note,
        "decision": None if would is None else {
            "action": would.action,
            "rule": would.rule,
            "reason": would.reason,
            "enforced": would.enforced,
            "trace": list(would.trace),
        },
    }
    return entry, would if visible else None


def _visibility(loaded: LoadedPolicy, url: str, connection: list[str]) -> tuple[bool, str]:
    """Whether the proxy reads requests to `url` at all (`aigate.proxy.passthrough`), and why;
    `connection`: the names the TLS connection carries (CONNECT host, SNI)."""
    if url.strip().lower().startswith("http://"):
        return True, "plain HTTP: the proxy reads every request sent to it"
    if decrypts(loaded, connection):
        return True, (
            "HTTPS to a host aigate decrypts (inspect_hosts, inspect_networks or a name hint)"
        )
    return False, (
        "HTTPS to a host aigate does not decrypt: passed through undecrypted, unseen; add it to "
        "inspect_hosts or inspect_networks to see it (docs/routing.md)"
    )


def _shared_host(loaded: LoadedPolicy, url: str, host: str) -> dict[str, Any] | None:
    """For a host where AI lives only on some paths: whether HTTPS to it is decrypted, and why."""
    shared = loaded.shared_hosts
    if host not in shared or url.strip().lower().startswith("http://"):
        return None
    why = shared[host]
    if why is None:
        why = ("the policy treats its AI paths like the rest of the host, so HTTPS to it is "
               "passed through undecrypted and unseen")
    return {"host": host, "decrypted": shared[host] is not None, "why": why}


def _body_keys(shape: ModelApiShape) -> str:
    """The JSON keys that confirm a `shape` call, for people: `messages and model`."""
    words = [" and ".join(shape.required)] if shape.required else []
    if shape.any_of:
        words.append(f"one of {', '.join(shape.any_of)}")
    return " and ".join(words)


def explanation(
    loaded: LoadedPolicy,
    url: str,
    facts: RequestFacts,
    decision: Decision,
    names: list[str] | None = None,
) -> dict[str, Any]:
    """The report of one decision. `names`: the request's other names (URL host, SNI); the
    decision may come from one of them (the strictest wins)."""
    service = decision.service
    match = None
    decided_by = facts.host
    for name in (facts.host, *(names or ())):
        found = loaded.classifier.classify(name, facts.path) if service else None
        if found is not None and found.service == service:
            match, decided_by = found, name
            break
    return {
        "url": url,
        "host": facts.host,
        "path": facts.path,
        "method": facts.method,
        "user": facts.user,
        "client_ip": facts.client_ip,
        "groups": sorted(facts.groups),
        "service": service.id if service else None,
        "service_name": service.name if service else None,
        "category": decision.category,
        "matched_by": {"kind": match.kind, "pattern": match.pattern} if match else None,
        "action": decision.action,
        "access_action": decision.action,
        "enforced": decision.enforced,
        "mode": loaded.mode,
        "rule": decision.rule,
        "reason": decision.reason,
        "alternatives": [
            {"name": a.name, "url": a.url, "service": a.service_id} for a in decision.alternatives
        ],
        "redirect_url": decision.redirect_url,
        "shared_host": _shared_host(loaded, url, facts.host),
        "names": [facts.host, *(names or ())],
        "decided_by": decided_by,
        "tenant_headers": [
            {"name": name, "value": value}
            for name, value in (loaded.tenant_headers(service.id, facts.host) if service else [])
        ],
        "trace": list(decision.trace),
        "policy": {
            "path": str(loaded.path) if loaded.path else None,
            "version": loaded.version,
            "sha256": loaded.sha256,
        },
    }


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


def inspection(
    loaded: LoadedPolicy,
    facts: RequestFacts,
    decision: Decision,
    body: bytes,
    headers: dict[str, str],
) -> dict[str, Any]:
    """The report keys `--body` adds: what the proxy would extract, find and do with the body.
    `action` becomes the DLP outcome when that is stricter than the access decision."""
    service = decision.service
    content_type = headers.get("content-type")
    report: dict[str, Any] = {
        "body_bytes": len(body),
        "inspected": False,
        "not_inspected": None,
        "extraction": None,
        "findings": [],
        "dlp": None,
        "redacted_body": None,
    }
    dlp = loaded.policy.dlp
    if service is None:
        report["not_inspected"] = "not an AI service: the proxy forwards the body unread"
        return report
    if decision.action not in FORWARDED_ACCESS:
        report["not_inspected"] = f"the access decision is {decision.action}: the body never leaves"
        return report
    if not dlp.enabled:
        report["not_inspected"] = "dlp.enabled is false in the policy"
        return report
    base_dir = loaded.path.parent if loaded.path is not None else Path.cwd()
    found = inspect_request(
        build_scanner(dlp, base_dir),
        body=body,
        host=facts.host,
        path=facts.path,
        content_type=content_type,
        content_encoding=headers.get("content-encoding"),
        api_format=service.api_format,
        max_bytes=dlp.max_scan_bytes,
    )
    verdict = dlp_action(
        dlp,
        found.findings,
        service=service.id,
        category=service.category,
        groups=facts.groups,
        unscanned=found.unscanned,
        oversize=found.oversize,
    )
    if verdict.action == "redact":
        try:
            redacted = redact_request(found, content_type)
        except RedactionError as e:
            verdict = DlpVerdict(
                "block",
                verdict.rule_id,
                verdict.kinds,
                verdict.classes,
                f"{verdict.reason} (blocked: it cannot be redacted in place, {e})",
            )
        else:
            report["redacted_body"] = redacted.decode("utf-8", "replace")
    report.update(
        inspected=True,
        extraction={
            "extractor": found.extraction.extractor,
            "api_format": service.api_format,
            "content_type": content_type,
            "content_encoding": headers.get("content-encoding"),
            "segments": len(found.extraction.segments),
            "characters": found.bytes_scanned,
            "oversize": found.oversize,
            "unscanned": list(found.unscanned),
        },
        findings=[_finding(found, f) for f in found.findings],
        dlp={
            "action": verdict.action,
            "rule": verdict.rule_id,
            "reason": verdict.reason,
            "kinds": list(verdict.kinds),
            "classes": list(verdict.classes),
        },
        action=final_action(decision.action, verdict.action),
    )
    return report


def _finding(found: Inspection, finding: Finding) -> dict[str, Any]:
    segments = found.extraction.segments
    where = segments[finding.segment].locator if finding.segment < len(segments) else ()
    return {
        "detector": finding.detector,
        "class": finding.data_class,
        "segment": finding.segment,
        "where": _where(where),
        "start": finding.start,
        "end": finding.end,
        "confidence": finding.confidence,
        "preview": finding.preview,
    }


def _where(locator: Locator) -> str:
    """A locator for people: `messages[1].content`, `form f.req > [0][2]`, `part 1 > file a.pdf`."""
    parts = []
    for step in locator:
        kind = step[0]
        if kind == "json":
            text = ""
            for key in step[1]:
                text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
            parts.append(text or "(root)")
        elif kind == "form":
            parts.append(f"form field {step[1]}")
        elif kind == "part":
            parts.append(f"part {step[1]}")
        elif kind == "file":
            parts.append(f"file {step[1]}")
        else:
            parts.append("body")
    return " > ".join(parts) or "body"


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
            f"  found:    {f['detector']} ({f['class']}) in {f['where']} "
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
