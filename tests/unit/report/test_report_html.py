"""The HTML report's page: escaping of what the log says, folded tables, charts that scale, KPI
cards from the summary. Layout in a real browser is in tests/e2e/test_report_browser.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.report import build_report
from aigate.report.model import Report, Table
from aigate.report.render_html import (
    FOLD_AT,
    TOP_ROWS,
    bar_chart,
    column_chart,
    html_table,
    render_html,
)
from markupsafe import escape
from report_log import crafted, decision, websocket, write_jsonl

EVIL = '<script>alert("x")</script>'
SORT_SCRIPT = re.compile(r"<script>\n// Sortable tables.*?</script>", re.S)


def report_of(*tables: Table, days: tuple[str, ...] = ("2026-03-02", "2026-03-03"),
              **summary: Any) -> Report:
    """A report with just these tables and summary figures, as the renderer receives it."""
    base: dict[str, Any] = {
        "first": f"{days[0]}T09:00:00.000Z", "last": f"{days[-1]}T17:00:00.000Z",
        "requests": 10, "users": 2, "services": 1, "days": len(days), "unlisted_hosts": 0,
        "blocked": 1, "filters": {"since": None, "until": None, "group": None},
    }
    base.update(summary)
    return Report(summary=base, tables={t.name: t for t in tables}, days=list(days),
                  daily_requests=[5] * len(days), daily_users=[2] * len(days),
                  service_trend={}, action_totals=[])


def numbered(name: str, rows: int) -> Table:
    return Table(name, f"Table {name}", "A note.", ("user", "requests"),
                 [(f"user{n:03d}", 1000 - n) for n in range(rows)])


class Elements(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The real pipeline on a log whose user, service, host and path names are markup."""
    work = tmp_path_factory.mktemp("hostile")
    records = [*crafted()]
    for minute in range(3):
        records.append(decision(f"2026-03-02T09:1{minute}:00", EVIL, EVIL, "blocked",
                                action="block", groups=(EVIL,), inspected=True,
                                dlp_action="block", findings=((EVIL, EVIL, 1),),
                                host=f"{EVIL}.example", path=f"/{EVIL}"))
    records.append(decision("2026-03-02T09:20:00", EVIL, None, "allowed", groups=(),
                            host=f"{EVIL}.example", path=f"/v1/{EVIL}",
                            endpoint="openai-chat"))
    records.append(websocket("2026-03-02T09:30:00", EVIL))
    log = write_jsonl(work / "audit.jsonl", records)
    return render_html(build_report([log], load_policy(str(DEFAULT_POLICY))))


def test_markup_in_the_log_never_reaches_the_page_unescaped(hostile_html):
    without_own_script = SORT_SCRIPT.sub("", hostile_html)
    assert "<script" not in without_own_script
    assert "alert(" not in SORT_SCRIPT.search(hostile_html).group(0)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in hostile_html  # table cells
    assert "<svg" in hostile_html and "onerror" not in hostile_html


def test_chart_labels_from_the_log_are_escaped(hostile_html):
    bar_labels = re.findall(r'<span class="label">([^<]*)</span>', hostile_html)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in bar_labels
    trend = hostile_html.split('<table class="trend">')[1].split("</table>")[0]  # SVG, Markup
    assert "<td>&lt;script&gt;alert(" in trend and "<script" not in trend


@pytest.mark.parametrize("label", [EVIL, "a & b", '"quoted" <b>bold</b>'])
def test_bar_chart_labels_are_escaped_by_the_template(label):
    services = Table("services", "Services", "", ("service", "category", "requests"),
                     [(label, "chat", 3)])
    html = render_html(report_of(services))
    assert f'<span class="label">{escape(label)}</span>' in html
    assert "<b>bold" not in html


def test_the_page_is_one_file_that_fetches_nothing(hostile_html):
    assert hostile_html.startswith("<!DOCTYPE html>")
    for tag, attrs in tags(hostile_html):
        assert tag not in ("link", "img", "iframe", "object", "embed"), tag
        assert "src" not in attrs and not (attrs.get("href") or "#").partition("#")[0], attrs
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg\")", hostile_html)
    assert "@import" not in hostile_html and "url(" not in hostile_html


def test_a_long_table_shows_its_top_rows_and_folds_the_rest():
    html = render_html(report_of(numbered("users", 25)))
    shown, folded = html.split('<details class="fold">')
    assert shown.count("<td data-label=\"user\"") == TOP_ROWS
    assert folded.count("<td data-label=\"user\"") == 25 - TOP_ROWS
    assert f"<summary>{25 - TOP_ROWS} more rows of Table users</summary>" in folded
    assert 'data-fold="users"' in folded  # the sort script sorts both parts as one table


def test_a_table_just_over_the_top_rows_is_not_folded():
    html = render_html(report_of(numbered("users", FOLD_AT - 1)))
    assert "<details" not in html
    assert html.count('<td data-label="user"') == FOLD_AT - 1


def test_a_total_row_stays_below_the_top_rows():
    rows = [(f"s{n}", n) for n in range(20)] + [("(all)", 190)]
    table = Table("coverage", "Coverage", "", ("service", "inspected"), rows)
    html = render_html(report_of(table))
    shown, folded = html.split('<details class="fold">')
    assert "(all)" in shown.split("<tfoot>")[1] and "(all)" not in folded


