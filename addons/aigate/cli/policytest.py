"""`aigate test CASES.yaml...`: run policy test cases (see `aigate.policy.cases`).

Each case is run through `aigate explain`'s steps, which are the proxy's: classify and decide
(`aigate.decide`), the unlisted-endpoint check for a host outside the catalog, then, with a body,
extract, scan and apply the DLP rules (`aigate.whatif.explain.explain_request`).
Exit status: 0 when every case passes, 1 when one fails, 2 when a cases file or its policy is
invalid (those files run nothing; the others still run).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from aigate.classify import split_target
from aigate.decide import RequestFacts
from aigate.inspect.custom import ConfigError
from aigate.policy import DEFAULT_POLICY, LoadedPolicy, PolicyError, load_policy
from aigate.policy.cases import (
    CaseFile,
    CasesError,
    LoadedCase,
    check_names,
    load_cases,
    mismatches,
)
from aigate.whatif.explain import explain_request


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "test",
        help="run policy test cases",
        description="Run table-driven policy test cases: each case is a request (url, method, "
        "user, groups, client_ip, optional body or body_file) and what it must get (expect: "
        "action, access, service, rule, enforced, findings, no_findings, dlp, dlp_rule). The "
        "policy is the file's `policy:` key (relative to the cases file), --policy, or the "
        "shipped default. Prints `FILE:LINE: case NAME: expected ..., got ...` per failing case "
        "and a summary. Exit 0 when all pass, 1 when any fails, 2 for an invalid file.",
    )
    parser.add_argument("cases", nargs="+", metavar="CASES", help="cases YAML file(s)")
    parser.add_argument(
        "--policy", metavar="POLICY", help="policy YAML for every file (overrides `policy:`)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("-v", "--verbose", action="store_true", help="list passing cases too")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    policies: dict[Path, LoadedPolicy | PolicyError] = {}
    problems: list[str] = []
    files: list[dict[str, Any]] = []
    for name in args.cases:
        try:
            cases = load_cases(name)
        except CasesError as e:
            problems.extend(str(p) for p in e.problems)
            continue
        policy_path = Path(args.policy) if args.policy else cases.policy or DEFAULT_POLICY
        loaded = _policy(policies, policy_path)
        if isinstance(loaded, PolicyError):
            problems.extend(str(p) for p in loaded.problems)
            problems.append(f"{cases.doc.file}:1: policy {policy_path} does not load")
            continue
        unknown = check_names(cases, loaded)
        if unknown:
            problems.extend(str(p) for p in unknown)
            continue
        files.append(_run_file(cases, loaded, policy_path))
    passed = sum(c["passed"] for f in files for c in f["cases"])
    failed = sum(not c["passed"] for f in files for c in f["cases"])
    if args.json:
        print(
            json.dumps(
                {"passed": passed, "failed": failed, "problems": problems, "files": files}, indent=2
            )
        )
    else:
        for problem in problems:
            print(problem, file=sys.stderr)
        for file in files:
            for case in file["cases"]:
                where = f"{file['file']}:{case['line']}: case {case['name']}"
                if not case["passed"]:
                    print(f"{where}: {'; '.join(case['failures'])}")
                elif args.verbose:
                    print(f"{where}: ok ({_outcome(case['actual'])})")
        count = len(problems)
        invalid = f", {count} problem{'s' if count != 1 else ''} in the files" if count else ""
        print(f"{passed} passed, {failed} failed{invalid}")
    if problems:
        return 2
    return 1 if failed else 0


def _policy(
    cache: dict[Path, LoadedPolicy | PolicyError], path: Path
) -> LoadedPolicy | PolicyError:
    key = path.resolve()
    if key not in cache:
        try:
            cache[key] = load_policy(path)
        except PolicyError as e:
            cache[key] = e
    return cache[key]


def _run_file(cases: CaseFile, loaded: LoadedPolicy, policy_path: Path) -> dict[str, Any]:
    results = []
    for case in cases.cases:
        try:
            report = evaluate(loaded, case)
            failures = mismatches(case.spec.expect, report)
        except ConfigError as e:
            report, failures = {}, [f"cannot inspect the body: {e}"]
        results.append(
            {
                "name": case.name,
                "line": case.line,
                "passed": not failures,
                "failures": failures,
                "actual": _actual(report),
            }
        )
    return {
        "file": cases.doc.file,
        "policy": str(policy_path),
        "policy_version": loaded.version,
        "cases": results,
    }


def evaluate(loaded: LoadedPolicy, case: LoadedCase) -> dict[str, Any]:
    """The `aigate explain` report for a case's request: decision, and inspection with a body.
    The case's `groups` are added to those the policy gives its user and client address."""
    spec = case.spec
    host, path = split_target(spec.url)
    groups = loaded.groups_for(spec.user, spec.client_ip) | frozenset(spec.groups)
    facts = RequestFacts(host, path, case.method, spec.user, groups, spec.client_ip)
    headers = {"content-type": case.content_type} if case.content_type else {}
    return explain_request(loaded, spec.url, facts, case.body, headers)


def _actual(report: dict[str, Any]) -> dict[str, Any]:
    """What the case got, for --json and -v: the checked keys of the explain report."""
    if not report:
        return {}
    dlp = report.get("dlp") or {}
    return {
        "action": report["action"],
        "access": report["access_action"],
        "service": report["service"],
        "rule": report["rule"],
        "enforced": report["enforced"],
        "findings": sorted({f["detector"] for f in report.get("findings", [])}),
        "dlp": dlp.get("action"),
        "dlp_rule": dlp.get("rule"),
    }


def _outcome(actual: dict[str, Any]) -> str:
    text = f"{actual['action']}, rule {actual['rule']}"
    if actual["dlp"]:
        text += f", dlp {actual['dlp']}"
    return text
