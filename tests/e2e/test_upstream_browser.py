"""A person in real Chromium whose AI site does not answer after "I understand, continue".

The proxy runs the shipped default policy (ChatGPT is warned) and routes every upstream
connection to a local port nothing listens on, so the site refuses the connection (nothing
leaves 127.0.0.1). mitmproxy would show its bare "502 Bad Gateway" page; aigate shows its own,
in the block page's shell: the policy allowed the request, the site did not answer, the request
id (the same as in the response header and the audit record), readable on a phone (no
horizontal scroll at 390 px) and free of serious axe-core findings.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from browserharness import DEFAULT_POLICY, fresh_page, launch_browser, screenshot
from playwright.sync_api import Browser
from proxyharness import (
    FakeUpstream,
    RunningProxy,
    catalog_hosts,
    refused_port,
    start_proxy,
    wait_for,
)

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class Unreachable:
    """Routes every upstream connection (the harness's routing loop reads `address`) to a
    local port nothing listens on."""

    def __init__(self, upstream: FakeUpstream) -> None:
        self.ca_path = upstream.ca_path
        self.address = self.plain_address = ("127.0.0.1", refused_port())


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningProxy, Browser]]:
    work = tmp_path_factory.mktemp("upstream-browser")
    upstream = FakeUpstream(work / "upstream", catalog_hosts())
    (work / "policy").mkdir()
    shutil.copy(DEFAULT_POLICY, work / "policy" / DEFAULT_POLICY.name)
    options = {"aigate_policy": str(work / "policy" / DEFAULT_POLICY.name),
               "aigate_audit_log": str(work / "audit.jsonl")}
    proxy = start_proxy(work / "confdir", Unreachable(upstream), options)
    proxy.audit_log = work / "audit.jsonl"  # type: ignore[attr-defined]
    try:
        with launch_browser(proxy.url, [proxy.ca_path]) as browser:
            yield proxy, browser
    finally:
        proxy.stop()
        upstream.close()


def decisions(log: Path, path: str) -> list[dict]:
    lines = log.read_text().splitlines() if log.exists() else []
    return [r for r in map(json.loads, lines)
            if r["event"] == "decision" and r["host"] == "chatgpt.com" and r["path"] == path]


def test_site_down_after_continue_shows_aigates_page_with_the_request_id(setup):
    proxy, browser = setup
    with fresh_page(browser) as page:
        assert page.goto("https://chatgpt.com/").status == 200  # the warn page: no upstream
        with page.expect_navigation(url="https://chatgpt.com/") as landed:
            page.get_by_role("button", name="I understand, continue").click()
        response = landed.value
        assert response.status == 502
        request_id = response.headers["x-aigate-request-id"]
        assert page.title() == "Not reached: ChatGPT (OpenAI) - Example Corp AI policy"
        assert page.locator("h1").inner_text() == "ChatGPT (OpenAI) did not answer"
        assert " ".join(page.locator(".reason").inner_text().split()) == (
            "The AI policy allowed this request, but chatgpt.com did not answer: it refused the "
            "connection."
        )
        assert page.locator("footer code").first.inner_text() == request_id
        assert page.get_by_role("link", name="Try again").get_attribute("href") == (
            "https://chatgpt.com/")
        assert "mitmproxy" not in page.content()
        screenshot(page, "browser-upstream-error")
        violations = [v for v in Axe().run(page, options={
            "runOnly": {"type": "tag", "values": AXE_TAGS}}).response["violations"]
            if v["impact"] in ("serious", "critical")]
        assert violations == []

        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    wait_for(lambda: decisions(proxy.audit_log, "/"))
    record = decisions(proxy.audit_log, "/")[-1]
    assert (record["outcome"], record["upstream_error"], record["status"]) == (
        "upstream_error", "refused", 502)
    assert record["request_id"] == request_id
    assert record["action"] == "warn"
