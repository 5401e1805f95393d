"""Prompt-scanning benchmark: aigate's scanner against presidio-analyzer's pattern recognizers and
detect-secrets' plugins, on one generated corpus, in one run.

    .venv/bin/pip install -e '.[bench]'     # presidio-analyzer, detect-secrets
    .venv/bin/python bench/bench_scan.py [--prompts 300] [--seed 1] [--least]

Prints MB/s over 4 KB prompts, per-prompt p50/p99 (4 KB and tiny < 200 B prompts), the RE2
floor in the same run (one search per prompt: the least any scanner on these bindings costs),
recall on planted values (each planted in a sentence with the context a person would write) and
the false-positive rate on decoys (git SHAs, UUIDs, hashes, order numbers failing checksums,
placeholders, env references, versions, dates).
Presidio runs without an NLP engine (no spaCy model download): its predefined English
PatternRecognizers are constructed directly and called with `nlp_artifacts=None`, so context
words do not boost scores; results with score >= 0.3 count, the way the analyzer's default
registry would surface them to a caller using a low threshold.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import re
import statistics
import string
import sys
import time
import uuid
import zlib
from collections.abc import Callable
from typing import Any

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
URLSAFE = ALNUM + "_-"
B64 = ALNUM + "+/"
LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

FILLER = [
    "Can you help me rewrite this paragraph so it sounds more professional?",
    "Here is the summary of last week's meeting with the product team.",
    "The deployment failed on Tuesday because the build cache was stale.",
    "Please translate the following text into German and keep the tone friendly.",
    "We shipped version 4.2.1 on 2024-03-18 and the rollout went fine.",
    "Write a SQL query that counts orders per customer for the last 30 days.",
    "def total(items):\n    return sum(i.price * i.qty for i in items)",
    "Our Q3 revenue grew 12% while costs stayed flat at 3.4 million.",
    "The function returns None when the list is empty, which breaks the caller.",
    "Draft a polite reply declining the invitation for next Thursday at 3pm.",
    "Room 204 is booked from 10:00 to 11:30 for the design review.",
    "Explain the difference between TCP and UDP in two sentences.",
]


def rand(rng: random.Random, chars: str, n: int) -> str:
    return "".join(rng.choice(chars) for _ in range(n))


def luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def failing_luhn(rng: random.Random) -> str:
    """A 16-digit number with a Visa prefix whose check digit is wrong (an order number)."""
    number = luhn_complete(rng, "4", 16)
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def grouped(number: str) -> str:
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def crc_token(rng: random.Random, prefix: str) -> str:
    body = rand(rng, ALNUM, 30)
    n, out = zlib.crc32(body.encode()), ""
    digits = string.digits + string.ascii_uppercase + string.ascii_lowercase
    while n:
        n, r = divmod(n, 62)
        out = digits[r] + out
    return f"{prefix}_{body}{out.rjust(6, '0')}"


def b58check(rng: random.Random, version: int) -> str:
    payload = bytes([version]) + bytes(rng.randrange(256) for _ in range(20))
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n, out = int.from_bytes(raw, "big"), ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def iban_de(rng: random.Random) -> str:
    bban = "".join(rng.choice(string.digits) for _ in range(18))
    check = 98 - int(bban + "131400") % 97
    return f"DE{check:02d}{bban}"


def ssn(rng: random.Random) -> str:
    area = rng.choice([n for n in range(1, 900) if n != 666])
    return f"{area:03d}-{rng.randrange(1, 100):02d}-{rng.randrange(1, 10000):04d}"


def jwt(rng: random.Random) -> str:
    def enc(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    header, payload = enc({"alg": "HS256", "typ": "JWT"}), enc({"sub": rand(rng, HEX, 8)})
    return f"{header}.{payload}.{rand(rng, URLSAFE, 43)}"


def pem(rng: random.Random) -> str:
    body = "\n".join(rand(rng, B64, 64) for _ in range(6))
    return f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"


# kind -> (sentence template with {v}, value generator). Templates are how people paste them.
PLANTED: dict[str, tuple[str, Callable[[random.Random], str]]] = {
    "credit_card": ("Charge the card {v} for the renewal.", lambda r: luhn_complete(r, "4", 16)),
    "credit_card_spaced": (
        "My Mastercard is {v}, expiry 09/27.",
        lambda r: grouped(luhn_complete(r, "51", 16)),
    ),
    "iban": ("Wire it to IBAN {v} please.", iban_de),
    "us_ssn": ("Employee SSN: {v}", ssn),
    "email": (
        "Forward it to {v} before noon.",
        lambda r: f"{rand(r, LOWER, 7)}.{rand(r, LOWER, 5)}@acme-corp.io",
    ),
    "phone": ("Call me on +1 415 555 {v}.", lambda r: f"{r.randrange(1000, 10000)}"),
    # A public address (documentation ranges such as 203.0.113.0/24 are examples, reported low).
    "ipv4": (
        "The DB host is {v} on port 5432.",
        lambda r: (
            f"{r.choice((34, 52, 81, 104, 151))}.{r.randrange(1, 255)}.{r.randrange(256)}."
            f"{r.randrange(1, 255)}"
        ),
    ),
    "uk_nino": ("NI number {v}", lambda r: f"JG{r.randrange(100000, 999999)}A"),
    "aws_access_key_id": (
        "aws_access_key_id = {v}",
        lambda r: "AKIA" + rand(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
    ),
    "aws_secret": ("aws_secret_access_key = {v}", lambda r: rand(r, B64, 40)),
    "github_pat": ("use token {v} for the CI", lambda r: crc_token(r, "ghp")),
    "github_fine_grained": (
        "GH_TOKEN={v}",
        lambda r: f"github_pat_{rand(r, ALNUM, 22)}_{rand(r, ALNUM, 59)}",
    ),
    "gitlab": ("GITLAB_TOKEN={v}", lambda r: "glpat-" + rand(r, URLSAFE, 20)),
    "slack_bot": (
        "SLACK_BOT_TOKEN={v}",
        lambda r: (
            f"xoxb-{r.randrange(10**10, 10**11)}-{r.randrange(10**11, 10**12)}-{rand(r, ALNUM, 24)}"
        ),
    ),
    "slack_webhook": (
        "post to {v}",
        lambda r: (
            "https://hooks.slack.com/services/"
            f"T{rand(r, UPPER, 8)}/B{rand(r, UPPER, 8)}/{rand(r, ALNUM, 24)}"
        ),
    ),
    "stripe": ("stripe.api_key = '{v}'", lambda r: "sk_live_" + rand(r, ALNUM, 24)),
    "openai": ("OPENAI_API_KEY={v}", lambda r: "sk-proj-" + rand(r, URLSAFE, 120)),
    "anthropic": ("ANTHROPIC_API_KEY={v}", lambda r: "sk-ant-api03-" + rand(r, URLSAFE, 95)),
    "google_api_key": ("key={v}", lambda r: "AIza" + rand(r, URLSAFE, 35)),
    "jwt": ("Authorization: Bearer {v}", jwt),
    "private_key": ("here is the key:\n{v}\n", pem),
    "npm": ("//registry.npmjs.org/:_authToken={v}", lambda r: crc_token(r, "npm")),
    "pypi": ("password = {v}", lambda r: "pypi-AgEIcHlwaS5vcmc" + rand(r, URLSAFE, 70)),
    "huggingface": ("HF_TOKEN={v}", lambda r: "hf_" + rand(r, string.ascii_letters, 34)),
    "sendgrid": (
        "SENDGRID_API_KEY={v}",
        lambda r: f"SG.{rand(r, URLSAFE, 22)}.{rand(r, URLSAFE, 43)}",
    ),
    "twilio": ("twilio api key {v}", lambda r: "SK" + rand(r, HEX, 32)),
    "telegram": (
        "bot token {v}",
        lambda r: f"{r.randrange(10**8, 10**9)}:AA{rand(r, URLSAFE, 33)}",
    ),
    "password_url": (
        "DATABASE_URL={v}",
        lambda r: f"postgres://app:{rand(r, ALNUM, 14)}@db.internal:5432/app",
    ),
    "password_assignment": (
        'password = "{v}"',
        lambda r: rand(r, ALNUM, 10) + "#" + rand(r, ALNUM, 3),
    ),
    "bitcoin": ("send BTC to {v}", lambda r: b58check(r, 0)),
}

DECOYS: dict[str, Callable[[random.Random], str]] = {
    "git_sha": lambda r: f"Fixed in commit {rand(r, HEX, 40)}.",
    "uuid": lambda r: f"Request id {uuid.UUID(int=r.getrandbits(128))} timed out.",
    "sha256": lambda r: f"sha256: {rand(r, HEX, 64)}",
    "md5": lambda r: f"checksum {rand(r, HEX, 32)}",
    "order_number": lambda r: f"Order {failing_luhn(r)} shipped.",
    "long_number": lambda r: f"Tracking number {r.randrange(10**19, 10**20)}",
    "env_ref": lambda r: "api_key = os.environ['OPENAI_API_KEY']",
    "placeholder": lambda r: r.choice(
        [
            "OPENAI_API_KEY=<your-key>",
            "password: changeme",
            "token: xxxxxxxxxxxxxxxx",
            "AWS_SECRET_ACCESS_KEY=YOUR_SECRET_HERE",
        ]
    ),
    "aws_example": lambda r: "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
    "version": lambda r: (
        f"Upgrade to {r.randrange(1, 20)}.{r.randrange(0, 30)}.{r.randrange(0, 99)} today."
    ),
    "date": lambda r: f"The report is due {r.randrange(1, 28)}/{r.randrange(1, 12)}/2025.",
    "price": lambda r: f"It costs ${r.randrange(10, 9999)}.{r.randrange(0, 99):02d} per seat.",
    "phone_like": lambda r: f"Invoice INV-{r.randrange(100000, 999999)} line {r.randrange(1, 99)}",
    "base64_image": lambda r: (
        "thumbnail: " + base64.b64encode(bytes(r.randrange(256) for _ in range(60))).decode()
    ),
    "url": lambda r: (
        f"See https://docs.example.com/guide/{rand(r, LOWER, 8)}?page={r.randrange(9)}"
    ),
    "code": lambda r: (
        f"for i in range({r.randrange(100)}):\n    total += values[i] * {r.randrange(1000)}"
    ),
    "ssn_invalid": lambda r: f"Case 000-{r.randrange(10, 99)}-{r.randrange(1000, 9999)} closed",
    "template_secret": lambda r: "password: ${DB_PASSWORD}",
    "random_word": lambda r: " ".join(
        rand(r, string.ascii_lowercase, r.randrange(3, 9)) for _ in range(8)
    ),
    "hex_color": lambda r: f"color: #{rand(r, HEX, 6)}; border: 1px",
}


def corpus(seed: int, per_kind: int) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Planted samples (kind, text, value) and decoy texts."""
    rng = random.Random(seed)
    planted = []
    for kind, (template, make) in PLANTED.items():
        for _ in range(per_kind):
            value = make(rng)
            text = template.format(v=value)
            if kind == "phone":
                value = text[text.index("+") : text.rindex(".")]
            planted.append((kind, f"{rng.choice(FILLER)} {text} {rng.choice(FILLER)}", value))
    decoys = [
        f"{rng.choice(FILLER)} {make(rng)} {rng.choice(FILLER)}"
        for make in DECOYS.values()
        for _ in range(per_kind)
    ]
    return planted, decoys


