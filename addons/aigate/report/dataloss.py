"""Data-loss events: requests and WebSocket messages in which aigate found sensitive data, per
kind (data class, detector, service) with what aigate did, and the newest one by one.

What aigate did is read from the record (`counters.data_action`): blocked, redacted, warned or
logged, and in monitor mode what it would have done. Memory stays bounded: the kinds are bounded
by detectors x services, and only the newest `INCIDENTS_LIMIT` incidents are kept (a heap; of
incidents at the same time, the greatest rows: the same whatever order the records came in).
Never the values: the records carry the kind of data and a count, no text.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from aigate.report.counters import DATA_ACTIONS, data_action
from aigate.report.model import Cell, Table
from aigate.report.read import UNKNOWN

if TYPE_CHECKING:
    from aigate.report.read import AuditRecord

INCIDENTS_LIMIT = 200  # the newest data-loss events listed one by one


class Kind:
    """The events of one (data class, detector, service): how many, by whom, and what aigate
    did with them."""

    __slots__ = ("actions", "events", "findings", "last", "users")

    def __init__(self) -> None:
        self.events = 0
        self.findings = 0
        self.users: set[str] = set()
        self.actions: Counter[str] = Counter()
        self.last = ""


class DataLoss:
    def __init__(self) -> None:
        self.kinds: dict[tuple[str, str, str], Kind] = {}
        self.actions: Counter[str] = Counter()  # what aigate did -> events
        self.users: set[str] = set()
        self.incidents: list[tuple[str, tuple[str, ...]]] = []  # heap: the newest kept

    @property
    def events(self) -> int:
        return sum(self.actions.values())

    def add(
        self, record: AuditRecord, findings: list[Any], stamp: str, user: str,
        groups: Sequence[str], service: str, channel: str,
    ) -> str:
        """One request or WebSocket message (`channel`) with findings; returns what aigate did."""
        action = data_action(record)
        self.actions[action] += 1
        self.users.add(user)
        found: dict[tuple[str, str], int] = {}
        for finding in findings:
            if type(finding) is not dict:
                continue
            count = finding.get("count")
            pair = (str(finding.get("class") or UNKNOWN), str(finding.get("detector") or UNKNOWN))
            found[pair] = found.get(pair, 0) + (count if type(count) is int else 1)
        for (data_class, detector), count in found.items():
            kind = self.kinds.get((data_class, detector, service))
            if kind is None:
                kind = self.kinds[data_class, detector, service] = Kind()
            kind.events += 1
            kind.findings += count
            kind.users.add(user)
            kind.actions[action] += 1
            if stamp > kind.last:
                kind.last = stamp
        if len(self.incidents) >= INCIDENTS_LIMIT and stamp < self.incidents[0][0]:
            return action  # older than every incident kept
        data = ", ".join(f"{detector} ({data_class})" + (f" x{count}" if count > 1 else "")
                         for (data_class, detector), count in found.items())
        row = (stamp, user, ", ".join(groups), service, data, action, channel,
               str(record.dlp_rule or ""))
        self._keep((stamp, row))
        return action

    def _keep(self, incident: tuple[str, tuple[str, ...]]) -> None:
        if len(self.incidents) < INCIDENTS_LIMIT:
            heapq.heappush(self.incidents, incident)
        elif incident > self.incidents[0]:
            heapq.heapreplace(self.incidents, incident)

    def absorb(self, other: DataLoss) -> None:
        """Add the events of `other` (a parallel report's part: `aigate.report.parallel`)."""
        for key, theirs in other.kinds.items():
            kind = self.kinds.get(key)
            if kind is None:
                self.kinds[key] = theirs
                continue
            kind.events += theirs.events
            kind.findings += theirs.findings
            kind.users |= theirs.users
            kind.actions.update(theirs.actions)
            kind.last = max(kind.last, theirs.last)
        self.actions.update(other.actions)
        self.users |= other.users
        for incident in other.incidents:
            self._keep(incident)

    def incidents_table(self) -> Table:
        rows: list[tuple[Cell, ...]] = [row for _, row in sorted(self.incidents, reverse=True)]
        return Table(
            "incidents", "Data-loss incidents",
            f"The newest {INCIDENTS_LIMIT} requests and WebSocket messages with sensitive data, "
            "newest first: what kind (detector and class, with how many), to which service, by "
            "whom and what aigate did (in monitor mode: what it would have done). Never the "
            "values.",
            ("time", "user", "groups", "service", "data", "action", "channel", "rule"),
            rows,
        )

    def kinds_table(self) -> Table:
        rows: list[tuple[Cell, ...]] = [
            (data_class, detector, service, k.events, k.findings, len(k.users),
             *(k.actions[action] for action in DATA_ACTIONS),
             k.events - sum(k.actions[action] for action in DATA_ACTIONS), k.last)
            for (data_class, detector, service), k in sorted(
                self.kinds.items(), key=lambda item: (-item[1].events, item[0])
            )
        ]
        return Table(
            "findings", "Sensitive data by kind",
            "Requests and WebSocket messages with sensitive data (events), by data class, "
            "detector and service, and what aigate did with them; 'monitor only': in monitor "
            "mode they would have been blocked, redacted or warned, and were only logged.",
            ("class", "detector", "service", "events", "findings", "users", *DATA_ACTIONS,
             "monitor_only", "last"),
            rows,
        )
