"""The pages aigate shows people pass the accessibility essentials, checked in a real browser.

Each page (block, warn, DLP block) is opened through the real proxy on the shipped policy, as in
test_browser.py, then checked twice: by axe-core (bundled by the axe-playwright-python package,
so nothing is downloaded) with the WCAG 2.x A/AA rules, in light and dark colour schemes, and by
explicit assertions on what matters most for these pages: a language, one h1, headings in order,
every control named, and the way on reachable from the keyboard.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from browserharness import screenshot, submit_prompt
from playwright.sync_api import Page

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AWS_KEY_ID = "AKIAQ3EGRLMNV4XKTYJW"


def open_block_page(page: Page) -> None:
    assert page.goto("https://chat.deepseek.com/").status == 403


def open_warn_page(page: Page) -> None:
    assert page.goto("https://chatgpt.com/").status == 200
    assert page.get_by_role("button", name="I understand, continue").count() == 1


def open_dlp_block_page(page: Page) -> None:
    response = submit_prompt(page, "https://m365.cloud.microsoft", f"aws key {AWS_KEY_ID}")
    assert response.status == 403
    assert page.locator("section[aria-labelledby=h-found]").count() == 1


PAGES: list[tuple[str, Callable[[Page], None]]] = [
    ("block", open_block_page),
    ("warn", open_warn_page),
    ("dlp-block", open_dlp_block_page),
]
PAGE_IDS = [name for name, _ in PAGES]


def axe_report(page: Page) -> dict:
    """axe-core's results for the page, WCAG 2.x A and AA rules."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
    return Axe().run(page, options=options).response


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"])
        for v in violations
    )


def test_axe_really_runs_and_flags_a_bad_page(page):
    """The checker is live in this browser: a page without lang, with faint text, fails."""
    page.set_content('<title>x</title><p style="color:#ccc;background:#fff">faint</p>'
                     '<input type="text">')
    found = {v["id"] for v in axe_report(page)["violations"]}
    assert {"html-has-lang", "color-contrast", "label"} <= found


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("open_page", [p for _, p in PAGES], ids=PAGE_IDS)
def test_page_has_no_serious_axe_violations_and_passes_contrast(page, open_page, scheme):
    page.emulate_media(color_scheme=scheme)
    open_page(page)
    report = axe_report(page)
    # Stricter than "no serious or critical": any WCAG A/AA failure fails.
    assert report["violations"] == [], describe(report["violations"])
    # Contrast was really checked (not skipped as undecidable) and every text passed.
    assert "color-contrast" in {r["id"] for r in report["passes"]}
    assert "color-contrast" not in {r["id"] for r in report["violations"] + report["incomplete"]}
    screenshot(page, f"a11y-{open_page.__name__.removeprefix('open_')}-{scheme}")


@pytest.mark.parametrize("open_page", [p for _, p in PAGES], ids=PAGE_IDS)
def test_page_has_a_language_one_h1_and_headings_in_order(page, open_page):
    open_page(page)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.title().strip()
    levels = page.eval_on_selector_all(
        "h1, h2, h3, h4, h5, h6", "hs => hs.map(h => Number(h.tagName[1]))"
    )
    assert levels.count(1) == 1 and levels[0] == 1, levels
    jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert not jumps, f"heading levels skip: {levels}"
    assert page.locator("main").count() == 1


@pytest.mark.parametrize("open_page", [p for _, p in PAGES], ids=PAGE_IDS)
def test_every_control_and_link_has_an_accessible_name(page, open_page):
    open_page(page)
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll(
                'a[href], button, input:not([type=hidden]), select, textarea')]
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby') && !el.textContent.trim())
            .map(el => el.outerHTML)"""
    )
    assert unnamed == []


def focus_by_tab(page: Page, accessible_name: str, limit: int = 20) -> int:
    """Press Tab until the element named `accessible_name` has focus; how many presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => (document.activeElement.getAttribute('aria-label')"
            " || document.activeElement.textContent || '').trim()"
        )
        if focused == accessible_name:
            return presses
    raise AssertionError(f"{accessible_name!r} never received keyboard focus")


def test_continue_button_takes_keyboard_focus_and_enter_continues(page):
    open_warn_page(page)
    focus_by_tab(page, "I understand, continue")
    focused = page.evaluate(
        "() => [document.activeElement.tagName, document.activeElement.type,"
        " getComputedStyle(document.activeElement).outlineStyle]"
    )
    assert focused == ["BUTTON", "submit", "solid"], "focus is not visible on the button"
    with page.expect_navigation(url="https://chatgpt.com/", wait_until="commit") as landed:
        page.keyboard.press("Enter")
    assert landed.value.headers["x-upstream"] == "fake"


def test_block_page_alternative_is_the_first_stop_for_the_keyboard(page):
    open_block_page(page)
    assert focus_by_tab(page, "Microsoft 365 Copilot") == 1

