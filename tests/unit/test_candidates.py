"""Names that look like AI services (discovery from passed-through traffic), and the report's
list of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from aigate.candidates import ai_name_hint
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.report.aggregate import Aggregator

DATA = Path(__file__).parents[1] / "data"


@pytest.mark.parametrize(
    ("host", "hint"),
    [
        ("essay-writer.ai", ".ai domain"),
        ("www.tool.ai", ".ai domain"),
        ("free-chatgpt-online.org", "word 'chatgpt'"),
        ("gpt4free.example.com", "word 'gpt'"),
        ("my-llm-gateway.internal.example.net", "word 'llm'"),
        ("aiwriter.com", "word 'aiwriter'"),
        ("chatai.app", "word 'chatai'"),
        ("best-ai-tools.com", "word 'ai'"),
        ("cdn.deepseek-mirror.net", "word 'deepseek'"),
    ],
)
def test_ai_looking_names(host: str, hint: str):
    assert ai_name_hint(host) == hint


@pytest.mark.parametrize(
    "host",
    [
        "mail.google.com",
        "www.airbnb.com",
        "thailand.travel",
        "maine.gov",
        "gemini.com",
        "openaid.org",
        "brain.example.com",
        "localhost",
        "10.0.0.1",
        "aid.org",
        "fairmont.com",
    ],
)
def test_ordinary_names_are_not_candidates(host: str):
    assert ai_name_hint(host) is None


def test_popular_non_ai_hosts_are_not_candidates_except_lookalikes():
    hosts = [
        line.strip()
        for line in (DATA / "non_ai_hosts.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    flagged = {h for h in hosts if ai_name_hint(h)}
    # Only the deliberate look-alikes of AI services on that list (phishing-style names).
    assert flagged <= {
        "openai-login.com",
        "chatgpt.com.attacker.net",
        "notclaude.ai",
        "mistral.ai.example.com",
    }


def _record(host: str, time: str, client: str = "10.0.0.5") -> dict:
    return {
        "time": time,
        "event": "candidate",
        "host": host,
        "hint": ".ai domain",
        "user": None,
        "client_ip": client,
    }


def test_report_counts_people_and_connections_per_candidate_host():
    aggregator = Aggregator()
    aggregator.add_all(
        [
            _record("notes-helper.ai", "2026-12-01T10:00:00Z"),
            _record("notes-helper.ai", "2026-12-01T11:00:00Z", client="10.0.0.6"),
            _record("notes-helper.ai", "2026-12-02T09:00:00Z"),
            _record("other-tool.ai", "2026-12-01T10:00:00Z"),
            {"event": "candidate", "host": "no-time.ai"},
        ]
    )
    table = aggregator.report().tables["candidates"]
    assert table.rows == [
        ("notes-helper.ai", 2, 3, ".ai domain", "2026-12-01T10:00:00Z", "2026-12-02T09:00:00Z"),
        ("other-tool.ai", 1, 1, ".ai domain", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z"),
    ]


def test_report_leaves_out_candidates_the_reviewed_policy_catalog_knows():
    aggregator = Aggregator()
    aggregator.add_all(
        [
            _record("chatgpt.com", "2026-12-01T10:00:00Z"),
            _record("notes-helper.ai", "2026-12-01T10:00:00Z"),
        ]
    )
    table = aggregator.report(load_policy(DEFAULT_POLICY)).tables["candidates"]
    assert [row[0] for row in table.rows] == ["notes-helper.ai"]
