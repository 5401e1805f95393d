"""The reload store: picks up edits, and a bad edit keeps the last good policy (fail safe)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from aigate.policy import PolicyError
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


def test_a_deleted_file_keeps_the_last_good_policy(policy_file):
    store = PolicyStore(policy_file)
    good = store.current
    policy_file.unlink()
    result = store.reload_if_changed()
    assert not result.ok and "cannot read policy" in (result.error or "")
    assert store.current is good


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
