"""The whole policy as a document people read (HTML or Markdown), from the same YAML it enforces.

The policy is first laid out as a few neutral blocks (headings, paragraphs, lists, tables) and
then written by one small emitter per format, so the two formats cannot drift apart. Every
string that comes from the policy or the catalog is escaped by the emitter; only http(s) and
mailto URLs become links. Keyword lists are named, never spelled out: a list of project code
names is itself confidential.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from html import escape
from typing import Literal
from urllib.parse import urlsplit

from aigate.catalog import Catalog
from aigate.policy.loaded import CompiledRule, compile_rule
from aigate.policy.model import Dlp, DlpRule, Policy, RiskMatch, Rule
from aigate.respond.pages import safe_url

Format = Literal["html", "markdown", "md"]
# Where the proxy serves this document to its clients (the `aigate_policy_host` option's default).
POLICY_HOST = "aigate.policy"
FORMATS: tuple[str, ...] = ("html", "md", "markdown")

_ACTION_LABEL = {
    "allow": "Allowed",
    "warn": "Allowed with care",
    "redirect": "Redirected",
    "block": "Blocked",
}
_DLP_LABEL = {
    "block": "Blocked: the request is stopped",
    "redact": "Removed: the data is replaced by [REDACTED] and the request goes ahead",
    "warn": "Warned: you are told before it goes ahead",
    "log": "Allowed and recorded",
}
_DATA_CLASS = {
    "pii": (
        "Personal data",
        "Information about a person: email addresses, phone numbers, national ID, tax and "
        "passport numbers, driving licences, dates of birth, network addresses of devices.",
    ),
    "financial": (
        "Financial data",
        "Payment card numbers, bank account and routing numbers (IBAN, SWIFT/BIC, ABA) and "
        "cryptocurrency wallet addresses.",
    ),
    "secret": (
        "Credentials",
        "API keys, access tokens, passwords, connection strings and private keys.",
    ),
    "confidential": (
        "Confidential material",
        "Documents marked confidential or internal, and the company's own confidential terms.",
    ),
    "custom": ("Company-specific data", "Values the company's own patterns recognise."),
}
_CATEGORY = {
    "chat": "chat assistants",
    "api": "model APIs",
    "coding": "coding assistants",
    "image": "image generators",
    "video": "video generators",
    "audio": "voice and audio tools",
    "search": "AI search engines",
    "writing": "writing assistants",
    "meeting": "meeting assistants",
    "agent": "AI agents",
    "model-hub": "model hubs",
    "productivity": "productivity tools",
}


def _category(category: str) -> str:
    return _CATEGORY.get(category, f"{category} tools")


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


def _text(text: str) -> list[Block]:
    """Paragraphs of a free-text policy field (blank lines separate paragraphs)."""
    return [Para((p.strip(),)) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def _join(items: Iterable[Inline], sep: str = ", ") -> Cell:
    out: list[Inline] = []
    for i, item in enumerate(items):
        if i:
            out.append(sep)
        out.append(item)
    return tuple(out)


def _service_name(catalog: Catalog, service_id: str) -> str:
    service = catalog.get(service_id)
    return service.name if service else service_id


def _service_link(catalog: Catalog, service_id: str) -> Inline:
    service = catalog.get(service_id)
    return Link(service.name, service.url) if service else service_id


def _action(rule: CompiledRule) -> Cell:
    label = _ACTION_LABEL.get(rule.action, rule.action)
    if rule.action == "redirect" and rule.redirect_url:
        host = urlsplit(rule.redirect_url).hostname or rule.redirect_url
        return (f"{label} to ", Link(host, rule.redirect_url))
    return (label,)


def _alternatives(rule: CompiledRule) -> Cell:
    return _join([Link(a.name, a.url) for a in rule.alternatives]) or ("-",)


def _training_name(policy: Policy, training_id: str) -> str:
    training = policy.training.get(training_id)
    return training.name if training else training_id


def _why(policy: Policy, rule: Rule) -> Cell:
    """The rule's reason, with the training it requires."""
    text = rule.reason.strip()
    if rule.requires_training:
        text += f" Requires the training: {_training_name(policy, rule.requires_training)}."
    return (text,)


