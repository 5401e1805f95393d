"""Positive / negative tables for the vendor detectors 0-9 and A-C (secrets_vendors_a_c): each
positive is found at its expected confidence, each negative is no finding, and each value that
fails its issuer's checksum is a `low` finding."""

from __future__ import annotations

import base64
import json
import random
import struct
import zlib
from dataclasses import dataclass, field

import pytest
from aigate.inspect.detectors import builtin, secrets_vendors_a_c
from inspect_helpers import ALNUM, HEX, hits, levels, module_ids, rand

LOWER = "abcdefghijklmnopqrstuvwxyz"
UPPER = LOWER.upper()
DIGITS = "0123456789"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "_-"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


@dataclass
class Case:
    pos: list[str]  # each holds exactly one value of the kind
    neg: list[str]  # no finding at all
    level: str = "validated"  # the confidence every positive gets
    low: list[str] = field(default_factory=list)  # fails the issuer's checksum: a `low` finding


def _uuid(seed: int) -> str:
    h = rand(HEX, 32, seed)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _crc_hex(payload: str, upper: bool = True) -> str:
    out = f"{zlib.crc32(payload.encode()):08x}"
    return out.upper() if upper else out


def _atlassian(prefix: str, n: int, seed: int = 7) -> str:
    payload = prefix + rand(URLSAFE, n, seed) + "="
    return payload + _crc_hex(payload)


def _cloudflare(prefix: str, seed: int = 7) -> str:
    body = rand(ALNUM, 40, seed)
    return prefix + body + _crc_hex(body, upper=False)


def _confluent(seed: int = 7) -> str:
    body = rand(B64, 54, seed)
    return (
        "cflt" + body + base64.b64encode(struct.pack("<I", zlib.crc32(body.encode()))).decode()[:6]
    )


def _id_colon(ident: str, seed: int = 7) -> str:
    rng = random.Random(seed)
    raw = ident.encode() + b":" + bytes(rng.randrange(256) for _ in range(33 - len(ident) - 1))
    return base64.b64encode(raw).decode()


def _onepassword_sa(seed: int = 7) -> str:
    record = {
        "email": "ops@acme-corp.io",
        "muk": {"alg": "A256GCM", "k": rand(URLSAFE, 43, seed)},
        "secretKey": "A3-" + rand(UPPER + DIGITS, 6, seed),
        "srpX": rand(HEX, 64, seed + 1),
        "signInAddress": "acme.1password.com",
        "userAuth": {"method": "SRPg-4096", "salt": rand(URLSAFE, 22, seed + 2)},
    }
    return "ops_" + base64.b64encode(json.dumps(record).encode()).decode().rstrip("=")


def _ms(prefix_len: int, signature: str, tail: str, alphabet: str = ALNUM, seed: int = 7) -> str:
    return rand(alphabet, prefix_len, seed) + signature + tail


ATATT = _atlassian("ATATT3xFfGF0", 174)
ATCTT = _atlassian("ATCTT3xFfGN0", 174, 8)
ATBB = "ATBB" + rand(ALNUM, 24)
ATBB += _crc_hex(ATBB)
CF_TOKEN = _cloudflare("cfut_")
CF_ACCOUNT = _cloudflare("cfat_", 8)
CF_GLOBAL = _cloudflare("cfk_", 9)
CONFLUENT = _confluent()
DC_PAT = _id_colon("123456789012")
BBDC = "BBDC-" + _id_colon("4242", 3)
ADO_PAT = rand(ALNUM, 52) + "JQQJ99" + "x" + "C" + rand(ALNUM, 12, 3) + "AAAAAZDO" + "k2Vq"
CASK = rand(ALNUM, 52, 4) + "JQQJ99" + "q" + "D" + rand(ALNUM, 12, 5) + "AAABACOG" + "Zt7e"
SESSION = "IQoJb3JpZ2luX2Vj" + rand(B64, 300)
REFRESH = "0.A" + rand(URLSAFE, 120) + ".Ag" + rand(URLSAFE, 400, 3)

