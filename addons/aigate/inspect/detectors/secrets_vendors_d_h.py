"""Vendor credentials, vendors D to H: Databricks OAuth, DataStax, DeepSeek, Defined
Networking, Deno, Discord, Django, Doppler, dotenv, Drone, Dropbox, Duffel, Dynatrace, EasyPost,
ElevenLabs, Etsy, Facebook, Fastly, Figma, Finicity, Finnhub, Firebase, Flickr, Flutterwave,
Fly.io, Frame.io, Freemius, FreshBooks, Google Cloud, GitHub, GitLab (routable tokens with their
CRC32), Gitter, GoCardless, Grafana (service-account CRC32), Harness, Terraform Cloud, Heroku,
Hetzner, Honeycomb and HubSpot.

The older entries of these vendors (GitHub and GitLab tokens, DigitalOcean, Heroku `HRKU-`,
Databricks `dapi`, Google API keys, Vault, Hugging Face, Groq, Datadog, Discord webhooks) live in
the family modules (`secrets_code`, `secrets_cloud`, `secrets_ai`, `secrets_saas`).

A shape without a vendor prefix (32 hex characters, a UUID) is only a finding next to its vendor's
name (`context_required`); a prefix only its issuer uses, in its documented length and alphabet,
is `validated`; issuers' checksums (GitLab's and Grafana's CRC32, the Discord bot id) decide
between `validated` and `low`."""

from __future__ import annotations

import base64
import binascii
import json
import zlib

from aigate.inspect.detectors.base import (
    BASE64_CHARS,
    TOKEN_CHARS,
    Detector,
    entropy,
    is_placeholder,
    random_token,
)

_token = random_token(3.5)
_hex_token = random_token(3.0)
_B64_TOKEN = TOKEN_CHARS | {"+", "/"}  # "=" may precede a value (KEY=value)
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _mixed(min_entropy: float = 3.0):
    """A validator for label-anchored shapes: random-looking, with both letters and digits (so
    a long word or a run of digits next to the vendor's name is not taken for its key)."""

    def check(value: str) -> bool:
        return (
            not is_placeholder(value)
            and entropy(value) >= min_entropy
            and any(c.isdigit() for c in value)
            and any(c.isalpha() for c in value)
        )

    return check


def _base36(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = _B36[r] + out
    return out.rjust(width, "0")


def _gitlab_routable_crc(value: str) -> bool:
    """GitLab routable tokens end in the base-36 CRC32 (7 characters) of everything before it:
    `<prefix><base64 payload>.<version>.<payload length><crc>`."""
    return _base36(zlib.crc32(value[:-7].encode()), 7) == value[-7:]


def _grafana_sa_crc(value: str) -> bool:
    """Grafana service-account tokens `glsa_<secret>_<crc>`: the CRC32 of `glsa_<secret>`,
    its four bytes little-endian, in hex."""
    key, _, crc = value.rpartition("_")
    return zlib.crc32(key.encode()).to_bytes(4, "little").hex() == crc.lower()


def _b64_json(value: str, keys: tuple[str, ...]) -> bool:
    padded = value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        data = json.loads(raw)
    except (ValueError, binascii.Error):
        return False
    return isinstance(data, dict) and all(isinstance(data.get(k), str | int) for k in keys)


def _grafana_api_key(value: str) -> bool:
    """Legacy Grafana API keys are base64 JSON `{"k": key, "n": name, "id": org}`."""
    return _b64_json(value, ("k", "n"))


def _grafana_cloud(value: str) -> bool:
    """Grafana Cloud access-policy tokens are `glc_` + base64 JSON `{"o": org, "n": name,
    "k": key, ...}`."""
    return _b64_json(value[4:], ("o", "k"))


_DISCORD_EPOCH_MS = 1_420_070_400_000  # 2015-01-01, the start of Discord's snowflake clock
_YEAR_2040_MS = 2_208_988_800_000


def _discord_bot_id(value: str) -> bool:
    """A bot token's first part is the bot's user id (a snowflake) in base64: 17 to 20 digits
    whose top bits are a time after Discord's epoch."""
    first = value.split(".", 1)[0]
    try:
        raw = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4))
    except (ValueError, binascii.Error):
        return False
    if not (17 <= len(raw) <= 20 and raw.isdigit()):
        return False
    created = (int(raw) >> 22) + _DISCORD_EPOCH_MS
    return _DISCORD_EPOCH_MS < created < _YEAR_2040_MS


