"""One pass over audit records into the report's counters, in memory bounded by what is counted
(services, groups, users, days, hosts), never by the number of records.

Only `decision` records count as AI usage (the `ack` record of an acknowledgement duplicates its
decision record). A decision record says what happened in `outcome` and what the policy decided in
`action`; in monitor mode the outcome is `monitored` and `action` and `dlp_action` are what
enforcement would have done. Records of unlisted AI endpoints (hosts outside the catalog that look
like a model API) carry `unlisted: true` (or `category: "unlisted"`), the pseudo-service
`unlisted-ai-endpoint` and the API shape in `endpoint`; the report counts them per host.
`websocket_message` records (one per client WebSocket message DLP flagged, on a WebSocket whose
opening request has its own decision record) are not requests: they have their own table, and
those with findings are data-loss events like requests with findings (see `dataloss`).

Requests to aigate's own endpoints (the warn page's acknowledgement) are not AI usage: they count
only as actions. Of the requests, page views and prompts are counted apart (see `counters`).

With `--since`, records before it are not in the figures but feed the previous period (as long as
the period, immediately before it) in counters per hour, person and service: its figures, the
change against it and the services first seen in the period.

The pass is what the report's speed is made of, so a record does little: it counts in the track
of its person on its service (`counters.Track`, found with one lookup), whose counts go to the
service's, category's, person's and groups' counters when its day changes and at the end.
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
    AIGATE_PATHS,
    BLOCKS,
    BUCKETS,
    MIN_SESSION,
    Activity,
    Filters,
    Sample,
    Track,
    UserCounts,
    is_page_view,
    is_unlisted,
    mode_and_bucket,
    until_bound,
)
from aigate.report.dataloss import DataLoss
from aigate.report.model import Cell, Report, Table
from aigate.report.period import (
    BLOCKED,
    DATA_LOSS,
    FIGURE_LABELS,
    FIGURES,
    PAGE_VIEWS,
    PROMPTS,
    Before,
    change_percent,
    previous_start,
)
from aigate.report.read import UNKNOWN, AuditRecord
from aigate.report.services import (
    APPROVED,
    NOT_IN_POLICY,
    STATUSES,
    UNLISTED_PREFIX,
    ServiceInfo,
    describe_services,
)

if TYPE_CHECKING:
    from aigate.policy.loaded import LoadedPolicy
    from aigate.report.read import ReadStats

DEFAULT_SESSION_GAP = 5 * 60.0
DEFAULT_OFFENDER_BLOCKS = 3
TREND_SERVICES = 8
MAX_TREND_DAYS = 400
UNLISTED_PATHS = 3
UNLISTED_PATHS_KEPT = 64  # distinct paths counted per unlisted host (see `counters.Sample`)
NO_GROUP = "(no group)"
_NO_GROUPS = (NO_GROUP,)
_EVERYTHING = Filters()  # no filter


class Day:
    """One day's requests, page views, prompts, data-loss events and people."""

    __slots__ = ("data_loss", "page_views", "prompts", "requests", "users")

    def __init__(self) -> None:
        self.requests = 0
        self.page_views = 0
        self.prompts = 0
        self.data_loss = 0
        self.users: set[str] = set()


NO_DAY = Day()  # a day without any


