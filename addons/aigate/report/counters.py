"""How one audit record counts: its (mode, bucket) for the actions table, whether it is aigate's
own request, a page view or a prompt, what aigate did with sensitive data, the report's filters,
and the activity counters (requests, people, days, sessions) kept per service, group or person,
with the tracks (a person on a service) through which the aggregator feeds them."""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import re
from collections.abc import Callable, KeysView
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aigate.report.read import AuditRecord

MIN_SESSION = 60.0

# (mode, bucket) -> label, in the order the actions table lists them.
BUCKETS: dict[tuple[str, str], str] = {
    ("enforce", "allowed"): "allowed",
    ("enforce", "warned"): "warned (page shown)",
    ("enforce", "acknowledged"): "continued after warning",
    ("enforce", "continued"): "forwarded on an acknowledgement",
    ("enforce", "redirected"): "redirected",
    ("enforce", "redacted"): "redacted",
    ("enforce", "blocked"): "blocked by policy",
    ("enforce", "blocked_data"): "blocked: sensitive data",
    ("enforce", "error"): "error",
    ("enforce", "upstream_error"): "allowed, site did not answer",
    ("monitor", "allowed"): "would have been allowed",
    ("monitor", "warned"): "would have been warned",
    ("monitor", "redirected"): "would have been redirected",
    ("monitor", "redacted"): "would have been redacted",
    ("monitor", "blocked"): "would have been blocked by policy",
    ("monitor", "blocked_data"): "would have been blocked: sensitive data",
}
_WOULD = {"allow": "allowed", "warn": "warned", "block": "blocked", "redirect": "redirected"}
BLOCKS = frozenset({"blocked", "blocked_data"})


def bucket_of(record: dict[str, Any]) -> tuple[str, str]:
    """(mode, bucket) of a decision record decoded into a dict (see `mode_and_bucket`)."""
    return mode_and_bucket(record.get("outcome"), record.get("dlp_action"), record.get("mode"),
                  record.get("action"))


def mode_and_bucket(outcome: object, dlp: object, mode: object, action: object) -> tuple[str, str]:
    """(mode, bucket) of a decision record from its `outcome`, `dlp_action`, `mode` and
    `action`: what happened, or in monitor mode what would have."""
    if outcome == "monitored" or mode == "monitor":
        if dlp == "block":
            return "monitor", "blocked_data"
        if dlp == "redact":
            return "monitor", "redacted"
        return "monitor", _WOULD.get(action or "", "allowed")  # type: ignore[arg-type]
    if outcome == "blocked":
        return "enforce", "blocked_data" if dlp == "block" else "blocked"
    if dlp == "redact" and outcome in ("allowed", "continued"):
        return "enforce", "redacted"
    if outcome is None:
        return "enforce", "error"
    return "enforce", outcome  # type: ignore[return-value]


# aigate's own endpoints on every AI site (the acknowledgement POST of the warn page,
# `aigate.proxy.enforce.ACK_PATH`): not AI usage.
AIGATE_PATHS = "/.aigate/"
# What a page loads besides itself (the last path segment's extension, lowercase).
ASSET_EXTENSIONS = frozenset({
    "ico", "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "css", "js", "mjs", "map",
    "woff", "woff2", "ttf", "otf", "eot", "json", "webmanifest", "txt", "xml", "wasm", "mp3",
    "mp4", "webm",
})
# Paths a page's scripts or an SDK call, never a page a person opens.
API_PATH = re.compile(r"/(?:api|backend-api|backend-anon|graphql|v\d+(?:beta|alpha)?\d*|_next|rest"
                      r"|socket\.io)(?:/|$)", re.IGNORECASE)
API_CATEGORIES = frozenset({"api", "unlisted"})


def is_page_view(method: object, path: str, category: str) -> bool:
    """A person opening a page: a GET that is not an asset (favicon.ico, scripts, images), not an
    API path (`/api/`, `/backend-api/`, `/v1/`...) and not to an API service. Decided from the
    method and path the record carries; page scripts' GETs of other paths count too."""
    if method != "GET" or category in API_CATEGORIES:
        return False
    last = path.rpartition("/")[2]
    if "." in last and last.rpartition(".")[2].lower() in ASSET_EXTENSIONS:
        return False
    return API_PATH.match(path) is None


