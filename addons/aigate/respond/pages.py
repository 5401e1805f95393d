"""The pages people see: block, warn (coaching interstitial) and simple notices.

Pages are self-contained (inline CSS, no scripts, no external assets) because they are served
in place of a site the browser believes it is talking to. Everything that comes from a request
or a policy is escaped, and only http(s) URLs ever become links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from aigate.decide import Alternative

if TYPE_CHECKING:
    from aigate.decide import Decision
    from aigate.policy.model import Policy

_EMAIL = re.compile(r"^[^@\s<>\"'()]+@[^@\s<>\"'()]+\.[^@\s<>\"'()]+$")
_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f\\<>\"'`]")
_HEADER_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class PageContext:
    """Everything a block or warn page shows, already resolved from the decision and policy."""

    request_id: str
    host: str
    reason: str
    rule: str = ""
    service_id: str | None = None
    service_name: str | None = None
    service_vendor: str | None = None
    service_category: str | None = None
    alternatives: tuple[Alternative, ...] = ()
    organisation: str = ""
    contact_name: str = ""
    contact_email: str | None = None
    contact_url: str | None = None
    policy_url: str | None = None
    policy_page_url: str | None = None  # the document the proxy serves (always the enforced one)
    policy_version: str = ""
    dos: tuple[str, ...] = ()
    donts: tuple[str, ...] = ()
    requesting_tools: str = ""
    acknowledgement: str = ""
    findings: tuple[tuple[str, int], ...] = ()
    ack_ttl_hours: float | None = None  # how long "I understand, continue" is remembered

    @classmethod
    def from_decision(
        cls,
        decision: Decision,
        policy: Policy,
        request_id: str,
        host: str,
        findings: Iterable[tuple[str, int]] = (),
        policy_page_url: str | None = None,
    ) -> PageContext:
        """Build the context for one request; `findings` are (kind label, count), never values;
        `policy_page_url` is where the proxy serves the rendered policy."""
        service = decision.service
        document = policy.document
        return cls(
            request_id=request_id,
            host=host,
            reason=decision.reason,
            rule=decision.rule,
            service_id=service.id if service else None,
            service_name=service.name if service else None,
            service_vendor=service.vendor if service else None,
            service_category=service.category if service else None,
            alternatives=tuple(decision.alternatives),
            organisation=policy.organisation,
            contact_name=policy.contact.name,
            contact_email=policy.contact.email,
            contact_url=policy.contact.url,
            policy_url=policy.policy_url,
            policy_page_url=policy_page_url,
            policy_version=policy.version,
            dos=tuple(document.guidelines.dos),
            donts=tuple(document.guidelines.donts),
            requesting_tools=document.requesting_tools,
            acknowledgement=document.acknowledgement,
            findings=tuple((str(kind), int(count)) for kind, count in findings),
            ack_ttl_hours=policy.warn.ack_ttl_hours,
        )

    @property
    def service_label(self) -> str:
        """Service name with its vendor, e.g. ChatGPT (OpenAI); the host when unknown."""
        if not self.service_name:
            return self.host
        vendor = self.service_vendor
        if vendor and vendor.lower() not in self.service_name.lower():
            return f"{self.service_name} ({vendor})"
        return self.service_name


def safe_url(url: str | None) -> str | None:
    """`url` if it is an absolute http(s) URL that is safe to put in an href; otherwise None."""
    if not url:
        return None
    url = url.strip()
    return None if _UNSAFE_URL_CHARS.search(url) else _absolute_http(url)


def location_url(url: str | None) -> str | None:
    """`url` if it may go in a Location header: absolute http(s) with no whitespace or control
    characters (a CR or LF there would let a value start a header of its own); otherwise None."""
    if not url or _HEADER_UNSAFE.search(url):
        return None
    return _absolute_http(url)


def _absolute_http(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def _form_action(url: str) -> str:
    """The continue form's target: http(s) or a same-origin absolute path, nothing else."""
    if url.startswith("/") and not url.startswith("//") and not _UNSAFE_URL_CHARS.search(url):
        return url
    safe = safe_url(url)
    if safe is None:
        raise ValueError(f"continue_url must be http(s) or an absolute path, got {url!r}")
    return safe


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _link(url: str | None, text: str, css: str = "") -> str:
    """An anchor when the URL is safe, else the escaped text alone."""
    href = safe_url(url)
    if href is None:
        return _e(text)
    cls = f' class="{css}"' if css else ""
    return f'<a{cls} href="{_e(href)}">{_e(text)}</a>'


