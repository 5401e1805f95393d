"""The report as one self-contained HTML file: inline CSS and inline SVG charts, no script and
nothing fetched, so it opens offline, prints, and can be mailed as an attachment.

Every value from the log (user names, hosts, paths) is escaped: the log records what people sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from aigate.report.model import SECTIONS, Cell, Report, Table

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")  # audit log time
HTML_ROW_LIMIT = 100  # the full tables are in the CSV and JSON output
BAR_ITEMS = 12
DAY_LABELS = 14  # up to this many days, each is labelled

CSS = """
:root { --ink: #1d2433; --muted: #5b6475; --line: #d8dde6; --accent: #2f6fd1;
  --accent2: #e07b39; --bad: #c23b3b; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif;
  color: var(--ink); margin: 0; background: #fff; }
header { background: var(--bg); border-bottom: 1px solid var(--line); padding: 20px 32px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: var(--muted); }
main { padding: 8px 32px 40px; max-width: 1200px; }
nav a { margin-right: 14px; }
h2 { font-size: 19px; margin: 32px 0 4px; border-bottom: 2px solid var(--ink);
  padding-bottom: 4px; }
h3 { font-size: 15px; margin: 22px 0 4px; }
p.intro, p.note { color: var(--muted); margin: 4px 0 10px; max-width: 80ch; }
.kpis { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 130px; }
.kpi b { display: block; font-size: 22px; }
.kpi span { color: var(--muted); font-size: 12px; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
figure { margin: 8px 0; }
figcaption { font-size: 12px; color: var(--muted); }
svg text { font-size: 11px; fill: var(--ink); }
svg .bar { fill: var(--accent); }
svg .bar.bad { fill: var(--bad); }
svg .line { fill: none; stroke: var(--accent2); stroke-width: 2.5; }
svg .spark { fill: none; stroke: var(--accent); stroke-width: 1.5; }
svg .axis { stroke: var(--line); }
table { border-collapse: collapse; margin: 6px 0 8px; font-size: 13px; }
time { white-space: nowrap; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px 4px 0; text-align: left;
  vertical-align: top; }
th { font-weight: 600; white-space: nowrap; }
.scroll { overflow-x: auto; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.empty { color: var(--muted); font-style: italic; }
.problems { color: var(--bad); }
@media print {
  header { background: none; }
  nav { display: none; }
  main { max-width: none; }
  figure, table, .kpis { break-inside: avoid; }
  h2 { break-after: avoid; }
  .scroll { overflow: visible; }
}
"""

_TITLES = {
    "services": "Requests by service",
    "actions": "Actions",
    "shadow": "Shadow AI by people",
}


def render_html(report: Report, title: str = "AI usage report") -> str:
    """The whole document."""
    s = report.summary
    period = f"{_day(s['first'])} to {_day(s['last'])}" if s["first"] else "no AI requests"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>{escape(title)}</h1><p>{escape(period)} (UTC) · "
        f"{escape(_filters(s))}</p></header><main>",
        "<nav>" + "".join(
            f'<a href="#{_anchor(sec.title)}">{escape(sec.title)}</a>' for sec in SECTIONS
        ) + "</nav>",
        _kpis(report),
        _problems(report),
    ]
    for section in SECTIONS:
        parts.append(f'<section id="{_anchor(section.title)}"><h2>{escape(section.title)}</h2>')
        parts.append(f'<p class="intro">{escape(section.intro)}</p>')
        parts.append(_section_charts(report, section.title))
        for name in section.tables:
            parts.append(_table(report.tables[name]))
        parts.append("</section>")
    parts.append("</main></body></html>\n")
    return "\n".join(p for p in parts if p)


def _kpis(report: Report) -> str:
    s = report.summary
    blocked = sum(n for label, n in report.action_totals if "blocked" in label)
    figures = [
        (s["requests"], "AI requests"),
        (s["users"], "people"),
        (s["services"], "services"),
        (s["days"], "days with use"),
        (blocked, "blocked (or would be)"),
        (len(report.tables["shadow"].rows) + s["unlisted_hosts"], "shadow AI to review"),
    ]
    cells = "".join(f'<div class="kpi"><b>{_num(v)}</b><span>{escape(label)}</span></div>'
                    for v, label in figures)
    return f'<div class="kpis">{cells}</div>'


def _problems(report: Report) -> str:
    bad = report.summary.get("bad_lines", 0)
    if not bad:
        return ""
    items = "".join(f"<li>{escape(p)}</li>" for p in report.problems)
    return (f'<div class="problems"><p>{_num(bad)} line(s) of the log could not be read and were '
            f"skipped:</p><ul>{items}</ul></div>")


def _section_charts(report: Report, section: str) -> str:
    charts: list[str] = []
    if section == "AI usage":
        charts.append(_figure(
            column_chart(report.days, report.daily_requests, report.daily_users),
            "Requests per day (bars, left scale) and people per day (line, right scale)",
        ))
        services = report.tables["services"]
        charts.append(_figure(
            bar_chart([(str(r[0]), int(r[2] or 0)) for r in services.rows[:BAR_ITEMS]]),
            _TITLES["services"],
        ))
        if report.service_trend:
            charts.append(_figure(sparkline_table(report.service_trend), "Trend of the top "
                                  "services, requests per day"))
    elif section == "Actions" and report.action_totals:
        items = [(label, n) for label, n in report.action_totals]
        charts.append(_figure(bar_chart(items, bad=lambda label: "blocked" in label),
                              _TITLES["actions"]))
    elif section == "Shadow AI":
        shadow = [(str(r[0]), int(r[3] or 0)) for r in report.tables["shadow"].rows]
        shadow += [(str(r[0]), int(r[1] or 0)) for r in report.tables["unlisted"].rows]
        shadow.sort(key=lambda item: -item[1])
        if shadow:
            charts.append(_figure(bar_chart(shadow[:BAR_ITEMS]), _TITLES["shadow"]))
    return f'<div class="charts">{"".join(charts)}</div>' if charts else ""


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def column_chart(days: list[str], bars: list[int], line: list[int]) -> str:
    """Bars per day (left scale) with a line over them (its own scale, on the right)."""
    width, height, left, right, bottom = 560, 200, 44, 36, 24
    plot_w, plot_h = width - left - right, height - bottom - 10
    top, line_top = max([*bars, 1]), max([*line, 1])
    n = max(len(days), 1)
    step = plot_w / n
    base = 10 + plot_h
    shapes = [f'<line class="axis" x1="{left}" y1="{base}" x2="{width - right}" y2="{base}"/>',
              f'<text x="{left - 4}" y="16" text-anchor="end">{_num(top)}</text>',
              f'<text x="{left - 4}" y="{base}" text-anchor="end">0</text>',
              f'<text x="{width - right + 4}" y="16">{_num(line_top)}</text>']
    for i, (day, value) in enumerate(zip(days, bars, strict=True)):
        h = plot_h * value / top
        x = left + i * step + step * 0.15
        shapes.append(f'<rect class="bar" x="{x:.1f}" y="{base - h:.1f}" '
                      f'width="{step * 0.7:.1f}" height="{h:.1f}"><title>{escape(day)}: '
                      f"{value} requests, {line[i]} people</title></rect>")
    points = " ".join(
        f"{left + i * step + step / 2:.1f},{base - plot_h * v / line_top:.1f}"
        for i, v in enumerate(line)
    )
    if points:
        shapes.append(f'<polyline class="line" points="{points}"/>')
    labelled = range(len(days)) if len(days) <= DAY_LABELS else (0, len(days) - 1)
    for i in labelled:
        x = left + i * step + step / 2
        text = days[i][5:] if len(days) <= DAY_LABELS else days[i]
        shapes.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle">'
                      f"{escape(text)}</text>")
    return _svg(width, height, "Requests per day", shapes)


def bar_chart(items: list[tuple[str, int]], bad: Callable[[str], bool] | None = None) -> str:
    """Horizontal bars, one per (label, value)."""
    row, label_w, width = 20, 230, 560
    height = max(len(items), 1) * row + 8
    top = max([v for _, v in items] + [1])
    shapes = []
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        w = (width - label_w - 60) * value / top
        cls = "bar bad" if bad is not None and bad(label) else "bar"
        shapes.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">'
                      f"{escape(_short(label))}</text>")
        shapes.append(f'<rect class="{cls}" x="{label_w}" y="{y + 2}" width="{w:.1f}" '
                      f'height="{row - 6}"><title>{escape(label)}: {value}</title></rect>')
        shapes.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 13}">{_num(value)}</text>')
    return _svg(width, height, "Bar chart", shapes)


def sparkline(values: list[int], width: int = 220, height: int = 28) -> str:
    top = max([*values, 1])
    step = width / max(len(values) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{height - 2 - (height - 4) * v / top:.1f}" for i, v in enumerate(values)
    )
    return _svg(width, height, "Trend", [f'<polyline class="spark" points="{points}"/>'])


def sparkline_table(trend: dict[str, list[int]]) -> str:
    rows = "".join(
        f"<tr><td>{escape(service)}</td><td>{sparkline(values)}</td>"
        f'<td class="n">{_num(sum(values))}</td></tr>'
        for service, values in trend.items()
    )
    return f"<table><tr><th>service</th><th>per day</th><th>requests</th></tr>{rows}</table>"


def _svg(width: int, height: int, label: str, shapes: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            + "".join(shapes) + "</svg>")


def _table(table: Table) -> str:
    head = (f'<h3 id="table-{escape(table.name)}">{escape(table.title)}</h3>'
            f'<p class="note">{escape(table.note)}</p>')
    if not table.rows:
        return head + '<p class="empty">None in this period.</p>'
    header = "".join(f"<th>{escape(c.replace('_', ' '))}</th>" for c in table.columns)
    body = "".join(
        "<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in table.rows[:HTML_ROW_LIMIT]
    )
    more = len(table.rows) - HTML_ROW_LIMIT
    tail = (f'<p class="note">{_num(more)} more rows in the CSV or JSON output.</p>'
            if more > 0 else "")
    return (f'{head}<div class="scroll"><table data-table="{escape(table.name)}"><tr>{header}'
            f"</tr>{body}</table></div>{tail}")


def _cell(value: Cell) -> str:
    if isinstance(value, int | float):
        return f'<td class="n">{_num(value)}</td>'
    if isinstance(value, str) and STAMP.fullmatch(value):
        return f'<td><time datetime="{value}">{value[:10]} {value[11:16]}</time></td>'
    return f"<td>{escape('' if value is None else str(value))}</td>"


def _num(value: Cell) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return escape("" if value is None else str(value))


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _day(stamp: str | None) -> str:
    return stamp[:10] if stamp else ""


def _anchor(title: str) -> str:
    return title.lower().replace(" ", "-")


def _filters(summary: dict) -> str:
    f = summary["filters"]
    parts = [f"{summary['requests']:,} AI requests"]
    if f["group"]:
        parts.append(f"group {f['group']}")
    if f["since"] or f["until"]:
        parts.append(f"since {f['since'] or 'the start'} until {f['until'] or 'the end'}")
    if summary.get("policy_version"):
        parts.append(f"reviewed against policy {summary['policy_version']}")
    return " · ".join(parts)
