"""Vendor credentials, vendors I to O: infrastructure (IBM Cloud, Kubernetes, Netlify,
NuGet, Octopus Deploy, OpenShift), observability (New Relic, Loggly, Opsgenie), messaging and mail
(Intercom, Mailchimp, Mandrill, MessageBird, Microsoft Teams), AI (LangSmith, Langfuse, Mistral,
NVIDIA, OpenRouter) and exchanges (Kraken, KuCoin).

Two kinds of entry: a token whose prefix only its issuer uses (`lsv2_pt_`, `nfp_`, `oy2`,
`sha256~`) is `validated` in its documented length and alphabet, with the issuer's structural
check where the format has one (NuGet's base32 id, Intercom's `tok:` envelope, Mapbox's JWT
payload, OneSignal's embedded app id); a prefix-less shape (32 hex, a UUID) is a finding only
next to the vendor's name (`context_required`).

JFrog's keys (`AKCp`, `cmVmdGtu`) are artifactory_* in secrets_vendors_a_c."""

from __future__ import annotations

import base64
import binascii
import json
import re

from aigate.inspect.detectors.base import (
    BASE64_CHARS,
    TOKEN_CHARS,
    Detector,
    Validator,
    entropy,
    is_placeholder,
    random_token,
)
from aigate.inspect.result import Confidence

_token = random_token(3.5)
_hex_token = random_token(3.0)
# A base64 value may not touch another base64 character; '=' only pads its end, so a label's
# `KEY=` before it is fine.
_B64_EDGE = TOKEN_CHARS | (BASE64_CHARS - {"="})
_UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
_UUID_LOWER = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_CLASSES = (str.islower, str.isupper, str.isdigit)


def _opaque(min_entropy: float = 3.0, classes: int = 2) -> Validator:
    """Not a placeholder, random-looking, and mixing at least `classes` of lower, upper, digit:
    a bare identifier (`mattermostserverhostname`) has one class, a key has two or three."""

    def check(value: str) -> bool:
        mixed = sum(any(map(test, value)) for test in _CLASSES)
        return not is_placeholder(value) and entropy(value) >= min_entropy and mixed >= classes

    return check


def _b64decode(value: str, urlsafe: bool = False) -> bytes | None:
    core = value.rstrip("=")
    padded = core + "=" * (-len(core) % 4)
    try:
        if urlsafe:
            return base64.urlsafe_b64decode(padded)
        return base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None


def _json_object(part: str) -> dict | None:
    raw = _b64decode(part, urlsafe=True)
    try:
        data = json.loads(raw) if raw is not None else None
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _text(raw: bytes | None) -> str | None:
    """Decoded bytes as text when they are printable UTF-8 (newlines and tabs allowed)."""
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if all(ch.isprintable() or ch in "\r\n\t" for ch in text) else None


# Intercom: base64 of "tok:<uuid with underscores>:<n>:<n>".
_INTERCOM_BODY = re.compile(r"tok:[0-9a-f]{8}(?:_[0-9a-f]{4}){3}_[0-9a-f]{12}:\d+:\d+")


def _intercom_prefix(value: str) -> bool:
    text = _text(_b64decode(value))
    return text is not None and text.startswith("tok:")


def _intercom_body(value: str) -> bool:
    text = _text(_b64decode(value))
    return text is not None and _INTERCOM_BODY.fullmatch(text) is not None


# A JWT whose header and payload decode to JSON objects, the header naming an algorithm.
def _is_jwt(text: str) -> bool:
    parts = text.split(".")
    if len(parts) != 3:
        return False
    head = _json_object(parts[0])
    return head is not None and "alg" in head and _json_object(parts[1]) is not None


def _base64_jwt(value: str) -> bool:
    text = _text(_b64decode(value))
    return text is not None and _is_jwt(text.strip())


def _kraken_private(value: str) -> bool:
    raw = _b64decode(value)
    return raw is not None and len(raw) == 64 and not is_placeholder(value)


