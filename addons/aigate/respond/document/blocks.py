"""The neutral blocks a policy document is laid out in, and the one rule for which URLs become
links: both emitters (`markdown`, `html`) read them, so the two formats cannot drift apart."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aigate.respond.pages import safe_url


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    url: str | None


Inline = str | Link
Cell = tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Para:
    parts: Cell


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Terms:
    pairs: tuple[tuple[str, Cell], ...]


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True, slots=True)
class Signature:
    """Blank lines a reader fills in by hand on a printed copy."""

    fields: tuple[str, ...]


Block = Heading | Para | Bullets | Terms | Table | Signature


def slug(text: str) -> str:
    """A heading's anchor, as GitHub spells it for ASCII headings ("Don't" -> "dont")."""
    return re.sub(r"[^a-z0-9 -]", "", text.lower()).strip().replace(" ", "-")



def contents(blocks: list[Block]) -> list[Heading]:
    """The level-2 headings: the table of contents."""
    return [b for b in blocks if isinstance(b, Heading) and b.level == 2]


def first_heading(blocks: list[Block]) -> int:
    """Where the table of contents goes: after the opening notes, before the first section."""
    return next((i for i, b in enumerate(blocks) if isinstance(b, Heading)), len(blocks))


def is_mailto(url: str) -> bool:
    return re.fullmatch(r"mailto:[^@\s<>\"'()]+@[^@\s<>\"'()]+\.[^@\s<>\"'()]+", url) is not None


def href(url: str | None) -> str | None:
    """The URL if it may become a link: absolute http(s) or a plain mailto."""
    return safe_url(url) or (url if url and is_mailto(url) else None)
