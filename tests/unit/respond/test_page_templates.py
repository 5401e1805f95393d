"""The pages are Jinja templates with autoescape, so escaping is the default rather than a habit.

Every template under templates/pages is rendered with hostile text in every field a page shows,
and neither a template nor pages.py may switch escaping off or write markup by hand."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest
from aigate.decide import Alternative
from aigate.respond import pages
from aigate.respond.pages import (
    PageContext,
    block_page,
    notice_page,
    upstream_error_page,
    warn_page,
)
from aigate.templating import TEMPLATES, environment

HOSTILE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
PAGE_TEMPLATES = sorted(
    path.relative_to(TEMPLATES).as_posix()
    for path in (TEMPLATES / "pages").rglob("*")
    if path.is_file()
)


# What each PageContext field holds, by its declared type: a new field of a new type fails
# here until it gets a payload too.
HOSTILE_BY_TYPE: dict[str, object] = {
    "str": HOSTILE,
    "str | None": HOSTILE,  # URLs and e-mail included: they must not become links either
    "tuple[str, ...]": (HOSTILE,),
    "tuple[Alternative, ...]": (
        Alternative(HOSTILE, HOSTILE),
        Alternative(HOSTILE, "https://ok.test/"),
    ),
    "tuple[tuple[str, int], ...]": ((HOSTILE, 2),),
    "float | None": 24.0,
}


def _every_page() -> list[str]:
    hostile = PageContext(
        **{f.name: HOSTILE_BY_TYPE[str(f.type)] for f in dataclasses.fields(PageContext)}
    )
    rendered = []
    for ctx in (hostile, dataclasses.replace(hostile, findings=())):
        rendered += [
            block_page(ctx),
            warn_page(ctx, "/.aigate/ack", HOSTILE, back_url=HOSTILE),
            upstream_error_page(ctx, HOSTILE, HOSTILE),
        ]
    return [*rendered, notice_page(HOSTILE, HOSTILE, HOSTILE, organisation=HOSTILE, status=HOSTILE)]


@pytest.fixture
def loaded_templates(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the templates rendering loads, the page's own, its layout and its partials."""
    env = environment()
    names: list[str] = []
    get_template = env.get_template

    def recording(name, *args, **kwargs):
        names.append(name)
        return get_template(name, *args, **kwargs)

    monkeypatch.setattr(env, "get_template", recording)
    return names


def test_every_page_template_escapes_hostile_text_in_every_field(loaded_templates):
    for page in _every_page():
        assert HOSTILE not in page and "<script" not in page
        assert ESCAPED in page  # shown, escaped, not dropped
    assert set(loaded_templates) == set(PAGE_TEMPLATES), "a template no page renders is untested"


@pytest.mark.parametrize("name", PAGE_TEMPLATES)
def test_no_page_template_turns_escaping_off(name):
    source = (TEMPLATES / name).read_text()
    assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup", source)


@pytest.mark.parametrize("name", PAGE_TEMPLATES)
def test_page_templates_link_only_targets_checked_in_python(name):
    """The raw URLs on the context (`ctx.contact_url`, ...) are never used by a template."""
    assert not re.search(r"\bctx\.\w*url\b", (TEMPLATES / name).read_text())


def test_pages_py_neither_escapes_by_hand_nor_writes_markup():
    """The point of the templates: markup lives where autoescape is on."""
    tree = ast.parse(Path(pages.__file__).read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not imported & {"escape", "html", "Markup", "markupsafe"}
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    assert [s for s in strings if isinstance(s, str) and re.search(r"<[A-Za-z!/]", s)] == []
