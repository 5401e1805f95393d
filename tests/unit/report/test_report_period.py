"""With --since, the report compares its period with the previous one: as long, immediately
before it, counted from the records before --since in one pass."""

from __future__ import annotations

import pytest
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.report.aggregate import Aggregator
from aigate.report.counters import Filters
from aigate.report.period import change_percent, previous_start
from report_log import decision, websocket


@pytest.fixture(scope="module")
def policy():
    return load_policy(DEFAULT_POLICY)


@pytest.mark.parametrize(
    ("since", "until", "last", "start"),
    [
        ("2026-03-09", "2026-03-15", None, "2026-03-02"),  # a week (until: the whole day)
        ("2026-03-09", None, "2026-03-10T17:00:00.000Z", "2026-03-07"),  # to the last day
        ("2026-03-09T12:00:00", "2026-03-09T18:00:00", None, "2026-03-09T06:00:00"),
        ("2026-03-09", None, None, None),  # nothing in the period: nothing to compare
        ("2026-03-09", "2026-03-08", None, None),
    ],
)
def test_the_previous_period_is_as_long_and_ends_at_since(since, until, last, start):
    assert previous_start(since, until, last) == start


def test_change_is_a_percentage_of_the_previous_figure():
    assert (change_percent(150, 100), change_percent(50, 100), change_percent(3, 0)) == (
        50.0, -50.0, None)


def two_weeks() -> list[dict]:
    """Week 1 (2026-03-02..): alice on chatgpt, bob on deepseek; week 2: alice more, carol new
    on claude, one data-loss event."""
    d = decision
    return [
        d("2026-03-02T09:00:00", "alice", method="GET"),  # a page view
        d("2026-03-03T09:00:00", "alice", inspected=True),
        d("2026-03-04T09:00:00", "bob", "deepseek", "blocked", action="block"),
        d("2026-03-09T09:00:00", "alice", method="GET"),
        d("2026-03-09T09:01:00", "alice", inspected=True),
        d("2026-03-10T09:00:00", "alice", inspected=True),
        d("2026-03-11T10:00:00", "carol", "claude", inspected=True, dlp_action="block",
          outcome="blocked", findings=(("email", "pii", 1),)),
        d("2026-03-12T09:00:00", "alice", path="/.aigate/ack", outcome="acknowledged"),
    ]


def report_of(records, policy, **filters):
    aggregator = Aggregator(Filters(**filters))
    aggregator.add_all(records)
    return aggregator.report(policy)


def test_the_figures_are_compared_with_the_previous_period(policy):
    report = report_of(two_weeks(), policy, since="2026-03-09", until="2026-03-15")
    s = report.summary
    assert s["period"] == {"since": "2026-03-09", "until": "2026-03-16"}  # until: exclusive
    assert s["previous"] == {
        "since": "2026-03-02", "until": "2026-03-09", "covered": True, "requests": 3,
        "page_views": 1, "prompts": 1, "data_loss_events": 0, "blocked": 1, "users": 2,
        "services": 2,
    }
    assert s["change_percent"] == {
        "requests": 33.3, "page_views": 0.0, "prompts": 200.0, "users": 0.0, "services": 0.0,
        "data_loss_events": None, "blocked": 0.0,
    }
    assert report.tables["comparison"].rows[0] == ("requests", 4, 3, 33.3)


def test_services_first_seen_in_the_period_are_new(policy):
    report = report_of(two_weeks(), policy, since="2026-03-09", until="2026-03-15")
    assert report.summary["new_services"] == 1
    assert [r[:4] for r in report.tables["new_services"].rows] == [
        ("claude", "Claude", "not in policy", "medium")
    ]


def test_without_logs_that_reach_back_there_are_no_new_services(policy):
    """A period of two weeks needs logs from 2026-02-23: everything would look new."""
    report = report_of(two_weeks(), policy, since="2026-03-09", until="2026-03-22")
    s = report.summary
    assert s["previous"]["covered"] is False
    assert (s["new_services"], s["change_percent"]) == (None, None)
    assert report.tables["new_services"].rows == []
    assert "do not reach back" in report.tables["comparison"].note


def test_without_since_there_is_no_previous_period(policy):
    report = report_of(two_weeks(), policy)
    assert (report.summary["previous"], report.summary["new_services"]) == (None, None)
    assert report.tables["comparison"].rows == []


def test_the_previous_period_keeps_the_group_filter_and_its_data_loss(policy):
    records = [*two_weeks(), websocket("2026-03-05T10:00:00", "dave", groups=("sales",)),
               decision("2026-03-05T10:00:00", "erin", groups=("sales",))]
    engineering = report_of(records, policy, since="2026-03-09", until="2026-03-15",
                            group="engineering")
    assert (engineering.summary["previous"]["requests"],
            engineering.summary["previous"]["data_loss_events"]) == (3, 0)
    everyone = report_of(records, policy, since="2026-03-09", until="2026-03-15")
    assert (everyone.summary["previous"]["requests"],
            everyone.summary["previous"]["data_loss_events"]) == (4, 1)