def _secret_data(value: str) -> bool:
    """A Kubernetes Secret `data:` value: strict base64 of printable text that is no template."""
    if len(value) % 4 or is_placeholder(value):
        return False
    text = _text(_b64decode(value))
    return text is not None and len(text.strip()) >= 4 and not is_placeholder(text)


def _mapbox_payload(value: str) -> bool:
    """The middle part of a Mapbox token is base64url JSON naming the account (`"u"`)."""
    payload = _json_object(value.split(".")[1])
    return payload is not None and "u" in payload


_B32 = "abcdefghijklmnopqrstuvwxyz234567"


def _base32_bytes(text: str) -> bytes | None:
    """RFC 4648 base32 without padding (any case); None when a character is outside the
    alphabet or the unused trailing bits are not zero."""
    bits = 0
    count = 0
    out = bytearray()
    for ch in text.lower():
        index = _B32.find(ch)
        if index < 0:
            return None
        bits = (bits << 5) | index
        count += 5
        if count >= 8:
            count -= 8
            out.append((bits >> count) & 0xFF)
    return bytes(out) if (bits & ((1 << count) - 1)) == 0 else None


def _nuget_v4(value: str) -> bool:
    """NuGet.org ApiKeyV4: a 20-character base32 id of the bytes "v4" plus 10 random bytes, then
    a 26-character base32 password of 16 random bytes."""
    ident, password = _base32_bytes(value[:20]), _base32_bytes(value[20:])
    return ident is not None and ident[:2] == b"v4" and password is not None and len(password) == 16


def _onesignal_app(value: str) -> bool:
    """A OneSignal v2 key starts with its app (or organisation) id, a version-4 UUID, in base32."""
    raw = _base32_bytes(value.split("_", 3)[3][:26])
    return raw is not None and len(raw) == 16 and raw[6] >> 4 == 4 and raw[8] >> 6 == 2


_UUID_TEXT = re.compile(_UUID_LOWER)


def _onesignal_legacy(value: str) -> bool:
    """Legacy OneSignal REST keys are the base64 of a UUID's text."""
    text = _text(_b64decode(value))
    return text is not None and _UUID_TEXT.fullmatch(text) is not None


def _octopus(value: str) -> bool:
    """Octopus keys are random upper-case letters and digits: several of each, never a word in
    capitals (`API-GATEWAYCONFIGURATION`)."""
    body = value[4:]
    letters = sum(ch.isalpha() for ch in body)
    return 3 <= letters <= len(body) - 3 and not is_placeholder(value) and entropy(body) >= 3.5


def _nuget_password(value: str) -> bool:
    return not is_placeholder(value) and not value.startswith(("%", "$")) and len(set(value)) > 3


def _prefixed(
    id: str,
    pattern: str,
    keep: int,
    description: str,
    source: str,
    validator: Validator | None = _token,
    checksum: Validator | None = None,
    confidence: Confidence = "validated",
    boundary: frozenset[str] = TOKEN_CHARS,
) -> Detector:
    """A token whose prefix only its issuer uses: validated in its documented shape."""
    return Detector(
        id,
        "secret",
        pattern,
        validator,
        confidence=confidence,
        keep=(keep, 0),
        boundary=boundary,
        description=description,
        checksum=checksum,
        source=source,
    )


def _labelled(
    id: str,
    pattern: str,
    words: tuple[str, ...],
    description: str,
    source: str,
    validator: Validator | None = None,
    window: int = 80,
    boundary: frozenset[str] = TOKEN_CHARS,
    checksum: Validator | None = None,
) -> Detector:
    """A prefix-less shape that is this vendor's credential only next to the vendor's name."""
    return Detector(
        id,
        "secret",
        pattern,
        validator if validator is not None else _opaque(),
        context=words,
        context_required=True,
        window=window,
        keep=(0, 0),
        boundary=boundary,
        description=description,
        checksum=checksum,
        source=source,
    )


