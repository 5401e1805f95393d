"""One Jinja environment for every HTML aigate writes: pages, the policy document, the report.

Autoescape is on for every template, so escaping is the default rather than a habit; a value is
only ever marked safe in Python, next to the code that built it. Undefined names raise instead
of rendering as empty text, so a renamed field fails a test rather than a page.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    """The shared environment; templates are compiled once per process and cached."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # templates ship with the package: no stat() per page
    )


def template(name: str) -> Template:
    """A template by its path under `aigate/templates/`, e.g. `pages/block.html`."""
    return environment().get_template(name)
