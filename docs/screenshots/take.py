"""Take the screenshots under docs/screenshots/: what people and admins see, before installing.

Usage: make screenshots   (or .venv/bin/python docs/screenshots/take.py)

Runs the real proxy on the shipped default policy (the test harness's, routing every AI host to
a local fake upstream; nothing leaves 127.0.0.1) and Debian's Chromium through it, at 1280 and
390 pixels wide: the warn page, the block page, a prompt blocked for a secret, the policy page,
a site that does not answer, and `aigate report` on generated audit logs of 1 and 30 days.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "e2e"), str(ROOT / "tests" / "proxy")]

from browserharness import (  # noqa: E402  # the tests' harness: real proxy, real Chromium
    DEFAULT_POLICY,
    launch_browser,
    shipped_policy_proxy,
    submit_prompt,
)
from playwright.sync_api import Browser, Page  # noqa: E402
from proxyharness import FakeUpstream, catalog_hosts, start_proxy  # noqa: E402
from test_upstream_browser import Unreachable  # noqa: E402

OUT = Path(__file__).resolve().parent
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
LONG = 2400  # pixels kept of the policy document and the reports
# A made-up key in AWS's format, which the shipped policy blocks.
SECRET_PROMPT = ("Why does this fail? aws_secret_access_key = "
                 + "kP9x2Lm4Qr7Tz1Vb8Nc3Wd6Ye5Hf0Jg2Ks4Lp7Mq")


def shoot(browser: Browser, name: str, visit, top: int | None = None) -> None:
    """`visit(page)` at every width; saves `<name>-<width>.png`: the whole page, or its first
    `top` pixels (long documents: the rest is in the HTML)."""
    for label, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        try:
            page = context.new_page()
            visit(page)
            path = OUT / f"{name}-{label}.png"
            height = page.evaluate("document.documentElement.scrollHeight")
            clip = {"x": 0, "y": 0, "width": width, "height": min(height, top)} if top else None
            page.screenshot(path=str(path), full_page=True, clip=clip)
            print(f"{path.relative_to(ROOT)}")
        finally:
            context.close()


def continue_past_warning(page: Page, url: str) -> None:
    page.goto(url)
    with page.expect_navigation():
        page.get_by_role("button", name="I understand, continue").click()


def pages(work: Path) -> None:
    def secret(page: Page) -> None:
        continue_past_warning(page, "https://chatgpt.com/")
        submit_prompt(page, "https://chatgpt.com", SECRET_PROMPT)

    with (shipped_policy_proxy(work / "shipped") as (proxy, upstream),
          launch_browser(proxy.url, [proxy.ca_path, upstream.ca_path]) as browser):
        shoot(browser, "warn", lambda p: p.goto("https://chatgpt.com/"))
        shoot(browser, "block", lambda p: p.goto("https://chat.deepseek.com/"))
        shoot(browser, "policy", lambda p: p.goto("http://aigate.policy/"), top=LONG)
        shoot(browser, "dlp-block", secret)
    upstream = FakeUpstream(work / "upstream", catalog_hosts())
    (work / "down" / "policy").mkdir(parents=True)
    shutil.copy(DEFAULT_POLICY, work / "down" / "policy" / DEFAULT_POLICY.name)
    options = {"aigate_policy": str(work / "down" / "policy" / DEFAULT_POLICY.name),
               "aigate_audit_log": str(work / "down" / "audit.jsonl")}
    proxy = start_proxy(work / "down" / "confdir", Unreachable(upstream), options)
    try:
        with launch_browser(proxy.url, [proxy.ca_path]) as browser:
            shoot(browser, "site-down",
                  lambda p: continue_past_warning(p, "https://chatgpt.com/"))
    finally:
        proxy.stop()
        upstream.close()


def reports(work: Path) -> None:
    python = sys.executable
    aigate = str(Path(python).with_name("aigate"))
    with launch_browser("http://127.0.0.1:9", []) as browser:  # file:// pages skip the proxy
        for days in (1, 30):
            log = work / f"audit-{days}.jsonl"
            html = work / f"report-{days}.html"
            subprocess.run([python, str(ROOT / "bench" / "gen_audit.py"), "-o", str(log),
                            "--days", str(days), "--users", "120", "--seed", "7"], check=True)
            subprocess.run([aigate, "report", str(log), "-o", str(html)], check=True)
            shoot(browser, f"report-{days}-day{'s' if days > 1 else ''}",
                  lambda p, html=html: p.goto(html.as_uri()), top=LONG)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="aigate-screenshots-") as tmp:
        pages(Path(tmp))
        reports(Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