DETECTORS = (
    # --- I ---------------------------------------------------------------------------------
    _prefixed(
        "infracost_api_key",
        r"ico-[A-Za-z0-9]{32}",
        4,
        "Infracost API key (ico-).",
        "https://www.infracost.io/docs/features/environment_variables/",
        validator=_opaque(3.5, 3),
    ),
    _prefixed(
        "intercom_access_token",
        r"dG9rO[jm][A-Za-z0-9+/]{40,80}={0,2}",
        0,
        "Intercom access token (base64 of tok:<uuid>:<n>:<n>).",
        "https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/",
        validator=_intercom_prefix,
        checksum=_intercom_body,
        boundary=_B64_EDGE,
    ),
    _prefixed(
        "intra42_client_secret",
        r"s-s4t2(?:ud|af)-[a-f0-9]{64}",
        9,
        "42 School (intra.42.fr) API client secret.",
        "https://api.intra.42.fr/apidoc/guides/getting_started",
        validator=_hex_token,
    ),
    _labelled(
        "ibm_cloud_api_key",
        r"[A-Za-z0-9_-]{44}",
        ("ibm", "ibmcloud", "bluemix", "iam.cloud.ibm.com"),
        "IBM Cloud IAM API key (44 characters near 'IBM').",
        "https://cloud.ibm.com/docs/account?topic=account-manapikey",
        validator=_opaque(3.5),
    ),
    _labelled(
        "ibm_cos_hmac_secret",
        r"[a-f0-9]{48}",
        (
            "cos_hmac_keys",
            "cos_hmac",
            "hmac_keys",
            "secret_access_key",
            "ibm",
            "cloud-object-storage",
        ),
        "IBM Cloud Object Storage HMAC secret access key (48 hex).",
        "https://cloud.ibm.com/docs/cloud-object-storage?topic=cloud-object-storage-uhc-hmac-credentials-main",
        validator=_hex_token,
    ),
    # --- J ---------------------------------------------------------------------------------
    _prefixed(
        "jumpcloud_api_key",
        r"jca_[A-Za-z0-9]{36}",
        4,
        "JumpCloud API key (jca_).",
        "https://docs.jumpcloud.com/api/2.0/index.html#section/API-Key",
        validator=_opaque(3.5, 3),
    ),
    _labelled(
        "jumpcloud_legacy_api_key",
        r"[A-Za-z0-9]{40}",
        ("jumpcloud",),
        "JumpCloud legacy API key (40 characters near 'jumpcloud').",
        "https://docs.jumpcloud.com/api/2.0/index.html#section/API-Key",
        validator=_opaque(3.5),
    ),
    Detector(
        "jwt_base64",
        "secret",
        r"ZXlK[A-Za-z0-9+/]{60,}={0,2}",
        _base64_jwt,
        context=("bearer", "authorization", "jwt", "token", "session", "cookie"),
        confidence="pattern",
        keep=(0, 0),
        boundary=_B64_EDGE,
        description="Base64-encoded JSON Web Token (decodes to a JWT with a JSON header).",
        source="https://www.rfc-editor.org/rfc/rfc7519",
    ),
    # --- K ---------------------------------------------------------------------------------
    _prefixed(
        "klaviyo_private_key",
        r"pk_(?:[A-Za-z0-9]{6}_)?[a-f0-9]{34}",
        3,
        "Klaviyo private API key (pk_).",
        "https://developers.klaviyo.com/en/docs/authenticate_",
        validator=_hex_token,
    ),
    _labelled(
        "kraken_api_key",
        r"[A-Za-z0-9+/]{54}[A-Za-z0-9+/=]{2}",
        ("kraken",),
        "Kraken exchange API key (56 base64 characters near 'kraken').",
        "https://docs.kraken.com/api/docs/guides/spot-rest-auth",
        validator=_opaque(3.5, 3),
        boundary=_B64_EDGE,
    ),
    _labelled(
        "kraken_private_key",
        r"[A-Za-z0-9+/]{86}==",
        ("kraken",),
        "Kraken exchange API private key (base64 of 64 bytes near 'kraken').",
        "https://docs.kraken.com/api/docs/guides/spot-rest-auth",
        validator=_kraken_private,
        boundary=_B64_EDGE,
    ),
    _labelled(
        "kubernetes_secret_data",
        r"(?m)^[ \t]+[\"']?[A-Za-z0-9_.-]{1,253}[\"']?[ \t]*:[ \t]*[\"']?"
        r"(?P<v>[A-Za-z0-9+/]{8,}={0,2})[\"']?[ \t]*,?[ \t]*\r?$",
        ("kind: secret", 'kind: "secret"', "kind: 'secret'", '"kind": "secret"', "kind:secret"),
        "Value in the data of a Kubernetes Secret manifest (base64 of printable text).",
        "https://kubernetes.io/docs/concepts/configuration/secret/",
        validator=_secret_data,
        window=500,
        boundary=frozenset(),
    ),
    _prefixed(
        "kubeconfig_client_key",
        r"client-key-data:[ \t]*[\"']?(?P<v>LS0tLS1CRUdJTi[A-Za-z0-9+/]{60,}={0,2})",
        0,
        "Client private key embedded in a kubeconfig (client-key-data).",
        "https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/",
        validator=None,
        boundary=_B64_EDGE,
    ),
    _labelled(
        "kucoin_api_key",
        r"[a-f0-9]{24}",
        ("kucoin",),
        "KuCoin API key (24 hex near 'kucoin').",
        "https://www.kucoin.com/docs-new/authentication",
        validator=_hex_token,
    ),
    _labelled(
        "kucoin_api_secret",
        _UUID,
        ("kucoin",),
        "KuCoin API secret (a UUID near 'kucoin').",
        "https://www.kucoin.com/docs-new/authentication",
        validator=_hex_token,
    ),
    # --- L ---------------------------------------------------------------------------------
    _prefixed(
        "langfuse_secret_key",
        rf"sk-lf-{_UUID_LOWER}",
        6,
        "Langfuse secret key (sk-lf-).",
        "https://langfuse.com/faq/all/where-are-langfuse-api-keys",
        validator=_hex_token,
    ),
    _prefixed(
        "langsmith_api_key",
        r"lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}",
        8,
        "LangSmith personal access token or service key (lsv2_pt_, lsv2_sk_).",
        "https://docs.smith.langchain.com/administration/how_to_guides/organization_management/create_account_api_key",
        validator=_hex_token,
    ),
    _prefixed(
        "launchdarkly_sdk_key",
        r"sdk-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        4,
        "LaunchDarkly server-side SDK key (sdk- and a version-4 UUID).",
        "https://launchdarkly.com/docs/home/account/environment/keys",
        validator=_hex_token,
    ),
    Detector(
        "launchdarkly_access_token",
        "secret",
        r"api-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        _hex_token,
        context=("launchdarkly", "launch_darkly", "ld_api", "ld_access_token", "ldcli"),
        confidence="pattern",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="LaunchDarkly personal or service access token (api- and a UUID).",
        source="https://launchdarkly.com/docs/api",
    ),
    _prefixed(
        "linear_oauth_token",
        r"lin_oauth_[a-f0-9]{64}",
        10,
        "Linear OAuth access token (lin_oauth_).",
        "https://linear.app/developers/oauth-2-0-authentication",
        validator=_hex_token,
    ),
    _labelled(
        "linear_client_secret",
        r"[a-f0-9]{32}",
        ("linear_client_secret", "linear_oauth", "linear_secret", "linear.app"),
        "Linear OAuth application client secret (32 hex near a Linear label).",
        "https://linear.app/developers/oauth-2-0-authentication",
        validator=_hex_token,
    ),
    _prefixed(
        "linkedin_client_secret",
        r"WPL_AP\d\.[A-Za-z0-9]{12,24}\.[A-Za-z0-9+/]{4,12}={0,2}",
        7,
        "LinkedIn application client secret (WPL_AP1.).",
        "https://learn.microsoft.com/en-us/linkedin/shared/authentication/client-credentials-flow",
        boundary=_B64_EDGE | {"."},
    ),
    _labelled(
        "linkedin_legacy_client_secret",
        r"[A-Za-z0-9]{16}",
        ("linkedin", "linked_in", "linked-in"),
        "LinkedIn legacy client secret (16 characters near 'linkedin').",
        "https://learn.microsoft.com/en-us/linkedin/shared/authentication/client-credentials-flow",
        validator=_opaque(3.0, 3),
    ),
    Detector(
        "lob_api_key",
        "secret",
        r"(?:live|test)_[a-f0-9]{35}",
        _hex_token,
        context=("lob", "lob_api_key", "lob.com", "lobtoken", "lobkey", "lobapikey", "lobsecret"),
        confidence="pattern",
        keep=(5, 0),
        boundary=TOKEN_CHARS,
        description="Lob secret API key (live_ or test_ and 35 hex).",
        source="https://docs.lob.com/#tag/Authentication",
    ),
    _prefixed(
        "lob_publishable_key",
        r"(?:live|test)_pub_[a-f0-9]{31}",
        9,
        "Lob publishable API key (meant for browsers: logged, never blocked).",
        "https://docs.lob.com/#tag/Authentication",
        validator=_hex_token,
        confidence="pattern",
    ),
    _labelled(
        "loggly_token",
        _UUID,
        ("loggly",),
        "Loggly customer or API token (a UUID near 'loggly').",
        "https://documentation.solarwinds.com/en/success_center/loggly/content/admin/customer-token-authentication-token.htm",
        validator=_hex_token,
    ),
    _labelled(
        "lokalise_api_token",
        r"[a-f0-9]{40}",
        ("lokalise",),
        "Lokalise API token (40 hex near 'lokalise').",
        "https://developers.lokalise.com/reference/api-authentication",
        validator=_hex_token,
    ),
    _labelled(
        "looker_client_secret",
        r"[A-Za-z0-9]{24}",
        ("looker",),
        "Looker API client secret (24 characters near 'looker').",
        "https://cloud.google.com/looker/docs/api-auth",
        validator=_opaque(3.0, 3),
    ),
    # --- M ---------------------------------------------------------------------------------
    Detector(
        "mailchimp_api_key",
        "secret",
        r"[a-f0-9]{32}-us\d{1,2}",
        _hex_token,
        confidence="validated",
        keep=(0, 4),
        boundary=TOKEN_CHARS,
        description="Mailchimp Marketing API key (32 hex and its -usNN data centre).",
        source="https://mailchimp.com/developer/marketing/guides/quick-start/",
    ),
    _prefixed(
        "mandrill_api_key",
        r"md-[A-Za-z0-9_-]{22}",
        3,
        "Mailchimp Transactional (Mandrill) API key (md-).",
        "https://mailchimp.com/developer/transactional/guides/quick-start/",
        validator=_opaque(3.5, 3),
    ),
    _labelled(
        "mandrill_legacy_api_key",
        r"[A-Za-z0-9_-]{22}",
        ("mandrill",),
        "Mandrill legacy API key (22 characters near 'mandrill').",
        "https://mailchimp.com/developer/transactional/guides/quick-start/",
        validator=_opaque(3.0, 3),
    ),
    _prefixed(
        "mailgun_public_key",
        r"pubkey-[a-f0-9]{32}",
        7,
        "Mailgun public validation key (meant for browsers: logged, never blocked).",
        "https://help.mailgun.com/hc/en-us/articles/203380100-Where-can-I-find-my-API-keys-and-SMTP-credentials",
        validator=_hex_token,
        confidence="pattern",
    ),
    _prefixed(
        "mapbox_secret_token",
        r"[st]k\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}",
        3,
        "Mapbox secret or temporary access token (sk., tk.; JWT payload naming the account).",
        "https://docs.mapbox.com/api/accounts/tokens/",
        validator=random_token(3.0),
        checksum=_mapbox_payload,
    ),
    _prefixed(
        "mapbox_public_token",
        r"pk\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}",
        3,
        "Mapbox public access token (pk.; meant for browsers: logged, never blocked).",
        "https://docs.mapbox.com/api/accounts/tokens/",
        validator=_mapbox_payload,
        confidence="pattern",
    ),
    _labelled(
        "mattermost_access_token",
        r"[a-z0-9]{26}",
        ("mattermost",),
        "Mattermost personal access or bot token (26 characters near 'mattermost').",
        "https://developers.mattermost.com/integrate/reference/personal-access-token/",
    ),
    _prefixed(
        "maxmind_license_key",
        r"[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk",
        0,
        "MaxMind (GeoIP, GeoLite) license key (..._mmk).",
        "https://dev.maxmind.com/geoip/docs/web-services/requests/#authorization-and-security",
    ),
    _labelled(
        "maxmind_legacy_license_key",
        r"[A-Za-z0-9]{16}",
        ("maxmind", "geoip", "geolite"),
        "MaxMind legacy license key (16 characters near 'maxmind'/'geoip').",
        "https://dev.maxmind.com/geoip/docs/web-services/requests/#authorization-and-security",
        validator=_opaque(3.0, 3),
    ),
    _labelled(
        "meraki_api_key",
        r"[a-f0-9]{40}",
        ("meraki",),
        "Cisco Meraki Dashboard API key (40 hex near 'meraki').",
        "https://developer.cisco.com/meraki/api-v1/authorization/",
        validator=_hex_token,
    ),
    _labelled(
        "messagebird_api_key",
        r"[A-Za-z0-9]{25}",
        ("messagebird", "message_bird", "message-bird"),
        "MessageBird (Bird) access key (25 characters near 'messagebird').",
        "https://developers.messagebird.com/api/#authentication",
        validator=_opaque(3.0, 3),
    ),
    _prefixed(
        "microsoft_teams_webhook",
        rf"https://(?:[a-z0-9-]+\.webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)"
        rf"/{_UUID}@{_UUID}/IncomingWebhook/[0-9a-f]{{32}}/{_UUID}(?:/[A-Za-z0-9_-]{{20,}})?",
        8,
        "Microsoft Teams incoming webhook URL (Office 365 connector).",
        "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook",
        validator=None,
        boundary=frozenset(),
    ),
    _prefixed(
        "microsoft_teams_workflow_webhook",
        r"https://(?:[a-z0-9-]+\.[a-z0-9-]+\.environment\.api\.powerplatform\.com(?::443)?/powerautomate/automations/direct"
        r"|prod-\d+\.[a-z0-9-]+\.logic\.azure\.com(?::443)?)"
        r"/workflows/[0-9a-f]{32}/triggers/manual/paths/invoke\?[A-Za-z0-9_.%&=/-]*?sig=[A-Za-z0-9_%-]{20,}",
        8,
        "Microsoft Teams Workflows (Power Automate) webhook URL with its sig= signature.",
        "https://support.microsoft.com/en-us/office/create-incoming-webhooks-with-workflows-for-microsoft-teams-8ae491c7-0394-4861-ba59-055e33f75498",
        validator=None,
        boundary=frozenset(),
    ),
    _labelled(
        "mistral_api_key",
        r"[A-Za-z0-9]{32}",
        ("mistral",),
        "Mistral AI API key (32 characters near 'mistral').",
        "https://docs.mistral.ai/getting-started/quickstart/",
        validator=_opaque(3.5, 3),
    ),
    _prefixed(
        "mongodb_atlas_service_account_secret",
        r"mdb_sa_sk_[A-Za-z0-9_-]{40}",
        10,
        "MongoDB Atlas service account client secret (mdb_sa_sk_).",
        "https://www.mongodb.com/docs/atlas/api/service-accounts-overview/",
    ),
    _labelled(
        "mongodb_atlas_private_key",
        _UUID,
        (
            "mongodb_atlas",
            "mongodb atlas",
            "mongodb-atlas",
            "mongodbatlas",
            "atlas_private_key",
            "atlas private key",
        ),
        "MongoDB Atlas programmatic API private key (a UUID near an Atlas label).",
        "https://www.mongodb.com/docs/atlas/configure-api-access/",
        validator=_hex_token,
    ),
    # --- N ---------------------------------------------------------------------------------
    _prefixed(
        "mailersend_api_token",
        r"mlsn\.[a-f0-9]{64}",
        5,
        "MailerSend API token (mlsn. and 64 hex).",
        "https://developers.mailersend.com/general.html#api-authentication",
        validator=_hex_token,
    ),
    _prefixed(
        "netlify_access_token",
        r"nf[pcoub]_[A-Za-z0-9_]{36}",
        4,
        "Netlify personal, CLI, OAuth, app or build token (nfp_, nfc_, nfo_, nfu_, nfb_).",
        "https://answers.netlify.com/t/change-to-the-netlify-authentication-token-format/106146",
        validator=_opaque(3.5, 3),  # not an identifier such as nfc_reader_..._handler
    ),
    _labelled(
        "netlify_legacy_token",
        r"[A-Za-z0-9_-]{43,45}",
        ("netlify",),
        "Netlify legacy access token (43-45 characters near 'netlify').",
        "https://docs.netlify.com/api/get-started/#authentication",
        validator=_opaque(3.5),
    ),
    _prefixed(
        "new_relic_license_key",
        r"(?:[a-fA-F0-9]{36}|eu01xx[a-fA-F0-9]{30})NRAL",
        0,
        "New Relic ingest license key (40 characters ending in NRAL).",
        "https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/",
        validator=_hex_token,
    ),
    _labelled(
        "new_relic_legacy_license_key",
        r"[a-f0-9]{40}",
        ("new_relic", "newrelic", "new-relic", "new relic", "nr_license"),
        "New Relic legacy license key (40 hex near 'new relic').",
        "https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/",
        validator=_hex_token,
    ),
    _prefixed(
        "new_relic_insights_key",
        r"NRI[IQ]-[A-Za-z0-9_-]{25,32}",
        5,
        "New Relic Insights insert or query key (NRII-, NRIQ-).",
        "https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/",
        validator=_opaque(3.0),
    ),
    _prefixed(
        "new_relic_browser_key",
        r"NR(?:JS|BR)-[a-f0-9]{19}",
        5,
        "New Relic browser ingest key (in web pages: logged, never blocked).",
        "https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/",
        validator=_hex_token,
        confidence="pattern",
    ),
    _prefixed(
        "new_relic_mobile_token",
        r"(?:AA[a-f0-9]{40}|eu01xx[a-f0-9]{36})-NRMA",
        0,
        "New Relic mobile app token (in apps: logged, never blocked).",
        "https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/",
        validator=_hex_token,
        confidence="pattern",
    ),
    _labelled(
        "ngrok_authtoken",
        r"[12][A-Za-z0-9]{26}_\d[A-Za-z0-9]{20}",
        ("ngrok",),
        "ngrok agent authtoken or API key (near 'ngrok').",
        "https://ngrok.com/docs/agent/#authtokens",
        validator=_opaque(3.5, 3),
    ),
    _prefixed(
        "nightfall_api_key",
        r"NF-[A-Za-z0-9]{32}",
        3,
        "Nightfall AI API key (NF-).",
        "https://docs.nightfall.ai/docs/authentication-and-security",
        validator=_opaque(3.5, 3),
    ),
    Detector(
        "notion_legacy_token",
        "secret",
        r"secret_[A-Za-z0-9]{43}",
        _opaque(3.5, 3),
        confidence="validated",
        keep=(7, 0),
        boundary=TOKEN_CHARS,
        description="Notion legacy integration token (secret_ and 43 random letters and digits).",
        source="https://developers.notion.com/docs/authorization",
    ),
    _prefixed(
        "npmrc_auth_token",
        # `=` or the blank after the key is part of the prefilter's atom (`_password=`), so the
        # `_PASSWORD` of `${DB_PASSWORD}` and `_auth` of `_authenticate` select nothing
        r"(?m)(?:(?:^|:)_(?:authToken|auth|password)="
        r"|(?:^|:)_(?:authToken|auth|password)[ \t][ \t]*=)[ \t]*"
        r"[\"']?(?P<v>[A-Za-z0-9+/_=-]{16,512})[\"']?[ \t]*\r?$",
        0,
        "Registry credential in an .npmrc (_authToken, _auth, _password).",
        "https://docs.npmjs.com/cli/v10/configuring-npm/npmrc#auth-related-configuration",
        validator=random_token(3.0),
        boundary=frozenset(),
    ),
    _prefixed(
        "nuget_api_key",
        r"oy2[a-z0-9]{43}",
        3,
        "NuGet.org API key (oy2; base32 id of 'v4' and a 16-byte password).",
        "https://github.com/NuGet/NuGetGallery/blob/main/src/NuGetGallery.Services/Authentication/ApiKeyV4.cs",
        validator=random_token(3.0),
        checksum=_nuget_v4,
    ),
    Detector(
        "nuget_config_password",
        "secret",
        r"(?i)<add\s+key\s*=\s*\"(?:cleartext)?password\"\s+value\s*=\s*\"(?P<v>[^\"\s]{4,256})\"",
        _nuget_password,
        context=("cleartextpassword", "password", "packagesourcecredentials"),
        confidence="pattern",
        keep=(0, 0),
        description="Package source password in a NuGet.Config (ClearTextPassword or Password).",
        source="https://learn.microsoft.com/en-us/nuget/reference/nuget-config-file#packagesourcecredentials",
    ),
    _prefixed(
        "nvidia_api_key",
        r"nvapi-[A-Za-z0-9_-]{64}",
        6,
        "NVIDIA API catalog (NIM) API key (nvapi-).",
        "https://docs.api.nvidia.com/nim/docs/api-quickstart",
    ),
    _labelled(
        "nytimes_api_key",
        r"[A-Za-z0-9]{32}",
        ("nytimes", "newyorktimes", "new-york-times", "nyt_api"),
        "New York Times Developer API key (32 characters near 'nytimes').",
        "https://developer.nytimes.com/get-started",
        validator=_opaque(3.5, 3),
    ),
    # --- O ---------------------------------------------------------------------------------
    _prefixed(
        "octopus_deploy_api_key",
        r"API-[A-Z0-9]{25,32}",
        4,
        "Octopus Deploy API key (API- and upper-case letters and digits).",
        "https://octopus.com/docs/octopus-rest-api/how-to-create-an-api-key",
        validator=_octopus,
    ),
    _labelled(
        "okta_api_token",
        r"00[A-Za-z0-9_-]{40}",
        ("okta", "ssws", "oktatoken", "oktakey", "oktaapikey", "oktaapitoken", "oktaauth"),
        "Okta API token (00 and 40 characters near 'okta' or an SSWS header).",
        "https://developer.okta.com/docs/guides/create-an-api-token/main/",
        validator=_opaque(3.5),
    ),
    _prefixed(
        "onesignal_api_key",
        r"os_v2_(?:app|org)_[a-z2-7]{100,110}",
        10,
        "OneSignal app or organisation API key (os_v2_; embeds its UUID).",
        "https://documentation.onesignal.com/docs/keys-and-ids",
        validator=random_token(3.0),
        checksum=_onesignal_app,
    ),
    _labelled(
        "onesignal_legacy_api_key",
        r"[A-Za-z0-9+/]{48}",
        ("onesignal",),
        "OneSignal legacy REST API key (base64 of a UUID near 'onesignal').",
        "https://documentation.onesignal.com/docs/keys-and-ids",
        validator=_opaque(3.5),
        boundary=_B64_EDGE,
        checksum=_onesignal_legacy,
    ),
    _prefixed(
        "openrouter_api_key",
        r"sk-or-v1-[a-f0-9]{64}",
        9,
        "OpenRouter API key (sk-or-v1-).",
        "https://openrouter.ai/docs/api-reference/authentication",
        validator=_hex_token,
    ),
    _prefixed(
        "openshift_user_token",
        r"sha256~[A-Za-z0-9_-]{43}",
        7,
        "OpenShift OAuth user access token (sha256~).",
        "https://docs.openshift.com/container-platform/4.15/authentication/managing-oauth-access-tokens.html",
    ),
    _labelled(
        "opsgenie_api_key",
        _UUID,
        ("opsgenie", "geniekey", "genie_key"),
        "Opsgenie API key (a UUID near 'opsgenie' or a GenieKey header).",
        "https://support.atlassian.com/opsgenie/docs/api-key-management/",
        validator=_hex_token,
    ),
)
