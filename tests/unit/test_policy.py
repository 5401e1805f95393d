"""Policy loading: every mistake is reported with file, line, key path and a fix; the compiled
lookups (groups, training, interception, tenant headers) answer what the proxy asks."""

from __future__ import annotations

from pathlib import Path

import pytest
from aigate.catalog import Catalog, load_catalog
from aigate.policy import PolicyError, Problem, load_policy, load_policy_text

CATALOG_FILE = Path(__file__).with_name("test_policy_catalog.yaml")

# Five lines; each case's snippet starts on line 6.
BASE = """organisation: Acme
version: "1"
contact: {name: IT}
document: {purpose: p, scope: s}
default: {action: warn, reason: r}
"""
FIRST = 6
GROUPS = "groups:\n  engineering: {users: [alice]}\n"  # lines 6-7


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([CATALOG_FILE])


def problems(text: str, catalog: Catalog) -> list[Problem]:
    with pytest.raises(PolicyError) as info:
        load_policy_text(BASE + text, "policy.yaml", catalog=catalog)
    return info.value.problems


@pytest.mark.parametrize(
    ("snippet", "line", "key_path", "message"),
    [
        ("servics: {}\n", 0, "", "unknown key 'servics'; did you mean 'services'?"),
        (
            "services:\n  chatgtp: {action: block, reason: r}\n",
            1,
            "services.chatgtp",
            "unknown service 'chatgtp': did you mean 'chatgpt'?",
        ),
        (
            "services:\n  chatgpt: {action: blok, reason: r}\n",
            1,
            "services.chatgpt.action",
            "'blok' is not one of allow, warn, block, redirect; did you mean 'block'?",
        ),
        (
            "services:\n  chatgpt:\n    action: warn\n    reasn: r\n",
            3,
            "services.chatgpt",
            "unknown key 'reasn'; did you mean 'reason'?",
        ),
        (
            "services:\n  chatgpt:\n    action: warn\n",
            1,
            "services.chatgpt",
            "missing required key 'reason'",
        ),
        (
            "risk_rules:\n  - id: r\n    action: warn\n    reason: r\n"
            "    when: {trains_on_inputs: maybe}\n",
            4,
            "risk_rules[0].when.trains_on_inputs",
            "Input should be a valid boolean",
        ),
        (
            "services:\n  chatgpt: {action: redirect, reason: r}\n",
            1,
            "services.chatgpt",
            "action 'redirect' needs `redirect_to:` (the approved tool's URL)",
        ),
        (
            "services:\n  chatgpt: {action: warn, reason: r, redirect_to: 'https://x.example/'}\n",
            1,
            "services.chatgpt.redirect_to",
            "redirect_to is only used with action 'redirect' (action is 'warn')",
        ),
        (
            "services:\n  chatgpt:\n    action: allow\n    reason: r\n"
            "    alternatives: [{service: m365-copilt}]\n",
            4,
            "services.chatgpt.alternatives[0].service",
            "unknown service 'm365-copilt': did you mean 'm365-copilot'?",
        ),
        (
            GROUPS + "exceptions:\n  - id: e\n    groups: [enginering]\n    services: [deepseek]\n"
            "    action: allow\n    reason: r\n",
            4,
            "exceptions[0].groups[0]",
            "unknown group 'enginering': did you mean 'engineering'?",
        ),
        (
            GROUPS + "exceptions:\n  - id: e\n    groups: [engineering]\n    services: [deepsek]\n"
            "    action: allow\n    reason: r\n",
            5,
            "exceptions[0].services[0]",
            "unknown service 'deepsek': did you mean 'deepseek'?",
        ),
        (
            "training:\n  ai-basics: {name: AI basics}\n"
            "services:\n  chatgpt: {action: allow, reason: r, requires_training: ai-basic}\n",
            3,
            "services.chatgpt.requires_training",
            "unknown training 'ai-basic': did you mean 'ai-basics'?",
        ),
        (
            "categories:\n  chats: {action: warn, reason: r}\n",
            1,
            "categories.chats",
            "unknown category 'chats': did you mean 'chat'?",
        ),
        (
            "categories:\n  video: {action: block, reason: r}\n",
            1,
            "categories.video",
            "no catalog service has category 'video'; the rule never applies",
        ),
        (
            "risk_rules:\n  - {id: m, action: warn, reason: r, when: {category: [meeting]}}\n"
            "categories:\n  meeting: {action: block, reason: r}\n",
            3,
            "categories.meeting",
            "never applies: every 'meeting' service has its own `services:` rule or matches a "
            "risk rule first",
        ),
        (
            "groups:\n  engineering:\n    cidrs: [10.20.0.1/16]\n",
            2,
            "groups.engineering.cidrs[0]",
            "'10.20.0.1/16' has host bits set; did you mean '10.20.0.0/16'?",
        ),
        (
            "groups:\n  engineering:\n    cidrs: [10.300.0.0/16]\n",
            2,
            "groups.engineering.cidrs[0]",
            "invalid network '10.300.0.0/16'; write it like 10.20.0.0/16",
        ),
        (
            "groups:\n  Engineering: {users: [alice]}\n",
            1,
            "groups.Engineering",
            "name 'Engineering' must be lowercase letters, digits, '-' or '_'",
        ),
        (
            "risk_rules:\n"
            "  - {id: a, action: block, reason: r, when: {jurisdiction: [CN]}}\n"
            "  - {id: b, action: warn, reason: r, when: {jurisdiction: [CN]}}\n",
            2,
            "risk_rules[1].when",
            "never applies: risk_rules[0] 'a' has the same conditions and comes first",
        ),
        (
            "risk_rules:\n"
            "  - {id: a, action: block, reason: r, when: {jurisdiction: [CN, RU]}}\n"
            "  - {id: b, action: warn, reason: r, when: {jurisdiction: [CN], risk: [high]}}\n",
            2,
            "risk_rules[1].when",
            "never applies: risk_rules[0] 'a' matches all of it and comes first",
        ),
        (
            "risk_rules:\n  - {id: a, action: block, reason: r, when: {jurisdiction: [cn]}}\n",
            1,
            "risk_rules[0].when.jurisdiction[0]",
            "'cn' is not an ISO 3166 country code such as CN; did you mean 'CN'?",
        ),
        (
            "risk_rules:\n  - {id: a, action: block, reason: r, when: {}}\n",
            1,
            "risk_rules[0].when",
            "matches every AI service; use `default:` instead",
        ),
        (
            GROUPS + "exceptions:\n"
            "  - {id: a, groups: [engineering], categories: [chat], action: allow, reason: r}\n"
            "  - {id: b, groups: [engineering], services: [chatgpt], action: warn, reason: r}\n",
            4,
            "exceptions[1]",
            "never applies: exceptions[0] 'a' covers the same groups and services",
        ),
        (
            GROUPS + "exceptions:\n"
            "  - {id: a, groups: [engineering], services: [chatgpt], action: allow, reason: r}\n"
            "  - {id: a, groups: [engineering], services: [otter], action: warn, reason: r}\n",
            4,
            "exceptions[1].id",
            "duplicate id 'a' (also at index 0)",
        ),
        (
            "services:\n  chatgpt: {action: warn, reason: ''}\n",
            1,
            "services.chatgpt.reason",
            "give a reason: people see it on block and warn pages",
        ),
        (
            "services:\n  chatgpt:\n    action: warn\n    reason: r\n"
            "    tenant: [{header: 'Bad Header', value: x}]\n",
            4,
            "services.chatgpt.tenant[0].header",
            "'Bad Header' is not a valid header name",
        ),
        (
            "catalog: [missing.yaml]\n",
            0,
            "catalog[0]",
            "not found; paths are relative to the policy file",
        ),
    ],
)
def test_validation_error_names_line_key_and_fix(catalog, snippet, line, key_path, message):
    found = problems(snippet, catalog)
    assert len(found) == 1, found
    problem = found[0]
    assert problem.file == "policy.yaml"
    assert problem.line == FIRST + line
    assert problem.key_path == key_path
    assert message in problem.message


