"""Vendor credentials P to Z (Pinecone to Zoho), the Slack token family beyond bot tokens, Stripe's
key kinds, and private keys outside PEM's usual blocks (PuTTY, SSH2, WireGuard, other PEM types).

Three kinds of entry:
- a prefix only its issuer uses (`pscale_tkn_`, `sntryu_`, `rubygems_`, `xoxe.xoxp-`): the shape
  alone is `validated`;
- a structure the issuer documents that decodes (Sentry org tokens, Snyk PATs carry a JSON
  payload; WireGuard keys are 32 bytes): `validated` when it decodes, `low` when it does not;
- a bare shape (a UUID, 40 hex, 25 letters and digits) that is only this vendor's credential
  when a label names it (`SNYK_TOKEN=`, `twitter consumer secret`): `context_required`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from aigate.inspect.detectors.base import TOKEN_CHARS, Detector, entropy, is_placeholder

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_KINDS = ("token", "key", "secret", "api_key", "apikey", "api_token", "access_token", "auth_token")


# What people call any credential, whatever the vendor's own word is ("Plaid API key", "Vercel
# credentials", "Scaleway secret key"): always label words, next to the vendor's kinds.
_ANY_KIND = (
    "api_key",
    "api_token",
    "api_secret",
    "secret",
    "secret_key",
    "client_secret",
    "access_key",
    "access_token",
    "credentials",
    "token",
    "key",
)


def _labels(*names: str, kinds: tuple[str, ...] = _KINDS) -> tuple[str, ...]:
    """Label words for a vendor's key: `snyk_token`, `snyk-api-key`, `snyk token`, `snykkey`..."""
    out: list[str] = []
    for name in names:
        for kind in (*kinds, *_ANY_KIND):
            for sep in ("_", "-", " ", ""):
                word = f"{name}{sep}{kind.replace('_', sep)}"
                if word not in out:
                    out.append(word)
    return tuple(out)


def _random(min_entropy: float = 3.0, *, mixed: bool = False):
    """Not a placeholder, random enough, and (`mixed`) holding both letters and digits, which
    keeps a long word or a run of digits near a vendor label from being taken for its key."""

    def check(value: str) -> bool:
        if is_placeholder(value) or entropy(value) < min_entropy:
            return False
        return not mixed or (any(c.isdigit() for c in value) and any(c.isalpha() for c in value))

    return check


_token = _random(3.5)
_hex = _random(3.0)
_short = _random(2.8)
_labelled = _random(3.2, mixed=True)


def _both_cases(value: str) -> bool:
    """Mixed-case random letters and digits (a hex digest or commit has one case)."""
    return _labelled(value) and any(c.isupper() for c in value) and any(c.islower() for c in value)


def _b64json(part: str) -> dict | None:
    """A base64 (standard or URL-safe, padding optional) JSON object, or None."""
    part = part.replace("-", "+").replace("_", "/")
    try:
        raw = base64.b64decode(part + "=" * (-len(part) % 4), validate=True)
        data = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _sentry_org_token(value: str) -> bool:
    """`sntrys_` + base64 JSON naming the organisation and its URLs + `_` + the secret."""
    payload = value[len("sntrys_") :].rsplit("_", 1)[0]
    data = _b64json(payload)
    return data is not None and "iat" in data and ("org" in data or "url" in data)


def _snyk_pat(value: str) -> bool:
    """`snyk_uat.` / `snyk_sat.` + key id + base64url JSON claims (with the host) + signature."""
    parts = value.split(".")
    data = _b64json(parts[2]) if len(parts) == 4 else None
    return data is not None and "h" in data


_WG_LAST = frozenset("AEIMQUYcgkosw048")


def _wireguard_key(value: str) -> bool:
    """32 bytes in base64: 43 characters and `=`; the 43rd holds the last 2 bits and 4 zeros."""
    return len(value) == 44 and value[42] in _WG_LAST


_KNOWN_PEM = re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")


def _other_pem(value: str) -> bool:
    """A PEM private key of a type the PKCS#1/#8, EC, DSA and OpenSSH detectors do not name."""
    return _KNOWN_PEM.match(value) is None


def _twitter_bearer(value: str) -> bool:
    """What follows the bearer token's run of A's is URL-encoded random data."""
    return entropy(value) >= 4.0


# PEM body characters, including JSON-escaped newlines from a key file pasted raw.
_PEM_CH = r"(?:\\r|\\n|[A-Za-z0-9+/=\s])"
_PEM_HEADER = r"(?:[A-Za-z-]{2,20}:[^\n]{0,200}(?:\\n|\n))"


def _prefixed(
    detector_id: str,
    pattern: str,
    keep: int,
    description: str,
    source: str,
    validator=_token,
    confidence="validated",
) -> Detector:
    """A token whose prefix only its issuer uses."""
    return Detector(
        detector_id,
        "secret",
        pattern,
        validator,
        confidence=confidence,
        keep=(keep, 0),
        boundary=TOKEN_CHARS,
        description=description,
        source=source,
    )