def _paragraphs(text: str) -> str:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return "".join(f"<p>{'<br>'.join(_e(line) for line in b.splitlines())}</p>" for b in blocks)


def _contact(ctx: PageContext) -> str:
    if not (ctx.contact_name or ctx.contact_email or ctx.contact_url):
        return ""
    parts = []
    if ctx.contact_name:
        parts.append(_e(ctx.contact_name))
    if ctx.contact_email and _EMAIL.match(ctx.contact_email):
        href = "mailto:" + quote(ctx.contact_email, safe="@.+-_")
        parts.append(f'<a href="{_e(href)}">{_e(ctx.contact_email)}</a>')
    if safe_url(ctx.contact_url):
        parts.append(_link(ctx.contact_url, "contact page"))
    return (
        '<section aria-labelledby="h-contact"><h2 id="h-contact">Questions</h2>'
        f"<p>Contact {' &middot; '.join(parts)}. Please quote the request id below.</p></section>"
    )


def _alternatives(ctx: PageContext, heading: str) -> str:
    if not ctx.alternatives:
        return ""
    items = []
    for alt in ctx.alternatives:
        if safe_url(alt.url):
            items.append(f"<li>{_link(alt.url, alt.name, 'alt')}</li>")
        else:
            items.append(f'<li><span class="alt">{_e(alt.name)}</span></li>')
    return (
        f'<section aria-labelledby="h-alts"><h2 id="h-alts">{_e(heading)}</h2>'
        f'<ul class="alts">{"".join(items)}</ul></section>'
    )


def _findings(ctx: PageContext) -> str:
    if not ctx.findings:
        return ""
    rows = "".join(
        f"<li>{_e(kind)}{f' <span class="count">&times;{count}</span>' if count > 1 else ''}</li>"
        for kind, count in ctx.findings
    )
    return (
        '<section aria-labelledby="h-found"><h2 id="h-found">Sensitive data found</h2>'
        "<p>The request contained data the policy does not allow to leave the company:</p>"
        f'<ul class="found">{rows}</ul></section>'
    )


def _requesting(ctx: PageContext) -> str:
    if not ctx.requesting_tools.strip():
        return ""
    return (
        '<section aria-labelledby="h-request"><h2 id="h-request">Need this tool for your work?'
        f"</h2>{_paragraphs(ctx.requesting_tools)}</section>"
    )


def _policy_href(ctx: PageContext) -> str | None:
    """The one policy link the pages offer: the document the proxy serves (always the enforced
    version), else the published copy."""
    return safe_url(ctx.policy_page_url) or safe_url(ctx.policy_url)


def _footer(ctx: PageContext) -> str:
    items = [f"Request id <code>{_e(ctx.request_id)}</code>"]
    href = _policy_href(ctx)
    if href:
        items.append(_link(href, "Read the full AI policy", "policy"))
    if ctx.policy_version:
        policy = f"{ctx.organisation} AI policy" if ctx.organisation else "AI policy"
        items.append(f"{_e(policy)}, version {_e(ctx.policy_version)}")
    meta = f'<ul class="meta">{"".join(f"<li>{i}</li>" for i in items)}</ul>'
    if ctx.rule:  # for IT, not for the reader: folded away
        meta += (
            '<details class="tech"><summary>Technical details</summary>'
            f"<p>Policy rule <code>{_e(ctx.rule)}</code></p></details>"
        )
    return f"<footer>{meta}</footer>"


