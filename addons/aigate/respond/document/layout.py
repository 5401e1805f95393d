"""The policy laid out as blocks (`blocks`): purpose to acknowledgement, the tool tables with
reasons and alternatives, the data rules from `dlp`. What the document says about each AI service
comes from the proxy's own decision for it (`effective`), so it states what is enforced. Keyword
lists are named, never spelled out: a list of project code names is itself confidential."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from urllib.parse import urlsplit

from aigate.catalog import Catalog, Service
from aigate.catalog.model import CATEGORIES
from aigate.decide import Decision
from aigate.endpoints import UNLISTED_CATEGORY, UNLISTED_ID
from aigate.policy.loaded import CompiledRule, LoadedPolicy, compile_rule
from aigate.policy.model import Dlp, DlpRule, Policy, RiskMatch, Rule
from aigate.respond.document.blocks import (
    Block,
    Bullets,
    Cell,
    Heading,
    Inline,
    Link,
    Names,
    Para,
    Signature,
    Status,
    Table,
    Terms,
)
from aigate.respond.document.effective import Effective, effective
from aigate.respond.document.labels import (
    ACTION_LABEL,
    CATEGORY,
    COUNTRY,
    DATA_CLASS,
    DLP_LABEL,
    UNLISTED_NAME,
)

_ACTION_ORDER = ("allow", "warn", "redirect", "block")
_TALLY = {"allow": "allowed", "warn": "with care", "redirect": "redirected", "block": "blocked"}


def _category(category: str) -> str:
    return CATEGORY.get(category, f"{category} tools")


def _countries(codes: Iterable[str]) -> str:
    """Country names from ISO 3166 codes, as in "run from China, Russia or Iran"."""
    names = [COUNTRY.get(code, code) for code in codes]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _size(size: int) -> str:
    """A byte count for people: "4 MB", "512 KB"."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{round(size / factor, 1):g} {unit}"
    return f"{size} bytes"


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


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


def _name(service: Service) -> str:
    return UNLISTED_NAME if service.id == UNLISTED_ID else service.name


def _service_name(catalog: Catalog, service_id: str) -> str:
    service = catalog.get(service_id)
    return _name(service) if service else service_id


def _service_link(catalog: Catalog, service_id: str) -> Inline:
    service = catalog.get(service_id)
    return Link(_name(service), service.url) if service else service_id


def _status(action: str, redirect_url: str | None = None) -> Cell:
    """What happens, as a coloured status; a redirect names where it leads."""
    label = Status(ACTION_LABEL.get(action, action), action)
    if action == "redirect" and redirect_url:
        host = urlsplit(redirect_url).hostname or redirect_url
        return (label, " to ", Link(host, redirect_url))
    return (label,)


def _alternatives(rule: CompiledRule | Decision) -> Cell:
    return _join([Link(a.name, a.url) for a in rule.alternatives])


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
        parts.append(f"are run from {_countries(when.jurisdiction)}")
    if when.trains_on_inputs is not None:
        parts.append("may train on what you enter" if when.trains_on_inputs else "do not train")
    if when.enterprise_tier is not None:
        parts.append(f"have {'an' if when.enterprise_tier else 'no'} enterprise plan")
    if when.risk is not None:
        parts.append(f"are rated {' or '.join(when.risk)} risk")
    if when.category is not None:
        parts.append(f"are {' or '.join(_category(c) for c in when.category)}")
    return " and ".join(parts) or "are any AI service"


def _group_note(entry: Effective, aside: bool = False) -> Cell:
    """Where members of a group get another decision: " For the security group: Allowed.", or
    as an `aside` after a name: " (for the security group: Allowed)"."""
    by_status: dict[tuple[str, str | None], list[str]] = {}
    for group, decision in entry.groups:
        by_status.setdefault((decision.action, decision.redirect_url), []).append(group)
    out: list[Inline] = []
    for (action, redirect_url), groups in by_status.items():
        who = f"the {' and '.join(groups)} group{'s' if len(groups) > 1 else ''}: "
        if aside:
            out += ["; " if out else " (", f"for {who}", *_status(action, redirect_url)]
        else:
            out += [f" For {who}", *_status(action, redirect_url), "."]
    return (*out, ")") if aside and out else tuple(out)


# --- guidelines: the tools ----------------------------------------------------------------------