def _condition(when: RiskMatch) -> str:
    """A risk rule's conditions, finishing the sentence "AI services that ..."."""
    parts = []
    if when.jurisdiction is not None:
        parts.append(f"are run from {', '.join(when.jurisdiction)}")
    if when.trains_on_inputs is not None:
        parts.append("may train on what you enter" if when.trains_on_inputs else "do not train")
    if when.enterprise_tier is not None:
        parts.append(f"have {'an' if when.enterprise_tier else 'no'} enterprise plan")
    if when.risk is not None:
        parts.append(f"are rated {' or '.join(when.risk)} risk")
    if when.category is not None:
        parts.append(f"are {' or '.join(_category(c) for c in when.category)}")
    return " and ".join(parts) or "are any AI service"


# --- guidelines: the tools ----------------------------------------------------------------------

_TOOL_TABLES = (
    ("allow", "Approved tools", ("Tool", "Vendor", "Why", "Conditions")),
    ("warn", "Tools to use with care", ("Tool", "Vendor", "Why", "Use instead")),
    ("redirect", "Redirected tools", ("Tool", "Vendor", "Opens instead", "Why")),
    ("block", "Blocked tools", ("Tool", "Vendor", "Why", "Use instead")),
)


def _tool_row(policy: Policy, catalog: Catalog, service_id: str) -> tuple[Cell, ...]:
    rule = policy.services[service_id]
    compiled = compile_rule(f"services.{service_id}", rule, catalog)
    service = catalog.get(service_id)
    name, vendor = (_service_link(catalog, service_id),), (service.vendor if service else "",)
    why = (compiled.reason,)
    if rule.action == "allow":
        conditions = []
        if rule.requires_training:
            training = _training_name(policy, rule.requires_training)
            conditions.append(f"After the training: {training}")
        if rule.tenant:
            conditions.append("Company account and tenant only")
        return (name, vendor, why, ("; ".join(conditions) or "-",))
    if rule.action == "redirect":
        return (name, vendor, _action(compiled)[1:] or ("-",), why)
    return (name, vendor, why, _alternatives(compiled))


def _tools(policy: Policy, catalog: Catalog) -> list[Block]:
    blocks: list[Block] = [
        Heading("AI tools"),
        Para(
            (
                "These services are named in the policy. The proxy applies the same rules, so "
                "what you read here is what happens when you open them.",
            )
        ),
    ]
    for action, title, header in _TOOL_TABLES:
        ids = sorted(
            (sid for sid, rule in policy.services.items() if rule.action == action),
            key=lambda sid: _service_name(catalog, sid).casefold(),
        )
        if ids:
            rows = tuple(_tool_row(policy, catalog, sid) for sid in ids)
            blocks += [Heading(title, 3), Table(header, rows)]
    blocks += _general_rules(policy, catalog)
    blocks += _exceptions(policy, catalog)
    return blocks


def _general_rules(policy: Policy, catalog: Catalog) -> list[Block]:
    rows = []
    for risk in policy.risk_rules:
        compiled = compile_rule(risk.id, risk, catalog)
        what = _condition(risk.when)
        rows.append(((what,), _action(compiled), _why(policy, risk), _alternatives(compiled)))
    for category, rule in policy.categories.items():
        compiled = compile_rule(category, rule, catalog)
        what = f"are {_category(category)}"
        rows.append(((what,), _action(compiled), _why(policy, rule), _alternatives(compiled)))
    default = compile_rule("default", policy.default, catalog)
    rows.append(
        (("are not covered above",), _action(default), _why(policy, policy.default),
         _alternatives(default))
    )
    return [
        Heading("Rules for other AI services", 3),
        Para(("A tool not listed above gets the first rule here that fits it.",)),
        Table(("AI services that", "Status", "Why", "Use instead"), tuple(rows)),
    ]


