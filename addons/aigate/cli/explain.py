"""`aigate explain URL`: what the policy decides for one request, and the walk that got there.

Three steps kept apart so later options (request body, headers for inspection) slot in:
`request_facts` (arguments -> facts), `explanation` (facts + decision -> a JSON-ready dict),
`render_text` (the dict for people).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from aigate.classify import split_target
from aigate.decide import Decision, RequestFacts, decide
from aigate.policy import DEFAULT_POLICY, LoadedPolicy, PolicyError, load_policy


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "explain",
        help="show the decision for a URL and why",
        description="Classify a URL, apply the policy and show the decision, the rule that "
        "matched and every rule considered before it (precedence: exceptions, services, "
        "risk_rules, categories, default, then training gates).",
    )
    parser.add_argument("url", metavar="URL", help="URL or host, e.g. https://chatgpt.com/")
    parser.add_argument("--user", help="proxy-auth user name of the requester")
    parser.add_argument("--ip", help="client IP address of the requester")
    parser.add_argument("--method", default="GET", help="HTTP method (default: GET)")
    parser.add_argument(
        "--policy", default=str(DEFAULT_POLICY), help="policy YAML (default: the shipped one)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        loaded = load_policy(args.policy)
    except PolicyError as e:
        print(e, file=sys.stderr)
        return 1
    facts = request_facts(loaded, args.url, args.user, args.ip, args.method)
    if not facts.host:
        print(f"aigate explain: '{args.url}' has no host name", file=sys.stderr)
        return 2
    report = explanation(loaded, args.url, facts, decide(loaded, facts))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(render_text(report))
    return 0


def request_facts(
    loaded: LoadedPolicy, url: str, user: str | None, ip: str | None, method: str
) -> RequestFacts:
    host, path = split_target(url)
    return RequestFacts(
        host=host,
        path=path,
        method=method.upper(),
        user=user,
        groups=loaded.groups_for(user, ip),
        client_ip=ip,
    )


def explanation(
    loaded: LoadedPolicy, url: str, facts: RequestFacts, decision: Decision
) -> dict[str, Any]:
    service = decision.service
    match = loaded.classifier.classify(facts.host, facts.path) if service else None
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
        "enforced": decision.enforced,
        "mode": loaded.mode,
        "rule": decision.rule,
        "reason": decision.reason,
        "alternatives": [
            {"name": a.name, "url": a.url, "service": a.service_id} for a in decision.alternatives
        ],
        "redirect_url": decision.redirect_url,
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
    enforced = "enforced" if report["enforced"] else f"not enforced: mode {report['mode']}"
    if report["action"] == "passthrough":
        enforced = "not inspected"
    lines.append(f"  action:   {report['action']} ({enforced})")
    lines.append(f"  rule:     {report['rule']}")
    lines.append(f"  reason:   {report['reason']}")
    if report["redirect_url"]:
        lines.append(f"  redirect: {report['redirect_url']}")
    for alt in report["alternatives"]:
        lines.append(f"  instead:  {alt['name']}" + (f" <{alt['url']}>" if alt["url"] else ""))
    for header in report["tenant_headers"]:
        lines.append(f"  header:   {header['name']}: {header['value']}")
    lines.append("  walk:")
    lines.extend(f"    {i}. {step}" for i, step in enumerate(report["trace"], 1))
    policy = report["policy"]
    lines.append(f"  policy:   {policy['path']} (version {policy['version']})")
    return "\n".join(lines)
