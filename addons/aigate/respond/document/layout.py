"""The policy laid out as blocks (`blocks`): purpose to acknowledgement, the tool tables with
reasons and alternatives, the data rules from `dlp`. Keyword lists are named, never spelled out:
a list of project code names is itself confidential."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from urllib.parse import urlsplit

from aigate.catalog import Catalog
from aigate.policy.loaded import CompiledRule, compile_rule
from aigate.policy.model import Dlp, DlpRule, Policy, RiskMatch, Rule
from aigate.respond.document.blocks import (
    Block,
    Bullets,
    Cell,
    Heading,
    Inline,
    Link,
    Para,
    Signature,
    Table,
    Terms,
)
from aigate.respond.document.labels import ACTION_LABEL, CATEGORY, DATA_CLASS, DLP_LABEL


def _category(category: str) -> str:
    return CATEGORY.get(category, f"{category} tools")


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
    label = ACTION_LABEL.get(rule.action, rule.action)
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
    data = [DATA_CLASS.get(c, (c, ""))[0] for c in rule.classes]
    data += [_detector(policy.dlp, d) for d in rule.detectors]
    targets: list[Inline] = [_service_link(catalog, sid) for sid in rule.services]
    targets += [_category(c) for c in rule.categories]
    return (
        (", ".join(data) or "Any sensitive data",),
        _join(targets) or ("any AI service",),
        (", ".join(rule.groups) or "everyone",),
        (DLP_LABEL[rule.action],),
        (rule.reason.strip() or "-",),
    )


def _company_lists(dlp: Dlp) -> list[Block]:
    rows: list[tuple[Cell, ...]] = []
    for keywords in dlp.keywords:
        rows.append(
            ((keywords.id,), ("Words and phrases",), (DATA_CLASS[keywords.data_class][0],))
        )
    for pattern in dlp.patterns:
        rows.append(((pattern.id,), ("A company pattern",), (DATA_CLASS[pattern.data_class][0],)))
    for exact in dlp.exact_match:
        rows.append(
            ((exact.id,), ("Exact values from a protected list",),
             (DATA_CLASS[exact.data_class][0],))
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
        Terms(tuple((name, (text,)) for name, text in DATA_CLASS.values())),
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
            (DLP_LABEL[dlp.default_action],),
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
