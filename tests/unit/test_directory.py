"""Directory groups, the pure part: DNs compare however they are spelled, policy groups name
directory groups (checked with file and line), and what a person's directory groups are while
the directory answers, is slow, or is down."""

from __future__ import annotations

import pytest
from aigate.cli import main
from aigate.directory import GroupMemory, normalise_dn
from aigate.policy import PolicyError, load_policy_text

ENGINEERING = "cn=engineering,ou=groups,dc=corp,dc=example"
BASE = """organisation: Acme
version: "1"
contact: {name: IT}
document: {purpose: p, scope: s}
default: {action: warn, reason: r}
"""


@pytest.mark.parametrize(
    "spelling",
    [
        ENGINEERING,
        "CN=Engineering,OU=Groups,DC=corp,DC=example",
        "cn=engineering, ou=groups, dc=corp, dc=example",
        " cn = engineering ,ou=groups,dc=corp,dc=example ",
        "cn=\\65ngineering,ou=groups,dc=corp,dc=example",  # a hex escape
    ],
)
def test_spellings_of_one_dn_normalise_alike(spelling):
    assert normalise_dn(spelling) == ENGINEERING


@pytest.mark.parametrize(
    ("dn", "normalised"),
    [
        # An escaped comma is part of the value, not a separator, and stays escaped.
        ("CN=Smith\\, John,OU=People,DC=corp", "cn=smith\\, john,ou=people,dc=corp"),
        ('cn=a\\"b\\+c', 'cn=a\\"b\\+c'),
        # The parts of a multi-valued RDN in either order.
        ("uid=jo+cn=Jo Smith,dc=corp", "cn=jo smith+uid=jo,dc=corp"),
        ("cn=Jo   Smith,dc=corp", "cn=jo smith,dc=corp"),  # insignificant spaces
        ("cn=J\\C3\\A9r\\C3\\B4me,dc=corp", "cn=jérôme,dc=corp"),  # UTF-8 hex escapes
        ("CN=Jérôme,DC=corp", "cn=jérôme,dc=corp"),
        ("cn=\\#1,dc=corp", "cn=\\#1,dc=corp"),
        ("2.5.4.3=x,dc=corp", "2.5.4.3=x,dc=corp"),
    ],
)
def test_normalise_dn_keeps_values_and_structure(dn, normalised):
    assert normalise_dn(dn) == normalised


def test_different_groups_stay_different():
    assert normalise_dn("cn=eng,ou=groups,dc=corp") != normalise_dn("cn=eng,ou=teams,dc=corp")
    assert normalise_dn("cn=a\\,b,dc=corp") != normalise_dn("cn=a,cn=b,dc=corp")


@pytest.mark.parametrize(
    ("dn", "message"),
    [
        ("", "has no '='"),
        ("engineering", "'engineering' has no '='"),
        ("cn=engineering,", "has no '='"),
        ("cn=engineering,ou groups", "'ou groups' has no '='"),
        ("common name=x", "'common name' is not an attribute type"),
        ("cn=x\\", "lone backslash"),
        ("cn=\\ff\\fe", "not UTF-8"),
    ],
)
def test_normalise_dn_says_what_is_wrong(dn, message):
    with pytest.raises(ValueError, match=message.replace("(", "\\(")):
        normalise_dn(dn)


# --- the policy --------------------------------------------------------------------------------

GROUPS = f"""groups:
  engineering:
    ldap_groups: ["CN=Engineering, OU=Groups, DC=corp, DC=example"]
  staff:
    users: [erin]
    ldap_groups: ["cn=staff,ou=groups,dc=corp,dc=example", "{ENGINEERING}"]
"""


@pytest.mark.parametrize(
    ("user", "directory_groups", "groups"),
    [
        ("alice", {ENGINEERING}, {"engineering", "staff"}),
        ("bob", {"cn=staff,ou=groups,dc=corp,dc=example"}, {"staff"}),
        ("carol", {"cn=sales,ou=groups,dc=corp,dc=example"}, set()),
        ("carol", set(), set()),
        ("erin", set(), {"staff"}),  # `users:` still count
    ],
)
def test_directory_groups_give_the_policy_groups_that_name_them(user, directory_groups, groups):
    loaded = load_policy_text(BASE + GROUPS)
    assert loaded.reads_directory_groups
    assert loaded.groups_for(user, None, frozenset(directory_groups)) == frozenset(groups)


def test_a_policy_without_ldap_groups_reads_no_directory():
    assert not load_policy_text(BASE + "groups:\n  eng: {users: [alice]}\n").reads_directory_groups


def test_an_invalid_ldap_group_is_reported_with_file_line_and_fix():
    text = BASE + "groups:\n  engineering:\n    ldap_groups:\n      - ok=1\n      - engineering\n"
    with pytest.raises(PolicyError) as info:
        load_policy_text(text, "policy.yaml")
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.key_path) == (
        "policy.yaml", 10, "groups.engineering.ldap_groups[1]"
    )
    assert problem.message == (
        "invalid directory group DN: 'engineering' has no '=' (write it like cn=name); write "
        "the group's full DN, e.g. cn=engineering,ou=groups,dc=corp,dc=example"
    )


def test_aigate_check_accepts_ldap_groups_and_rejects_a_bad_one(capsys, tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(BASE + GROUPS)
    bad.write_text(BASE + "groups:\n  engineering: {ldap_groups: ['cn=x,']}\n")
    assert main(["check", str(good)]) == 0
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:7: groups.engineering.ldap_groups[0]: invalid directory group DN" in err


# --- what is remembered ------------------------------------------------------------------------

STAFF = frozenset({"cn=staff,dc=corp"})


def test_reported_groups_are_fresh_for_the_ttl_only():
    memory = GroupMemory(ttl=300)
    memory.reported("alice", STAFF, now=1000)
    assert memory.fresh("alice", 1299.9) == STAFF
    assert memory.fresh("alice", 1300) is None
    assert memory.fresh("bob", 1000) is None


def test_while_the_directory_is_down_people_keep_their_last_groups_and_others_get_none():
    memory = GroupMemory(ttl=300)
    memory.reported("alice", STAFF, now=1000)
    assert memory.failed(now=2000) is True  # an outage begins: log it
    assert memory.fallback("alice") == STAFF  # stale, but the last the directory said
    assert memory.fallback("bob") == frozenset()


def test_an_outage_is_reported_once_and_its_end_once():
    memory = GroupMemory(ttl=300, retry=30)
    assert memory.failed(now=0) is True
    assert not memory.may_ask(now=29)  # no timeout per request while it is down
    assert memory.may_ask(now=30)
    assert memory.failed(now=30) is False  # the same outage
    assert memory.reported("alice", STAFF, now=60) is True  # it is over: log that
    assert memory.reported("bob", STAFF, now=61) is False
    assert memory.may_ask(now=61)


def test_a_short_ttl_shortens_the_pause_after_a_failure():
    memory = GroupMemory(ttl=5, retry=30)
    memory.failed(now=0)
    assert memory.may_ask(now=5)


def test_memory_is_bounded_dropping_the_longest_unrefreshed():
    memory = GroupMemory(ttl=300, max_users=2)
    memory.reported("alice", STAFF, now=0)
    memory.reported("bob", STAFF, now=1)
    memory.reported("alice", STAFF, now=2)  # refreshed: bob is now the oldest
    memory.reported("carol", STAFF, now=3)
    assert memory.fresh("bob", 3) is None and memory.fallback("bob") == frozenset()
    assert memory.fresh("alice", 3) == STAFF and memory.fresh("carol", 3) == STAFF
