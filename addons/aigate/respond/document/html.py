"""The laid-out policy as one self-contained HTML page: escaped, printable, dark-mode aware,
with a stylesheet whose hash is its CSP source (no 'unsafe-inline')."""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from html import escape

from aigate.respond.document.blocks import (
    Block,
    Bullets,
    Cell,
    Heading,
    Link,
    Para,
    Signature,
    Table,
    Terms,
    contents,
    first_heading,
    href,
    slug,
)
from aigate.respond.document.labels import ACTION_LABEL


def _e(text: str) -> str:
    return escape(text, quote=True)


def _html_inline(parts: Cell) -> str:
    out = []
    for part in parts:
        if isinstance(part, Link):
            url = href(part.url)
            out.append(f'<a href="{_e(url)}">{_e(part.text)}</a>' if url else _e(part.text))
        else:
            out.append(_e(part))
    return "".join(out)


_STATUS_CLASS = {label: key for key, label in ACTION_LABEL.items()} | {
    "Removed": "redirect", "Warned": "warn", "Allowed and recorded": "allow"
}

DOC_CSS = """
:root{--bg:#fff;--text:#1f2328;--muted:#4b5563;--line:#d8dce1;--link:#0a58ca;--head:#f6f7f9;
--allow:#116329;--warn:#8a4b00;--redirect:#1d4ed8;--block:#a40e26}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--text:#e6e8eb;--muted:#a9b1bb;
--line:#343a42;--link:#8ab4ff;--head:#1b1f24;--allow:#6fdd8b;--warn:#ffc266;--redirect:#9bb8ff;
--block:#ff9492}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);line-height:1.6;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:62rem;margin:0 auto;padding:2.5rem 1.25rem 4rem}
h1{font-size:2rem;line-height:1.2;margin:0 0 .5rem}
h2{font-size:1.35rem;margin:2.5rem 0 .5rem;padding-bottom:.3rem;border-bottom:1px solid var(--line)}
h3{font-size:1.08rem;margin:1.6rem 0 .4rem}
h2,h3{scroll-margin-top:1rem}
.meta{color:var(--muted)}
nav{background:var(--head);border:1px solid var(--line);border-radius:8px;padding:.75rem 1.25rem;
margin:1.5rem 0}
nav h2{font-size:1rem;margin:0 0 .25rem;padding:0;border:0}
nav ol{margin:0;padding-left:1.25rem;columns:2 14rem;column-gap:2rem}
a{color:var(--link);text-underline-offset:.15em;overflow-wrap:break-word}
a:focus-visible{outline:3px solid var(--link);outline-offset:2px}
dt{font-weight:600;margin-top:.6rem}dd{margin:0 0 0 1.25rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.75rem 0;font-size:.95rem}
th,td{border:1px solid var(--line);padding:.5rem .65rem;text-align:left;vertical-align:top}
th{background:var(--head)}td:first-child{min-width:9rem}
.allow{color:var(--allow);font-weight:600}.warn{color:var(--warn);font-weight:600}
.redirect{color:var(--redirect);font-weight:600}.block{color:var(--block);font-weight:600}
.sign{display:grid;grid-template-columns:repeat(3,1fr);gap:2rem;margin:2rem 0 1rem}
.sign div{border-top:1px solid var(--text);padding-top:.3rem;color:var(--muted);font-size:.9rem}
footer{margin-top:3rem;color:var(--muted);font-size:.875rem;border-top:1px solid var(--line);
padding-top:1rem}
@media print{:root{--bg:#fff;--text:#000;--muted:#333;--line:#999;--link:#000;--head:#eee;
--allow:#000;--warn:#000;--redirect:#000;--block:#000}
body{font-size:10.5pt;line-height:1.45}main{max-width:none;padding:0}
nav{break-inside:avoid}h2,h3{break-after:avoid}tr,dt,dd,li{break-inside:avoid}
.scroll{overflow:visible}main a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em}
@page{margin:18mm 16mm}}
""".replace("\n", "")


@cache
def style_csp_source() -> str:
    """The CSP source that allows exactly this document's stylesheet (no 'unsafe-inline')."""
    digest = hashlib.sha256(DOC_CSS.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _html_cell(cell: Cell, tag: str) -> str:
    first = cell[0] if cell else ""
    status = first.split(":", 1)[0].removesuffix(" to ") if isinstance(first, str) else ""
    css = _STATUS_CLASS.get(status)
    attr = f' class="{css}"' if css else ""
    return f"<{tag}{attr}>{_html_inline(cell)}</{tag}>"


def _html_block(block: Block) -> str:
    match block:
        case Heading(text, level):
            return f'<h{level} id="{slug(text)}">{_e(text)}</h{level}>'
        case Para(parts):
            return f"<p>{_html_inline(parts)}</p>"
        case Bullets(items):
            return "<ul>" + "".join(f"<li>{_html_inline(i)}</li>" for i in items) + "</ul>"
        case Terms(pairs):
            return (
                "<dl>"
                + "".join(f"<dt>{_e(t)}</dt><dd>{_html_inline(d)}</dd>" for t, d in pairs)
                + "</dl>"
            )
        case Table(header, rows):
            head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
            trs = "".join(
                "<tr>" + "".join(_html_cell(c, "td") for c in row) + "</tr>" for row in rows
            )
            return (
                f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
                f"<tbody>{trs}</tbody></table></div>"
            )
        case Signature(fields):
            return '<div class="sign">' + "".join(f"<div>{_e(f)}</div>" for f in fields) + "</div>"
    raise TypeError(f"unknown block {block!r}")


def to_html(title: str, blocks: list[Block], generated: str) -> str:
    split = first_heading(blocks)
    body = [f"<h1>{_e(title)}</h1>"]
    body += [f'<p class="meta">{_html_inline(b.parts)}</p>' for b in blocks[:split]
             if isinstance(b, Para)]
    toc = "".join(f'<li><a href="#{slug(h.text)}">{_e(h.text)}</a></li>' for h in contents(blocks))
    if toc:
        body.append(f'<nav aria-labelledby="toc"><h2 id="toc">Contents</h2><ol>{toc}</ol></nav>')
    body += [_html_block(b) for b in blocks[split:]]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>{_e(title)}</title><style>{DOC_CSS}</style></head><body><main>"
        + "".join(body)
        + f"<footer>{_e(generated)}</footer></main></body></html>\n"
    )
