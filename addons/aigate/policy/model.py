"""The policy YAML as a typed model: one source for enforcement, validation, the JSON Schema and
the pages people read.

Every mapping forbids unknown keys so a typo is an error, not a silently ignored rule.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Action = Literal["allow", "warn", "block", "redirect"]
Mode = Literal["enforce", "monitor"]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contact(Strict):
    """Who people ask about the policy."""

    name: str
    email: str | None = None
    url: str | None = None
    phone: str | None = None


class Guidelines(Strict):
    dos: list[str] = []
    donts: list[str] = []


class Document(Strict):
    """The policy text people read; rendered on block and warn pages and by `aigate render`."""

    purpose: str
    scope: str
    definitions: dict[str, str] = {}
    guidelines: Guidelines = Guidelines()
    requesting_tools: str = Field("", description="How to request a new AI tool.")
    request_url: str | None = Field(
        None, description="Where people ask for a new AI tool (a ticket form)."
    )
    training: str = ""
    violations: str = ""
    disclaimer: str = ""
    acknowledgement: str = Field(
        "", description="What a person confirms when they acknowledge the policy."
    )


class Group(Strict):
    """Members by proxy-auth user name, by client network and/or by directory (LDAP) group."""

    description: str = ""
    users: list[str] = []
    cidrs: list[str] = Field([], description="Client networks, e.g. 10.20.0.0/16.")
    ldap_groups: list[str] = Field(
        [],
        description="DNs of directory groups whose members belong (LDAP sign-in only), e.g. "
        "cn=engineering,ou=groups,dc=corp,dc=example; compared case-insensitively.",
    )


class Alternative(Strict):
    """An approved tool to use instead: a catalog service id, or a name and URL."""

    service: str | None = Field(None, description="Catalog id of the approved service.")
    name: str | None = None
    url: str | None = None


class TenantRestriction(Strict):
    """Pin a service to the company tenant by injecting the vendor's header."""

    header: str = Field(description="Header name, e.g. ChatGPT-Allowed-Workspace-Id.")
    value: str = Field(description="Header value, e.g. the workspace id(s), comma-separated.")
    hosts: list[str] = Field(
        [], description="Hosts to inject on; empty means every host of the service."
    )


class Rule(Strict):
    """What to do and why. Used by services, categories, risk rules, exceptions and the default."""

    action: Action
    reason: str
    alternatives: list[Alternative] = []
    redirect_to: str | None = Field(None, description="URL for action: redirect.")
    requires_training: str | None = Field(
        None, description="Training id people must have completed; others are blocked."
    )


class ServiceRule(Rule):
    tenant: list[TenantRestriction] = []


class RiskMatch(Strict):
    """Catalog attributes a risk rule matches; all given conditions must hold."""

    jurisdiction: list[str] | None = None
    trains_on_inputs: bool | None = None
    enterprise_tier: bool | None = None
    risk: list[Literal["low", "medium", "high", "unknown"]] | None = None
    category: list[str] | None = None


class RiskRule(Rule):
    id: Identifier
    when: RiskMatch


class Exception_(Rule):
    """A per-group exception: these groups get this action for these services or categories."""

    id: Identifier
    groups: list[str]
    services: list[str] = []
    categories: list[str] = []


class Completion(Strict):
    """Who has completed a training: user names and/or whole policy groups."""

    users: list[str] = []
    groups: list[str] = Field([], description="Policy groups whose members all completed it.")


class Training(Strict):
    name: str
    url: str | None = None
    completed_by: Completion = Completion()


class Warn(Strict):
    """How the warn interstitial behaves."""

    ack_ttl_hours: float = Field(24 * 30, gt=0, description="How long an acknowledgement lasts.")


class Audit(Strict):
    """What happens to AI requests while the audit log cannot be written (disk full, read-only)."""

    on_failure: Literal["block", "allow"] = Field(
        "block",
        description="block: AI requests get a 503 until a record can be written again (non-AI "
        "traffic is unaffected); allow: they are forwarded unrecorded (logged and counted).",
    )


DlpAction = Literal["block", "warn", "redact", "log"]
DataClassName = Literal["pii", "financial", "secret", "confidential", "custom"]
ConfidenceName = Literal["low", "pattern", "context", "validated"]


