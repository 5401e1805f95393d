"""What the proxy would do with one request, computed by the proxy's own steps: the report of
`aigate explain` and `aigate test`.

Steps kept apart: `request_facts` (a URL, requester and Host header -> facts),
`explain_request` (facts -> the report: every name the request carries decided by
`aigate.verdict.decide_request`, as the proxy's addons would; then the unlisted-endpoint check and,
with a body, the inspection), `explanation` (facts + decision -> a JSON-ready dict),
`unlisted_endpoint` (a host outside the catalog whose path names a model API call: what
`aigate.proxy.unlisted` makes of it, and whether the proxy sees it at all), `inspection` (extract,
scan and apply the DLP rules as the proxy would). Findings show a redacted preview, never the value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aigate.actions import FORWARDED_ACCESS, final_action
from aigate.classify import normalize_host, split_target
from aigate.decide import Decision, RequestFacts
from aigate.endpoints import UNLISTED_ID, ModelApiShape, confirm_body, match_path, unlisted_service
from aigate.inspect import (
    DlpVerdict,
    RedactionError,
    Scanner,
    build_scanner,
    dlp_action,
    inspect_request,
    redact_request,
)
from aigate.inspect.result import Finding, Inspection, Locator
from aigate.inspect.url import is_url_segment
from aigate.policy import LoadedPolicy
from aigate.verdict import decide_request, decrypts, other_names


def request_facts(
    loaded: LoadedPolicy,
    url: str,
    user: str | None,
    ip: str | None,
    method: str,
    host_header: str | None = None,
) -> RequestFacts:
    """The facts of a request to `url` (its path keeps the query, as the proxy sees it); a Host
    header names the site instead of the URL's host (which then stays the name the connection
    goes to, see `explain_request`)."""
    host, path = split_target(url)
    query = url.split("#", 1)[0].partition("?")[2]
    if query:
        path = f"{path}?{query}"
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
    elif "?" in facts.path or len(facts.path) > 1:
        # The proxy scans the URL of a request without a body too, and acts on what it finds.
        scanned = inspection(loaded, facts, decision, b"", headers)
        if scanned["findings"]:
            report.update(scanned)
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


_SCANNERS: dict[int, tuple[LoadedPolicy, Scanner]] = {}
_KEPT_SCANNERS = 4


def scanner_of(loaded: LoadedPolicy) -> Scanner:
    """The policy's scanner, built once per loaded policy as the proxy builds it at each load
    (`aigate test` and a walk over the catalog explain many requests against one policy)."""
    kept = _SCANNERS.get(id(loaded))
    if kept is not None and kept[0] is loaded:
        return kept[1]
    base_dir = loaded.path.parent if loaded.path is not None else Path.cwd()
    scanner = build_scanner(loaded.policy.dlp, base_dir, countries=loaded.policy.countries)
    if len(_SCANNERS) >= _KEPT_SCANNERS:
        _SCANNERS.clear()
    _SCANNERS[id(loaded)] = (loaded, scanner)
    return scanner


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
    found = inspect_request(
        scanner_of(loaded),
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
    body_segments = [s for s in found.extraction.segments if not is_url_segment(s)]
    report.update(
        inspected=True,
        extraction={
            "extractor": found.extraction.extractor,
            "api_format": service.api_format,
            "content_type": content_type,
            "content_encoding": headers.get("content-encoding"),
            "segments": len(body_segments),
            "characters": sum(len(segment.text) for segment in body_segments),
            "url_characters": found.bytes_scanned - sum(len(seg.text) for seg in body_segments),
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
        "decoded": finding.decoded,
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
        elif kind == "url":
            parts.append("URL path" if step[1] == "path" else "URL parameter names"
                         if step[1] == "names" else f"URL query value {step[2] + 1}")
        elif kind == "json_keys":
            parts.append("JSON keys")
        elif kind == "field_names":
            parts.append("field names")
        elif kind == "decoded":
            parts.append(f"{step[4]} run at {step[2]}-{step[3]} of segment {step[1]}")
        else:
            parts.append("body")
    return " > ".join(parts) or "body"
