"""Headless Chromium (Debian's, driven by Playwright) through a proxy started by the tests.

Shared by the browser and accessibility tests: Chromium trusts the proxy's CA (and the fake
upstream's, for passed-through sites) by SPKI pin, so no certificate store is touched, and
`playwright install` is never needed. Screenshots go to `SCREENSHOTS` (git-ignored), one file
per test, overwritten by each run, so a person can look at what the tests saw.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import shutil
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from components import require_command
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from playwright.sync_api import Browser, Page, Response, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "proxy"))

from proxyharness import FakeUpstream, RunningProxy, catalog_hosts, start_proxy

DEFAULT_POLICY = Path(__file__).resolve().parents[2] / "policies" / "default.yaml"
# A web app's prompt form, written into the (fake) service's own page: same origin, so the
# browser submits it as a person would (a navigation POST, form-urlencoded).
PROMPT_FORM = """<!doctype html><html lang="en"><head><title>Ask</title></head><body>
<form method="post" action="/chat/ask"><label for="q">Ask</label>
<textarea id="q" name="q"></textarea><button type="submit">Send</button></form></body></html>"""
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
TIMEOUT_MS = 15_000
FLAGS = (
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def spki_pin(ca_path: Path) -> str:
    """Chromium's SPKI pin of a certificate: base64(sha256(DER SubjectPublicKeyInfo))."""
    cert = x509.load_pem_x509_certificate(ca_path.read_bytes())
    der = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


@contextlib.contextmanager
def shipped_policy_proxy(work: Path) -> Iterator[tuple[RunningProxy, FakeUpstream]]:
    """The proxy on the shipped default policy, its audit log at `proxy.audit_log`, and the
    fake upstream it reaches for every host."""
    upstream = FakeUpstream(work / "upstream", catalog_hosts())
    policy_dir = work / "policy"
    policy_dir.mkdir()
    shutil.copy(DEFAULT_POLICY, policy_dir / DEFAULT_POLICY.name)
    confdir = work / "confdir"
    confdir.mkdir()
    log = work / "audit.jsonl"
    options = {"aigate_policy": str(policy_dir / DEFAULT_POLICY.name), "aigate_audit_log": str(log)}
    try:
        proxy = start_proxy(confdir, upstream, options)
        proxy.audit_log = log  # type: ignore[attr-defined]
        try:
            yield proxy, upstream
        finally:
            proxy.stop()
    finally:
        upstream.close()


@contextlib.contextmanager
def launch_browser(proxy_url: str, trusted_cas: list[Path]) -> Iterator[Browser]:
    """Debian's Chromium, headless, sending everything through `proxy_url`."""
    chromium = require_command("chromium", "chromium")
    pins = ",".join(spki_pin(ca) for ca in trusted_cas)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            headless=True,
            chromium_sandbox=False,
            args=[*FLAGS, f"--ignore-certificate-errors-spki-list={pins}"],
            proxy={"server": proxy_url},
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass(frozen=True)
class Shipped:
    """The proxy on the shipped policy, the fake upstream, and Chromium browsing through them."""

    proxy: RunningProxy
    upstream: FakeUpstream
    browser: Browser


@contextlib.contextmanager
def shipped_browser(work: Path, trust_upstream: bool = True) -> Iterator[Shipped]:
    """`shipped_policy_proxy` with Chromium through it, trusting aigate's CA and, with
    `trust_upstream`, the fake upstream's (for passed-through sites)."""
    with shipped_policy_proxy(work) as (proxy, upstream):
        cas = [proxy.ca_path, upstream.ca_path] if trust_upstream else [proxy.ca_path]
        with launch_browser(proxy.url, cas) as browser:
            yield Shipped(proxy, upstream, browser)


@contextlib.contextmanager
def fresh_page(browser: Browser) -> Iterator[Page]:
    """A new profile (no cookies) with a desktop-sized window."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def submit_prompt(page: Page, origin: str, text: str) -> Response:
    """Open the service at `origin`, type `text` into its prompt form and send it."""
    page.goto(f"{origin}/")
    page.set_content(PROMPT_FORM)
    page.fill("#q", text)
    with page.expect_navigation(url=f"{origin}/chat/ask") as sent:
        page.get_by_role("button", name="Send").click()
    return sent.value


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; fails if the file is not a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def screenshot(page: Page, name: str) -> Path:
    """Keep a full-page PNG of what the person sees as a test artefact; fail if it is blank."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    shot = page.screenshot(path=str(path), full_page=True)
    width, height = png_size(path)
    assert width >= 1280 and height >= 600, (width, height)
    assert len(shot) > 20_000, f"the screenshot {path} looks blank"
    return path


def folded(text: str) -> str:
    """Whitespace collapsed, as a browser renders it."""
    return " ".join(text.split())
