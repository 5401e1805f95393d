"""The previous period, to compare the report's period with: as long as it, and immediately
before `--since`.

Its bounds are known only once the logs are read (without `--until` the period ends with the day
of its last request), so records before `--since` are kept as counters per hour, and the last
time of each person and service, in memory bounded by hours, people and services. The comparison
is therefore exact to the hour: with a `--since` on a whole hour (or a date) it is exact.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aigate.report.services import UNLISTED_PREFIX

FIGURES = ("requests", "page_views", "prompts", "users", "services", "data_loss_events",
           "blocked")
FIGURE_LABELS = {"requests": "requests", "page_views": "page views", "prompts": "prompts",
                 "users": "people", "services": "services",
                 "data_loss_events": "data-loss events", "blocked": "blocked (or would be)"}
_HOURLY = ("requests", "page_views", "prompts", "data_loss_events", "blocked")
REQUESTS, PAGE_VIEWS, PROMPTS, DATA_LOSS, BLOCKED = range(len(_HOURLY))


class Before:
    """What happened before `--since`: counters per hour, and when each person and service was
    last seen."""

    __slots__ = ("earliest", "hours", "services", "users")

    def __init__(self) -> None:
        self.hours: dict[str, list[int]] = {}  # "2026-03-02T09" -> counts, indexed as _HOURLY
        self.users: dict[str, str] = {}  # person -> last time
        self.services: dict[str, str] = {}  # service key -> last time
        self.earliest = ""

    def hour(self, stamp: str) -> list[int]:
        counts = self.hours.get(stamp[:13])
        if counts is None:
            counts = self.hours[stamp[:13]] = [0] * len(_HOURLY)
        return counts

    def add(self, stamp: str, user: str, service: str) -> list[int]:
        """A request at `stamp`; returns its hour's counts for the caller to add to."""
        if not self.earliest or stamp < self.earliest:
            self.earliest = stamp
        if stamp > self.users.get(user, ""):
            self.users[user] = stamp
        if stamp > self.services.get(service, ""):
            self.services[service] = stamp
        counts = self.hour(stamp)
        counts[REQUESTS] += 1
        return counts

    def absorb(self, other: Before) -> None:
        """Add what `other` saw (a parallel report's part: `aigate.report.parallel`)."""
        for hour, theirs in other.hours.items():
            counts = self.hours.get(hour)
            if counts is None:
                self.hours[hour] = theirs
            else:
                for n, count in enumerate(theirs):
                    counts[n] += count
        for mine, theirs in ((self.users, other.users), (self.services, other.services)):
            for key, last in theirs.items():
                if last > mine.get(key, ""):
                    mine[key] = last
        if other.earliest and (not self.earliest or other.earliest < self.earliest):
            self.earliest = other.earliest

    def figures(self, start: str, first_in_period: str | None) -> dict[str, Any]:
        """The previous period's figures, from `start` to `--since`; `covered` is False when the
        logs begin after the day it starts (its figures are then partial)."""
        first = min(filter(None, (self.earliest, first_in_period)), default="")
        totals = [0] * len(_HOURLY)
        for hour, counts in self.hours.items():
            if hour >= start[:13]:
                for n, count in enumerate(counts):
                    totals[n] += count
        result: dict[str, Any] = {"covered": bool(first) and first[:10] <= start[:10]}
        result.update(zip(_HOURLY, totals, strict=True))
        result["users"] = sum(1 for last in self.users.values() if last >= start)
        result["services"] = sum(1 for key, last in self.services.items()
                                 if last >= start and not key.startswith(UNLISTED_PREFIX))
        return result


def previous_start(since: str, until: str | None, last: str | None) -> str | None:
    """The start of the previous period, as long as [since, end): `end` is `--until` (a date:
    the day after), else the day after the last request. None when the period is empty."""
    start = _parse(since)
    if until:
        end = _parse(until) + (dt.timedelta(days=1) if len(until) == 10 else dt.timedelta(0))
    elif last:
        end = _parse(last[:10]) + dt.timedelta(days=1)
    else:
        return None
    if end <= start:
        return None
    begin = start - (end - start)
    if len(since) == 10 and begin.time() == dt.time():  # whole days, written as `since` is
        return begin.date().isoformat()
    return begin.isoformat(timespec="seconds")


def change_percent(now: int, before: int) -> float | None:
    return round(100 * (now - before) / before, 1) if before else None


def _parse(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.removesuffix("Z")).replace(tzinfo=None)
