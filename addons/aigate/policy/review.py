"""Review dates: a policy is written once and edited for years; `review_by` says when it is due.

The policy is due through the whole `review_by` day (UTC) and overdue from the next midnight, the
same instant for `aigate check` and the `aigate_policy_review_*` metrics.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta


def review_deadline(review_by: date | None) -> float | None:
    """The Unix time at which a policy with this `review_by` becomes overdue (None: no date)."""
    if review_by is None:
        return None
    end = datetime.combine(review_by + timedelta(days=1), time(), tzinfo=UTC)
    return end.timestamp()


def days_overdue(review_by: date | None, today: date | None = None) -> int:
    """Whole days past `review_by` (0 when not overdue or no date); `today` defaults to UTC."""
    if review_by is None:
        return 0
    today = today or datetime.now(UTC).date()
    return max(0, (today - review_by).days)
