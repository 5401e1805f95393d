"""The shipped AI service catalog: size, required ids, safe host claims, and loader errors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from aigate.catalog import CATEGORIES, CatalogError, Service, default_catalog, load_catalog
from aigate.catalog.load import DATA_DIR
from aigate.classify import Classifier, registered_domain

SHIPPED = sorted(DATA_DIR.glob("*.yaml"))
CATALOG = default_catalog()
CLASSIFIER = Classifier(CATALOG)

# Domains shared by many unrelated services: a wildcard or domain claim on them would turn
# ordinary traffic into "AI". Only exact hosts (with paths where needed) are allowed there.
SHARED_DOMAINS = (
    "google.com",
    "googleapis.com",
    "microsoft.com",
    "azure.com",
    "bing.com",
    "office.com",
    "cloud.microsoft",
    "amazonaws.com",
    "amazon.com",
    "github.com",
    "githubusercontent.com",
    "x.com",
    "twitter.com",
    "cloudflare.com",
    "apple.com",
    "meta.com",
    "baidu.com",
    "aliyun.com",
    "aliyuncs.com",
    "tencent.com",
    "adobe.com",
    "nvidia.com",
    "ibm.com",
    "oraclecloud.com",
)


def sample_targets(service: Service) -> list[str]:
    """Host + path samples that must classify to `service`: one per host pattern and domain."""
    path = f"{service.paths[0].rstrip('/')}/sample" if service.paths else "/"
    hosts = [pattern.replace("*", "tenant1") for pattern in service.hosts]
    hosts += [f"sample-host.{domain}" for domain in service.domains]
    return [f"{host}{path}" for host in hosts]


def test_every_shipped_file_loads_and_the_catalog_is_large():
    assert len(SHIPPED) >= 12
    assert len(CATALOG) >= 320


def test_service_ids_are_unique_across_shipped_files():
    """Across files a later id silently replaces an earlier one, so shipped ids must not clash."""
    counts = Counter(s.id for file in SHIPPED for s in load_catalog([file]).services.values())
    assert [sid for sid, n in counts.items() if n > 1] == []


def test_every_category_has_services():
    counts = Counter(s.category for s in CATALOG.services.values())
    assert {c: counts[c] for c in CATEGORIES if counts[c] < 5} == {}


def test_catalog_covers_chinese_and_western_vendors():
    jurisdictions = Counter(s.jurisdiction for s in CATALOG.services.values())
    assert jurisdictions["CN"] >= 40
    assert jurisdictions["US"] >= 150
    assert {"FR", "DE", "GB", "IL", "CA", "KR", "SG"} <= set(jurisdictions)


@pytest.mark.parametrize("service", CATALOG.services.values(), ids=lambda s: s.id)
def test_entry_is_complete(service: Service):
    assert service.risk_reason and "\n" not in service.risk_reason
    assert len(service.risk_reason) <= 160
    assert service.url.startswith("https://")
    assert service.name and service.vendor


@pytest.mark.parametrize("service", CATALOG.services.values(), ids=lambda s: s.id)
def test_every_entry_has_sample_urls_that_classify_to_itself(service: Service):
    """Each host pattern is live: its sample is matched by that very pattern (not shadowed by
    another claim, which would make the pattern dead data), and each domain claim by the domain."""
    path = f"{service.paths[0].rstrip('/')}/sample" if service.paths else "/"
    for pattern in service.hosts:
        host = pattern.replace("*", "tenant1")
        match = CLASSIFIER.classify(host, path)
        assert match is not None and match.service.id == service.id, (pattern, match)
        assert match.pattern in (pattern, host) or match.kind == "wildcard", (pattern, match)
    for domain in service.domains:
        match = CLASSIFIER.classify(f"sample-host.{domain}", path)
        assert match is not None and match.service.id == service.id, (domain, match)


def lookalikes(service: Service) -> list[str]:
    """Names that merely resemble the service's: a suffix on its host, a prefix on its domain."""
    names = [f"{p.replace('*', 'tenant1')}.aigate-lookalike.example" for p in service.hosts]
    names += [f"aigatex{d}" for d in service.domains]
    names += [f"aigatex{p}" for p in service.hosts if "*" not in p and registered_domain(p) == p]
    return names


@pytest.mark.parametrize("service", CATALOG.services.values(), ids=lambda s: s.id)
def test_lookalike_names_are_not_the_service(service: Service):
    matched = {n: m.service.id for n in lookalikes(service) if (m := CLASSIFIER.classify(n))}
    assert matched == {}


@pytest.mark.parametrize("service", CATALOG.services.values(), ids=lambda s: s.id)
def test_no_wildcard_or_domain_claim_on_big_shared_domains(service: Service):
    for pattern in service.hosts:
        first, _, rest = pattern.partition(".")
        if first == "*":  # a fixed label such as `bedrock-runtime.*.amazonaws.com` is fine
            assert rest not in SHARED_DOMAINS, pattern
            assert not any(rest.endswith("." + d) and "*" in rest for d in SHARED_DOMAINS), pattern
    assert not set(service.domains) & set(SHARED_DOMAINS)