def test_rows_beyond_the_page_limit_point_to_csv_and_json():
    view = html_table(numbered("users", 300))
    assert len(view.top) + len(view.folded) == 250 and view.omitted == 50


def test_one_day_draws_no_lone_bar_but_states_its_figures():
    html = render_html(report_of(days=("2026-03-02",)))
    assert 'aria-label="Requests per day"' not in html
    assert "One day, 2026-03-02: 5 requests by 2 people." in html


def test_a_short_period_draws_bars_a_week_wide_not_the_whole_chart():
    svg = str(column_chart(["2026-03-02", "2026-03-03"], [10, 20], [1, 2]))
    widths = [float(w) for w in re.findall(r'<rect class="bar"[^>]*width="([\d.]+)"', svg)]
    assert len(widths) == 2 and all(w < 560 / 7 for w in widths)


def test_charts_scale_to_their_container():
    svg = str(column_chart(["2026-03-02", "2026-03-03"], [10, 20], [1, 2]))
    assert re.search(r'viewBox="0 0 \d+ \d+"', svg)
    css = render_html(report_of())
    assert "figure > svg { display: block; width: 100%; height: auto; }" in css


def test_bars_are_sized_against_the_largest_and_blocked_ones_marked():
    bars = bar_chart([("allowed", 40), ("blocked by policy", 10)], lambda s: "blocked" in s)
    assert [(b.label, b.value, b.share, b.bad) for b in bars] == [
        ("allowed", "40", 1.0, False), ("blocked by policy", "10", 0.25, True)]


def test_long_action_headings_are_shortened_with_the_whole_name_kept():
    table = Table("actions_by_service", "Actions by service", "",
                  ("service", "requests", "would have been blocked: sensitive data"),
                  [("chatgpt", 3, 1)])
    html = render_html(report_of(table))
    assert ('title="would have been blocked: sensitive data" aria-label="would have been '
            'blocked: sensitive data">would block: data</th>') in html


def test_a_wide_table_becomes_cards_on_narrow_screens_and_a_small_one_never():
    wide = Table("wide", "Wide", "", tuple(f"column_{n}" for n in range(12)),
                 [tuple(range(12))])
    small = Table("days", "Days", "", ("day", "requests"), [("2026-03-02", 3)])
    assert html_table(wide).stack_below > 480
    assert html_table(small).stack_below == 0
    html = render_html(report_of(wide, small))
    assert f"table.stack-{html_table(wide).stack_below} thead" in html  # its CSS is there
    assert '<td data-label="column 3" class="n" data-sort="3">3</td>' in html  # card label


def test_each_kind_of_cell_is_marked_up_for_sorting_cards_and_times():
    """Long text gets a line of its own on a card; numbers sort by value; times are <time>."""
    table = Table("people", "People", "", ("user", "requests", "blocked", "share", "last"),
                  [(EVIL, 1234, 0, 2.5, "2026-03-02T09:15:00.000Z")])
    (row,) = html_table(table).top
    assert row == (
        '<tr><td data-label="user" class="long">'
        '&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</td>'
        '<td data-label="requests" class="n" data-sort="1234">1,234</td>'
        '<td data-label="blocked" class="n zero" data-sort="0">0</td>'
        '<td data-label="share" class="n" data-sort="2.5">2.5</td>'
        '<td data-label="last" data-sort="2026-03-02T09:15:00.000Z">'
        '<time datetime="2026-03-02T09:15:00.000Z">2026-03-02 09:15</time></td></tr>\n')


def test_kpi_cards_show_the_summary_figures_and_the_change_on_the_previous_period():
    html = render_html(report_of(
        data_loss_events=12, data_loss_blocked=7, data_loss_users=4, sanctioned_percent=61.5,
        unsanctioned_requests=40, page_views=30, prompts=0,
        previous={"since": "2026-02-28T00:00:00", "until": "2026-03-02T00:00:00",
                  "covered": True, "requests": 8, "prompts": 0},
        change_percent={"requests": 25.0, "prompts": None},
    ))
    cards = re.findall(r'<li class="kpi">(.*?)</li>', html, re.S)
    text = [" ".join(re.sub(r"<[^>]+>", " ", card).split()) for card in cards]
    assert "10 AI requests +25% vs previous" in text
    assert "12 data-loss events 7 blocked · 4 people" in text
    assert "62% sanctioned share 40 requests elsewhere" in text
    assert "0 prompts" in text  # no change shown: none then, none now
    assert "Changes compare with the previous period, 2026-02-28 to 2026-03-02" in html


def test_figures_the_report_does_not_have_get_no_card():
    html = render_html(report_of(sanctioned_percent=None, new_services=None))
    assert "sanctioned share" not in html and "new services" not in html
    assert "vs previous" not in html


def test_a_table_no_section_names_is_still_shown():
    html = render_html(report_of(numbered("brand_new", 2)))
    assert 'data-table="brand_new"' in html and 'href="#more"' in html


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "audit.jsonl", crafted())


def test_the_sort_script_is_the_only_script_and_tables_read_without_it(log):
    html = render_html(build_report([log], load_policy(str(DEFAULT_POLICY))))
    assert html.count("<script") == 1 and SORT_SCRIPT.search(html)
    assert '<th scope="col" class="n">requests</th>' in html  # a plain heading; buttons by JS
