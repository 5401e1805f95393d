"""Positive and negative tables for every secret detector, one table per detector module."""

import base64
import hashlib
import json

import pytest
from aigate.inspect.detectors import (
    secrets_ai,
    secrets_cloud,
    secrets_code,
    secrets_keys,
    secrets_saas,
)
from inspect_helpers import ALNUM, HEX, b58check, github_token, hits, levels, module_ids, rand

LOWER = "abcdefghijklmnopqrstuvwxyz"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "_-"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _jwt(header: dict, payload: dict, sig: int = 43) -> str:
    def enc(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{enc(header)}.{enc(payload)}.{rand(URLSAFE, sig)}"


def _wif(compressed: bool, seed: int = 3) -> str:
    """A Bitcoin private key in wallet import format: 0x80, 32 bytes, 0x01 when compressed,
    base58check."""
    payload = b"\x80" + bytes.fromhex(rand(HEX, 64, seed)) + (b"\x01" if compressed else b"")
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n, out = int.from_bytes(raw, "big"), ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return out


PEM_BODY = "\n".join(rand(B64, 64, seed=i) for i in range(5))

CODE = {
    # a GitHub token failing its CRC32 is a "low" finding, not a hit (levels() in
    # test_inspect_detectors_vendors_d_h checks the low level)
    "github_pat": (
        [f"token {github_token('ghp')}"],
        [github_token("ghp")[:-1] + "x", "ghp_" + "a" * 36, "ghp_" + rand(ALNUM, 36)],
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
        [
            "glrt-" + rand(URLSAFE, 20),
            "gldt-" + rand(URLSAFE, 20),
            "glrtr-" + rand(URLSAFE, 20, 2),
            "glffct-" + rand(URLSAFE, 20, 3),
            "glwt-" + rand(URLSAFE, 20, 4),
            "glagent-" + rand(URLSAFE, 50, 5),
        ],
        ["glzz-" + rand(URLSAFE, 20), "glft-short"],
    ),
    "npm_token": (
        [github_token("npm", 6)],
        # a random body fails the CRC32: reported low, so not a hit at pattern level
        ["npm_" + rand(ALNUM, 36), "npm_" + "a" * 36, "npm_install_dependencies"],
    ),
    "pypi_token": (
        [
            "pypi-AgEIcHlwaS5vcmc" + rand(URLSAFE, 60),
            "pypi-AgENdGVzdC5weXBpLm9yZw" + rand(URLSAFE, 70),
        ],
        ["pypi-AgEIcHlwaS5vcmc", "pypi-AgEIcHlwaS5vcmX" + rand(URLSAFE, 60)],
    ),
    "docker_hub_pat": (
        ["dckr_pat_" + rand(URLSAFE, 27), "dckr_oat_" + rand(URLSAFE, 32)],
        ["dckr_pat_" + "x" * 27, "dckr_oat_" + rand(URLSAFE, 20)],
    ),
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
        [
            "AKIA" + rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
            "ASIA" + rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 2),
        ],
        [
            "AKIAIOSFODNN7EXAMPLE",
            "AKIA1234",
            # unique ids of a role / user: identifiers in logs and policies, not credentials
            "AROA" + rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
            "AIDA" + rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
            "XAKIA" + rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
        ],
    ),
    "aws_secret_access_key": (
        [
            "aws_secret_access_key = " + rand(B64, 40),
            "AWS_SECRET_ACCESS_KEY=" + rand(B64, 40, 2),
        ],
        ["aws commit " + "0123456789abcdef0123456789abcdef01234567", rand(B64, 40)],
    ),
    "azure_storage_connection_string": (
        ["DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=" + rand(B64, 86) + "==;"],
        ["AccountName=acct1;AccountKey=short=="],
    ),
    "azure_storage_key": (
        [
            "azure storage key " + rand(B64, 86) + "==",
            "AZURE_STORAGE_KEY=" + rand(B64, 86, 2) + "==",
        ],
        [rand(B64, 86) + "==", "azure blob " + rand(B64, 90) + "=="],
    ),
    "azure_sas_token": (
        ["https://a.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig=" + rand(ALNUM, 43) + "%3D"],
        ["https://example.org/?sig=" + rand(ALNUM, 43)],
    ),
    "azure_ad_client_secret": (
        ["client_secret: abc8Q~" + rand(URLSAFE, 34), "a.-7Q~" + rand(URLSAFE, 31, 3)],
        ["abc8Q~short", "abcXQ~" + rand(URLSAFE, 34), "abc8Q~" + "x" * 34],
    ),
    "gcp_service_account": (
        ['{"type": "service_account", "private_key_id": "' + rand(HEX, 40) + '"}'],
        ['{"private_key_id": "' + rand(HEX, 40) + '"}'],
    ),
    "google_api_key": (["AIza" + rand(URLSAFE, 35)], ["AIza" + "x" * 35, "AIzaShort"]),
    "google_oauth_client_secret": (["GOCSPX-" + rand(URLSAFE, 28)], ["GOCSPX-" + "x" * 28]),
    "google_oauth_token": (["ya29." + rand(URLSAFE, 80)], ["ya29.short"]),
    "digitalocean_token": (["dop_v1_" + rand(HEX, 64)], ["dop_v1_" + rand(HEX, 63)]),
    "heroku_api_key": (
        ["HRKU-AA" + rand(URLSAFE, 58), "HRKU-" + rand(URLSAFE, 60, 2)],
        ["HRKU-AA" + "x" * 58, "HRKU-" + rand(URLSAFE, 40)],
    ),
    "databricks_token": (
        ["dapi" + rand(HEX, 32), "dapi" + rand(HEX, 32, 2) + "-2"],
        ["dapi" + rand(HEX, 31)],
    ),
    "vault_token": (
        ["hvs." + rand(URLSAFE, 95), "hvb." + rand(URLSAFE, 150, 2), "hvr." + rand(URLSAFE, 95, 3)],
        ["hvs.short", "hvx." + rand(URLSAFE, 95)],
    ),
    "vault_legacy_token": (["VAULT_TOKEN=s." + rand(ALNUM, 24)], ["s." + rand(ALNUM, 24)]),
}

