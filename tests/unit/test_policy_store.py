"""The reload store: picks up edits, and a bad edit keeps the last good policy (fail safe)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from aigate.inspect.custom import edm_digest
from aigate.policy import PolicyError
from aigate.policy.loaded import LoadedPolicy
from aigate.policy.store import PolicyStore

GOOD = """organisation: Acme
version: "{version}"
contact: {{name: IT}}
document: {{purpose: p, scope: s}}
default: {{action: {action}, reason: r}}
"""


def write(path: Path, text: str) -> None:
    """Write and move mtime forward, so a same-second edit is still seen as a change."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    path = tmp_path / "policy.yaml"
    write(path, GOOD.format(version="1", action="warn"))
    return path


def test_first_load_must_succeed(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("organisation: [\n")
    with pytest.raises(PolicyError):
        PolicyStore(bad)


def test_unchanged_file_is_not_reloaded(policy_file):
    store = PolicyStore(policy_file)
    first = store.current
    result = store.reload_if_changed()
    assert (result.ok, result.changed, result.error) == (True, False, None)
    assert store.current is first


def test_touched_but_identical_file_is_not_reloaded(policy_file):
    store = PolicyStore(policy_file)
    first = store.current
    write(policy_file, policy_file.read_text())
    assert not store.reload_if_changed().changed
    assert store.current is first


def test_an_edit_is_picked_up(policy_file):
    store = PolicyStore(policy_file)
    write(policy_file, GOOD.format(version="2", action="block"))
    result = store.reload_if_changed()
    assert (result.ok, result.changed) == (True, True)
    assert store.current.version == "2"
    assert store.current.policy.default.action == "block"


def test_a_bad_edit_keeps_the_last_good_policy(policy_file):
    store = PolicyStore(policy_file)
    good = store.current
    write(policy_file, GOOD.format(version="2", action="blok"))
    result = store.reload_if_changed()
    assert (result.ok, result.changed) == (False, False)
    assert result.error is not None and ":5: default.action: 'blok'" in result.error
    assert store.current is good
    # the broken file is not re-parsed on every poll, and the error stays visible
    again = store.reload_if_changed()
    assert (again.ok, again.changed, again.error) == (False, False, result.error)
    # fixing the file recovers
    write(policy_file, GOOD.format(version="3", action="allow"))
    fixed = store.reload_if_changed()
    assert (fixed.ok, fixed.changed, fixed.error) == (True, True, None)
    assert store.current.version == "3"


def test_a_deleted_file_keeps_the_last_good_policy_and_recovers_when_it_returns(policy_file):
    store = PolicyStore(policy_file)
    good = store.current
    text = policy_file.read_text()
    policy_file.unlink()
    result = store.reload_if_changed()
    assert not result.ok and f"{policy_file}:1: cannot read policy" in (result.error or "")
    assert store.current is good
    write(policy_file, text)  # the same content comes back
    back = store.reload_if_changed()
    assert (back.ok, back.error) == (True, None)
    assert store.current.sha256 == good.sha256


def test_an_edited_catalog_file_triggers_a_reload(tmp_path):
    catalog = tmp_path / "extra.yaml"
    entry = (
        "services:\n  - {{id: acme-gpt, name: {name}, vendor: Acme, category: chat,\n"
        "     hosts: [gpt.acme.example], jurisdiction: US, risk: low, url: 'https://a.example/'}}\n"
    )
    write(catalog, entry.format(name="Acme GPT"))
    policy = tmp_path / "policy.yaml"
    write(policy, GOOD.format(version="1", action="warn") + "catalog: [extra.yaml]\n")
    store = PolicyStore(policy)
    write(catalog, entry.format(name="Acme GPT 2"))
    assert store.reload_if_changed().changed
    assert store.current.catalog.get("acme-gpt").name == "Acme GPT 2"


def test_explicit_reload_reports_no_change_for_the_same_content(policy_file):
    store = PolicyStore(policy_file)
    result = store.reload()
    assert (result.ok, result.changed) == (True, False)


def test_a_catalog_file_added_by_an_edit_is_watched(tmp_path, policy_file):
    catalog = tmp_path / "extra.yaml"
    entry = (
        "services:\n  - {{id: acme-gpt, name: {name}, vendor: Acme, category: chat,\n"
        "     hosts: [gpt.acme.example], jurisdiction: US, risk: low, url: 'https://a.example/'}}\n"
    )
    write(catalog, entry.format(name="One"))
    store = PolicyStore(policy_file)
    write(policy_file, policy_file.read_text() + "catalog: [extra.yaml]\n")
    assert store.reload_if_changed().changed
    write(catalog, entry.format(name="Two"))
    assert store.reload_if_changed().changed
    assert store.current.catalog.get("acme-gpt").name == "Two"


CATALOG_ENTRY = (
    "services:\n  - {{id: acme-gpt, name: {name}, vendor: Acme, category: chat,\n"
    "     hosts: [gpt.acme.example], jurisdiction: US, risk: low, url: 'https://a.example/'}}\n"
)
NAMING = "catalog: [extra.yaml]\n"
EXACT = "dlp:\n  exact_match:\n    - {id: customers, file: digests.txt, key_env: AIGATE_TEST_KEY}\n"


def digests(*values: str) -> str:
    return "".join(edm_digest(b"k", v) + "\n" for v in values)


@pytest.fixture
def named_files(tmp_path: Path) -> Path:
    """A policy naming a catalog file and an exact-match digest file."""
    write(tmp_path / "extra.yaml", CATALOG_ENTRY.format(name="One"))
    write(tmp_path / "digests.txt", digests("A-1"))
    policy = tmp_path / "policy.yaml"
    write(policy, GOOD.format(version="1", action="warn") + NAMING + EXACT)
    return policy


def test_every_file_the_policy_names_is_watched(named_files):
    store = PolicyStore(named_files)
    folder = named_files.parent
    assert set(store.watched) == {named_files, folder / "extra.yaml", folder / "digests.txt"}


@pytest.mark.parametrize(
    "file, content",
    [
        ("policy.yaml", GOOD.format(version="2", action="warn") + NAMING + EXACT),
        ("extra.yaml", CATALOG_ENTRY.format(name="Two")),
        ("digests.txt", digests("A-1", "B-2")),
    ],
)
def test_a_change_to_any_named_file_reloads_and_is_offered_to_accept(named_files, file, content):
    accepted: list[LoadedPolicy] = []
    store = PolicyStore(named_files, accept=accepted.append)
    write(named_files.parent / file, content)
    result = store.reload_if_changed()
    assert (result.ok, result.changed) == (True, True)
    assert accepted == [accepted[0], store.current] and store.current is not accepted[0]


@pytest.mark.parametrize(
    "file, content",
    [
        ("extra.yaml", CATALOG_ENTRY.format(name="Two")),
        ("digests.txt", digests("A-1", "B-2")),
    ],
)
def test_the_policy_hash_changes_with_any_named_file(named_files, file, content):
    store = PolicyStore(named_files)
    before = store.current.sha256
    write(named_files.parent / file, content)
    store.reload_if_changed()
    assert store.current.sha256 != before


def test_a_policy_naming_no_files_is_hashed_as_its_file(policy_file):
    assert (
        PolicyStore(policy_file).current.sha256
        == hashlib.sha256(policy_file.read_bytes()).hexdigest()
    )


def test_a_deleted_digest_file_keeps_the_last_good_policy_until_it_returns(named_files):
    store = PolicyStore(named_files)
    good = store.current
    digest_file = named_files.parent / "digests.txt"
    digest_file.unlink()
    result = store.reload_if_changed()
    assert not result.ok and "digests.txt" in (result.error or "")
    assert store.current is good
    write(digest_file, digests("A-1"))
    assert store.reload_if_changed().ok


def test_a_policy_refused_by_accept_keeps_the_last_good_one(policy_file):
    def refuse_blocking(loaded: LoadedPolicy) -> None:
        if loaded.policy.default.action == "block":
            raise ValueError("dlp: cannot build the scanner")

    store = PolicyStore(policy_file, accept=refuse_blocking)
    good = store.current
    write(policy_file, GOOD.format(version="2", action="block"))
    result = store.reload_if_changed()
    assert not result.ok and result.error == f"{policy_file}:1: dlp: cannot build the scanner"
    assert store.current is good


def test_a_catalog_file_named_by_a_failed_edit_is_watched_until_it_appears(policy_file):
    store = PolicyStore(policy_file)
    write(policy_file, policy_file.read_text() + "catalog: [later.yaml]\n")
    failed = store.reload_if_changed()
    assert not failed.ok and "later.yaml' not found" in (failed.error or "")
    write(policy_file.parent / "later.yaml", CATALOG_ENTRY.format(name="Later"))
    fixed = store.reload_if_changed()
    assert (fixed.ok, fixed.changed) == (True, True)
    assert store.current.catalog.get("acme-gpt").name == "Later"


def test_an_explicit_reload_rereads_files_whose_stat_did_not_move(named_files):
    store = PolicyStore(named_files)
    first = store.current
    result = store.reload()
    assert result.ok and store.current is not first  # SIGHUP: a fresh load, same content


def test_an_edit_applies_only_once_it_has_stayed_unchanged_for_the_settle_period(policy_file):
    store = PolicyStore(policy_file)
    write(policy_file, GOOD.format(version="2", action="block"))
    first = store.reload_if_changed(settle=2.0, now=100.0)
    assert (first.changed, first.settling) == (False, True)
    assert store.current.version == "1"
    assert store.reload_if_changed(settle=2.0, now=101.5).settling
    done = store.reload_if_changed(settle=2.0, now=102.0)
    assert (done.changed, done.settling) == (True, False)
    assert store.current.version == "2"


def test_a_half_written_valid_prefix_is_never_enforced(policy_file):
    """`cp` or a slow editor rewriting in place: the prefix loads (no rules, default allow) but
    changes again before it has settled, so only the finished file applies."""
    whole = GOOD.format(version="2", action="block")
    store = PolicyStore(policy_file)
    write(
        policy_file,
        whole.replace(
            "default: {action: block, reason: r}\n", "default: {action: allow, reason: r}\n"
        ),
    )
    assert store.reload_if_changed(settle=2.0, now=10.0).settling
    write(policy_file, whole)  # the rest arrives 1.5 s later: the timer starts again
    assert store.reload_if_changed(settle=2.0, now=11.5).settling
    assert store.current.policy.default.action == "warn"
    assert store.reload_if_changed(settle=2.0, now=13.0).settling
    assert store.reload_if_changed(settle=2.0, now=13.6).changed
    assert store.current.policy.default.action == "block"


def test_an_edit_undone_before_it_settles_changes_nothing(policy_file):
    store = PolicyStore(policy_file)
    original = policy_file.read_text()
    write(policy_file, GOOD.format(version="2", action="allow"))
    assert store.reload_if_changed(settle=2.0, now=1.0).settling
    write(policy_file, original)
    result = store.reload_if_changed(settle=2.0, now=5.0)
    assert (result.changed, result.settling) == (False, False)
    assert store.current.version == "1"
