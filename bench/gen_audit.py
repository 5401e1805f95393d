"""Generate audit logs of mixed AI traffic, in the real format, for the report's tests and bench.

Records are made the way the proxy makes them: the shipped policy decides each request
(`aigate.decide.decide`), the DLP rules give the verdict on findings (`dlp_action`), and the audit
log's own builders (`decision_record`, `ack_record`, `policy_record`, `json_line`) write them.
Only the people, their habits and their findings are invented.

People work on weekdays, 08:00-18:00 UTC, in sessions of requests to one service; a session on a
web app starts with the page and its favicon; warned services show the page first and most people
continue (a POST to aigate's acknowledgement endpoint); blocked and redirected attempts end the
session.
The first `monitor_days` run in monitor mode (the usual roll-out: look before enforcing). A few
engineers use unlisted model servers (decided as `aigate.endpoints`' pseudo-service).

    python bench/gen_audit.py -o week.jsonl                 # a week, 50 people
    python bench/gen_audit.py -o big.jsonl --mb 1024 --users 3000
"""

from __future__ import annotations

import argparse
import calendar
import dataclasses
import heapq
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aigate.decide import Decision, RequestFacts, decide
from aigate.endpoints import match_path, unlisted_service
from aigate.flowstate import Acknowledgement, FlowState
from aigate.identify import Identity
from aigate.inspect.policy import dlp_action
from aigate.inspect.result import Extraction, Finding, Inspection, Segment
from aigate.policy import DEFAULT_POLICY, LoadedPolicy, load_policy
from aigate.proxy.enforce import ACK_PATH
from aigate.record.audit import ack_record, decision_record, json_line, policy_record
from aigate.record.events import PolicyEvent

START = "2026-03-02"  # a Monday
WORK_HOURS = (8, 18)  # UTC
SESSION_REQUESTS = 8  # mean requests per session
REQUEST_GAP = 45.0  # mean seconds between requests of a session
SESSION_GAP = 2.5 * 3600  # mean seconds between sessions
ACK_RATE = 0.7  # people who continue after a warning page
BODY_RATE = 0.7  # forwarded requests that carry a prompt
FINDING_RATE = 0.03
UNSCANNED_RATE = 0.01
TAIL_SERVICES = 40
UNLISTED_RATE = 0.25  # of engineers

# The services people mostly use, weighted; the rest of the catalog is a long tail.
MAIN = {
    "chatgpt": 30, "m365-copilot-chat": 25, "github-copilot": 15, "claude": 8, "gemini": 6,
    "perplexity": 5, "openai-api": 4, "deepseek": 2, "microsoft-copilot": 2, "otter": 1,
    "midjourney": 1,
}
GROUPS = ("engineering", "sales", "marketing", "finance", "security", "hr", "legal")
GROUP_WEIGHTS = (30, 20, 12, 10, 5, 4, 3)
FINDINGS = (  # (detector, class, preview) as the scanner reports them
    ("email", "pii", "j***@corp.example"),
    ("phone_e164", "pii", "+44 ****"),
    ("credit_card", "financial", "4111 **** **** 1111"),
    ("openai_api_key", "secret", "sk-p…"),
    ("confidential_marking", "confidential", "CONF…"),
)
UNLISTED = (  # (host, path): model servers the catalog cannot know
    ("llm.lab.corp.example", "/v1/chat/completions"),
    ("10.20.4.15", "/api/chat"),
    ("gateway.ml.corp.example", "/v1/messages"),
)
_SEGMENTS = {n: (Segment("x" * n, (("json", ("messages", 0, "content")),)),)
             for n in (120, 400, 900, 2000, 4800)}


@dataclasses.dataclass(slots=True)
class Person:
    user: str
    groups: frozenset[str]
    ip: str
    services: list[str]
    weights: list[int]
    unlisted: tuple[str, str] | None
    service: str = ""  # of the current session
    left: int = 0  # requests left in the session
    acked: set[str] = dataclasses.field(default_factory=set)


