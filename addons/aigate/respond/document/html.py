"""The laid-out policy as one self-contained HTML page, written by the `policy/document.html`
template: autoescaped, so every policy string is escaped by default, and a link is made only
from `Link.href` (http(s) and mailto). Printable, dark-mode aware, table rows stacked on phones,
with a stylesheet whose hash is its CSP source (no 'unsafe-inline')."""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from aigate.respond.document.blocks import Block, Para, contents, first_heading
from aigate.templating import template

STYLESHEET = "policy/document.css"


@cache
def style_csp_source() -> str:
    """The CSP source that allows exactly the stylesheet the page embeds (no 'unsafe-inline')."""
    css = template(STYLESHEET).render()  # what the page's `{% include %}` writes
    digest = hashlib.sha256(css.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def to_html(title: str, blocks: list[Block], generated: str, organisation: str = "") -> str:
    """The page: `title`, the notes before the first heading, contents, the sections."""
    split = first_heading(blocks)
    return template("policy/document.html").render(
        title=title,
        organisation=organisation,
        meta=[block for block in blocks[:split] if isinstance(block, Para)],
        contents=contents(blocks),
        body=blocks[split:],
        generated=generated,
    ) + "\n"