def test_all_problems_are_reported_at_once(catalog):
    text = (
        "services:\n"
        "  chatgtp: {action: block, reason: r}\n"
        "  deepseek: {action: redirect, reason: r}\n"
        "categories:\n"
        "  chats: {action: warn, reason: r}\n"
    )
    found = problems(text, catalog)
    assert [(p.line, p.key_path) for p in found] == [
        (7, "services.chatgtp"),
        (8, "services.deepseek"),
        (10, "categories.chats"),
    ]


def test_structure_problems_are_all_reported_at_once(catalog):
    found = problems("mode: enforcing\nwarn: {ack_ttl_hours: -1}\nextra: 1\n", catalog)
    assert [p.line for p in found] == [6, 7, 8]


def test_error_text_is_one_file_line_message_per_problem(catalog):
    with pytest.raises(PolicyError) as info:
        load_policy_text(BASE + "servics: {}\nmode: x\n", "p.yaml", catalog=catalog)
    lines = str(info.value).splitlines()
    assert lines[0] == "p.yaml:6: unknown key 'servics'; did you mean 'services'?"
    assert lines[1].startswith("p.yaml:7: mode: 'x' is not one of enforce, monitor")


def test_a_number_where_text_is_expected_says_to_quote_it(catalog):
    with pytest.raises(PolicyError) as info:
        load_policy_text(BASE.replace('"1"', "1.0"), "p.yaml", catalog=catalog)
    assert str(info.value) == "p.yaml:2: version: expected text, got 1.0; quote it"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (BASE + "services:\n  chatgpt: [\n", 8, "invalid YAML"),
        (BASE + "mode: enforce\nmode: monitor\n", 7, "duplicate key 'mode' (first at line 6)"),
        ("- a list\n", 1, "a policy is a mapping"),
        ("", 1, "a policy is a mapping"),
    ],
)
def test_unreadable_yaml_is_reported_with_its_line(catalog, text, line, message):
    with pytest.raises(PolicyError) as info:
        load_policy_text(text, "p.yaml", catalog=catalog)
    (problem,) = info.value.problems
    assert problem.line == line
    assert message in problem.message


