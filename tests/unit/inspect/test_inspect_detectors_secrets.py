"""Positive and negative tables for every secret detector, one table per detector module."""

import base64
import json

import pytest
from aigate.inspect.detectors import (
    secrets_ai,
    secrets_cloud,
    secrets_code,
    secrets_generic,
    secrets_keys,
    secrets_saas,
)
from inspect_helpers import ALNUM, HEX, github_token, hits, module_ids, rand

LOWER = "abcdefghijklmnopqrstuvwxyz"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "_-"


def _jwt(header: dict, payload: dict) -> str:
    def enc(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{enc(header)}.{enc(payload)}.{rand(URLSAFE, 43)}"


PEM_BODY = "\n".join(rand(B64, 64, seed=i) for i in range(5))

CODE = {
    "github_pat": (
        [f"token {github_token('ghp')}"],
        [github_token("ghp")[:-1] + "x", "ghp_" + "a" * 36],
    ),
    "github_oauth": ([github_token("gho", 2)], [github_token("gho", 2)[:-2] + "zz"]),
    "github_app": ([github_token("ghu", 3), github_token("ghs", 4)], ["ghs_" + rand(ALNUM, 36)]),
    "github_refresh": ([github_token("ghr", 5)], ["ghr_" + rand(ALNUM, 36)]),
    "github_fine_grained": (
        ["github_pat_" + rand(ALNUM, 22) + "_" + rand(ALNUM, 59, 8)],
        ["github_pat_" + "x" * 22 + "_" + "x" * 59],
    ),
    "gitlab_pat": (["glpat-" + rand(URLSAFE, 20)], ["glpat-xxxxxxxxxxxxxxxxxxxx", "glpat-short"]),
    "gitlab_token": (
        ["glrt-" + rand(URLSAFE, 20), "gldt-" + rand(URLSAFE, 20)],
        ["glzz-" + rand(URLSAFE, 20)],
    ),
    "npm_token": (
        [github_token("npm", 6)],
        ["npm_" + rand(ALNUM, 36), "npm_" + "a" * 36, "npm_install_dependencies"],
    ),
    "pypi_token": (["pypi-AgEIcHlwaS5vcmc" + rand(URLSAFE, 60)], ["pypi-AgEIcHlwaS5vcmc"]),
    "docker_hub_pat": (["dckr_pat_" + rand(URLSAFE, 27)], ["dckr_pat_" + "x" * 27]),
    "docker_config_auth": (
        [
            '{"auths": {"ghcr.io": {"auth": "'
            + base64.b64encode(b"user:s3cr3tPa55").decode()
            + '"}}}'
        ],
        [
            '{"auth": "' + base64.b64encode(b"user:s3cr3tPa55").decode() + '"}',
            '"auths": {"x": {"auth": ""}}',
        ],
    ),
}

CLOUD = {
    "aws_access_key_id": (
        ["AKIA" + rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)],
        ["AKIAIOSFODNN7EXAMPLE", "AKIA1234"],
    ),
    "aws_secret_access_key": (
        ["aws_secret_access_key = " + rand(B64, 40)],
        ["aws commit " + "0123456789abcdef0123456789abcdef01234567", rand(B64, 40)],
    ),
    "azure_storage_connection_string": (
        ["DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=" + rand(B64, 86) + "==;"],
        ["AccountName=acct1;AccountKey=short=="],
    ),
    "azure_storage_key": (["azure storage key " + rand(B64, 86) + "=="], [rand(B64, 86) + "=="]),
    "azure_sas_token": (
        ["https://a.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig=" + rand(ALNUM, 43) + "%3D"],
        ["https://example.org/?sig=" + rand(ALNUM, 43)],
    ),
    "azure_ad_client_secret": (["abc8Q~" + rand(URLSAFE, 34)], ["abc8Q~short"]),
    "gcp_service_account": (
        ['{"type": "service_account", "private_key_id": "' + rand(HEX, 40) + '"}'],
        ['{"private_key_id": "' + rand(HEX, 40) + '"}'],
    ),
    "google_api_key": (["AIza" + rand(URLSAFE, 35)], ["AIza" + "x" * 35, "AIzaShort"]),
    "google_oauth_client_secret": (["GOCSPX-" + rand(URLSAFE, 28)], ["GOCSPX-" + "x" * 28]),
    "google_oauth_token": (["ya29." + rand(URLSAFE, 80)], ["ya29.short"]),
    "digitalocean_token": (["dop_v1_" + rand(HEX, 64)], ["dop_v1_" + rand(HEX, 63)]),
    "heroku_api_key": (["HRKU-AA" + rand(URLSAFE, 58)], ["HRKU-AA" + "x" * 58]),
    "databricks_token": (["dapi" + rand(HEX, 32)], ["dapi" + rand(HEX, 31)]),
    "vault_token": (["hvs." + rand(URLSAFE, 95)], ["hvs.short"]),
    "vault_legacy_token": (["VAULT_TOKEN=s." + rand(ALNUM, 24)], ["s." + rand(ALNUM, 24)]),
}