def _exceptions(policy: Policy, catalog: Catalog) -> list[Block]:
    if not policy.exceptions:
        return []
    rows = []
    for exc in policy.exceptions:
        compiled = compile_rule(exc.id, exc, catalog)
        applies = [_service_link(catalog, sid) for sid in exc.services]
        applies += [_category(c) for c in exc.categories]
        rows.append(
            ((", ".join(exc.groups),), _join(applies), _action(compiled), _why(policy, exc))
        )
    return [
        Heading("Exceptions for groups", 3),
        Para(("Members of these groups get a different rule for these tools.",)),
        Table(("Groups", "Applies to", "Status", "Why"), tuple(rows)),
    ]


def _groups(policy: Policy) -> list[Block]:
    described = [(gid, (g.description,)) for gid, g in policy.groups.items() if g.description]
    return [Heading("Groups", 3), Terms(tuple(described))] if described else []


# --- data rules ---------------------------------------------------------------------------------


@cache
def _detector_labels() -> dict[str, str]:
    """What a person calls each built-in detector, from its description."""
    from aigate.inspect.detectors import builtin  # imported late: compiles nothing until used

    labels = {}
    for detector in builtin():
        text = detector.description.split(" (", 1)[0].strip().rstrip(".")
        labels[detector.id] = text or detector.id.replace("_", " ")
    return labels


def _detector(dlp: Dlp, detector_id: str) -> str:
    """A detector's label; company lists by id (their content is not for the document)."""
    for kind, items in (("keyword list", dlp.keywords), ("pattern", dlp.patterns),
                        ("exact-match list", dlp.exact_match)):
        if any(item.id == detector_id for item in items):
            return f"company {kind} {detector_id}"
    return _detector_labels().get(detector_id, detector_id.replace("_", " "))


def _dlp_row(policy: Policy, catalog: Catalog, rule: DlpRule) -> tuple[Cell, ...]:
    data = [_DATA_CLASS.get(c, (c, ""))[0] for c in rule.classes]
    data += [_detector(policy.dlp, d) for d in rule.detectors]
    targets: list[Inline] = [_service_link(catalog, sid) for sid in rule.services]
    targets += [_category(c) for c in rule.categories]
    return (
        (", ".join(data) or "Any sensitive data",),
        _join(targets) or ("any AI service",),
        (", ".join(rule.groups) or "everyone",),
        (_DLP_LABEL[rule.action],),
        (rule.reason.strip() or "-",),
    )


def _company_lists(dlp: Dlp) -> list[Block]:
    rows: list[tuple[Cell, ...]] = []
    for keywords in dlp.keywords:
        rows.append(
            ((keywords.id,), ("Words and phrases",), (_DATA_CLASS[keywords.data_class][0],))
        )
    for pattern in dlp.patterns:
        rows.append(((pattern.id,), ("A company pattern",), (_DATA_CLASS[pattern.data_class][0],)))
    for exact in dlp.exact_match:
        rows.append(
            ((exact.id,), ("Exact values from a protected list",),
             (_DATA_CLASS[exact.data_class][0],))
        )
    if not rows:
        return []
    return [
        Heading("Company lists", 3),
        Para(
            (
                "The company also looks for its own terms and values. The lists are named here "
                "but not shown: their content is itself confidential.",
            )
        ),
        Table(("List", "What it finds", "Kind of data"), tuple(rows)),
    ]


