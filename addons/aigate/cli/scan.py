"""`aigate scan`: find sensitive data in text, as the proxy would in a prompt.

Plain mode prints one finding per line; `--json` prints one document; `--jsonl` reads JSON Lines
`{"id", "text"}` and writes one line per input, for evaluating detectors on a labelled corpus.
Every finding says how sure it is (low, pattern, context, validated) and whether it was found
inside an encoded run. Only redacted previews are printed, never the values.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from typing import TextIO

from aigate.inspect import build_scanner, scan_text
from aigate.inspect.custom import ConfigError, edm_digest
from aigate.inspect.detectors import builtin
from aigate.inspect.engine import Scanner
from aigate.inspect.result import CONFIDENCE_RANK, CONFIDENCES, Finding
from aigate.policy.model import Dlp


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "scan",
        help="find sensitive data in text",
        description="Scan text (FILE, or standard input when FILE is '-' or absent) with the "
        "prompt detectors and print the findings: detector, data class, character offsets and "
        "a redacted preview, its confidence (low < pattern < context < validated) and whether it "
        "was decoded from base64, hex or percent-encoding. Documentation examples and "
        "placeholders are reported as ignored. Exit status 1 when something at "
        "--min-confidence or above was found.",
    )
    parser.add_argument("file", nargs="?", default="-", metavar="FILE", help="text to scan")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print one JSON document")
    mode.add_argument(
        "--jsonl",
        action="store_true",
        help='read JSON Lines {"id", "text"}; write {"id", "findings": [...]} per line',
    )
    mode.add_argument("--list", action="store_true", help="list the built-in detectors")
    mode.add_argument(
        "--hash-values",
        action="store_true",
        help="print the exact-match digest of each input line (for dlp.exact_match files); "
        "the key is read from --key-env",
    )
    parser.add_argument(
        "--policy",
        metavar="FILE",
        help="use the policy's dlp section (enabled detectors, keywords, patterns, exact match)",
    )
    parser.add_argument(
        "--min-confidence",
        choices=CONFIDENCES,
        default="low",
        help="report only findings at least this sure (default: low, every finding)",
    )
    parser.add_argument(
        "--key-env",
        default="AIGATE_EDM_KEY",
        metavar="VAR",
        help="environment variable holding the exact-match key (default AIGATE_EDM_KEY)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.list:
        return _list()
    try:
        source = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
    except OSError as e:
        print(f"aigate scan: cannot read {args.file}: {e.strerror}", file=sys.stderr)
        return 2
    with source:
        if args.hash_values:
            return _hash_values(source, args.key_env)
        try:
            scanner = _scanner(args.policy)
        except (ConfigError, ValueError) as e:
            print(f"aigate scan: {e}", file=sys.stderr)
            return 2
        if args.jsonl:
            return _jsonl(scanner, source, sys.stdout, args.min_confidence)
        text = source.read()
    ignored: list[tuple[str, str]] = []
    findings = _at_least(scan_text(scanner, text, ignored), args.min_confidence)
    if args.json:
        document = {
            "findings": [_finding(f) for f in findings],
            "ignored": [{"detector": d, "preview": p, "why": IGNORED} for d, p in ignored],
        }
        json.dump(document, sys.stdout, ensure_ascii=False)
        print()
    else:
        for f in findings:
            how = f.confidence + (f", decoded from {f.decoded}" if f.decoded else "")
            print(f"{f.start}-{f.end}\t{f.detector}\t{f.data_class}\t{how}\t{f.preview}")
        for detector, shown in ignored:
            print(f"ignored\t{detector}\t{shown}\t{IGNORED}")
    return 1 if findings else 0


IGNORED = "example ignored: a documentation example or placeholder, not a real value"


def _at_least(findings: list[Finding], level: str) -> list[Finding]:
    floor = CONFIDENCE_RANK[level]
    return [f for f in findings if CONFIDENCE_RANK[f.confidence] >= floor]


def _list() -> int:
    """The built-in detectors, tab-separated: id, class, how confidence is decided, regions,
    source document, description."""
    detectors = builtin()
    for d in detectors:
        regions = ",".join(d.regions) or "any"
        print(
            f"{d.id}\t{d.data_class}\t{d.confidence_rule}\t{regions}\t{d.source or '-'}"
            f"\t{d.description}"
        )
    print(f"{len(detectors)} detectors", file=sys.stderr)
    return 0


def _scanner(policy_file: str | None) -> Scanner:
    if policy_file is None:
        return build_scanner(Dlp())
    from pathlib import Path

    from aigate.policy.errors import PolicyError
    from aigate.policy.load import load_policy

    try:
        loaded = load_policy(policy_file)
    except PolicyError as e:
        raise ValueError(str(e)) from e
    return build_scanner(
        loaded.policy.dlp, Path(policy_file).parent, countries=loaded.policy.countries
    )


def _finding(f: Finding) -> dict:
    return {
        "detector": f.detector,
        "class": f.data_class,
        "start": f.start,
        "end": f.end,
        "confidence": f.confidence,
        "preview": f.preview,
        **({"decoded": f.decoded} if f.decoded else {}),
    }


def _jsonl(scanner: Scanner, lines: Iterable[str], out: TextIO, min_confidence: str) -> int:
    found_any = False
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["text"]
            if not isinstance(text, str):
                raise TypeError("text is not a string")
        except (ValueError, KeyError, TypeError) as e:
            print(f'aigate scan: line {number}: expected {{"id", "text"}} ({e})', file=sys.stderr)
            return 2
        ignored: list[tuple[str, str]] = []
        findings = _at_least(scan_text(scanner, text, ignored), min_confidence)
        found_any = found_any or bool(findings)
        item: dict = {"id": record.get("id"), "findings": [_finding(f) for f in findings]}
        if ignored:
            item["ignored"] = [{"detector": d, "preview": p, "why": IGNORED} for d, p in ignored]
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return 1 if found_any else 0


def _hash_values(lines: Iterable[str], key_env: str) -> int:
    key = os.environ.get(key_env)
    if not key:
        print(f"aigate scan: set {key_env} to the exact-match key first", file=sys.stderr)
        return 2
    for line in lines:
        if line.strip():
            print(edm_digest(key.encode(), line))
    return 0
