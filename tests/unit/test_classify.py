"""Host normalisation and host + path -> AI service classification."""

from __future__ import annotations

from pathlib import Path

import idna
import pytest
from aigate.catalog import Catalog, Service, default_catalog
from aigate.classify import Classifier, canonical_path, normalize_host, rule_path, split_target
from hypothesis import given
from hypothesis import strategies as st

DATA = Path(__file__).parents[1] / "data"
CLASSIFIER = Classifier(default_catalog())

label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
hostname = st.lists(label, min_size=1, max_size=5).map(".".join)
unicode_label = st.text(st.characters(categories=("Ll", "Lu", "Lo", "Nd")), min_size=1, max_size=12)
any_host = st.one_of(
    hostname,
    st.lists(st.one_of(label, unicode_label), min_size=1, max_size=4).map(".".join),
    st.text(max_size=40),
)


def read_hosts(name: str) -> list[str]:
    """Hosts of `name` and, for `ai_hosts.txt`, of every list in `ai_hosts.d/` (one per area)."""
    files = [DATA / name, *sorted((DATA / name.replace(".txt", ".d")).glob("*.txt"))]
    lines = [line for file in files for line in file.read_text(encoding="utf-8").splitlines()]
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


# --- normalize_host ------------------------------------------------------------------------


@given(any_host)
def test_normalize_is_idempotent(host: str):
    once = normalize_host(host)
    assert normalize_host(once) == once


@given(any_host)
def test_normalize_output_is_lowercase_ascii_without_trailing_dot(host: str):
    out = normalize_host(host)
    assert out.isascii()
    assert out == out.lower()
    assert not out.endswith(".")


@given(hostname, st.integers(min_value=1, max_value=65535))
def test_case_trailing_dot_and_port_do_not_change_the_host(host: str, port: int):
    assert normalize_host(host.upper()) == host
    assert normalize_host(host + ".") == host
    assert normalize_host(f"{host.upper()}.:{port}") == host


@given(st.ip_addresses(v=6), st.integers(min_value=1, max_value=65535))
def test_ipv6_brackets_and_port_are_removed(address, port: int):
    text = str(address)
    assert normalize_host(f"[{text.upper()}]:{port}") == text
    assert normalize_host(f"[{text}]") == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("bücher.de", "xn--bcher-kva.de"),
        ("MÜNCHEN.de", "xn--mnchen-3ya.de"),
        ("例え.テスト", "xn--r8jz45g.xn--zckzah"),
        ("chatgpt\uff0ecom", "chatgpt.com"),  # a full-width dot
        ("chatgpt\u3002com\u3002", "chatgpt.com"),  # ideographic dots, one trailing
        ("\uff43\uff48\uff41\uff54\uff47\uff50\uff54.com", "chatgpt.com"),  # full-width letters
        ("d\u0435epseek.com", "xn--depseek-7gg.com"),  # a Cyrillic e: a different name
    ],
)
def test_unicode_names_become_the_punycode_servers_see(raw: str, expected: str):
    assert normalize_host(raw) == expected


latin_or_cjk_label = st.text(st.sampled_from("abcdeéèüöñçåøxyz例え漢字"), min_size=1, max_size=10)


@given(st.lists(latin_or_cjk_label, min_size=1, max_size=3), st.sampled_from(["com", "de", "cn"]))
def test_unicode_names_decode_back_with_an_independent_idna_library(labels: list[str], tld: str):
    host = ".".join([*labels, tld])
    out = normalize_host(host)
    assert out.isascii()
    assert idna.decode(out) == host  # the `idna` package (UTS 46), not the codec the code uses


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ChatGPT.com", "chatgpt.com"),
        ("chatgpt.com.", "chatgpt.com"),
        ("chatgpt.com:443", "chatgpt.com"),
        ("  API.OpenAI.com:8443 ", "api.openai.com"),
        ("[2001:DB8::1]:443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("bücher\u3002example\u3002", "xn--bcher-kva.example"),
        ("", ""),
        ("[", ""),
    ],
)
def test_normalize_examples(raw: str, expected: str):
    assert normalize_host(raw) == expected


@pytest.mark.parametrize(
    ("target", "host", "path"),
    [
        ("https://user:pw@Chatgpt.com:443/backend-anon/x?q=1", "chatgpt.com", "/backend-anon/x"),
        ("chatgpt.com/backend-api/conversation", "chatgpt.com", "/backend-api/conversation"),
        ("github.com", "github.com", "/"),
        ("http://[::1]:8080/v1", "::1", "/v1"),
        ("http://[::1/broken", "", "/"),
    ],
)
def test_split_target_accepts_urls_and_bare_hosts(target: str, host: str, path: str):
    assert split_target(target) == (host, path)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "/"),
        ("//", "/"),
        ("/a//b/", "/a/b/"),
        ("/a/./b", "/a/b"),
        ("/a/../b", "/b"),
        ("/../../a", "/a"),
        ("/a/b/..", "/a/"),
        ("/%61%2Fb?x=%61//", "/a%2Fb?x=%61//"),
        ("/.well-known/x", "/.well-known/x"),
    ],
)
def test_canonical_path(path: str, expected: str):
    assert canonical_path(path) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/backend-anon", "/backend-anon"),
        ("/%2Fbackend-anon", "/backend-anon"),
        ("/BACKEND-ANON/X", "/backend-anon/x"),
        ("/backend-anon;x=1/c", "/backend-anon/c"),
        ("/x/..\\backend-anon", "/backend-anon"),
        ("/%2562ackend-anon", "/backend-anon"),
        ("/%25252Fbackend-anon", "/backend-anon"),
        ("/a/b/?q=/backend-anon", "/a/b/"),
        ("/a#frag", "/a"),
    ],
)
def test_rule_path_is_one_form_for_every_spelling_a_server_may_route_alike(path, expected):
    assert rule_path(path) == expected