@pytest.mark.parametrize(
    ("service_id", "category", "api_format", "hosts"),
    [
        ("chatgpt", "chat", None, {"chatgpt.com", "chat.openai.com"}),
        ("chatgpt-anonymous", "chat", None, {"chatgpt.com", "chat.openai.com"}),
        ("openai-api", "api", "openai", {"api.openai.com"}),
        ("sora", "video", None, {"sora.com"}),
        ("claude", "chat", None, {"claude.ai"}),
        ("anthropic-api", "api", "anthropic", {"api.anthropic.com"}),
        ("gemini", "chat", None, {"gemini.google.com"}),
        ("google-ai-studio", "api", "gemini", {"aistudio.google.com"}),
        ("gemini-api", "api", "gemini", {"generativelanguage.googleapis.com"}),
        ("vertex-ai", "api", "vertex", {"*-aiplatform.googleapis.com"}),
        ("notebooklm", "productivity", None, {"notebooklm.google.com"}),
        ("deepseek", "chat", None, {"chat.deepseek.com"}),
        ("deepseek-api", "api", "openai", {"api.deepseek.com"}),
        ("microsoft-copilot", "chat", None, {"copilot.microsoft.com"}),
        ("m365-copilot", "chat", None, {"copilot.cloud.microsoft"}),
        ("bing-copilot", "chat", None, {"www.bing.com", "bing.com"}),
        ("azure-openai", "api", "openai", {"*.openai.azure.com", "*.services.ai.azure.com"}),
        ("github-copilot", "coding", "openai", {"api.githubcopilot.com", "*.githubcopilot.com"}),
        ("github-copilot-web", "coding", None, {"github.com"}),
        ("grok", "chat", None, {"grok.com"}),
        ("grok-x", "chat", None, {"x.com", "twitter.com"}),
        ("xai-api", "api", "openai", {"api.x.ai"}),
        ("perplexity", "search", None, {"perplexity.ai"}),
        ("perplexity-api", "api", "openai", {"api.perplexity.ai"}),
        ("mistral-le-chat", "chat", None, {"chat.mistral.ai"}),
        ("mistral-api", "api", "openai", {"api.mistral.ai"}),
        ("aws-bedrock", "api", "bedrock", {"bedrock-runtime.*.amazonaws.com"}),
        ("cohere-api", "api", "cohere", {"api.cohere.com"}),
        ("huggingface", "model-hub", "huggingface", {"huggingface.co"}),
        ("huggingface-inference", "api", "huggingface", {"router.huggingface.co"}),
        ("groq-api", "api", "openai", {"api.groq.com"}),
        ("together-api", "api", "openai", {"api.together.xyz"}),
        ("openrouter", "api", "openai", {"openrouter.ai"}),
        ("fireworks-api", "api", "openai", {"api.fireworks.ai"}),
        ("character-ai", "chat", None, {"character.ai"}),
        ("poe", "chat", None, {"poe.com"}),
        ("meta-ai", "chat", None, {"meta.ai"}),
        ("midjourney", "image", None, {"midjourney.com"}),
        ("cursor", "coding", None, {"cursor.com"}),
        ("kimi", "chat", None, {"kimi.com"}),
        ("qwen", "chat", None, {"chat.qwen.ai"}),
        ("doubao", "chat", None, {"www.doubao.com"}),
        ("ernie", "chat", None, {"yiyan.baidu.com"}),
    ],
)
def test_ids_other_components_rely_on_exist(service_id, category, api_format, hosts):
    service = CATALOG.get(service_id)
    assert service is not None
    assert service.category == category
    assert service.api_format == api_format
    assert hosts <= set(service.hosts)


@pytest.mark.parametrize(
    ("service_id", "paths"),
    [
        ("chatgpt-anonymous", ("/backend-anon",)),
        ("github-copilot-web", ("/copilot",)),
    ],
)
def test_shared_domain_entries_claim_only_their_paths(service_id, paths):
    assert CATALOG.services[service_id].paths == paths


def test_enterprise_assistant_is_a_low_risk_enterprise_tier():
    service = CATALOG.services["m365-copilot"]
    assert (service.enterprise_tier, service.trains_on_inputs, service.risk) == (True, False, "low")


def test_deepseek_claims_its_registered_domain():
    assert CATALOG.services["deepseek"].domains == ("deepseek.com",)
    assert CATALOG.services["deepseek"].jurisdiction == "CN"