def test_missing_file_is_a_policy_error(tmp_path):
    with pytest.raises(PolicyError, match="cannot read policy"):
        load_policy(tmp_path / "nope.yaml")


def test_policy_catalog_files_extend_the_catalog(tmp_path, catalog):
    (tmp_path / "extra.yaml").write_text(
        "services:\n"
        "  - {id: acme-gpt, name: Acme GPT, vendor: Acme, category: chat,\n"
        "     hosts: [gpt.acme.example], jurisdiction: US, risk: low,\n"
        "     url: 'https://gpt.acme.example/'}\n"
    )
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(
        BASE + "catalog: [extra.yaml]\nservices:\n  acme-gpt: {action: allow, reason: ours}\n"
    )
    loaded = load_policy(policy_file, catalog=catalog)
    assert loaded.catalog.get("acme-gpt") is not None
    assert loaded.catalog.get("chatgpt") is not None
    assert loaded.classifier.classify("gpt.acme.example").service.id == "acme-gpt"


def test_a_broken_catalog_file_is_reported_at_its_own_line(tmp_path, catalog):
    (tmp_path / "extra.yaml").write_text("services:\n  - {id: x}\n")
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(BASE + "catalog: [extra.yaml]\n")
    with pytest.raises(PolicyError) as info:
        load_policy(policy_file, catalog=catalog)
    (problem,) = info.value.problems
    assert problem.file.endswith("extra.yaml")
    assert problem.line == 2
    assert "missing required key" in problem.message