SAAS = {
    "slack_bot_token": (["xoxb-1234567890-1234567890123-" + rand(ALNUM, 24)], ["xoxb-123-456-abc"]),
    "slack_user_token": (
        ["xoxp-1234567890-1234567890-1234567890123-" + rand(HEX, 32)],
        ["xoxp-1234567890-1234567890-1234567890123-" + "0" * 32],
    ),
    "slack_app_token": (["xapp-1-A0123456789-1234567890123-" + rand(HEX, 64)], ["xapp-1-short"]),
    "slack_webhook": (
        ["https://hooks.slack.com/services/T01234567/B01234567/" + rand(ALNUM, 24)],
        ["https://hooks.slack.com/services/T0/B0/x"],
    ),
    "stripe_secret_key": (
        ["sk_live_" + rand(ALNUM, 24), "rk_test_" + rand(ALNUM, 24)],
        ["sk_live_" + "x" * 24, "pk_live_" + rand(ALNUM, 24)],
    ),
    "stripe_webhook_secret": (["whsec_" + rand(ALNUM, 32)], ["whsec_" + "a" * 32]),
    "twilio_api_key": (["SK" + rand(HEX, 32)], ["SK" + "0" * 32]),
    "twilio_auth_token": (["TWILIO_AUTH_TOKEN=" + rand(HEX, 32)], [rand(HEX, 32) + " is an md5"]),
    "sendgrid_api_key": (
        ["SG." + rand(URLSAFE, 22) + "." + rand(URLSAFE, 43, 9)],
        ["SG.short.key"],
    ),
    "mailgun_api_key": (["mailgun key-" + rand(HEX, 32)], ["key-" + rand(HEX, 32)]),
    "shopify_token": (["shpat_" + rand(HEX, 32)], ["shpat_" + "0" * 32]),
    "datadog_api_key": (["DD_API_KEY=" + rand(HEX, 32)], [rand(HEX, 32)]),
    "telegram_bot_token": (
        ["123456789:AA" + rand(URLSAFE, 33)],
        ["123456789:AB" + rand(URLSAFE, 33)],
    ),
    "discord_webhook": (
        ["https://discord.com/api/webhooks/123456789012345678/" + rand(URLSAFE, 68)],
        ["https://discord.com/api/webhooks/1/x"],
    ),
    "sentry_dsn": (
        ["https://" + rand(HEX, 32) + "@o123456.ingest.sentry.io/42"],
        ["https://sentry.io/42"],
    ),
    "postman_api_key": (["PMAK-" + rand(HEX, 24) + "-" + rand(HEX, 34, 3)], ["PMAK-1234"]),
    "new_relic_key": (["NRAK-" + rand(ALNUM.upper(), 27)], ["NRAK-" + "X" * 27]),
    "atlassian_api_token": (["ATATT3" + rand(URLSAFE, 186)], ["ATATT3short"]),
    "linear_api_key": (["lin_api_" + rand(ALNUM, 40)], ["lin_api_" + "a" * 40]),
    "notion_token": (
        ["ntn_12345678901" + rand(ALNUM, 35), "secret_" + rand(ALNUM, 43)],
        ["secret_" + "a" * 43],
    ),
    "square_token": (
        ["sq0atp-" + rand(URLSAFE, 22), "EAAA" + rand(URLSAFE, 60)],
        ["sq0atp-" + "x" * 22],
    ),
}

AI = {
    "openai_api_key": (
        [
            "sk-proj-" + rand(URLSAFE, 120),
            "sk-" + rand(ALNUM, 20) + "T3BlbkFJ" + rand(ALNUM, 20, 3),
        ],
        ["sk-proj-" + "x" * 60, "sk-ant-api03-" + rand(URLSAFE, 95), "sk-" + rand(ALNUM, 48)],
    ),
    "anthropic_api_key": (
        ["sk-ant-api03-" + rand(URLSAFE, 95)],
        ["sk-ant-api03-" + "x" * 95, "sk-ant-short"],
    ),
    "huggingface_token": (
        ["hf_" + rand(LOWER + LOWER.upper(), 34)],
        ["hf_" + "x" * 34, "hf_hub_download"],
    ),
    "groq_api_key": (["gsk_" + rand(ALNUM, 52)], ["gsk_" + "a" * 52]),
    "xai_api_key": (["xai-" + rand(ALNUM, 80)], ["xai-" + "a" * 80]),
    "replicate_api_token": (["r8_" + rand(ALNUM, 37)], ["r8_" + "a" * 37]),
    "perplexity_api_key": (["pplx-" + rand(ALNUM, 48)], ["pplx-" + "a" * 48]),
}