def _data_rules(policy: Policy, catalog: Catalog) -> list[Block]:
    dlp = policy.dlp
    blocks: list[Block] = [Heading("Data rules")]
    if not dlp.enabled:
        text = (
            "Prompts and uploads are not inspected automatically. The guidelines above still "
            "apply: you are responsible for what you enter into an AI tool."
        )
        return [*blocks, Para((text,))]
    blocks.append(
        Para(
            (
                "What you type into an AI tool, and files you upload, are checked for sensitive "
                "data before they leave the company. Only the kind of data found is recorded, "
                "never the data itself.",
            )
        )
    )
    blocks += [
        Heading("Kinds of data", 3),
        Terms(tuple((name, (text,)) for name, text in _DATA_CLASS.values())),
    ]
    labels = _detector_labels()
    if dlp.detectors:
        names = ", ".join(labels.get(d, d) for d in dlp.detectors)
        blocks.append(Para((f"Only these built-in checks run: {names}.",)))
    if dlp.disabled_detectors:
        names = ", ".join(labels.get(d, d) for d in dlp.disabled_detectors)
        blocks.append(Para((f"These built-in checks are switched off: {names}.",)))
    if dlp.public_ips_only:
        blocks.append(
            Para(("Private network addresses (such as 10.x.x.x) do not count as personal data.",))
        )
    rows = [_dlp_row(policy, catalog, rule) for rule in dlp.rules]
    rows.append(
        (
            ("Anything else found",),
            ("any AI service",),
            ("everyone",),
            (_DLP_LABEL[dlp.default_action],),
            ("No rule above covers it.",),
        )
    )
    blocks += [
        Heading("Which data may go where", 3),
        Para(("Each finding takes the first rule that fits it, and the strictest result wins.",)),
        Table(("Data", "Sent to", "By", "What happens", "Why"), tuple(rows)),
        Heading("Content that cannot be checked", 3),
        Bullets(
            (
                (
                    f"Requests larger than {dlp.max_scan_bytes // 1024:,} KiB: "
                    + ("blocked." if dlp.on_oversize == "block" else "allowed and recorded."),
                ),
                (
                    "Images, encrypted files and other content that cannot be read: "
                    + {"block": "blocked.", "warn": "you are warned first.",
                       "log": "allowed and recorded."}[dlp.on_unscanned],
                ),
            )
        ),
    ]
    return blocks + _company_lists(dlp)


# --- the rest -----------------------------------------------------------------------------------


def _training(policy: Policy, catalog: Catalog) -> list[Block]:
    if not (policy.document.training.strip() or policy.training):
        return []
    blocks: list[Block] = [Heading("Training"), *_text(policy.document.training)]
    items = []
    for tid, training in policy.training.items():
        needed = [
            _service_name(catalog, sid)
            for sid, rule in policy.services.items()
            if rule.requires_training == tid
        ] + [f"the {e.id} exception" for e in policy.exceptions if e.requires_training == tid]
        cell: Cell = (Link(training.name, training.url),)
        if needed:
            cell += (f": required for {', '.join(needed)}",)
        items.append(cell)
    if items:
        blocks.append(Bullets(tuple(items)))
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
    return [
        Heading("Contact"),
        Para(("Questions about this policy, and reports of a possible data leak, go to:",)),
        Para(_join(parts, " · ")),
    ]


def _guidelines(policy: Policy) -> list[Block]:
    guide = policy.document.guidelines
    blocks: list[Block] = [Heading("Guidelines")]
    if guide.dos:
        blocks += [Heading("Do", 3), Bullets(tuple((d,) for d in guide.dos))]
    if guide.donts:
        blocks += [Heading("Don't", 3), Bullets(tuple((d,) for d in guide.donts))]
    if len(blocks) == 1:
        blocks.append(Para(("Use only the tools this policy allows, in the way it describes.",)))
    return blocks