# dlp_action -> what aigate did with the data (enforced), and in monitor mode.
_DATA_DONE = {"block": "blocked", "redact": "redacted", "warn": "warned"}
DATA_ACTIONS = ("blocked", "redacted", "warned", "logged")


def data_action(record: AuditRecord) -> str:
    """What aigate did with the sensitive data of a record with findings: blocked, redacted,
    warned or logged; in monitor mode "would have been ..." (nothing was enforced)."""
    done = _DATA_DONE.get(record.dlp_action or "", "logged")
    if record.mode == "monitor" and done != "logged":
        return f"would have been {done}"
    return done


def is_unlisted(record: AuditRecord) -> bool:
    """A request to an AI-looking endpoint the catalog does not know."""
    return record.unlisted is True or record.category == "unlisted"


@dataclass(frozen=True, slots=True)
class Filters:
    """Which records a report covers. `since`/`until` are RFC 3339 prefixes compared as text
    (audit times are UTC and fixed-width); a bare date in `until` includes that whole day."""

    since: str | None = None
    until: str | None = None  # exclusive upper bound (see `until_bound`)
    group: str | None = None


def until_bound(until: str) -> str:
    """The exclusive upper bound for `--until`: the next day for a date, else just past it."""
    if len(until) == 10:
        return (dt.date.fromisoformat(until) + dt.timedelta(days=1)).isoformat()
    return until + "\uffff"


class Activity:
    """Requests, people, days and estimated active time for one key (a service, a group...)."""

    __slots__ = ("blocks", "data_loss", "days", "first", "last", "page_views", "prompts",
                 "requests", "sessions")

    def __init__(self) -> None:
        self.requests = 0
        self.page_views = 0
        self.prompts = 0
        self.blocks = 0  # blocked, or in monitor mode would have been
        self.data_loss = 0  # requests with findings (the aggregator counts them)
        self.days: set[str] = set()
        # user -> [start, last, seconds]: the open session, and the closed ones' seconds
        self.sessions: dict[str, list[float]] = {}
        self.first = ""
        self.last = ""

    def add(
        self, user: str, day: str, epoch: float, stamp: str, gap: float, blocked: bool = False,
        page: bool = False, prompt: bool = False,
    ) -> None:
        self.requests += 1
        self.page_views += page
        self.prompts += prompt
        self.blocks += blocked
        self.days.add(day)
        if not self.first or stamp < self.first:
            self.first = stamp
        if stamp > self.last:
            self.last = stamp
        session = self.session(user, epoch)
        extend(session, epoch, gap)

    def session(self, user: str, epoch: float) -> list[float]:
        """`user`'s session, opened at `epoch` if this is their first request."""
        session = self.sessions.get(user)
        if session is None:
            session = self.sessions[user] = [epoch, epoch, 0.0]
        return session

    def absorb(self, other: Activity) -> None:
        """Add the counts of `other`, kept for other people (a parallel report's part:
        `aigate.report.parallel`); a person's sessions are in one part only."""
        self.requests += other.requests
        self.page_views += other.page_views
        self.prompts += other.prompts
        self.blocks += other.blocks
        self.data_loss += other.data_loss
        self.days |= other.days
        self.sessions.update(other.sessions)
        if other.first and (not self.first or other.first < self.first):
            self.first = other.first
        if other.last > self.last:
            self.last = other.last

    @property
    def users(self) -> KeysView[str]:
        """The people (each has a session entry)."""
        return self.sessions.keys()

    def active_seconds(self) -> float:
        """Closed and open sessions (epochs are whole seconds: the sum is exact in any order)."""
        return sum(closed + max(last - start, MIN_SESSION)
                   for start, last, closed in self.sessions.values())


def extend(session: list[float], epoch: float, gap: float) -> None:
    """A request at `epoch` in `session` ([start, last, closed seconds]): within `gap` of it, it
    extends it (logs of several proxies interleave: it may extend it back); else it closes it
    and opens another."""
    start, last = session[0], session[1]
    if start - gap <= epoch <= last + gap:
        if epoch > last:
            session[1] = epoch
        elif epoch < start:
            session[0] = epoch
    else:
        session[2] += max(last - start, MIN_SESSION)
        session[0] = session[1] = epoch