KEYS = {
    "private_key_rsa": (
        [f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\n-----END RSA PRIVATE KEY-----"],
        ["files start with -----BEGIN RSA PRIVATE KEY----- and end ..."],
    ),
    "private_key_ec": (
        [f"-----BEGIN EC PRIVATE KEY-----\n{PEM_BODY}"],
        ["-----BEGIN EC PRIVATE KEY-----\n..."],
    ),
    "private_key_dsa": (
        [f"-----BEGIN DSA PRIVATE KEY-----\n{PEM_BODY}"],
        ["-----BEGIN DSA PUBLIC KEY-----\n" + PEM_BODY],
    ),
    "private_key_openssh": (
        [f"-----BEGIN OPENSSH PRIVATE KEY-----\n{PEM_BODY}\n-----END OPENSSH PRIVATE KEY-----"],
        ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI user@host"],
    ),
    "private_key_pkcs8": (
        [
            '{"private_key": "-----BEGIN PRIVATE KEY-----\\n'
            + PEM_BODY.replace("\n", "\\n")
            + '"}',
            f"-----BEGIN ENCRYPTED PRIVATE KEY-----\n{PEM_BODY}",
        ],
        ["-----BEGIN CERTIFICATE-----\n" + PEM_BODY],
    ),
    "private_key_pgp": (
        [f"-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n{PEM_BODY}"],
        ["-----BEGIN PGP PUBLIC KEY BLOCK-----\n" + PEM_BODY],
    ),
    "jwt": (
        [_jwt({"alg": "HS256", "typ": "JWT"}, {"sub": "1234", "name": "Jane"})],
        [
            "eyJhbGciOiJub25lIn0x.eyJzdWIiOiIxMjMifQx." + "a" * 20,
            "eyJ" + "a" * 20 + ".eyJ" + "b" * 20 + "." + "c" * 20,
        ],
    ),
    "age_secret_key": (
        ["AGE-SECRET-KEY-1" + rand("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)],
        ["AGE-SECRET-KEY-1short"],
    ),
}

GENERIC = {
    "password_in_url": (
        [
            "postgres://admin:Tr0ub4dor&3@db.internal:5432/app",
            "https://bob:hunter2x@git.acme.io/r.git",
        ],
        [
            "postgres://admin:${DB_PASSWORD}@db/app",
            "https://user:password@host",
            "mailto:bob@acme.io",
            "redis://:<your-password>@cache:6379",
        ],
    ),
    "password_connection_string": (
        ["Server=sql01;Database=app;User Id=sa;Password=Xk9#mP2$vL;"],
        ["Server=sql01;Database=app;Password=changeme;", "Server=sql01;Integrated Security=true;"],
    ),
    "password_assignment": (
        ['password = "Zx8#kP2mQ9vL"', "DB_PASSWORD=aB3dE6gH9jK2", "api_key: 7f3kQ9zLm2Xw8RtY"],
        [
            "password = os.environ['DB_PASSWORD']",
            'password = "changeme"',
            "password: ${PASSWORD}",
            "password = get_password()",
            "password=<your-password>",
            "secret = settings.SECRET_KEY",
            "password: required",
            "password = 'password'",
        ],
    ),
}

TABLES = {
    secrets_code: CODE,
    secrets_cloud: CLOUD,
    secrets_saas: SAAS,
    secrets_ai: AI,
    secrets_keys: KEYS,
    secrets_generic: GENERIC,
}
ALL = {k: v for table in TABLES.values() for k, v in table.items()}


@pytest.mark.parametrize("module", list(TABLES), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_detector_in_the_module_has_a_table(module):
    assert module_ids(module) == set(TABLES[module])


@pytest.mark.parametrize(("detector", "text"), [(d, t) for d, (pos, _) in ALL.items() for t in pos])
def test_detects_positive_example(detector, text):
    assert hits(detector, text), f"{detector} missed {text!r}"


@pytest.mark.parametrize(("detector", "text"), [(d, t) for d, (_, neg) in ALL.items() for t in neg])
def test_ignores_negative_example(detector, text):
    assert hits(detector, text) == []


def test_pem_finding_spans_the_whole_block():
    text = f"key:\n-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\n-----END RSA PRIVATE KEY-----\nbye"
    (value,) = hits("private_key_rsa", text)
    assert value.endswith("-----END RSA PRIVATE KEY-----")


def test_token_embedded_in_a_longer_word_is_not_a_finding():
    assert hits("google_api_key", "xAIza" + rand(URLSAFE, 35)) == []