def _duration(hours: float) -> str:
    """A plain duration: "30 days", "1 day", "12 hours", "45 minutes"."""
    def plural(n: int, unit: str) -> str:
        return f"{n} {unit}{'' if n == 1 else 's'}"

    if hours >= 24 and float(hours / 24).is_integer():
        return plural(int(hours // 24), "day")
    if hours >= 1 and float(hours).is_integer():
        return plural(int(hours), "hour")
    if hours >= 48:
        return plural(round(hours / 24), "day")
    if hours >= 1:
        return plural(round(hours), "hour")
    return plural(max(1, round(hours * 60)), "minute")


def _recorded(ctx: PageContext, service: str) -> str:
    """What choosing "continue" leaves behind, and for how long it is remembered."""
    text = "Your choice is recorded in the audit log"
    if ctx.ack_ttl_hours:
        text += (
            f". This page will not be shown again for {service} on this browser for "
            f"{_duration(ctx.ack_ttl_hours)}, or until the policy changes."
        )
    else:
        text += "."
    return f'<p class="recorded" id="ack-record">{_e(text)}</p>'


_ICONS = {
    "block": '<path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm-6 10a6 6 0 0 1 9.6-4.8l-8.4 8.4'
    'A6 6 0 0 1 6 12Zm6 6a6 6 0 0 1-3.6-1.2l8.4-8.4A6 6 0 0 1 12 18Z"/>',
    "warn": '<path d="M12 2 1 21h22L12 2Zm1 16h-2v-2h2v2Zm0-4h-2V9h2v5Z"/>',
    "notice": '<path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-6h2v6Zm0-8h-2V7h2v2Z"/>',
}

_CSS = """
:root{--bg:#f3f4f6;--card:#fff;--text:#1f2328;--muted:#4b5563;--line:#d8dce1;--link:#0a58ca;
--accent:#b42318;--accent-bg:#fdecea;--btn:#0a58ca;--btn-text:#fff;--soft:#f6f7f9;--ok:#116329;--no:#a40e26}
.warn{--accent:#8a4b00;--accent-bg:#fff4de}
.notice{--accent:#1d4ed8;--accent-bg:#e8efff}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--card:#1b1f24;--text:#e6e8eb;
--muted:#a9b1bb;--line:#343a42;--link:#8ab4ff;--accent:#ff8a80;--accent-bg:#3a1f1d;
--btn:#8ab4ff;--btn-text:#0b1220;--soft:#22272e;--ok:#6fdd8b;--no:#ff9492}
.warn{--accent:#ffc266;--accent-bg:#3a2c12}.notice{--accent:#9bb8ff;--accent-bg:#1c2740}}
*{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);line-height:1.55;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.top{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap;max-width:46rem;
margin:0 auto;padding:1.25rem 1rem .5rem;color:var(--muted);font-size:.9rem}
.top strong{color:var(--text)}
main{max-width:46rem;margin:0 auto 2rem;background:var(--card);border:1px solid var(--line);
border-top:6px solid var(--accent);border-radius:12px;padding:2rem 2.25rem}
.badge{display:inline-flex;align-items:center;gap:.4rem;background:var(--accent-bg);
color:var(--accent);font-weight:700;font-size:.85rem;letter-spacing:.04em;text-transform:uppercase;
border-radius:999px;padding:.25rem .75rem .25rem .5rem}
.badge svg{width:1.1rem;height:1.1rem;fill:currentColor}
h1{font-size:1.75rem;line-height:1.25;margin:.9rem 0 .25rem;overflow-wrap:anywhere}
.host{color:var(--muted);margin:0 0 1.25rem;overflow-wrap:anywhere}
h2{font-size:1.05rem;margin:1.6rem 0 .4rem}
p{margin:.4rem 0}
.reason{font-size:1.1rem;background:var(--soft);border-left:4px solid var(--accent);
padding:.75rem 1rem;border-radius:0 8px 8px 0;overflow-wrap:anywhere}
a{color:var(--link);text-underline-offset:.15em}
a:focus-visible,button:focus-visible{outline:3px solid var(--link);outline-offset:2px}
ul{padding-left:1.25rem;margin:.4rem 0}
.alts{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
.alt{display:inline-block;border:1px solid var(--line);border-radius:8px;padding:.5rem .9rem;
font-weight:600;text-decoration:none;background:var(--soft)}
a.alt:hover{border-color:var(--link)}
.found li{margin:.15rem 0}.count{color:var(--muted)}
.guide{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin-top:.75rem}
details.general{margin-top:1.5rem;border-top:1px solid var(--line);padding-top:1rem}
summary{cursor:pointer;font-weight:600;color:var(--link);min-height:24px}
summary:focus-visible{outline:3px solid var(--link);outline-offset:2px}
.tech{margin-top:.5rem}.tech summary{font-weight:400;color:var(--muted)}
.do h2{color:var(--ok)}.dont h2{color:var(--no)}
.guide>div{background:var(--soft);border-radius:8px;padding:.75rem 1rem}
.guide h2{margin-top:0}.guide li{margin:.3rem 0}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:1rem;margin-top:1.25rem;
padding:1rem 1.25rem;border:1px solid var(--line);border-radius:8px;background:var(--soft)}
.actions a{font-weight:600}
button{font:inherit;font-weight:600;background:var(--btn);color:var(--btn-text);border:0;
border-radius:8px;padding:.7rem 1.3rem;cursor:pointer;min-height:44px}
.ack{font-size:.95rem;flex-basis:100%;margin:0}
.recorded{color:var(--muted);font-size:.875rem;flex-basis:100%;margin:0}
p,li,a,summary{overflow-wrap:anywhere}
footer{margin-top:1.75rem;padding-top:1rem;border-top:1px solid var(--line);color:var(--muted);
font-size:.875rem}
.meta{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em;
overflow-wrap:anywhere}
@media (max-width:560px){main{border-radius:0;border-left:0;border-right:0;padding:1.5rem 1.1rem}
.guide{grid-template-columns:1fr}h1{font-size:1.45rem}}
""".replace("\n", "")


def _document(kind: str, title: str, badge: str, organisation: str, body: str) -> str:
    org = _e(organisation) if organisation else "Company"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        '<meta name="robots" content="noindex,nofollow">'
        f"<title>{_e(title)} - {org} AI policy</title><style>{_CSS}</style></head>"
        f'<body class="{kind}"><header class="top"><span><strong>{org}</strong> AI policy</span>'
        "<span>enforced by aigate</span></header>"
        f'<main><p class="badge"><svg viewBox="0 0 24 24" aria-hidden="true">{_ICONS[kind]}</svg>'
        f"{_e(badge)}</p>{body}</main></body></html>"
    )


def block_page(ctx: PageContext) -> str:
    """The page a person gets instead of a blocked AI service."""
    service = ctx.service_label
    # With findings the service may well be approved: what was stopped is this request.
    heading = f"Your request to {service} was blocked" if ctx.findings else f"{service} is blocked"
    body = (
        f"<h1>{_e(heading)}</h1>"
        f'<p class="host">{_e(ctx.host)}</p>'
        '<section aria-labelledby="h-why"><h2 id="h-why">Why</h2>'
        f'<p class="reason">{_e(ctx.reason)}</p></section>'
        f"{_findings(ctx)}"
        f"{_alternatives(ctx, 'Use an approved tool instead')}"
        f"{'' if ctx.findings else _requesting(ctx)}{_contact(ctx)}{_footer(ctx)}"
    )
    return _document("block", f"Blocked: {service}", "Blocked", ctx.organisation, body)


def warn_page(
    ctx: PageContext, continue_url: str, continue_token: str, back_url: str | None = None
) -> str:
    """The coaching interstitial: why to be careful and the choice first, then the general
    do's and don'ts folded away.

    "I understand, continue" POSTs the signed `token` to `continue_url`; the way back goes to
    `back_url` (if safe), else the first approved alternative, else the policy.
    """
    service = ctx.service_label
    guide = ""
    if ctx.dos or ctx.donts:
        columns = []
        for css, heading, items in (("do", "Do", ctx.dos), ("dont", "Don&#39;t", ctx.donts)):
            if items:
                lis = "".join(f"<li>{_e(item)}</li>" for item in items)
                columns.append(f'<div class="{css}"><h2>{heading}</h2><ul>{lis}</ul></div>')
        guide = (
            '<details class="general"><summary>General do&#39;s and don&#39;ts for AI tools'
            f'</summary><section class="guide" aria-label="Guidelines">{"".join(columns)}'
            "</section></details>"
        )
    ack = ctx.acknowledgement.strip() or (
        "I have read the guidance on this page and will follow the "
        f"{ctx.organisation or 'company'} AI policy when using this service."
    )
    leave_link = ""
    if safe_url(back_url):
        leave_link = _link(back_url, "No thanks, take me back")
    else:
        alternative = next((a for a in ctx.alternatives if safe_url(a.url)), None)
        if alternative is not None:
            leave_link = _link(alternative.url, f"No thanks, use {alternative.name} instead")
        elif _policy_href(ctx):
            leave_link = _link(_policy_href(ctx), "No thanks, read the policy")
    body = (
        f"<h1>Before you use {_e(service)}</h1>"
        f'<p class="host">{_e(ctx.host)}</p>'
        '<section aria-labelledby="h-why"><h2 id="h-why">Why this is flagged</h2>'
        f'<p class="reason">{_e(ctx.reason)}</p></section>'
        f"{_findings(ctx)}"
        f'<form class="actions" method="post" action="{_e(_form_action(continue_url))}">'
        f'<p class="ack" id="ack-text">{_e(ack)}</p>'
        f'<input type="hidden" name="token" value="{_e(continue_token)}">'
        '<button type="submit" aria-describedby="ack-text ack-record">I understand, continue'
        f"</button>{leave_link}{_recorded(ctx, service)}</form>"
        f"{_alternatives(ctx, 'Approved alternatives')}{guide}"
        f"{_contact(ctx)}{_footer(ctx)}"
    )
    return _document("warn", f"Caution: {service}", "Caution", ctx.organisation, body)


def upstream_error_page(ctx: PageContext, problem: str, retry_url: str | None = None) -> str:
    """The page a person gets when the policy allowed the request but the site did not answer:
    `problem` says how (a plain sentence fragment, e.g. "it refused the connection"), and
    `retry_url` (if safe) is offered as "Try again"."""
    service = ctx.service_label
    contact = _contact(ctx)  # it asks to quote the request id itself
    tell = "contact IT" if contact else "tell IT and quote the request id below"
    retry = ""
    if safe_url(retry_url):
        retry = f'<p class="actions">{_link(retry_url, "Try again", "alt")}</p>'
    body = (
        f"<h1>{_e(service)} did not answer</h1>"
        f'<p class="host">{_e(ctx.host)}</p>'
        '<section aria-labelledby="h-what"><h2 id="h-what">What happened</h2>'
        f'<p class="reason">The AI policy allowed this request, but {_e(ctx.host)} did not '
        f"answer: {_e(problem)}.</p>"
        "<p>Nothing was blocked. The site may be down, or unreachable from this network.</p>"
        "</section>"
        '<section aria-labelledby="h-next"><h2 id="h-next">What you can do</h2>'
        f"<p>Try again in a moment. If it keeps happening, {tell}.</p></section>"
        f"{retry}{contact}{_footer(ctx)}"
    )
    return _document("notice", f"Not reached: {service}", "Site did not answer",
                     ctx.organisation, body)


def notice_page(
    title: str, message: str, request_id: str, *, organisation: str = "", status: str = "Notice"
) -> str:
    """A simple page for errors such as "aigate could not evaluate this request"."""
    body = (
        f"<h1>{_e(title)}</h1>{_paragraphs(message)}"
        f'<footer><ul class="meta"><li>Request id <code>{_e(request_id)}</code></li></ul></footer>'
    )
    return _document("notice", title, status, organisation, body)