TABLES: dict[str, Case] = {
    # --- 1Password ---
    "onepassword_service_account_token": Case(
        [f"export OP_SERVICE_ACCOUNT_TOKEN={_onepassword_sa()}"],
        ["ops_eyJ" + "short", "ops_eyJ" + "x" * 300],
        low=["ops_eyJ" + rand(B64, 300)],
    ),
    "onepassword_secret_key": Case(
        [
            "my secret key is A3-"
            + "-".join(rand(UPPER + DIGITS, n, i) for i, n in enumerate((6, 6, 5, 5, 5, 5))),
            "A3-" + "-".join(rand(UPPER + DIGITS, n, i) for i, n in enumerate((6, 11, 5, 5, 5))),
        ],
        ["A3-ABCDEF-GHIJKL", "A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX", "B3-" + "A1B2C3-" * 5],
    ),
    # --- Ably ---
    "ably_api_key": Case(
        [
            f"ABLY_API_KEY={rand(URLSAFE, 6)}.{rand(URLSAFE, 6, 2)}:{rand(URLSAFE, 43, 3)}",
            f'ablyKey = "{rand(URLSAFE, 6, 4)}.{rand(URLSAFE, 6, 5)}:{rand(URLSAFE, 43, 6)}";',
        ],
        [f"key {rand(URLSAFE, 6)}.{rand(URLSAFE, 6, 2)}:{rand(URLSAFE, 43, 3)}"],
        level="context",
    ),
    # --- Adafruit, Adobe, Adyen ---
    "adafruit_io_key": Case(
        ["ADAFRUIT_IO_KEY=aio_" + rand(ALNUM, 28)],
        ["aio_" + rand(ALNUM, 20), "aio_" + "a" * 28, "aio_" + rand(LOWER + UPPER, 28)],
    ),
    "adobe_client_secret": Case(
        ["client secret p8e-" + rand(ALNUM, 32)], ["p8e-short", "xp8e-" + rand(ALNUM, 32)]
    ),
    "adyen_api_key": Case(
        [
            "x-API-key: AQE" + rand(B64, 90) + "==-" + rand(B64, 43, 2) + "=-" + "W+t7NF;s4}%=kUSD",
            "AQE" + rand(B64, 88, 3) + "-" + rand(B64, 43, 4) + "=",
        ],
        ["AQE" + rand(B64, 40) + "==", "AXE" + rand(B64, 90) + "==-" + rand(B64, 43, 2) + "="],
    ),
    # --- Airtable ---
    "airtable_personal_access_token": Case(
        ["AIRTABLE_TOKEN=pat" + rand(ALNUM, 14) + "." + rand(HEX, 64)],
        ["pat" + rand(ALNUM, 14) + "." + rand(HEX, 40), "pattern" + rand(ALNUM, 10)],
    ),
    "airtable_api_key": Case(
        ["airtable api key: key" + rand(ALNUM, 14)],
        ["key" + rand(ALNUM, 14), "airtable keyboardshortcuts"],
        level="context",
    ),
    # --- Akamai ---
    "akamai_edgegrid_token": Case(
        ["client_token = akab-" + rand(LOWER + DIGITS, 16) + "-" + rand(LOWER + DIGITS, 16, 2)],
        [
            "host = akab-"
            + rand(LOWER + DIGITS, 16)
            + "-"
            + rand(LOWER + DIGITS, 16, 2)
            + ".luna.akamaiapis.net",
            "akab-short-token",
        ],
    ),
    "akamai_client_secret": Case(
        [
            "[default]\nclient_secret = "
            + rand(B64, 43)
            + "=\nhost = akab-"
            + rand(LOWER + DIGITS, 16)
            + ".luna.akamaiapis.net"
        ],
        ["client_secret = " + rand(B64, 43) + "="],
        level="context",
    ),
    # --- Algolia, Alibaba ---
    "algolia_api_key": Case(
        ["ALGOLIA_API_KEY=" + rand(HEX, 32)],
        [rand(HEX, 32), "algolia index " + rand(HEX, 40)],
        level="context",
    ),
    "alibaba_access_key_id": Case(
        ["accessKeyId: LTAI" + rand(ALNUM, 20), "LTAI5t" + rand(ALNUM, 16, 2)],
        ["LTAI" + rand(ALNUM, 8), "XLTAI" + rand(ALNUM, 20), "LTAI" + "x" * 20],
    ),
    "alibaba_access_key_secret": Case(
        ["ALIBABA_CLOUD_ACCESS_KEY_SECRET=" + rand(ALNUM, 30)],
        [rand(ALNUM, 30), "aliyun " + "abcdefghijklmnopqrstuvwxyzabcd"],
        level="context",
    ),
    # --- Ansible ---
    "ansible_vault": Case(
        [
            "db_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n          "
            + "\n          ".join(rand(HEX, 80, i) for i in range(4))
            + "\n          "
            + rand(HEX, 40, 9),
            "$ANSIBLE_VAULT;1.2;AES256;prod\n" + rand(HEX, 80),
        ],
        ["$ANSIBLE_VAULT;1.1;AES256", "the $ANSIBLE_VAULT header starts every vault file"],
    ),
    # --- Anthropic OAuth ---
    "anthropic_oauth_token": Case(
        ["CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-" + rand(URLSAFE, 95)],
        ["sk-ant-oat01-" + "x" * 95, "sk-ant-oat01-short", "sk-ant-api03-" + rand(URLSAFE, 95)],
    ),
    "apify_api_token": Case(["apify_api_" + rand(ALNUM, 36)], ["apify_api_" + rand(ALNUM, 20)]),
    # --- Artifactory ---
    "artifactory_api_key": Case(
        ["X-JFrog-Art-Api: AKCp" + rand(ALNUM, 69)],
        ["AKCp" + rand(ALNUM, 59), "AkCp" + rand(ALNUM, 69), "gYnkAKCp" + rand(ALNUM, 69)],
    ),
    "artifactory_reference_token": Case(
        ["Authorization: Bearer cmVmdGtuOjAxOj" + rand(ALNUM, 50)],
        ["cmVmdGtu" + rand(ALNUM, 40), "cmVMdGtu" + rand(ALNUM, 56)],
    ),
    "artifactory_password": Case(
        ["artifactory password AP" + "B" + rand(ALNUM, 20)],
        ["AP" + "B" + rand(ALNUM, 20), "artifactory APPLICATIONSERVER"],
        level="context",
    ),
    # --- Asana, AssemblyAI ---
    "asana_personal_access_token": Case(
        [
            "ASANA_TOKEN=2/" + rand(DIGITS, 16) + "/" + rand(DIGITS, 16, 2) + ":" + rand(ALNUM, 32),
            "asana pat 0/" + rand(HEX, 32),
        ],
        ["2/" + rand(DIGITS, 16) + ":" + rand(ALNUM, 32)],
        level="context",
    ),
    "asana_client_secret": Case(
        ["ASANA_CLIENT_SECRET=" + rand(ALNUM, 32)], [rand(ALNUM, 32)], level="context"
    ),
    "assemblyai_api_key": Case(
        ["ASSEMBLYAI_API_KEY=" + rand(HEX, 32)], [rand(HEX, 32)], level="context"
    ),
    # --- Atlassian ---
    "atlassian_api_token": Case(
        [f"JIRA_API_TOKEN={ATATT}", ATATT],
        ["ATATT3short", "ATATT3" + "x" * 190],
        low=[ATATT[:-1] + ("0" if ATATT[-1] != "0" else "1")],
    ),
    "atlassian_access_token": Case(
        [f"BITBUCKET_TOKEN={ATCTT}"],
        ["ATCTT3short"],
        low=[ATCTT[:-8] + _crc_hex("wrong")],
    ),
    "bitbucket_app_password": Case(
        [f"bitbucket app password {ATBB}"],
        ["ATBB" + "x" * 32, "ATBBshort"],
        low=["ATBB" + rand(ALNUM, 32, 5)],
    ),
    "atlassian_api_token_legacy": Case(
        ["JIRA_API_TOKEN=" + rand(ALNUM, 24)],
        [rand(ALNUM, 24), "confluence page ConfigurationManagerIsGood"],
        level="context",
    ),
    "atlassian_datacenter_pat": Case(
        [f"Authorization: Bearer {DC_PAT} for jira"],
        [DC_PAT],
        low=["confluence token M" + rand(B64, 43)],
    ),
    "bitbucket_datacenter_token": Case(
        [f"token {BBDC}"], ["BBDC-short"], low=["BBDC-" + rand(B64, 44)]
    ),
    "bitbucket_client_secret": Case(
        ["BITBUCKET_CLIENT_SECRET=" + rand(ALNUM, 32), "bitbucket secret " + rand(URLSAFE, 64)],
        [rand(ALNUM, 32)],
        level="context",
    ),
    # --- Auth0, Authress ---
    "auth0_client_secret": Case(
        ["AUTH0_CLIENT_SECRET=" + rand(URLSAFE, 64)], [rand(URLSAFE, 64)], level="context"
    ),
    "authress_service_key": Case(
        [
            "AUTHRESS_KEY=sc_"
            + rand(ALNUM, 10)
            + "."
            + rand(ALNUM, 4, 2)
            + ".acc_"
            + rand(ALNUM, 10, 3)
            + "."
            + rand(URLSAFE, 60, 4)
        ],
        ["sc_" + rand(ALNUM, 10) + "." + rand(ALNUM, 4, 2) + ".org_" + rand(ALNUM, 10, 3)],
    ),
    # --- AWS ---
    "aws_bedrock_api_key": Case(
        ["AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleS" + rand(B64, 130)],
        ["ABSKQmVkcm9ja0FQSUtleS" + rand(B64, 40), "ABSK" + rand(B64, 150)],
    ),
    "aws_bedrock_short_term_key": Case(
        ["bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t" + rand(B64, 400)],
        ["bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t"],
    ),
    "aws_appsync_api_key": Case(
        ["x-api-key: da2-" + rand(LOWER + DIGITS, 26)],
        ["da2-" + rand(LOWER + DIGITS, 20), "da2-" + "a" * 26],
    ),
    "aws_session_token": Case(
        [
            f"AWS_SESSION_TOKEN={SESSION}",
            "aws session: FwoGZXIvYXdzE" + rand(B64, 250, 4),
        ],
        ["IQoJb3JpZ2luX2Vj" + rand(B64, 40)],
        level="context",
    ),
    # --- Azure ---
    "azure_cosmosdb_connection_string": Case(
        [
            "AccountEndpoint=https://acme-db.documents.azure.com:443/;AccountKey="
            + rand(B64, 86)
            + "==;"
        ],
        ["AccountEndpoint=https://acme-db.documents.azure.com:443/;AccountKey=short==;"],
    ),
    "azure_shared_access_key": Case(
        [
            "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=Root;"
            "SharedAccessKey=" + rand(B64, 43) + "=",
            "HostName=hub.azure-devices.net;DeviceId=d1;SharedAccessKey=" + rand(B64, 43, 2) + "=",
        ],
        ["SharedAccessKey=<your-key>", "SharedAccessKey=" + rand(B64, 20)],
    ),
    "azure_app_config_connection_string": Case(
        [
            "Endpoint=https://acme.azconfig.io;Id="
            + rand(ALNUM, 20)
            + ";Secret="
            + rand(B64, 43)
            + "="
        ],
        ["Endpoint=https://acme.azconfig.io;Id=abc1;Secret=short"],
    ),
    "azure_container_registry_key": Case(
        ["docker login acme.azurecr.io -p " + _ms(42, "+ACR", "B" + rand(ALNUM, 5))],
        [_ms(42, "+ACX", "B" + rand(ALNUM, 5)), _ms(42, "+ACR", "Z" + rand(ALNUM, 5))],
    ),
    "azure_storage_identifiable_key": Case(
        ["AccountKey=" + _ms(76, "+ASt", rand(B64, 5) + "Q==", B64)],
        [_ms(76, "+ASx", rand(B64, 5) + "Q==", B64), _ms(76, "+ASt", rand(B64, 5) + "B==", B64)],
    ),
    "azure_cosmosdb_identifiable_key": Case(
        ["key " + _ms(76, "ACDb", rand(B64, 5) + "A==", B64)],
        [_ms(70, "ACDb", rand(B64, 5) + "A==", B64)],
    ),
    "azure_apim_identifiable_key": Case(
        ["key " + _ms(76, "APIM", rand(B64, 5) + "g==", B64)],
        [_ms(76, "APIX", rand(B64, 5) + "g==", B64)],
    ),
    "azure_batch_identifiable_key": Case(
        [
            "key " + _ms(76, "+ABa", rand(B64, 5) + "w==", B64),
            _ms(76, "+AMC", "abcde" + "A==", B64),
        ],
        [_ms(76, "+ABx", rand(B64, 5) + "w==", B64)],
    ),
    "azure_function_identifiable_key": Case(
        ["x-functions-key: " + _ms(44, "AzFu", rand(URLSAFE, 5) + "A==", URLSAFE)],
        [_ms(44, "AzFx", rand(URLSAFE, 5) + "A==", URLSAFE)],
    ),
    "azure_search_identifiable_key": Case(
        ["api-key: " + _ms(42, "AzSe", "C" + rand(ALNUM, 5))],
        [_ms(42, "AzSe", "Z" + rand(ALNUM, 5)), _ms(42, "AzSx", "C" + rand(ALNUM, 5))],
    ),
    "azure_messaging_identifiable_key": Case(
        [
            "key " + _ms(33, "+ASb", "C" + rand(B64, 5) + "=", B64),
            _ms(33, "+AEh", "P" + rand(B64, 5, 2) + "=", B64, 3),
            _ms(33, "AZEG", "A" + rand(B64, 5, 4) + "=", B64, 5),
        ],
        [_ms(33, "+ASb", "Z" + rand(B64, 5) + "=", B64)],
    ),
    "azure_iot_identifiable_key": Case(
        ["key " + _ms(33, "AIoT", "F" + rand(B64, 5) + "=", B64)],
        [_ms(33, "AIoX", "F" + rand(B64, 5) + "=", B64)],
    ),
    "azure_redis_identifiable_key": Case(
        ["redis password " + _ms(33, "AzCa", "E" + rand(B64, 5) + "=", B64)],
        [_ms(33, "AzCa", "z" + rand(B64, 5) + "=", B64)],
    ),
    "azure_devops_pat": Case(
        [f"AZURE_DEVOPS_EXT_PAT={ADO_PAT}", ADO_PAT + rand(ALNUM, 2) + "=="],
        [ADO_PAT[:-6], ADO_PAT.replace("AZDO", "AZXX")[:70]],
    ),
    "azure_devops_pat_legacy": Case(
        [
            "AZURE_DEVOPS_PAT=" + rand(LOWER + "234567", 52),
            "dev.azure.com pat " + rand(LOWER + "234567", 52, 2),
        ],
        [rand(LOWER + "234567", 52)],
        level="context",
    ),
    "azure_cask_key": Case(
        [f"AZURE_OPENAI_API_KEY={CASK}"],
        [ADO_PAT, CASK.replace("JQQJ", "JQQX")],
    ),
    "azure_openai_key": Case(
        ["endpoint https://acme.openai.azure.com/ api-key " + rand(HEX, 32)],
        [rand(HEX, 32), "openai key " + rand(HEX, 32)],
        level="context",
    ),
    "azure_apim_subscription_key": Case(
        ["Ocp-Apim-Subscription-Key: " + rand(HEX, 32)], [rand(HEX, 32)], level="context"
    ),
    "azure_entra_refresh_token": Case(
        [f'{{"refresh_token": "{REFRESH}"}}', "msal cache " + REFRESH],
        ["0.A" + rand(URLSAFE, 20) + ".Ag" + rand(URLSAFE, 40)],
        level="context",
    ),
    # --- Beamer, Bittrex, Bitwarden, Box ---
    "beamer_api_key": Case(
        ["BEAMER_API_KEY=b_" + rand(URLSAFE, 44)], ["b_" + rand(URLSAFE, 44)], level="context"
    ),
    "bittrex_api_key": Case(["bittrex secret " + rand(HEX, 32)], [rand(HEX, 32)], level="context"),
    "bitwarden_access_token": Case(
        ["BWS_ACCESS_TOKEN=0." + _uuid(1) + "." + rand(ALNUM, 30) + ":" + rand(B64, 22) + "=="],
        ["0." + _uuid(1) + "." + rand(ALNUM, 30) + ":" + rand(B64, 22) + "=="],
        level="context",
    ),
    "box_api_token": Case(
        ["BOX_DEVELOPER_TOKEN=" + rand(ALNUM, 32), "box api token " + rand(ALNUM, 32, 2)],
        [rand(ALNUM, 32), "inbox " + rand(ALNUM, 32)],
        level="context",
    ),
    # --- Braintree, Braintrust, Buildkite ---
    "braintree_access_token": Case(
        ["access_token$production$" + rand(LOWER + DIGITS, 16) + "$" + rand(HEX, 32)],
        ["access_token$staging$" + rand(LOWER + DIGITS, 16) + "$" + rand(HEX, 32)],
    ),
    "braintree_private_key": Case(
        ["BRAINTREE_PRIVATE_KEY=" + rand(HEX, 32)], [rand(HEX, 32)], level="context"
    ),
    "braintrust_api_key": Case(
        ["BRAINTRUST_API_KEY=sk-" + rand(ALNUM, 48)], ["sk-" + rand(ALNUM, 48)], level="context"
    ),
    "buildkite_token": Case(
        [
            "BUILDKITE_API_TOKEN=bkua_" + rand(HEX, 40),
            "bkua_MTA." + rand(HEX, 40),
            "bkaa_MTA." + rand(ALNUM, 70),
        ],
        ["bkua_" + rand(HEX, 20), "bkzz_" + rand(HEX, 40)],
    ),
    # --- CAST AI, Cerebras, Chargebee, CircleCI ---
    "castai_api_key": Case(
        ["CASTAI_API_TOKEN=castai_v1_" + rand(ALNUM, 64) + "_" + rand(ALNUM, 8, 2)],
        ["castai_v1_" + rand(ALNUM, 64)],
    ),
    "cerebras_api_key": Case(
        ["CEREBRAS_API_KEY=csk-" + rand(LOWER + DIGITS, 48)],
        ["csk-" + rand(LOWER + DIGITS, 48)],
        level="context",
    ),
    "chargebee_api_key": Case(
        ["chargebee api key live_" + rand(ALNUM, 32)],
        ["live_" + rand(ALNUM, 32), "chargebee test_short"],
        level="context",
    ),
    "circleci_token": Case(
        [
            "circle-token: CCIPAT_" + rand(BASE58, 22) + "_" + rand(HEX, 40),
            "CCIPRJ_" + rand(ALNUM, 22, 3) + "_" + rand(HEX, 40, 4),
        ],
        ["CCIPAT_" + rand(BASE58, 22) + "_" + rand(HEX, 20), "CCIPXX_" + rand(BASE58, 22)],
    ),
    "circleci_token_legacy": Case(
        ["CIRCLECI_TOKEN=" + rand(HEX, 40)],
        [rand(HEX, 40), "commit 3f786850e387550fdab836ed7e6dc881de23001b fixed it"],
        level="context",
    ),
    # --- ClickHouse, ClickUp, Clojars ---
    "clickhouse_cloud_api_secret": Case(
        ["key secret 4b1d" + rand(ALNUM, 38)],
        ["4b1d" + rand(HEX, 38), "sha 4b1d" + rand(HEX, 60)],
    ),
    "clickup_api_token": Case(
        [
            "pk_" + rand(DIGITS, 8) + "_" + rand(UPPER + DIGITS, 32),
            'headers = {"Authorization": "pk_'
            + rand(DIGITS, 7, 2)
            + "_"
            + rand(UPPER + DIGITS, 32, 3)
            + '"}',
        ],
        ["pk_live_" + rand(ALNUM, 24), "pk_" + rand(DIGITS, 8) + "_" + rand(LOWER, 32)],
    ),
    "clojars_deploy_token": Case(
        ["CLOJARS_" + rand(LOWER + DIGITS, 60)], ["CLOJARS_USERNAME", "CLOJARS_" + "a" * 60]
    ),
    # --- Cloudant ---
    "cloudant_credentials": Case(
        [
            "https://acme:" + rand(HEX, 64) + "@acme.cloudant.com",
            "https://apikey-v2-x:"
            + rand(LOWER, 24)
            + "@acme-bluemix.cloudantnosqldb.appdomain.cloud",
        ],
        ["https://acme:secret@acme.cloudant.com"],
    ),
    "cloudant_password": Case(
        ["CLOUDANT_PASSWORD=" + rand(HEX, 64)], [rand(HEX, 64)], level="context"
    ),
    # --- Cloudflare ---
    "cloudflare_api_token": Case(
        [f"CLOUDFLARE_API_TOKEN={CF_TOKEN}", CF_ACCOUNT],
        ["cfut_" + rand(ALNUM, 20), "cfut_" + "a" * 48],
        low=[CF_TOKEN[:-8] + _crc_hex("wrong", upper=False)],
    ),
    "cloudflare_global_api_key": Case(
        [f"X-Auth-Key: {CF_GLOBAL}"],
        ["cfk_" + rand(ALNUM, 30)],
        low=["cfk_" + rand(ALNUM, 40, 4) + rand(HEX, 8, 4)],
    ),
    "cloudflare_api_token_legacy": Case(
        ["CLOUDFLARE_API_TOKEN=" + rand(URLSAFE, 40)], [rand(URLSAFE, 40)], level="context"
    ),
    "cloudflare_global_api_key_legacy": Case(
        ["CF_API_KEY=" + rand(HEX, 37)], [rand(HEX, 37)], level="context"
    ),
    "cloudflare_origin_ca_key": Case(
        ["origin ca key v1.0-" + rand(HEX, 24) + "-" + rand(HEX, 146)],
        ["v1.0-" + rand(HEX, 24) + "-" + rand(HEX, 40), "version v1.0-beta"],
    ),
    # --- Cloudinary, Codecov, Cohere, Coinbase ---
    "cloudinary_url": Case(
        ["CLOUDINARY_URL=cloudinary://" + rand(DIGITS, 15) + ":" + rand(URLSAFE, 27) + "@acme"],
        ["cloudinary://" + rand(DIGITS, 15) + "@acme", "cloudinary://key:secret@acme"],
    ),
    "cloudinary_api_secret": Case(
        ["CLOUDINARY_API_SECRET=" + rand(URLSAFE, 27)], [rand(URLSAFE, 27)], level="context"
    ),
    "codecov_token": Case(
        ["CODECOV_TOKEN=" + _uuid(3), "codecov token " + rand(ALNUM, 32)],
        [f"request id {_uuid(3)}"],
        level="context",
    ),
    "cohere_api_key": Case(
        ["export CO_API_KEY=" + rand(ALNUM, 40), "cohere key " + rand(ALNUM, 40, 2)],
        [rand(ALNUM, 40)],
        level="context",
    ),
    "coinbase_api_secret": Case(
        ["COINBASE_API_SECRET=" + rand(B64, 86) + "==", "coinbase secret " + rand(URLSAFE, 64)],
        [rand(B64, 86) + "=="],
        level="context",
    ),
    # --- Confluent, Contentful ---
    "confluent_api_secret": Case(
        [f"sasl.password={CONFLUENT}"],
        ["cflt" + rand(B64, 30)],
        low=["cflt" + rand(B64, 60, 3)],
    ),
    "confluent_api_secret_legacy": Case(
        ["CONFLUENT_CLOUD_API_SECRET=" + rand(B64, 64)], [rand(B64, 64)], level="context"
    ),
    "contentful_personal_access_token": Case(
        ["CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-" + rand(URLSAFE, 43)],
        ["CFPAT-" + rand(URLSAFE, 20), "CFPAT-" + "x" * 43],
    ),
    "contentful_delivery_token": Case(
        ["CONTENTFUL_ACCESS_TOKEN=" + rand(URLSAFE, 43)], [rand(URLSAFE, 43)], level="context"
    ),
}