SAAS = {
    "slack_bot_token": (
        [
            "xoxb-7812365427-2364535789652-" + rand(ALNUM, 24),
            "xoxb-263594206564-" + rand(ALNUM, 24),
        ],
        ["xoxb-123-456-abc", "xoxb-7812365427-2364535789652-" + "x" * 24],
    ),
    "slack_user_token": (
        [
            "xoxp-4168437291-1320496754-4560996830195-" + rand(HEX, 32),
            "xoxe-4726837507825-4848681849303-4856614048758-" + rand(HEX, 32, 2),
        ],
        [
            "xoxp-4168437291-1320496754-4560996830195-" + "0" * 32,
            "xoxp-1234-1234-1234-" + rand(HEX, 32),
        ],
    ),
    "slack_app_token": (
        ["xapp-1-A052FGTS2DL-5171572773297-" + rand(HEX, 64)],
        ["xapp-1-short", "xapp-1-A052FGTS2DL-5171572773297-" + "0" * 64],
    ),
    "slack_webhook": (
        [
            "https://hooks.slack.com/services/T0DCUJB1Q/B0DD08H5G/" + rand(ALNUM, 24),
            "hooks.slack.com/services/T024TTTTT1/BBB72BBL3/" + rand(ALNUM, 24, 2),
        ],
        [
            "https://hooks.slack.com/services/T0/B0/x",
            "https://hooks.slack.com.evil.example/services/T0DCUJB1Q/B0DD08H5G/" + rand(ALNUM, 24),
        ],
    ),
    "stripe_secret_key": (
        ["sk_live_" + rand(ALNUM, 24), "sk_test_51" + rand(ALNUM, 97)],
        ["sk_live_" + "x" * 24, "pk_live_" + rand(ALNUM, 24), "rk_test_" + rand(ALNUM, 24)],
    ),
    "stripe_webhook_secret": (["whsec_" + rand(ALNUM, 32)], ["whsec_" + "a" * 32]),
    "twilio_api_key": (
        ["SK" + rand(HEX, 32), "TWILIO_API_KEY=SK" + rand(HEX, 32, 2)],
        ["SK" + "0" * 32, "SK" + rand(HEX, 31), "xSK" + rand(HEX, 32)],
    ),
    "twilio_auth_token": (["TWILIO_AUTH_TOKEN=" + rand(HEX, 32)], [rand(HEX, 32) + " is an md5"]),
    "twilio_api_key_secret": (
        [
            "TWILIO_API_SECRET=" + rand(ALNUM, 32, 3),
            "the twilio api secret is " + rand(ALNUM, 32, 4),
        ],
        [rand(ALNUM, 32, 5), "twilio auth token " + rand(HEX, 32), "twilio " + rand(LOWER, 32)],
    ),
    "sendgrid_api_key": (
        ["SG." + rand(URLSAFE, 22) + "." + rand(URLSAFE, 43, 9)],
        ["SG.short.key"],
    ),
    "mailgun_api_key": (
        [
            "mailgun key-" + rand(HEX, 32),
            "curl -s --user 'api:key-" + rand(HEX, 32) + "'",
            "MAILGUN_API_KEY=" + rand(HEX, 32) + "-" + rand(HEX, 8, 2) + "-" + rand(HEX, 8, 3),
        ],
        ["key-" + rand(HEX, 32), "mailgun pubkey-" + rand(HEX, 32)],
    ),
    "shopify_token": (
        ["shpat_" + rand(HEX, 32), "shpss_" + rand(HEX, 32, 2), "shpca_" + rand(HEX, 32, 3)],
        ["shpat_" + "0" * 32, "shpxx_" + rand(HEX, 32)],
    ),
    "datadog_api_key": (
        ["DD_API_KEY=" + rand(HEX, 32), "datadog app key " + rand(HEX, 40, 2)],
        [rand(HEX, 32), "DD_API_KEY=" + rand(HEX, 20)],
    ),
    "telegram_bot_token": (
        ["734120958:AA" + rand(URLSAFE, 33)],
        ["734120958:AB" + rand(URLSAFE, 33), "734120958:AA" + rand(URLSAFE, 30)],
    ),
    "discord_webhook": (
        [
            "https://discord.com/api/webhooks/872046153917264830/" + rand(URLSAFE, 68),
            "https://canary.discord.com/api/v10/webhooks/1190472658301947562/"
            + rand(URLSAFE, 68, 2),
        ],
        [
            "https://discord.com/api/webhooks/1/x",
            "https://discord.com/api/webhooks/872046153917264830",
        ],
    ),
    "sentry_dsn": (
        [
            "https://" + rand(HEX, 32) + "@o123456.ingest.sentry.io/42",
            "https://" + rand(HEX, 32) + "@o123456.ingest.us.sentry.io/42",
            "https://" + rand(HEX, 32) + ":" + rand(HEX, 32, 2) + "@sentry.io/42",
        ],
        ["https://sentry.io/42", "https://" + rand(HEX, 32) + "@sentry.example.com/42"],
    ),
    "postman_api_key": (
        ["PMAK-" + rand(HEX, 24) + "-" + rand(HEX, 34, 3)],
        ["PMAK-1234", "PMAK-" + rand(HEX, 24) + "-" + rand(HEX, 33, 3)],
    ),
    "new_relic_key": (
        ["NRAK-" + rand(ALNUM.upper(), 27), "NRAA-" + rand(ALNUM.upper(), 27, 2)],
        ["NRAK-" + "X" * 27, "NRJS-" + rand(ALNUM, 27), "NRAK-" + rand(ALNUM, 26)],
    ),
    "linear_api_key": (
        ["lin_api_" + rand(ALNUM, 40)],
        ["lin_api_" + "a" * 40, "lin_api_" + rand(ALNUM, 39)],
    ),
    "notion_token": (
        ["ntn_" + rand("0123456789", 11) + rand(ALNUM, 35)],
        [
            "secret_" + rand(ALNUM, 43),
            "ntn_" + rand("0123456789", 10) + rand(ALNUM, 36),
            "ntn_" + "a" * 46,
        ],
    ),
    "square_token": (
        ["sq0atp-" + rand(URLSAFE, 22), "EAAA" + rand(URLSAFE, 60)],
        ["sq0atp-" + "x" * 22, "sq0csp-" + rand(URLSAFE, 43), "EAAA" + rand(URLSAFE, 80)],
    ),
}

