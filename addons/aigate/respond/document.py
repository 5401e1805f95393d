"""The whole policy as a document people read (HTML or Markdown), from the same YAML it enforces.

The policy is first laid out as a few neutral blocks (headings, paragraphs, lists, tables) and
then written by one small emitter per format, so the two formats cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Literal
from urllib.parse import urlsplit

from aigate.catalog import Catalog
from aigate.policy.loaded import CompiledRule, compile_rule
from aigate.policy.model import Policy, RiskMatch
from aigate.respond.pages import safe_url

Format = Literal["html", "markdown"]

_ACTION_ORDER = {"allow": 0, "warn": 1, "redirect": 2, "block": 3}
_ACTION_LABEL = {
    "allow": "Allowed",
    "warn": "Allowed with care",
    "redirect": "Redirected",
    "block": "Blocked",
}


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
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


Block = Heading | Para | Bullets | Terms | Table


def _text(text: str) -> list[Block]:
    """Paragraphs of a free-text policy field (blank lines separate paragraphs)."""
    return [Para((p.strip(),)) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def _join(items: list[Inline], sep: str = ", ") -> Cell:
    out: list[Inline] = []
    for i, item in enumerate(items):
        if i:
            out.append(sep)
        out.append(item)
    return tuple(out)


def _action(rule: CompiledRule) -> Cell:
    label = _ACTION_LABEL.get(rule.action, rule.action)
    if rule.action == "redirect" and rule.redirect_url:
        host = urlsplit(rule.redirect_url).hostname or rule.redirect_url
        return (f"{label} to ", Link(host, rule.redirect_url))
    return (label,)


def _alternatives(rule: CompiledRule) -> Cell:
    return _join([Link(a.name, a.url) for a in rule.alternatives])


def _condition(when: RiskMatch) -> str:
    parts = []
    if when.jurisdiction is not None:
        parts.append(f"operator based in {', '.join(when.jurisdiction)}")
    if when.trains_on_inputs is not None:
        parts.append("may train on what you enter" if when.trains_on_inputs else "does not train")
    if when.enterprise_tier is not None:
        parts.append("has an enterprise plan" if when.enterprise_tier else "no enterprise plan")
    if when.risk is not None:
        parts.append(f"{'/'.join(when.risk)} risk")
    if when.category is not None:
        parts.append(f"category {', '.join(when.category)}")
    return "; ".join(parts) or "any service"


def _tools(policy: Policy, catalog: Catalog) -> list[Block]:
    rows = []
    for service_id, rule in policy.services.items():
        compiled = compile_rule(f"services.{service_id}", rule, catalog)
        service = catalog.get(service_id)
        name: Inline = Link(service.name, service.url) if service else service_id
        vendor = service.vendor if service else ""
        note = compiled.reason
        if rule.requires_training:
            training = policy.training.get(rule.requires_training)
            label = training.name if training else rule.requires_training
            note += f" Requires the training: {label}."
        rows.append(
            (
                _ACTION_ORDER.get(rule.action, 9),
                (service.name if service else service_id).casefold(),
                ((name,), (vendor,), _action(compiled), (note,), _alternatives(compiled)),
            )
        )
    if not rows:
        return []
    rows.sort(key=lambda r: (r[0], r[1]))
    return [
        Heading("Approved and restricted AI tools"),
        Table(("Tool", "Vendor", "Status", "Why", "Use instead"), tuple(r[2] for r in rows)),
    ]


def _general_rules(policy: Policy, catalog: Catalog) -> list[Block]:
    rows = []
    for risk in policy.risk_rules:
        compiled = compile_rule(risk.id, risk, catalog)
        rows.append(((_condition(risk.when),), _action(compiled), (compiled.reason,)))
    for category, rule in policy.categories.items():
        compiled = compile_rule(category, rule, catalog)
        rows.append(((f"{category} tools",), _action(compiled), (compiled.reason,)))
    default = compile_rule("default", policy.default, catalog)
    rows.append((("any other AI service",), _action(default), (default.reason,)))
    return [
        Heading("Rules for other AI services"),
        Para(("A tool not listed above gets the first rule here that fits it.",)),
        Table(("AI services that", "Status", "Why"), tuple(rows)),
    ]


def _exceptions(policy: Policy, catalog: Catalog) -> list[Block]:
    if not policy.exceptions:
        return []
    rows = []
    for exc in policy.exceptions:
        compiled = compile_rule(exc.id, exc, catalog)
        applies = [(s.name if (s := catalog.get(sid)) else sid) for sid in exc.services] + [
            f"{c} tools" for c in exc.categories
        ]
        rows.append(
            ((", ".join(exc.groups),), (", ".join(applies),), _action(compiled), (compiled.reason,))
        )
    return [
        Heading("Exceptions"),
        Table(("Groups", "Applies to", "Status", "Why"), tuple(rows)),
    ]


def _groups(policy: Policy) -> list[Block]:
    described = [(gid, g.description) for gid, g in policy.groups.items() if g.description]
    return [Heading("Groups", 3), Terms(tuple(described))] if described else []


def _training(policy: Policy) -> list[Block]:
    blocks: list[Block] = []
    if policy.document.training.strip() or policy.training:
        blocks.append(Heading("Training"))
        blocks += _text(policy.document.training)
        items = tuple((Link(t.name, t.url),) for t in policy.training.values())
        if items:
            blocks.append(Bullets(items))
    return blocks


def _contact(policy: Policy) -> list[Block]:
    contact = policy.contact
    parts: list[Inline] = [contact.name]
    if contact.email:
        parts.append(Link(contact.email, f"mailto:{contact.email}"))
    if contact.url:
        parts.append(Link(contact.url, contact.url))
    if contact.phone:
        parts.append(contact.phone)
    return [Heading("Contact"), Para(_join(parts, " · "))]


def layout(policy: Policy, catalog: Catalog) -> tuple[str, list[Block]]:
    """Title and blocks of the policy document, in the order a reader needs them."""
    doc = policy.document
    meta: list[Inline] = [f"Version {policy.version}"]
    if policy.policy_url:
        meta += [" · published at ", Link(policy.policy_url, policy.policy_url)]
    blocks: list[Block] = [Para(tuple(meta))]
    if policy.mode == "monitor":
        blocks.append(
            Para(
                ("This policy is in monitoring mode: AI use is recorded, nothing is blocked yet.",)
            )
        )
    blocks += [Heading("Purpose"), *_text(doc.purpose), Heading("Scope"), *_text(doc.scope)]
    blocks += _groups(policy)
    if doc.definitions:
        blocks += [Heading("Definitions"), Terms(tuple(doc.definitions.items()))]
    guide = doc.guidelines
    if guide.dos:
        blocks += [Heading("Do"), Bullets(tuple((d,) for d in guide.dos))]
    if guide.donts:
        blocks += [Heading("Don't"), Bullets(tuple((d,) for d in guide.donts))]
    blocks += _tools(policy, catalog)
    blocks += _general_rules(policy, catalog)
    blocks += _exceptions(policy, catalog)
    if doc.requesting_tools.strip():
        blocks += [Heading("Requesting a new AI tool"), *_text(doc.requesting_tools)]
    blocks += _training(policy)
    for title, text in (("Violations", doc.violations), ("Disclaimer", doc.disclaimer)):
        if text.strip():
            blocks += [Heading(title), *_text(text)]
    blocks += _contact(policy)
    if doc.acknowledgement.strip():
        blocks += [Heading("Acknowledgement"), *_text(doc.acknowledgement)]
    return f"{policy.organisation} AI acceptable use policy", blocks


# Markdown


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def _md_inline(parts: Cell) -> str:
    out = []
    for part in parts:
        if isinstance(part, Link):
            url = part.url if part.url and (safe_url(part.url) or _is_mailto(part.url)) else None
            text = _md_text(part.text)
            out.append(f"[{text}](<{url}>)" if url else text)
        else:
            out.append(_md_text(part))
    return "".join(out)


def _is_mailto(url: str) -> bool:
    return re.fullmatch(r"mailto:[^@\s<>\"'()]+@[^@\s<>\"'()]+\.[^@\s<>\"'()]+", url) is not None


def to_markdown(title: str, blocks: list[Block], generated: str) -> str:
    lines = [f"# {_md_text(title)}", ""]
    for block in blocks:
        match block:
            case Heading(text, level):
                lines += ["#" * level + " " + _md_text(text), ""]
            case Para(parts):
                lines += [_md_inline(parts), ""]
            case Bullets(items):
                lines += [f"- {_md_inline(item)}" for item in items] + [""]
            case Terms(pairs):
                lines += [f"- **{_md_text(t)}**: {_md_text(d)}" for t, d in pairs] + [""]
            case Table(header, rows):
                lines.append("| " + " | ".join(_md_text(h) for h in header) + " |")
                lines.append("|" + "---|" * len(header))
                lines += ["| " + " | ".join(_md_inline(c) for c in row) + " |" for row in rows]
                lines.append("")
    lines += ["---", "", f"_{_md_text(generated)}_", ""]
    return "\n".join(lines)


# HTML


def _e(text: str) -> str:
    return escape(text, quote=True)


def _html_inline(parts: Cell) -> str:
    out = []
    for part in parts:
        if isinstance(part, Link):
            href = safe_url(part.url) or (part.url if part.url and _is_mailto(part.url) else None)
            out.append(f'<a href="{_e(href)}">{_e(part.text)}</a>' if href else _e(part.text))
        else:
            out.append(_e(part))
    return "".join(out)


_STATUS_CLASS = {label: key for key, label in _ACTION_LABEL.items()}

_DOC_CSS = """
:root{--bg:#fff;--text:#1f2328;--muted:#4b5563;--line:#d8dce1;--link:#0a58ca;--head:#f6f7f9;
--allow:#116329;--warn:#8a4b00;--redirect:#1d4ed8;--block:#a40e26}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--text:#e6e8eb;--muted:#a9b1bb;
--line:#343a42;--link:#8ab4ff;--head:#1b1f24;--allow:#6fdd8b;--warn:#ffc266;--redirect:#9bb8ff;
--block:#ff9492}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);line-height:1.6;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:60rem;margin:0 auto;padding:2.5rem 1.25rem 4rem}
h1{font-size:2rem;line-height:1.2;margin:0 0 .5rem}
h2{font-size:1.3rem;margin:2.25rem 0 .5rem;padding-bottom:.3rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:1.5rem 0 .4rem}
a{color:var(--link);text-underline-offset:.15em;overflow-wrap:break-word}
a:focus-visible{outline:3px solid var(--link);outline-offset:2px}
dt{font-weight:600;margin-top:.6rem}dd{margin:0 0 0 1.25rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.75rem 0;font-size:.95rem}
th,td{border:1px solid var(--line);padding:.5rem .65rem;text-align:left;vertical-align:top}
th{background:var(--head)}td:first-child{min-width:9rem}
.allow{color:var(--allow);font-weight:600}.warn{color:var(--warn);font-weight:600}
.redirect{color:var(--redirect);font-weight:600}.block{color:var(--block);font-weight:600}
footer{margin-top:3rem;color:var(--muted);font-size:.875rem;border-top:1px solid var(--line);
padding-top:1rem}
""".replace("\n", "")


def _html_cell(cell: Cell, tag: str) -> str:
    first = cell[0] if cell else ""
    css = _STATUS_CLASS.get(first.removesuffix(" to ")) if isinstance(first, str) else None
    attr = f' class="{css}"' if css else ""
    return f"<{tag}{attr}>{_html_inline(cell)}</{tag}>"


def to_html(title: str, blocks: list[Block], generated: str) -> str:
    body = [f"<h1>{_e(title)}</h1>"]
    for block in blocks:
        match block:
            case Heading(text, level):
                body.append(f"<h{level}>{_e(text)}</h{level}>")
            case Para(parts):
                body.append(f"<p>{_html_inline(parts)}</p>")
            case Bullets(items):
                body.append(
                    "<ul>" + "".join(f"<li>{_html_inline(i)}</li>" for i in items) + "</ul>"
                )
            case Terms(pairs):
                body.append(
                    "<dl>"
                    + "".join(f"<dt>{_e(t)}</dt><dd>{_e(d)}</dd>" for t, d in pairs)
                    + "</dl>"
                )
            case Table(header, rows):
                head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
                trs = "".join(
                    "<tr>" + "".join(_html_cell(c, "td") for c in row) + "</tr>" for row in rows
                )
                body.append(
                    f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
                    f"<tbody>{trs}</tbody></table></div>"
                )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>{_e(title)}</title><style>{_DOC_CSS}</style></head><body><main>"
        + "".join(body)
        + f"<footer>{_e(generated)}</footer></main></body></html>\n"
    )


def render_policy(
    policy: Policy, catalog: Catalog, fmt: Format = "html", today: date | None = None
) -> str:
    """The policy document in `fmt` ("html" or "markdown")."""
    title, blocks = layout(policy, catalog)
    generated = (
        f"Generated by aigate from policy version {policy.version} on "
        f"{(today or date.today()).isoformat()}; the YAML file it came from is what is enforced."
    )
    if fmt == "markdown":
        return to_markdown(title, blocks, generated)
    return to_html(title, blocks, generated)
