"""The HTML usage report in a real browser: a generated week of audit log, `aigate report`, then
headless Chromium opens the file offline and shows the charts and the shadow-AI review list.

Every request other than the file itself is refused and recorded: the report must need none.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aigate.cli import main
from browserharness import FLAGS, TIMEOUT_MS, screenshot
from components import require_command
from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import gen_audit  # bench/, on sys.path above


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("report")
    log = work / "audit.jsonl"
    gen_audit.write_log(log, gen_audit.Traffic(users=60, seed=1), days=7)
    out = work / "report.html"
    assert main(["report", str(log), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def page(report_file: Path) -> Iterator[tuple[Page, list[str]]]:
    chromium = require_command("chromium", "chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    chromium_sandbox=False, args=list(FLAGS))
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        fetched: list[str] = []

        def refuse_network(route) -> None:
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                fetched.append(route.request.url)
                route.abort()

        context.route("**/*", refuse_network)
        page = context.new_page()
        page.goto(report_file.as_uri())
        try:
            yield page, fetched
        finally:
            browser.close()


def test_the_report_opens_offline_with_its_charts(page):
    page, fetched = page
    assert page.title() == "AI usage report"
    assert fetched == []
    charts = page.locator("figure svg")
    assert charts.count() >= 4  # requests per day, top services, service trends, actions, shadow
    for n in range(charts.count()):
        box = charts.nth(n).bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 20
    assert page.locator("#ai-usage figure svg rect.bar").count() >= 5  # five working days
    assert page.locator("#ai-usage polyline.line").count() == 1


def test_the_shadow_ai_list_ranks_services_and_unlisted_endpoints(page):
    page, _ = page
    shadow = page.locator('#shadow-ai table[data-table="shadow"] tr')
    assert shadow.count() > 3
    users = [int(shadow.nth(n).locator("td").nth(3).inner_text())
             for n in range(1, shadow.count())]
    assert users == sorted(users, reverse=True)
    names = page.locator('#shadow-ai table[data-table="shadow"] td:first-child').all_inner_texts()
    assert "chatgpt" not in names  # the shipped policy names it
    unlisted = page.locator('table[data-table="unlisted"] td:first-child').all_inner_texts()
    assert set(unlisted) <= {host for host, _ in gen_audit.UNLISTED} and unlisted
    assert page.locator("#shadow-ai figure svg rect.bar").count() >= 3
    screenshot(page, "report-html")


def test_the_report_prints(page):
    page, _ = page
    pdf = page.pdf(format="A4")
    assert pdf[:5] == b"%PDF-" and len(pdf) > 20_000