class Aggregator:
    """Feed it records with `add_records` (as `read.read_records` decodes them) or `add` and
    `add_all` (decoded into dicts), then `report()`; one pass, bounded memory."""

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
        # service -> (time, category, host) of its earliest new track (`_met`)
        self.service_meta: dict[str, tuple[str, str, str]] = {}
        self.days: defaultdict[str, Day] = defaultdict(Day)
        self.service_days: Counter[tuple[str, str]] = Counter()
        self.actions: Counter[tuple[str, str]] = Counter()  # summed from service_actions
        self.action_users: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
        # Counted per record, so in dicts rather than Counters (a Counter's `+=` costs 3x: it
        # defines __delitem__ in Python, so every item assignment goes through Python).
        # service -> (mode, bucket) -> requests (and acknowledgements)
        self.service_actions: defaultdict[str, defaultdict[tuple[str, str], int]] = defaultdict(
            _counts)
        self.modes: defaultdict[tuple[str, str], int] = defaultdict(int)  # (mode, version) -> n
        self.with_body: Counter[str] = Counter()
        self.inspected: Counter[str] = Counter()
        self.unscanned: Counter[str] = Counter()
        self.own = 0  # requests to aigate's own endpoints
        self.group_services: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.data_loss = DataLoss()  # requests and WebSocket messages with findings
        self.before = Before()  # before --since: the previous period's counters
        self.offenders: defaultdict[str, UserCounts] = defaultdict(UserCounts)
        self.unlisted: defaultdict[str, Activity] = defaultdict(Activity)
        self.unlisted_paths: defaultdict[str, Sample] = defaultdict(_path_sample)
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
        # (user, service) -> the activities their requests count in (see `counters.Track`)
        self.tracks: dict[tuple[str, str], Track] = {}
        self._day_epochs: dict[str, float] = {}
        self._minute = ""  # of the last time read, and its epoch seconds
        self._minute_epoch = 0.0

    # --- the pass -----------------------------------------------------------------------------

    def add_all(self, records: Iterable[dict[str, Any]]) -> None:
        """Records decoded into dicts."""
        self.add_records(map(AuditRecord.of, records))

    def add(self, record: dict[str, Any]) -> None:
        """A record decoded into a dict."""
        self.add_record(AuditRecord.of(record))

    def add_records(self, records: Iterable[AuditRecord]) -> None:
        """Records as `read.read_records` decodes them.

        The pass is one loop, with what it reads of the aggregator in locals and the usual
        case of `_groups_of`, `person_of` and `counters.extend` inlined: this runs for every
        record."""
        since, until, group, gap = self.since, self.until, self.group, self.gap
        tracks, service_actions, action_users = self.tracks, self.service_actions, self.action_users
        unscanned, offenders = self.unscanned, self.offenders
        epoch_of = self._epoch
        for record in records:
            self.records += 1
            event = record.event
            if event != "decision":
                self.events[str(event)] += 1
                if event == "candidate":
                    self._candidate(record)
                elif event == WEBSOCKET_EVENT:
                    self._websocket(record)
                continue
            stamp = record.time
            if type(stamp) is not str:
                self.malformed += 1
                continue
            epoch = epoch_of(stamp)
            if epoch is None:
                self.malformed += 1
                continue
            if (since and stamp < since) or (until and stamp >= until):
                self.skipped += 1
                if since and stamp < since:
                    self._before(record, stamp)
                continue
            groups = record.groups or _NO_GROUPS
            if type(groups) is not list and groups is not _NO_GROUPS:
                groups = [str(groups)]  # a hand-edited log: a name instead of a list
            if group is not None and group not in groups:
                self.skipped += 1
                continue
            day = stamp[:10]
            user = record.user
            user = str(user) if user else (f"ip:{record.client_ip}" if record.client_ip
                                           else UNKNOWN)
            path = record.path
            if type(path) is not str:
                path = "/"
            key = mode_and_bucket(record.outcome, record.dlp_action, record.mode, record.action)
            bucket = key[1]
            category = record.category
            unlisted = category == "unlisted" or record.unlisted is True
            host = str(record.host or UNKNOWN)
            # The proxy decides every unlisted endpoint as one pseudo-service: per host here.
            service = (f"{UNLISTED_PREFIX}{host}" if unlisted
                       else str(record.service or UNKNOWN))
            if bucket == "acknowledged" or path.startswith(AIGATE_PATHS):
                self.own += 1  # the warn page's acknowledgement: an action, not AI usage
                service_actions[service][key] += 1
                action_users[key].add(user)
                continue
            self.decisions += 1
            category = str(category or ("unlisted" if unlisted else UNKNOWN))
            blocked = bucket in BLOCKS
            inspected = record.inspected
            track = tracks.get((user, service))
            if track is None or track.category != category or track.groups != groups:
                track = self._track(user, service, category, groups, host, stamp, epoch)
            if day != track.day:
                self._new_day(service, track, day)
            track.requests += 1
            if inspected is not None:  # it sent content aigate could inspect: a prompt
                track.prompts += 1
                if inspected:
                    track.inspected += 1
                else:
                    unscanned[str(record.unscanned_reason or "unknown")] += 1
            elif _page_view(record, path, category):
                track.page_views += 1
            if blocked:
                track.blocks += 1
            if stamp > track.last:
                track.last = stamp
            elif stamp < track.first:
                track.first = stamp
            for session in track.sessions:  # `counters.extend`
                last = session[1]
                if epoch >= last:  # the usual case, in time order: start <= last <= epoch
                    if epoch <= last + gap:
                        session[1] = epoch
                        continue
                elif session[0] - gap <= epoch <= last + gap:
                    if epoch < session[0]:
                        session[0] = epoch
                    continue
                session[2] += max(last - session[0], MIN_SESSION)
                session[0] = session[1] = epoch
            # its action and policy mode and version, counted in the track until it flushes
            tally = (key, record.mode or UNKNOWN, str(record.policy_version))
            tallies = track.tallies
            tallies[tally] = tallies.get(tally, 0) + 1
            findings = record.findings
            findings = findings if findings and type(findings) is list else None
            if findings:
                self._data_loss(record, findings, stamp, user, groups, service, "request")
                track.data_loss += 1
            if findings or blocked:
                counts = offenders[user]
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
                self._unlisted(record, user, host, service, path, day, epoch, stamp)

    def add_record(self, record: AuditRecord) -> None:
        """One record as `read.read_records` decodes it."""
        self.add_records((record,))

    def _unlisted(
        self, record: AuditRecord, user: str, host: str, service: str, path: str, day: str,
        epoch: float, stamp: str,
    ) -> None:
        """A request to an unlisted AI endpoint: counted per host too."""
        self.unlisted[host].add(user, day, epoch, stamp, self.gap)
        self.unlisted_services.add(service)
        endpoint = record.endpoint
        if endpoint:
            self.unlisted_apis[host].add(str(endpoint))
        self.unlisted_paths[host].add(path)

    def _track(
        self, user: str, service: str, category: str, groups: list[Any] | tuple[str, ...],
        host: str, stamp: str, epoch: float,
    ) -> Track:
        """The track of `user` on `service`, new (or replacing one of another category or
        groups: its counts are flushed first)."""
        old = self.tracks.get((user, service))
        if old is not None:
            self._flush(service, old)
        else:
            self._met(service, (stamp, category, host))
        dims = self.dims
        activities = (dims["service"][service], dims["category"][category], dims["user"][user],
                      *(dims["group"][str(group)] for group in groups))
        track = self.tracks[user, service] = Track(activities, user, category, groups, stamp,
                                                   epoch)
        return track

    def _met(self, service: str, meta: tuple[str, str, str]) -> None:
        """The service's category and host are those of its earliest new track (the least at
        the same time): the same whatever the order of the records."""
        known = self.service_meta.get(service)
        if known is None or meta < known:
            self.service_meta[service] = meta

    def _new_day(self, service: str, track: Track, day: str) -> None:
        """The first request of `track` on `day` (since its last request on another day)."""
        self._flush(service, track)
        track.day = day
        for activity in track.activities:
            activity.days.add(day)

    def _flush(self, service: str, track: Track) -> None:
        """Move what `track` counted into its activities, its day, its service's day and
        coverage, and its groups' services."""
        requests = track.requests
        if not requests:
            return
        day = self.days[track.day]
        day.requests += requests
        day.page_views += track.page_views
        day.prompts += track.prompts
        day.users.add(track.user)
        self.service_days[service, track.day] += requests
        if track.prompts:
            self.with_body[service] += track.prompts
            if track.inspected:
                self.inspected[service] += track.inspected
        for group in track.groups:
            self.group_services[str(group)][service] += requests
        actions, users, modes = self.service_actions[service], self.action_users, self.modes
        for (key, mode, version), count in track.tallies.items():
            actions[key] += count
            users[key].add(track.user)
            modes[mode, version] += count
        track.flush()

    def _data_loss(
        self, record: AuditRecord, findings: list[Any], stamp: str, user: str,
        groups: list[Any] | tuple[str, ...], service: str, channel: str,
    ) -> None:
        self.days[stamp[:10]].data_loss += 1
        named = [str(group) for group in groups if group != NO_GROUP]
        self.data_loss.add(record, findings, stamp, user, named, service, channel)

    def _before(self, record: AuditRecord, stamp: str) -> None:
        """A decision record before --since: counted for the previous period only."""
        if self.group is not None and self.group not in _groups_of(record):
            return
        path = record.path
        path = path if type(path) is str else "/"
        if record.outcome == "acknowledged" or path.startswith(AIGATE_PATHS):
            return
        unlisted = is_unlisted(record)
        service = (f"{UNLISTED_PREFIX}{record.host or UNKNOWN}" if unlisted
                   else str(record.service or UNKNOWN))
        counts = self.before.add(stamp, person_of(record), service)
        category = str(record.category or ("unlisted" if unlisted else UNKNOWN))
        if record.inspected is not None:
            counts[PROMPTS] += 1
        elif _page_view(record, path, category):
            counts[PAGE_VIEWS] += 1
        findings = record.findings
        if findings and type(findings) is list:
            counts[DATA_LOSS] += 1
        _, done = mode_and_bucket(record.outcome, record.dlp_action, record.mode, record.action)
        if done in BLOCKS:
            counts[BLOCKED] += 1

    def _candidate(self, record: AuditRecord) -> None:
        stamp = record.time
        if type(stamp) is not str or self._epoch(stamp) is None:
            self.malformed += 1
        elif (self.since and stamp < self.since) or (self.until and stamp >= self.until):
            self.skipped += 1
        elif self.group is None:  # a passed-through connection has no policy group
            self.candidates.add(record, stamp)

    def _websocket(self, record: AuditRecord) -> None:
        """A flagged WebSocket message: counted in its own table, never as a request; one with
        findings is a data-loss event."""
        stamp = record.time
        if type(stamp) is not str or self._epoch(stamp) is None:
            self.malformed += 1
            return
        groups = _groups_of(record)
        if self.group is not None and self.group not in groups:
            self.skipped += 1
            return
        findings = record.findings
        findings = findings if findings and type(findings) is list else None
        if (self.since and stamp < self.since) or (self.until and stamp >= self.until):
            self.skipped += 1
            if findings and self.since and stamp < self.since:
                self.before.hour(stamp)[DATA_LOSS] += 1
            return
        user = person_of(record)
        unlisted = is_unlisted(record)
        host = str(record.host or UNKNOWN)
        service = f"{UNLISTED_PREFIX}{host}" if unlisted else str(record.service or UNKNOWN)
        mode = "monitor" if record.mode == "monitor" else "enforce"
        action = str(record.dlp_action or ("error" if record.error_stage else UNKNOWN))
        key = (service, mode, action, str(record.outcome or UNKNOWN))
        self.ws_messages[key] += 1
        self.ws_users[key].add(user)
        if stamp > self.ws_last.get(key, ""):
            self.ws_last[key] = stamp
        if findings:
            self._data_loss(record, findings, stamp, user, groups, service, "websocket")
            for finding in findings:
                if type(finding) is not dict:
                    continue
                count = finding.get("count")
                self.ws_findings[key] += count if type(count) is int else 1
                self.ws_classes[key].add(str(finding.get("class")))

    def _epoch(self, stamp: str) -> float | None:
        """Epoch seconds of an audit time (`2026-01-31T12:00:00.123Z`), None if unreadable.
        Records come mostly in time order: the minute of the last one is kept, so most records
        only read their seconds."""
        try:
            minute = stamp[:16]
            if minute != self._minute:
                base = self._day_epochs.get(stamp[:10])
                if base is None:
                    day = dt.date.fromisoformat(stamp[:10])
                    base = self._day_epochs[stamp[:10]] = float(calendar.timegm(day.timetuple()))
                if stamp[13:14] != ":":
                    return None
                self._minute_epoch = base + int(stamp[11:13]) * 3600 + int(stamp[14:16]) * 60
                self._minute = minute
            return self._minute_epoch + int(stamp[17:19])
        except ValueError:
            return None

    # --- the result ---------------------------------------------------------------------------

    def flush(self) -> None:
        """Move every track's counts into the counters (the report does it first)."""
        for (_, service), track in self.tracks.items():
            self._flush(service, track)

    def absorb(self, other: Aggregator) -> None:
        """Add the counts of `other`, an aggregator of the same options that read other people's
        records (a part of a parallel report, `aigate.report.parallel`), flushed. Every figure
        is then the one a single pass over all the records gives: what two parts both counted
        adds up, and what depends on the order of records (sessions) is per person, in one
        part."""
        self.records += other.records
        self.decisions += other.decisions
        self.skipped += other.skipped
        self.malformed += other.malformed
        self.own += other.own
        for counter in ("events", "service_days", "with_body", "inspected", "unscanned"):
            getattr(self, counter).update(getattr(other, counter))
        for dim, activities in other.dims.items():
            _absorb_activities(self.dims[dim], activities)
        _absorb_activities(self.unlisted, other.unlisted)
        for service, meta in other.service_meta.items():
            self._met(service, meta)
        for day, theirs in other.days.items():
            mine = self.days[day]
            mine.requests += theirs.requests
            mine.page_views += theirs.page_views
            mine.prompts += theirs.prompts
            mine.data_loss += theirs.data_loss
            mine.users |= theirs.users
        for service, counts in other.service_actions.items():
            actions = self.service_actions[service]
            for key, count in counts.items():
                actions[key] += count
        for key, count in other.modes.items():
            self.modes[key] += count
        for mine_sets, theirs_sets in ((self.action_users, other.action_users),
                                       (self.unlisted_apis, other.unlisted_apis),
                                       (self.ws_classes, other.ws_classes),
                                       (self.ws_users, other.ws_users)):
            for key, values in theirs_sets.items():
                mine_sets[key] |= values
        for group, services in other.group_services.items():
            self.group_services[group].update(services)
        for host, paths in other.unlisted_paths.items():
            self.unlisted_paths[host].absorb(paths)
        self.unlisted_services |= other.unlisted_services
        for user, counts in other.offenders.items():
            self.offenders[user].absorb(counts)
        self.ws_messages.update(other.ws_messages)
        self.ws_findings.update(other.ws_findings)
        for key, last in other.ws_last.items():
            if last > self.ws_last.get(key, ""):
                self.ws_last[key] = last
        self.data_loss.absorb(other.data_loss)
        self.before.absorb(other.before)
        self.candidates.absorb(other.candidates)

    def report(self, policy: LoadedPolicy | None = None, stats: ReadStats | None = None) -> Report:
        """The tables and series. `policy` (the one to review) gives each service its policy
        status and decides what counts as shadow AI."""
        self.flush()
        days = self._days()
        by_day = [self.days.get(d, NO_DAY) for d in days]
        services = self.dims["service"]
        infos = describe_services(policy, services)
        self.actions = Counter()
        for counts in self.service_actions.values():
            self.actions.update(counts)
        modes, versions = Counter[str](), Counter[str]()
        for (mode, version), count in self.modes.items():
            modes[mode] += count
            versions[version] += count
        top = sorted(services, key=lambda s: (-services[s].requests, s))[:TREND_SERVICES]
        every = sorted(self.dims["user"])
        first = min((a.first for a in services.values()), default=None)
        last = max((a.last for a in services.values()), default=None)
        status_requests = Counter[str]()
        for key, activity in services.items():
            status = infos[key].status
            if status is not None:
                status_requests[status] += activity.requests
        sanctioned = status_requests[APPROVED] if policy is not None else None
        previous, new_services = self._previous(first, last)
        blocked = sum(n for (_, bucket), n in self.actions.items() if bucket in BLOCKS)
        summary: dict[str, Any] = {
            "first": first,
            "last": last,
            "requests": self.decisions,
            "page_views": sum(d.page_views for d in self.days.values()),
            "prompts": sum(d.prompts for d in self.days.values()),
            "aigate_requests": self.own,
            "users": len(every),
            "services": sum(1 for s in services if not s.startswith(UNLISTED_PREFIX)),
            "unlisted_hosts": len(self.unlisted),
            "days": sum(1 for d in self.days.values() if d.requests),
            "blocked": blocked,
            "data_loss_events": self.data_loss.events,
            "data_loss_blocked": self.data_loss.actions["blocked"],
            "data_loss_users": len(self.data_loss.users),
            "data_loss_actions": _by_count(self.data_loss.actions),
            "sanctioned_requests": sanctioned,
            "unsanctioned_requests": None if sanctioned is None else self.decisions - sanctioned,
            "sanctioned_percent": None if sanctioned is None else _percent(sanctioned,
                                                                          self.decisions),
            "policy_status": {s: status_requests[s] for s in STATUSES if status_requests[s]},
            "risky_services": sum(1 for key in services if infos[key].risky),
            "new_services": None if new_services is None else len(new_services),
            "period": {"since": self.since, "until": self.until.rstrip("\uffff") if self.until
                       else None},  # until: exclusive for a date (the next day)
            "previous": previous,
            "change_percent": None,
            "modes": dict(sorted(modes.items())),
            "policy_versions": _by_count(versions),
            "records": self.records,
            "other_events": dict(sorted(self.events.items())),
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
        if previous is not None and previous["covered"]:
            summary["change_percent"] = {
                figure: change_percent(summary[figure], previous[figure]) for figure in FIGURES
            }
        if stats is not None:
            summary.update(files=stats.files, lines=stats.lines, bad_lines=stats.bad_lines)
        tables = [
            self._services_table(infos),
            self._status_table(infos),
            self._new_services_table(infos, new_services),
            self._risky_table(infos),
            self._comparison_table(summary),
            self._usage_table("categories", "category", "Categories", "Catalog categories."),
            self._groups_table(infos),
            self._usage_table("users", "user", "People", "People by requests (proxy user name, "
                              "or client address without proxy authentication)."),
            self._days_table(days, by_day),
            self._actions_table(),
            self._actions_by_service_table(),
            self.data_loss.incidents_table(),
            self.data_loss.kinds_table(),
            self._websocket_table(),
            self._coverage_table(),
            self._offenders_table(),
            self._shadow_table(infos),
            self._unlisted_table(),
            self.candidates.table(policy),
        ]
        return Report(
            summary=summary,
            tables={t.name: t for t in tables},
            days=days,
            daily_requests=[d.requests for d in by_day],
            daily_users=[len(d.users) for d in by_day],
            service_trend={s: [self.service_days.get((s, d), 0) for d in days] for s in top},
            action_totals=[
                (label, self.actions[key]) for key, label in BUCKETS.items() if self.actions[key]
            ],
            daily_page_views=[d.page_views for d in by_day],
            daily_prompts=[d.prompts for d in by_day],
            daily_data_loss=[d.data_loss for d in by_day],
            problems=stats.problems if stats is not None else [],
        )

    def _previous(
        self, first: str | None, last: str | None
    ) -> tuple[dict[str, Any] | None, list[str] | None]:
        """The previous period's figures (None without --since) and the services first seen in
        this period (None unless the logs cover the previous period)."""
        if not self.since:
            return None, None
        start = previous_start(self.since, self.filters.until, last)
        if start is None:
            return None, None
        previous = {"since": start, "until": self.since, **self.before.figures(start, first)}
        if not previous["covered"]:
            return previous, None
        seen = self.before.services
        return previous, [key for key in self.dims["service"] if key not in seen]

    def _days(self) -> list[str]:
        """Every day from the first to the last (so gaps show as zero), unless the span is huge."""
        present = sorted(self.days)
        if not present:
            return []
        first, last = dt.date.fromisoformat(present[0]), dt.date.fromisoformat(present[-1])
        span = (last - first).days + 1
        if span > MAX_TREND_DAYS:
            return present
        return [(first + dt.timedelta(days=n)).isoformat() for n in range(span)]

    def _usage_table(self, name: str, dim: str, title: str, note: str) -> Table:
        """Categories or people: requests, page views, prompts, people (or services), time."""
        activities = self.dims[dim]
        services_of = Counter[str]()  # person -> services used
        if dim == "user":
            for activity in self.dims["service"].values():
                services_of.update(activity.users)
        rows: list[tuple[Cell, ...]] = []
        for key in sorted(activities, key=lambda k: (-activities[k].requests, k)):
            a = activities[key]
            who = services_of[key] if dim == "user" else len(a.users)
            rows.append((key, a.requests, a.page_views, a.prompts, who, len(a.days),
                         _hours(a.active_seconds()), a.blocks, a.first, a.last))
        columns = (dim, "requests", "page_views", "prompts",
                   "services" if dim == "user" else "users", "active_days", "active_hours",
                   "blocked", "first", "last")
        return Table(name, title, note, columns, rows)

    def _services_table(self, infos: dict[str, ServiceInfo]) -> Table:
        services = self.dims["service"]
        rows: list[tuple[Cell, ...]] = []
        for key in sorted(services, key=lambda k: (-services[k].requests, k)):
            a, info = services[key], infos[key]
            rows.append((
                key, self.service_meta[key][1], a.requests, a.page_views, a.prompts,
                len(a.users), len(a.days), _hours(a.active_seconds()), a.blocks, a.data_loss,
                info.status, info.risk, info.jurisdiction, info.name, info.vendor, a.first, a.last,
            ))
        return Table(
            "services", "Services",
            "AI services by requests, with their status in the policy (its decision with no "
            "group: approved, caution (warned), blocked, or not in policy), the catalog's risk "
            "and the jurisdiction of the operator. Page views are pages people opened; prompts "
            "are requests that sent content (prompts, uploads); the rest are the pages' own "
            "calls and assets.",
            ("service", "category", "requests", "page_views", "prompts", "users", "active_days",
             "active_hours", "blocked", "data_loss_events", "policy_status", "risk",
             "jurisdiction", "name", "vendor", "first", "last"),
            rows,
        )

    def _status_table(self, infos: dict[str, ServiceInfo]) -> Table:
        """Sanctioned against unsanctioned use: the services of each policy status."""
        by_status: dict[str, list[Activity]] = defaultdict(list)
        for key, activity in self.dims["service"].items():
            if infos[key].status is not None:
                by_status[str(infos[key].status)].append(activity)
        rows: list[tuple[Cell, ...]] = []
        for status in STATUSES:
            group = by_status.get(status)
            if not group:
                continue
            requests = sum(a.requests for a in group)
            users = set[str]().union(*(a.users for a in group))
            rows.append((status, len(group), requests, _percent(requests, self.decisions),
                         sum(a.page_views for a in group), sum(a.prompts for a in group),
                         len(users)))
        return Table(
            "policy_status", "Sanctioned and unsanctioned use",
            "Requests by the policy status of their service: approved services are the "
            "sanctioned ones; caution (warned), blocked and services the policy does not name "
            "are not.",
            ("policy_status", "services", "requests", "percent_requests", "page_views", "prompts",
             "users"),
            rows,
        )

    def _new_services_table(
        self, infos: dict[str, ServiceInfo], new: list[str] | None
    ) -> Table:
        services = self.dims["service"]
        rows: list[tuple[Cell, ...]] = [
            (key, infos[key].name, infos[key].status, infos[key].risk, len(services[key].users),
             services[key].requests, services[key].first)
            for key in new or ()
        ]
        rows.sort(key=lambda r: (-int(r[4] or 0), -int(r[5] or 0), str(r[0])))
        note = ("Services (and unlisted endpoints) used in this period and never before it in "
                "the logs read.")
        if new is None:
            note += (" Needs --since and logs that reach back a period as long before it."
                     if not self.since else " The logs do not reach back far enough.")
        return Table("new_services", "New services", note,
                     ("service", "name", "policy_status", "risk", "users", "requests", "first"),
                     rows)

    def _risky_table(self, infos: dict[str, ServiceInfo]) -> Table:
        services = self.dims["service"]
        rows: list[tuple[Cell, ...]] = []
        for key, a in services.items():
            info = infos[key]
            if info.risky:
                rows.append((key, info.name, info.vendor, info.risk, info.jurisdiction,
                             info.status, len(a.users), a.requests, a.prompts, a.data_loss,
                             info.risk_reason))
        rows.sort(key=lambda r: (-int(r[6] or 0), -int(r[7] or 0), str(r[0])))
        return Table(
            "risky_services", "High-risk services in use",
            "Services the catalog rates high risk (training on inputs, jurisdiction, no "
            "enterprise terms, or not reviewed at all) that people used in this period.",
            ("service", "name", "vendor", "risk", "jurisdiction", "policy_status", "users",
             "requests", "prompts", "data_loss_events", "why"),
            rows,
        )

    def _comparison_table(self, summary: dict[str, Any]) -> Table:
        previous = summary["previous"]
        rows: list[tuple[Cell, ...]] = []
        if previous is not None:
            changes = summary["change_percent"] or {}
            rows = [(FIGURE_LABELS[figure], summary[figure], previous[figure],
                     changes.get(figure)) for figure in FIGURES]
        if previous is None:
            note = "Needs --since: the previous period is as long, immediately before it."
        else:
            note = (f"This period against the previous one, {previous['since']} to "
                    f"{previous['until']} (as long, immediately before; to the hour).")
            if not previous["covered"]:
                note += " The logs do not reach back to its start: its figures are partial."
        return Table("comparison", "Against the previous period", note,
                     ("figure", "this_period", "previous_period", "change_percent"), rows)

    def _groups_table(self, infos: dict[str, ServiceInfo]) -> Table:
        groups = self.dims["group"]
        rows: list[tuple[Cell, ...]] = []
        for group in sorted(groups, key=lambda g: (-groups[g].requests, g)):
            a, used = groups[group], self.group_services[group]
            unsanctioned = sum(n for key, n in used.items() if infos[key].status != APPROVED)
            rows.append((group, a.requests, a.page_views, a.prompts, len(a.users), len(used),
                         unsanctioned, a.blocks, a.data_loss, len(a.days),
                         _hours(a.active_seconds()), a.first, a.last))
        return Table(
            "groups", "Groups",
            "Policy groups (departments). A person may be in several, so the groups add up to "
            "more than the total; unsanctioned requests are those to services the policy does "
            "not approve.",
            ("group", "requests", "page_views", "prompts", "users", "services",
             "unsanctioned_requests", "blocked", "data_loss_events", "active_days",
             "active_hours", "first", "last"),
            rows,
        )

    def _days_table(self, days: list[str], by_day: list[Day]) -> Table:
        rows: list[tuple[Cell, ...]] = [
            (day, d.requests, d.page_views, d.prompts, len(d.users), d.data_loss)
            for day, d in zip(days, by_day, strict=True)
        ]
        return Table("days", "Trend", "Requests, page views, prompts, people and data-loss "
                     "events per day (UTC).",
                     ("day", "requests", "page_views", "prompts", "users", "data_loss_events"),
                     rows)

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
        keys = [key for key in BUCKETS if self.actions[key]]
        keys += sorted(set(self.actions) - set(BUCKETS))
        labels = [BUCKETS.get(key, key[1]) for key in keys]
        services = self.dims["service"]
        rows: list[tuple[Cell, ...]] = [
            (s, services[s].requests, *(self.service_actions[s].get(key, 0) for key in keys))
            for s in sorted(services, key=lambda s: (-services[s].requests, s))
        ]
        return Table("actions_by_service", "Actions by service", "Requests per service and "
                     "action.", ("service", "requests", *labels), rows)

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
        reasons = ", ".join(f"{r}: {n}" for r, n in _by_count(self.unscanned).items())
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

    def _shadow_table(self, infos: dict[str, ServiceInfo]) -> Table:
        rows: list[tuple[Cell, ...]] = []
        for service, a in self.dims["service"].items():
            info = infos[service]
            if (info.status != NOT_IN_POLICY or info.name is None
                    or service in self.unlisted_services):
                continue  # unlisted endpoints have their own list
            rows.append((service, info.name, self.service_meta[service][1], len(a.users),
                         a.requests, info.decision, a.first, a.last))
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


def _page_view(record: AuditRecord, path: str, category: str) -> bool:
    """A person opening a page: what the proxy saw (`navigation`, in records since it was
    added), else judged from the method and path."""
    navigation = record.navigation
    if type(navigation) is bool:
        return navigation
    return is_page_view(record.method, path, category)


def _groups_of(record: AuditRecord) -> list[Any] | tuple[str, ...]:
    groups = record.groups or _NO_GROUPS
    if type(groups) is not list and groups is not _NO_GROUPS:
        return [str(groups)]  # a hand-edited log: a name instead of a list
    return groups


def person_of(record: AuditRecord) -> str:
    """The person: the proxy user name, else the client address."""
    user = record.user
    if user:
        return str(user)
    return f"ip:{record.client_ip}" if record.client_ip else UNKNOWN


def _absorb_activities(mine: defaultdict[str, Activity], theirs: dict[str, Activity]) -> None:
    for key, activity in theirs.items():
        if key in mine:
            mine[key].absorb(activity)
        else:
            mine[key] = activity


def _counts() -> defaultdict[tuple[str, str], int]:
    return defaultdict(int)


def _path_sample() -> Sample:
    return Sample(UNLISTED_PATHS_KEPT)


def _by_count(counts: Counter[str]) -> dict[str, int]:
    """Most first, ties by name: the same whatever order the records came in."""
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
