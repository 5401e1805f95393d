"""Candidate AI services not in the catalog: the hosts the proxy passed through whose names look
like AI (`candidate` audit records, see `aigate.candidates`), per host with people and
connections, so the catalog can follow what people actually use."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from aigate.report.counters import Sample
from aigate.report.model import Cell, Table

if TYPE_CHECKING:
    from aigate.policy.loaded import LoadedPolicy
    from aigate.report.read import AuditRecord

HOSTS_LIMIT = 100_000  # bounded memory on a hostile or huge log (see `Candidates.connections`)


class Candidates:
    def __init__(self) -> None:
        # Past HOSTS_LIMIT hosts, those of the smallest hash are kept: the same hosts whatever
        # the order of the records, so the parts of a parallel report merge exactly.
        self.connections = Sample(HOSTS_LIMIT, self._forget)
        self.users: defaultdict[str, set[str]] = defaultdict(set)
        self.hints: dict[str, str] = {}
        self.first: dict[str, str] = {}
        self.last: dict[str, str] = {}

    def add(self, record: AuditRecord, stamp: str) -> None:
        host = record.host
        if type(host) is not str or not host or not self.connections.add(host):
            return
        user = record.user or (f"ip:{record.client_ip}" if record.client_ip else "unknown")
        self.users[host].add(str(user))
        self._first(host, stamp, str(record.hint or ""))
        if stamp > self.last.get(host, ""):
            self.last[host] = stamp

    def _first(self, host: str, stamp: str, hint: str) -> None:
        """The earliest time, with the hint of its record (the least if several): the same
        whatever order the records came in."""
        first = self.first.get(host)
        if first is None or stamp < first or (stamp == first and hint < self.hints[host]):
            self.first[host] = stamp
            self.hints[host] = hint

    def _forget(self, host: str) -> None:
        del self.users[host], self.hints[host], self.first[host], self.last[host]

    def absorb(self, other: Candidates) -> None:
        """Add the connections of `other` (a parallel report's part)."""
        for host, count in other.connections.counts.items():
            if self.connections.add(host, count):
                self.users[host] |= other.users[host]
                self._first(host, other.first[host], other.hints[host])
                if other.last[host] > self.last.get(host, ""):
                    self.last[host] = other.last[host]

    def table(self, policy: LoadedPolicy | None) -> Table:
        """Ranked by people; hosts the given policy's catalog now knows are left out."""
        rows: list[tuple[Cell, ...]] = []
        for host, count in self.connections.counts.items():
            if policy is not None and policy.classifier.may_be_ai(host):
                continue
            rows.append(
                (
                    host,
                    len(self.users[host]),
                    count,
                    self.hints[host],
                    self.first[host],
                    self.last[host],
                )
            )
        rows.sort(key=lambda r: (-int(r[1] or 0), -int(r[2] or 0), str(r[0])))
        return Table(
            "candidates",
            "Candidate AI services not in the catalog",
            "Hosts passed through undecrypted whose names look like AI services the catalog lacks "
            "(by name only: review them, then add the real ones with a catalog file).",
            ("host", "users", "connections", "why", "first", "last"),
            rows,
        )
