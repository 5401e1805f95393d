"""`aigate diff OLD.yaml NEW.yaml [--json] [--exit-code]`: the decisions a policy change moves,
per service, category and group, before it is rolled out."""

from __future__ import annotations

import argparse
import json

from aigate.cli._policy import load_or_report
from aigate.policy.loaded import LoadedPolicy
from aigate.whatif.diff import Change, IdChanges, PolicyDiff, diff_policies


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="show the decisions a policy change moves",
        description="Decide a representative request (GET on the primary host and path) for every "
        "catalog service, for people in no group and for each policy group, under OLD and NEW; "
        "print the decisions that change per category and service, settings that change (mode, "
        "on_error, DLP defaults) and DLP rule and detector ids added, removed or changed. Exit 0 "
        "(with --exit-code: 1 when something changes, like `git diff --exit-code`); 2 when a "
        "policy does not load.",
    )
    parser.add_argument("old", metavar="OLD", help="the policy in force")
    parser.add_argument("new", metavar="NEW", help="the edited policy")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--exit-code", action="store_true", help="exit 1 when anything changes, 0 when nothing does"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    old, new = load_or_report(args.old), load_or_report(args.new)
    if old is None or new is None:
        return 2
    diff = diff_policies(old, new)
    if args.json:
        print(json.dumps(as_json(diff, old, new), indent=2))
    else:
        print("\n".join(as_text(diff, old, new)))
    return 1 if args.exit_code and diff else 0


def as_json(diff: PolicyDiff, old: LoadedPolicy, new: LoadedPolicy) -> dict[str, object]:
    return {
        "old": _policy_record(old),
        "new": _policy_record(new),
        "changes": [change.as_record() for change in diff.changes],
        "settings": [{"key": k, "old": o, "new": n} for k, o, n in diff.settings],
        "dlp": {"rules": diff.dlp_rules.as_record(),
                "detectors": diff.dlp_detectors.as_record()},
        "summary": {
            "services_compared": diff.services_compared,
            "groups": [g for g in diff.audiences if g is not None],
            "services_changed": len({c.service_id for c in diff.changes}),
            "transitions": diff.transitions(),
        },
    }


def as_text(diff: PolicyDiff, old: LoadedPolicy, new: LoadedPolicy) -> list[str]:
    lines = [f"{_label(old)} -> {_label(new)}"]
    category = None
    for change in diff.changes:
        if change.category != category:
            category = change.category
            lines.append(f"{category}:")
        lines.append(f"  {_change_line(change)}")
    if diff.settings:
        lines.append("settings:")
        lines += [f"  {key}: {was} -> {now}" for key, was, now in diff.settings]
    for title, ids in (("dlp rules", diff.dlp_rules), ("dlp detectors", diff.dlp_detectors)):
        if ids:
            lines.append(f"{title}: {_ids_line(ids)}")
    changed = len({c.service_id for c in diff.changes})
    groups = len(diff.audiences) - 1
    summary = (
        f"{changed} of {diff.services_compared} services change for someone "
        f"({groups} group{'s' if groups != 1 else ''} and people in no group compared)"
    )
    transitions = ", ".join(f"{t}: {n}" for t, n in diff.transitions().items())
    lines.append(f"summary: {summary}" + (f"; {transitions}" if transitions else ""))
    if not diff:
        lines.append("no decision changes")
    return lines


def _change_line(change: Change) -> str:
    rules = "; ".join(f"{was} -> {now}" for was, now in change.rules if was != now)
    return (f"{change.service_id} ({change.service_name}): {change.transition} for "
            f"{change.scope}" + (f" [{rules}]" if rules else ""))


def _ids_line(ids: IdChanges) -> str:
    parts = [f"{word} {', '.join(values)}"
             for word, values in (("added", ids.added), ("removed", ids.removed),
                                  ("changed", ids.changed)) if values]
    return "; ".join(parts)


def _label(loaded: LoadedPolicy) -> str:
    return f"{loaded.path} (version {loaded.version}, sha256 {loaded.sha256})"


def _policy_record(loaded: LoadedPolicy) -> dict[str, str | None]:
    return {"file": str(loaded.path), "version": loaded.version, "sha256": loaded.sha256}
