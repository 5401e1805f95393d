"""The policy for people, as a person reaches it: headless Chromium through the real proxy opens
http(s)://aigate.policy/ (served by the proxy itself from policies/default.yaml) and follows the
link on a block page, on a desktop and on a phone (no sideways scrolling, rows stacked, axe
clean). Screenshots and a printed PDF land in tests/artifacts/ (see browserharness.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aigate.policy.load import load_policy
from aigate.policy.loaded import LoadedPolicy
from axe_playwright_python.sync_playwright import Axe
from browserharness import DEFAULT_POLICY, SCREENSHOTS, TIMEOUT_MS, Shipped, screenshot
from playwright.sync_api import BrowserContext, Page
from proxyharness import FakeUpstream

SECTIONS = [
    "Contents", "Purpose", "Scope", "Definitions", "Guidelines", "AI tools",
    "Requesting a new AI tool", "Data rules", "Training", "Contact", "Violations", "Disclaimer",
    "Acknowledgement",
]


@pytest.fixture(scope="module")
def policy() -> LoadedPolicy:
    return load_policy(DEFAULT_POLICY)


@pytest.fixture(scope="module")
def browser_trusts_upstream() -> bool:
    return False  # pages served by the proxy itself: only aigate's CA is needed


@pytest.fixture(scope="module")
def upstream(shipped: Shipped) -> FakeUpstream:
    return shipped.upstream


def _console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def _never_dialled(upstream: FakeUpstream) -> None:
    assert "aigate.policy" not in upstream.sni
    assert not [r for r in upstream.requests if r.host.split(":", 1)[0] == "aigate.policy"]


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_policy_page_opens_with_every_section_styled(page, upstream, policy, scheme):
    errors = _console_errors(page)
    response = page.goto(f"{scheme}://aigate.policy/")
    assert response.status == 200
    title = f"{policy.policy.organisation} AI acceptable use policy"
    assert page.title() == title
    assert page.locator("h1").inner_text() == title
    assert page.locator("h2").all_inner_texts() == SECTIONS
    # The stylesheet is allowed by its CSP hash: the layout is applied, nothing was refused.
    assert page.locator("main").evaluate("m => getComputedStyle(m).maxWidth") == "992px"
    assert errors == []
    for name in ("Microsoft 365 Copilot", "DeepSeek Chat", "ChatGPT"):
        assert page.get_by_role("link", name=name, exact=True).count() >= 1
    if scheme == "https":
        assert "mitmproxy" in response.security_details()["issuer"]
    screenshot(page, f"policy-page-{scheme}")
    _never_dialled(upstream)


def test_contents_link_to_the_sections(page):
    page.goto("http://aigate.policy/")
    page.locator("nav").get_by_role("link", name="Data rules").click()
    assert page.url == "http://aigate.policy/#data-rules"
    assert page.locator("#data-rules").is_visible()
    assert "code-names" in page.locator("main").inner_text()
    assert "Project Falcon" not in page.content()  # keyword lists are named, never spelled out


def test_block_page_links_to_the_policy_page(page, upstream, policy):
    response = page.goto("https://chat.deepseek.com/")
    assert response.status == 403
    link = page.get_by_role("link", name="Read the full AI policy")
    assert link.get_attribute("href") == "http://aigate.policy/"
    with page.expect_navigation():
        link.click()
    # Chromium may upgrade the navigation to https; the proxy answers both.
    assert page.url in ("http://aigate.policy/", "https://aigate.policy/")
    assert page.locator("h1").inner_text().endswith("AI acceptable use policy")
    assert page.locator("#blocked-tools").is_visible()
    screenshot(page, "policy-page-from-block-page")
    _never_dialled(upstream)


def test_policy_prints_to_pdf(page):
    page.goto("http://aigate.policy/")
    page.emulate_media(media="print")
    assert page.locator("body").evaluate("b => getComputedStyle(b).backgroundColor") in (
        "rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = Path(SCREENSHOTS / "policy.pdf")
    page.pdf(path=str(pdf), format="A4")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 3


# --- on a phone and on a desktop (issue 19) ---------------------------------------------------

PHONE, DESKTOP = 390, 1280
# The page before rows were stacked measured 14,996 px tall at 390 px (tables squeezed to one
# word per line); what is left now is the text itself.
PHONE_HEIGHT_LIMIT = 13_000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def sized(shipped: Shipped) -> Iterator[Callable[[int], Page]]:
    """Opens the policy page in a fresh profile `width` px wide (a phone below 640 px)."""
    contexts: list[BrowserContext] = []

    def open_at(width: int) -> Page:
        phone = width < 640
        context = shipped.browser.new_context(
            viewport={"width": width, "height": 844 if phone else 900}, is_mobile=phone,
            has_touch=phone,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        assert page.goto("http://aigate.policy/").status == 200
        return page

    yield open_at
    for context in contexts:
        context.close()


def _extent(page: Page) -> dict[str, int]:
    return page.evaluate(
        "() => ({height: document.documentElement.scrollHeight,"
        " scrollWidth: document.documentElement.scrollWidth,"
        " width: document.documentElement.clientWidth,"
        " widest: Math.max(...[...document.querySelectorAll('main *')]"
        "   .map(e => e.getBoundingClientRect().right))})"
    )


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_nothing_overflows_sideways(sized, width):
    page = sized(width)
    extent = _extent(page)
    print(f"policy page at {width} px: {extent['height']} px tall")
    assert extent["scrollWidth"] <= extent["width"], extent
    assert extent["widest"] <= extent["width"] + 0.5, extent


def test_rows_stack_on_a_phone_each_cell_named_by_its_column(sized):
    phone, desktop = sized(PHONE), sized(DESKTOP)
    cell = "#blocked-tools + .table td"
    assert phone.locator(cell).first.evaluate("td => getComputedStyle(td).display") == "block"
    assert desktop.locator(cell).first.evaluate("td => getComputedStyle(td).display") == (
        "table-cell"
    )
    label = phone.locator(cell).first.evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert label == '"Why: "'
    # "Why" reads as prose across the screen, not one word per line in a squeezed column.
    widths = phone.locator("td[data-label=Why]").evaluate_all(
        "tds => tds.map(td => td.getBoundingClientRect().width"
        " / td.closest('main').clientWidth)"
    )
    assert widths and min(widths) > 0.8, widths
    assert phone.locator("#approved-tools + .table tbody th").first.inner_text().startswith(
        "Microsoft 365 Copilot"
    )


def test_the_page_is_much_shorter_on_a_phone(sized):
    height = _extent(sized(PHONE))["height"]
    print(f"policy page at {PHONE} px: {height} px tall (was 14,996)")
    assert height < PHONE_HEIGHT_LIMIT


def test_every_service_list_opens_and_prints_unfolded(sized):
    page = sized(PHONE)
    lists = page.locator("details")
    assert lists.count() >= 12
    first = lists.first
    name = first.locator("li").first
    assert not name.is_visible()
    first.locator("summary").click()
    assert name.is_visible()
    closed = lists.nth(1).locator("li").first
    page.emulate_media(media="print")
    assert closed.is_visible()  # a printed, signed copy lists every service


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_policy_page_has_no_axe_violations(sized, scheme, width):
    page = sized(width)
    page.emulate_media(color_scheme=scheme)
    page.locator("details").first.locator("summary").click()  # check an opened list too
    report = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response
    violations = [
        f"{v['id']}: {v['help']} at " + ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        for v in report["violations"]
    ]
    assert violations == []
    assert "color-contrast" in {r["id"] for r in report["passes"]}
    if width == PHONE:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"policy-page-phone-{scheme}.png"), full_page=True)