class Traffic:
    """An endless, time-ordered stream of audit records (stop with `days` or a size)."""

    def __init__(
        self,
        users: int = 50,
        seed: int = 1,
        start: str = START,
        monitor_days: int = 2,
        policy: LoadedPolicy | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        self.policy = policy or load_policy(DEFAULT_POLICY)
        self.start = float(calendar.timegm(time.strptime(start, "%Y-%m-%d")))
        self.monitor_until = self.start + monitor_days * 86400
        catalog = self.policy.catalog
        tail = [sid for sid in sorted(set(catalog.services) - set(MAIN))
                if catalog.services[sid].hosts  # not the unlisted-endpoint pseudo-service
                and self._where(sid)[2] is not None]  # reachable by its first host
        self.tail = self.rng.sample(tail, min(TAIL_SERVICES, len(tail)))
        self.people = [self._person(n) for n in range(users)]
        self._decisions: dict[tuple[str, str, frozenset[str]], Decision] = {}
        self._ids = 0

    def _person(self, n: int) -> Person:
        rng = self.rng
        group = rng.choices(GROUPS, GROUP_WEIGHTS)[0]
        groups = {group}
        if group == "engineering" and rng.random() < 0.1:
            groups.add("security")
        services = [*rng.sample(list(MAIN), 4), rng.choice(self.tail)]
        weights = [MAIN[s] for s in services[:4]] + [2]
        unlisted = rng.choice(UNLISTED) if group == "engineering" and (
            rng.random() < UNLISTED_RATE) else None
        if unlisted:
            services.append("")  # "" stands for the unlisted endpoint
            weights.append(6)
        return Person(f"user{n:04d}", frozenset(groups), f"10.1.{n // 250}.{n % 250 + 1}",
                      services, weights, unlisted)

    def records(self, days: float | None = None) -> Iterator[dict[str, Any]]:
        end = self.start + days * 86400 if days else float("inf")
        yield policy_record(PolicyEvent(True, False, self.policy.version, self.policy.sha256,
                                        str(self.policy.path), time=self.start))
        heap = [(self._next_session(self.start), n) for n in range(len(self.people))]
        heapq.heapify(heap)
        while heap:
            now, n = heap[0]
            if now >= end:
                return
            person = self.people[n]
            opens = person.left <= 0
            if opens:
                person.service = self.rng.choices(person.services, person.weights)[0]
                person.left = max(1, round(self.rng.expovariate(1 / SESSION_REQUESTS)))
            yield from self._request(person, now, opens)
            person.left -= 1
            later = (now + self.rng.expovariate(1 / REQUEST_GAP) if person.left > 0
                     else self._next_session(now))
            heapq.heapreplace(heap, (later, n))

    def _next_session(self, now: float) -> float:
        """A time in working hours after `now` (roughly `SESSION_GAP` later)."""
        t = now + self.rng.expovariate(1 / SESSION_GAP)
        while True:
            tm = time.gmtime(t)
            if tm.tm_wday < 5 and WORK_HOURS[0] <= tm.tm_hour < WORK_HOURS[1]:
                return t
            day = t - (t % 86400)
            next_day = day + 86400 if tm.tm_hour >= WORK_HOURS[0] else day
            t = next_day + WORK_HOURS[0] * 3600 + self.rng.uniform(0, 2 * 3600)

    def _where(self, service_id: str) -> tuple[str, str, object]:
        """(host, path) a request to the service goes to, and the catalog's match for it."""
        service = self.policy.catalog.get(service_id)
        assert service is not None
        host = service.hosts[0].removeprefix("*.")
        api = service.api_format is not None and service.category in ("api", "coding")
        path = service.paths[0] if service.paths else (
            "/v1/chat/completions" if api else "/backend-api/conversation")
        return host, path, self.policy.classifier.classify(host, path)

    def _decision(self, person: Person, host: str, path: str) -> Decision:
        key = (host, path, person.groups)
        decision = self._decisions.get(key)
        if decision is None:
            decision = decide(self.policy, RequestFacts(host, path, "POST", person.user,
                                                        person.groups))
            self._decisions[key] = decision
        return decision

    def _request(self, person: Person, now: float, opens: bool) -> Iterator[dict[str, Any]]:
        """One request of the person's session (`opens`: its first, which on a web app loads
        the page first)."""
        rng = self.rng
        endpoint = None
        if person.service:
            host, path, _ = self._where(person.service)
            service = self.policy.catalog.get(person.service)
            assert service is not None
            api = service.api_format is not None and service.category in ("api", "coding")
            decision = self._decision(person, host, path)
        else:  # decided as the proxy's unlisted-endpoint step does
            assert person.unlisted is not None
            host, path = person.unlisted
            api = True
            shape = match_path(path)
            assert shape is not None, path
            endpoint = shape.id
            decision = decide(self.policy, RequestFacts(host, path, "POST", person.user,
                                                        person.groups), unlisted_service(shape))
        monitor = now < self.monitor_until
        if monitor:
            decision = dataclasses.replace(decision, enforced=False)
        self._ids += 1
        state = FlowState(f"{self._ids:012x}", Identity(person.user, person.groups, person.ip),
                          decision, self.policy.version, self.policy.sha256)
        state.decision_seconds = rng.uniform(0.00005, 0.0004)
        state.endpoint = endpoint
        method, status = "POST", 200
        action = decision.action
        if monitor:
            state.outcome = "monitored"
        elif action == "allow":
            state.outcome = "allowed"
        elif action == "warn":
            sid = person.service
            if api or sid in person.acked:
                state.outcome = "continued" if sid in person.acked else "allowed"
            elif person.left > 0 and rng.random() < ACK_RATE:
                yield from self._warned(person, now, decision, host)
                person.acked.add(sid)
                state.outcome = "continued"
                now += 2.0
            else:
                state.outcome, method = "warned", "GET"
                person.left = 0
        elif action == "redirect" and not api:
            state.outcome, method, status = "redirected", "GET", 302
            person.left = 0
        else:
            state.outcome, status = "blocked", 403
            person.left = min(person.left, rng.randint(1, 3))
        forwarded = state.outcome in ("allowed", "continued", "monitored")
        if opens and forwarded and not api:
            yield from self._page(state, host, now)
        if forwarded and rng.random() < BODY_RATE:
            self._inspect(state, person)
            if state.inspection is not None and state.inspection.action == "block" and not monitor:
                state.outcome, status = "blocked", 403
        yield decision_record(state, host=host, method=method, path=path, status=status, time=now,
                              navigation=method == "GET" and not api)

    def _page(self, state: FlowState, host: str, now: float) -> Iterator[dict[str, Any]]:
        """The page a person opens before the first prompt, and the favicon the browser asks."""
        for path, offset in (("/", -1.0), ("/favicon.ico", -0.9)):
            self._ids += 1
            page = FlowState(f"{self._ids:012x}", state.identity, state.decision,
                             state.policy_version, state.policy_hash, outcome=state.outcome)
            yield decision_record(page, host=host, method="GET", path=path, status=200,
                                  time=now + offset, navigation=path == "/")

    def _warned(
        self, person: Person, now: float, decision: Decision, host: str
    ) -> Iterator[dict[str, Any]]:
        """The warn page, then the person's acknowledgement (an ack and its decision record)."""
        identity = Identity(person.user, person.groups, person.ip)
        for outcome, offset in (("warned", -20.0), ("acknowledged", 0.0)):
            self._ids += 1
            state = FlowState(f"{self._ids:012x}", identity, decision, self.policy.version,
                              self.policy.sha256, outcome=outcome)  # type: ignore[arg-type]
            if outcome == "acknowledged":
                state.ack = Acknowledgement(person.user, person.ip, person.service,
                                            self.policy.version, now)
                ack = ack_record(state, time=now)
                assert ack is not None
                yield ack
            if outcome == "warned":
                yield decision_record(state, host=host, method="GET", path="/", status=200,
                                      time=now + offset, navigation=True)
            else:  # the warn page's form, answered by aigate itself
                yield decision_record(state, host=host, method="POST", path=ACK_PATH,
                                      status=302, time=now + offset)

    def _inspect(self, state: FlowState, person: Person) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < UNSCANNED_RATE:
            inspection = Inspection(Extraction("image"), unscanned=("image/audio/video content "
                                                                    "is not scanned",))
        else:
            segments = _SEGMENTS[rng.choice(list(_SEGMENTS))]
            findings: tuple[Finding, ...] = ()
            if roll < UNSCANNED_RATE + FINDING_RATE:
                detector, data_class, preview = rng.choice(FINDINGS)
                findings = tuple(
                    Finding(detector, data_class, 0, 1, "validated", preview, f"d{i}")  # type: ignore[arg-type]
                    for i in range(rng.choice((1, 1, 1, 2, 3)))
                )
            inspection = Inspection(Extraction("openai", segments), findings,
                                    seconds=rng.uniform(0.0002, 0.003))
        decision = state.decision
        verdict = dlp_action(
            self.policy.policy.dlp, inspection.findings,
            service=decision.service.id if decision.service else None,
            category=decision.category, groups=person.groups, unscanned=inspection.unscanned,
        )
        state.inspection = inspection.with_verdict(verdict.action, verdict.rule_id)


def write_log(
    path: str | Path, traffic: Traffic, *, days: float | None = None, max_bytes: int = 0
) -> tuple[int, int]:
    """Write records to `path` until `days` are covered or `max_bytes` written; (records, bytes)."""
    count = size = 0
    with open(path, "wb", buffering=1024 * 1024) as out:
        for record in traffic.records(days):
            line = json_line(record)
            out.write(line)
            count += 1
            size += len(line)
            if max_bytes and size >= max_bytes:
                break
    return count, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", required=True, metavar="FILE")
    parser.add_argument("--days", type=float, default=7.0, help="days of traffic (default 7)")
    parser.add_argument("--mb", type=float, help="stop at this size instead (MiB; no day limit)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--monitor-days", type=int, default=2)
    args = parser.parse_args(argv)
    traffic = Traffic(args.users, args.seed, monitor_days=args.monitor_days)
    limit = int(args.mb * 1024 * 1024) if args.mb else 0
    count, size = write_log(args.output, traffic, days=None if limit else args.days,
                            max_bytes=limit)
    print(f"{args.output}: {count:,} records, {size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