def prompts(seed: int, count: int, size: int = 4096) -> list[str]:
    """4 KB prompts of ordinary text and code; on average each holds one planted value and two
    decoys, far denser than real traffic, so the timing is a pessimistic one."""
    rng = random.Random(seed + 1)
    planted, decoys = corpus(seed + 2, 3)
    out = []
    for _ in range(count):
        parts: list[str] = []
        while sum(map(len, parts)) < size:
            roll = rng.random()
            if roll < 0.017:
                parts.append(rng.choice(planted)[1])
            elif roll < 0.05:
                parts.append(rng.choice(decoys))
            else:
                parts.append(rng.choice(FILLER))
        out.append("\n".join(parts)[:size])
    return out


def tiny_prompts(seed: int, count: int) -> list[str]:
    """Short prompts (< 200 bytes), the way most chat messages are: one sentence each, with a
    planted value or a decoy as often as in the 4 KB prompts."""
    rng = random.Random(seed + 3)
    planted, decoys = corpus(seed + 2, 3)
    out = []
    while len(out) < count:
        roll = rng.random()
        if roll < 0.017:
            text = rng.choice(planted)[1]
        elif roll < 0.05:
            text = rng.choice(decoys)
        else:
            text = rng.choice(FILLER)
        if len(text.encode()) < 200:
            out.append(text)
    return out