GOOD_ENTRY = """\
services:
  - id: acme-chat
    name: Acme Chat
    vendor: Acme
    category: chat
    hosts: [chat.acme.example]
    jurisdiction: US
    risk: low
    risk_reason: Internal pilot.
    url: https://chat.acme.example/
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "admin.yaml"
    path.write_text(text)
    return path


def test_admin_file_adds_a_service_and_overrides_by_id(tmp_path: Path):
    extra = write(tmp_path, GOOD_ENTRY.replace("acme-chat", "chatgpt"))
    catalog = load_catalog([*SHIPPED, extra])
    assert catalog.services["chatgpt"].hosts == ("chat.acme.example",)
    assert len(catalog) == len(CATALOG)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            GOOD_ENTRY.replace("    risk_reason:", "    risk_reasn:"),
            9,
            "unknown key 'risk_reasn'; did you mean 'risk_reason'?",
        ),
        (
            GOOD_ENTRY.replace("category: chat", "category: chatbot"),
            5,
            "category 'chatbot' is not one of chat, api, coding, image, video, audio, search, "
            "writing, meeting, agent, model-hub, productivity; did you mean 'chat'?",
        ),
        (
            GOOD_ENTRY + GOOD_ENTRY.removeprefix("services:\n"),
            11,
            "duplicate service id 'acme-chat' (first at line 2); rename or remove one",
        ),
        (GOOD_ENTRY.replace("risk: low", "risk: lo"), 8, "risk 'lo' is not one of low"),
        (
            GOOD_ENTRY + "    api_format: openia\n",
            11,
            "api_format 'openia' is not one of openai, anthropic, gemini, vertex, cohere, "
            "bedrock, huggingface, generic; did you mean 'openai'?",
        ),
        (GOOD_ENTRY.replace("jurisdiction: US", "jurisdiction: USA"), 7, "ISO 3166"),
        (GOOD_ENTRY.replace("chat.acme.example]", "Chat.Acme.example]"), 6, "lowercase"),
        (
            GOOD_ENTRY.replace("    url: https://chat.acme.example/\n", ""),
            2,
            "missing required key 'url'",
        ),
        ("services:\n  - id: x\n    foo: 1\n", 3, "unknown key 'foo'"),
        ("servces: []\n", 1, "a catalog file is a mapping with a 'services:' list"),
    ],
)
def test_loader_error_names_file_line_and_fix(tmp_path: Path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(CatalogError) as e:
        load_catalog([path])
    assert str(e.value).startswith(f"{path}:{line}: ")
    assert message in str(e.value)


def test_no_two_services_claim_the_same_host_and_path():
    """A second claim on the same host and path is dead data: one service always wins."""
    claims: dict[tuple[str, str], str] = {}
    clashes = []
    for service in CATALOG.services.values():
        for pattern in service.hosts:
            for path in service.paths or ("",):
                owner = claims.setdefault((pattern, path), service.id)
                if owner != service.id:
                    clashes.append((pattern, path, owner, service.id))
    assert clashes == []


# Storage, API and realtime hosts that many tenants share: a catalog entry names one bucket,
# account or project on them, so its neighbours must stay unclassified.
SHARED_INFRASTRUCTURE = (
    "amazonaws.com",
    "core.windows.net",
    "azureedge.net",
    "azurefd.net",
    "googleapis.com",
    "clients6.google.com",
    "googleusercontent.com",
    "gstatic.com",
    "livekit.cloud",
    "cloudfront.net",
    "r2.cloudflarestorage.com",
    "b-cdn.net",
    "imgix.net",
    "appspot.com",
    "firebaseio.com",
    "supabase.co",
    "vercel.app",
    "webpubsub.azure.com",
)


def _shared_infrastructure_claims() -> list[tuple[str, str]]:
    claims = []
    for service in CATALOG.services.values():
        for pattern in service.hosts:
            for shared in SHARED_INFRASTRUCTURE:
                if pattern.endswith("." + shared):
                    claims.append((service.id, pattern))
    return claims


def test_shared_infrastructure_is_claimed_host_by_host():
    assert len(_shared_infrastructure_claims()) >= 10
    for service in CATALOG.services.values():
        assert not [d for d in service.domains if d.endswith(SHARED_INFRASTRUCTURE)], service.id


@pytest.mark.parametrize(
    ("service_id", "pattern"), _shared_infrastructure_claims(), ids=lambda v: str(v)
)
def test_a_neighbour_on_shared_infrastructure_is_not_ai(service_id: str, pattern: str):
    first, _, rest = pattern.partition(".")
    neighbour = f"someone-elses-{first.replace('*', 'x')}-bucket.{rest.replace('*', 'x')}"
    match = CLASSIFIER.classify_target(neighbour)
    assert match is None, (neighbour, match and match.service.id)


@pytest.mark.parametrize("service", CATALOG.services.values(), ids=lambda s: s.id)
def test_sources_are_vendor_documents_over_https(service: Service):
    assert all(url.startswith("https://") for url in service.sources)


@pytest.mark.parametrize(
    "service", [s for s in CATALOG.services.values() if s.paths], ids=lambda s: s.id
)
def test_a_path_rule_on_a_domain_also_holds_on_its_www_twin(service: Service):
    """`www.chatgpt.com/backend-anon` reaches the same backend as `chatgpt.com/backend-anon`."""
    path = f"{service.paths[0].rstrip('/')}/sample"
    for host in service.hosts:
        if "*" not in host and registered_domain(host) == host:
            match = CLASSIFIER.classify(f"www.{host}", path)
            assert match is not None and match.service.id == service.id, (host, match)
