"""Score aigate's DLP detectors on the held-out evaluation set in bench/dlp_eval/ (issue 17).

    .venv/bin/python bench/bench_dlp_eval.py                     # per family, worst kinds, misses
    .venv/bin/python bench/bench_dlp_eval.py --family financial --misses
    .venv/bin/python bench/bench_dlp_eval.py --min-confidence pattern --json

Every row is scanned with the scanner the shipped policy builds (policies/default.yaml's `dlp`
section, through `aigate.inspect.build_scanner`). A positive row counts as found when a finding
at or above the threshold (default "context", where the shipped policy starts blocking) overlaps
the value's span; recall at "pattern" is printed beside it. A negative row is a false positive
when the scan returns any finding at or above the threshold anywhere in its text.

The set is generated from public format definitions by bench/dlp_eval/generate.py, independently
of the detectors' own tests; see that file for how each kind is made and where it comes from.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "dlp_eval"
POLICY = ROOT / "policies" / "default.yaml"
FAMILIES = (
    "secrets_vendor",
    "secrets_generic",
    "pii_contact",
    "pii_national",
    "pii_documents",
    "financial",
    "network",
    "negatives",
)
LEVELS = ("low", "pattern", "context", "validated")
RANK = {level: i for i, level in enumerate(LEVELS)}
NONE = -1  # rank of "nothing found"


def load(families: tuple[str, ...] = FAMILIES) -> list[dict]:
    rows = []
    for family in families:
        with (DATA / f"{family}.jsonl").open(encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    return rows


def shipped_scanner(policy: Path = POLICY):
    from aigate.inspect import build_scanner
    from aigate.policy import load_policy

    loaded = load_policy(policy)
    return build_scanner(loaded.policy.dlp, policy.parent)


def mask(value: str) -> str:
    """Enough to tell rows apart, never the value: the first three characters and the length."""
    head = value[:3].replace("\n", " ")
    return f"{head}{'*' * min(9, max(0, len(value) - 3))} ({len(value)} chars)"


def scan_rows(scanner, rows: list[dict]) -> list[dict]:
    """Per row: the best confidence rank overlapping the value (positives) or anywhere (negatives),
    and the detectors behind it."""
    results = []
    for row in rows:
        text, value = row["text"], row["value"]
        findings = scanner.scan(text)
        if row["positive"]:
            start = text.index(value)
            end = start + len(value)
            hits = [f for f in findings if f.start < end and f.end > start]
        else:
            hits = findings
        best = max((RANK[f.confidence] for f in hits), default=NONE)
        detectors = sorted({f.detector for f in hits if RANK[f.confidence] == best})
        results.append({"row": row, "best": best, "detectors": detectors})
    return results


def _ratio(hit: int, total: int) -> float | None:
    return round(hit / total, 4) if total else None


def score(results: list[dict], threshold: str) -> dict:
    need, pattern = RANK[threshold], RANK["pattern"]
    fam: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    kinds: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    contexts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for res in results:
        row, best = res["row"], res["best"]
        for bucket in (fam[row["family"]], kinds[(row["family"], row["kind"])]):
            bucket["n"] += 1
            bucket["hit"] += best >= need
            bucket["hit_pattern"] += best >= pattern
        if row["positive"]:
            contexts[row["context"]]["n"] += 1
            contexts[row["context"]]["hit"] += best >= need

    def summary(counts: dict[str, int], positive: bool) -> dict:
        if positive:
            return {
                "rows": counts["n"],
                "recall": _ratio(counts["hit"], counts["n"]),
                "recall_at_pattern": _ratio(counts["hit_pattern"], counts["n"]),
            }
        return {
            "rows": counts["n"],
            "false_positive_rate": _ratio(counts["hit"], counts["n"]),
            "false_positive_rate_at_pattern": _ratio(counts["hit_pattern"], counts["n"]),
        }

    families = {f: summary(c, f != "negatives") for f, c in fam.items()}
    positives = [r for r in results if r["row"]["positive"]]
    negatives = [r for r in results if not r["row"]["positive"]]
    overall = {
        "positive_rows": len(positives),
        "recall": _ratio(sum(r["best"] >= need for r in positives), len(positives)),
        "recall_at_pattern": _ratio(sum(r["best"] >= pattern for r in positives), len(positives)),
        "negative_rows": len(negatives),
        "false_positive_rate": _ratio(sum(r["best"] >= need for r in negatives), len(negatives)),
        "false_positive_rate_at_pattern": _ratio(
            sum(r["best"] >= pattern for r in negatives), len(negatives)
        ),
    }
    by_kind = {
        f"{family}/{kind}": summary(c, family != "negatives")
        for (family, kind), c in sorted(kinds.items())
    }
    return {
        "threshold": threshold,
        "overall": overall,
        "families": {f: families[f] for f in FAMILIES if f in families},
        "by_context": {
            c: {"rows": v["n"], "recall": _ratio(v["hit"], v["n"])}
            for c, v in sorted(contexts.items())
        },
        "kinds": by_kind,
        "missed_kinds": [k for k, v in by_kind.items() if "recall" in v and v["recall"] == 0],
        "false_positive_kinds": {
            k: v["false_positive_rate"] for k, v in by_kind.items() if v.get("false_positive_rate")
        },
    }


def misses(results: list[dict], threshold: str) -> dict[str, list[dict]]:
    need = RANK[threshold]
    out: dict[str, list[dict]] = {"missed": [], "false_positives": []}
    for res in results:
        row = res["row"]
        if row["positive"] == (res["best"] >= need):
            continue
        entry = {
            "id": row["id"],
            "kind": row["kind"],
            "context": row["context"],
            "value": mask(row["value"]),
            "best": LEVELS[res["best"]] if res["best"] >= 0 else None,
            "detectors": res["detectors"],
        }
        out["missed" if row["positive"] else "false_positives"].append(entry)
    return out


def _pct(x: float | None) -> str:
    return "   -  " if x is None else f"{100 * x:5.1f}%"


def _line(name: str, rows: int, recall=None, recall_p=None, fp=None, fp_p=None) -> str:
    cells = [_pct(v) if v is not None else "" for v in (recall, recall_p, fp, fp_p)]
    return f"{name:18} {rows:5}  {cells[0]:>7} {cells[1]:>8}   {cells[2]:>7} {cells[3]:>8}".rstrip()


def report(scores: dict, seconds: float, rows: int, worst: int, out=sys.stdout) -> None:
    t = scores["threshold"]
    say = lambda *lines: print(*lines, sep="\n", file=out)  # noqa: E731
    say(
        f"DLP evaluation set: {rows} rows scanned in {seconds:.1f}s; "
        f"found = finding >= {t!r} overlapping the value",
        "",
    )
    say(
        f"{'family':18} {'rows':>5}  {'recall':>7} {'@pattern':>8}   {'FP rate':>7} {'@pattern':>8}"
    )
    for family, s in scores["families"].items():
        if "recall" in s:
            say(_line(family, s["rows"], s["recall"], s["recall_at_pattern"]))
        else:
            fp, fp_p = s["false_positive_rate"], s["false_positive_rate_at_pattern"]
            say(_line(family, s["rows"], fp=fp, fp_p=fp_p))
    o = scores["overall"]
    overall = _line(
        "overall",
        o["positive_rows"],
        o["recall"],
        o["recall_at_pattern"],
        o["false_positive_rate"],
        o["false_positive_rate_at_pattern"],
    )
    say(f"{overall}  ({o['negative_rows']} negatives)")
    ctx = ", ".join(
        f"{c} {_pct(v['recall']).strip()} of {v['rows']}" for c, v in scores["by_context"].items()
    )
    say("", f"recall by context: {ctx}")
    positives = [(k, v) for k, v in scores["kinds"].items() if "recall" in v]
    positives.sort(key=lambda kv: (kv[1]["recall"], kv[1]["recall_at_pattern"], kv[0]))
    say("", "worst kinds (recall, @pattern, rows):")
    for kind, v in positives[:worst]:
        say(f"  {kind:58} {_pct(v['recall'])} {_pct(v['recall_at_pattern'])} {v['rows']:4}")
    missed = scores["missed_kinds"]
    say("", f"missed kinds ({len(missed)} of {len(positives)} with recall 0):")
    for i in range(0, len(missed), 3):
        say("  " + "  ".join(f"{k:44}" for k in missed[i : i + 3]).rstrip())
    fps = scores["false_positive_kinds"]
    say("", f"negative kinds with false positives ({len(fps)}):")
    for kind, rate in sorted(fps.items(), key=lambda kv: -kv[1]):
        say(f"  {kind:58} {_pct(rate)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--family",
        action="append",
        choices=FAMILIES,
        help="only this family (repeatable); negatives are scored only when included",
    )
    parser.add_argument(
        "--min-confidence",
        default="context",
        choices=LEVELS,
        help="lowest finding confidence that counts (default: context, the blocking level)",
    )
    parser.add_argument(
        "--misses", action="store_true", help="list missed rows and false positives, masked"
    )
    parser.add_argument("--worst", type=int, default=20, help="how many worst kinds to list")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--policy", type=Path, default=POLICY, help="policy whose dlp section builds the scanner"
    )
    args = parser.parse_args(argv)

    rows = load(tuple(args.family) if args.family else FAMILIES)
    scanner = shipped_scanner(args.policy)
    started = time.perf_counter()
    results = scan_rows(scanner, rows)
    seconds = time.perf_counter() - started
    scores = score(results, args.min_confidence)
    if args.json:
        doc = {**scores, "rows": len(rows), "seconds": round(seconds, 2)}
        if args.misses:
            doc["misses"] = misses(results, args.min_confidence)
        json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    report(scores, seconds, len(rows), args.worst)
    if args.misses:
        found = misses(results, args.min_confidence)
        print(f"\nmissed rows ({len(found['missed'])}):")
        for m in found["missed"]:
            print(
                f"  {m['id']:22} {m['kind']:40} {m['context']:8} {m['value']:32} best={m['best']} "
                f"{','.join(m['detectors'])}"
            )
        print(f"\nfalse positives ({len(found['false_positives'])}):")
        for m in found["false_positives"]:
            detectors = ",".join(m["detectors"])
            print(f"  {m['id']:22} {m['kind']:40} {m['value']:32} {m['best']} {detectors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