def _gcp_hmac_id(value: str) -> bool:
    return sum(c.isdigit() for c in value) >= 2 and not is_placeholder(value)


def _facebook(value: str) -> bool:
    has = [any(f(c) for c in value) for f in (str.islower, str.isupper, str.isdigit)]
    return all(has) and random_token(4.0)(value)


DETECTORS = (
    # --- D ---------------------------------------------------------------------------------
    Detector(
        "databricks_oauth_secret",
        "secret",
        r"dose[a-f0-9]{32}",
        _hex_token,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Databricks service-principal OAuth secret (`dose` + 32 hex).",
        source="https://docs.databricks.com/aws/en/dev-tools/auth/oauth-m2m",
    ),
    Detector(
        "datastax_astra_token",
        "secret",
        r"AstraCS:[A-Za-z0-9]{24}:[a-f0-9]{64}",
        _token,
        confidence="validated",
        keep=(8, 0),
        boundary=TOKEN_CHARS,
        description="DataStax Astra application token (`AstraCS:`).",
        source="https://docs.datastax.com/en/astra-db-serverless/administration/manage-application-tokens.html",
    ),
    Detector(
        "defined_networking_api_token",
        "secret",
        r"dnkey-[A-Za-z0-9=_-]{26}-[A-Za-z0-9=_-]{52}",
        _token,
        confidence="validated",
        keep=(6, 0),
        boundary=TOKEN_CHARS,
        description="Defined Networking (Managed Nebula) API key (`dnkey-`).",
        source="https://docs.defined.net/api/",
    ),
    Detector(
        "deno_deploy_token",
        "secret",
        r"dd[pow]_[A-Za-z0-9]{36}",
        _token,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Deno Deploy personal or organization access token (`ddp_`, `ddo_`).",
        source="https://api.deno.com/v2/docs",
    ),
    Detector(
        "deepseek_api_key",
        "secret",
        r"sk-[a-f0-9]{32}",
        _hex_token,
        context=("deepseek",),
        context_required=True,
        confidence="pattern",
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="DeepSeek API key (`sk-` + 32 hex, next to 'deepseek').",
        source="https://api-docs.deepseek.com/",
    ),
    Detector(
        "discord_bot_token",
        "secret",
        r"[MNO][A-Za-z0-9_-]{22,26}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}",
        checksum=_discord_bot_id,
        context=("discord", "bot "),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Discord bot token (its first part must decode to a bot id).",
        source="https://discord.com/developers/docs/reference#authentication",
    ),
    Detector(
        "discord_client_secret",
        "secret",
        r"(?i:client[_ -]?secret)[\"'\s:=]{1,5}(?P<v>[A-Za-z0-9_-]{32})",
        _mixed(3.5),
        context=("discord",),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Discord OAuth2 application client secret (labelled, near 'discord').",
        source="https://discord.com/developers/docs/topics/oauth2",
    ),
    Detector(
        "django_insecure_secret_key",
        "secret",
        r"django-insecure-[a-z0-9!@#$%^&*(\-_=+)]{50}",
        random_token(3.5),
        confidence="validated",
        keep=(16, 0),
        boundary=TOKEN_CHARS,
        description="Django SECRET_KEY generated by startproject (`django-insecure-`).",
        source="https://docs.djangoproject.com/en/stable/ref/settings/#secret-key",
    ),
    Detector(
        "doppler_token",
        "secret",
        r"dp\.(?:pt|ct|sa|said|scim|audit)\.[A-Za-z0-9]{40,44}"
        r"|dp\.st\.(?:[a-z0-9_-]{2,35}\.)?[A-Za-z0-9]{40,44}",
        _token,
        confidence="validated",
        keep=(6, 0),
        boundary=TOKEN_CHARS,
        description="Doppler personal, CLI, service, service-account, SCIM or audit token.",
        source="https://docs.doppler.com/docs/Auth-token-formats",
    ),
    Detector(
        "dotenv_vault_key",
        "secret",
        r"(?P<v>dotenv://:key_[a-f0-9]{64})@dotenv\.(?:org|local)/vault/",
        confidence="validated",
        keep=(14, 0),
        description="dotenv-vault decryption key (DOTENV_KEY URI).",
        source="https://www.dotenv.org/docs/security/dotenv-key",
    ),
    Detector(
        "drone_ci_token",
        "secret",
        r"[A-Za-z0-9]{32}",
        _mixed(3.5),
        context=("drone_token", "drone-token", "droneci", "drone ci", "drone_server"),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Drone CI personal token (32 characters next to DRONE_TOKEN).",
        source="https://docs.drone.io/cli/setup/",
    ),
    Detector(
        "dropbox_short_lived_token",
        "secret",
        r"sl\.(?:u\.)?[A-Za-z0-9_=-]{130,}",
        random_token(4.5),
        confidence="validated",
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="Dropbox short-lived OAuth access token (`sl.` + 130 or more characters).",
        source="https://developers.dropbox.com/oauth-guide",
    ),
    Detector(
        "dropbox_long_lived_token",
        "secret",
        # The value is the 43-character secret tail: the run of ten `A`s in the middle would make
        # the whole token look typed (a placeholder) to the engine. The token's own ends are
        # checked in the pattern, since `boundary` sees only the value.
        r"(?:^|[^A-Za-z0-9_=-])[A-Za-z0-9]{11}AAAAAAAAAA(?P<v>[A-Za-z0-9_=-]{43})(?:[^A-Za-z0-9_=-]|$)",
        _token,
        context=("dropbox",),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        description="Dropbox legacy long-lived access token (near 'dropbox').",
        source="https://developers.dropbox.com/oauth-guide",
    ),
    Detector(
        "dropbox_app_secret",
        "secret",
        r"(?i:app[_ -]?(?:key|secret))[\"'\s:=]{1,5}(?P<v>[a-z0-9]{15})",
        _mixed(3.0),
        context=("dropbox",),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Dropbox app key or secret (15 characters, labelled, near 'dropbox').",
        source="https://developers.dropbox.com/oauth-guide",
    ),
    Detector(
        "duffel_api_token",
        "secret",
        r"duffel_(?:test|live)_[A-Za-z0-9_-]{43}",
        _token,
        confidence="validated",
        keep=(12, 0),
        boundary=TOKEN_CHARS,
        description="Duffel test or live access token.",
        source="https://duffel.com/docs/api/overview/making-requests/authentication",
    ),
    Detector(
        "dynatrace_token",
        "secret",
        r"dt0[a-z][0-9]{2}\.[A-Z0-9]{24}\.[A-Z0-9]{64}",
        _token,
        confidence="validated",
        keep=(6, 0),
        boundary=TOKEN_CHARS,
        description="Dynatrace API, platform or OAuth token (`dt0c01.` public.secret).",
        source="https://docs.dynatrace.com/docs/dynatrace-api/basics/dynatrace-api-authentication",
    ),
    # --- E ---------------------------------------------------------------------------------
    Detector(
        "easypost_api_key",
        "secret",
        r"EZ[AT]K[A-Za-z0-9]{54}",
        _token,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="EasyPost production or test API key (`EZAK`, `EZTK`).",
        source="https://docs.easypost.com/docs/authentication",
    ),
    Detector(
        "elevenlabs_api_key",
        "secret",
        r"sk_[a-f0-9]{48}",
        _hex_token,
        context=("elevenlabs", "eleven_labs", "xi-api-key", "xi_api_key", "11labs"),
        confidence="pattern",
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="ElevenLabs API key (`sk_` + 48 hex; context when labelled).",
        source="https://elevenlabs.io/docs/api-reference/authentication",
    ),
    Detector(
        "etsy_api_key",
        "secret",
        r"[a-z0-9]{24}",
        _mixed(3.0),
        context=("etsy", "etsykey", "etsyapikey", "etsytoken", "etsysecret"),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Etsy Open API keystring (24 characters next to 'etsy').",
        source="https://developers.etsy.com/documentation/essentials/authentication",
    ),
    # --- F ---------------------------------------------------------------------------------
    Detector(
        "facebook_access_token",
        "secret",
        r"EAA[A-Z0-9][A-Za-z0-9]{96,500}",
        _facebook,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Facebook (Meta) Graph API user or page access token (`EAA...`).",
        source="https://developers.facebook.com/docs/facebook-login/guides/access-tokens",
    ),
    Detector(
        "facebook_app_access_token",
        "secret",
        r"\d{15,16}(?:\||%7C)[A-Za-z0-9_-]{27,40}",
        _mixed(3.5),
        context=("facebook", "access_token", "graph.facebook", "fb_"),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Facebook app access token (`app-id|app-secret`).",
        source="https://developers.facebook.com/docs/facebook-login/guides/access-tokens#apptokens",
    ),
    Detector(
        "facebook_app_secret",
        "secret",
        r"[a-f0-9]{32}",
        _hex_token,
        context=("facebook", "fb_secret", "fb_app_secret"),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Facebook (Meta) app secret (32 hex next to 'facebook').",
        source="https://developers.facebook.com/docs/facebook-login/security#appsecret",
    ),
    Detector(
        "fastly_api_token",
        "secret",
        r"[A-Za-z0-9_-]{32}",
        _mixed(3.5),
        context=("fastly",),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Fastly API token (32 characters next to 'fastly').",
        source="https://www.fastly.com/documentation/reference/api/auth-tokens/",
    ),
    Detector(
        "figma_token",
        "secret",
        r"fig[dp]_[A-Za-z0-9_=-]{40,54}",
        _token,
        confidence="validated",
        keep=(5, 0),
        boundary=TOKEN_CHARS,
        description="Figma personal access token (`figd_`, `figp_`).",
        source="https://developers.figma.com/docs/rest-api/personal-access-tokens/",
    ),
    Detector(
        "finicity_client_secret",
        "secret",
        r"[A-Za-z0-9]{20}",
        _mixed(3.5),
        context=("finicity",),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Finicity (Mastercard Open Banking) partner secret (next to 'finicity').",
        source="https://developer.mastercard.com/open-banking-us/documentation/quick-start-guide/",
    ),
    Detector(
        "finicity_app_key",
        "secret",
        r"[a-f0-9]{32}",
        _hex_token,
        context=("finicity",),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Finicity app key (32 hex next to 'finicity').",
        source="https://developer.mastercard.com/open-banking-us/documentation/quick-start-guide/",
    ),
    Detector(
        "finnhub_api_key",
        "secret",
        r"[a-z0-9]{20}",
        _mixed(3.0),
        context=("finnhub",),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Finnhub API key (20 characters next to 'finnhub').",
        source="https://finnhub.io/docs/api/authentication",
    ),
    Detector(
        "firebase_fcm_server_key",
        "secret",
        r"AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}",
        _token,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Firebase Cloud Messaging legacy server key.",
        source="https://firebase.google.com/docs/cloud-messaging/auth-server",
    ),
    Detector(
        "flickr_api_key",
        "secret",
        r"[A-Za-z0-9]{32}",
        _mixed(3.0),
        context=("flickr",),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Flickr API key or secret (32 characters next to 'flickr').",
        source="https://www.flickr.com/services/api/misc.api_keys.html",
    ),
    Detector(
        "flutterwave_secret_key",
        "secret",
        r"FLWSECK(?:_TEST)?-[a-fA-F0-9]{32}-X",
        _hex_token,
        confidence="validated",
        keep=(8, 0),
        boundary=TOKEN_CHARS,
        description="Flutterwave live or test secret key.",
        source="https://developer.flutterwave.com/docs/authentication",
    ),
    Detector(
        "flutterwave_encryption_key",
        "secret",
        r"FLWSECK(?:_TEST)?[a-fA-F0-9]{12}",
        _hex_token,
        confidence="validated",
        keep=(7, 0),
        boundary=TOKEN_CHARS,
        description="Flutterwave encryption key.",
        source="https://developer.flutterwave.com/docs/authentication",
    ),
    Detector(
        "flyio_token",
        "secret",
        r"fo1_[A-Za-z0-9_-]{43}|fm(?:1[ar]|2)_[A-Za-z0-9+/]{100,}={0,3}",
        _token,
        confidence="validated",
        keep=(4, 0),
        boundary=_B64_TOKEN,
        description="Fly.io access token (`fo1_`) or macaroon token (`FlyV1 fm2_...`).",
        source="https://fly.io/docs/security/tokens/",
    ),
    Detector(
        "frameio_token",
        "secret",
        r"fio-u-[A-Za-z0-9_=-]{64}",
        _token,
        confidence="validated",
        keep=(6, 0),
        boundary=TOKEN_CHARS,
        description="Frame.io developer token (`fio-u-`).",
        source="https://developer.frame.io/docs/getting-started/authentication",
    ),
    Detector(
        "freemius_secret_key",
        "secret",
        r"[\"']secret_key[\"']\s*=>\s*[\"'](?P<v>sk_[^\s\"']{29})[\"']",
        _token,
        context=("freemius", "fs_dynamic_init"),
        confidence="pattern",
        keep=(3, 0),
        description="Freemius SDK secret key in a PHP array (context near 'freemius').",
        source="https://freemius.com/help/documentation/wordpress-sdk/integrating-freemius-sdk/",
    ),
    Detector(
        "freshbooks_token",
        "secret",
        r"[A-Za-z0-9]{64}",
        _mixed(3.5),
        context=("freshbooks",),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="FreshBooks OAuth token or client secret (next to 'freshbooks').",
        source="https://www.freshbooks.com/api/authentication",
    ),
    # --- G ---------------------------------------------------------------------------------
    Detector(
        "gcp_hmac_access_id",
        "secret",
        r"GOOG[A-Z0-9]{20}(?:[A-Z0-9]{37})?",
        _gcp_hmac_id,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Google Cloud Storage HMAC key access id (24 or 61 characters, `GOOG`).",
        source="https://cloud.google.com/storage/docs/authentication/hmackeys",
    ),
    Detector(
        "gcp_hmac_secret",
        "secret",
        r"[A-Za-z0-9+/]{40}",
        random_token(4.0),
        context=("hmac", "goog1", "storage.googleapis.com", "gcs_secret", "gcs secret"),
        context_required=True,
        window=120,
        confidence="pattern",
        keep=(0, 0),
        boundary=BASE64_CHARS,
        description="Google Cloud Storage HMAC secret (40 base64 characters near its access id).",
        source="https://cloud.google.com/storage/docs/authentication/hmackeys",
    ),
    Detector(
        "google_oauth_refresh_token",
        "secret",
        r"1//0[A-Za-z0-9_-]{40,300}",
        _token,
        context=("refresh_token", "refresh token", "refreshtoken", "google", "oauth", "gcloud"),
        confidence="pattern",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Google OAuth 2.0 refresh token (`1//0...`; context when labelled).",
        source="https://developers.google.com/identity/protocols/oauth2",
    ),
    Detector(
        "google_recaptcha_secret",
        "secret",
        r"(?i:secret(?:[_-]?key)?)[\"'\s:=]{1,5}(?P<v>6L[A-Za-z0-9_-]{38})",
        _token,
        context=("recaptcha",),
        context_required=True,
        confidence="pattern",
        keep=(2, 0),
        boundary=TOKEN_CHARS,
        description="Google reCAPTCHA secret key (labelled secret, near 'recaptcha').",
        source="https://developers.google.com/recaptcha/docs/verify",
    ),
    Detector(
        "github_oauth_client_secret",
        "secret",
        r"(?i:client[_ -]?secret)[\"'\s:=]{1,5}(?P<v>[a-f0-9]{40})",
        _hex_token,
        context=("github",),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="GitHub OAuth or GitHub App client secret (40 hex, labelled, near 'github').",
        source="https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps",
    ),
    Detector(
        "gitlab_routable_token",
        "secret",
        r"gl(?:pat|rtr|rt|dt|ft|ptt|cbt|imt|agent|oas|soat|ffct|wt)-"
        r"[A-Za-z0-9_-]{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{9}",
        checksum=_gitlab_routable_crc,
        confidence="validated",
        keep=(6, 0),
        boundary=TOKEN_CHARS,
        description="GitLab routable token (`glpat-...01.xxxxxxxxx`, CRC32 checksum).",
        source="https://handbook.gitlab.com/handbook/engineering/architecture/design-documents/cells/routable_tokens/",
    ),
    Detector(
        "gitlab_runner_registration_token",
        "secret",
        r"GR1348941[A-Za-z0-9_-]{20,50}",
        _token,
        confidence="validated",
        keep=(9, 0),
        boundary=TOKEN_CHARS,
        description="GitLab runner registration token (deprecated, `GR1348941`).",
        source="https://docs.gitlab.com/security/tokens/#runner-registration-tokens-deprecated",
    ),
    Detector(
        "gitlab_session_cookie",
        "secret",
        r"_gitlab_session=(?P<v>[0-9a-f]{32})",
        _hex_token,
        confidence="validated",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="GitLab session cookie (`_gitlab_session=`).",
        source="https://docs.gitlab.com/security/tokens/#token-prefixes",
    ),
    Detector(
        "gitter_token",
        "secret",
        r"[A-Za-z0-9_-]{40}",
        _mixed(3.0),
        context=("gitter",),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Gitter access token (40 characters next to 'gitter').",
        source="https://developer.gitter.im/docs/authentication",
    ),
    Detector(
        "gocardless_token",
        "secret",
        r"(?:live|sandbox)_[A-Za-z0-9_=-]{40}",
        _token,
        context=("gocardless", "go_cardless"),
        confidence="pattern",
        keep=(5, 0),
        boundary=TOKEN_CHARS,
        description="GoCardless live or sandbox access token (context near 'gocardless').",
        source="https://developer.gocardless.com/getting-started/api/making-your-first-request/",
    ),
    Detector(
        "grafana_api_key",
        "secret",
        r"eyJrIjoi[A-Za-z0-9+/]{62,400}={0,2}",
        checksum=_grafana_api_key,
        confidence="validated",
        keep=(8, 0),
        boundary=_B64_TOKEN,
        description="Grafana legacy API key (base64 JSON with its key and name).",
        source="https://grafana.com/docs/grafana/latest/administration/service-accounts/migrate-api-keys/",
    ),
    Detector(
        "grafana_cloud_token",
        "secret",
        r"glc_[A-Za-z0-9+/]{32,400}={0,2}",
        checksum=_grafana_cloud,
        confidence="validated",
        keep=(4, 0),
        boundary=_B64_TOKEN,
        description="Grafana Cloud access-policy token (`glc_` + base64 JSON).",
        source="https://grafana.com/docs/grafana-cloud/account-management/authentication-and-permissions/access-policies/",
    ),
    Detector(
        "grafana_service_account_token",
        "secret",
        r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}",
        checksum=_grafana_sa_crc,
        confidence="validated",
        keep=(5, 0),
        boundary=TOKEN_CHARS,
        description="Grafana service-account token (`glsa_`, CRC32 checksum).",
        source="https://grafana.com/docs/grafana/latest/administration/service-accounts/",
    ),
    # --- H ---------------------------------------------------------------------------------
    Detector(
        "harness_token",
        "secret",
        r"(?:pat|sat)\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}",
        _token,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Harness personal or service-account access token.",
        source="https://developer.harness.io/docs/platform/automation/api/add-and-manage-api-keys/",
    ),
    Detector(
        "terraform_cloud_token",
        "secret",
        r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}",
        _token,
        confidence="validated",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="HashiCorp Terraform Cloud / Enterprise user, team or org API token.",
        source="https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens",
    ),
    Detector(
        "heroku_legacy_api_key",
        "secret",
        _UUID,
        _hex_token,
        context=("heroku",),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Heroku legacy API key (a UUID next to 'heroku').",
        source="https://devcenter.heroku.com/articles/authentication",
    ),
    Detector(
        "hetzner_cloud_token",
        "secret",
        r"[A-Za-z0-9]{64}",
        _mixed(4.0),
        context=("hetzner", "hcloud"),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Hetzner Cloud API token (64 characters next to 'hetzner'/'hcloud').",
        source="https://docs.hetzner.cloud/reference/cloud#authentication",
    ),
    Detector(
        "honeycomb_ingest_key",
        "secret",
        r"hc[a-z]ik_[A-Za-z0-9]{58}",
        _token,
        confidence="validated",
        keep=(6, 0),
        boundary=TOKEN_CHARS,
        description="Honeycomb ingest key (`hc?ik_` key id + secret).",
        source="https://docs.honeycomb.io/api/authentication",
    ),
    Detector(
        "hubspot_private_app_token",
        "secret",
        r"pat-(?:na|eu|ap)\d-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}",
        _hex_token,
        confidence="validated",
        keep=(8, 0),
        boundary=TOKEN_CHARS,
        description="HubSpot private app or personal access token (`pat-na1-`).",
        source="https://developers.hubspot.com/docs/api/private-apps",
    ),
    Detector(
        "hubspot_api_key",
        "secret",
        _UUID,
        _hex_token,
        context=("hubspot", "hapikey"),
        context_required=True,
        confidence="pattern",
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="HubSpot legacy API key (a UUID next to 'hubspot' or 'hapikey').",
        source="https://developers.hubspot.com/docs/api/migrate-an-api-key-integration-to-a-private-app",
    ),
)
