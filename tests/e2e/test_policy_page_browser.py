"""The policy for people, as a person reaches it: headless Chromium through the real proxy opens
http(s)://aigate.policy/ (served by the proxy itself from policies/default.yaml) and follows the
link on a block page. Screenshots and a printed PDF land in tests/artifacts/ (see
browserharness.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aigate.policy.load import load_policy
from aigate.policy.loaded import LoadedPolicy
from browserharness import DEFAULT_POLICY, SCREENSHOTS, Shipped, screenshot
from playwright.sync_api import Page
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
