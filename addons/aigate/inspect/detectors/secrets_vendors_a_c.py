"""Vendor credentials, vendors 0-9 and A to C: 1Password, Ably, Adafruit, Adobe, Adyen, Airtable,
Akamai, Algolia, Alibaba Cloud, Ansible Vault, Anthropic (OAuth), Apify, JFrog Artifactory, Asana,
AssemblyAI, Atlassian (Jira, Confluence, Bitbucket), Auth0, Authress, AWS (Bedrock, AppSync, STS
session tokens), Azure (identifiable keys, connection strings, DevOps PATs, OpenAI, APIM, Entra
refresh tokens), Beamer, Bittrex, Bitwarden, Box, Braintree, Braintrust, Buildkite, CAST AI,
Cerebras, Chargebee, CircleCI, ClickHouse, ClickUp, Clojars, IBM Cloudant, Cloudflare, Cloudinary,
Codecov, Cohere, Coinbase, Confluent and Contentful.

Two kinds of entry:
- issuer-prefixed tokens (`AKCp`, `cflt`, `ATATT3`, `bkua_`, Microsoft's identifiable-key
  signatures such as `+ASt`): `validated`, or checked by the issuer's checksum where one is
  published (Atlassian, Cloudflare and Confluent append a CRC32; Atlassian Data Center tokens
  decode to `<id>:<random bytes>`);
- generic shapes ("32 hex", "40 alphanumerics") that only a vendor name nearby identifies:
  `context_required`, with the vendor's name and its usual variable names as context words.
"""

from __future__ import annotations

import base64
import binascii
import json
import string
import struct
import zlib

from aigate.inspect.detectors.base import (
    TOKEN_CHARS,
    Detector,
    entropy,
    is_placeholder,
    random_token,
)

_token = random_token(3.5)
_hex = random_token(3.0)
_ALNUM = frozenset(string.ascii_letters + string.digits)
# Characters that may not touch a base64 value. Not `=`: keys follow `Key=` in connection
# strings and end in `=` padding themselves.
_B64_EDGE = _ALNUM | frozenset("+/")
_B64_BOUNDARY = _B64_EDGE | frozenset("-_")
_MS_AZURE_KEYS = (
    "https://github.com/microsoft/security-utilities/blob/main/GeneratedRegexPatterns/"
    "PreciselyClassifiedSecurityKeys.json"
)


def _mixed(min_entropy: float = 3.2):
    """Random-looking and made of at least two of lower case, upper case and digits, so words
    and runs of one character class are not keys."""

    def check(value: str) -> bool:
        classes = sum(any(f(ch) for ch in value) for f in (str.islower, str.isupper, str.isdigit))
        return classes >= 2 and not is_placeholder(value) and entropy(value) >= min_entropy

    return check


def _hex_key(value: str) -> bool:
    """Hex keys: random, with both letters and digits (not a number, not a word like 'deadbeef')."""
    return _hex(value) and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


def _b64decode(text: str) -> bytes | None:
    """Standard or URL-safe base64, padding optional; None when it is not base64."""
    text = text.replace("-", "+").replace("_", "/").rstrip("=")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def _crc32_hex_tail(value: str) -> bool:
    """Atlassian tokens end in the CRC32 of everything before it, as 8 hex digits."""
    try:
        expected = int(value[-8:], 16)
    except ValueError:
        return False
    return zlib.crc32(value[:-8].encode()) == expected


def _cloudflare_crc(value: str) -> bool:
    """Cloudflare's scannable tokens: prefix, 40 characters, CRC32 of those 40 as 8 hex digits."""
    body = value.split("_", 1)[1]
    return f"{zlib.crc32(body[:40].encode()):08x}" == body[40:]


def _confluent_crc(value: str) -> bool:
    """Confluent API secrets: `cflt`, 54 characters, then the base64 of their CRC32 (6 chars)."""
    body = value[4:]
    crc = struct.pack("<I", zlib.crc32(body[:54].encode()))
    return base64.b64encode(crc).decode()[:6] == body[54:]


def _id_colon_secret(value: str) -> bool:
    """Atlassian Data Center tokens (Jira/Confluence PATs, Bitbucket `BBDC-` tokens) decode to
    `<numeric id>:<random bytes>`."""
    raw = _b64decode(value.removeprefix("BBDC-"))
    if raw is None:
        return False
    head, sep, rest = raw.partition(b":")
    return bool(sep) and 1 <= len(head) <= 20 and head.isdigit() and len(rest) >= 8


def _onepassword_sa(value: str) -> bool:
    """1Password service-account tokens wrap a base64 JSON object naming the sign-in address."""
    raw = _b64decode(value[4:])
    try:
        data = json.loads(raw) if raw is not None else None
    except ValueError:
        return False
    return isinstance(data, dict) and ("signInAddress" in data or "email" in data)


def _onepassword_secret_key(value: str) -> bool:
    body = value[3:].replace("-", "")
    return not is_placeholder(body) and entropy(body) >= 3.5 and any(c.isdigit() for c in body)


def _not_all_hex(value: str) -> bool:
    """A prefix like `4b1d` also starts hex digests; a random alphanumeric body leaves hex."""
    return _token(value) and any(c not in "0123456789abcdef" for c in value[4:])