class Track:
    """One person's requests to one service, under one category and one list of groups: the
    activities they count in (the service's, the category's, the person's, each group's) and
    the person's session in each, found once instead of once per request.

    The aggregator counts a request in the track (`requests`...) and, when the track's day
    changes and at the end, moves the counts into the activities and the day (`Aggregator.
    _flush`): once per track and day, not once per activity and request. Sessions are updated
    per request in every activity (they depend on the order of requests)."""

    __slots__ = ("activities", "blocks", "category", "data_loss", "day", "first", "groups",
                 "inspected", "last", "page_views", "prompts", "requests", "sessions", "tallies",
                 "user")

    def __init__(
        self, activities: tuple[Activity, ...], user: str, category: str,
        groups: list[Any] | tuple[str, ...], stamp: str, epoch: float,
    ) -> None:
        self.activities = activities
        self.sessions = tuple(activity.session(user, epoch) for activity in activities)
        self.user = user
        self.category = category
        self.groups = groups
        self.day = ""  # of the requests counted (all on one day); in every activity's days
        self.requests = 0
        self.page_views = 0
        self.prompts = 0  # requests with a body aigate could inspect
        self.inspected = 0  # of them, inspected
        self.blocks = 0
        self.data_loss = 0
        # ((mode, bucket), policy mode, policy version) -> requests (`Aggregator._flush`)
        self.tallies: dict[tuple[tuple[str, str], str, str], int] = {}
        self.first = self.last = stamp

    def flush(self) -> None:
        """Add the counts to every activity and start again from zero."""
        first, last = self.first, self.last
        for activity in self.activities:
            activity.requests += self.requests
            activity.page_views += self.page_views
            activity.prompts += self.prompts
            activity.blocks += self.blocks
            activity.data_loss += self.data_loss
            if not activity.first or first < activity.first:
                activity.first = first
            if last > activity.last:
                activity.last = last
        self.requests = self.page_views = self.prompts = self.inspected = 0
        self.blocks = self.data_loss = 0
        self.tallies = {}


class UserCounts:
    __slots__ = ("blocks", "data_blocks", "findings", "last", "services", "would_blocks")

    def __init__(self) -> None:
        self.blocks = 0
        self.data_blocks = 0
        self.would_blocks = 0
        self.findings = 0  # requests with findings
        self.services: set[str] = set()  # services blocked (or would have been)
        self.last = ""

    def absorb(self, other: UserCounts) -> None:
        self.blocks += other.blocks
        self.data_blocks += other.data_blocks
        self.would_blocks += other.would_blocks
        self.findings += other.findings
        self.services |= other.services
        self.last = max(self.last, other.last)


class Sample:
    """Counts of at most `size` distinct keys: when more come, those of the smallest hash are
    kept. Which keys are kept depends on the keys alone, never on the order they come in, so the
    samples of parts of a log merge into the sample of the whole log (`absorb`); a key kept was
    counted every time it came (the bar to enter only ever falls)."""

    __slots__ = ("_heap", "counts", "forget", "size")

    def __init__(self, size: int, forget: Callable[[str], None] | None = None) -> None:
        self.size = size
        self.forget = forget  # told each key dropped for one of a smaller hash
        self.counts: dict[str, int] = {}
        self._heap: list[tuple[int, str]] = []  # (-rank, key): the highest rank on top

    def add(self, key: str, count: int = 1) -> bool:
        """Count `key`; False if it is not kept."""
        counts = self.counts
        if key in counts:
            counts[key] += count
            return True
        rank = _rank(key)
        if len(counts) >= self.size:
            if rank >= -self._heap[0][0]:
                return False
            dropped = heapq.heappushpop(self._heap, (-rank, key))[1]
            del counts[dropped]
            if self.forget is not None:
                self.forget(dropped)
        else:
            heapq.heappush(self._heap, (-rank, key))
        counts[key] = count
        return True

    def absorb(self, other: Sample) -> None:
        for key, count in other.counts.items():
            self.add(key, count)

    def most_common(self, n: int) -> list[tuple[str, int]]:
        """The `n` keys counted most, ties by key."""
        return sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))[:n]


def _rank(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest())