@given(st.text(alphabet="/.%25Fab;\\?AB", max_size=30))
def test_rule_path_is_a_fixed_point(path: str):
    once = rule_path(path)
    assert once.startswith("/") and once == once.lower()
    if "%" not in once:
        assert rule_path(once) == once


@given(st.text(alphabet="/.%2Fab?", max_size=30))
def test_canonical_path_is_idempotent_outside_escapes(path: str):
    once = canonical_path(path)
    if "%" not in path:
        assert canonical_path(once) == once
    assert once.startswith("/")


# --- classification tables -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "service"),
    [
        # Google: only the AI hosts, never search
        ("https://gemini.google.com/app", "gemini"),
        ("https://aistudio.google.com/prompts/new_chat", "google-ai-studio"),
        ("https://www.google.com/search?q=gemini", None),
        ("https://google.com/", None),
        ("https://console.cloud.google.com/vertex-ai/studio", "vertex-ai-console"),
        ("https://console.cloud.google.com/compute/instances", None),
        # ChatGPT logged out vs logged in
        ("https://chatgpt.com/backend-anon/conversation", "chatgpt-anonymous"),
        ("https://chatgpt.com/backend-anon", "chatgpt-anonymous"),
        ("https://chatgpt.com/backend-api/conversation", "chatgpt"),
        ("https://chatgpt.com/backend-anonymous", "chatgpt"),
        ("https://chatgpt.com/", "chatgpt"),
        ("https://chat.openai.com/backend-anon/conversation", "chatgpt-anonymous"),
        ("https://chatgpt.com/codex/tasks", "openai-codex"),
        # Path tricks resolve to the path the server routes
        ("https://chatgpt.com//backend-anon/conversation", "chatgpt-anonymous"),
        ("https://chatgpt.com/backend-api/../backend-anon/conversation", "chatgpt-anonymous"),
        ("https://chatgpt.com/./backend-anon", "chatgpt-anonymous"),
        ("https://chatgpt.com/%62ackend-anon/conversation", "chatgpt-anonymous"),
        ("https://chatgpt.com/backend%2Danon/conversation", "chatgpt-anonymous"),
        ("https://github.com//copilot", "github-copilot-web"),
        ("https://x.com/i/./grok", "grok-x"),
        ("https://www.bing.com/%63hat", "bing-copilot"),
        # Bing
        ("https://www.bing.com/chat", "bing-copilot"),
        ("https://www.bing.com/turing/conversation/create", "bing-copilot"),
        ("https://bing.com/chat?form=x", "bing-copilot"),
        ("https://www.bing.com/images/create", "bing-image-creator"),
        ("https://www.bing.com/", None),
        ("https://www.bing.com/search?q=chat", None),
        ("https://www.bing.com/chatter", None),
        # GitHub
        ("https://github.com/copilot", "github-copilot-web"),
        ("https://github.com/copilot/c/123", "github-copilot-web"),
        ("https://api.githubcopilot.com/chat/completions", "github-copilot"),
        ("https://api.individual.githubcopilot.com/chat/completions", "github-copilot"),
        ("https://github.com/", None),
        ("https://github.com/octocat/copilot", None),
        ("https://api.github.com/repos/x/y", None),
        # X / Grok
        ("https://x.com/i/grok", "grok-x"),
        ("https://x.com/i/grok?conversation=1", "grok-x"),
        ("https://twitter.com/i/grok", "grok-x"),
        ("https://x.com/", None),
        ("https://x.com/elonmusk", None),
        ("https://grok.com/chat/1", "grok"),
        ("https://api.x.ai/v1/chat/completions", "xai-api"),
        # Microsoft
        ("https://copilot.microsoft.com/", "microsoft-copilot"),
        ("https://copilot.cloud.microsoft/", "m365-copilot"),
        ("https://m365.cloud.microsoft/chat", "m365-copilot-chat"),
        ("https://m365.cloud.microsoft/", None),
        # Hugging Face hub vs chat
        ("https://huggingface.co/chat/conversation/1", "huggingchat"),
        ("https://huggingface.co/meta-llama", "huggingface"),
        # DeepSeek: exact hosts, then the registered domain
        ("https://chat.deepseek.com/", "deepseek"),
        ("https://api.deepseek.com/chat/completions", "deepseek-api"),
        ("https://cdn.deepseek.com/x.js", "deepseek"),
        # Per-tenant and per-region API hosts
        ("https://foo.openai.azure.com/openai/deployments/x", "azure-openai"),
        ("https://foo.services.ai.azure.com/models", "azure-openai"),
        ("https://bedrock-runtime.us-east-1.amazonaws.com/model/x/invoke", "aws-bedrock"),
        ("https://bedrock.eu-west-1.amazonaws.com/", "aws-bedrock"),
        ("https://us-central1-aiplatform.googleapis.com/v1/projects/p", "vertex-ai"),
        ("https://aiplatform.googleapis.com/v1/projects/p", "vertex-ai"),
        # Lookalikes never match
        ("https://openai.com.evil.example/", None),
        ("https://evilopenai.com/", None),
        ("https://gemini.com/", None),
        ("https://www.gemini.com/", None),
        ("https://anthropology.org/", None),
        ("https://chatgpt.com.attacker.net/backend-anon/", None),
        ("https://xn--chtgpt-qta.com/", None),
        ("https://xn--penai-h4a.com/", None),
        ("https://deepseek.com.evil.example/", None),
        ("https://notclaude.ai/", None),
        ("https://bedrock-runtime.us-east-1.amazonaws.com.evil.example/", None),
        ("https://bedrock-runtime.amazonaws.com/", None),
        ("https://aiplatform.googleapis.com.evil.example/", None),
        ("https://openai.azure.com/", None),
        ("https://s3.us-east-1.amazonaws.com/", None),
    ],
)
def test_classification_table(target: str, service: str | None):
    match = CLASSIFIER.classify_target(target)
    assert (match.service.id if match else None) == service


