"""A report read by several processes (`aigate report --jobs N`) has the figures of one pass:
the same JSON, byte for byte, over generated traffic and over random logs with odd records,
people without names, times out of order, ties and damaged lines. The parts are read in a
process of their own (`report_parts.py`): this one has threads, and is never forked."""

from __future__ import annotations

import gzip
import random
import subprocess
import sys
import threading
from pathlib import Path

import gen_audit  # bench/, see conftest.py
import orjson
import pytest
from aigate.cli import main
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.report import Filters, build_report, candidates
from aigate.report.counters import Sample
from aigate.report.parallel import default_jobs, read_in_parts
from aigate.report.read import AuditRecord, Part, person_of_line
from aigate.report.render_text import render_json
from report_log import decision, websocket
from report_parts import in_parts

SERVICES = ("chatgpt", "claude", "gemini", "deepseek", "perplexity", None)
PEOPLE = ("ann", "bob", "chloé", "dan", "李", None, "")
OPTION_SETS = (
    ({}, {}),
    ({"since": "2026-03-04"}, {"session_gap": 120.0}),
    ({"since": "2026-03-03T10:30", "until": "2026-03-05"}, {"offender_blocks": 1}),
    ({"group": "sales"}, {"session_gap": 0.0}),
)


@pytest.fixture(scope="module")
def policy():
    return load_policy(DEFAULT_POLICY)


def one_process(paths, policy, filters=None, **options) -> str:
    return render_json(build_report(paths, policy, Filters(**(filters or {})), jobs=1,
                                    **options))


