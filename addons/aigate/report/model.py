"""The finished report: plain tables and series that every output format renders the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Cell = str | int | float | None


@dataclass(frozen=True, slots=True)
class Table:
    """One table of the report: a title, what it shows, column names and rows of plain values."""

    name: str  # stable id: CSV `--table`, JSON key, HTML anchor
    title: str
    note: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]

    def as_dicts(self) -> list[dict[str, Cell]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    intro: str
    tables: tuple[str, ...]


@dataclass(slots=True)
class Report:
    """Everything the renderers show. `summary` holds the headline figures and the read stats."""

    summary: dict[str, Any]
    tables: dict[str, Table]
    days: list[str]  # every day of the period, in order: the x axis of the trend charts
    daily_requests: list[int]
    daily_users: list[int]
    service_trend: dict[str, list[int]]  # top services: requests per day, aligned with `days`
    action_totals: list[tuple[str, int]]  # (label, requests), enforced and would-be
    # Per day, aligned with `days`: pages opened, requests that sent content, data-loss events.
    daily_page_views: list[int] = field(default_factory=list)
    daily_prompts: list[int] = field(default_factory=list)
    daily_data_loss: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "trend": {
                "days": self.days,
                "requests": self.daily_requests,
                "users": self.daily_users,
                "page_views": self.daily_page_views,
                "prompts": self.daily_prompts,
                "data_loss": self.daily_data_loss,
                "services": self.service_trend,
            },
            "tables": {name: t.as_dicts() for name, t in self.tables.items()},
            "problems": self.problems,
        }


SECTIONS: tuple[Section, ...] = (
    Section(
        "AI usage",
        "Requests to AI services, the people behind them and how long they spent; page views "
        "(pages people opened) and prompts (requests that sent content) are counted apart from "
        "the pages' own calls and assets, and aigate's own pages are left out. Active time is "
        "estimated from bursts: a person's requests less than the session gap apart form one "
        "session, which lasts from its first request to its last (at least one minute).",
        ("services", "policy_status", "new_services", "risky_services", "comparison",
         "categories", "groups", "users", "days"),
    ),
    Section(
        "Actions",
        "What the policy did with those requests. In monitor mode nothing is enforced: the "
        "'would have been' rows show what enforcement would have done.",
        ("actions", "actions_by_service"),
    ),
    Section(
        "Sensitive data",
        "Sensitive data found in prompts, uploads and WebSocket messages (kinds and counts, "
        "never the values) and what aigate did with it, the newest incidents one by one, "
        "messages on AI WebSockets the rules flagged, how much of what was sent could be "
        "inspected, and the people who keep hitting blocks, for the violations process.",
        ("incidents", "findings", "websocket", "coverage", "offenders"),
    ),
    Section(
        "Shadow AI",
        "The review list for the next policy version: AI services in use that the policy does "
        "not name (they fall to a risk rule or the default), and AI-looking endpoints that are "
        "not in the catalog at all: model APIs seen in requests, and hosts passed through whose "
        "names look like AI. Ranked by people.",
        ("shadow", "unlisted", "candidates"),
    ),
)
