"""Literal atoms of a regular expression: strings one of which every match holds, for a
literal-only prefilter such as Hyperscan's (`bench_scan.py --engines` compares it with RE2's
FilteredRE2, which finds its atoms internally and does not expose them).

Walks the tree of Python's own regex parser (the detectors' patterns are also compiled by `re`
in aigate's fallback engine). Each node gives the set of every string it can match when that
set is small (`exact`), and a set of strings one of which each match holds (`required`); a
sequence joins neighbouring exact sets into longer strings and keeps the most selective
required set it meets. Letters are lowered: a caseless literal match is a superset. A measuring
tool, not the scanner's: its answer is checked only by how many patterns it selects.
"""

from __future__ import annotations

from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

MAX_EXACT = 64  # strings an exact set may hold before it is given up
MIN_ATOM = 3  # bytes: shorter atoms occur almost everywhere
_CLASS_MAX = 10  # characters a class may hold and still be spelled out (\d)

Strings = set[str] | None


def literal_atoms(pattern: str) -> set[bytes] | None:
    """Lowered UTF-8 strings, of MIN_ATOM bytes or more, one of which every match of `pattern`
    holds; None when the pattern has no such set (a run of digits, an address)."""
    _, required = _sequence(list(sre_parse.parse(pattern)))
    return None if required is None else {atom.encode() for atom in required}


def _usable(strings: Strings) -> bool:
    return bool(strings) and all(len(s.encode()) >= MIN_ATOM for s in strings)


def _most_selective(candidates: list[Strings]) -> Strings:
    usable = [c for c in candidates if _usable(c)]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(len(s.encode()) for s in c), -len(c)))


def _joined(first: set[str], second: set[str]) -> Strings:
    if len(first) * len(second) > MAX_EXACT:
        return None
    return {a + b for a in first for b in second}


def _sequence(nodes: list[Any]) -> tuple[Strings, Strings]:
    exact: Strings = {""}  # of the whole sequence so far
    run: set[str] = {""}  # of the nodes since the last one without an exact set
    candidates: list[Strings] = []
    for node in nodes:
        node_exact, node_required = _node(node)
        candidates.append(node_required)
        joined = _joined(run, node_exact) if node_exact is not None else None
        if joined is not None:
            run = joined
            exact = _joined(exact, node_exact) if exact is not None else None
            continue
        candidates.append(run)
        exact = None
        run = node_exact if node_exact is not None else {""}
    candidates += [run, exact]
    return exact, _most_selective(candidates)


def _characters(items: list[Any]) -> Strings:
    out: set[str] = set()
    for op, value in items:
        if op is sre.LITERAL:
            out.add(chr(value).lower())
        elif op is sre.RANGE and value[1] - value[0] < _CLASS_MAX:
            out.update(chr(c).lower() for c in range(value[0], value[1] + 1))
        elif op is sre.CATEGORY and value is sre.CATEGORY_DIGIT:
            out.update("0123456789")
        else:
            return None
    return out if len(out) <= _CLASS_MAX else None


def _node(node: Any) -> tuple[Strings, Strings]:
    op, value = node
    if op is sre.LITERAL:
        return {chr(value).lower()}, None
    if op is sre.IN:
        return _characters(value), None
    if op is sre.CATEGORY:
        return _characters([node]), None
    if op is sre.AT:  # an anchor or word boundary matches the empty string
        return {""}, None
    if op is sre.SUBPATTERN:
        return _sequence(list(value[3]))
    if op is sre.BRANCH:
        return _branches([_sequence(list(branch)) for branch in value[1]])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, inner = value
        exact, required = _sequence(list(inner))
        if low == 0:
            return (exact | {""} if high == 1 and exact is not None else None), None
        if required is None and _usable(exact):
            required = exact
        repeated: Strings = {""}
        for _ in range(low if low == high and exact is not None else 0):
            repeated = _joined(repeated, exact) if repeated is not None else None
        return (repeated if low == high and exact is not None else None), required
    return None, None


def _branches(branches: list[tuple[Strings, Strings]]) -> tuple[Strings, Strings]:
    exact: Strings = set()
    required: Strings = set()
    for branch_exact, branch_required in branches:
        if exact is not None:
            exact = exact | branch_exact if branch_exact is not None else None
            if exact is not None and len(exact) > MAX_EXACT:
                exact = None
        if branch_required is None and _usable(branch_exact):
            branch_required = branch_exact
        required = required | branch_required if (
            required is not None and branch_required is not None) else None
    return exact, required
