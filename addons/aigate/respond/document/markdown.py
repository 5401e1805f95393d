"""The laid-out policy as Markdown: every policy string escaped, only safe URLs linked."""

from __future__ import annotations

import re

from aigate.respond.document.blocks import (
    Block,
    Bullets,
    Cell,
    Heading,
    Link,
    Names,
    Para,
    Signature,
    Table,
    Terms,
    contents,
    first_heading,
    slug,
)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def _md_inline(parts: Cell) -> str:
    out = []
    for part in parts:
        if isinstance(part, Link):
            url, text = part.href, _md_text(part.text)
            out.append(f"[{text}](<{url}>)" if url else text)
        elif isinstance(part, str):
            out.append(_md_text(part))
        else:
            out.append(_md_text(part.text))
    return "".join(out)


def to_markdown(title: str, blocks: list[Block], generated: str) -> str:
    lines = [f"# {_md_text(title)}", ""]
    toc = [f"- [{_md_text(h.text)}](#{slug(h.text)})" for h in contents(blocks)]
    for index, block in enumerate(blocks):
        if toc and index == first_heading(blocks):
            lines += ["## Contents", "", *toc, ""]
        match block:
            case Heading(text, level):
                lines += ["#" * level + " " + _md_text(text), ""]
            case Para(parts):
                lines += [_md_inline(parts), ""]
            case Bullets(items):
                lines += [f"- {_md_inline(item)}" for item in items] + [""]
            case Terms(pairs):
                lines += [f"- **{_md_text(t)}**: {_md_inline(d)}" for t, d in pairs] + [""]
            case Table(header, rows):
                lines.append("| " + " | ".join(_md_text(h) for h in header) + " |")
                lines.append("|" + "---|" * len(header))
                lines += ["| " + " | ".join(_md_inline(c) or "-" for c in row) + " |"
                          for row in rows]
                lines.append("")
            case Names(summary, groups):
                lines += [f"**{_md_text(summary)}**", ""]
                for label, names in groups:
                    lines += [_md_inline(label) + "  ", ", ".join(map(_md_inline, names)), ""]
            case Signature(fields):
                lines += [f"{_md_text(f)}: ______________________________  " for f in fields]
                lines.append("")
    lines += ["---", "", f"_{_md_text(generated)}_", ""]
    return "\n".join(lines)
