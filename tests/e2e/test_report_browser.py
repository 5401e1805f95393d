"""The HTML usage report in a real browser: generated audit logs (one day; 30 days of 120
people), `aigate report`, then headless Chromium opens the file offline at desktop and phone
widths: charts, the shadow-AI review list, tables that fit (no sideways scrolling), folded and
sortable rows, accessibility (axe), and printing.

Every request other than the file itself is refused and recorded: the report must need none.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aigate.cli import main
from axe_playwright_python.sync_playwright import Axe
from browserharness import FLAGS, SCREENSHOTS, TIMEOUT_MS, screenshot
from components import require_command
from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import gen_audit  # bench/, on sys.path above

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {"desktop": 1280, "phone": 390}
# 30 days of 120 people measured 19,454 px tall at 1280 px before the tables were folded.
UNFOLDED_HEIGHT = 19_454


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`aigate report` on a one-day log and on 30 days of 120 people."""
    work = tmp_path_factory.mktemp("report")
    made = {}
    for name, users, days in (("1-day", 20, 1), ("30-day", 120, 30)):
        log = work / f"{name}.jsonl"
        gen_audit.write_log(log, gen_audit.Traffic(users=users, seed=1), days=days)
        made[name] = work / f"{name}.html"
        assert main(["report", str(log), "-o", str(made[name])]) == 0
    return made


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = require_command("chromium", "chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    chromium_sandbox=False, args=list(FLAGS))
        try:
            yield browser
        finally:
            browser.close()


class Opened:
    """A report open in a fresh page, with every request besides the file refused."""

    def __init__(self, browser: Browser, path: Path, width: int, script: bool = True) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900},
                                           java_script_enabled=script)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.fetched: list[str] = []
        self.context.route("**/*", self._refuse_network)
        self.page = self.context.new_page()
        self.page.goto(path.as_uri())

    def _refuse_network(self, route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.fetched.append(route.request.url)
            route.abort()


@pytest.fixture
def open_report(browser: Browser, reports: dict[str, Path]) -> Iterator:
    opened: list[Opened] = []

    def open_(name: str = "30-day", width: int = 1280, script: bool = True) -> Page:
        opened.append(Opened(browser, reports[name], width, script))
        return opened[-1].page

    yield open_
    for o in opened:
        assert o.fetched == []
        o.context.close()


def test_the_report_opens_offline_with_its_charts(open_report):
    page = open_report()
    assert page.title() == "AI usage report"
    charts = page.locator("figure > svg, figure > ol.bars")
    assert charts.count() >= 6  # per day (2), services, status, data loss, actions, shadow
    for n in range(charts.count()):
        box = charts.nth(n).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 60
    assert page.locator("#ai-usage figure svg rect.bar").count() >= 20  # the working days
    assert page.locator("#ai-usage polyline.line").count() == 1
    assert page.locator("#ai-usage table.trend svg polyline.spark").count() == 8


def test_the_shadow_ai_list_ranks_services_and_unlisted_endpoints(open_report):
    page = open_report()
    shadow = page.locator('#shadow-ai table[data-table="shadow"] tbody tr')
    assert shadow.count() > 3
    users = [int(shadow.nth(n).locator("td").nth(3).inner_text()) for n in range(shadow.count())]
    assert users == sorted(users, reverse=True)
    names = page.locator('#shadow-ai table[data-table="shadow"] td:first-child').all_inner_texts()
    assert "chatgpt" not in names  # the shipped policy names it
    unlisted = page.locator('table[data-table="unlisted"] td:first-child').all_inner_texts()
    assert set(unlisted) <= {host for host, _ in gen_audit.UNLISTED} and unlisted
    assert page.locator("#shadow-ai figure ol.bars li").count() >= 3
    screenshot(page, "report-html")


def overflow(page: Page) -> dict:
    """How far the page scrolls sideways, and every table, chart or fold wider than the text
    column it sits in."""
    return page.evaluate("""() => {
        const main = document.querySelector('main');
        const right = main.getBoundingClientRect().right
            - parseFloat(getComputedStyle(main).paddingRight);
        const wide = [...main.querySelectorAll('table, figure, svg, details')]
            .filter(e => e.getBoundingClientRect().right > right + 1
                || e.scrollWidth > e.clientWidth + 1)
            .map(e => (e.dataset.table || e.dataset.fold || e.tagName) + ' ' +
                 Math.round(e.getBoundingClientRect().right - right) + 'px');
        return {page: document.documentElement.scrollWidth - innerWidth, wide: wide};
    }""")


@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize("name", ["1-day", "30-day"])
def test_nothing_scrolls_sideways(open_report, name, device):
    page = open_report(name, WIDTHS[device])
    assert overflow(page) == {"page": 0, "wide": []}
    page.locator("details.fold").evaluate_all("folds => folds.forEach(f => f.open = true)")
    assert overflow(page) == {"page": 0, "wide": []}  # the folded rows fit too
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"report-{name}-{device}.png"), full_page=True)


@pytest.mark.parametrize("device", WIDTHS)
def test_axe_finds_no_wcag_violation_with_the_folds_open(open_report, device):
    page = open_report("30-day", WIDTHS[device])
    page.locator("details.fold").evaluate_all("folds => folds.forEach(f => f.open = true)")
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response
    # Stricter than "nothing serious": any WCAG A/AA failure fails.
    assert result["violations"] == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5]) for v in result["violations"]
    )
    assert "color-contrast" in {r["id"] for r in result["passes"]}


def test_thirty_days_of_120_people_is_less_than_half_the_unfolded_height(open_report):
    page = open_report("30-day", 1280)
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"30 days, 120 people at 1280 px: {height:,} px (before: {UNFOLDED_HEIGHT:,} px)")
    assert height < UNFOLDED_HEIGHT / 2


def test_rows_past_the_top_ten_are_folded_until_opened(open_report):
    page = open_report()
    assert page.locator('table[data-table="users"] tbody tr').count() == 10
    folded = page.locator('table[data-fold="users"] tbody tr')
    assert folded.count() == 110
    assert not folded.first.is_visible()
    page.locator("details.fold summary", has_text="110 more rows of People").click()
    assert folded.first.is_visible()


def test_sorting_a_column_sorts_the_folded_rows_too(open_report):
    page = open_report()

    def requests_in(selector: str) -> list[int]:
        texts = page.locator(f"{selector} tbody td[data-label=requests]").evaluate_all(
            "cells => cells.map(cell => cell.textContent)")  # folded rows too
        return [int(t.replace(",", "")) for t in texts]

    everyone = requests_in('table[data-table="users"]') + requests_in('table[data-fold="users"]')
    heading = page.locator('table[data-table="users"] th', has_text="requests")
    heading.get_by_role("button").click()  # numbers: largest first, as computed
    heading.get_by_role("button").click()
    assert heading.get_attribute("aria-sort") == "ascending"
    shown = requests_in('table[data-table="users"]')
    assert shown == sorted(everyone)[:10] and len(requests_in('table[data-fold="users"]')) == 110


def test_one_day_states_its_figures_instead_of_one_huge_bar(open_report):
    page = open_report("1-day")
    assert page.locator('#ai-usage svg[aria-label="Requests per day"]').count() == 0
    assert "One day, " in page.locator("#ai-usage p.figure-note").inner_text()


def test_the_report_prints_without_its_script(open_report):
    page = open_report(script=False)
    assert page.locator("th button").count() == 0  # the sorter did not run
    assert page.locator('table[data-table="users"] tbody tr').count() == 10
    pdf = page.pdf(format="A4")
    assert pdf[:5] == b"%PDF-" and len(pdf) > 20_000
