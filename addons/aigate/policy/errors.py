"""Policy problems: each names the file, line, key path and a fix, so an admin can act on it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from aigate.yamlfile import KeyPath


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    key_path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.key_path}: " if self.key_path else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


class PolicyError(ValueError):
    """A policy failed to load; `problems` lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def format_path(path: KeyPath) -> str:
    """`('risk_rules', 0, 'when')` -> `risk_rules[0].when`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def unknown_name(kind: str, name: str, known: Iterable[str], fix: str) -> str:
    """'unknown detector 'x': did you mean 'y'?', else the message with `fix`."""
    hint = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if hint:
        return f"unknown {kind} '{name}': did you mean '{hint[0]}'?"
    return f"unknown {kind} '{name}'; {fix}"
