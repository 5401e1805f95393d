"""Cloud and infrastructure credentials: AWS, Azure, Google Cloud, DigitalOcean, Heroku,
Databricks and HashiCorp Vault."""

from __future__ import annotations

from aigate.inspect.detectors.base import BASE64_CHARS, TOKEN_CHARS, Detector, random_token


def _aws_key_id(value: str) -> bool:
    return not value.endswith("EXAMPLE")  # AKIAIOSFODNN7EXAMPLE is AWS's documentation key


def _aws_secret(value: str) -> bool:
    has_classes = sum(
        any(f(ch) for ch in value) for f in (str.islower, str.isupper, str.isdigit)
    )
    return has_classes == 3 and "EXAMPLEKEY" not in value and random_token(4.0)(value)


DETECTORS = (
    Detector(
        "aws_access_key_id",
        "secret",
        r"(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA|AGPA|ANPA)[A-Z2-7]{16}",
        _aws_key_id,
        confidence=0.95,
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="AWS access key id (AWS's documentation example is ignored).",
    ),
    Detector(
        "aws_secret_access_key",
        "secret",
        r"[A-Za-z0-9/+]{40}",
        _aws_secret,
        context=("aws", "secret_access_key", "secretaccesskey", "aws_secret", "secret access key"),
        confidence=0.85,
        keep=(0, 0),
        boundary=BASE64_CHARS,
        description="AWS secret access key (40 base64 characters near 'aws'/'secret').",
    ),
    Detector(
        "azure_storage_connection_string",
        "secret",
        r"(?i)AccountName=[A-Za-z0-9]{3,24};\s*AccountKey=(?P<v>[A-Za-z0-9+/]{86}==)",
        confidence=0.99,
        keep=(0, 0),
        description="Azure Storage connection string with its account key.",
    ),
    Detector(
        "azure_storage_key",
        "secret",
        r"[A-Za-z0-9+/]{86}==",
        random_token(4.5),
        context=("azure", "storage", "accountkey", "account_key", "blob"),
        window=120,
        confidence=0.85,
        keep=(0, 0),
        boundary=BASE64_CHARS,
        description="Azure Storage account key (with context).",
    ),
    Detector(
        "azure_sas_token",
        "secret",
        r"(?i)[?&]sig=(?P<v>[A-Za-z0-9%+/]{40,120}(?:%3D|=){0,2})",
        context=("sv=", "se=", "sp=", "blob.core.windows.net", "sas"),
        window=300,
        confidence=0.9,
        keep=(0, 0),
        description="Azure shared access signature (sig= with SAS parameters).",
    ),
    Detector(
        "azure_ad_client_secret",
        "secret",
        r"[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}",
        random_token(3.5),
        confidence=0.9,
        keep=(0, 0),
        boundary=frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-"),
        description="Microsoft Entra ID (Azure AD) application client secret.",
    ),
    Detector(
        "gcp_service_account",
        "secret",
        r'"private_key_id"\s*:\s*"(?P<v>[a-f0-9]{40})"',
        context=("service_account", "client_email", "private_key"),
        window=400,
        confidence=0.95,
        keep=(0, 0),
        description="Google Cloud service-account key file (JSON).",
    ),
    Detector(
        "google_api_key",
        "secret",
        r"AIza[0-9A-Za-z_-]{35}",
        random_token(3.5),
        confidence=0.95,
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Google API key.",
    ),
    Detector(
        "google_oauth_client_secret",
        "secret",
        r"GOCSPX-[A-Za-z0-9_-]{28}",
        random_token(3.5),
        confidence=0.95,
        keep=(7, 0),
        boundary=TOKEN_CHARS,
        description="Google OAuth client secret.",
    ),
    Detector(
        "google_oauth_token",
        "secret",
        r"ya29\.[0-9A-Za-z_-]{30,300}",
        random_token(3.5),
        confidence=0.9,
        keep=(5, 0),
        boundary=TOKEN_CHARS,
        description="Google OAuth access token.",
    ),
    Detector(
        "digitalocean_token",
        "secret",
        r"do[por]_v1_[a-f0-9]{64}",
        confidence=0.99,
        keep=(7, 0),
        boundary=TOKEN_CHARS,
        description="DigitalOcean personal, OAuth or refresh token.",
    ),
    Detector(
        "heroku_api_key",
        "secret",
        r"HRKU-AA[0-9A-Za-z_-]{58}",
        random_token(3.5),
        confidence=0.95,
        keep=(7, 0),
        boundary=TOKEN_CHARS,
        description="Heroku platform API key.",
    ),
    Detector(
        "databricks_token",
        "secret",
        r"dapi[a-f0-9]{32}(?:-\d)?",
        random_token(3.0),
        confidence=0.95,
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="Databricks personal access token.",
    ),
    Detector(
        "vault_token",
        "secret",
        r"hv[sb]\.[A-Za-z0-9_-]{90,400}",
        random_token(3.5),
        confidence=0.95,
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="HashiCorp Vault service or batch token.",
    ),
    Detector(
        "vault_legacy_token",
        "secret",
        r"s\.[A-Za-z0-9]{24}",
        random_token(3.5),
        context=("vault", "x-vault-token", "vault_token"),
        confidence=0.85,
        keep=(2, 0),
        boundary=TOKEN_CHARS,
        description="HashiCorp Vault legacy service token (with context).",
    ),
)
