"""Review dates: past `review_by`, `aigate check` warns (still exit 0) and a metric says overdue."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from aigate.cli import main
from aigate.policy.review import days_overdue, review_deadline
from aigate.record import metrics

POLICY = """organisation: Acme
version: "1"
{review}contact: {{name: IT}}
document: {{purpose: p, scope: s}}
default: {{action: warn, reason: r}}
"""


def policy_file(tmp_path: Path, review_by: date | None) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY.format(review=f"review_by: {review_by}\n" if review_by else ""))
    return path


@pytest.mark.parametrize(
    "review_by, today, overdue",
    [
        (None, date(2030, 1, 1), 0),
        (date(2027, 6, 30), date(2027, 6, 29), 0),
        (date(2027, 6, 30), date(2027, 6, 30), 0),  # due through the whole day
        (date(2027, 6, 30), date(2027, 7, 1), 1),
        (date(2027, 6, 30), date(2027, 7, 30), 30),
    ],
)
def test_days_overdue_counts_whole_days_after_review_by(review_by, today, overdue):
    assert days_overdue(review_by, today) == overdue


def test_the_deadline_is_the_midnight_after_review_by_in_utc():
    assert review_deadline(None) is None
    deadline = review_deadline(date(2027, 6, 30))
    assert datetime.fromtimestamp(deadline, UTC) == datetime(2027, 7, 1, tzinfo=UTC)


def test_check_warns_with_the_days_overdue_and_still_succeeds(tmp_path, capsys):
    ten_days_ago = datetime.now(UTC).date() - timedelta(days=10)
    assert main(["check", str(policy_file(tmp_path, ten_days_ago))]) == 0
    out, err = capsys.readouterr()
    assert ": ok:" in out
    assert f"warning: review_by {ten_days_ago} has passed (10 days overdue)" in err


@pytest.mark.parametrize("review_by", [None, datetime.now(UTC).date() + timedelta(days=1)])
def test_check_is_quiet_before_review_by_or_without_one(tmp_path, capsys, review_by):
    assert main(["check", str(policy_file(tmp_path, review_by))]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "deadline, overdue",
    [(None, 0.0), (time.time() - 60, 1.0), (time.time() + 3600, 0.0)],
)
def test_the_overdue_gauge_follows_the_deadline(deadline, overdue):
    try:
        metrics.set_review_by(deadline)
        sample = metrics.REGISTRY.get_sample_value
        assert sample("aigate_policy_review_overdue") == overdue
        assert sample("aigate_policy_review_by_timestamp_seconds") == (deadline or 0)
    finally:
        metrics.set_review_by(None)
