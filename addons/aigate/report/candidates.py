"""Candidate AI services not in the catalog: the hosts the proxy passed through whose names look
like AI (`candidate` audit records, see `aigate.candidates`), per host with people and
connections, so the catalog can follow what people actually use."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from aigate.report.model import Cell, Table

if TYPE_CHECKING:
    from aigate.policy.loaded import LoadedPolicy
    from aigate.report.read import AuditRecord

HOSTS_LIMIT = 100_000  # bounded memory on a hostile or huge log


class Candidates:
    def __init__(self) -> None:
        self.connections: defaultdict[str, int] = defaultdict(int)
        self.users: defaultdict[str, set[str]] = defaultdict(set)
        self.hints: dict[str, str] = {}
        self.first: dict[str, str] = {}
        self.last: dict[str, str] = {}

    def add(self, record: AuditRecord, stamp: str) -> None:
        host = record.host
        if type(host) is not str or not host:
            return
        if host not in self.connections and len(self.connections) >= HOSTS_LIMIT:
            return
        user = record.user or (f"ip:{record.client_ip}" if record.client_ip else "unknown")
        self.connections[host] += 1
        self.users[host].add(str(user))
        self.hints.setdefault(host, str(record.hint or ""))
        if host not in self.first or stamp < self.first[host]:
            self.first[host] = stamp
        if stamp > self.last.get(host, ""):
            self.last[host] = stamp

    def table(self, policy: LoadedPolicy | None) -> Table:
        """Ranked by people; hosts the given policy's catalog now knows are left out."""
        rows: list[tuple[Cell, ...]] = []
        for host, count in self.connections.items():
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
