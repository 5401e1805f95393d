"""One pass over audit records into the report's counters, in memory bounded by what is counted
(services, groups, users, days, hosts), never by the number of records.

Only `decision` records count as AI usage (the `ack` record of an acknowledgement duplicates its
decision record). A decision record says what happened in `outcome` and what the policy decided in
`action`; in monitor mode the outcome is `monitored` and `action` and `dlp_action` are what
enforcement would have done. Records of unlisted AI endpoints (hosts outside the catalog that look
like a model API) carry `unlisted: true` (or `category: "unlisted"`), the pseudo-service
`unlisted-ai-endpoint` and the API shape in `endpoint`; the report counts them per host.
`websocket_message` records (one per client WebSocket message DLP flagged, on a WebSocket whose
opening request has its own decision record) are not requests: they have their own table.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from aigate.record.audit import WEBSOCKET_EVENT
from aigate.report.candidates import Candidates
from aigate.report.counters import (
    BLOCKS,
    BUCKETS,
    Activity,
    Filters,
    UserCounts,
    bucket_of,
    is_unlisted,
    until_bound,
)
from aigate.report.model import Cell, Report, Table

if TYPE_CHECKING:
    from aigate.policy.loaded import LoadedPolicy
    from aigate.report.read import ReadStats

DEFAULT_SESSION_GAP = 5 * 60.0
DEFAULT_OFFENDER_BLOCKS = 3
TREND_SERVICES = 8
MAX_TREND_DAYS = 400
UNLISTED_PATHS = 3
NO_GROUP = "(no group)"
_NO_GROUPS = (NO_GROUP,)
UNKNOWN = "(unknown)"
_EVERYTHING = Filters()  # no filter

class Aggregator:
    """Feed it records with `add` (or `add_all`), then `report()`; one pass, bounded memory."""

    def __init__(
        self,
        filters: Filters = _EVERYTHING,
        *,
        session_gap: float = DEFAULT_SESSION_GAP,
        offender_blocks: int = DEFAULT_OFFENDER_BLOCKS,
    ) -> None:
        self.since = filters.since
        self.until = until_bound(filters.until) if filters.until else None
        self.group = filters.group
        self.filters = filters
        self.gap = session_gap
        self.offender_blocks = offender_blocks
        self.records = 0
        self.decisions = 0
        self.skipped = 0  # outside the filters
        self.malformed = 0  # decision records without a usable time
        self.events: Counter[str] = Counter()
        self.dims: dict[str, defaultdict[str, Activity]] = {
            "service": defaultdict(Activity), "category": defaultdict(Activity),
            "group": defaultdict(Activity), "user": defaultdict(Activity),
        }
        self.service_meta: dict[str, tuple[str, str]] = {}  # service -> (category, host)
        self.day_requests: Counter[str] = Counter()
        self.day_users: defaultdict[str, set[str]] = defaultdict(set)
        self.service_days: Counter[tuple[str, str]] = Counter()
        self.user_services: defaultdict[str, set[str]] = defaultdict(set)
        self.actions: Counter[tuple[str, str]] = Counter()
        self.action_users: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
        self.service_actions: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.modes: Counter[str] = Counter()
        self.policy_versions: Counter[str] = Counter()
        self.with_body: Counter[str] = Counter()
        self.inspected: Counter[str] = Counter()
        self.unscanned: Counter[str] = Counter()
        self.findings: Counter[tuple[str, str]] = Counter()  # (class, service) -> findings
        self.finding_requests: Counter[tuple[str, str]] = Counter()
        self.finding_users: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
        self.offenders: defaultdict[str, UserCounts] = defaultdict(UserCounts)
        self.unlisted: defaultdict[str, Activity] = defaultdict(Activity)
        self.unlisted_paths: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.unlisted_apis: defaultdict[str, set[str]] = defaultdict(set)  # host -> API shapes
        self.unlisted_services: set[str] = set()  # service ids unlisted records carry
        self.candidates = Candidates()
        # (service, mode, dlp action, outcome) -> flagged WebSocket messages, their findings,
        # data classes and people; bounded by services x a few actions.
        self.ws_messages: Counter[tuple[str, str, str, str]] = Counter()
        self.ws_findings: Counter[tuple[str, str, str, str]] = Counter()
        self.ws_classes: defaultdict[tuple[str, str, str, str], set[str]] = defaultdict(set)
        self.ws_users: defaultdict[tuple[str, str, str, str], set[str]] = defaultdict(set)
        self.ws_last: dict[tuple[str, str, str, str], str] = {}
        self._day_epochs: dict[str, float] = {}

    # --- the pass -----------------------------------------------------------------------------

    def add_all(self, records: Iterable[dict[str, Any]]) -> None:
        add = self.add
        for record in records:
            add(record)

    def add(self, record: dict[str, Any]) -> None:
        self.records += 1
        event = record.get("event")
        if event != "decision":
            self.events[str(event)] += 1
            if event == "candidate":
                self._candidate(record)
            elif event == WEBSOCKET_EVENT:
                self._websocket(record)
            return
        stamp = record.get("time")
        epoch = self._epoch(stamp) if type(stamp) is str else None
        if epoch is None:
            self.malformed += 1
            return
        assert isinstance(stamp, str)
        if (self.since and stamp < self.since) or (self.until and stamp >= self.until):
            self.skipped += 1
            return
        groups = record.get("groups") or _NO_GROUPS
        if type(groups) is not list and groups is not _NO_GROUPS:
            groups = [str(groups)]  # a hand-edited log: a name instead of a list
        if self.group is not None and self.group not in groups:
            self.skipped += 1
            return
        self.decisions += 1
        day = stamp[:10]
        user = record.get("user")
        user = str(user) if user else (f"ip:{record['client_ip']}" if record.get("client_ip")
                                       else UNKNOWN)
        unlisted = is_unlisted(record)
        host = str(record.get("host") or UNKNOWN)
        # The proxy decides every unlisted endpoint as one pseudo-service: report them per host.
        service = f"unlisted:{host}" if unlisted else str(record.get("service") or UNKNOWN)
        category = str(record.get("category") or ("unlisted" if unlisted else UNKNOWN))
        if service not in self.service_meta:
            self.service_meta[service] = (category, host)
        key = bucket_of(record)
        bucket = key[1]
        blocked = bucket in BLOCKS
        gap = self.gap
        dims = self.dims
        dims["service"][service].add(user, day, epoch, stamp, gap, blocked)
        dims["category"][category].add(user, day, epoch, stamp, gap, blocked)
        dims["user"][user].add(user, day, epoch, stamp, gap, blocked)
        group_dim = dims["group"]
        for group in groups:
            group_dim[str(group)].add(user, day, epoch, stamp, gap, blocked)
        self.day_requests[day] += 1
        self.day_users[day].add(user)
        self.service_days[service, day] += 1
        self.user_services[user].add(service)
        self.modes[record.get("mode") or UNKNOWN] += 1
        self.policy_versions[str(record.get("policy_version"))] += 1

        self.actions[key] += 1
        self.action_users[key].add(user)
        self.service_actions[service][BUCKETS.get(key, bucket)] += 1

        inspected = record.get("inspected")
        if inspected is not None:
            self.with_body[service] += 1
            if inspected:
                self.inspected[service] += 1
            else:
                self.unscanned[str(record.get("unscanned_reason") or "unknown")] += 1
        findings = record.get("findings")
        if findings and type(findings) is list:
            for finding in findings:
                if type(finding) is not dict:
                    continue
                pair = (str(finding.get("class")), service)
                count = finding.get("count")
                self.findings[pair] += count if type(count) is int else 1
                self.finding_requests[pair] += 1
                self.finding_users[pair].add(user)
        if findings or blocked:
            counts = self.offenders[user]
            if findings:
                counts.findings += 1
            if blocked:
                if key[0] == "monitor":
                    counts.would_blocks += 1
                elif bucket == "blocked":
                    counts.blocks += 1
                else:
                    counts.data_blocks += 1
                counts.services.add(service)
            counts.last = max(counts.last, stamp)
        if unlisted:
            self.unlisted[host].add(user, day, epoch, stamp, gap)
            self.unlisted_services.add(service)
            endpoint = record.get("endpoint")
            if endpoint:
                self.unlisted_apis[host].add(str(endpoint))
            paths = self.unlisted_paths[host]
            path = str(record.get("path") or "/")
            if path in paths or len(paths) < UNLISTED_PATHS * 4:
                paths[path] += 1

    def _candidate(self, record: dict[str, Any]) -> None:
        stamp = record.get("time")
        if type(stamp) is not str or self._epoch(stamp) is None:
            self.malformed += 1
        elif (self.since and stamp < self.since) or (self.until and stamp >= self.until):
            self.skipped += 1
        elif self.group is None:  # a passed-through connection has no policy group
            self.candidates.add(record, stamp)

    def _websocket(self, record: dict[str, Any]) -> None:
        """A flagged WebSocket message: counted in its own table, never as a request."""
        stamp = record.get("time")
        if type(stamp) is not str or self._epoch(stamp) is None:
            self.malformed += 1
            return
        if (self.since and stamp < self.since) or (self.until and stamp >= self.until):
            self.skipped += 1
            return
        groups = record.get("groups") or _NO_GROUPS
        if type(groups) is not list and groups is not _NO_GROUPS:
            groups = [str(groups)]
        if self.group is not None and self.group not in groups:
            self.skipped += 1
            return
        user = record.get("user")
        user = str(user) if user else (f"ip:{record['client_ip']}" if record.get("client_ip")
                                       else UNKNOWN)
        unlisted = is_unlisted(record)
        host = str(record.get("host") or UNKNOWN)
        service = f"unlisted:{host}" if unlisted else str(record.get("service") or UNKNOWN)
        mode = "monitor" if record.get("mode") == "monitor" else "enforce"
        action = str(record.get("dlp_action") or ("error" if record.get("error_stage")
                                                  else UNKNOWN))
        key = (service, mode, action, str(record.get("outcome") or UNKNOWN))
        self.ws_messages[key] += 1
        self.ws_users[key].add(user)
        if stamp > self.ws_last.get(key, ""):
            self.ws_last[key] = stamp
        findings = record.get("findings")
        if findings and type(findings) is list:
            for finding in findings:
                if type(finding) is not dict:
                    continue
                count = finding.get("count")
                self.ws_findings[key] += count if type(count) is int else 1
                self.ws_classes[key].add(str(finding.get("class")))

    def _epoch(self, stamp: str) -> float | None:
        """Epoch seconds of an audit time (`2026-01-31T12:00:00.123Z`), None if unreadable.
        Days are converted once; the time of day is read from fixed positions."""
        try:
            base = self._day_epochs.get(stamp[:10])
            if base is None:
                day = dt.date.fromisoformat(stamp[:10])
                base = self._day_epochs[stamp[:10]] = float(calendar.timegm(day.timetuple()))
            return base + int(stamp[11:13]) * 3600 + int(stamp[14:16]) * 60 + int(stamp[17:19])
        except ValueError:
            return None

    # --- the result ---------------------------------------------------------------------------

    def report(self, policy: LoadedPolicy | None = None, stats: ReadStats | None = None) -> Report:
        """The tables and series. `policy` (the one to review) decides what counts as shadow AI."""
        days = self._days()
        services = self.dims["service"]
        top = sorted(services, key=lambda s: (-services[s].requests, s))[:TREND_SERVICES]
        every = sorted(self.dims["user"])
        summary: dict[str, Any] = {
            "first": min((a.first for a in services.values()), default=None),
            "last": max((a.last for a in services.values()), default=None),
            "requests": self.decisions,
            "users": len(every),
            "services": sum(1 for s in services if not s.startswith("unlisted:")),
            "unlisted_hosts": len(self.unlisted),
            "days": len(self.day_requests),
            "modes": dict(self.modes),
            "policy_versions": dict(self.policy_versions.most_common()),
            "records": self.records,
            "other_events": dict(self.events),
            "filtered_out": self.skipped,
            "records_without_time": self.malformed,
            "filters": {
                "since": self.filters.since,
                "until": self.filters.until,
                "group": self.filters.group,
            },
            "session_gap_minutes": self.gap / 60,
            "offender_blocks": self.offender_blocks,
            "policy": str(policy.path) if policy is not None and policy.path else None,
            "policy_version": policy.version if policy is not None else None,
        }
        if stats is not None:
            summary.update(files=stats.files, lines=stats.lines, bad_lines=stats.bad_lines)
        tables = [
            self._usage_table("services", "service", "Services", "AI services by requests."),
            self._usage_table("categories", "category", "Categories", "Catalog categories."),
            self._usage_table("groups", "group", "Groups", "Policy groups (a person may be in "
                              "several, so the groups add up to more than the total)."),
            self._usage_table("users", "user", "People", "People by requests (proxy user name, "
                              "or client address without proxy authentication)."),
            self._days_table(days),
            self._actions_table(),
            self._actions_by_service_table(),
            self._findings_table(),
            self._websocket_table(),
            self._coverage_table(),
            self._offenders_table(),
            self._shadow_table(policy),
            self._unlisted_table(),
            self.candidates.table(policy),
        ]
        return Report(
            summary=summary,
            tables={t.name: t for t in tables},
            days=days,
            daily_requests=[self.day_requests.get(d, 0) for d in days],
            daily_users=[len(self.day_users.get(d, ())) for d in days],
            service_trend={s: [self.service_days.get((s, d), 0) for d in days] for s in top},
            action_totals=[
                (label, self.actions[key]) for key, label in BUCKETS.items() if self.actions[key]
            ],
            problems=list(stats.problems) if stats is not None else [],
        )

    def _days(self) -> list[str]:
        """Every day from the first to the last (so gaps show as zero), unless the span is huge."""
        present = sorted(self.day_requests)
        if not present:
            return []
        first, last = dt.date.fromisoformat(present[0]), dt.date.fromisoformat(present[-1])
        span = (last - first).days + 1
        if span > MAX_TREND_DAYS:
            return present
        return [(first + dt.timedelta(days=n)).isoformat() for n in range(span)]

    def _usage_table(self, name: str, dim: str, title: str, note: str) -> Table:
        activities = self.dims[dim]
        rows: list[tuple[Cell, ...]] = []
        for key in sorted(activities, key=lambda k: (-activities[k].requests, k)):
            a = activities[key]
            row: tuple[Cell, ...] = (
                key, a.requests, len(a.users), len(a.days), _hours(a.active_seconds()),
                a.blocks, a.first, a.last,
            )
            if dim == "service":
                row = (key, self.service_meta[key][0], *row[1:])
            rows.append(row)
        columns: tuple[str, ...] = (
            dim, "requests", "users", "active_days", "active_hours", "blocked", "first", "last"
        )
        if dim == "service":
            columns = ("service", "category", *columns[1:])
        if dim == "user":
            columns = ("user", "requests", "services", "active_days", "active_hours", "blocked",
                       "first", "last")
            rows = [(r[0], r[1], len(self.user_services[str(r[0])]), *r[3:]) for r in rows]
        return Table(name, title, note, columns, rows)

    def _days_table(self, days: list[str]) -> Table:
        rows: list[tuple[Cell, ...]] = [
            (d, self.day_requests.get(d, 0), len(self.day_users.get(d, ()))) for d in days
        ]
        return Table("days", "Trend", "Requests and people per day (UTC).",
                     ("day", "requests", "users"), rows)

    def _actions_table(self) -> Table:
        rows: list[tuple[Cell, ...]] = []
        for key, label in BUCKETS.items():
            if self.actions[key]:
                rows.append((key[0], label, self.actions[key], len(self.action_users[key])))
        for key, count in sorted(self.actions.items()):
            if key not in BUCKETS:
                rows.append((key[0], key[1], count, len(self.action_users[key])))
        return Table("actions", "Actions", "Requests by what the policy did (mode 'monitor': what "
                     "it would have done).", ("mode", "action", "requests", "users"), rows)

    def _actions_by_service_table(self) -> Table:
        labels = [label for key, label in BUCKETS.items() if self.actions[key]]
        labels += sorted({k for c in self.service_actions.values() for k in c} - set(labels))
        services = self.dims["service"]
        rows: list[tuple[Cell, ...]] = [
            (s, services[s].requests, *(self.service_actions[s].get(label, 0) for label in labels))
            for s in sorted(services, key=lambda s: (-services[s].requests, s))
        ]
        return Table("actions_by_service", "Actions by service", "Requests per service and "
                     "action.", ("service", "requests", *labels), rows)

    def _findings_table(self) -> Table:
        rows: list[tuple[Cell, ...]] = [
            (data_class, service, count, self.finding_requests[data_class, service],
             len(self.finding_users[data_class, service]))
            for (data_class, service), count in sorted(
                self.findings.items(), key=lambda item: (-item[1], item[0])
            )
        ]
        return Table("findings", "Findings", "Sensitive data found, by data class and service.",
                     ("class", "service", "findings", "requests", "users"), rows)

    def _websocket_table(self) -> Table:
        rows: list[tuple[Cell, ...]] = [
            (*key, count, len(self.ws_users[key]), self.ws_findings[key],
             ", ".join(sorted(self.ws_classes[key])), self.ws_last[key])
            for key, count in sorted(self.ws_messages.items(), key=lambda i: (-i[1], i[0]))
        ]
        return Table(
            "websocket", "Flagged WebSocket messages",
            "Client messages on AI WebSockets (realtime and voice apps) that the DLP rules "
            "blocked (outcome 'dropped'), redacted, warned about or logged with findings; "
            "clean messages are not recorded. In monitor mode nothing was enforced.",
            ("service", "mode", "dlp_action", "outcome", "messages", "users", "findings",
             "classes", "last"),
            rows,
        )

    def _coverage_table(self) -> Table:
        rows: list[tuple[Cell, ...]] = []
        total_body = sum(self.with_body.values())
        total_inspected = sum(self.inspected.values())
        for service in sorted(self.with_body, key=lambda s: (-self.with_body[s], s)):
            body, inspected = self.with_body[service], self.inspected[service]
            rows.append((service, body, inspected, _percent(inspected, body)))
        if rows:
            rows.append(("(all)", total_body, total_inspected,
                         _percent(total_inspected, total_body)))
        reasons = ", ".join(f"{r}: {n}" for r, n in self.unscanned.most_common())
        note = ("Requests with a body that could be inspected. "
                + (f"Not inspected: {reasons}." if reasons else ""))
        return Table("coverage", "Inspection coverage", note.strip(),
                     ("service", "requests_with_body", "inspected", "coverage_percent"), rows)

    def _offenders_table(self) -> Table:
        rows: list[tuple[Cell, ...]] = []
        for user, c in self.offenders.items():
            blocks = c.blocks + c.data_blocks
            if blocks >= self.offender_blocks or c.would_blocks >= self.offender_blocks:
                rows.append((user, blocks, c.blocks, c.data_blocks, c.would_blocks, c.findings,
                             ", ".join(sorted(c.services)), c.last))
        rows.sort(key=lambda r: (-int(r[1] or 0), -int(r[4] or 0), str(r[0])))
        return Table(
            "offenders", "Repeated blocks",
            f"People blocked at least {self.offender_blocks} times, or who would have been in "
            "monitor mode; 'blocks' counts enforced blocks only.",
            ("user", "blocks", "policy_blocks", "data_blocks", "would_be_blocks",
             "requests_with_findings", "services", "last"),
            rows,
        )

    def _shadow_table(self, policy: LoadedPolicy | None) -> Table:
        rows: list[tuple[Cell, ...]] = []
        if policy is not None:
            named = named_by_policy(policy)
            for service, a in self.dims["service"].items():
                entry = policy.catalog.get(service)
                if (entry is None or service in self.unlisted_services
                        or entry.id in named[0] or entry.category in named[1]):
                    continue  # unlisted endpoints have their own list
                rule = policy.base_resolution(entry).rule
                rows.append((service, entry.name, entry.category, len(a.users), a.requests,
                             f"{rule.rule_id}: {rule.action}", a.first, a.last))
        rows.sort(key=lambda r: (-int(r[3] or 0), -int(r[4] or 0), str(r[0])))
        return Table(
            "shadow", "Services the policy does not name",
            "AI services in use that no `services`, `categories` or `exceptions` entry of the "
            "policy names; 'falls to' is the rule that decides them today.",
            ("service", "name", "category", "users", "requests", "falls_to", "first", "last"),
            rows,
        )

    def _unlisted_table(self) -> Table:
        rows: list[tuple[Cell, ...]] = []
        for host, a in self.unlisted.items():
            paths = ", ".join(p for p, _ in self.unlisted_paths[host].most_common(UNLISTED_PATHS))
            apis = ", ".join(sorted(self.unlisted_apis.get(host, ())))
            rows.append((host, len(a.users), a.requests, len(a.days), apis, paths, a.first,
                         a.last))
        rows.sort(key=lambda r: (-int(r[1] or 0), -int(r[2] or 0), str(r[0])))
        return Table(
            "unlisted", "Unlisted AI endpoints",
            "Hosts outside the catalog whose requests look like a model API.",
            ("host", "users", "requests", "active_days", "api", "paths", "first", "last"),
            rows,
        )


def named_by_policy(policy: LoadedPolicy) -> tuple[frozenset[str], frozenset[str]]:
    """(service ids, categories) the policy names in `services`, `categories` or `exceptions`."""
    p = policy.policy
    services = set(p.services)
    categories = set(p.categories)
    for exception in p.exceptions:
        services.update(exception.services)
        categories.update(exception.categories)
    return frozenset(services), frozenset(categories)


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
