"""The report as Markdown (for a wiki page or a ticket), CSV (one table, for a spreadsheet) and
JSON (everything, for other tools)."""

from __future__ import annotations

import csv
import io

import orjson

from aigate.report.model import SECTIONS, Cell, Report
from aigate.report.period import FIGURE_LABELS
from aigate.report.render_html import STAMP

MD_ROW_LIMIT = 50


def render_markdown(report: Report, title: str = "AI usage report") -> str:
    s = report.summary
    period = f"{s['first'][:10]} to {s['last'][:10]} (UTC)" if s["first"] else "no AI requests"
    lines = [
        f"# {title}",
        "",
        f"{period}: {s['requests']:,} AI requests ({s['page_views']:,} page views, "
        f"{s['prompts']:,} prompts) by {s['users']:,} people to {s['services']:,} services; "
        f"{s['unlisted_hosts']:,} unlisted AI endpoints.",
        *_headline(s),
    ]
    if s.get("bad_lines"):
        lines += ["", f"{s['bad_lines']:,} unreadable line(s) skipped:", ""]
        lines += [f"- {_md(p)}" for p in report.problems]
    for section in SECTIONS:
        lines += ["", f"## {section.title}", "", section.intro]
        for name in section.tables:
            table = report.tables[name]
            lines += ["", f"### {table.title}", "", table.note, ""]
            if not table.rows:
                lines.append("_None in this period._")
                continue
            lines.append("| " + " | ".join(c.replace("_", " ") for c in table.columns) + " |")
            lines.append("|" + "|".join(
                "---:" if isinstance(table.rows[0][i], int | float) else "---"
                for i in range(len(table.columns))
            ) + "|")
            for row in table.rows[:MD_ROW_LIMIT]:
                lines.append("| " + " | ".join(_md(v) for v in row) + " |")
            if len(table.rows) > MD_ROW_LIMIT:
                lines += ["", f"_{len(table.rows) - MD_ROW_LIMIT:,} more rows in the CSV or "
                          "JSON output._"]
    return "\n".join(lines) + "\n"


def _headline(s: dict) -> list[str]:
    """The KPIs under the period line: sanctioned share, risk, data loss, the previous period."""
    lines = [""]
    if s["sanctioned_percent"] is not None:
        new = "" if s["new_services"] is None else f"; {s['new_services']:,} new services"
        lines.append(f"- Sanctioned use: {s['sanctioned_percent']:g}% of requests went to "
                     f"services the policy approves; {s['risky_services']:,} high-risk services "
                     f"in use{new}.")
    actions = ", ".join(f"{action} {n:,}" for action, n in s["data_loss_actions"].items())
    lines.append(f"- Sensitive data: {s['data_loss_events']:,} data-loss events by "
                 f"{s['data_loss_users']:,} people" + (f" ({actions})." if actions else "."))
    previous, changes = s["previous"], s["change_percent"]
    if previous is not None and changes is not None:
        moves = ", ".join(
            f"{FIGURE_LABELS[figure]} {_signed(changes[figure])}" for figure in
            ("requests", "page_views", "prompts", "users", "data_loss_events")
        )
        lines.append(f"- Against the previous period, {_md(previous['since'])} up to "
                     f"{_md(previous['until'])}: {moves}.")
    elif previous is not None:
        lines.append("- No comparison: the logs do not reach back to the previous period.")
    if s["aigate_requests"]:
        lines.append(f"- Left out: {s['aigate_requests']:,} requests to aigate's own pages "
                     "(acknowledgements of the warning).")
    return lines


def _signed(change: float | None) -> str:
    return "new" if change is None else f"{change:+g}%"


def _md(value: Cell) -> str:
    """A table cell: pipes escaped, no line breaks, nothing that renders as HTML."""
    if value is None:
        return ""
    text = f"{value:,}" if isinstance(value, int) else str(value)
    if STAMP.fullmatch(text):
        return f"{text[:10]} {text[11:16]}"
    for char, escaped in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(char, escaped)
    return " ".join(text.split())


def render_csv(report: Report, table: str) -> str:
    """One table as an ordinary CSV file (header row, then data)."""
    chosen = report.tables[table]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(chosen.columns)
    writer.writerows(["" if v is None else _csv_safe(v) for v in row] for row in chosen.rows)
    return out.getvalue()


def _csv_safe(value: str | int | float) -> str | int | float:
    """Text a spreadsheet would run as a formula (=, +, -, @ first) is quoted with a '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def render_json(report: Report) -> str:
    return orjson.dumps(report.as_json(), option=orjson.OPT_INDENT_2).decode() + "\n"


TABLE_NAMES: tuple[str, ...] = tuple(name for section in SECTIONS for name in section.tables)
