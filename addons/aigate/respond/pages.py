"""The pages people see: block, warn (coaching interstitial), upstream error and simple notices.

Pages are self-contained (inline CSS, no scripts, no external assets) because they are served
in place of a site the browser believes it is talking to. The markup and wording live in
`aigate/templates/pages/`, rendered with autoescape, so everything from a request or a policy
is escaped without being asked. Links are decided here, never in a template: templates get
only checked targets (`*_href` values that passed `safe_url`, a mailto for a valid address, the
continue form's target), so only http(s), mailto and same-origin paths ever become links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from aigate.decide import Alternative
from aigate.templating import template

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
    request_url: str | None = None  # the ticket form for asking for a tool
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
            request_url=document.request_url,
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


def _paragraphs(text: str) -> list[list[str]]:
    """Paragraphs separated by blank lines, each as its lines (the template breaks between them)."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return [block.splitlines() for block in blocks]


def _contact(ctx: PageContext) -> list[tuple[str, str | None]]:
    """The contact line as (text, href or None): the name, the e-mail address if it is one, the
    contact page if it is http(s). Empty when none of them can be shown."""
    parts: list[tuple[str, str | None]] = []
    if ctx.contact_name:
        parts.append((ctx.contact_name, None))
    if ctx.contact_email and _EMAIL.match(ctx.contact_email):
        parts.append((ctx.contact_email, "mailto:" + quote(ctx.contact_email, safe="@.+-_")))
    contact_href = safe_url(ctx.contact_url)
    if contact_href:
        parts.append(("contact page", contact_href))
    return parts


def _policy_href(ctx: PageContext) -> str | None:
    """The one policy link the pages offer: the document the proxy serves (always the enforced
    version), else the published copy."""
    return safe_url(ctx.policy_page_url) or safe_url(ctx.policy_url)


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


def _shared(ctx: PageContext) -> dict[str, object]:
    """What the block, warn and upstream error templates get: the context for text, and every
    link already checked."""
    return {
        "ctx": ctx,
        "organisation": ctx.organisation,
        "service": ctx.service_label,
        "alternatives": [(alt.name, safe_url(alt.url)) for alt in ctx.alternatives],
        "requesting": _paragraphs(ctx.requesting_tools),
        "request_href": safe_url(ctx.request_url),
        "contact": _contact(ctx),
        "policy_href": _policy_href(ctx),
        "policy_name": f"{ctx.organisation} AI policy" if ctx.organisation else "AI policy",
    }


def _render(name: str, **values: object) -> str:
    return template(f"pages/{name}").render(**values)


def block_page(ctx: PageContext) -> str:
    """The page a person gets instead of a blocked AI service."""
    return _render("block.html", **_shared(ctx))


def warn_page(
    ctx: PageContext, continue_url: str, continue_token: str, back_url: str | None = None
) -> str:
    """The coaching interstitial: why to be careful and the choice first, then the general
    do's and don'ts folded away.

    "I understand, continue" POSTs the signed `token` to `continue_url`; the way back goes to
    `back_url` (if safe), else the first approved alternative, else the policy.
    """
    instead = next(((a.name, href) for a in ctx.alternatives if (href := safe_url(a.url))), None)
    return _render(
        "warn.html",
        **_shared(ctx),
        form_action=_form_action(continue_url),
        token=continue_token,
        back_href=safe_url(back_url),
        instead=instead,  # (name, href) of the first alternative that can be a link
        remembered_for=_duration(ctx.ack_ttl_hours) if ctx.ack_ttl_hours else None,
    )


def upstream_error_page(ctx: PageContext, problem: str, retry_url: str | None = None) -> str:
    """The page a person gets when the policy allowed the request but the site did not answer:
    `problem` says how (a plain sentence fragment, e.g. "it refused the connection"), and
    `retry_url` (if safe) is offered as "Try again"."""
    return _render(
        "upstream_error.html", **_shared(ctx), problem=problem, retry_href=safe_url(retry_url)
    )


def notice_page(
    title: str, message: str, request_id: str, *, organisation: str = "", status: str = "Notice"
) -> str:
    """A simple page for errors such as "aigate could not evaluate this request"."""
    return _render(
        "notice.html",
        title=title,
        message=_paragraphs(message),
        request_id=request_id,
        organisation=organisation,
        badge=status,
    )