def random_records(seed: int) -> list[bytes]:
    """Lines of every kind the report reads, at random, with the odd ones it must survive."""
    rng = random.Random(seed)
    lines: list[bytes] = []
    clock = 0
    for _ in range(rng.randrange(200, 600)):
        clock += rng.choice((0, 0, 1, 30, 200, 900, 4000, -600))  # ties and going back
        day, second = 2 + min(max(clock, 0) // 40000, 4), max(clock, 0) % 40000
        stamp = f"2026-03-0{day}T{8 + second // 3600:02}:{second // 60 % 60:02}:{second % 60:02}"
        user = rng.choice(PEOPLE)
        kind = rng.random()
        if kind < 0.06:
            record = websocket(stamp, user or None, rng.choice(SERVICES[:-1]),
                               rng.choice(("block", "warn", None)),
                               mode=rng.choice(("enforce", "monitor")),
                               groups=tuple(rng.sample(("sales", "legal", "eng"), 1)))
        elif kind < 0.1:
            record = {"time": f"{stamp}.000Z", "event": "candidate",
                      "host": rng.choice(("a.ai", "b.ai", "c.ai")),
                      "hint": rng.choice(("ai", "gpt", "llm")), "user": user,
                      "client_ip": "10.0.0.9"}
        elif kind < 0.12:
            lines.append(rng.choice((b"not json\n", b"[1, 2]\n", b"\n", b'{"time": 3}\n')))
            continue
        else:
            endpoint = "openai-chat" if rng.random() < 0.15 else None
            findings = tuple(rng.sample((("email", "pii", 1), ("aws_access_key_id", "secret", 2),
                                         ("iban", "financial", 1)), rng.randrange(0, 3))
                             if rng.random() < 0.2 else ())
            record = decision(
                stamp, user, rng.choice(SERVICES),
                rng.choice(("allowed", "blocked", "warned", "acknowledged", "monitored")),
                action=rng.choice(("allow", "block", "warn")),
                mode=rng.choice(("enforce", "monitor")),
                groups=tuple(rng.sample(("sales", "legal", "eng"), rng.randrange(0, 3))),
                dlp_action=rng.choice((None, "block", "redact", "warn")) if findings else None,
                inspected=rng.choice((None, True, False)),
                findings=findings,
                unscanned_reason=rng.choice((None, "too_large", "encoding")),
                host=f"llm{rng.randrange(3)}.corp.example" if endpoint else None,
                path=rng.choice(("/", "/c/1", "/api/x", "/.aigate/ack",
                                 f"/v1/m{rng.randrange(90)}")),
                method=rng.choice(("GET", "POST")),
                endpoint=endpoint,
                navigation=rng.choice((None, True, False)),
            )
            record["policy_version"] = rng.choice(("2026.1", "2026.2"))
        if not user:
            record["client_ip"] = rng.choice(("10.0.0.1", "10.0.0.2", None))
        lines.append(orjson.dumps(record) + b"\n")
    return lines


@pytest.mark.parametrize("seed", range(12))
def test_random_logs_read_in_parts_give_the_report_of_one_process(tmp_path: Path, policy, seed):
    lines = random_records(seed)
    third = len(lines) // 3  # a log with two rotated backups, the older one compressed
    (tmp_path / "audit.jsonl.2.gz").write_bytes(gzip.compress(b"".join(lines[:third])))
    (tmp_path / "audit.jsonl.1").write_bytes(b"".join(lines[third:2 * third]))
    (tmp_path / "audit.jsonl").write_bytes(b"".join(lines[2 * third:]))
    paths = sorted(tmp_path.iterdir())  # as a shell glob lists them
    filters, options = OPTION_SETS[seed % len(OPTION_SETS)]
    expected = one_process(paths, policy, filters, **options)
    assert in_parts(paths, (2, 3), filters, options) == [expected, expected]


@pytest.mark.parametrize(("filters", "options"), OPTION_SETS)
def test_generated_traffic_read_in_parts_gives_the_report_of_one_process(
    tmp_path: Path, policy, filters, options
):
    log = tmp_path / "audit.jsonl"
    gen_audit.write_log(log, gen_audit.Traffic(users=40, seed=3), days=5)
    expected = one_process([log], policy, filters, **options)
    assert orjson.loads(expected)["summary"]["requests"] > 500
    assert in_parts([log], (2,), filters, options) == [expected]


def test_a_line_naming_its_person_otherwise_makes_the_report_run_in_one_process(
    tmp_path: Path, policy
):
    def line(name: str) -> bytes:
        return orjson.dumps(decision("2026-03-02T09:00:00", name)) + b"\n"

    # A name with a quote: the line's text gives `x\` (escaped), routed to the other part.
    odd = next(name for name in (f'{c}"x' for c in "abcdefgh")
               if Part(0, 2).holds(name) != Part(0, 2).holds_line(line(name)))
    assert person_of_line(line(odd)) == odd[0].encode() + b'\\'
    log = tmp_path / "audit.jsonl"
    log.write_bytes(b"".join(line(name) for name in ("ann", odd, "bob", odd, "ann", odd)))
    assert in_parts([log], (2,)) == [None]  # a part met a record of another part's person
    assert orjson.loads(one_process([log], policy))["summary"]["users"] == 3


def test_the_cli_reads_in_parts_with_jobs(tmp_path: Path):
    log = tmp_path / "audit.jsonl"
    gen_audit.write_log(log, gen_audit.Traffic(users=10, seed=1), days=2)
    outputs = [
        subprocess.run([sys.executable, "-m", "aigate", "report", str(log), "--format", "json",
                        "--jobs", jobs], check=True, capture_output=True, timeout=120).stdout
        for jobs in ("1", "2")
    ]
    assert outputs[0] == outputs[1]
    assert b'"requests"' in outputs[0]


@pytest.mark.parametrize("jobs", ["0", "-1", "x", "65"])
def test_jobs_out_of_range_is_refused_with_the_range(tmp_path: Path, capsys, jobs):
    log = tmp_path / "audit.jsonl"
    log.write_bytes(b"")
    with pytest.raises(SystemExit):
        main(["report", str(log), "--jobs", jobs])
    assert "is not a number of processes from 1 to 64" in capsys.readouterr().err


def test_small_logs_are_read_in_one_process_by_default(tmp_path: Path):
    log = tmp_path / "audit.jsonl"
    log.write_bytes(b"{}\n" * 1000)
    assert default_jobs([log, tmp_path / "missing.jsonl"]) == 1


def test_sample_keeps_the_same_keys_whatever_their_order_and_counts_them_fully():
    keys = [f"/v1/path{n % 300}" for n in range(3000)]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    samples = []
    for seed in range(3):
        random.Random(seed).shuffle(keys)
        sample = Sample(16)
        for key in keys:
            sample.add(key)
        samples.append(sample.counts)
    assert samples[0] == samples[1] == samples[2]
    assert len(samples[0]) == 16
    assert all(counts[key] == n for key, n in samples[0].items())


def test_samples_of_parts_merge_into_the_sample_of_the_whole():
    keys = [f"k{n % 97}" for n in range(2000)]
    whole, parts = Sample(10), [Sample(10), Sample(10), Sample(10)]
    for n, key in enumerate(keys):
        whole.add(key)
        parts[n % 3].add(key)
    merged = Sample(10)
    for part in parts:
        merged.absorb(part)
    assert merged.counts == whole.counts
    assert merged.most_common(3) == whole.most_common(3)


def test_candidate_hosts_past_the_limit_are_the_same_in_parts(monkeypatch):
    monkeypatch.setattr(candidates, "HOSTS_LIMIT", 20)
    records = [AuditRecord(time=f"2026-03-02T09:00:{n % 60:02d}.000Z", event="candidate",
                           host=f"h{n % 70}.ai", hint=f"hint{n % 3}", user=f"u{n % 7}")
               for n in range(700)]
    whole, parts = candidates.Candidates(), [candidates.Candidates(), candidates.Candidates()]
    for n, record in enumerate(records):
        whole.add(record, record.time)
        parts[n % 2].add(record, record.time)
    parts[0].absorb(parts[1])
    assert len(whole.connections.counts) == 20
    assert parts[0].table(None) == whole.table(None)
    assert sum(row[2] for row in whole.table(None).rows) == 200  # 10 connections of each kept


def test_a_process_with_threads_reads_in_one_process(tmp_path: Path, policy):
    log = tmp_path / "audit.jsonl"
    log.write_bytes(b"".join(orjson.dumps(decision("2026-03-02T09:00:00", name)) + b"\n"
                             for name in ("ann", "bob")))
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        assert read_in_parts([log], Filters(), {}, 2) is None  # never forked with threads
        assert build_report([log], policy, jobs=2).summary["users"] == 2
    finally:
        release.set()
        waiting.join()
