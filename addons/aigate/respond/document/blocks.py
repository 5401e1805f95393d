"""The neutral blocks a policy document is laid out in, and the one rule for which URLs become
links: both emitters (`markdown`, the `policy/document.html` template) read them, so the two
formats cannot drift apart. Each block and inline part names its `kind` for the template."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from aigate.respond.pages import safe_url


def is_mailto(url: str) -> bool:
    return re.fullmatch(r"mailto:[^@\s<>\"'()]+@[^@\s<>\"'()]+\.[^@\s<>\"'()]+", url) is not None


def link_target(url: str | None) -> str | None:
    """The URL if it may become a link: absolute http(s) or a plain mailto."""
    return safe_url(url) or (url if url and is_mailto(url) else None)


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    url: str | None
    kind: ClassVar[str] = "link"

    @property
    def href(self) -> str | None:
        """Where the link may point; None: the text is shown without a link."""
        return link_target(self.url)


@dataclass(frozen=True, slots=True)
class Status:
    """What the proxy does (an action's label), coloured by `action` in HTML."""

    text: str
    action: str
    kind: ClassVar[str] = "status"


Inline = str | Link | Status
Cell = tuple[Inline, ...]


def slug(text: str) -> str:
    """A heading's anchor, as GitHub spells it for ASCII headings ("Don't" -> "dont")."""
    return re.sub(r"[^a-z0-9 -]", "", text.lower()).strip().replace(" ", "-")


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 2
    kind: ClassVar[str] = "heading"

    @property
    def anchor(self) -> str:
        return slug(self.text)


@dataclass(frozen=True, slots=True)
class Para:
    parts: Cell
    kind: ClassVar[str] = "para"


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[Cell, ...]
    kind: ClassVar[str] = "bullets"


@dataclass(frozen=True, slots=True)
class Terms:
    pairs: tuple[tuple[str, Cell], ...]
    kind: ClassVar[str] = "terms"


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cells under `header`; an empty cell reads "-" (and is left out on phones)."""

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    kind: ClassVar[str] = "table"


@dataclass(frozen=True, slots=True)
class Names:
    """A long list of names under a one-line summary, in groups that each have a label: folded
    away on screen (it can run to hundreds of names), spelled out in print and Markdown."""

    summary: str
    groups: tuple[tuple[Cell, tuple[Cell, ...]], ...]
    kind: ClassVar[str] = "names"


@dataclass(frozen=True, slots=True)
class Signature:
    """Blank lines a reader fills in by hand on a printed copy."""

    fields: tuple[str, ...]
    kind: ClassVar[str] = "signature"


Block = Heading | Para | Bullets | Terms | Table | Names | Signature


def contents(blocks: list[Block]) -> list[Heading]:
    """The level-2 headings: the table of contents."""
    return [b for b in blocks if isinstance(b, Heading) and b.level == 2]


def first_heading(blocks: list[Block]) -> int:
    """Where the table of contents goes: after the opening notes, before the first section."""
    return next((i for i, b in enumerate(blocks) if isinstance(b, Heading)), len(blocks))
