"""Tables for the vendor detectors I-O (secrets_vendors_i_o) and the I-O entries of the older
secret modules: each positive sits in a short sentence and names the value and its confidence;
negatives are near-misses (wrong prefix, one character short, placeholder, no label); values
whose issuer check fails are reported `low`."""

import base64
import json
import random
import string
import uuid

import pytest
import re2
from aigate.inspect.detectors import secrets_vendors_i_o
from aigate.inspect.engine import Scanner
from inspect_helpers import ALNUM, HEX, github_token, hits, levels, module_ids, rand

URLSAFE = ALNUM + "_-"
B64 = ALNUM + "+/"
B32 = "abcdefghijklmnopqrstuvwxyz234567"
LOWER_DIGITS = string.ascii_lowercase + string.digits
UPPER_DIGITS = string.ascii_uppercase + string.digits


def uuid4(seed: int = 1) -> str:
    return str(uuid.UUID(int=random.Random(seed).getrandbits(128), version=4))


def uuid1(seed: int = 1) -> str:
    return str(uuid.UUID(int=random.Random(seed).getrandbits(128), version=1))


def rbytes(n: int, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(n)


def b64(data: str | bytes) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


def b64url(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=").lower()


def jwt(seed: int = 1) -> str:
    head = b64url({"alg": "RS256", "typ": "JWT"})
    body = b64url({"sub": "svc-" + rand(HEX, 8, seed), "iat": 1700000000})
    return f"{head}.{body}.{rand(URLSAFE, 43, seed)}"


def intercom(seed: int = 1) -> str:
    return b64(f"tok:{uuid4(seed).replace('-', '_')}:1:0")


def mapbox(kind: str, seed: int = 1) -> str:
    payload = b64url({"u": "acme-maps", "a": "cl" + rand(LOWER_DIGITS, 23, seed)})
    return f"{kind}.{payload}.{rand(URLSAFE, 22, seed)}"


def nuget(seed: int = 1) -> str:
    rng = random.Random(seed)
    ident = b"v4" + bytes(rng.randrange(1, 256) for _ in range(10))
    return b32(ident) + b32(rng.randbytes(16))


def onesignal(seed: int = 1) -> str:
    app = uuid.UUID(uuid4(seed)).bytes
    return "os_v2_app_" + b32(app) + b32(rbytes(48, seed))


PEM = "-----BEGIN RSA PRIVATE KEY-----\n" + rand(B64, 64) + "\n-----END RSA PRIVATE KEY-----\n"
MANIFEST = (
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\n  namespace: shop\n"
    "type: Opaque\ndata:\n  password: {value}\n"
)
KUBECTL_ORDER = "apiVersion: v1\ndata:\n  api-token: {value}\nkind: Secret\nmetadata:\n  name: x\n"
TEAMS = (
    f"https://contoso.webhook.office.com/webhookb2/{uuid4(1)}@{uuid4(2)}/IncomingWebhook/"
    f"{rand(HEX, 32)}/{uuid4(3)}/V2{rand(URLSAFE, 40)}"
)
TEAMS_OLD = (
    f"https://outlook.office.com/webhook/{uuid4(4)}@{uuid4(5)}/IncomingWebhook/"
    f"{rand(HEX, 32, 2)}/{uuid4(6)}"
)
WORKFLOW = (
    f"https://prod-12.westus.logic.azure.com:443/workflows/{rand(HEX, 32)}/triggers/manual/paths/"
    f"invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={rand(URLSAFE, 43)}"
)
WORKFLOW_PP = (
    f"https://default{rand(HEX, 32, 3)}.0c.environment.api.powerplatform.com:443/powerautomate/"
    f"automations/direct/workflows/{rand(HEX, 32, 4)}/triggers/manual/paths/invoke"
    f"?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={rand(URLSAFE, 43, 5)}"
)


def at(value: str, level: str, label: str = "", tail: str = " was pasted here") -> tuple:
    """A positive: `value` after an optional label in a short sentence, found at `level`."""
    return (f"Please rotate {label}{value}{tail}.", value, level)


# detector id -> (positives as (text, value, level), negatives as texts)
CASES: dict[str, tuple[list[tuple[str, str, str]], list[str]]] = {
    "infracost_api_key": (
        [at(v := "ico-" + rand(ALNUM, 32), "validated", "INFRACOST_API_KEY=")],
        [
            "ico-" + rand(ALNUM, 31),
            "ico-" + "a" * 32,
            "x" + v,
            v + "Z",
            "ico-" + ("chevronright" * 3)[:32],
        ],
    ),
    "intercom_access_token": (
        [
            at(intercom(1), "validated", "Authorization: Bearer "),
            at(intercom(8), "validated"),
        ],
        [b64("token: just a sentence in base64"), "dG9rOj" + "x" * 54, "dG9rOj"],
    ),
    "intra42_client_secret": (
        [
            at("s-s4t2ud-" + rand(HEX, 64), "validated"),
            at("s-s4t2af-" + rand(HEX, 64, 2), "validated"),
        ],
        ["s-s4t2xx-" + rand(HEX, 64), "s-s4t2ud-" + rand(HEX, 63)],
    ),
    "ibm_cloud_api_key": (
        [at(rand(URLSAFE, 44), "context", "IBM_CLOUD_API_KEY=")],
        [rand(URLSAFE, 44), "ibm key " + rand(URLSAFE, 45), "ibmcloud apikey " + "a" * 44],
    ),
    "ibm_cos_hmac_secret": (
        [
            (
                f'"cos_hmac_keys": {{"access_key_id": "{rand(HEX, 32)}", '
                f'"secret_access_key": "{(v := rand(HEX, 48, 2))}"}}',
                v,
                "context",
            )
        ],
        [rand(HEX, 48), "cos_hmac_keys " + rand(HEX, 47)],
    ),
    "jumpcloud_api_key": (
        [at("jca_" + rand(ALNUM, 36), "validated")],
        ["jca_" + rand(ALNUM, 35), "jca_" + "a" * 36],
    ),
    "jumpcloud_legacy_api_key": (
        [at(rand(ALNUM, 40), "context", "JUMPCLOUD_API_KEY=")],
        [rand(ALNUM, 40)],
    ),
    "jwt_base64": (
        [at(b64(jwt(1)), "context", "session cookie "), at(b64(jwt(2)), "pattern")],
        [b64("eyJhbGciOi but this is not a token at all, only prose " * 2), b64(jwt(3))[:40]],
    ),
    "klaviyo_private_key": (
        [
            at("pk_" + rand(HEX, 34), "validated"),
            at("pk_" + rand(ALNUM, 6) + "_" + rand(HEX, 34, 2), "validated"),
        ],
        ["pk_live_" + rand(ALNUM, 24), "pk_" + rand(HEX, 33), "pk_" + "0" * 34],
    ),
    "kraken_api_key": (
        [at(rand(B64, 56), "context", "KRAKEN_API_KEY=")],
        [rand(B64, 56), "kraken " + rand(B64, 55)],
    ),
    "kraken_private_key": (
        [at(b64(rbytes(64)), "context", "kraken private key: ")],
        [b64(rbytes(64, 2)), "kraken " + b64(rbytes(63))],
    ),
    "kubernetes_secret_data": (
        [
            (MANIFEST.format(value=(v := b64("S3cure-Pa55word!"))), v, "context"),
            (KUBECTL_ORDER.format(value=(v := b64("tok_" + rand(ALNUM, 20)))), v, "context"),
        ],
        [
            MANIFEST.format(value=b64("S3cure-Pa55word!")).replace("Secret", "ConfigMap"),
            MANIFEST.format(value="${DB_PASSWORD}"),
            MANIFEST.format(value=b64("changeme")),
            MANIFEST.format(value="postgresqldb1"),  # not base64 of text
            "kind: Secret\nstringData:\n  password: plain\n",
        ],
    ),
    "kubeconfig_client_key": (
        [
            (
                "users:\n- name: admin\n  user:\n    client-key-data: " + (v := b64(PEM)),
                v,
                "validated",
            )
        ],
        [
            "    client-certificate-data: " + b64(PEM).replace("S1CRUdJTi", "S1CRUdJTj"),
            "client-key-data: abc",
        ],
    ),
    "kucoin_api_key": (
        [at(rand(HEX, 24), "context", "KUCOIN_API_KEY=")],
        [rand(HEX, 24), "kucoin " + rand(HEX, 25)],
    ),
    "kucoin_api_secret": (
        [at(uuid4(), "context", "KUCOIN_API_SECRET=")],
        [uuid4(), "kucoin order " + uuid4()[:-1]],
    ),
    "langfuse_secret_key": (
        [at("sk-lf-" + uuid4(), "validated", "LANGFUSE_SECRET_KEY=")],
        ["pk-lf-" + uuid4(), "sk-lf-" + uuid4()[:-2]],
    ),
    "langsmith_api_key": (
        [
            at("lsv2_pt_" + rand(HEX, 32) + "_" + rand(HEX, 10, 2), "validated"),
            at("lsv2_sk_" + rand(HEX, 32, 3) + "_" + rand(HEX, 10, 4), "validated"),
        ],
        [
            "lsv2_xx_" + rand(HEX, 32) + "_" + rand(HEX, 10),
            "lsv2_pt_" + rand(HEX, 32) + "_" + rand(HEX, 9),
        ],
    ),
    "launchdarkly_sdk_key": (
        [at("sdk-" + uuid4(), "validated", "LAUNCHDARKLY_SDK_KEY=")],
        ["sdk-" + uuid1(), "mob-" + uuid4(), "sdk-" + uuid4()[:-1]],
    ),
    "launchdarkly_access_token": (
        [
            at("api-" + uuid4(2), "context", "LAUNCHDARKLY_ACCESS_TOKEN="),
            at("api-" + uuid4(3), "pattern"),
        ],
        ["api-" + uuid1(), "api-" + "0" * 8 + "-0000-4000-8000-" + "0" * 12],
    ),
    "linear_oauth_token": (
        [at("lin_oauth_" + rand(HEX, 64), "validated")],
        ["lin_oauth_" + rand(HEX, 63), "lin_oauth_secret"],
    ),
    "linear_client_secret": (
        [at(rand(HEX, 32), "context", "LINEAR_CLIENT_SECRET=")],
        ["a linear model, checksum " + rand(HEX, 32), rand(HEX, 32)],
    ),
    "linkedin_client_secret": (
        [at("WPL_AP1." + rand(ALNUM, 16) + "." + rand(B64, 6) + "==", "validated")],
        ["WPL_AP1.short.x", "WPL_AP1." + "x" * 16 + "." + "x" * 6 + "=="],
    ),
    "linkedin_legacy_client_secret": (
        [at(rand(ALNUM, 16, 4), "context", "LINKEDIN_CLIENT_SECRET=")],
        [rand(ALNUM, 16, 4), "linkedin " + "abcdefghijklmnop"],
    ),
    "lob_api_key": (
        [
            at("live_" + rand(HEX, 35), "context", "LOB_API_KEY="),
            at("test_" + rand(HEX, 35, 2), "pattern"),
        ],
        ["live_" + rand(HEX, 34), "live_pub_" + rand(HEX, 31)],
    ),
    "lob_publishable_key": (
        [at("live_pub_" + rand(HEX, 31), "pattern")],
        ["live_pub_" + rand(HEX, 30), "live_" + rand(HEX, 35)],
    ),
    "loggly_token": (
        [at(uuid4(), "context", "LOGGLY_TOKEN=")],
        [uuid4()],
    ),
    "lokalise_api_token": (
        [at(rand(HEX, 40), "context", "LOKALISE_API_TOKEN=")],
        ["commit " + rand(HEX, 40)],
    ),
    "looker_client_secret": (
        [at(rand(ALNUM, 24), "context", "LOOKERSDK_CLIENT_SECRET=")],
        [rand(ALNUM, 24), "looker " + rand(ALNUM, 25)],
    ),
    "mailchimp_api_key": (
        [
            at(rand(HEX, 32) + "-us21", "validated", "MAILCHIMP_KEY="),
            at(rand(HEX, 32, 2) + "-us6", "validated"),
        ],
        [rand(HEX, 32) + "-uk21", rand(HEX, 31) + "-us21", "0" * 32 + "-us1"],
    ),
    "mandrill_api_key": (
        [at("md-" + rand(URLSAFE, 22), "validated")],
        ["md-" + rand(URLSAFE, 21), "md-your-api-key-here00", "md-autocomplete-suggestion"[:25]],
    ),
    "mandrill_legacy_api_key": (
        [at(rand(ALNUM, 22), "context", "MANDRILL_API_KEY=")],
        [rand(ALNUM, 22)],
    ),
    "mailgun_public_key": (
        [at("pubkey-" + rand(HEX, 32), "pattern")],
        ["pubkey-" + rand(HEX, 31), "key-" + rand(HEX, 32)],
    ),
    "mapbox_secret_token": (
        [at(mapbox("sk"), "validated", "MAPBOX_TOKEN="), at(mapbox("tk", 2), "validated")],
        ["sk.short", mapbox("pk")],
    ),
    "mapbox_public_token": (
        [at(mapbox("pk", 3), "pattern")],
        ["pk.eyJ" + rand(URLSAFE, 60) + "." + rand(URLSAFE, 22), mapbox("sk")],
    ),
    "mattermost_access_token": (
        [at(rand(LOWER_DIGITS, 26), "context", "MATTERMOST_TOKEN=")],
        [rand(LOWER_DIGITS, 26), "mattermost " + "abcdefghijklmnopqrstuvwxyz"],
    ),
    "maxmind_license_key": (
        [at(rand(ALNUM, 6) + "_" + rand(ALNUM, 29, 2) + "_mmk", "validated")],
        [
            rand(ALNUM, 6) + "_" + rand(ALNUM, 28) + "_mmk",
            rand(ALNUM, 6) + "_" + rand(ALNUM, 29) + "_mmx",
        ],
    ),
    "maxmind_legacy_license_key": (
        [at(rand(ALNUM, 16, 3), "context", "MAXMIND_LICENSE_KEY=")],
        [rand(ALNUM, 16, 3)],
    ),
    "meraki_api_key": (
        [at(rand(HEX, 40), "context", "MERAKI_DASHBOARD_API_KEY=")],
        ["commit " + rand(HEX, 40)],
    ),
    "messagebird_api_key": (
        [at(rand(ALNUM, 25), "context", "MESSAGEBIRD_ACCESS_KEY=")],
        [rand(ALNUM, 25)],
    ),
    "microsoft_teams_webhook": (
        [
            at(TEAMS, "validated", "post to ", tail=" then"),
            at(TEAMS_OLD, "validated", tail=" then"),
        ],
        ["https://contoso.webhook.office.com/webhookb2/", TEAMS.replace("IncomingWebhook", "Hook")],
    ),
    "microsoft_teams_workflow_webhook": (
        [at(WORKFLOW, "validated", tail=" then"), at(WORKFLOW_PP, "validated", tail=" then")],
        [WORKFLOW.split("&sig=")[0], "https://prod-12.westus.logic.azure.com/workflows/"],
    ),
    "mistral_api_key": (
        [at(rand(ALNUM, 32), "context", "MISTRAL_API_KEY=")],
        [rand(ALNUM, 32), "mistral model hash " + rand(HEX, 32)],
    ),
    "mongodb_atlas_service_account_secret": (
        [at("mdb_sa_sk_" + rand(URLSAFE, 40), "validated")],
        ["mdb_sa_id_" + rand(HEX, 24), "mdb_sa_sk_" + rand(URLSAFE, 39)],
    ),
    "mongodb_atlas_private_key": (
        [at(uuid4(), "context", "MONGODB_ATLAS_PRIVATE_KEY=")],
        ["atlas of the world " + uuid4(), uuid4()],
    ),
    "mailersend_api_token": (
        [
            at("mlsn." + rand(HEX, 64), "validated"),
            at("mlsn." + rand(HEX, 64, 2), "validated", "MAILERSEND_API_KEY="),
            ('mailersend:\n  token: "' + (v := "mlsn." + rand(HEX, 64, 3)) + '"\n', v, "validated"),
        ],
        ["mlsn." + rand(HEX, 63), "mlsn." + "0" * 64, "xmlsn." + rand(HEX, 64)],
    ),
    "netlify_access_token": (
        [at("nfp_" + rand(ALNUM, 36), "validated"), at("nfc_" + rand(ALNUM, 36, 2), "validated")],
        [
            "nfx_" + rand(ALNUM, 36),
            "nfp_" + rand(ALNUM, 35),
            "nfc_" + ("reader_session_handler_" * 2)[:36],
        ],
    ),
    "netlify_legacy_token": (
        [at(rand(URLSAFE, 43), "context", "NETLIFY_AUTH_TOKEN=")],
        [rand(URLSAFE, 43)],
    ),
    "new_relic_license_key": (
        [
            at(rand(HEX, 32) + "FFFFNRAL", "validated", "NEW_RELIC_LICENSE_KEY="),
            at("eu01xx" + rand(HEX, 26) + "FFFFNRAL", "validated"),
            # 36 hex then NRAL, bare, in YAML and quoted
            at(rand(HEX, 36, 3) + "NRAL", "validated"),
            ("license_key: " + (v := rand(HEX, 36, 4) + "NRAL") + "\n", v, "validated"),
            (
                'newrelic.license = "' + (v := "eu01xx" + rand(HEX, 30, 5) + "NRAL") + '"',
                v,
                "validated",
            ),
        ],
        [
            rand(HEX, 31) + "FFFFNRAL",
            rand(HEX, 32) + "FFFFNRAX",
            rand(HEX, 35) + "NRAL",
            "x" + rand(HEX, 36) + "NRAL",
            rand(HEX, 36) + "NRALX",
        ],
    ),
    "new_relic_legacy_license_key": (
        [at(rand(HEX, 40), "context", "NEW_RELIC_LICENSE_KEY=")],
        [rand(HEX, 40)],
    ),
    "new_relic_insights_key": (
        [
            at("NRII-" + rand(URLSAFE, 32), "validated"),
            at("NRIQ-" + rand(URLSAFE, 25, 2), "validated"),
        ],
        ["NRII-short", "NRIX-" + rand(URLSAFE, 32)],
    ),
    "new_relic_browser_key": (
        [at("NRJS-" + rand(HEX, 19), "pattern")],
        ["NRJS-" + rand(HEX, 18), "NRJS-" + rand(HEX, 20)],
    ),
    "new_relic_mobile_token": (
        [at("AA" + rand(HEX, 40) + "-NRMA", "pattern")],
        ["AA" + rand(HEX, 39) + "-NRMA"],
    ),
    "ngrok_authtoken": (
        [at("2" + rand(ALNUM, 26) + "_4" + rand(ALNUM, 20, 2), "context", "NGROK_AUTHTOKEN=")],
        ["2" + rand(ALNUM, 26) + "_4" + rand(ALNUM, 20, 2)],
    ),
    "nightfall_api_key": (
        [at("NF-" + rand(ALNUM, 32), "validated")],
        ["NF-" + rand(ALNUM, 31), "NF-" + "A" * 32],
    ),
    "notion_legacy_token": (
        [
            at("secret_" + rand(ALNUM, 43), "validated", "NOTION_TOKEN="),
            at("secret_" + rand(ALNUM, 43, 2), "validated"),
        ],
        [
            "secret_" + "a" * 43,
            "secret_" + rand(ALNUM, 42),
            "secret_" + rand(LOWER_DIGITS, 43),  # one case only: an identifier, not a token
        ],
    ),
    "npmrc_auth_token": (
        [
            ("//registry.npmjs.org/:_authToken=" + (v := uuid4()) + "\n", v, "validated"),
            ("_auth = " + (v := b64("builder:" + rand(ALNUM, 16))) + "\n", v, "validated"),
        ],
        [
            "//registry.npmjs.org/:_authToken=${NPM_TOKEN}",
            "_authToken=" + "x" * 20,
            "\n_auth = requests.auth.HTTPBasicAuth(user, password)\n",
            "\n_password = vault_client.read_password_for_service()\n",
        ],
    ),
    "nuget_api_key": (
        [at(nuget(1), "validated", "dotnet nuget push -k "), at(nuget(2), "validated")],
        ["oy2" + rand(B32, 42), "oy3" + nuget(1)[3:]],
    ),
    "nuget_config_password": (
        [('<add key="ClearTextPassword" value="' + (v := "Zx8#kP2mQ9vL") + '" />', v, "context")],
        [
            '<add key="ClearTextPassword" value="%NUGET_PASSWORD%" />',
            '<add key="Username" value="builder01" />',
        ],
    ),
    "nvidia_api_key": (
        [at("nvapi-" + rand(URLSAFE, 64), "validated")],
        ["nvapi-" + rand(URLSAFE, 63)],
    ),
    "nytimes_api_key": (
        [at(rand(ALNUM, 32), "context", "NYTIMES_API_KEY=")],
        [rand(ALNUM, 32)],
    ),
    "octopus_deploy_api_key": (
        [at("API-" + rand(UPPER_DIGITS, 26), "validated", "X-Octopus-ApiKey: ")],
        [
            "API-GATEWAYCONFIGURATIONSERVICE",
            "API-" + rand(UPPER_DIGITS, 24),
            "API-" + rand(ALNUM, 26),
        ],
    ),
    "okta_api_token": (
        [at("00" + rand(URLSAFE, 40), "context", "Authorization: SSWS ")],
        ["00" + rand(URLSAFE, 40)],
    ),
    "onesignal_api_key": (
        [at(onesignal(1), "validated", "Authorization: Key ")],
        ["os_v2_app_short", "os_v2_app_" + "a" * 103],
    ),
    "onesignal_legacy_api_key": (
        [at(b64(uuid4(5)), "validated", "ONESIGNAL_REST_API_KEY=")],
        [b64(uuid4(5))],
    ),
    "openrouter_api_key": (
        [at("sk-or-v1-" + rand(HEX, 64), "validated")],
        ["sk-or-v1-" + rand(HEX, 63), "sk-or-v2-" + rand(HEX, 64)],
    ),
    "openshift_user_token": (
        [at("sha256~" + rand(URLSAFE, 43), "validated", "oc login --token=")],
        ["sha256~" + rand(URLSAFE, 42), "image@sha256:" + rand(HEX, 64)],
    ),
    "opsgenie_api_key": (
        [at(uuid4(), "context", "Authorization: GenieKey ")],
        [uuid4()],
    ),
}

# Values in their issuer's shape whose structural check fails: reported, but only `low`.
LOW: dict[str, list[tuple[str, str]]] = {
    "intercom_access_token": [(v := b64("tok:deadbeef-is-no-uuid-but-a-longer-text:1:0"), v)],
    "mapbox_secret_token": [(v := "sk.eyJ" + rand(URLSAFE, 60) + "." + rand(URLSAFE, 22), v)],
    "nuget_api_key": [
        (v := "oy2" + rand(B32, 43, 11), v),
        (v := nuget(1)[:19] + "b" + nuget(1)[20:], v),  # id part with non-zero padding bits
    ],
    "onesignal_api_key": [(v := "os_v2_app_" + rand(B32, 103, 12), v)],
    "onesignal_legacy_api_key": [("ONESIGNAL_REST_API_KEY=" + (v := rand(ALNUM, 48)), v)],
    "npm_token": [(v := "npm_" + rand(ALNUM, 36), v)],
}

# The I-O entries of the older modules (their tables live in test_inspect_detectors_secrets):
# the confidence each reaches.
OWNED_LEVELS = [
    ("npm_token", "token " + (v := github_token("npm", 9)), v, "validated"),
    (
        "notion_token",
        "key " + (v := "ntn_" + rand(string.digits, 11) + rand(ALNUM, 35)),
        v,
        "validated",
    ),
    ("jwt", "Authorization: Bearer " + (v := jwt(4)), v, "context"),
    ("jwt", "the value " + (v := jwt(5)) + " again", v, "pattern"),
    ("openai_api_key", "key " + (v := "sk-None-" + rand(URLSAFE, 48)), v, "validated"),
    ("new_relic_key", "key " + (v := "NRAA-" + rand(ALNUM, 27)), v, "validated"),
    ("mailgun_api_key", "mailgun " + (v := "key-" + rand(HEX, 32)), v, "context"),
]


def test_every_detector_in_the_module_has_a_table_a_source_and_a_description():
    assert module_ids(secrets_vendors_i_o) == set(CASES)
    for detector in secrets_vendors_i_o.DETECTORS:
        assert detector.source.startswith("https://"), detector.id
        assert detector.description.endswith("."), detector.id
        assert detector.data_class == "secret"


def test_every_table_has_positives_and_negatives():
    for detector, (positives, negatives) in CASES.items():
        assert positives and negatives, detector


def test_no_pattern_runs_on_every_prompt():
    """Each pattern has a literal atom for the prefilter, or needs a label (then the label words
    are its prefilter): none joins the set of shapes that runs on every prompt."""
    literal = re2.Filter()
    for detector in secrets_vendors_i_o.DETECTORS:
        literal.Add(detector.pattern.encode())
    literal.Compile()
    unfiltered = set(literal.Match(b"\0", True) or ())
    always = [
        d.id
        for i, d in enumerate(secrets_vendors_i_o.DETECTORS)
        if i in unfiltered and not d.context_required
    ]
    assert always == []


@pytest.mark.parametrize(
    ("detector", "text", "value", "level"),
    [(d, text, value, level) for d, (pos, _) in CASES.items() for text, value, level in pos],
)
def test_finds_the_value_at_its_confidence(detector, text, value, level):
    assert levels(detector, text) == [(value, level)]


@pytest.mark.parametrize(
    ("detector", "text"), [(d, text) for d, (_, neg) in CASES.items() for text in neg]
)
def test_ignores_near_misses(detector, text):
    assert hits(detector, f"Please rotate {text} was pasted here.") == []


@pytest.mark.parametrize(
    ("detector", "text", "value"), [(d, t, v) for d, cases in LOW.items() for t, v in cases]
)
def test_a_value_failing_its_issuer_check_is_reported_low(detector, text, value):
    assert levels(detector, f"see {text} here") == [(value, "low")]


@pytest.mark.parametrize(("detector", "text", "value", "level"), OWNED_LEVELS)
def test_older_entries_reach_their_confidence(detector, text, value, level):
    assert levels(detector, text) == [(value, level)]


DECOYS = [
    "commit " + rand(HEX, 40) + " fixed the linear interpolation",
    f"request id {uuid4(7)} from the okta login page",
    "md5 " + rand(HEX, 32) + " of the mistral weights",
    "We fit a linear model; the IBM team and Kraken desk agreed on " + rand(HEX, 24) + ".",
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n"
    "stringData:\n  password: ${DB_PASSWORD}\n",
    "Use the API-GATEWAY or API-CONFIGURATIONSERVICES endpoint for routing.",
    "docker pull registry.local/app@sha256:" + rand(HEX, 64),
    "The quick brown fox jumps over the lazy dog near the netlify and notion docs. " * 10,
    "INTERCOM_ACCESS_TOKEN=dG9rOjxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
]


@pytest.mark.parametrize("text", DECOYS)
def test_ordinary_text_near_vendor_names_is_no_finding(text):
    scanner = Scanner(list(secrets_vendors_i_o.DETECTORS), key=b"t")
    assert scanner.scan(text) == []


@pytest.mark.parametrize(
    ("detector", "text"), [(d, text) for d, (pos, _) in CASES.items() for text, _, _ in pos]
)
def test_python_re_fallback_finds_the_same(detector, text):
    (chosen,) = [d for d in secrets_vendors_i_o.DETECTORS if d.id == detector]
    fast = Scanner([chosen], key=b"t").scan(text)
    slow = Scanner([chosen], key=b"t", engine="re").scan(text)
    assert [(f.start, f.end, f.confidence) for f in fast] == [
        (f.start, f.end, f.confidence) for f in slow
    ]