def layout(policy: Policy, catalog: Catalog) -> tuple[str, list[Block]]:
    """Title and blocks of the policy document, in the order a reader needs them."""
    doc = policy.document
    meta: list[Inline] = [f"{policy.organisation} · version {policy.version}"]
    if policy.review_by is not None:
        meta.append(f" · next review by {policy.review_by.isoformat()}")
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
        blocks += [
            Heading("Definitions"),
            Terms(tuple((term, (text,)) for term, text in doc.definitions.items())),
        ]
    blocks += _guidelines(policy)
    blocks += _tools(policy, catalog)
    blocks.append(Heading("Requesting a new AI tool"))
    blocks += _text(doc.requesting_tools) or [
        Para(("Ask the contact below; a tool is added to this policy once it is approved.",))
    ]
    blocks += _data_rules(policy, catalog)
    blocks += _training(policy, catalog)
    blocks += _contact(policy)
    for title, text in (("Violations", doc.violations), ("Disclaimer", doc.disclaimer)):
        if text.strip():
            blocks += [Heading(title), *_text(text)]
    if doc.acknowledgement.strip():
        blocks += [
            Heading("Acknowledgement"),
            *_text(doc.acknowledgement),
            Signature(("Name", "Signature", "Date")),
        ]
    return f"{policy.organisation} AI acceptable use policy", blocks


def contents(blocks: list[Block]) -> list[Heading]:
    """The level-2 headings: the table of contents."""
    return [b for b in blocks if isinstance(b, Heading) and b.level == 2]


def _first_heading(blocks: list[Block]) -> int:
    """Where the table of contents goes: after the opening notes, before the first section."""
    return next((i for i, b in enumerate(blocks) if isinstance(b, Heading)), len(blocks))


# --- Markdown -----------------------------------------------------------------------------------


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def _is_mailto(url: str) -> bool:
    return re.fullmatch(r"mailto:[^@\s<>\"'()]+@[^@\s<>\"'()]+\.[^@\s<>\"'()]+", url) is not None


def _href(url: str | None) -> str | None:
    """The URL if it may become a link: absolute http(s) or a plain mailto."""
    return safe_url(url) or (url if url and _is_mailto(url) else None)


def _md_inline(parts: Cell) -> str:
    out = []
    for part in parts:
        if isinstance(part, Link):
            url, text = _href(part.url), _md_text(part.text)
            out.append(f"[{text}](<{url}>)" if url else text)
        else:
            out.append(_md_text(part))
    return "".join(out)


def to_markdown(title: str, blocks: list[Block], generated: str) -> str:
    lines = [f"# {_md_text(title)}", ""]
    toc = [f"- [{_md_text(h.text)}](#{slug(h.text)})" for h in contents(blocks)]
    for index, block in enumerate(blocks):
        if toc and index == _first_heading(blocks):
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
                lines += ["| " + " | ".join(_md_inline(c) for c in row) + " |" for row in rows]
                lines.append("")
            case Signature(fields):
                lines += [f"{_md_text(f)}: ______________________________  " for f in fields]
                lines.append("")
    lines += ["---", "", f"_{_md_text(generated)}_", ""]
    return "\n".join(lines)


# --- HTML ---------------------------------------------------------------------------------------


def _e(text: str) -> str:
    return escape(text, quote=True)


def _html_inline(parts: Cell) -> str:
    out = []
    for part in parts:
        if isinstance(part, Link):
            href = _href(part.url)
            out.append(f'<a href="{_e(href)}">{_e(part.text)}</a>' if href else _e(part.text))
        else:
            out.append(_e(part))
    return "".join(out)


_STATUS_CLASS = {label: key for key, label in _ACTION_LABEL.items()} | {
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
    split = _first_heading(blocks)
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


def render_policy(
    policy: Policy, catalog: Catalog, fmt: Format = "html", today: date | None = None
) -> str:
    """The policy document in `fmt` ("html", or "md"/"markdown")."""
    title, blocks = layout(policy, catalog)
    generated = (
        f"Generated by aigate from policy version {policy.version} on "
        f"{(today or date.today()).isoformat()}; the YAML file it came from is what is enforced."
    )
    if fmt in ("md", "markdown"):
        return to_markdown(title, blocks, generated)
    if fmt != "html":
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return to_html(title, blocks, generated)