def _slack(
    detector_id: str, pattern: str, description: str, source: str, keep: int = 5, validator=_token
) -> Detector:
    return _prefixed(detector_id, pattern, keep, description, source, validator=validator)


# A labelled shape whose characters no common identifier has (mixed-case random letters and
# digits, an unusual length) is labelled by the vendor's name alone; hex digests and UUIDs
# (commits, request ids) need the vendor's name joined to a credential word.
def _labelled_shape(
    detector_id: str,
    pattern: str,
    context: tuple[str, ...],
    description: str,
    source: str,
    validator=_labelled,
    window: int = 100,
) -> Detector:
    """A bare shape that is this vendor's credential only when a label names it."""
    return Detector(
        detector_id,
        "secret",
        pattern,
        validator,
        context=context,
        context_required=True,
        window=window,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description=description,
        source=source,
    )


_SLACK_TOKENS = "https://api.slack.com/authentication/token-types"
_TWITTER_CONTEXT = (
    "twitter",
    "tweepy",
    "consumer_key",
    "consumer_secret",
    "consumer key",
    "consumer secret",
    "access_token_secret",
    "access token secret",
    "x_api_key",
    "x_api_secret",
)

DETECTORS = (
    # --- Slack: the tokens beyond bot tokens (user, app-level, config, legacy, workflows) ---
    _slack(
        "slack_config_access_token",
        r"xoxe\.xox[bp]-\d-[A-Za-z0-9+/=_-]{140,200}",
        "Slack app configuration or rotating access token (xoxe.xoxp-, xoxe.xoxb-).",
        "https://api.slack.com/authentication/config-tokens",
        keep=10,
    ),
    _slack(
        "slack_config_refresh_token",
        r"xoxe-\d-[A-Za-z0-9+/=_-]{120,200}",
        "Slack configuration or token-rotation refresh token (xoxe-1-).",
        "https://api.slack.com/authentication/rotation",
    ),
    _slack(
        "slack_client_token",
        r"xoxc-\d{6,14}-\d{6,14}-\d{6,14}-[a-fA-F0-9]{64}",
        "Slack web-client session token (xoxc-, used with the browser's d cookie).",
        _SLACK_TOKENS,
        validator=_hex,
    ),
    _slack(
        "slack_legacy_token",
        r"xox[os]-\d{4,14}-\d{4,14}-\d{4,14}-[a-fA-F0-9]{10,64}",
        "Slack legacy user or test token (xoxs-, xoxo-).",
        "https://api.slack.com/legacy/custom-integrations/legacy-tokens",
        validator=_hex,
    ),
    _slack(
        "slack_workspace_token",
        r"xox[ar]-(?:\d-)?(?:\d{4,14}-\d{4,14}-\d{4,14}-[a-fA-F0-9]{16,64}|[A-Za-z0-9]{32,64})",
        "Slack workspace-app access or refresh token (xoxa-, xoxr-).",
        "https://api.slack.com/legacy/workspace-apps",
        validator=_hex,
    ),
    Detector(
        "slack_workflow_webhook",
        "secret",
        r"(?:https?://)?hooks\.slack(?:-gov)?\.com/(?:workflows/T[A-Z0-9]{6,12}/A[A-Z0-9]{6,12}"
        r"/\d{15,20}/[A-Za-z0-9]{20,40}|triggers/T[A-Z0-9]{6,12}/\d{10,20}/[A-Za-z0-9]{24,40})",
        confidence="validated",
        keep=(30, 0),
        description="Slack Workflow Builder webhook or webhook-trigger URL.",
        source="https://api.slack.com/automation/triggers/webhook",
    ),
    # --- Stripe: restricted, publishable, PaymentIntent / SetupIntent client secrets ---
    _prefixed(
        "stripe_restricted_key",
        r"rk_(?:live|test)_[A-Za-z0-9]{20,247}",
        8,
        "Stripe restricted API key.",
        "https://docs.stripe.com/keys#limit-access",
    ),
    _prefixed(
        "stripe_publishable_key",
        r"pk_(?:live|test)_[A-Za-z0-9]{20,247}",
        8,
        "Stripe publishable key (public by design: logged, not blocked).",
        "https://docs.stripe.com/keys",
        confidence="pattern",
    ),
    _prefixed(
        "stripe_client_secret",
        r"(?:pi|seti)_[A-Za-z0-9]{24}_secret_[A-Za-z0-9]{25}",
        3,
        "Stripe PaymentIntent or SetupIntent client secret.",
        "https://docs.stripe.com/api/payment_intents/object#payment_intent_object-client_secret",
    ),
    _prefixed(
        "paystack_secret_key",
        r"sk_(?:live|test)_[a-f0-9]{40}",
        8,
        "Paystack secret key.",
        "https://paystack.com/docs/api/authentication/",
        validator=_hex,
    ),
    # --- P ---
    _prefixed(
        "pinecone_api_key",
        r"pcsk_[A-Za-z0-9]{5,6}_[A-Za-z0-9]{60,70}",
        5,
        "Pinecone API key.",
        "https://docs.pinecone.io/guides/projects/manage-api-keys",
    ),
    _prefixed(
        "posthog_personal_api_key",
        r"phx_[A-Za-z0-9_]{43,48}",
        4,
        "PostHog personal API key.",
        "https://posthog.com/docs/api#private-endpoint-authentication",
    ),
    _labelled_shape(
        "pagerduty_api_key",
        r"u\+[A-Za-z0-9_+-]{18}|[A-Za-z0-9_+-]{20}",
        ("pagerduty", *_labels("pagerduty", "pager_duty", "pd")),
        "PagerDuty REST API key (with a label).",
        "https://support.pagerduty.com/main/docs/api-access-keys",
    ),
    _prefixed(
        "plaid_access_token",
        rf"access-(?:sandbox|development|production)-{_UUID}",
        15,
        "Plaid Item access token.",
        "https://plaid.com/docs/api/tokens/",
        validator=_hex,
    ),
    _labelled_shape(
        "plaid_secret",
        r"[a-f0-9]{30}",
        ("plaid", *_labels("plaid", kinds=("secret", "client_secret", "secret_key", "key"))),
        "Plaid API secret (30 hex characters, with a label).",
        "https://plaid.com/docs/api/#api-host",
        validator=_hex,
    ),
    _prefixed(
        "planetscale_password",
        r"pscale_pw_[A-Za-z0-9_.=-]{32,64}",
        10,
        "PlanetScale database password.",
        "https://planetscale.com/docs/concepts/connection-strings",
    ),
    _prefixed(
        "planetscale_api_token",
        r"pscale_tkn_[A-Za-z0-9_.=-]{32,64}",
        11,
        "PlanetScale service token.",
        "https://planetscale.com/docs/concepts/service-tokens",
    ),
    _prefixed(
        "planetscale_oauth_token",
        r"pscale_oauth_[A-Za-z0-9_.=-]{32,64}",
        13,
        "PlanetScale OAuth token.",
        "https://planetscale.com/docs/concepts/oauth",
    ),
    _labelled_shape(
        "postmark_server_token",
        _UUID,
        (
            "x-postmark-server-token",
            "x-postmark-account-token",
            *_labels("postmark", "postmark_server", "postmark_account"),
        ),
        "Postmark server or account API token (a UUID, with a label).",
        "https://postmarkapp.com/developer/api/overview#authentication",
        validator=_hex,
    ),
    _prefixed(
        "prefect_api_key",
        r"pn[ub]_[A-Za-z0-9]{36}",
        4,
        "Prefect Cloud user or service-account API key.",
        "https://docs.prefect.io/v3/manage/cloud/manage-users/api-keys",
    ),
    _labelled_shape(
        "privateai_api_key",
        r"[a-z0-9]{32}",
        _labels("private_ai", "privateai", "private-ai"),
        "Private AI API key (32 characters, with a label).",
        "https://docs.private-ai.com/",
    ),
    _prefixed(
        "pubnub_secret_key",
        r"sec-c-[A-Za-z0-9+/=]{40,64}",
        6,
        "PubNub secret key.",
        "https://www.pubnub.com/docs/general/setup/application-setup",
    ),
    _prefixed(
        "pubnub_publish_key",
        rf"pub-c-{_UUID}",
        6,
        "PubNub publish key (shipped in clients: logged, not blocked).",
        "https://www.pubnub.com/docs/general/setup/application-setup",
        validator=_hex,
        confidence="pattern",
    ),
    _prefixed(
        "pulumi_access_token",
        r"pul-[a-f0-9]{40}",
        4,
        "Pulumi Cloud access token.",
        "https://www.pulumi.com/docs/pulumi-cloud/access-management/access-tokens/",
        validator=_hex,
    ),
    _labelled_shape(
        "pusher_app_secret",
        r"[a-f0-9]{20}",
        _labels("pusher", "pusher_app", kinds=("secret", "app_secret", "key_secret")),
        "Pusher Channels app secret (with a label).",
        "https://pusher.com/docs/channels/library_auth_reference/rest-api/",
        validator=_short,
    ),
    # --- R ---
    _prefixed(
        "ramp_client_secret",
        r"ramp_sec_[A-Za-z0-9]{48}",
        9,
        "Ramp API client secret.",
        "https://docs.ramp.com/developer-api/v1/authorization",
    ),
    Detector(
        "rapidapi_key",
        "secret",
        r"[a-f0-9]{10}msh[a-f0-9]{15}p[a-f0-9]{6}jsn[a-f0-9]{12}",
        _hex,
        confidence="validated",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="RapidAPI application key (its msh...p...jsn layout).",
        source="https://docs.rapidapi.com/docs/keys-and-key-rotation",
    ),
    _prefixed(
        "razorpay_key_id",
        r"rzp_(?:live|test)_[A-Za-z0-9]{14}",
        9,
        "Razorpay key id (pairs with the key secret: logged, not blocked).",
        "https://razorpay.com/docs/api/authentication/",
        validator=_short,
        confidence="pattern",
    ),
    _labelled_shape(
        "razorpay_key_secret",
        r"[A-Za-z0-9]{24}",
        ("razorpay", *_labels("razorpay", "rzp", kinds=("secret", "key_secret", "secret_key"))),
        "Razorpay key secret (24 characters, with a label).",
        "https://razorpay.com/docs/api/authentication/",
        validator=_both_cases,
    ),
    _prefixed(
        "readme_api_key",
        r"rdme_[a-z0-9]{70}",
        5,
        "ReadMe API key.",
        "https://docs.readme.com/main/reference/intro/authentication",
    ),
    _prefixed(
        "render_api_key",
        r"rnd_[A-Za-z0-9]{28,40}",
        4,
        "Render API key.",
        "https://render.com/docs/api#1-create-an-api-key",
    ),
    _prefixed(
        "resend_api_key",
        r"re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}",
        3,
        "Resend API key.",
        "https://resend.com/docs/dashboard/api-keys/introduction",
    ),
    _prefixed(
        "robinhood_crypto_api_key",
        rf"rh-api-{_UUID}",
        7,
        "Robinhood Crypto trading API key.",
        "https://docs.robinhood.com/crypto/trading/#section/Authentication",
        validator=_hex,
    ),
    _prefixed(
        "rootly_api_key",
        r"rootly_[a-f0-9]{64}",
        7,
        "Rootly API key.",
        "https://docs.rootly.com/api-reference/overview",
        validator=_hex,
    ),
    _prefixed(
        "rubygems_api_key",
        r"rubygems_[a-f0-9]{48}",
        9,
        "RubyGems.org API key.",
        "https://guides.rubygems.org/api-key-scopes/",
        validator=_hex,
    ),
    # --- S ---
    _prefixed(
        "salad_cloud_api_key",
        r"salad_cloud_[A-Za-z0-9]{1,7}_[A-Za-z0-9]{20,235}",
        12,
        "SaladCloud API key.",
        "https://docs.salad.com/reference/api-usage",
    ),
    _prefixed(
        "salesforce_access_token",
        r"00D[A-Za-z0-9]{12,15}![A-Za-z0-9_.]{80,140}",
        3,
        "Salesforce session id or OAuth access token (org id, '!', token).",
        "https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flows.htm",
    ),
    _prefixed(
        "salesforce_refresh_token",
        r"5Aep861[A-Za-z0-9._=]{80,120}",
        7,
        "Salesforce OAuth refresh token.",
        "https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm",
    ),
    _prefixed(
        "scalingo_api_token",
        r"tk-us-[A-Za-z0-9_-]{48}",
        6,
        "Scalingo API token.",
        "https://developers.scalingo.com/#authentication",
    ),
    _prefixed(
        "scaleway_access_key",
        r"SCW[A-Z0-9]{17}",
        3,
        "Scaleway API access key id (pairs with the secret key: logged, not blocked).",
        "https://www.scaleway.com/en/docs/iam/concepts/#api-key",
        validator=_short,
        confidence="pattern",
    ),
    _labelled_shape(
        "scaleway_secret_key",
        _UUID,
        ("scw_secret_key", *_labels("scaleway", kinds=("secret", "secret_key", "token"))),
        "Scaleway API secret key (a UUID, with a label).",
        "https://www.scaleway.com/en/docs/iam/concepts/#api-key",
        validator=_hex,
    ),
    _labelled_shape(
        "sendbird_api_token",
        r"[a-f0-9]{40}",
        _labels("sendbird", kinds=("token", "api_token", "api_key", "master_token", "key")),
        "Sendbird API token (40 hex characters, with a label).",
        "https://sendbird.com/docs/chat/platform-api/v3/prepare-to-use-api",
        validator=_hex,
    ),
    _prefixed(
        "sendinblue_api_key",
        r"xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}",
        8,
        "Brevo (Sendinblue) API key.",
        "https://developers.brevo.com/docs/getting-started",
    ),
    _prefixed(
        "sendinblue_smtp_key",
        r"xsmtpsib-[a-f0-9]{64}-[A-Za-z0-9]{16}",
        9,
        "Brevo (Sendinblue) SMTP key.",
        "https://help.brevo.com/hc/en-us/articles/7959631848850",
    ),
    _prefixed(
        "sentry_user_token",
        r"sntryu_[a-f0-9]{64}",
        7,
        "Sentry user auth token.",
        "https://docs.sentry.io/account/auth-tokens/",
        validator=_hex,
    ),
    Detector(
        "sentry_org_token",
        "secret",
        r"sntrys_eyJ[A-Za-z0-9+/]{20,400}={0,2}_[A-Za-z0-9+/]{43}",
        checksum=_sentry_org_token,
        keep=(7, 0),
        boundary=TOKEN_CHARS,
        description="Sentry organization auth token (its JSON payload must decode).",
        source="https://docs.sentry.io/account/auth-tokens/#organization-auth-tokens",
    ),
    _labelled_shape(
        "sentry_auth_token",
        r"[a-f0-9]{64}",
        ("sentry_auth_token", "sentry-auth-token", "sentry auth token", *_labels("sentry")),
        "Sentry auth token, older format (64 hex characters, with a label).",
        "https://docs.sentry.io/account/auth-tokens/",
        validator=_hex,
    ),
    _prefixed(
        "settlemint_token",
        r"sm_(?:pat|aat|sat)_[A-Za-z0-9]{16}",
        7,
        "SettleMint personal, application or service access token.",
        "https://console.settlemint.com/documentation/platform-components/security-and-authentication/personal-access-tokens",
        validator=_short,
    ),
    _prefixed(
        "shippo_api_token",
        r"shippo_(?:live|test)_[a-fA-F0-9]{40}",
        12,
        "Shippo API token.",
        "https://docs.goshippo.com/docs/guides_general/authentication/",
        validator=_hex,
    ),
    Detector(
        "sidekiq_secret",
        "secret",
        r"BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM[\"']?\s*[:=]\s*[\"']?(?P<v>[a-f0-9]{8}:[a-f0-9]{8})",
        _short,
        confidence="validated",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Sidekiq Pro/Enterprise gem-server credentials (Bundler setting).",
        source="https://github.com/sidekiq/sidekiq/wiki/Pro-Installation",
    ),
    Detector(
        "sidekiq_url",
        "secret",
        r"https?://(?P<v>[a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\.contribsys\.com",
        _short,
        confidence="validated",
        keep=(0, 0),
        description="Sidekiq Pro/Enterprise gem-server URL with credentials.",
        source="https://github.com/sidekiq/sidekiq/wiki/Pro-Installation",
    ),
    _labelled_shape(
        "snyk_api_token",
        _UUID,
        _labels("snyk", kinds=("token", "api_token", "api_key", "auth_token", "key", "auth")),
        "Snyk API token, classic format (a UUID, with a label).",
        "https://docs.snyk.io/developer-tools/snyk-api/authentication-for-api",
        validator=_hex,
    ),
    Detector(
        "snyk_pat",
        "secret",
        r"snyk_(?:uat|sat)\.[a-z0-9]{8}\.[A-Za-z0-9_-]{20,600}\.[A-Za-z0-9_-]{16,200}",
        checksum=_snyk_pat,
        keep=(9, 0),
        boundary=TOKEN_CHARS,
        description="Snyk personal or service-account access token (its claims must decode).",
        source="https://docs.snyk.io/developer-tools/snyk-api/authentication-for-api",
    ),
    _prefixed(
        "sonarqube_token",
        r"sq[upa]_[a-f0-9]{40}",
        4,
        "SonarQube user, project-analysis or global-analysis token.",
        "https://docs.sonarsource.com/sonarqube-server/latest/user-guide/managing-tokens/",
        validator=_hex,
    ),
    _labelled_shape(
        "sonar_legacy_token",
        r"[a-f0-9]{40}",
        (
            "sonar.login",
            "sonar.token",
            "-dsonar.login",
            "-dsonar.token",
            *_labels("sonar", "sonarqube", "sonarcloud", kinds=("token", "login")),
        ),
        "SonarQube / SonarCloud token without a prefix (40 hex characters, with a label).",
        "https://docs.sonarsource.com/sonarqube-cloud/managing-your-account/managing-tokens/",
        validator=_hex,
    ),
    _prefixed(
        "sourcegraph_access_token",
        r"sgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40}",
        4,
        "Sourcegraph access token.",
        "https://sourcegraph.com/docs/cli/how-tos/creating_an_access_token",
        validator=_hex,
    ),
    _prefixed(
        "square_oauth_secret",
        r"(?:sandbox-)?sq0cs[pb]-[A-Za-z0-9_-]{43}",
        7,
        "Square application (OAuth) secret.",
        "https://developer.squareup.com/docs/oauth-api/overview",
    ),
    _labelled_shape(
        "squarespace_api_key",
        _UUID,
        _labels("squarespace"),
        "Squarespace API key (a UUID, with a label).",
        "https://developers.squarespace.com/commerce-apis/authentication-and-permissions",
        validator=_hex,
    ),
    _labelled_shape(
        "sumologic_access_id",
        r"su[A-Za-z0-9]{12}",
        ("sumologic", "sumo_access_id", "sumo access id", "sumo_id", "sumo_accessid"),
        "Sumo Logic access id (with a label).",
        "https://help.sumologic.com/docs/manage/security/access-keys/",
        validator=_short,
    ),
    _labelled_shape(
        "sumologic_access_key",
        r"[A-Za-z0-9]{64}",
        ("sumologic", "sumo_access_key", "sumo access key", "sumo_key", "sumo_accesskey"),
        "Sumo Logic access key (64 characters, with a label).",
        "https://help.sumologic.com/docs/manage/security/access-keys/",
    ),
    _prefixed(
        "supabase_access_token",
        r"sbp_(?:oauth_)?[a-f0-9]{40}",
        4,
        "Supabase Management API personal access token.",
        "https://supabase.com/docs/reference/api/introduction",
        validator=_hex,
    ),
    _prefixed(
        "supabase_secret_key",
        r"sb_secret_[A-Za-z0-9_-]{20,80}",
        10,
        "Supabase secret API key (bypasses row-level security).",
        "https://supabase.com/docs/guides/api/api-keys",
    ),
    _labelled_shape(
        "softlayer_api_key",
        r"(?:https?://api\.softlayer\.com/soap/v3(?:\.1)?/)?(?P<v>[a-z0-9]{64})",
        ("softlayer", *_labels("sl", kinds=("api_key", "apikey", "key", "password", "token"))),
        "IBM Cloud classic (SoftLayer) API key (with a label or in its API URL).",
        "https://cloud.ibm.com/docs/account?topic=account-classic_keys",
    ),
    # --- T ---
    _prefixed(
        "tailscale_key",
        r"tskey-[a-z]{3,8}-[A-Za-z0-9]{8,24}-[A-Za-z0-9]{24,64}",
        11,
        "Tailscale auth key, API access token or OAuth client secret.",
        "https://tailscale.com/kb/1085/auth-keys",
    ),
    _labelled_shape(
        "telnyx_api_key",
        r"KEY[0-9A-Za-z_-]{55}",
        ("telnyx",),
        "Telnyx API v2 key (with a label).",
        "https://developers.telnyx.com/docs/overview",
    ),
    Detector(
        "tines_webhook",
        "secret",
        r"https://[A-Za-z0-9-]+\.tines\.com/webhook/[a-z0-9]{32}/[a-z0-9]{32}",
        confidence="validated",
        keep=(8, 0),
        description="Tines webhook URL with its secret.",
        source="https://www.tines.com/docs/actions/types/webhook/",
    ),
    _labelled_shape(
        "travisci_token",
        r"[A-Za-z0-9_-]{22}",
        ("travis", "travis_token", "travis-token", "travis_api_token"),
        "Travis CI API token (with a label).",
        "https://developer.travis-ci.com/authentication",
    ),
    _prefixed(
        "trello_token",
        r"ATTA[a-fA-F0-9]{64,72}",
        4,
        "Trello API token.",
        "https://developer.atlassian.com/cloud/trello/guides/rest-api/api-introduction/",
        validator=_hex,
    ),
    _labelled_shape(
        "trello_api_key",
        r"[a-f0-9]{32}|[a-f0-9]{64}",
        ("api.trello.com", *_labels("trello")),
        "Trello API key or legacy token (hex, with a label).",
        "https://developer.atlassian.com/cloud/trello/guides/rest-api/api-introduction/",
        validator=_hex,
    ),
    _labelled_shape(
        "twitch_token",
        r"(?:oauth:)?[a-z0-9]{30}",
        ("twitch",),
        "Twitch client secret, OAuth or chat token (30 characters, with a label).",
        "https://dev.twitch.tv/docs/authentication/",
    ),
    Detector(
        "twitter_bearer_token",
        "secret",
        # the value is what follows the constant run of A's (a run no placeholder filter accepts)
        r"AAAAAAAAAAAAAAAAAAAA+(?P<v>[B-Za-z0-9%+/=][A-Za-z0-9%+/=]{59,139})",
        _twitter_bearer,
        confidence="validated",
        keep=(0, 0),
        description="Twitter / X app-only bearer token.",
        source="https://developer.x.com/en/docs/authentication/oauth-2-0/bearer-tokens",
    ),
    _labelled_shape(
        "twitter_api_key",
        r"[A-Za-z0-9]{25}",
        _TWITTER_CONTEXT,
        "Twitter / X API (consumer) key (25 characters, with a label).",
        "https://developer.x.com/en/docs/authentication/oauth-1-0a/api-key-and-secret",
    ),
    _labelled_shape(
        "twitter_api_secret",
        r"[A-Za-z0-9]{50}",
        _TWITTER_CONTEXT,
        "Twitter / X API (consumer) secret (50 characters, with a label).",
        "https://developer.x.com/en/docs/authentication/oauth-1-0a/api-key-and-secret",
    ),
    _labelled_shape(
        "twitter_access_token",
        r"\d{6,25}-[A-Za-z0-9]{20,40}",
        _TWITTER_CONTEXT,
        "Twitter / X OAuth 1.0a user access token (user id, '-', token; with a label).",
        "https://developer.x.com/en/docs/authentication/oauth-1-0a/obtaining-user-access-tokens",
    ),
    _labelled_shape(
        "twitter_access_secret",
        r"[A-Za-z0-9]{45}",
        _TWITTER_CONTEXT,
        "Twitter / X OAuth 1.0a access token secret (45 characters, with a label).",
        "https://developer.x.com/en/docs/authentication/oauth-1-0a/obtaining-user-access-tokens",
    ),
    _prefixed(
        "typeform_token",
        r"tfp_[A-Za-z0-9_.=-]{40,64}",
        4,
        "Typeform personal access token.",
        "https://www.typeform.com/developers/get-started/personal-access-token/",
    ),
    _prefixed(
        "tavily_api_key",
        r"tvly-(?:dev-|prod-)?[A-Za-z0-9]{32}",
        5,
        "Tavily search API key (tvly-, tvly-dev-, tvly-prod-).",
        "https://docs.tavily.com/documentation/quickstart",
        validator=_random(3.5, mixed=True),
    ),
    _prefixed(
        "tencent_cloud_secret_id",
        r"AKID[A-Za-z0-9]{32}",
        4,
        "Tencent Cloud API SecretId (AKID + 32 characters).",
        "https://www.tencentcloud.com/document/product/598/34228",
        validator=_random(3.5, mixed=True),
    ),
    _labelled_shape(
        "tencent_cloud_secret_key",
        r"[A-Za-z0-9]{32}",
        (
            "tencent",
            "tencentcloud",
            "qcloud",
            "secretkey",
            "secret_key",
            "tccli",
            *_labels("tencent", kinds=("secret", "secret_key", "key")),
        ),
        "Tencent Cloud API SecretKey (32 characters, next to 'tencent' or a SecretId).",
        "https://www.tencentcloud.com/document/product/598/34228",
    ),
    _prefixed(
        "together_api_key",
        r"tgp_v1_[A-Za-z0-9_-]{43}",
        7,
        "Together AI API key (tgp_v1_).",
        "https://docs.together.ai/reference/authentication-1",
        validator=_random(3.5, mixed=True),
    ),
    # --- U to Z ---
    _prefixed(
        "ubidots_token",
        r"BBFF-[A-Za-z0-9]{30}",
        5,
        "Ubidots API token.",
        "https://docs.ubidots.com/reference/authentication",
    ),
    _prefixed(
        "vercel_token",
        r"vc[pikar]_[A-Za-z0-9_-]{24,80}",
        4,
        "Vercel access token, integration token, app token or API key (prefixed formats).",
        "https://vercel.com/changelog/new-token-formats-and-secret-scanning",
    ),
    _labelled_shape(
        "vercel_legacy_token",
        r"[A-Za-z0-9]{24}",
        ("vercel", *_labels("vercel", kinds=("token", "access_token", "api_token", "auth_token"))),
        "Vercel access token, older unprefixed format (24 characters, with a label).",
        "https://vercel.com/docs/rest-api#creating-an-access-token",
        validator=_both_cases,
    ),
    _prefixed(
        "voiceflow_api_key",
        r"VF\.(?:(?:DM|WS)\.)?[a-fA-F0-9]{24}\.[A-Za-z0-9]{16}",
        6,
        "Voiceflow Dialog Manager or workspace API key.",
        "https://docs.voiceflow.com/reference/authentication",
    ),
    _labelled_shape(
        "vultr_api_key",
        r"[A-Z0-9]{36}",
        ("vultr", *_labels("vultr")),
        "Vultr API key (36 characters, with a label).",
        "https://www.vultr.com/api/#section/Authentication",
    ),
    _prefixed(
        "wandb_api_key",
        r"wandb_v1_[A-Za-z0-9]{27}_[A-Za-z0-9]{40,60}",
        9,
        "Weights & Biases API key.",
        "https://docs.wandb.ai/support/find_api_key/",
    ),
    _labelled_shape(
        "wandb_legacy_api_key",
        r"[a-f0-9]{40}",
        ("wandb.login", "api.wandb.ai", *_labels("wandb", kinds=("api_key", "key", "token"))),
        "Weights & Biases API key, unprefixed format (40 hex characters, with a label).",
        "https://docs.wandb.ai/support/find_api_key/",
        validator=_hex,
    ),
    _prefixed(
        "yandex_api_key",
        r"AQVN[A-Za-z0-9_-]{35,38}",
        4,
        "Yandex Cloud API key.",
        "https://yandex.cloud/en/docs/iam/concepts/authorization/api-key",
    ),
    _prefixed(
        "yandex_iam_token",
        r"t1\.[A-Za-z0-9_-]{20,}={0,2}\.[A-Za-z0-9_-]{86}={0,2}",
        3,
        "Yandex Cloud IAM token.",
        "https://yandex.cloud/en/docs/iam/concepts/authorization/iam-token",
    ),
    _prefixed(
        "yandex_oauth_token",
        r"y[0-3]_Ag[A-Za-z0-9_-]{50,60}",
        5,
        "Yandex OAuth token.",
        "https://yandex.com/dev/id/doc/en/tokens/token-types",
    ),
    _labelled_shape(
        "yandex_static_key_secret",
        r"YC[A-Za-z0-9_-]{38}",
        ("yandex", "yandexcloud", "yc_", "yc-", "storage.yandexcloud"),
        "Yandex Cloud static access key secret (with a label).",
        "https://yandex.cloud/en/docs/iam/concepts/authorization/access-key",
    ),
    Detector(
        "zapier_webhook",
        "secret",
        r"https://hooks\.zapier\.com/hooks/catch/\d{5,12}/[A-Za-z0-9]{5,12}/?",
        confidence="validated",
        keep=(36, 0),
        description="Zapier catch-hook webhook URL.",
        source="https://help.zapier.com/hc/en-us/articles/8496288690317-Trigger-Zaps-from-webhooks",
    ),
    _labelled_shape(
        "zendesk_api_token",
        r"[A-Za-z0-9]{40}",
        ("zendesk", "zd_token", *_labels("zendesk")),
        "Zendesk API token (40 characters, with a label).",
        "https://developer.zendesk.com/api-reference/introduction/security-and-auth/",
        validator=_both_cases,
    ),
    _prefixed(
        "zoho_oauth_token",
        r"1000\.[a-f0-9]{32}\.[a-f0-9]{32}",
        5,
        "Zoho OAuth access or refresh token.",
        "https://www.zoho.com/crm/developer/docs/api/v8/oauth-overview.html",
        validator=_hex,
    ),
    # --- Private keys outside the PEM blocks of secrets_keys ---
    Detector(
        "private_key_pem_other",
        "secret",
        rf"-----BEGIN (?:[A-Z0-9]+ ){{1,3}}PRIVATE KEY-----{_PEM_CH}*{_PEM_HEADER}*"
        rf"{_PEM_CH}{{64}}{_PEM_CH}*(?:-----END (?:[A-Z0-9]+ ){{1,3}}PRIVATE KEY-----)?",
        _other_pem,
        confidence="validated",
        keep=(0, 0),
        description="PEM private key of another type (ANY, ED25519, X25519, TSS2, SM2, ...).",
        source="https://www.rfc-editor.org/rfc/rfc7468",
    ),
    Detector(
        "private_key_ssh2",
        "secret",
        r"---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----(?:\\r|\\n|\s)+"
        r"(?:[A-Za-z-]{2,20}:[^\n]{0,200}(?:\\n|\n))*(?:\\r|\\n|[A-Za-z0-9+/=\s]){64,}"
        r"(?:---- END SSH2 ENCRYPTED PRIVATE KEY ----)?",
        confidence="validated",
        keep=(0, 0),
        description="SSH2 (ssh.com / Tectia) private key.",
        source="https://www.rfc-editor.org/rfc/rfc4716",
    ),
    Detector(
        "private_key_putty",
        "secret",
        # the private blob: base64 lines (the first at least 40 characters) under its header
        r"Private-Lines: ?\d{1,3}(?:\\r\\n|\\n|\r?\n)[A-Za-z0-9+/=]{40,64}(?:(?:\\r\\n|\\n|\r?\n)"
        r"(?:Private-MAC: ?[a-fA-F0-9]{40,64}|[A-Za-z0-9+/=]{4,64}))*",
        confidence="validated",
        keep=(0, 0),
        description="PuTTY private key (.ppk): its Private-Lines block.",
        source="https://the.earth.li/~sgtatham/putty/0.81/htmldoc/AppendixC.html",
    ),
    Detector(
        "wireguard_private_key",
        "secret",
        r"(?:PrivateKey|PresharedKey|private_key|preshared_key)[\"']?\s*[=:]\s*[\"']?"
        r"(?P<v>[A-Za-z0-9+/]{43}=)",
        checksum=_wireguard_key,
        keep=(0, 0),
        description="WireGuard private or preshared key (32 bytes in base64).",
        source="https://www.wireguard.com/quickstart/#key-generation",
    ),
)