CASES = TABLES.items()


def test_every_detector_in_the_module_has_a_table():
    assert module_ids(secrets_vendors_a_c) == set(TABLES)


@pytest.mark.parametrize("detector", secrets_vendors_a_c.DETECTORS, ids=lambda d: d.id)
def test_every_detector_names_its_source_and_says_what_it_finds(detector):
    assert detector.source.startswith("https://")
    assert detector.description.endswith(".") and len(detector.description) <= 100
    assert detector.data_class == "secret"
    if detector.confidence == "validated":
        assert not detector.context_required


@pytest.mark.parametrize(
    ("detector", "text", "level"),
    [(d, t, c.level) for d, c in CASES for t in c.pos],
    ids=lambda x: x[:40] if isinstance(x, str) else None,
)
def test_detects_positive_example_at_its_confidence(detector, text, level):
    found = levels(detector, text)
    assert len(found) == 1, f"{detector}: {found!r} in {text!r}"
    assert found[0][1] == level
    assert hits(detector, text)


@pytest.mark.parametrize(
    ("detector", "text"),
    [(d, t) for d, c in CASES for t in c.neg],
    ids=lambda x: x[:40] if isinstance(x, str) else None,
)
def test_ignores_negative_example(detector, text):
    assert levels(detector, text) == []


@pytest.mark.parametrize(
    ("detector", "text"),
    [(d, t) for d, c in CASES for t in c.low],
    ids=lambda x: x[:40] if isinstance(x, str) else None,
)
def test_value_failing_its_checksum_is_a_low_finding(detector, text):
    assert [level for _, level in levels(detector, text)] == ["low"]
    assert hits(detector, text) == []


def test_context_required_detectors_need_their_label():
    for d in secrets_vendors_a_c.DETECTORS:
        if d.context_required:
            assert TABLES[d.id].neg, f"{d.id} needs an unlabelled negative"


def test_embedded_token_is_not_a_finding():
    assert hits("artifactory_api_key", "x" + "AKCp" + rand(ALNUM, 69)) == []
    assert hits("cloudflare_api_token", CF_TOKEN + "z") == []


def test_moved_and_improved_entries_still_ship_once():
    ids = [d.id for d in builtin()]
    assert ids.count("atlassian_api_token") == 1
    assert "atlassian_api_token" in module_ids(secrets_vendors_a_c)
