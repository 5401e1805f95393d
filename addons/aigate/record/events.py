"""Process-wide events that do not belong to a flow: policy loads and reloads, hook errors,
passed-through connections to hosts that look like AI services the catalog lacks.

Whoever loads the policy (the policy reload addon) or catches an error outside an AI flow calls
`publish(...)`; metrics are updated at once and the audit addon receives the event through
`subscribe`. Events published while no audit addon is listening (the first policy load can happen
before the audit log opens) are kept, up to a bound, and delivered to the next subscriber.
Errors on AI flows are not published here: they travel on `FlowState.error_stage`.
"""

from __future__ import annotations

import threading
import time as _time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from aigate.record import metrics

BACKLOG_MAX = 64


@dataclass(frozen=True, slots=True)
class PolicyEvent:
    """A policy load (`reload=False`, at start) or reload, successful or not."""

    ok: bool
    reload: bool
    version: str | None = None  # of the policy now in force
    sha256: str | None = None
    source: str | None = None  # the policy file
    error: str | None = None  # file:line message of a failed load; never file content
    time: float = field(default_factory=_time.time)


@dataclass(frozen=True, slots=True)
class HookError:
    """aigate code failed in `stage` (e.g. "tls_clienthello", "policy_reload")."""

    stage: str
    error_type: str  # the exception class name, never its message (it may quote data)
    request_id: str | None = None
    time: float = field(default_factory=_time.time)


@dataclass(frozen=True, slots=True)
class CandidateHost:
    """A connection passed through to `host`, which the catalog does not know but whose name
    looks like an AI service (`hint` says why); see `aigate.candidates`."""

    host: str
    hint: str
    client_ip: str | None = None
    user: str | None = None
    time: float = field(default_factory=_time.time)


Event = PolicyEvent | HookError | CandidateHost
Subscriber = Callable[[Event], None]

_lock = threading.Lock()
_subscribers: list[Subscriber] = []
_backlog: deque[Event] = deque(maxlen=BACKLOG_MAX)


def publish(event: Event) -> None:
    """Count the event and hand it to the subscribers (or keep it for the next one)."""
    if isinstance(event, PolicyEvent):
        metrics.observe_policy(
            event.ok, event.reload, event.version, event.sha256, event.time, event.error
        )
    elif isinstance(event, CandidateHost):
        metrics.count_candidate()
    else:
        metrics.count_hook_error(event.stage)
    with _lock:
        targets = list(_subscribers)
        if not targets:
            _backlog.append(event)
    for subscriber in targets:
        subscriber(event)


def subscribe(subscriber: Subscriber) -> None:
    """Receive future events, after any kept from before."""
    with _lock:
        pending = list(_backlog)
        _backlog.clear()
        _subscribers.append(subscriber)
    for event in pending:
        subscriber(event)


def unsubscribe(subscriber: Subscriber) -> None:
    with _lock:
        if subscriber in _subscribers:
            _subscribers.remove(subscriber)