_TOOL_TABLES = (
    ("allow", "Approved tools", ("Tool", "Why", "Conditions")),
    ("warn", "Tools to use with care", ("Tool", "Why", "Use instead")),
    ("redirect", "Redirected tools", ("Tool", "Opens instead", "Why")),
    ("block", "Blocked tools", ("Tool", "Why", "Use instead")),
)


def _tool_row(policy: Policy, entry: Effective) -> tuple[Cell, ...]:
    """One named tool, as the proxy decides it for a person in no group."""
    service, decision = entry.service, entry.decision
    name: Cell = (Link(_name(service), service.url),)
    if service.vendor:
        name += (f" by {service.vendor}",)
    if entry.gated is not None:
        rule = entry.gated
        training = _training_name(policy, rule.requires_training or "")
        why: Cell = (rule.reason, *_group_note(entry))
        until = f"Only after the training: {training}; until then "
        conditions: Cell = (until, *_status(decision.action), ".")
    else:
        why = (decision.reason, *_group_note(entry))
        conditions = ()
    if entry.action == "allow":
        if policy.services[service.id].tenant:
            conditions += ((" " if conditions else "") + "Company account and tenant only.",)
        return (name, why, conditions)
    if conditions:  # these tables have no conditions column: the training goes with the reason
        why += (" ", *conditions)
    if entry.action == "redirect":
        return (name, _status("redirect", decision.redirect_url)[2:], why)
    return (name, why, _alternatives(decision))


def _tools(policy: Policy, catalog: Catalog, entries: list[Effective]) -> list[Block]:
    differs = any(entry.groups for entry in entries)
    intro = (
        "These tools are named in the policy. What is shown is what the proxy does when you "
        "open them, decided by the same rules it enforces."
    )
    if differs:
        intro += (
            " Members of some groups get a different answer: this is noted next to the tool, "
            "and the group rules are listed under Exceptions for groups."
        )
    blocks: list[Block] = [Heading("AI tools"), Para((intro,))]
    named = {entry.service.id: entry for entry in entries if entry.named}
    ordered = [named[sid] for sid in policy.services if sid in named]  # the policy's own order
    for action, title, header in _TOOL_TABLES:
        rows = tuple(_tool_row(policy, e) for e in ordered if e.action == action)
        if rows:
            blocks += [Heading(title, 3), Table(header, rows)]
    blocks += _general_rules(policy, catalog, entries)
    blocks += _exceptions(policy, catalog)
    blocks += _all_services(policy, entries)
    return blocks


def _general_rules(policy: Policy, catalog: Catalog, entries: list[Effective]) -> list[Block]:
    applies = Counter(entry.rule_id for entry in entries)

    def what(text: str, rule_id: str) -> Cell:
        count = applies[rule_id]
        return (f"{text} ({_plural(count, 'service') if count else 'none at present'})",)

    rows = []
    for risk in policy.risk_rules:
        compiled = compile_rule(risk.id, risk, catalog)
        rows.append((what(_condition(risk.when), f"risk_rules.{risk.id}"),
                     _status(compiled.action, compiled.redirect_url), _why(policy, risk),
                     _alternatives(compiled)))
    for category, rule in policy.categories.items():
        compiled = compile_rule(category, rule, catalog)
        rows.append((what(f"are {_category(category)}", f"categories.{category}"),
                     _status(compiled.action, compiled.redirect_url), _why(policy, rule),
                     _alternatives(compiled)))
    default = compile_rule("default", policy.default, catalog)
    rows.append(
        (what("are not covered above", "default"), _status(default.action, default.redirect_url),
         _why(policy, policy.default), _alternatives(default))
    )
    return [
        Heading("Rules for other AI services", 3),
        Para(("A tool not listed above gets the first rule here that fits it. In brackets: how "
              "many of the AI services the proxy recognises each rule decides today.",)),
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
            ((", ".join(exc.groups),), _join(applies),
             _status(compiled.action, compiled.redirect_url), _why(policy, exc))
        )
    return [
        Heading("Exceptions for groups", 3),
        Para(("Members of these groups get a different rule for these tools.",)),
        Table(("Groups", "Applies to", "Status", "Why"), tuple(rows)),
    ]


