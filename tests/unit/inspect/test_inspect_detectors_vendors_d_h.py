"""Positive and negative tables for the vendor detectors D to H (secrets_vendors_d_h), plus the
checksums of GitHub, GitLab routable and Grafana tokens and of Discord bot ids."""

import base64
import json
import string
import uuid
import zlib

import pytest
from aigate.inspect.detectors import builtin, secrets_vendors_d_h
from aigate.inspect.engine import Scanner
from inspect_helpers import ALNUM, HEX, github_token, hits, levels, module_ids, rand

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
LOWNUM = LOWER + string.digits
UPNUM = UPPER + string.digits
URLSAFE = ALNUM + "_-"
B64 = ALNUM + "+/"
DJANGO = LOWNUM + "!@#$^&*-_=+)"  # Django's alphabet, less '%(' (a template marker)


def _b36(n: int, width: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(width, "0")


def gitlab_routable(prefix: str, seed: int = 1, versioned: bool = True) -> str:
    """A token in GitLab's routable format with its CRC32 (made here, never a real one)."""
    payload = rand(URLSAFE, 40, seed)
    middle = ".01." if versioned else "."
    body = f"{prefix}{payload}{middle}{_b36(len(payload), 2)}"
    return body + _b36(zlib.crc32(body.encode()), 7)


def grafana_sa(seed: int = 1) -> str:
    key = "glsa_" + rand(ALNUM, 32, seed)
    return f"{key}_{zlib.crc32(key.encode()).to_bytes(4, 'little').hex()}"


def b64json(obj: dict) -> str:
    return base64.b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode()


def discord_bot(seed: int = 1, created_ms: int = 1_700_000_000_000) -> str:
    snowflake = ((created_ms - 1_420_070_400_000) << 22) | 4242
    first = base64.urlsafe_b64encode(str(snowflake).encode()).decode().rstrip("=")
    return f"{first}.{rand(URLSAFE, 6, seed)}.{rand(URLSAFE, 38, seed + 1)}"


def a_uuid(seed: int) -> str:
    return str(uuid.UUID(hex=rand(HEX, 32, seed)))


GRAFANA_KEY = b64json({"k": rand(ALNUM, 32, 3), "n": "ci-bot", "id": 1})
GRAFANA_CLOUD = "glc_" + b64json(
    {"o": "123456", "n": "stack-read", "k": rand(ALNUM, 32, 4), "m": {"r": "prod-eu-west-0"}}
)
FB = "EAAG" + rand(ALNUM, 150)
DROPBOX_TAIL = rand(URLSAFE, 43, 5)
DROPBOX_LL = rand(LOWNUM, 11) + "AAAAAAAAAA" + DROPBOX_TAIL
ROUTABLE = gitlab_routable("glpat-")
RUNNER = gitlab_routable("glrt-t1_", 2, versioned=False)
DISCORD = discord_bot()

# detector -> (positives: (text, value, confidence), negatives: texts with no finding)
CASES = {
    "databricks_oauth_secret": (
        [(f"client secret dose{h} set", f"dose{h}", "validated") for h in [rand(HEX, 32)]],
        ["dose" + rand(HEX, 31), "the dose" + "0" * 32, "overdose" + rand(HEX, 32)],
    ),
    "datastax_astra_token": (
        [
            (f"token {v} here", v, "validated")
            for v in ["AstraCS:" + rand(ALNUM.strip(string.digits), 24) + ":" + rand(HEX, 64)]
        ],
        ["AstraCS:short:" + rand(HEX, 64)],
    ),
    "defined_networking_api_token": (
        [
            (f"DN key {v}", v, "validated")
            for v in ["dnkey-" + rand(UPNUM, 26) + "-" + rand(UPNUM, 52)]
        ],
        ["dnkey-" + rand(UPNUM, 20) + "-" + rand(UPNUM, 52)],
    ),
    "deno_deploy_token": (
        [
            (f"export DENO_DEPLOY_TOKEN={v}", v, "validated")
            for v in ["ddp_" + rand(ALNUM, 36), "ddo_" + rand(ALNUM, 36, 2)]
        ],
        ["ddx_" + rand(ALNUM, 36), "ddp_" + rand(ALNUM, 30)],
    ),
    "deepseek_api_key": (
        [(f"DEEPSEEK_API_KEY={v}", v, "context") for v in ["sk-" + rand(HEX, 32)]],
        ["sk-" + rand(HEX, 32) + " is some key", "deepseek sk-" + rand(HEX, 31)],
    ),
    "discord_bot_token": (
        [
            (f"Authorization: Bot {DISCORD}", DISCORD, "validated"),
            (f"discord token {DISCORD}", DISCORD, "validated"),
        ],
        [f"the value {DISCORD} again", "discord m.abcdef.ghij"],
    ),
    "discord_client_secret": (
        [(f"DISCORD_CLIENT_SECRET={v}", v, "context") for v in [rand(URLSAFE, 32)]],
        ["CLIENT_SECRET=" + rand(URLSAFE, 32), "discord client_secret=" + "x" * 32],
    ),
    "django_insecure_secret_key": (
        [(f'SECRET_KEY = "{v}"', v, "validated") for v in ["django-insecure-" + rand(DJANGO, 50)]],
        ['SECRET_KEY = "django-insecure-short"', "django-insecure-" + "a" * 50],
    ),
    "doppler_token": (
        [
            (f"DOPPLER_TOKEN={v}", v, "validated")
            for v in [
                "dp.pt." + rand(ALNUM, 43),
                "dp.st.dev." + rand(ALNUM, 44, 2),
                "dp.sa." + rand(ALNUM, 40, 3),
                "dp.scim." + rand(ALNUM, 43, 4),
            ]
        ],
        ["dp.pt.short", "dp.xx." + rand(ALNUM, 43)],
    ),
    "dotenv_vault_key": (
        [
            (
                f'DOTENV_KEY="{v}@dotenv.org/vault/.env.vault?environment=production"',
                v,
                "validated",
            )
            for v in ["dotenv://:key_" + rand(HEX, 64)]
        ],
        ["dotenv://:key_" + rand(HEX, 64) + "@example.org/vault/"],
    ),
    "drone_ci_token": (
        [(f"DRONE_TOKEN={v}", v, "context") for v in [rand(ALNUM, 32)]],
        ["token " + rand(ALNUM, 32), "DRONE_TOKEN=" + "abcdefghijklmnopqrstuvwxyzabcdef"],
    ),
    "dropbox_short_lived_token": (
        [
            (f"Bearer {v}", v, "validated")
            for v in ["sl." + rand(URLSAFE, 140), "sl.u." + rand(URLSAFE, 600, 2)]
        ],
        ["sl." + rand(URLSAFE, 60), "see sl.no 4 in the list"],
    ),
    "dropbox_long_lived_token": (
        [(f"dropbox token {DROPBOX_LL}", DROPBOX_TAIL, "context")],
        [f"blob {DROPBOX_LL}", f"dropbox z{DROPBOX_LL}", f"dropbox {DROPBOX_LL}x"],
    ),
    "dropbox_app_secret": (
        [(f"Dropbox app_secret: {v}", v, "context") for v in [rand(LOWNUM, 15, 3)]],
        ["Dropbox app_secret: internationals", "app_secret: " + rand(LOWNUM, 15, 3)],
    ),
    "duffel_api_token": (
        [
            (f"use {v}", v, "validated")
            for v in ["duffel_test_" + rand(URLSAFE, 43), "duffel_live_" + rand(URLSAFE, 43, 2)]
        ],
        ["duffel_prod_" + rand(URLSAFE, 43), "duffel_test_" + rand(URLSAFE, 20)],
    ),
    "dynatrace_token": (
        [
            (f"Api-Token {v}", v, "validated")
            for v in [
                "dt0c01." + rand(UPNUM, 24) + "." + rand(UPNUM, 64, 2),
                "dt0s16." + rand(UPNUM, 24, 3) + "." + rand(UPNUM, 64, 4),
            ]
        ],
        ["dt0c01." + rand(UPNUM, 24), "dt0c01." + rand(LOWNUM, 24) + "." + rand(LOWNUM, 64)],
    ),
    "easypost_api_key": (
        [
            (f"key {v}", v, "validated")
            for v in ["EZAK" + rand(ALNUM, 54), "EZTK" + rand(ALNUM, 54, 2)]
        ],
        ["EZAK" + rand(ALNUM, 20), "EZXK" + rand(ALNUM, 54)],
    ),
    "elevenlabs_api_key": (
        [
            ("xi-api-key: sk_" + (h := rand(HEX, 48)), "sk_" + h, "context"),
            ("key sk_" + (h2 := rand(HEX, 48, 2)), "sk_" + h2, "pattern"),
        ],
        ["sk_live_" + rand(HEX, 48), "sk_" + rand(HEX, 40)],
    ),
    "etsy_api_key": (
        [(f"ETSY_API_KEY={v}", v, "context") for v in [rand(LOWNUM, 24)]],
        ["key " + rand(LOWNUM, 24), "etsy shop internationalizations"],
    ),
    "facebook_access_token": (
        [(f"access_token={FB}", FB, "validated")],
        ["EAAG" + rand(ALNUM, 40), "EAAA" + rand(URLSAFE, 60), "EAAG" + "ab" * 60],
    ),
    "facebook_app_access_token": (
        [
            (f"facebook access_token={v}", v, "context")
            for v in ["274019536802417|" + rand(URLSAFE, 32)]
        ],
        ["row 123456789012345|" + rand(URLSAFE, 32), "facebook 12345|" + rand(URLSAFE, 32)],
    ),
    "facebook_app_secret": (
        [(f"FACEBOOK_APP_SECRET={v}", v, "context") for v in [rand(HEX, 32)]],
        ["md5 " + rand(HEX, 32), "facebook " + rand(HEX, 31)],
    ),
    "fastly_api_token": (
        [(f"FASTLY_API_TOKEN={v}", v, "context") for v in [rand(URLSAFE, 32)]],
        ["token " + rand(URLSAFE, 32), "fastly " + rand(URLSAFE, 20)],
    ),
    "figma_token": (
        [
            (f"X-Figma-Token: {v}", v, "validated")
            for v in ["figd_" + rand(URLSAFE, 40), "figp_" + rand(URLSAFE + "=", 50, 2)]
        ],
        ["figx_" + rand(URLSAFE, 40), "figd_" + rand(URLSAFE, 20)],
    ),
    "finicity_client_secret": (
        [(f"FINICITY_PARTNER_SECRET={v}", v, "context") for v in [rand(ALNUM, 20)]],
        ["secret " + rand(ALNUM, 20), "finicity configurationvalues"],
    ),
    "finicity_app_key": (
        [(f"finicity app key {v}", v, "context") for v in [rand(HEX, 32)]],
        ["app key " + rand(HEX, 32)],
    ),
    "finnhub_api_key": (
        [(f"finnhub token={v}", v, "context") for v in [rand(LOWNUM, 20)]],
        ["token=" + rand(LOWNUM, 20), "finnhub internationalizat"],
    ),
    "firebase_fcm_server_key": (
        [
            (f"key={v}", v, "validated")
            for v in ["AAAA" + rand(URLSAFE, 7) + ":APA91b" + rand(URLSAFE, 134)]
        ],
        ["AAAA" + rand(URLSAFE, 7) + ":APA91b" + rand(URLSAFE, 40)],
    ),
    "flickr_api_key": (
        [(f"FLICKR_API_KEY={v}", v, "context") for v in [rand(HEX, 32)]],
        ["api key " + rand(HEX, 32)],
    ),
    "flutterwave_secret_key": (
        [
            (f"key {v}", v, "validated")
            for v in ["FLWSECK_TEST-" + rand(HEX, 32) + "-X", "FLWSECK-" + rand(HEX, 32, 2) + "-X"]
        ],
        ["FLWPUBK_TEST-" + rand(HEX, 32) + "-X", "FLWSECK_TEST-" + rand(HEX, 20) + "-X"],
    ),
    "flutterwave_encryption_key": (
        [(f"enc {v}", v, "validated") for v in ["FLWSECK_TEST" + rand(HEX, 12)]],
        ["FLWSECK_TEST" + rand(HEX, 16), "FLWSECK_TEST-" + rand(HEX, 12)],
    ),
    "flyio_token": (
        [
            (f"FLY_API_TOKEN={v}", v, "validated")
            for v in ["fo1_" + rand(URLSAFE, 43), "fm2_" + rand(B64, 300, 2) + "=="]
        ]
        + [("Authorization: FlyV1 fm2_" + (m := rand(B64, 200, 3)), "fm2_" + m, "validated")],
        ["fo1_" + rand(URLSAFE, 20), "fm3_" + rand(B64, 200)],
    ),
    "frameio_token": (
        [(f"token {v}", v, "validated") for v in ["fio-u-" + rand(URLSAFE, 64)]],
        ["fio-u-" + rand(URLSAFE, 30), "fio-x-" + rand(URLSAFE, 64)],
    ),
    "freemius_secret_key": (
        [
            (
                "fs_dynamic_init(array('secret_key' => 'sk_"
                + (s := rand(ALNUM + "!#", 29))
                + "'));",
                "sk_" + s,
                "context",
            ),
            (
                "$c = array('secret_key' => 'sk_" + (s2 := rand(ALNUM, 29, 2)) + "');",
                "sk_" + s2,
                "pattern",
            ),
        ],
        ["'secret_key' => 'sk_short'", "'public_key' => 'pk_" + rand(ALNUM, 29) + "'"],
    ),
    "freshbooks_token": (
        [(f"FRESHBOOKS_ACCESS_TOKEN={v}", v, "context") for v in [rand(ALNUM, 64)]],
        ["token " + rand(ALNUM, 64)],
    ),
    "gcp_hmac_access_id": (
        [
            (f"access id {v}", v, "validated")
            for v in ["GOOG1E" + rand(UPNUM, 55), "GOOG" + rand(UPNUM, 20, 2)]
        ],
        ["GOOGLECLOUDSTORAGEBUCKET", "GOOG" + rand(UPNUM, 30)],
    ),
    "gcp_hmac_secret": (
        [(f"GCS HMAC secret: {v}", v, "context") for v in [rand(B64, 40)]],
        ["secret: " + rand(B64, 40), "hmac " + rand(B64, 30)],
    ),
    "google_oauth_refresh_token": (
        [
            ('"refresh_token": "1//0' + (r := rand(URLSAFE, 100)) + '"', "1//0" + r, "context"),
            ("value 1//0" + (r2 := rand(URLSAFE, 100, 2)), "1//0" + r2, "pattern"),
        ],
        ["1//0" + rand(URLSAFE, 20), "http://1//0/a"],
    ),
    "google_recaptcha_secret": (
        [(f"RECAPTCHA_SECRET_KEY={v}", v, "context") for v in ["6L" + rand(URLSAFE, 38)]],
        ["RECAPTCHA_SITE_KEY=6L" + rand(URLSAFE, 38), "SECRET_KEY=6L" + rand(URLSAFE, 38)],
    ),
    "github_oauth_client_secret": (
        [(f"GITHUB_CLIENT_SECRET={v}", v, "context") for v in [rand(HEX, 40)]],
        ["https://github.com/o/r/commit/" + rand(HEX, 40), "CLIENT_SECRET=" + rand(HEX, 40)],
    ),
    "gitlab_routable_token": (
        [
            (f"token {ROUTABLE}", ROUTABLE, "validated"),
            (f"runner {RUNNER}", RUNNER, "validated"),
        ],
        ["glpat-" + rand(URLSAFE, 20), "glzz-" + rand(URLSAFE, 40) + ".01.0a1234567"],
    ),
    "gitlab_runner_registration_token": (
        [(f"--registration-token {v}", v, "validated") for v in ["GR1348941" + rand(URLSAFE, 20)]],
        ["GR1348941" + rand(URLSAFE, 10), "GR1348942" + rand(URLSAFE, 20)],
    ),
    "gitlab_session_cookie": (
        [(f"Cookie: _gitlab_session={h}", h, "validated") for h in [rand(HEX, 32)]],
        ["_gitlab_session=" + rand(HEX, 20), "gitlab_session " + rand(HEX, 32)],
    ),
    "gitter_token": (
        [(f"GITTER_TOKEN={v}", v, "context") for v in [rand(HEX, 40)]],
        ["token " + rand(HEX, 40)],
    ),
    "gocardless_token": (
        [
            ("GOCARDLESS_ACCESS_TOKEN=live_" + (t := rand(URLSAFE, 40)), "live_" + t, "context"),
            ("token sandbox_" + (t2 := rand(URLSAFE, 40, 2)), "sandbox_" + t2, "pattern"),
        ],
        ["sk_live_" + rand(URLSAFE, 40), "live_" + rand(URLSAFE, 30)],
    ),
    "grafana_api_key": (
        [(f"Bearer {GRAFANA_KEY}", GRAFANA_KEY, "validated")],
        ["eyJrIjoi" + rand(ALNUM, 20)],
    ),
    "grafana_cloud_token": (
        [(f"GRAFANA_TOKEN={GRAFANA_CLOUD}", GRAFANA_CLOUD, "validated")],
        ["glc_" + rand(B64, 20)],
    ),
    "grafana_service_account_token": (
        [(f"Bearer {v}", v, "validated") for v in [grafana_sa(1), grafana_sa(2)]],
        ["glsa_" + rand(ALNUM, 20) + "_" + rand(HEX, 8)],
    ),
    "harness_token": (
        [
            (f"x-api-key: {v}", v, "validated")
            for v in [
                "pat." + rand(URLSAFE, 22) + "." + rand(ALNUM, 24, 2) + "." + rand(ALNUM, 20, 3)
            ]
        ],
        [
            "pat." + rand(URLSAFE, 22) + "." + rand(ALNUM, 24),
            "pot." + rand(URLSAFE, 22) + "." + rand(ALNUM, 24) + "." + rand(ALNUM, 20),
        ],
    ),
    "terraform_cloud_token": (
        [
            (f'token = "{v}"', v, "validated")
            for v in [rand(ALNUM, 14) + ".atlasv1." + rand(URLSAFE, 67, 2)]
        ],
        [
            rand(ALNUM, 14) + ".atlasv2." + rand(URLSAFE, 67),
            rand(ALNUM, 14) + ".atlasv1." + rand(URLSAFE, 30),
        ],
    ),
    "heroku_legacy_api_key": (
        [(f"HEROKU_API_KEY={v}", v, "context") for v in [a_uuid(1)]],
        [f"request id {a_uuid(1)}", "heroku 00000000-0000-0000-0000-000000000000"],
    ),
    "hetzner_cloud_token": (
        [(f"HCLOUD_TOKEN={v}", v, "context") for v in [rand(ALNUM, 64)]],
        ["token " + rand(ALNUM, 64), "hetzner " + rand(ALNUM, 40)],
    ),
    "honeycomb_ingest_key": (
        [
            (f"X-Honeycomb-Team: {v}", v, "validated")
            for v in ["hcaik_" + rand(LOWNUM, 58), "hcxik_" + rand(LOWNUM, 58, 2)]
        ],
        ["hcaik_" + rand(LOWNUM, 30), "hcaxk_" + rand(LOWNUM, 58)],
    ),
    "hubspot_private_app_token": (
        [(f"Bearer {v}", v, "validated") for v in ["pat-na1-" + a_uuid(2), "pat-eu1-" + a_uuid(3)]],
        ["pat-xx1-" + a_uuid(2), "pat-na1-" + a_uuid(2)[:20]],
    ),
    "hubspot_api_key": (
        [(f"?hapikey={v}", v, "context") for v in [a_uuid(4)]]
        + [("HUBSPOT_API_KEY=" + a_uuid(5), a_uuid(5), "context")],
        [f"session {a_uuid(4)}"],
    ),
}

# detector -> texts whose value has the issuer's shape but fails its checksum: reported "low"
LOW = {
    "discord_bot_token": [
        f"discord token M{rand(URLSAFE, 25)}.{rand(URLSAFE, 6)}.{rand(URLSAFE, 38)}",
        f"discord token {discord_bot(created_ms=2_300_000_000_000)}",  # a bot id from 2042
    ],
    "gitlab_routable_token": [f"token {ROUTABLE[:-1]}{'0' if ROUTABLE[-1] != '0' else '1'}"],
    "grafana_api_key": ["Bearer eyJrIjoi" + rand(ALNUM, 70)],
    "grafana_cloud_token": ["GRAFANA_TOKEN=glc_" + rand(B64, 80)],
    "grafana_service_account_token": [grafana_sa(1)[:-8] + rand(HEX, 8, 99)],
}


def test_every_detector_in_the_module_has_a_table_a_source_and_a_description():
    assert module_ids(secrets_vendors_d_h) == set(CASES)
    for d in secrets_vendors_d_h.DETECTORS:
        assert d.source.startswith("https://"), d.id
        assert d.description, d.id
        assert d.data_class == "secret", d.id


@pytest.mark.parametrize(
    ("detector", "text", "value", "level"),
    [(d, t, v, c) for d, (pos, _) in CASES.items() for t, v, c in pos],
)
def test_detects_positive_example_at_its_confidence(detector, text, value, level):
    assert (value, level) in levels(detector, text), f"{detector}: {levels(detector, text)}"


@pytest.mark.parametrize(
    ("detector", "text"), [(d, t) for d, (_, neg) in CASES.items() for t in neg]
)
def test_ignores_negative_example(detector, text):
    assert hits(detector, text) == []


@pytest.mark.parametrize(("detector", "text"), [(d, t) for d, texts in LOW.items() for t in texts])
def test_a_value_failing_its_checksum_is_a_low_finding(detector, text):
    found = levels(detector, text)
    assert found and {level for _, level in found} == {"low"}, found


@pytest.mark.parametrize("prefix", ["ghp", "gho", "ghu", "ghs", "ghr"])
def test_github_tokens_are_validated_by_their_crc32_and_low_without_it(prefix):
    detector = {"ghp": "github_pat", "gho": "github_oauth", "ghr": "github_refresh"}.get(
        prefix, "github_app"
    )
    good = github_token(prefix, seed=11)
    bad = good[:-2] + ("zz" if good[-2:] != "zz" else "yy")
    assert levels(detector, f"token {good}") == [(good, "validated")]
    assert levels(detector, f"token {bad}") == [(bad, "low")]


def test_no_detector_of_the_module_runs_on_every_prompt():
    """Each pattern has a literal atom (a vendor prefix) or needs a label: none lands in the
    shared set of atom-less patterns that runs on every prompt."""
    scanner = Scanner(list(secrets_vendors_d_h.DETECTORS), key=b"k")
    assert scanner.engine == "re2", "google-re2 is a dependency: the prefilter needs it"
    assert scanner._shape_ids == []


def test_the_module_is_part_of_the_builtin_detectors():
    assert module_ids(secrets_vendors_d_h) <= {d.id for d in builtin()}


def test_a_vendor_token_inside_a_longer_word_is_not_a_finding():
    assert hits("doppler_token", "xdp.pt." + rand(ALNUM, 43)) == []
    assert hits("duffel_api_token", "duffel_test_" + rand(URLSAFE, 50)) == []


@pytest.mark.parametrize("detector", sorted(CASES))
def test_python_re_fallback_finds_what_re2_finds(detector):
    (d,) = [d for d in secrets_vendors_d_h.DETECTORS if d.id == detector]
    fast, slow = Scanner([d], key=b"k"), Scanner([d], key=b"k", engine="re")
    for text, _, _ in CASES[detector][0]:
        assert [(f.start, f.end, f.confidence) for f in fast.scan(text)] == [
            (f.start, f.end, f.confidence) for f in slow.scan(text)
        ]