def test_may_be_ai_is_true_for_hosts_with_ai_paths_only():
    assert CLASSIFIER.may_be_ai("www.bing.com")
    assert CLASSIFIER.may_be_ai("github.com")
    assert not CLASSIFIER.may_be_ai("www.google.com")
    assert not CLASSIFIER.may_be_ai("gist.github.com")


def _service(sid: str, hosts: tuple[str, ...], domains=(), paths=()) -> Service:
    return Service(
        id=sid,
        name=sid,
        vendor="v",
        category="chat",
        hosts=hosts,
        jurisdiction="US",
        trains_on_inputs=False,
        enterprise_tier=False,
        risk="low",
        risk_reason="r",
        url="https://example.com/",
        domains=domains,
        paths=paths,
    )


PRECEDENCE = Classifier(
    Catalog(
        {
            s.id: s
            for s in (
                _service("exact", ("api.acme.com",)),
                _service("wild", ("*.acme.com",)),
                _service("deep-wild", ("*.eu.acme.com",)),
                _service("glob", ("gen-*.acme.com",)),
                _service("domain", (), domains=("acme.com",)),
                _service("pathed", ("www.acme.com",), paths=("/ai",)),
            )
        }
    )
)


@pytest.mark.parametrize(
    ("host", "path", "service", "kind"),
    [
        ("api.acme.com", "/", "exact", "host"),
        ("x.acme.com", "/", "wild", "wildcard"),
        ("x.eu.acme.com", "/", "deep-wild", "wildcard"),
        ("gen-1.acme.com", "/", "wild", "wildcard"),
        ("acme.com", "/", "domain", "domain"),
        ("www.acme.com", "/ai/x", "pathed", "host"),
        ("www.acme.com", "/", "wild", "wildcard"),
    ],
)
def test_exact_beats_wildcard_beats_glob_beats_domain(host, path, service, kind):
    match = PRECEDENCE.classify(host, path)
    assert match is not None
    assert (match.service.id, match.kind) == (service, kind)


def test_glob_beats_registered_domain():
    classifier = Classifier(
        Catalog(
            {
                "glob": _service("glob", ("gen-*.acme.com",)),
                "domain": _service("domain", (), domains=("acme.com",)),
            }
        )
    )
    match = classifier.classify("gen-7.acme.com")
    assert match is not None and (match.service.id, match.kind) == ("glob", "glob")
    assert classifier.classify("gen-7.other.com") is None


# --- broad host lists ------------------------------------------------------------------------


def test_recall_on_known_ai_hosts_is_at_least_97_percent():
    hosts = read_hosts("ai_hosts.txt")
    assert len(hosts) >= 1500
    missed = [h for h in hosts if CLASSIFIER.classify(normalize_host(h)) is None]
    assert len(missed) <= 0.03 * len(hosts), missed


def test_popular_non_ai_hosts_never_match():
    hosts = read_hosts("non_ai_hosts.txt")
    assert len(hosts) >= 400
    matched = {h: m.service.id for h in hosts if (m := CLASSIFIER.classify(normalize_host(h)))}
    assert matched == {}


def test_host_lists_do_not_overlap():
    assert set(read_hosts("ai_hosts.txt")).isdisjoint(read_hosts("non_ai_hosts.txt"))


def test_only_an_ipv6_literal_is_read_inside_brackets():
    assert normalize_host("[2001:DB8::1]:443") == "2001:db8::1"
    assert normalize_host("[\x80]") == ""
    assert normalize_host("[chatgpt.com]") == ""