def _because(policy: Policy, entry: Effective) -> str:
    """Why a service got its decision, in a few words after its status."""
    rule_id = entry.rule_id
    kind, _, name = rule_id.partition(".")
    if entry.gated is not None:
        training = _training_name(policy, entry.gated.requires_training or "")
        then = ACTION_LABEL.get(entry.gated.action, entry.gated.action).lower()
        return f" until you complete the training {training}, then {then}"
    if kind == "services":
        return ": named in this policy (see above)"
    if kind == "risk_rules":
        risk = next(r for r in policy.risk_rules if r.id == name)
        return f": services that {_condition(risk.when)}"
    if kind == "categories":
        return f": the rule for {_category(name)}"
    return ": not covered by any other rule"


def _all_services(policy: Policy, entries: list[Effective]) -> list[Block]:
    """Every AI service the proxy recognises, by category, with what happens when you open it:
    the list a person searches for a tool the tables do not name."""
    by_category: dict[str, list[Effective]] = {}
    for entry in entries:
        by_category.setdefault(entry.service.category, []).append(entry)
    order = [*CATEGORIES, *sorted(set(by_category) - set(CATEGORIES) - {UNLISTED_CATEGORY}),
             UNLISTED_CATEGORY]
    blocks: list[Block] = [
        Heading("Every AI service the proxy recognises", 3),
        Para((f"The proxy recognises {_plural(len(entries), 'AI service')}. Each is listed "
              "under its kind with what happens when you open it, for a person in no group.",)),
    ]
    for category in order:
        members = by_category.get(category)
        if not members:
            continue
        groups: dict[tuple[int, str, str, str], list[Effective]] = {}
        for entry in members:
            decision = entry.decision
            key = (_ACTION_ORDER.index(decision.action), decision.action,
                   decision.redirect_url or "", _because(policy, entry))
            groups.setdefault(key, []).append(entry)
        counts = Counter(entry.decision.action for entry in members)
        tally = ", ".join(
            f"{counts[action]:,} {_TALLY[action]}" for action in _ACTION_ORDER if counts[action]
        )
        label = _category(category)
        summary = f"{label[0].upper()}{label[1:]}: {len(members):,} ({tally})"
        listed = []
        for (_, action, redirect_url, because), group in sorted(groups.items()):
            names = tuple(
                (_name(e.service), *_group_note(e, aside=True))
                for e in sorted(group, key=lambda e: _name(e.service).casefold())
            )
            listed.append(((*_status(action, redirect_url), because), names))
        blocks.append(Names(summary, tuple(listed)))
    return blocks


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


_DLP_STATUS = {"block": "block", "redact": "redirect", "warn": "warn", "log": "allow"}


def _dlp_status(action: str) -> Cell:
    """A DLP outcome ("Blocked: the request is stopped"), its first words coloured by how
    strict it is."""
    label, colon, rest = DLP_LABEL[action].partition(":")
    return (Status(label, _DLP_STATUS[action]), colon + rest)


def _dlp_row(policy: Policy, catalog: Catalog, rule: DlpRule) -> tuple[Cell, ...]:
    data = [DATA_CLASS.get(c, (c, ""))[0] for c in rule.classes]
    data += [_detector(policy.dlp, d) for d in rule.detectors]
    targets: list[Inline] = [_service_link(catalog, sid) for sid in rule.services]
    targets += [_category(c) for c in rule.categories]
    return (
        (", ".join(data) or "Any sensitive data",),
        _join(targets) or ("any AI service",),
        (", ".join(rule.groups) or "everyone",),
        _dlp_status(rule.action),
        (rule.reason.strip(),) if rule.reason.strip() else (),
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
            _dlp_status(dlp.default_action),
            ("No rule above covers it.",),
        )
    )
    header = ("Data", "Sent to", "By", "What happens", "Why")
    intro = "Each finding takes the first rule that fits it, and the strictest result wins."
    if not any(rule.groups for rule in dlp.rules):  # a column that says "everyone" throughout
        header = header[:2] + header[3:]
        rows = [row[:2] + row[3:] for row in rows]
        intro += " These rules apply to everyone."
    blocks += [
        Heading("Which data may go where", 3),
        Para((intro,)),
        Table(header, tuple(rows)),
        Heading("Content that cannot be checked", 3),
        Bullets(
            (
                (
                    f"Requests larger than {_size(dlp.max_scan_bytes)}: "
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


def layout(loaded: LoadedPolicy) -> tuple[str, list[Block]]:
    """Title and blocks of the policy document, in the order a reader needs them."""
    policy, catalog = loaded.policy, loaded.catalog
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
    blocks += _tools(policy, catalog, effective(loaded))
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