def _not_ado_pat(value: str) -> bool:
    return value[72:80] != "AAAAAZDO" and _token(value)  # Azure DevOps PATs have their own id


def _letters_and_digits(value: str) -> bool:
    return _token(value) and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


_ALGOLIA = ("algolia", "docsearch")
_ATLASSIAN = ("atlassian", "jira", "confluence")
_CLOUDFLARE = ("cloudflare", "cf_api", "cf-api", "x-auth-key", "cf_token", "cf_key")

DETECTORS = (
    # --- 1Password ---------------------------------------------------------------------------
    Detector(
        "onepassword_service_account_token",
        "secret",
        r"ops_eyJ[A-Za-z0-9+/_-]{250,}={0,3}",
        checksum=_onepassword_sa,
        confidence="validated",
        keep=(4, 0),
        boundary=_B64_BOUNDARY,
        description="1Password service account token (ops_ and a base64 JSON sign-in record).",
        source="https://developer.1password.com/docs/service-accounts/",
    ),
    Detector(
        "onepassword_secret_key",
        "secret",
        r"A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-"
        r"[A-Z0-9]{5}",
        _onepassword_secret_key,
        confidence="validated",
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="1Password account Secret Key (A3- and 34 characters in groups).",
        source="https://support.1password.com/secret-key/",
    ),
    # --- Ably ----------------------------------------------------------------------------------
    Detector(
        "ably_api_key",
        "secret",
        r"[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{6}:[A-Za-z0-9_-]{43}",
        _mixed(),
        context=("ably", "ablykey", "ablyapikey", "ablytoken", "ablysecret"),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Ably API key (appId.keyId:secret, with 'ably' nearby).",
        source="https://ably.com/docs/auth/basic",
    ),
    # --- Adafruit, Adobe, Adyen ----------------------------------------------------------------
    Detector(
        "adafruit_io_key",
        "secret",
        r"aio_[A-Za-z0-9]{28}",
        _letters_and_digits,  # not a 28-letter identifier after an `aio_` module prefix
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Adafruit IO key.",
        source="https://io.adafruit.com/api/docs/#authentication",
    ),
    Detector(
        "adobe_client_secret",
        "secret",
        r"p8e-[A-Za-z0-9_-]{32}",
        _token,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Adobe Developer Console OAuth client secret.",
        source="https://developer.adobe.com/developer-console/docs/guides/authentication/"
        "ServerToServerAuthentication/implementation/",
    ),
    Detector(
        "adyen_api_key",
        "secret",
        r"AQE[A-Za-z0-9+/]{20,200}={0,2}-[A-Za-z0-9+/]{43}=(?:-[!#-&(-~]{16})?",
        _token,
        confidence="validated",
        keep=(3, 0),
        boundary=_B64_EDGE,
        description="Adyen API key (AQE..., its key part and its salt).",
        source="https://docs.adyen.com/development-resources/api-credentials/",
    ),
    # --- Airtable ------------------------------------------------------------------------------
    Detector(
        "airtable_personal_access_token",
        "secret",
        r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}",
        _token,
        confidence="validated",
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="Airtable personal access token.",
        source="https://airtable.com/developers/web/guides/personal-access-tokens",
    ),
    Detector(
        "airtable_api_key",
        "secret",
        r"key[A-Za-z0-9]{14}",
        _mixed(3.0),
        context=("airtable",),
        context_required=True,
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="Airtable legacy API key (key + 14 characters, with 'airtable' nearby).",
        source="https://support.airtable.com/docs/airtable-api-key-deprecation-notice",
    ),
    # --- Akamai --------------------------------------------------------------------------------
    Detector(
        "akamai_edgegrid_token",
        "secret",
        r"akab-[a-z0-9]{16}-[a-z0-9]{16}",
        _letters_and_digits,
        confidence="validated",
        keep=(5, 0),
        boundary=TOKEN_CHARS | {"."},  # akab-....luna.akamaiapis.net is the API host
        description="Akamai EdgeGrid client or access token (akab-).",
        source="https://techdocs.akamai.com/developer/docs/set-up-authentication-credentials",
    ),
    Detector(
        "akamai_client_secret",
        "secret",
        r"[A-Za-z0-9+/]{43}=",
        _mixed(),
        context=("akamai", "edgerc", "edgegrid", "akab-"),
        context_required=True,
        window=160,
        keep=(0, 0),
        boundary=_B64_EDGE,
        description="Akamai EdgeGrid client secret (with an .edgerc / akab- token nearby).",
        source="https://techdocs.akamai.com/developer/docs/set-up-authentication-credentials",
    ),
    # --- Algolia, Alibaba ----------------------------------------------------------------------
    Detector(
        "algolia_api_key",
        "secret",
        r"[a-f0-9]{32}",
        _hex_key,
        context=_ALGOLIA,
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Algolia API key (32 hex characters with 'algolia' nearby).",
        source="https://www.algolia.com/doc/guides/security/api-keys/",
    ),
    Detector(
        "alibaba_access_key_id",
        "secret",
        r"LTAI[A-Za-z0-9]{12,20}",
        _token,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Alibaba Cloud AccessKey ID (LTAI).",
        source="https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair",
    ),
    Detector(
        "alibaba_access_key_secret",
        "secret",
        r"[A-Za-z0-9]{30}",
        _mixed(),
        context=("alibaba", "aliyun", "accesskeysecret", "access_key_secret", "alicloud"),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Alibaba Cloud AccessKey secret (30 characters with 'alibaba' nearby).",
        source="https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair",
    ),
    # --- Ansible -------------------------------------------------------------------------------
    Detector(
        "ansible_vault",
        "secret",
        r"\$ANSIBLE_VAULT;1\.[0-2];AES256(?:;[A-Za-z0-9_.@-]{1,64})?[ \t]*\r?\n[ \t]*"
        r"[0-9a-f]{32,80}(?:\r?\n[ \t]*[0-9a-f]{8,80})*",
        confidence="validated",
        keep=(15, 0),
        description="Ansible Vault encrypted block ($ANSIBLE_VAULT header and its hex body).",
        source="https://docs.ansible.com/ansible/latest/vault_guide/vault_using_encrypted_content.html",
    ),
    # --- Anthropic (OAuth; API keys are in secrets_ai) -----------------------------------------
    Detector(
        "anthropic_oauth_token",
        "secret",
        r"sk-ant-o(?:at|rt)\d{2}-[A-Za-z0-9_-]{80,120}",
        _token,
        confidence="validated",
        keep=(7, 0),
        boundary=TOKEN_CHARS,
        description="Anthropic OAuth access or refresh token (Claude Code subscriptions).",
        source="https://docs.anthropic.com/en/docs/claude-code/iam",
    ),
    # --- Apify ---------------------------------------------------------------------------------
    Detector(
        "apify_api_token",
        "secret",
        r"apify_api_[A-Za-z0-9]{36}",
        _token,
        confidence="validated",
        keep=(10, 0),
        boundary=TOKEN_CHARS,
        description="Apify API token.",
        source="https://docs.apify.com/platform/integrations/api",
    ),
    # --- JFrog Artifactory ---------------------------------------------------------------------
    Detector(
        "artifactory_api_key",
        "secret",
        r"AKCp[A-Za-z0-9]{69}",
        _token,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="JFrog Artifactory API key (AKCp).",
        source="https://jfrog.com/help/r/jfrog-platform-administration-documentation/api-keys",
    ),
    Detector(
        "artifactory_reference_token",
        "secret",
        r"cmVmdGtu[A-Za-z0-9]{56,100}",
        _token,
        confidence="validated",
        keep=(8, 0),
        boundary=TOKEN_CHARS,
        description="JFrog Artifactory reference token (base64 of 'reftkn').",
        source="https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens",
    ),
    Detector(
        "artifactory_password",
        "secret",
        r"AP[0-9A-F][A-Za-z0-9]{8,64}",
        _mixed(3.0),
        context=("artifactory", "jfrog"),
        context_required=True,
        keep=(2, 0),
        boundary=TOKEN_CHARS,
        description="JFrog Artifactory encrypted password (AP..., with 'artifactory' nearby).",
        source="https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens",
    ),
    # --- Asana, AssemblyAI ---------------------------------------------------------------------
    Detector(
        "asana_personal_access_token",
        "secret",
        r"[0-9]/[0-9]{10,20}(?:/[0-9]{10,20})?:[A-Za-z0-9]{32}|0/[a-f0-9]{32}",
        _token,
        context=("asana",),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Asana personal access token (N/user/app:secret, with 'asana' nearby).",
        source="https://developers.asana.com/docs/personal-access-token",
    ),
    Detector(
        "asana_client_secret",
        "secret",
        r"[A-Za-z0-9]{32}",
        _mixed(),
        context=("asana",),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Asana OAuth client secret (32 characters with 'asana' nearby).",
        source="https://developers.asana.com/docs/oauth",
    ),
    Detector(
        "assemblyai_api_key",
        "secret",
        r"[a-f0-9]{32}",
        _hex_key,
        context=("assemblyai", "assembly_ai", "assembly ai"),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="AssemblyAI API key (32 hex characters with 'assemblyai' nearby).",
        source="https://www.assemblyai.com/docs/api-reference/overview",
    ),
    # --- Atlassian: Jira, Confluence, Bitbucket ------------------------------------------------
    Detector(
        "atlassian_api_token",
        "secret",
        r"ATATT3[A-Za-z0-9_=-]{150,300}",
        checksum=_crc32_hex_tail,
        confidence="validated",
        keep=(6, 0),
        boundary=TOKEN_CHARS,
        description="Atlassian (Jira, Confluence) API token (ATATT3, CRC32 checksum).",
        source="https://support.atlassian.com/atlassian-account/docs/"
        "manage-api-tokens-for-your-atlassian-account/",
    ),
    Detector(
        "atlassian_access_token",
        "secret",
        r"ATCTT3[A-Za-z0-9_=-]{150,300}",
        checksum=_crc32_hex_tail,
        confidence="validated",
        keep=(6, 0),
        boundary=TOKEN_CHARS,
        description="Atlassian / Bitbucket repository, project or workspace access token (ATCTT3).",
        source="https://support.atlassian.com/bitbucket-cloud/docs/access-tokens/",
    ),
    Detector(
        "bitbucket_app_password",
        "secret",
        r"ATBB[A-Za-z0-9_=.-]{24,60}",
        checksum=_crc32_hex_tail,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Bitbucket Cloud app password (ATBB, CRC32 checksum).",
        source="https://support.atlassian.com/bitbucket-cloud/docs/app-passwords/",
    ),
    Detector(
        "atlassian_api_token_legacy",
        "secret",
        r"[A-Za-z0-9]{24}",
        _mixed(3.3),
        context=_ATLASSIAN,
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Atlassian legacy API token (24 characters with 'jira'/'confluence' nearby).",
        source="https://support.atlassian.com/atlassian-account/docs/"
        "manage-api-tokens-for-your-atlassian-account/",
    ),
    Detector(
        "atlassian_datacenter_pat",
        "secret",
        r"[MNO][A-Za-z0-9+/]{43}",
        checksum=_id_colon_secret,
        context=(*_ATLASSIAN, "bitbucket"),
        context_required=True,
        keep=(0, 0),
        boundary=_B64_EDGE,
        description="Jira / Confluence Data Center personal access token (decodes to id:secret).",
        source="https://confluence.atlassian.com/enterprise/"
        "using-personal-access-tokens-1026032365.html",
    ),
    Detector(
        "bitbucket_datacenter_token",
        "secret",
        r"BBDC-[A-Za-z0-9+/_-]{38,60}={0,2}",
        checksum=_id_colon_secret,
        confidence="validated",
        keep=(5, 0),
        boundary=TOKEN_CHARS | {"+", "/"},
        description="Bitbucket Data Center HTTP access token (BBDC-, decodes to id:secret).",
        source="https://confluence.atlassian.com/bitbucketserver/http-access-tokens-939515499.html",
    ),
    Detector(
        "bitbucket_client_secret",
        "secret",
        r"[A-Za-z0-9_-]{64}|[A-Za-z0-9]{32}",
        _mixed(),
        context=("bitbucket",),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Bitbucket OAuth consumer secret (with 'bitbucket' nearby).",
        source="https://support.atlassian.com/bitbucket-cloud/docs/use-oauth-on-bitbucket-cloud/",
    ),
    # --- Auth0, Authress -----------------------------------------------------------------------
    Detector(
        "auth0_client_secret",
        "secret",
        r"[A-Za-z0-9_-]{64}",
        _mixed(),
        context=("auth0",),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Auth0 application client secret (64 characters with 'auth0' nearby).",
        source="https://auth0.com/docs/get-started/applications/application-settings",
    ),
    Detector(
        "authress_service_key",
        "secret",
        r"(?:sc|ext|scauth|authress)_[A-Za-z0-9]{5,30}\.[A-Za-z0-9]{4,6}\.acc[_-][A-Za-z0-9-]{10,32}"
        r"\.[A-Za-z0-9+/_=-]{30,120}",
        _token,
        confidence="validated",
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="Authress service client access key (client.key.acc_account.signature).",
        source="https://authress.io/knowledge-base/docs/authorization/service-clients/access-keys",
    ),
    # --- AWS (access keys are in secrets_cloud) ------------------------------------------------
    Detector(
        "aws_bedrock_api_key",
        "secret",
        r"ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{100,300}={0,2}",
        _token,
        confidence="validated",
        keep=(4, 0),
        boundary=_B64_EDGE,
        description="Amazon Bedrock long-term API key (ABSK).",
        source="https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html",
    ),
    Detector(
        "aws_bedrock_short_term_key",
        "secret",
        r"bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/%=_-]{100,}",
        confidence="validated",
        keep=(16, 0),
        boundary=_B64_BOUNDARY | {"%"},
        description="Amazon Bedrock short-term API key (a presigned bedrock.amazonaws.com URL).",
        source="https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html",
    ),
    Detector(
        "aws_appsync_api_key",
        "secret",
        r"da2-[a-z0-9]{26}",
        _letters_and_digits,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="AWS AppSync GraphQL API key (da2-).",
        source="https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html",
    ),
    Detector(
        "aws_session_token",
        "secret",
        r"[A-Za-z0-9+/]{2}oJb3JpZ2luX2Vj[A-Za-z0-9+/]{100,}={0,2}"
        r"|F[A-Za-z0-9+/]oGZXIvYXdz[A-Za-z0-9+/]{100,}={0,2}",
        context=(
            "aws_session_token",
            "session_token",
            "sessiontoken",
            "security_token",
            "x-amz-security-token",
            "aws",
        ),
        keep=(0, 0),
        boundary=_B64_EDGE,
        description="AWS STS temporary session token.",
        source="https://docs.aws.amazon.com/STS/latest/APIReference/API_Credentials.html",
    ),
    # --- Azure (storage keys, SAS and Entra client secrets are in secrets_cloud) ---------------
    Detector(
        "azure_cosmosdb_connection_string",
        "secret",
        r"(?i)AccountEndpoint=https://[a-z0-9-]{3,44}\.documents\.azure\.com(?::443)?/?;\s*"
        r"AccountKey=(?P<v>[A-Za-z0-9+/]{86}==)",
        confidence="validated",
        keep=(0, 0),
        description="Azure Cosmos DB connection string with its account key.",
        source="https://learn.microsoft.com/en-us/azure/cosmos-db/secure-access-to-data",
    ),
    Detector(
        "azure_shared_access_key",
        "secret",
        r"SharedAccessKey=(?P<v>[A-Za-z0-9+/]{43}=)",
        confidence="validated",
        keep=(0, 0),
        boundary=_B64_EDGE,
        description="Azure Service Bus / Event Hubs / Relay / IoT Hub shared access key.",
        source="https://learn.microsoft.com/en-us/azure/service-bus-messaging/service-bus-sas",
    ),
    Detector(
        "azure_app_config_connection_string",
        "secret",
        r"Endpoint=https://[A-Za-z0-9-]{1,63}\.azconfig\.io;\s*Id=[A-Za-z0-9+/=:-]{4,64};\s*"
        r"Secret=(?P<v>[A-Za-z0-9+/]{40,88}={0,2})",
        confidence="validated",
        keep=(0, 0),
        boundary=_B64_EDGE,
        description="Azure App Configuration connection string with its secret.",
        source="https://learn.microsoft.com/en-us/azure/azure-app-configuration/"
        "rest-api-authentication-hmac",
    ),
    Detector(
        "azure_container_registry_key",
        "secret",
        r"[A-Za-z0-9+/]{42}\+ACR[A-D][A-Za-z0-9+/]{5}",
        confidence="validated",
        keep=(0, 0),
        boundary=_B64_BOUNDARY,
        description="Azure Container Registry identifiable password (+ACR signature).",
        source=_MS_AZURE_KEYS,
    ),
    Detector(
        "azure_storage_identifiable_key",
        "secret",
        r"[A-Za-z0-9+/]{76}\+ASt[A-Za-z0-9+/]{5}[AQgw]==",
        confidence="validated",
        keep=(0, 0),
        boundary=_B64_BOUNDARY,
        description="Azure Storage identifiable account key (+ASt signature).",
        source=_MS_AZURE_KEYS,
    ),
    Detector(
        "azure_cosmosdb_identifiable_key",
        "secret",
        r"[A-Za-z0-9+/]{76}ACDb[A-Za-z0-9+/]{5}[AQgw]==",
        confidence="validated",
        keep=(0, 0),
        boundary=_B64_BOUNDARY,
        description="Azure Cosmos DB identifiable account key (ACDb signature).",
        source=_MS_AZURE_KEYS,
    ),
    Detector(
        "azure_apim_identifiable_key",
        "secret",
        r"[A-Za-z0-9+/]{76}APIM[A-Za-z0-9+/]{5}[AQgw]==",
        confidence="validated",
        keep=(0, 0),
        boundary=_B64_BOUNDARY,
        description="Azure API Management identifiable key (APIM signature).",
        source=_MS_AZURE_KEYS,
    ),
    Detector(
        "azure_batch_identifiable_key",
        "secret",
        r"[A-Za-z0-9+/]{76}\+A(?:Ba|MC)[A-Za-z0-9+/]{5}[AQgw]==",
        confidence="validated",
        keep=(0, 0),
        boundary=_B64_BOUNDARY,
        description="Azure Batch / Machine Learning identifiable key (+ABa / +AMC signature).",
        source=_MS_AZURE_KEYS,
    ),
    Detector(
        "azure_function_identifiable_key",
        "secret",
        r"[A-Za-z0-9_-]{44}AzFu[A-Za-z0-9_-]{5}[AQgw]==",
        confidence="validated",
        keep=(0, 0),
        boundary=_B64_BOUNDARY,
        description="Azure Functions identifiable key (AzFu signature).",
        source=_MS_AZURE_KEYS,
    ),
    Detector(
        "azure_search_identifiable_key",
        "secret",
        r"[A-Za-z0-9]{42}AzSe[A-D][A-Za-z0-9]{5}",
        confidence="validated",
        keep=(0, 0),
        boundary=_B64_BOUNDARY,
        description="Azure AI Search identifiable admin or query key (AzSe signature).",
        source=_MS_AZURE_KEYS,
    ),
    Detector(
        "azure_messaging_identifiable_key",
        "secret",
        r"[A-Za-z0-9+/]{33}(?:\+ASb|\+AEh|\+ARm|AZEG)[A-P][A-Za-z0-9+/]{5}=",
        confidence="validated",
        keep=(0, 0),
        boundary=_B64_BOUNDARY,
        description="Azure Service Bus / Event Hubs / Relay / Event Grid identifiable key.",
        source=_MS_AZURE_KEYS,
    ),
    Detector(
        "azure_iot_identifiable_key",
        "secret",
        r"[A-Za-z0-9+/]{33}AIoT[A-P][A-Za-z0-9+/]{5}=",
        confidence="validated",
        keep=(0, 0),
        boundary=_B64_BOUNDARY,
        description="Azure IoT Hub / device / DPS identifiable key (AIoT signature).",
        source=_MS_AZURE_KEYS,
    ),
    Detector(
        "azure_redis_identifiable_key",
        "secret",
        r"[A-Za-z0-9+/]{33}AzCa[A-P][A-Za-z0-9+/]{5}=",
        confidence="validated",
        keep=(0, 0),
        boundary=_B64_BOUNDARY,
        description="Azure Cache for Redis identifiable access key (AzCa signature).",
        source=_MS_AZURE_KEYS,
    ),
    Detector(
        "azure_devops_pat",
        "secret",
        r"[A-Za-z0-9]{52}JQQJ99[A-Za-z0-9][A-L][A-Za-z0-9]{12}AAAAAZDO[A-Za-z0-9]{4}"
        r"(?:[A-Za-z0-9]{2}==)?",
        confidence="validated",
        keep=(0, 0),
        boundary=_B64_BOUNDARY,
        description="Azure DevOps personal access token (84 characters, JQQJ99...AZDO).",
        source="https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/"
        "use-personal-access-tokens-to-authenticate",
    ),
    Detector(
        "azure_devops_pat_legacy",
        "secret",
        r"[a-z2-7]{52}",
        _letters_and_digits,
        context=(
            "azure devops",
            "azure_devops",
            "azuredevops",
            "dev.azure.com",
            "visualstudio.com",
            "azdo",
            "ado_pat",
            "system_accesstoken",
            "vsts",
        ),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Azure DevOps legacy personal access token (52 base32 characters, labelled).",
        source="https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/"
        "use-personal-access-tokens-to-authenticate",
    ),
    Detector(
        "azure_cask_key",
        "secret",
        r"[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}"
        r"(?:[A-Za-z0-9]{2}==)?",
        _not_ado_pat,
        confidence="validated",
        keep=(0, 0),
        boundary=_B64_BOUNDARY,
        description="Azure common annotated security key (JQQJ9: AI services, OpenAI, Maps, ...).",
        source=_MS_AZURE_KEYS,
    ),
    Detector(
        "azure_openai_key",
        "secret",
        r"[a-f0-9]{32}",
        _hex_key,
        context=(
            "openai.azure.com",
            "azure_openai",
            "azure-openai",
            "azure openai",
            "azureopenai",
            "cognitiveservices.azure.com",
        ),
        context_required=True,
        window=120,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Azure OpenAI / AI services key (32 hex characters near the endpoint).",
        source="https://learn.microsoft.com/en-us/azure/ai-services/openai/reference",
    ),
    Detector(
        "azure_apim_subscription_key",
        "secret",
        r"[a-f0-9]{32}",
        _hex_key,
        context=("ocp-apim-subscription-key", "azure-api.net", "apim", "subscription-key"),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Azure API Management subscription key (Ocp-Apim-Subscription-Key).",
        source="https://learn.microsoft.com/en-us/azure/api-management/"
        "api-management-subscriptions",
    ),
    Detector(
        "azure_entra_refresh_token",
        "secret",
        r"[01]\.A[A-Za-z0-9_-]{50,400}(?:\.[0-9])?\.Ag[A-Za-z0-9_-]{250,}"
        r"(?:\.A[A-Za-z0-9_-]{200,})?",
        _token,
        context=("refresh_token", "refreshtoken", "microsoftonline", "msal", "entra", "azure"),
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Microsoft Entra ID refresh token.",
        source="https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens",
    ),
    # --- Beamer, Bittrex, Bitwarden, Box -------------------------------------------------------
    Detector(
        "beamer_api_key",
        "secret",
        r"b_[A-Za-z0-9=_+/-]{44}",
        _token,
        context=("beamer",),
        context_required=True,
        keep=(2, 0),
        boundary=TOKEN_CHARS | {"+", "/"},
        description="Beamer API key (b_ with 'beamer' nearby).",
        source="https://www.getbeamer.com/api",
    ),
    Detector(
        "bittrex_api_key",
        "secret",
        r"[a-f0-9]{32}",
        _hex_key,
        context=("bittrex",),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Bittrex API key or secret (32 hex characters with 'bittrex' nearby).",
        source="https://bittrex.github.io/api/v3",
    ),
    Detector(
        "bitwarden_access_token",
        "secret",
        r"0\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9]{30}:"
        r"[A-Za-z0-9+/]{22}==",
        context=("bws_access_token", "bitwarden", "bws"),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Bitwarden Secrets Manager machine-account access token.",
        source="https://bitwarden.com/help/access-tokens/",
    ),
    Detector(
        "box_api_token",
        "secret",
        r"[A-Za-z0-9]{32}",
        _mixed(),
        context=(
            "box_client_secret",
            "box_developer_token",
            "box_access_token",
            "box_token",
            "box_api",
            "box api",
            "box.com",
            "boxsdk",
        ),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Box developer token or client secret (32 characters with 'box' nearby).",
        source="https://developer.box.com/guides/authentication/tokens/developer-tokens/",
    ),
    # --- Braintree, Braintrust, Buildkite ------------------------------------------------------
    Detector(
        "braintree_access_token",
        "secret",
        r"access_token\$(?:production|sandbox)\$[a-z0-9]{16}\$[a-f0-9]{32}",
        confidence="validated",
        keep=(13, 0),
        boundary=TOKEN_CHARS,
        description="Braintree (PayPal) access token.",
        source="https://developer.paypal.com/braintree/articles/control-panel/"
        "important-gateway-credentials",
    ),
    Detector(
        "braintree_private_key",
        "secret",
        r"[a-f0-9]{32}",
        _hex_key,
        context=("braintree",),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Braintree private API key (32 hex characters with 'braintree' nearby).",
        source="https://developer.paypal.com/braintree/articles/control-panel/"
        "important-gateway-credentials",
    ),
    Detector(
        "braintrust_api_key",
        "secret",
        r"sk-[A-Za-z0-9]{48}",
        _token,
        context=("braintrust",),
        context_required=True,
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="Braintrust API key (sk- with 'braintrust' nearby).",
        source="https://www.braintrust.dev/docs/reference/api/ApiKeys",
    ),
    Detector(
        "buildkite_token",
        "secret",
        r"bk(?:ua|aa|aj|ar)_[A-Za-z0-9._-]{40,}",
        _hex,
        confidence="validated",
        keep=(5, 0),
        boundary=TOKEN_CHARS | {"."},
        description="Buildkite API access, agent session, agent job or agent registration token.",
        source="https://buildkite.com/docs/platform/security/tokens",
    ),
    # --- CAST AI, Cerebras, Chargebee, CircleCI ------------------------------------------------
    Detector(
        "castai_api_key",
        "secret",
        r"castai_v1_[A-Za-z0-9]{64}_[A-Za-z0-9]{8}",
        _token,
        confidence="validated",
        keep=(10, 0),
        boundary=TOKEN_CHARS,
        description="CAST AI API access key.",
        source="https://docs.cast.ai/docs/authentication",
    ),
    Detector(
        "cerebras_api_key",
        "secret",
        r"csk-[A-Za-z0-9]{32,64}",
        _token,
        context=("cerebras",),
        context_required=True,
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Cerebras inference API key (csk- with 'cerebras' nearby).",
        source="https://inference-docs.cerebras.ai/api-reference/authentication",
    ),
    Detector(
        "chargebee_api_key",
        "secret",
        r"(?:test|live)_[A-Za-z0-9]{32,34}",
        _token,
        context=("chargebee",),
        context_required=True,
        keep=(5, 0),
        boundary=TOKEN_CHARS,
        description="Chargebee API key (live_/test_ with 'chargebee' nearby).",
        source="https://apidocs.chargebee.com/docs/api/auth",
    ),
    Detector(
        "circleci_token",
        "secret",
        r"CCIP(?:AT|RJ)_[A-Za-z0-9]{18,24}_[a-f0-9]{40}",  # base58 UUID, read leniently
        confidence="validated",
        keep=(7, 0),
        boundary=TOKEN_CHARS,
        description="CircleCI personal or project API token (CCIPAT_ / CCIPRJ_).",
        source="https://circleci.com/changelog/new-format-for-api-access-tokens/",
    ),
    Detector(
        "circleci_token_legacy",
        "secret",
        r"[a-f0-9]{40}",
        _hex_key,
        context=("circleci", "circle-token", "circle_token", "circle_api", "circle-ci"),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="CircleCI legacy API token (40 hex characters with 'circleci' nearby).",
        source="https://circleci.com/docs/managing-api-tokens/",
    ),
    # --- ClickHouse, ClickUp, Clojars ----------------------------------------------------------
    Detector(
        "clickhouse_cloud_api_secret",
        "secret",
        r"4b1d[A-Za-z0-9]{38}",
        _not_all_hex,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="ClickHouse Cloud API key secret (4b1d).",
        source="https://clickhouse.com/docs/cloud/manage/openapi",
    ),
    Detector(
        "clickup_api_token",
        "secret",
        r"pk_[0-9]{6,10}_[A-Z0-9]{32}",
        _token,
        confidence="validated",
        keep=(3, 0),
        boundary=TOKEN_CHARS,
        description="ClickUp personal API token (pk_<user id>_<32 characters>).",
        source="https://developer.clickup.com/docs/authentication",
    ),
    Detector(
        "clojars_deploy_token",
        "secret",
        r"CLOJARS_[A-Za-z0-9]{60}",
        _token,
        confidence="validated",
        keep=(8, 0),
        boundary=TOKEN_CHARS,
        description="Clojars deploy token.",
        source="https://github.com/clojars/clojars-web/wiki/Deploy-Tokens",
    ),
    # --- IBM Cloudant --------------------------------------------------------------------------
    Detector(
        "cloudant_credentials",
        "secret",
        r"https?://[A-Za-z0-9_-]{1,64}:(?P<v>[a-f0-9]{64}|[a-z]{24})@[A-Za-z0-9_-]{1,64}"
        r"\.cloudant(?:nosqldb\.appdomain\.cloud|\.com)",
        confidence="validated",
        keep=(0, 0),
        description="IBM Cloudant URL with its password or API key.",
        source="https://cloud.ibm.com/docs/Cloudant?topic=Cloudant-connecting",
    ),
    Detector(
        "cloudant_password",
        "secret",
        r"[a-f0-9]{64}|[a-z]{24}",
        _hex,
        context=("cloudant",),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="IBM Cloudant password or legacy API key (with 'cloudant' nearby).",
        source="https://cloud.ibm.com/docs/Cloudant?topic=Cloudant-connecting",
    ),
    # --- Cloudflare ----------------------------------------------------------------------------
    Detector(
        "cloudflare_api_token",
        "secret",
        r"cf(?:ut|at)_[A-Za-z0-9]{40}[a-f0-9]{8}",
        checksum=_cloudflare_crc,
        confidence="validated",
        keep=(5, 0),
        boundary=TOKEN_CHARS,
        description="Cloudflare user or account API token (cfut_/cfat_, CRC32 checksum).",
        source="https://developers.cloudflare.com/fundamentals/api/get-started/token-formats/",
    ),
    Detector(
        "cloudflare_global_api_key",
        "secret",
        r"cfk_[A-Za-z0-9]{40}[a-f0-9]{8}",
        checksum=_cloudflare_crc,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Cloudflare Global API key (cfk_, CRC32 checksum).",
        source="https://developers.cloudflare.com/fundamentals/api/get-started/token-formats/",
    ),
    Detector(
        "cloudflare_api_token_legacy",
        "secret",
        r"[A-Za-z0-9_-]{40}",
        _mixed(3.5),
        context=_CLOUDFLARE,
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Cloudflare API token, pre-2025 format (40 characters, labelled).",
        source="https://developers.cloudflare.com/fundamentals/api/get-started/create-token/",
    ),
    Detector(
        "cloudflare_global_api_key_legacy",
        "secret",
        r"[a-f0-9]{37}",
        _hex_key,
        context=_CLOUDFLARE,
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Cloudflare Global API key, pre-2025 format (37 hex characters, labelled).",
        source="https://developers.cloudflare.com/fundamentals/api/get-started/keys/",
    ),
    Detector(
        "cloudflare_origin_ca_key",
        "secret",
        r"v1\.0-[a-f0-9]{24}-[a-f0-9]{146}",
        _hex,
        confidence="validated",
        keep=(5, 0),
        boundary=TOKEN_CHARS,
        description="Cloudflare Origin CA key.",
        source="https://developers.cloudflare.com/fundamentals/api/get-started/ca-keys/",
    ),
    # --- Cloudinary, Codecov, Cohere, Coinbase -------------------------------------------------
    Detector(
        "cloudinary_url",
        "secret",
        r"cloudinary://(?P<v>[0-9]{15}:[A-Za-z0-9_-]{27})@[A-Za-z0-9_-]{1,64}",
        confidence="validated",
        keep=(0, 0),
        description="Cloudinary URL with its API key and secret (CLOUDINARY_URL).",
        source="https://cloudinary.com/documentation/developer_onboarding_faq_find_credentials",
    ),
    Detector(
        "cloudinary_api_secret",
        "secret",
        r"[A-Za-z0-9_-]{27}",
        _mixed(),
        context=("cloudinary",),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Cloudinary API secret (27 characters with 'cloudinary' nearby).",
        source="https://cloudinary.com/documentation/developer_onboarding_faq_find_credentials",
    ),
    Detector(
        "codecov_token",
        "secret",
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9]{32}",
        _letters_and_digits,
        context=("codecov",),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Codecov upload or API token (with 'codecov' nearby).",
        source="https://docs.codecov.com/docs/codecov-tokens",
    ),
    Detector(
        "cohere_api_key",
        "secret",
        r"[A-Za-z0-9]{40}",
        _mixed(3.5),
        context=("cohere", "co_api_key"),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Cohere API key (40 characters with 'cohere' / CO_API_KEY nearby).",
        source="https://docs.cohere.com/reference/about",
    ),
    Detector(
        "coinbase_api_secret",
        "secret",
        r"[A-Za-z0-9+/]{86}==|[A-Za-z0-9_-]{64}",
        _mixed(3.5),
        context=("coinbase", "cdp_api_key_secret", "cdp_api_secret", "cdp_secret"),
        context_required=True,
        keep=(0, 0),
        boundary=_B64_BOUNDARY,
        description="Coinbase / Coinbase Developer Platform API secret (labelled).",
        source="https://docs.cdp.coinbase.com/api-reference/v2/authentication",
    ),
    # --- Confluent, Contentful -----------------------------------------------------------------
    Detector(
        "confluent_api_secret",
        "secret",
        r"cflt[A-Za-z0-9+/]{60}",
        checksum=_confluent_crc,
        confidence="validated",
        keep=(4, 0),
        boundary=_B64_EDGE,
        description="Confluent Cloud API secret (cflt, CRC32 checksum).",
        source="https://docs.confluent.io/cloud/current/security/authenticate/"
        "workload-identities/service-accounts/api-keys/overview.html",
    ),
    Detector(
        "confluent_api_secret_legacy",
        "secret",
        r"[A-Za-z0-9+/]{64}",
        _mixed(3.5),
        context=("confluent", "ccloud"),
        context_required=True,
        keep=(0, 0),
        boundary=_B64_EDGE,
        description="Confluent Cloud API secret, pre-2025 format (64 characters, labelled).",
        source="https://docs.confluent.io/cloud/current/security/authenticate/"
        "workload-identities/service-accounts/api-keys/overview.html",
    ),
    Detector(
        "contentful_personal_access_token",
        "secret",
        r"CFPAT-[A-Za-z0-9_-]{43}",
        _token,
        confidence="validated",
        keep=(6, 0),
        boundary=TOKEN_CHARS,
        description="Contentful personal access token (CFPAT-).",
        source="https://www.contentful.com/developers/docs/references/authentication/",
    ),
    Detector(
        "contentful_delivery_token",
        "secret",
        r"[A-Za-z0-9_-]{43}",
        _mixed(3.5),
        context=("contentful",),
        context_required=True,
        keep=(0, 0),
        boundary=TOKEN_CHARS,
        description="Contentful Delivery / Preview API token (43 characters, labelled).",
        source="https://www.contentful.com/developers/docs/references/authentication/",
    ),
)