class DlpRule(Strict):
    """Findings of these classes/detectors, sent to these services/categories by these groups,
    get this action. Empty lists match everything; a finding takes the first rule it matches.
    `classes` and `detectors` together match a finding of either."""

    id: Identifier
    action: DlpAction
    classes: list[DataClassName] = []
    detectors: list[str] = []
    services: list[str] = []
    categories: list[str] = []
    groups: list[str] = []
    min_confidence: ConfidenceName = Field(
        "pattern",
        description="Only findings at least this sure match the rule (low < pattern < context "
        "< validated); weaker ones fall through to later rules and the default action.",
    )
    reason: str = ""


class DlpKeywords(Strict):
    """Words or phrases (code names, markings), matched as whole words."""

    id: Identifier
    words: list[str] = Field(min_length=1)
    case_sensitive: bool = False
    data_class: DataClassName = "confidential"


class DlpPattern(Strict):
    """A custom regular expression in RE2 syntax (no look-around, no back-references)."""

    id: Identifier
    pattern: str
    data_class: DataClassName = "custom"
    context: list[str] = Field([], description="Words that must appear near a match.")


class DlpExactMatch(Strict):
    """Exact-data match: a file of HMAC-SHA256 digests of sensitive values (`aigate scan
    --hash-values` makes it); the key comes from an environment variable, never the policy."""

    id: Identifier
    file: str = Field(description="Digest file, relative to the policy file.")
    key_env: str = "AIGATE_EDM_KEY"
    pattern: str | None = Field(None, description="RE2 pattern that finds candidate values.")
    data_class: DataClassName = "confidential"


class Dlp(Strict):
    """Prompt and upload inspection: which detectors run and what findings cause."""

    enabled: bool = True
    detectors: list[str] = Field([], description="Only these built-in detectors (empty: all).")
    disabled_detectors: list[str] = []
    public_ips_only: bool = False
    regions: list[str] | None = Field(
        None,
        description="ISO 3166 country codes whose national formats (phone numbers without a "
        "country code, national ids) are read; default: the policy's `countries`, else all.",
    )
    keywords: list[DlpKeywords] = []
    patterns: list[DlpPattern] = []
    exact_match: list[DlpExactMatch] = []
    rules: list[DlpRule] = []
    default_action: DlpAction = Field("warn", description="For findings no rule matches.")
    max_scan_bytes: int = Field(4 * 1024 * 1024, gt=0, description="Decoded body size limit.")
    on_oversize: Literal["block", "log"] = "block"
    on_unscanned: Literal["block", "warn", "log"] = Field(
        "log", description="For content that could not be read (images, encrypted files)."
    )


class UnlistedEndpoints(Strict):
    """Requests to hosts outside the catalog whose path and JSON body look like a model API: they
    are decided as the service `unlisted-ai-endpoint` (category `unlisted`). docs/routing.md says
    which of them aigate can see."""

    detect: bool = Field(True, description="Recognise and decide them (false: pass them).")
    name_hints: bool = Field(
        False,
        description="Also decrypt HTTPS to hosts with a name word such as llm, ollama, vllm, "
        "litellm or inference (off by default: a guess that decrypts more of people's traffic).",
    )


class Policy(Strict):
    """A company AI policy: the document, the groups and the rules, in one file."""

    organisation: str
    version: str
    countries: list[str] = Field(
        [], description="ISO 3166 codes of the countries the company works in (dlp.regions)."
    )
    review_by: date | None = Field(
        None, description="Review the policy by this date; `aigate check` warns after it."
    )
    mode: Mode = "enforce"
    contact: Contact
    policy_url: str | None = Field(None, description="Where the full policy is published.")
    document: Document
    catalog: list[str] = Field([], description="Extra catalog files, relative to this file.")
    inspect_hosts: list[str] = Field(
        [], description="Extra hosts to decrypt and inspect although the catalog omits them."
    )
    inspect_networks: list[str] = Field(
        [],
        description="Networks (CIDR, e.g. 10.0.0.0/8) whose IP-literal HTTPS destinations are "
        "decrypted and inspected, e.g. internal GPU servers reached by address.",
    )
    unlisted_endpoints: UnlistedEndpoints = UnlistedEndpoints()
    on_error: Literal["block", "allow"] = "block"
    groups: dict[Identifier, Group] = {}
    training: dict[Identifier, Training] = {}
    warn: Warn = Warn()
    audit: Audit = Audit()
    default: Rule = Field(description="What happens to AI services no other rule mentions.")
    services: dict[str, ServiceRule] = {}
    categories: dict[str, Rule] = {}
    risk_rules: list[RiskRule] = []
    exceptions: list[Exception_] = []
    dlp: Dlp = Dlp()
