"""The report as one self-contained HTML file: inline CSS, inline SVG charts and nothing fetched,
so it opens offline, prints, and can be mailed as an attachment.

The page is `templates/report/report.html` (autoescaped). This module turns the report into what
the template shows: KPI cards, charts, and tables cut to their top rows with the rest folded.
Charts over time are SVG built here from numbers, and table rows here from their cells (a page
holds tens of thousands of cells: a template loop costs several times this per cell); every text
in them is escaped here, which is the only reason they may reach the template as Markup.
Everything else (bar charts included) is plain text the template escapes: the log records what
people sent, so user names, hosts and paths are hostile input.

A small inline script makes the tables sortable; without it (printing, script blocked) the page
reads the same, sorted as the report computed it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup
from markupsafe import escape as markup_escape

from aigate.report.model import SECTIONS, Cell, Report, Table
from aigate.templating import template

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")  # audit log time
TOP_ROWS = 10  # rows shown per table; the rest are folded
FOLD_AT = TOP_ROWS + 3  # never fold away only one or two rows
HTML_ROW_LIMIT = 250  # rows in the page per table; the full tables are in the CSV and JSON output
# A table becomes one card per row in a container narrower than the first of these widths
# (px) that holds its narrowest layout; small tables never do. 1136 px is the widest the page
# gets; a table that does not fit that is cards everywhere.
STACK_WIDTHS = (480, 640, 800, 960, 1136, 100_000)
NEVER_STACK_PX = 280
LONG_TEXT_CH = 20  # a text column wider than this gets a line of its own on a card
LONG_TEXT_CAP_CH = 45  # a column's share of the width counts text up to this long
# The table sizes of report.css: a character at the tables' font, about; a cell's padding.
FONT_PX, WIDE_FONT_PX, CH_PX, BOLD = 13, 12, 7.5, 1.1
TEXT_PAD_PX, NUMBER_PAD_PX, WIDE_PAD_PX = 10, 16, 8
WIDE = 9  # tables with this many columns or more get a smaller font and shorter unbroken words
WORD_CH, WIDE_WORD_CH = 10, 8  # longer words in a text column may break anywhere
BAR_ITEMS = 12
DAY_LABELS = 7  # at most this many day labels under a chart (month-day; the year is above)
MIN_DAY_SLOTS = 7  # a short period draws bars a week's width, not one bar the whole chart
TOTAL_ROW = "(all)"  # a table's total row (first cell), kept below the top rows

# Headings short enough to keep wide tables (actions by service above all) on the screen; the
# full wording stays in the heading's title. Column names not listed read with spaces.
SHORT_HEADINGS = {
    "warned (page shown)": "warned",
    "continued after warning": "continued",
    "forwarded on an acknowledgement": "forwarded (ack)",
    "blocked by policy": "blocked",
    "blocked: sensitive data": "blocked: data",
    "allowed, site did not answer": "no answer",
    "would have been allowed": "would allow",
    "would have been warned": "would warn",
    "would have been redirected": "would redirect",
    "would have been redacted": "would redact",
    "would have been blocked by policy": "would block",
    "would have been blocked: sensitive data": "would block: data",
    "requests_with_body": "with body",
    "coverage_percent": "coverage %",
    "requests_with_findings": "with findings",
    "would_be_blocks": "would-be blocks",
    "data_loss_events": "data-loss events",
    "unsanctioned_requests": "unsanctioned",
    "percent_requests": "% of requests",
    "change_percent": "change %",
    "jurisdiction": "juris\u00addiction",  # may hyphenate: the values are country codes
}


@dataclass(frozen=True, slots=True)
class Kpi:
    value: str
    label: str
    detail: str = ""
    change: str = ""  # against the previous period, when the report has one


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: str
    share: float  # of the largest value in the chart, 0 to 1
    bad: bool  # blocked: drawn in red


@dataclass(frozen=True, slots=True)
class Figure:
    caption: str
    chart: Markup | None = None  # an SVG built here from numbers
    bars: list[Bar] | None = None  # or horizontal bars the template draws as text and boxes


@dataclass(frozen=True, slots=True)
class HtmlCell:
    text: str
    number: bool = False
    stamp: str = ""  # the machine-readable time of a time cell
    sort: str = ""  # what the sort script compares, when not the text


@dataclass(frozen=True, slots=True)
class Column:
    heading: str
    full: str  # the column's whole name, when the heading is shortened ("" otherwise)
    number: bool
    share: float  # percent of the table's width
    min_ch: int  # the longest word, up to a limit: words break only when longer than that
    long: bool  # text that needs a line of its own on a card


@dataclass(frozen=True, slots=True)
class HtmlTable:
    name: str
    title: str
    note: str
    columns: list[Column]
    top: list[Markup]  # each row's `<tr>` (`_row_html`)
    folded: list[Markup]
    total: list[Markup]  # a total row, kept in view below the top rows
    omitted: int  # rows left out of the page (in the CSV and JSON)
    width_ch: int  # the width the table needs, so a narrow table is not stretched
    stack_below: int  # container width (px) below which rows become cards; 0: never
    wide: bool  # very many columns: a smaller font


@dataclass(frozen=True, slots=True)
class HtmlSection:
    anchor: str
    title: str
    intro: str
    figures: list[Figure]
    notes: list[str]
    tables: list[HtmlTable]


def render_html(report: Report, title: str = "AI usage report") -> str:
    """The whole document."""
    s = report.summary
    period = f"{_day(s['first'])} to {_day(s['last'])}" if s["first"] else "no AI requests"
    return template("report/report.html").render(
        title=title,
        period=period,
        filters=_filters(s),
        kpis=_kpis(report),
        comparison=_comparison(s),
        bad_lines=s.get("bad_lines", 0),
        problems=report.problems,
        sections=_sections(report),
        stack_widths=STACK_WIDTHS,
    ) + "\n"


def _sections(report: Report) -> list[HtmlSection]:
    sections = []
    placed: set[str] = set()
    for section in SECTIONS:
        names = [name for name in section.tables if name in report.tables]
        placed.update(names)
        figures, notes = _section_charts(report, section.title)
        sections.append(HtmlSection(
            _anchor(section.title), section.title, section.intro, figures, notes,
            [html_table(report.tables[name]) for name in names],
        ))
    rest = [html_table(t) for name, t in report.tables.items() if name not in placed]
    if rest:
        sections.append(HtmlSection("more", "More", "Further tables of this report.", [], [],
                                    rest))
    return sections


def _kpis(report: Report) -> list[Kpi]:
    """The headline figures; those the report does not carry (no policy, no previous period)
    are left out rather than shown as zero."""
    s = report.summary
    shadow = len(report.tables["shadow"].rows) if "shadow" in report.tables else 0
    kpis = [
        Kpi(_num(s["requests"]), "AI requests", change=_change(s, "requests")),
        Kpi(_num(s["users"]), "people", change=_change(s, "users")),
        Kpi(_num(s["services"]), "services", change=_change(s, "services")),
    ]
    for key, label in (("page_views", "page views"), ("prompts", "prompts")):
        if s.get(key) is not None:
            kpis.append(Kpi(_num(s[key]), label, change=_change(s, key)))
    if s.get("data_loss_events") is not None:
        detail = (f"{_num(s.get('data_loss_blocked') or 0)} blocked · "
                  f"{_num(s.get('data_loss_users') or 0)} people")
        kpis.append(Kpi(_num(s["data_loss_events"]), "data-loss events", detail,
                        _change(s, "data_loss_events")))
    if s.get("sanctioned_percent") is not None:
        kpis.append(Kpi(f"{s['sanctioned_percent']:.0f}%", "sanctioned share",
                        f"{_num(s.get('unsanctioned_requests') or 0)} requests elsewhere"))
    kpis.append(Kpi(_num(s["blocked"]), "blocked (or would be)", change=_change(s, "blocked")))
    if s.get("risky_services") is not None:
        kpis.append(Kpi(_num(s["risky_services"]), "high-risk services in use"))
    if s.get("new_services") is not None:
        kpis.append(Kpi(_num(s["new_services"]), "new services"))
    kpis.append(Kpi(_num(shadow + s["unlisted_hosts"]), "shadow AI to review"))
    kpis.append(Kpi(_num(s["days"]), "days with use"))
    return kpis


def _change(summary: dict[str, Any], key: str) -> str:
    """'+12% vs previous', when the report compares with the previous period."""
    change = (summary.get("change_percent") or {}).get(key)
    if change is not None:
        return f"{change:+.0f}% vs previous"
    previous = (summary.get("previous") or {})
    if previous.get("covered") and previous.get(key) == 0 and summary.get(key):
        return "none before"
    return ""


def _comparison(summary: dict[str, Any]) -> str:
    """Which period the changes compare with, or why there are none."""
    previous = summary.get("previous")
    if not previous:
        return ""
    period = f"{previous['since'][:10]} to {previous['until'][:10]}"
    if previous.get("covered"):
        return f"Changes compare with the previous period, {period} (UTC)."
    return (f"No changes shown: the logs do not reach back to the start of the previous period, "
            f"{period}.")


def _section_charts(report: Report, section: str) -> tuple[list[Figure], list[str]]:
    figures: list[Figure] = []
    notes: list[str] = []
    tables = report.tables

    def bars(items: list[tuple[str, int]], caption: str,
             bad: Callable[[str], bool] | None = None) -> None:
        figures.append(Figure(caption, bars=bar_chart(items, bad)))

    if section == "AI usage":
        if len(report.days) > 1:
            figures.append(Figure(
                "Requests per day (bars, left scale) and people per day (line, right scale)",
                column_chart(report.days, report.daily_requests, report.daily_users),
            ))
        elif report.days:  # one bar would only repeat the headline figures
            notes.append(f"One day, {report.days[0]}: {_num(report.daily_requests[0])} requests "
                         f"by {_num(report.daily_users[0])} people.")
        if "services" in tables and tables["services"].rows:
            bars(_pairs(tables["services"], "service", "requests")[:BAR_ITEMS],
                 "Requests by service")
        if report.summary.get("policy_status"):
            bars(list(report.summary["policy_status"].items()),
                 "Requests by the policy's status of the service", lambda s: s == "blocked")
        if report.service_trend and len(report.days) > 1:
            figures.append(Figure("Trend of the top services, requests per day",
                                  sparkline_table(report.service_trend)))
    elif section == "Sensitive data":
        if len(report.days) > 1 and any(report.daily_data_loss):
            figures.append(Figure("Data-loss events per day", column_chart(
                report.days, report.daily_data_loss, what="data-loss events")))
        if report.summary.get("data_loss_actions"):
            bars(list(report.summary["data_loss_actions"].items()),
                 "Data-loss events by what aigate did", lambda action: "blocked" in action)
    elif section == "Actions" and report.action_totals:
        bars(list(report.action_totals), "Requests by what the policy did",
             lambda label: "blocked" in label)
    elif section == "Shadow AI":
        shadow = _pairs(tables["shadow"], "service", "users") if "shadow" in tables else []
        if "unlisted" in tables:
            shadow += _pairs(tables["unlisted"], "host", "users")
        shadow.sort(key=lambda item: -item[1])
        if shadow:
            bars(shadow[:BAR_ITEMS], "Shadow AI by people")
    return figures, notes


def _pairs(table: Table, label: str, value: str) -> list[tuple[str, int]]:
    """(label, value) per row, for a chart: columns found by name, so added columns don't
    shift them."""
    i, j = table.columns.index(label), table.columns.index(value)
    return [(str(row[i]), int(row[j] or 0)) for row in table.rows]


# --- charts: SVG from numbers; every text in them is escaped here ----------------------------

def column_chart(days: list[str], bars: list[int], line: list[int] | None = None,
                 what: str = "requests") -> Markup:
    """Bars per day (left scale), with people per day as a line over them (its own scale, on
    the right) when `line` is given."""
    line = line or []
    width, height, left, right, bottom = 560, 200, 44, 36, 24
    plot_w, plot_h = width - left - right, height - bottom - 10
    top, line_top = max([*bars, 1]), max([*line, 1])
    slots = max(len(days), MIN_DAY_SLOTS)
    step = plot_w / slots
    start = left + (slots - len(days)) * step / 2  # a short period sits in the middle
    base = 10 + plot_h
    shapes = [f'<line class="axis" x1="{left}" y1="{base}" x2="{width - right}" y2="{base}"/>',
              f'<text x="{left - 4}" y="16" text-anchor="end">{_num(top)}</text>',
              f'<text x="{left - 4}" y="{base}" text-anchor="end">0</text>']
    if line:
        shapes.append(f'<text x="{width - right + 4}" y="16">{_num(line_top)}</text>')
    for i, (day, value) in enumerate(zip(days, bars, strict=True)):
        h = plot_h * value / top
        x = start + i * step + step * 0.15
        shapes.append(f'<rect class="bar" x="{x:.1f}" y="{base - h:.1f}" '
                      f'width="{step * 0.7:.1f}" height="{h:.1f}"><title>{escape(day)}: '
                      f"{value} {escape(what)}"
                      + (f", {line[i]} people" if line else "") + "</title></rect>")
    points = " ".join(
        f"{start + i * step + step / 2:.1f},{base - plot_h * v / line_top:.1f}"
        for i, v in enumerate(line)
    )
    if points:
        shapes.append(f'<polyline class="line" points="{points}"/>')
    stride = -(-len(days) // DAY_LABELS)  # every day, or every n-th: labels never touch
    for i in range(0, len(days), stride):
        shapes.append(f'<text x="{start + i * step + step / 2:.1f}" y="{height - 6}" '
                      f'text-anchor="middle">{escape(days[i][5:])}</text>')
    return _svg(width, height, f"{what} per day".capitalize(), shapes)


def bar_chart(items: list[tuple[str, int]], bad: Callable[[str], bool] | None = None
              ) -> list[Bar]:
    """Horizontal bars, one per (label, value); `bad` ones in red. The template draws them as
    text and boxes, so labels wrap and stay legible at any width."""
    top = max([v for _, v in items] + [1])
    return [Bar(label, _num(value), round(value / top, 4), bad is not None and bad(label))
            for label, value in items]


def sparkline(values: list[int], width: int = 220, height: int = 22) -> Markup:
    top = max([*values, 1])
    step = width / max(len(values) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{height - 2 - (height - 4) * v / top:.1f}" for i, v in enumerate(values)
    )
    return _svg(width, height, "Trend", [f'<polyline class="spark" points="{points}"/>'])


def sparkline_table(trend: dict[str, list[int]]) -> Markup:
    rows = "".join(
        f"<tr><td>{escape(service)}</td><td>{sparkline(values)}</td>"
        f'<td class="n">{_num(sum(values))}</td></tr>'
        for service, values in trend.items()
    )
    return Markup(  # noqa: S704 - service names escaped above, the rest is numbers
        '<table class="trend"><thead><tr><th scope="col">service</th><th scope="col">per day</th>'
        f'<th scope="col" class="n">requests</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _svg(width: int, height: int, label: str, shapes: list[str]) -> Markup:
    """An SVG that scales to its container: the viewBox keeps the drawing, CSS sets the size."""
    return Markup(  # noqa: S704 - built from numbers and text escaped by the callers
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMinYMin meet">' + "".join(shapes) + "</svg>"
    )


# --- tables ----------------------------------------------------------------------------------

def html_table(table: Table) -> HtmlTable:
    """A table as the page shows it: its top rows, the rest folded, a total row kept in view."""
    rows = table.rows
    total = [row for row in rows[-1:] if row and row[0] == TOTAL_ROW]
    rows = rows[: len(rows) - len(total)]
    shown = rows[:HTML_ROW_LIMIT]
    cut = TOP_ROWS if len(shown) >= FOLD_AT else len(shown)
    cells = [[_cell(value) for value in row] for row in shown + total]
    numeric = [_is_numeric(row[i] for row in rows) for i in range(len(table.columns))]
    texts = [[row[i].text for row in cells] for i in range(len(table.columns))]
    widths = [_column_ch(name, texts[i], numeric[i]) for i, name in enumerate(table.columns)]
    whole = sum(widths) or 1
    word_ch = WIDE_WORD_CH if len(table.columns) >= WIDE else WORD_CH
    columns = []
    for i, name in enumerate(table.columns):
        plain, heading = name.replace("_", " "), _heading(name)
        columns.append(Column(heading, plain if heading != plain else "", numeric[i],
                              round(100 * widths[i] / whole, 2),
                              _longest_word(texts[i], 99 if numeric[i] else word_ch),
                              widths[i] > LONG_TEXT_CH))
    row_html = _row_html(columns)
    return HtmlTable(
        name=table.name,
        title=table.title,
        note=table.note,
        columns=columns,
        top=[row_html(row) for row in cells[:cut]],
        folded=[row_html(row) for row in cells[cut:len(shown)]],
        total=[row_html(row) for row in cells[len(shown):]],
        omitted=len(rows) - len(shown),
        width_ch=whole,
        stack_below=_stack_below(columns, len(columns) >= WIDE),
        wide=len(columns) >= WIDE,
    )


def _row_html(columns: list[Column]) -> Callable[[list[HtmlCell]], Markup]:
    """A function making a row's `<tr>`, every text in it escaped (by markupsafe, as the
    template's autoescape did, so the page's bytes did not change)."""
    # each column's `<td ...` up to its class: the class depends on the cell
    starts = [f'<td data-label="{markup_escape(column.heading)}"' for column in columns]
    text_class = [' class="long"' if column.long else "" for column in columns]

    def row_html(row: list[HtmlCell]) -> Markup:
        tds = ["<tr>"]
        for start, text_attr, cell in zip(starts, text_class, row, strict=True):
            text = markup_escape(cell.text)
            if cell.number:
                attrs = ' class="n zero"' if cell.text == "0" else ' class="n"'
            else:
                attrs = text_attr
            if cell.sort:
                attrs += f' data-sort="{markup_escape(cell.sort)}"'
            if cell.stamp:
                text = f'<time datetime="{markup_escape(cell.stamp)}">{text}</time>'
            tds.append(f"{start}{attrs}>{text}</td>")
        tds.append("</tr>\n")
        return Markup("".join(tds))  # noqa: S704 - every text above is escaped

    return row_html


def _stack_below(columns: list[Column], wide: bool) -> int:
    """The smallest of STACK_WIDTHS the table's narrowest layout fits in: the table is stacked
    below it. Numbers never wrap; text wraps down to `min_ch`. Mirrors report.css."""
    char = CH_PX * (WIDE_FONT_PX / FONT_PX if wide else 1)
    narrowest = sum(
        max(column.min_ch + (0 if column.number else 1),  # the template's min-width
            *(len(word) * BOLD for word in column.heading.split())) * char
        + (WIDE_PAD_PX if wide else NUMBER_PAD_PX if column.number else TEXT_PAD_PX)
        for column in columns
    )
    if narrowest < NEVER_STACK_PX:
        return 0
    return next(w for w in STACK_WIDTHS if narrowest <= w)


def _heading(column: str) -> str:
    return SHORT_HEADINGS.get(column, column.replace("_", " "))


def _cell(value: Cell) -> HtmlCell:
    if isinstance(value, int | float):
        return HtmlCell(_num(value), number=True, sort=repr(value))
    if isinstance(value, str) and STAMP.fullmatch(value):
        return HtmlCell(f"{value[:10]} {value[11:16]}", stamp=value, sort=value)
    return HtmlCell("" if value is None else str(value))


def _is_numeric(values: Iterable[Cell]) -> bool:
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, int | float) for v in present)


def _column_ch(name: str, texts: list[str], numeric: bool) -> int:
    """The width a column needs in characters: its longest heading word or its usual value."""
    word = max((len(w) for w in _heading(name).split()), default=1)
    lengths = sorted(map(len, texts)) or [1]
    if numeric:  # numbers never wrap
        return max(word, lengths[-1], 3) + 3
    usual = lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]  # a few long outliers may wrap
    return max(word, min(usual, LONG_TEXT_CAP_CH), 3) + 3


def _longest_word(texts: list[str], limit: int) -> int:
    words = (len(word) for text in texts for word in text.split())
    return min(max(words, default=1), limit)


def _num(value: Cell) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def _day(stamp: str | None) -> str:
    return stamp[:10] if stamp else ""


def _anchor(title: str) -> str:
    return title.lower().replace(" ", "-")


def _filters(summary: dict[str, Any]) -> str:
    f = summary["filters"]
    parts = [f"{summary['requests']:,} AI requests"]
    if f["group"]:
        parts.append(f"group {f['group']}")
    if f["since"] or f["until"]:
        parts.append(f"since {f['since'] or 'the start'} until {f['until'] or 'the end'}")
    if summary.get("policy_version"):
        parts.append(f"reviewed against policy {summary['policy_version']}")
    return " · ".join(parts)
