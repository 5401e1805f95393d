import json

import pytest
from aigate.record.ledger import GENESIS, Ledger, canonical, record_hash, verify


def write_chain(path, n=5, extra=()):
    ledger = Ledger()
    lines = []
    for i in range(n):
        lines.append(json.dumps({"event": "decision", "i": i}))
        lines.append(json.dumps(ledger.seal({"event": "ack", "user": f"u{i}", "i": i})))
    lines.extend(extra)
    path.write_text("\n".join(lines) + "\n")
    return lines


def test_canonical_form_ignores_key_order_and_hash():
    assert canonical({"b": 1, "a": 2, "hash": "x"}) == canonical({"a": 2, "b": 1})


def test_first_ack_chains_to_genesis():
    sealed = Ledger().seal({"event": "ack"})
    assert sealed["prev_hash"] == GENESIS and sealed["hash"] == record_hash(sealed)


def test_intact_chain_verifies(tmp_path):
    write_chain(tmp_path / "log")
    result = verify([tmp_path / "log"])
    assert result.ok and result.acks == 5


def tamper(lines, index, change):
    record = json.loads(lines[index])
    change(record)
    lines[index] = json.dumps(record)


@pytest.mark.parametrize(
    "name, mutate, line",
    [
        ("altered user", lambda ls: tamper(ls, 5, lambda r: r.update(user="mallory")), 6),
        ("removed record", lambda ls: ls.pop(5), 7),
        ("swapped records", lambda ls: ls.__setitem__(slice(3, 6), [ls[5], ls[4], ls[3]]), 4),
        ("rehashed alteration", lambda ls: tamper(
            ls, 5, lambda r: r.update(user="m", hash=record_hash({**r, "user": "m"}))), 8),
    ],
)
def test_tampering_is_found_where_it_happened(tmp_path, name, mutate, line):
    lines = write_chain(tmp_path / "x")
    mutate(lines)
    (tmp_path / "log").write_text("\n".join(lines) + "\n")
    result = verify([tmp_path / "log"])
    assert not result.ok, name
    assert result.breaks[0].line == line, (name, result.breaks)
    assert str(result.breaks[0]).startswith(f"{tmp_path / 'log'}:{line}:")


def test_chain_continues_across_files(tmp_path):
    lines = write_chain(tmp_path / "x", n=6)
    (tmp_path / "old").write_text("\n".join(lines[:6]) + "\n")
    (tmp_path / "new").write_text("\n".join(lines[6:]) + "\n")
    assert verify([tmp_path / "old", tmp_path / "new"]).ok
    assert not verify([tmp_path / "new", tmp_path / "old"]).ok
    assert not verify([tmp_path / "new"]).ok
    partial = verify([tmp_path / "new"], partial=True)
    assert partial.ok and partial.starts_mid_chain


def test_garbled_ack_line_is_a_break(tmp_path):
    write_chain(tmp_path / "log", extra=['{"event": "ack", "user": '])
    assert not verify([tmp_path / "log"]).ok