AI = {
    "openai_api_key": (
        [
            "sk-proj-" + rand(URLSAFE, 120),
            "sk-svcacct-" + rand(URLSAFE, 74) + "T3BlbkFJ" + rand(URLSAFE, 74, 2),
            "sk-None-" + rand(URLSAFE, 48),
            "sk-" + rand(ALNUM, 20) + "T3BlbkFJ" + rand(ALNUM, 20, 3),
        ],
        ["sk-proj-" + "x" * 60, "sk-ant-api03-" + rand(URLSAFE, 95), "sk-" + rand(ALNUM, 48)],
    ),
    "anthropic_api_key": (
        ["sk-ant-api03-" + rand(URLSAFE, 95)],
        ["sk-ant-api03-" + "x" * 95, "sk-ant-short"],
    ),
    "huggingface_token": (
        ["hf_" + rand(LOWER + LOWER.upper(), 34), "api_org_" + rand(ALNUM, 34, 2)],
        ["hf_" + "x" * 34, "hf_hub_download", "hf_" + rand(ALNUM, 20)],
    ),
    "groq_api_key": (["gsk_" + rand(ALNUM, 52)], ["gsk_" + "a" * 52, "gsk_" + rand(ALNUM, 30)]),
    "xai_api_key": (["xai-" + rand(ALNUM, 80)], ["xai-" + "a" * 80, "xai-" + rand(ALNUM, 79)]),
    "replicate_api_token": (
        ["r8_" + rand(ALNUM, 37), "REPLICATE_API_TOKEN=r8_" + rand(URLSAFE, 37, 2)],
        ["r8_" + "a" * 37, "r8_" + rand(ALNUM, 36)],
    ),
    "perplexity_api_key": (
        ["pplx-" + rand(ALNUM, 48)],
        ["pplx-" + "a" * 48, "pplx-" + rand(ALNUM, 47)],
    ),
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
            '"key": "-----BEGIN PRIVATE KEY-----\\r\\n' + PEM_BODY.replace("\n", "\\r\\n") + '"',
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
            "eyJub3QiOiJhIGp3dCJ9.eyJzdWIiOiIxMjMifQ." + rand(URLSAFE, 43),  # header has no alg
        ],
    ),
    "jwt_signed": (
        [
            _jwt({"alg": "HS256", "typ": "JWT"}, {"sub": "1234", "iat": 1700000000}),
            _jwt({"alg": "RS256", "kid": "k1"}, {"iss": "https://id.acme.io"}, sig=342),
            _jwt({"alg": "ES256"}, {"sub": "svc"}, sig=86),
        ],
        [
            _jwt({"alg": "HS256"}, {"sub": "1234"}, sig=20),  # made-up signature
            _jwt({"alg": "RS256"}, {"sub": "1234"}, sig=43),  # too short for any RSA key
            _jwt({"typ": "JWT"}, {"sub": "1234"}),  # no algorithm
        ],
    ),
    "supabase_service_role_key": (
        [
            _jwt(
                {"alg": "HS256", "typ": "JWT"},
                {"iss": "supabase", "ref": rand(LOWER, 20), "role": "service_role", "exp": 2e9},
            )
        ],
        [_jwt({"alg": "HS256"}, {"iss": "supabase", "role": "anon"})],
    ),
    "crypto_wif_private_key": (
        ["bitcoin private key (WIF): " + _wif(compressed=True), "wif " + _wif(compressed=False)],
        [
            "wallet address " + b58check(0),  # an address, not a key
            _wif(compressed=True),  # no label
            "private key " + _wif(compressed=True)[:-1] + "x",  # checksum fails: low only
        ],
    ),
    "crypto_hex_private_key": (
        ["ETH private key: 0x" + rand(HEX, 64, 11), "privkey = " + rand(HEX, 64, 12)],
        [
            "sha256 " + rand(HEX, 64, 13),
            "tx hash 0x" + rand(HEX, 64, 14),
            "private key: 0x" + "0" * 64,
        ],
    ),
    "age_secret_key": (
        ["AGE-SECRET-KEY-1" + rand("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)],
        ["AGE-SECRET-KEY-1short"],
    ),
}

TABLES = {
    secrets_code: CODE,
    secrets_cloud: CLOUD,
    secrets_saas: SAAS,
    secrets_ai: AI,
    secrets_keys: KEYS,
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


SERVICE_ROLE = _jwt({"alg": "HS256", "typ": "JWT"}, {"iss": "supabase", "role": "service_role"})
UNSIGNED_SHORT = _jwt({"alg": "HS256"}, {"sub": "42", "role": "anon"}, sig=20)


@pytest.mark.parametrize(
    ("detector", "text", "level"),
    [
        ("jwt_signed", _jwt({"alg": "HS256"}, {"sub": "42"}), "validated"),
        ("jwt_signed", _jwt({"alg": "PS512"}, {"sub": "42"}, sig=683), "validated"),
        ("supabase_service_role_key", f"SUPABASE_SERVICE_ROLE_KEY={SERVICE_ROLE}", "validated"),
        ("supabase_service_role_key", SERVICE_ROLE, "validated"),
        # a JWT whose signature was cut or made up is a finding when a label names it
        ("jwt", f"SUPABASE_SERVICE_ROLE_KEY={UNSIGNED_SHORT}", "context"),
        ("jwt", f'{{"apiKey": "{UNSIGNED_SHORT}"}}', "context"),
        ("jwt", f"session={UNSIGNED_SHORT}", "context"),
        ("jwt", UNSIGNED_SHORT, "pattern"),
        ("crypto_wif_private_key", "WIF: " + _wif(compressed=True, seed=5), "validated"),
        ("crypto_wif_private_key", "private key " + _wif(compressed=True)[:-1] + "x", "low"),
        ("crypto_hex_private_key", "private_key = 0x" + rand(HEX, 64, 15), "context"),
        ("google_oauth_token", "ya29.a0" + rand(URLSAFE, 150), "validated"),
        ("twilio_api_key_secret", "TWILIO_API_SECRET=" + rand(ALNUM, 32, 8), "context"),
    ],
)
def test_finding_has_its_confidence(detector, text, level):
    assert [found for _, found in levels(detector, text)] == [level], text


def test_unsigned_jwt_with_alg_none_is_found():
    head = base64.urlsafe_b64encode(b'{"alg":"none"}').decode().rstrip("=")
    body = base64.urlsafe_b64encode(b'{"sub":"test-user"}').decode().rstrip("=")
    text = f'String token = "{head}.{body}.";'
    assert hits("jwt", text) == [f"{head}.{body}."]


def test_openssh_key_as_ssh_keygen_writes_it_is_found():
    body = base64.b64encode(
        b"openssh-key-v1\0\0\0\0\x04none\0\0\0\x04none\0\0\0\0\0\0\0\x01\0\0\0\x33"
        + bytes.fromhex(rand(HEX, 400, 16))
    ).decode()
    lines = "\n".join(body[i : i + 70] for i in range(0, len(body), 70))
    text = f"-----BEGIN OPENSSH PRIVATE KEY-----\n{lines}\n-----END OPENSSH PRIVATE KEY-----\n"
    assert hits("private_key_openssh", text)