def test_loaded_policy_exposes_identity_of_the_file(tmp_path, catalog):
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(BASE + "mode: monitor\n")
    loaded = load_policy(policy_file, catalog=catalog)
    assert (loaded.version, loaded.mode, loaded.path) == ("1", "monitor", policy_file)
    assert len(loaded.sha256) == 64


MEMBERS = """groups:
  engineering: {users: [alice, Bob], cidrs: [10.20.0.0/16, "2001:db8::/32"]}
  vpn: {cidrs: [10.99.0.0/24]}
  legal: {users: [erin]}
training:
  ai-basics: {name: AI basics, completed_by: {users: [alice], groups: [legal]}}
"""


@pytest.mark.parametrize(
    ("user", "ip", "groups"),
    [
        ("alice", None, {"engineering"}),
        ("bob", None, {"engineering"}),  # user names compare case-insensitively
        ("erin", "10.99.0.7", {"legal", "vpn"}),
        (None, "10.20.3.4", {"engineering"}),  # unauthenticated: network groups only
        (None, "10.21.0.1", set()),
        (None, "2001:db8::1", {"engineering"}),
        (None, "::ffff:10.99.0.1", {"vpn"}),
        ("mallory", "not-an-ip", set()),
        (None, None, set()),
    ],
)
def test_groups_for_by_user_and_network(catalog, user, ip, groups):
    loaded = load_policy_text(BASE + MEMBERS, catalog=catalog)
    assert loaded.groups_for(user, ip) == frozenset(groups)


@pytest.mark.parametrize(
    ("user", "groups", "done"),
    [
        ("alice", set(), True),
        ("ALICE", set(), True),
        ("frank", {"legal"}, True),
        ("frank", {"engineering"}, False),
        (None, set(), False),
    ],
)
def test_completed_training_by_user_or_group(catalog, user, groups, done):
    loaded = load_policy_text(BASE + MEMBERS, catalog=catalog)
    assert loaded.completed_training("ai-basics", user, frozenset(groups)) is done


@pytest.mark.parametrize(
    ("host", "intercepted"),
    [
        ("chatgpt.com", True),
        ("github.com", True),  # may be AI on /copilot
        ("api.deepseek.com", True),
        ("www.deepseek.com", True),  # registered-domain claim
        ("uploads.acme.example", True),  # inspect_hosts
        ("files.box.example", True),  # inspect_hosts wildcard
        ("box.example", False),
        ("example.org", False),
    ],
)
def test_intercepts_ai_hosts_and_inspect_hosts(catalog, host, intercepted):
    text = BASE + "inspect_hosts: [uploads.acme.example, '*.box.example']\n"
    assert load_policy_text(text, catalog=catalog).intercepts(host) is intercepted


def test_tenant_headers_for_a_service_and_host(catalog):
    text = BASE + (
        "services:\n"
        "  chatgpt:\n"
        "    action: allow\n"
        "    reason: our workspace\n"
        "    tenant:\n"
        "      - {header: ChatGPT-Allowed-Workspace-Id, value: ws-1}\n"
        "  github-copilot:\n"
        "    action: allow\n"
        "    reason: our enterprise\n"
        "    tenant:\n"
        "      - {header: sec-GitHub-allowed-enterprise, value: '42', hosts: [github.com]}\n"
    )
    loaded = load_policy_text(text, catalog=catalog)
    assert loaded.tenant_headers("chatgpt", "chatgpt.com") == [
        ("ChatGPT-Allowed-Workspace-Id", "ws-1")
    ]
    assert loaded.tenant_headers("github-copilot", "github.com") == [
        ("sec-GitHub-allowed-enterprise", "42")
    ]
    assert loaded.tenant_headers("github-copilot", "api.githubcopilot.com") == []
    assert loaded.tenant_headers("deepseek", "chat.deepseek.com") == []
