"""Cloud and infrastructure credentials: AWS, Azure, Google Cloud, DigitalOcean, Heroku,
Databricks and HashiCorp Vault."""

from __future__ import annotations

from aigate.inspect.detectors.base import (
    BASE64_CHARS,
    TOKEN_CHARS,
    Detector,
    random_token,
    run_located,
)

# A base64 body's characters (the padding `=` apart).
_BASE64_BODY = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _aws_key_id(value: str) -> bool:
    return not value.endswith("EXAMPLE")  # AKIAIOSFODNN7EXAMPLE is AWS's documentation key


_aws_secret_token = random_token(4.0)


def _aws_secret(value: str) -> bool:
    """Lower and upper case letters and digits, not AWS's documentation key, random enough."""
    return (
        "EXAMPLEKEY" not in value
        and any(map(str.islower, value))
        and any(map(str.isupper, value))
        and any(map(str.isdigit, value))
        and _aws_secret_token(value)
    )


DETECTORS = (
    Detector(
        "aws_access_key_id",
        "secret",
        # Credential prefixes only: AIDA/AROA/AGPA/ANPA... are the unique ids of users, roles,
        # groups and policies, which CloudTrail logs and IAM policies show and which grant nothing.
        r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}",
        _aws_key_id,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="AWS access key id: long-term, temporary or service (example key ignored).",
        source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html"
        "#identifiers-unique-ids",
    ),
    Detector(
        "aws_secret_access_key",
        "secret",
        r"[A-Za-z0-9/+]{40}",
        _aws_secret,
        context=("aws", "secret_access_key", "secretaccesskey", "aws_secret", "secret access key"),
        context_required=True,
        first_start=run_located(_BASE64_BODY, 40),
        confidence="pattern",
        keep=(0, 0),
        boundary=BASE64_CHARS - {"="},  # `AWS_SECRET_ACCESS_KEY=<key>`: `=` may precede it
        description="AWS secret access key (40 base64 characters near 'aws'/'secret').",
        source="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
    ),
    Detector(
        "azure_storage_connection_string",
        "secret",
        r"(?i)AccountName=[A-Za-z0-9]{3,24};\s*AccountKey=(?P<v>[A-Za-z0-9+/]{86}==)",
        confidence="validated",
        keep=(0, 0),
        description="Azure Storage connection string with its account key.",
        source="https://learn.microsoft.com/en-us/azure/storage/common/"
        "storage-configure-connection-string",
    ),
    Detector(
        "azure_storage_key",
        "secret",
        r"[A-Za-z0-9+/]{86}==",
        random_token(4.5),
        context=("azure", "storage", "accountkey", "account_key", "blob"),
        context_required=True,
        first_start=run_located(_BASE64_BODY, 86),
        window=120,
        confidence="pattern",
        keep=(0, 0),
        boundary=BASE64_CHARS - {"="},  # `AccountKey=<key>`: `=` may precede it
        description="Azure Storage account key (with context).",
        source="https://learn.microsoft.com/en-us/azure/storage/common/storage-account-keys-manage",
    ),
    Detector(
        "azure_sas_token",
        "secret",
        r"(?i)[?&]sig=(?P<v>[A-Za-z0-9%+/]{40,120}(?:%3D|=){0,2})",
        context=("sv=", "se=", "sp=", "blob.core.windows.net", "sas"),
        context_required=True,
        window=300,
        confidence="pattern",
        keep=(0, 0),
        description="Azure shared access signature (sig= with SAS parameters).",
        source="https://learn.microsoft.com/en-us/azure/storage/common/storage-sas-overview",
    ),
    Detector(
        "azure_ad_client_secret",
        "secret",
        # Entra's identifiable secrets: 3 characters, a version digit, the `Q~` marker, 31-34 more
        # (Microsoft's security-utilities classify `7Q~`/`8Q~` precisely; older digits exist).
        r"[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}",
        random_token(3.5),
        confidence="validated",
        keep=(0, 0),
        boundary=frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-+/"),
        description="Microsoft Entra ID (Azure AD) application client secret (the Q~ marker).",
        source="https://github.com/microsoft/security-utilities/blob/main/"
        "GeneratedRegexPatterns/PreciselyClassifiedSecurityKeys.json",
    ),
    Detector(
        "gcp_service_account",
        "secret",
        r'"private_key_id"\s*:\s*"(?P<v>[a-f0-9]{40})"',
        context=("service_account", "client_email"),
        context_required=True,
        window=400,
        confidence="validated",
        keep=(0, 0),
        description="Google Cloud service-account key file (JSON).",
        source="https://cloud.google.com/iam/docs/keys-create-delete",
    ),
    Detector(
        "google_api_key",
        "secret",
        r"AIza[0-9A-Za-z_-]{35}",
        random_token(3.5),
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Google API key.",
        source="https://cloud.google.com/docs/authentication/api-keys",
    ),
    Detector(
        "google_oauth_client_secret",
        "secret",
        r"GOCSPX-[A-Za-z0-9_-]{28}",
        random_token(3.5),
        confidence="validated",
        keep=(7, 0),
        boundary=TOKEN_CHARS,
        description="Google OAuth client secret.",
        source="https://developers.google.com/identity/protocols/oauth2",
    ),
    Detector(
        "google_oauth_token",
        "secret",
        r"ya29\.[0-9A-Za-z_-]{30,300}",
        random_token(3.5),
        confidence="validated",
        keep=(5, 0),
        boundary=TOKEN_CHARS,
        description="Google OAuth access token.",
        source="https://developers.google.com/identity/protocols/oauth2",
    ),
    Detector(
        "digitalocean_token",
        "secret",
        r"do[por]_v1_[a-f0-9]{64}",
        confidence="validated",
        keep=(7, 0),
        boundary=TOKEN_CHARS,
        description="DigitalOcean personal, OAuth or refresh token.",
        source="https://docs.digitalocean.com/reference/api/create-personal-access-token/",
    ),
    Detector(
        "heroku_api_key",
        "secret",
        r"HRKU-[0-9A-Za-z_-]{60}",
        random_token(3.5),
        confidence="validated",
        keep=(5, 0),
        boundary=TOKEN_CHARS,
        description="Heroku platform API key (`HRKU-`).",
        source="https://devcenter.heroku.com/articles/authentication",
    ),
    Detector(
        "databricks_token",
        "secret",
        r"dapi[a-f0-9]{32}(?:-\d)?",
        random_token(3.0),
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Databricks personal access token.",
        source="https://docs.databricks.com/aws/en/dev-tools/auth/pat",
    ),
    Detector(
        "vault_token",
        "secret",
        r"hv[sbr]\.[A-Za-z0-9_-]{90,400}",
        random_token(3.5),
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="HashiCorp Vault service, batch or recovery token.",
        source="https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes",
    ),
    Detector(
        "vault_legacy_token",
        "secret",
        r"s\.[A-Za-z0-9]{24}",
        random_token(3.5),
        context=("vault", "x-vault-token", "vault_token"),
        context_required=True,
        confidence="pattern",
        keep=(2, 0),
        boundary=TOKEN_CHARS,
        description="HashiCorp Vault legacy service token (with context).",
        source="https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes",
    ),
)
