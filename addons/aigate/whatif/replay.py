"""What-if before rollout: re-decide recorded requests under another policy (`aigate replay`).

Each `decision` record of the audit log carries what re-deciding needs: host, path (without
query), method, user and client address. The requester's groups are recomputed from the user and
address under the new policy (group membership is policy data too), the request is classified
again with the new policy's catalog (so a service the new catalog adds shows up), and `decide`
runs as in the proxy. The DLP rules of the new policy are applied again to the findings recorded
with the request (detector and data class are recorded; values never are); a request the old
policy never inspected has no recorded findings, so its new outcome is the access decision alone.

Records stream through: memory grows with the number of distinct (service, old, new) rows and
their users, not with the log. Other records (acknowledgements, policy and error events) and
lines that are not JSON are counted and skipped. So are `websocket_message` records: the log
holds only the WebSocket messages the old rules flagged (clean ones are counted, not recorded),
so re-deciding them would show tightening rules nothing, and the WebSocket's opening request is
replayed through its own decision record.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from aigate.actions import FORWARDED_ACCESS, STRICTNESS, final_action
from aigate.decide import RequestFacts
from aigate.endpoints import SHAPES_BY_ID, unlisted_service
from aigate.inspect.policy import dlp_action
from aigate.inspect.result import CONFIDENCE_RANK, Finding
from aigate.policy.loaded import LoadedPolicy
from aigate.verdict import decide_request

DECISION_EVENT = "decision"
_NEVER_STOPPED = ("allow", "passthrough")  # the same in monitor and enforce mode


@dataclass(frozen=True, slots=True)
class Move:
    """Requests of one service whose outcome moves from `old` to `new`."""

    service: str | None
    old: str
    new: str
    requests: int
    users: int


@dataclass(slots=True)
class Summary:
    """What a policy change does to the recorded requests."""

    decisions: int = 0  # decision records replayed
    changed: int = 0
    changed_users: int = 0
    skipped: int = 0  # other records: acknowledgements, WebSocket messages, policy, errors
    malformed: int = 0  # lines that are not a JSON object, or decisions without a host
    outside: int = 0  # decision records outside --since/--until
    moves: list[Move] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "decisions": self.decisions,
            "changed": self.changed,
            "unchanged": self.decisions - self.changed,
            "changed_users": self.changed_users,
            "skipped_records": self.skipped,
            "malformed_lines": self.malformed,
            "outside_window": self.outside,
            "changes": [
                {
                    "service": m.service,
                    "old": m.old,
                    "new": m.new,
                    "requests": m.requests,
                    "users": m.users,
                }
                for m in self.moves
            ],
        }


class Replay:
    """Feed records with `add`; `summary()` tallies the requests whose outcome moves."""

    def __init__(
        self, policy: LoadedPolicy, since: str | None = None, until: str | None = None
    ) -> None:
        self.policy = policy
        self.since = since  # record times compare as text: both are `rfc3339` strings
        self.until = until
        self._summary = Summary()
        self._rows: dict[tuple[str | None, str, str], tuple[int, set[str]]] = {}
        self._users: set[str] = set()

    def add_line(self, line: bytes | str) -> None:
        """One line of an audit log (blank lines and torn writes are tolerated)."""
        if not line.strip():
            return
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            self._summary.malformed += 1
            return
        if not isinstance(record, dict):
            self._summary.malformed += 1
            return
        self.add(record)

    def add(self, record: dict[str, Any]) -> None:
        summary = self._summary
        if record.get("event") != DECISION_EVENT:
            summary.skipped += 1
            return
        host = record.get("host")
        if not isinstance(host, str) or not host:
            summary.malformed += 1
            return
        time = record.get("time") or ""
        if (self.since and time < self.since) or (self.until and time >= self.until):
            summary.outside += 1
            return
        summary.decisions += 1
        old = _old_outcome(record)
        service, new = self._new_outcome(record, host)
        if new == old:
            return
        summary.changed += 1
        who = _requester(record)
        key = (service or record.get("service"), old, new)
        count, users = self._rows.get(key, (0, set()))
        users.add(who)
        self._rows[key] = (count + 1, users)
        self._users.add(who)

    def summary(self) -> Summary:
        """The tally so far; rows sorted by requests, most first."""
        moves = [
            Move(service, old, new, count, len(users))
            for (service, old, new), (count, users) in self._rows.items()
        ]
        moves.sort(key=lambda m: (-m.requests, -m.users, m.service or "", m.old, m.new))
        self._summary.moves = moves
        self._summary.changed_users = len(self._users)
        return self._summary

    def _new_outcome(self, record: dict[str, Any], host: str) -> tuple[str | None, str]:
        policy = self.policy
        user, client_ip = record.get("user"), record.get("client_ip")
        facts = RequestFacts(
            host=host,
            path=record.get("path") or "/",
            method=record.get("method") or "GET",
            user=user,
            groups=policy.groups_for(user, client_ip),
            client_ip=client_ip,
        )
        # An unlisted AI endpoint is outside every catalog: decide it as the pseudo-service again.
        shape = SHAPES_BY_ID.get(record.get("endpoint") or "")
        pseudo = (
            unlisted_service(shape)
            if shape is not None and policy.policy.unlisted_endpoints.detect
            else None
        )
        decision = decide_request(policy, facts, service=pseudo)
        service = decision.service
        action: str = decision.action
        findings = record.get("findings") or ()
        dlp = policy.policy.dlp
        if service is not None and findings and action in FORWARDED_ACCESS and dlp.enabled:
            verdict = dlp_action(
                dlp,
                [_finding(f) for f in findings if isinstance(f, dict)],
                service=service.id,
                category=service.category,
                groups=facts.groups,
            )
            action = final_action(action, verdict.action)
        return (service.id if service else None), _label(action, decision.enforced)


def _old_outcome(record: dict[str, Any]) -> str:
    action = str(record.get("action") or "passthrough")
    dlp = record.get("dlp_action")
    if action in STRICTNESS and dlp in STRICTNESS:  # a hand-edited log may hold anything
        action = final_action(action, str(dlp))
    return _label(action, record.get("mode", "enforce") != "monitor")


def _label(action: str, enforced: bool) -> str:
    """`block`, or `block (monitor)` when recorded but not enforced; allow is allow either way."""
    return action if enforced or action in _NEVER_STOPPED else f"{action} (monitor)"


def _requester(record: dict[str, Any]) -> str:
    """Who made a request: the user, else the client address (unauthenticated proxies)."""
    user = record.get("user")
    if user:
        return f"user:{user}"
    return f"ip:{record.get('client_ip') or '-'}"


def _finding(recorded: dict[str, Any]) -> Finding:
    """A recorded finding (detector, class, confidence) as the DLP rules read it. Records from
    before confidence was recorded count as `validated`: replay never understates a block."""
    confidence = recorded.get("confidence")
    if confidence not in CONFIDENCE_RANK:
        confidence = "validated"
    return Finding(str(recorded.get("detector")), recorded.get("class"), 0, 0, confidence, "", "")  # type: ignore[arg-type]


def read_lines(paths: Iterable[str | Path]) -> Iterator[bytes]:
    """The lines of audit logs, one at a time; `.gz` files (or gzip content) are decompressed."""
    for path in paths:
        with _open(Path(path)) as file:
            yield from file


def _open(path: Path) -> IO[bytes]:
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else path.open("rb")


def parse_time(text: str) -> str:
    """A `--since`/`--until` date or time (ISO 8601; UTC unless it names a zone) in the audit
    log's time format, so record times compare as strings; ValueError for anything else."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