class Tool:
    name = ""

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, value) of each finding."""
        raise NotImplementedError


# The detectors of the first release, still shipped under these ids: the same engine with only
# them is the "before" row, so the cost of the added detectors shows in one run.
FIRST_WAVE = [
    "confidential_marking",
    "credit_card",
    "iban",
    "aba_routing",
    "swift_bic",
    "bitcoin_address",
    "litecoin_address",
    "dogecoin_address",
    "ethereum_address",
    "monero_address",
    "email",
    "phone_e164",
    "phone_national",
    "us_ssn",
    "us_ssn_compact",
    "us_itin",
    "uk_nino",
    "passport_us",
    "passport_uk",
    "passport_in",
    "passport_ca",
    "date_of_birth",
    "ipv4_address",
    "ipv6_address",
    "mac_address",
    "us_drivers_license",
    "uk_driving_licence",
    "es_dni",
    "br_cpf",
    "fr_nir",
    "it_codice_fiscale",
    "nl_bsn",
    "in_aadhaar",
    "ca_sin",
    "au_tfn",
    "de_tax_id",
    "openai_api_key",
    "anthropic_api_key",
    "huggingface_token",
    "groq_api_key",
    "xai_api_key",
    "replicate_api_token",
    "perplexity_api_key",
    "aws_access_key_id",
    "aws_secret_access_key",
    "azure_storage_connection_string",
    "azure_storage_key",
    "azure_sas_token",
    "azure_ad_client_secret",
    "gcp_service_account",
    "google_api_key",
    "google_oauth_client_secret",
    "google_oauth_token",
    "digitalocean_token",
    "heroku_api_key",
    "databricks_token",
    "vault_token",
    "vault_legacy_token",
    "github_pat",
    "github_oauth",
    "github_app",
    "github_refresh",
    "github_fine_grained",
    "gitlab_pat",
    "gitlab_token",
    "npm_token",
    "pypi_token",
    "docker_hub_pat",
    "docker_config_auth",
    "password_in_url",
    "password_connection_string",
    "password_assignment",
    "private_key_rsa",
    "private_key_ec",
    "private_key_dsa",
    "private_key_openssh",
    "private_key_pkcs8",
    "private_key_pgp",
    "jwt",
    "age_secret_key",
    "slack_bot_token",
    "slack_user_token",
    "slack_app_token",
    "slack_webhook",
    "stripe_secret_key",
    "stripe_webhook_secret",
    "twilio_api_key",
    "twilio_auth_token",
    "sendgrid_api_key",
    "mailgun_api_key",
    "shopify_token",
    "datadog_api_key",
    "telegram_bot_token",
    "discord_webhook",
    "sentry_dsn",
    "postman_api_key",
    "new_relic_key",
    "atlassian_api_token",
    "linear_api_key",
    "notion_token",
    "square_token",
]


class Aigate(Tool):
    def __init__(self, engine: str = "re2", *, first_wave: bool = False) -> None:
        from aigate.inspect.detectors import builtin
        from aigate.inspect.engine import Scanner

        self.name = "aigate" if engine == "re2" else "aigate (re fallback)"
        detectors = None
        if first_wave:
            self.name = "aigate, 1st-wave set"
            detectors = [d for d in builtin() if d.id in FIRST_WAVE]
        # Every prompt is timed in several rounds: without `recent=0` the later rounds would
        # time the reuse of the first round's findings (`conversation` times that on purpose).
        self.scanner = Scanner(detectors, engine=engine, recent=0)

    def spans(self, text):
        """Findings a policy rule takes by default (`pattern` and up): a `low` finding is a
        value that failed its checksum, reported for the record and never acted on."""
        found = self.scanner.scan(text)
        return [(f.start, f.end, text[f.start : f.end]) for f in found if f.confidence != "low"]


class Presidio(Tool):
    name = "presidio patterns"

    def __init__(self) -> None:
        import logging

        import tldextract

        # Presidio's email recognizer calls tldextract, which downloads the public suffix list on
        # first use; this machine is offline, so give it the snapshot bundled with tldextract.
        tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
        from presidio_analyzer import PatternRecognizer
        from presidio_analyzer import predefined_recognizers as pr

        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        self.recognizers = []
        for name in dir(pr):
            cls = getattr(pr, name)
            if not (isinstance(cls, type) and issubclass(cls, PatternRecognizer)):
                continue
            try:
                recognizer = cls()
            except Exception:  # noqa: S112 - recognizers needing arguments or models are skipped
                continue
            if recognizer.supported_language == "en":
                self.recognizers.append(recognizer)

    def spans(self, text):
        out = []
        for r in self.recognizers:
            for res in r.analyze(text, entities=r.supported_entities, nlp_artifacts=None) or []:
                if res.score >= 0.3:
                    out.append((res.start, res.end, text[res.start : res.end]))
        return out


class DetectSecrets(Tool):
    """Every detect-secrets plugin with its default settings (entropy limits included), run
    line by line through `analyze_line` as its file scanner does."""

    name = "detect-secrets"

    def __init__(self) -> None:
        from detect_secrets.settings import default_settings, get_plugins

        with default_settings():
            self.plugins = list(get_plugins())

    def spans(self, text):
        out = []
        for number, line in enumerate(text.split("\n"), 1):
            for plugin in self.plugins:
                for secret in plugin.analyze_line(
                    filename="prompt.txt", line=line, line_number=number
                ):
                    value = secret.secret_value or ""
                    start = text.find(value) if value else -1
                    out.append((start, start + len(value), value))
        return out


def _hit(spans: list[tuple[int, int, str]], value: str) -> bool:
    return any(
        v and (v in value or value in v) and len(v) >= min(6, len(value)) for _, _, v in spans
    )


def _timed(
    call: Callable[[str], object], texts: list[str], repeat: int, least: bool = False
) -> list[float]:
    """Seconds per call, sorted; with `least`, each text's fastest of the `repeat` rounds (what
    it costs when the process is not descheduled: on a shared machine the other figures swing
    by a third from run to run, these by a few percent)."""
    rounds = []
    for _ in range(repeat):
        row = []
        for text in texts:
            started = time.perf_counter()
            call(text)
            row.append(time.perf_counter() - started)
        rounds.append(row)
    if least:
        return sorted(map(min, zip(*rounds, strict=True)))
    return sorted(t for row in rounds for t in row)


def _p99(times: list[float]) -> float:
    return times[int(len(times) * 0.99) - 1]


def measure(
    tool: Tool, planted, decoys, bodies, repeat: int, tiny: list[str] = (), least: bool = False
) -> dict:
    recall = sum(_hit(tool.spans(text), value) for _, text, value in planted) / len(planted)
    fp = sum(bool(tool.spans(text)) for text in decoys) / len(decoys)
    for text in [*bodies[:5], *tiny[:20]]:
        tool.spans(text)  # warm caches
    times = _timed(tool.spans, bodies, repeat, least)
    tiny_times = _timed(tool.spans, list(tiny), repeat, least) or [float("nan")]
    total_bytes = sum(len(b.encode()) for b in bodies) * (1 if least else repeat)
    return {
        "tool": tool.name,
        "mb_s": total_bytes / sum(times) / 1e6,
        "p50_us": statistics.median(times) * 1e6,
        "p99_us": _p99(times) * 1e6,
        "tiny_p50_us": statistics.median(tiny_times) * 1e6,
        "tiny_p99_us": _p99(tiny_times) * 1e6,
        "recall": recall,
        "decoy_fp": fp,
    }


def re2_floor(bodies: list[str], repeat: int, least: bool = False) -> float:
    """MB/s of the least a scanner on RE2 does per prompt (encode it, search it once for a
    pattern that never matches): the ceiling for any engine built on these bindings."""
    import re2

    never = re2.compile(rb"\x00\x01never")
    times = _timed(lambda text: never.search(text.encode()), bodies, repeat, least)
    return sum(len(b.encode()) for b in bodies) * (1 if least else repeat) / sum(times) / 1e6


def _mb_s(call: Callable[[str], object], bodies: list[str], repeat: int, least: bool) -> float:
    for text in bodies[:5]:
        call(text)  # RE2 builds its automata on first use
    times = _timed(call, bodies, repeat, least)
    return sum(len(b.encode()) for b in bodies) * (1 if least else repeat) / sum(times) / 1e6


def conversation(seed: int, chats: int, turns: int, rounds: int) -> tuple[float, float, int]:
    """MB/s of request bodies in chats whose every request resends the earlier turns, as chat and
    agent clients do, each inspected as the proxy does (`inspect_request`: the JSON read, encoded
    runs decoded, every message scanned), without and with the reuse of what was worked out for
    recent texts, each round by a fresh scanner; and the findings of the last request of each
    chat, equal both ways (else the run fails)."""
    from aigate.inspect import inspect_request
    from aigate.inspect.engine import Scanner

    texts = prompts(seed + 7, chats * turns, size=1024)
    bodies = [
        json.dumps({"model": "gpt-4o", "messages": [
            {"role": "assistant" if i % 2 else "user", "content": text}
            for i, text in enumerate(texts[c * turns : c * turns + k + 1])
        ]}).encode()
        for c in range(chats) for k in range(turns)
    ]
    warm_up = prompts(seed + 8, 300)  # as warm as a long-running proxy: RE2 builds its DFAs lazily
    rates, last = [], []
    for recent in (0, 4096):
        best = float("inf")
        for _ in range(rounds):
            scanner = Scanner(key=b"bench", recent=recent)
            for text in warm_up:
                scanner.scan(text)
            started = time.perf_counter()
            found = [
                inspect_request(scanner, body=body, host="api.openai.com",
                                path="/v1/chat/completions", content_type="application/json")
                for body in bodies
            ]
            best = min(best, time.perf_counter() - started)
        rates.append(sum(map(len, bodies)) / best / 1e6)
        last.append([found[c * turns + turns - 1].findings for c in range(chats)])
    if last[0] != last[1]:
        raise SystemExit("reusing what was worked out for recent texts changed the findings")
    return rates[0], rates[1], sum(map(len, last[1]))


def hyperscan_atoms(
    hyperscan: Any, scanner: Any, words: list[str]
) -> tuple[str, Callable[[str], object]]:
    """Hyperscan in place of aigate's FilteredRE2: one caseless literal database of the atoms of
    the filter's patterns (`literal_atoms`, our own extraction) and the context words, each
    reported once a prompt."""
    from aigate.inspect.engine import _loosen
    from literal_atoms import literal_atoms

    atoms: set[bytes] = set()
    for i in scanner._filter_ids:
        atoms |= literal_atoms(_loosen(scanner._compiled[i].detector.pattern)) or set()
    literals = sorted(atoms | {w.encode() for w in words})
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=[re.escape(literal) for literal in literals],
        ids=list(range(len(literals))),
        elements=len(literals),
        flags=[hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH
               | (0 if literal.isascii() else hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP)
               for literal in literals],
    )
    found: list[int] = []

    def on_match(literal: int, start: int, end: int, flags: int, context: object) -> None:
        found.append(literal)

    def scan(text: str) -> None:
        found.clear()
        database.scan(text.encode(), match_event_handler=on_match)

    return (f"hyperscan, {len(atoms)} atoms of the filter's patterns + {len(words)} words",
            scan)


def engines(
    bodies: list[str], repeat: int, least: bool, every_set: bool
) -> list[tuple[str, float]]:
    """MB/s of matching engines alone on the same prompts, each given the text as bytes: what
    aigate's prefilter is made of, the single RE2 set the issue compared against, and the
    engines a position-reporting prefilter could use (when installed: `.[bench]`)."""
    import re2
    from aigate.inspect.detectors import builtin
    from aigate.inspect.engine import Scanner, _loosen

    scanner = Scanner()
    detectors = builtin()
    patterns = [_loosen(d.pattern).encode() for d in detectors]
    words = sorted({w.lower() for d in detectors if d.context_required for w in d.context})
    ascii_words = [w.encode() for w in words if w.isascii()]
    rows: list[tuple[str, Callable[[str], object]]] = [
        ("aigate's prefilter: choosing detectors", lambda t: scanner._candidates(t.encode()))
    ]

    def re2_set(chosen: list[bytes]) -> Callable[[str], object]:
        matcher = re2.Set.SearchSet(re2.Options())
        for pattern in chosen:
            matcher.Add(pattern)
        matcher.Compile()
        return lambda t: matcher.Match(t.encode())

    first_wave = [_loosen(d.pattern).encode() for d in detectors if d.id in FIRST_WAVE]
    rows.append((f"RE2 Set, {len(first_wave)} first-wave patterns", re2_set(first_wave)))
    every = f"RE2 Set, all {len(patterns)} patterns"  # milliseconds a prompt: one round
    if every_set:
        rows.append((every, re2_set(patterns)))
    atoms_filter = re2.Filter()
    for pattern in patterns:
        atoms_filter.Add(pattern)
    for word in words:
        atoms_filter.Add(("(?i)" + re2.escape(word)).encode())
    atoms_filter.Compile()
    rows.append((f"RE2 Filter, {len(patterns)} patterns + {len(words)} words",
                 lambda t: atoms_filter.Match(t.encode(), True)))
    try:
        import hyperscan

        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        database.compile(
            expressions=[re.escape(w) for w in ascii_words],
            ids=list(range(len(ascii_words))),
            elements=len(ascii_words),
            flags=hyperscan.HS_FLAG_CASELESS,
        )
        found: list[tuple[int, int]] = []

        def on_match(word: int, start: int, end: int, flags: int, context: object) -> None:
            found.append((word, end))

        def hyperscan_scan(text: str) -> None:
            found.clear()
            database.scan(text.encode(), match_event_handler=on_match)

        rows.append((f"hyperscan literals, {len(ascii_words)} words, every position",
                     hyperscan_scan))
        rows.append(hyperscan_atoms(hyperscan, scanner, words))
    except ImportError as e:
        print(f"skipping hyperscan: {e} (pip install -e '.[bench]')", file=sys.stderr)
    try:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for index, word in enumerate(w for w in words if w.isascii()):
            automaton.add_word(word, index)
        automaton.make_automaton()
        rows.append((f"pyahocorasick, {len(ascii_words)} words, every position",
                     lambda t: list(automaton.iter(t.lower()))))
    except ImportError as e:
        print(f"skipping pyahocorasick: {e} (pip install -e '.[bench]')", file=sys.stderr)
    return [
        (name, _mb_s(call, bodies, 1 if name == every else repeat, least)) for name, call in rows
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=200, help="4 KB prompts to time")
    parser.add_argument("--per-kind", type=int, default=20, help="planted values per kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument(
        "--least",
        action="store_true",
        help="time each prompt by its fastest round (steadier on a shared machine)",
    )
    parser.add_argument(
        "--engines",
        action="store_true",
        help="also time one RE2 set of every pattern (milliseconds a prompt: one round)",
    )
    args = parser.parse_args(argv)

    planted, decoys = corpus(args.seed, args.per_kind)
    bodies = prompts(args.seed, args.prompts)
    tiny = tiny_prompts(args.seed, args.prompts)
    tools: list[tuple[Tool, int]] = [
        (Aigate(), 5),
        (Aigate(first_wave=True), 5),
        (Aigate("re"), 1),
    ]
    for make in (Presidio, DetectSecrets):
        try:
            tools.append((make(), 1))
        except ImportError as e:
            print(f"skipping {make.name}: {e} (pip install -e '.[bench]')", file=sys.stderr)
    rows = [
        measure(tool, planted, decoys, bodies, repeat, tiny, args.least) for tool, repeat in tools
    ]
    floor = re2_floor(bodies, 5, args.least)
    engine_rows = engines(bodies, 5, args.least, args.engines)
    chats, turns = 10, 20
    fresh, reused, chat_findings = conversation(args.seed, chats, turns, 3)
    missed = [kind for kind, text, value in planted if not _hit(tools[0][0].spans(text), value)]
    if args.json:
        print(json.dumps({"re2_floor_mb_s": floor, "tools": rows, "engines": dict(engine_rows),
                          "conversation_mb_s": {"every_text": fresh, "reusing": reused}},
                         indent=2))
        return 0
    print(
        f"{len(bodies)} prompts of 4 KB and {len(tiny)} tiny ones (< 200 B); {len(planted)} "
        f"planted values of {len(PLANTED)} kinds; {len(decoys)} decoys of {len(DECOYS)} kinds\n"
    )
    print(
        f"{'tool':<22}{'MB/s':>9}{'p50 us':>10}{'p99 us':>10}{'tiny p50':>10}{'tiny p99':>10}"
        f"{'recall':>9}{'decoy FP':>10}{'x MB/s':>9}"
    )
    ours = rows[0]["mb_s"]
    for row in rows:
        print(
            f"{row['tool']:<22}{row['mb_s']:>9.2f}{row['p50_us']:>10.0f}{row['p99_us']:>10.0f}"
            f"{row['tiny_p50_us']:>10.1f}{row['tiny_p99_us']:>10.1f}"
            f"{row['recall']:>9.1%}{row['decoy_fp']:>10.1%}{ours / row['mb_s']:>9.1f}"
        )
    print(
        f"\nRE2 floor (encode + one search that never matches, per prompt): {floor:.0f} MB/s; "
        f"aigate runs at 1/{floor / ours:.0f} of it"
    )
    print(f"\n{'engine alone, same prompts':<60}{'MB/s':>9}{'aigate at':>11}")
    for name, mb_s in engine_rows:
        print(f"{name:<60}{mb_s:>9.1f}{ours / mb_s:>10.2f}x")
    print(
        f"\n{chats} chats of {turns} turns of 1 KB, every request resending the earlier turns, "
        f"inspected as the proxy does ({chat_findings} findings in the last requests, the same "
        f"both ways):\n  every text worked out {fresh:.1f} MB/s; recent texts' runs and "
        f"findings reused {reused:.1f} MB/s ({reused / fresh:.1f}x)"
    )
    if missed:
        print(f"\naigate missed: {sorted(set(missed))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
