"""`aigate scan`: find sensitive data in text, as the proxy would in a prompt.

Plain mode prints one finding per line; `--json` prints one document; `--jsonl` reads JSON Lines
`{"id", "text"}` and writes one line per input, for evaluating detectors on a labelled corpus.
Only redacted previews are printed, never the values.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from typing import TextIO

from aigate.inspect import build_scanner
from aigate.inspect.custom import ConfigError, edm_digest
from aigate.inspect.detectors import builtin
from aigate.inspect.engine import Scanner
from aigate.inspect.result import Finding
from aigate.policy.model import Dlp


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "scan",
        help="find sensitive data in text",
        description="Scan text (FILE, or standard input when FILE is '-' or absent) with the "
        "prompt detectors and print the findings: detector, data class, character offsets and "
        "a redacted preview. Exit status 1 when something was found.",
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
        "--key-env",
        default="AIGATE_EDM_KEY",
        metavar="VAR",
        help="environment variable holding the exact-match key (default AIGATE_EDM_KEY)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.list:
        for d in builtin():
            print(f"{d.id}\t{d.data_class}\t{d.description}")
        return 0
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
            return _jsonl(scanner, source, sys.stdout)
        text = source.read()
    ignored: list[tuple[str, str]] = []
    findings = scanner.scan(text, ignored)
    if args.json:
        document = {
            "findings": [_finding(f) for f in findings],
            "ignored": [{"detector": d, "preview": p, "why": IGNORED} for d, p in ignored],
        }
        json.dump(document, sys.stdout, ensure_ascii=False)
        print()
    else:
        for f in findings:
            print(f"{f.start}-{f.end}\t{f.detector}\t{f.data_class}\t{f.preview}")
        for detector, shown in ignored:
            print(f"ignored\t{detector}\t{shown}\t{IGNORED}")
    return 1 if findings else 0


IGNORED = "a known documentation example or placeholder, not a real value"


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
    return build_scanner(loaded.policy.dlp, Path(policy_file).parent)


def _finding(f: Finding) -> dict:
    return {
        "detector": f.detector,
        "class": f.data_class,
        "start": f.start,
        "end": f.end,
        "confidence": f.confidence,
        "preview": f.preview,
    }


def _jsonl(scanner: Scanner, lines: Iterable[str], out: TextIO) -> int:
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
        findings = scanner.scan(text)
        found_any = found_any or bool(findings)
        item = {"id": record.get("id"), "findings": [_finding(f) for f in findings]}
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
