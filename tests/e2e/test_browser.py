"""A real person in a real browser: headless Chromium (Playwright) through the real proxy.

The policy under test is the shipped default (policies/default.yaml): DeepSeek is blocked,
ChatGPT is warned, consumer Copilot is redirected to Microsoft 365 Copilot Chat. Every upstream
connection goes to the fake TLS upstream (tests/proxy/proxyharness.py), so no request leaves
127.0.0.1. Chromium trusts the proxy's CA (and the fake upstream's, for passthrough) through
`--ignore-certificate-errors-spki-list`. One browser and one proxy serve the whole module.

Chromium sends background requests of its own (update and account checks) through the proxy:
assertions look only at the hosts a test opens.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import struct
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "proxy"))

from aigate.flowstate import FLOW_KEY
from aigate.policy.load import load_policy
from aigate.policy.loaded import LoadedPolicy
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from proxyharness import (
    FakeUpstream,
    RunningProxy,
    SeenRequest,
    catalog_hosts,
    start_proxy,
    wait_for,
)

POLICY = Path(__file__).resolve().parents[2] / "policies" / "default.yaml"
CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = (
    "Debian's Chromium is needed for the browser tests: "
    "apt-get install -y --no-install-recommends chromium fonts-liberation"
)
TIMEOUT_MS = 15_000
ACK_COOKIE = "aigate_ack"


def spki_pin(ca_path: Path) -> str:
    """Chromium's SPKI pin of a certificate: base64(sha256(DER SubjectPublicKeyInfo))."""
    cert = x509.load_pem_x509_certificate(ca_path.read_bytes())
    der = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; fails if the file is not a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def screenshot(page: Page, path: Path) -> None:
    """A full-page PNG of what the person sees; fails if it is not a plausible picture."""
    shot = page.screenshot(path=str(path), full_page=True)
    width, height = png_size(path)
    assert width >= 1280 and height >= 600, (width, height)
    assert len(shot) > 20_000, "the screenshot looks blank"


def outcome(proxy: RunningProxy, url: str) -> str:
    """The proxy's outcome for the last flow to `url` (flows are logged just after the reply)."""
    wait_for(lambda: any(f.request.url == url for f in proxy.flows))
    return next(f for f in reversed(proxy.flows) if f.request.url == url).metadata[FLOW_KEY].outcome


def seen_by_upstream(upstream: FakeUpstream, host: str) -> list[SeenRequest]:
    """Requests the fake upstream received for `host` (the Host header, port stripped)."""
    return [r for r in upstream.requests if r.host.split(":", 1)[0] == host]


def is_navigation(request: SeenRequest) -> bool:
    return request.headers.get("sec-fetch-mode") == "navigate"


def folded(text: str) -> str:
    """Whitespace collapsed, as a browser renders it."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="module")
def policy() -> LoadedPolicy:
    return load_policy(POLICY)


@pytest.fixture(scope="module")
def upstream(work: Path) -> Iterator[FakeUpstream]:
    server = FakeUpstream(work / "upstream", catalog_hosts())
    yield server
    server.close()


@pytest.fixture(scope="module")
def proxy(work: Path, upstream: FakeUpstream) -> Iterator[RunningProxy]:
    policy_dir = work / "policy"
    policy_dir.mkdir()
    shutil.copy(POLICY, policy_dir / POLICY.name)
    confdir = work / "confdir"
    confdir.mkdir()
    running = start_proxy(confdir, upstream, {"aigate_policy": str(policy_dir / POLICY.name)})
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser(proxy: RunningProxy, upstream: FakeUpstream) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found. {INSTALL_HINT}")
    pins = f"{spki_pin(proxy.ca_path)},{spki_pin(upstream.ca_path)}"
    args = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--ignore-certificate-errors-spki-list={pins}",
    ]
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            chromium_sandbox=False,
            args=args,
            proxy={"server": proxy.url},
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile (no cookies) per test, with a desktop-sized window."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


def test_blocked_service_shows_the_block_page_and_never_reaches_upstream(
    page, proxy, upstream, policy, tmp_path
):
    rule = policy.policy.services["deepseek"]
    response = page.goto("https://chat.deepseek.com/")
    assert response.status == 403
    assert page.url == "https://chat.deepseek.com/"
    assert page.title().startswith("Blocked: DeepSeek Chat")
    assert page.locator("h1").inner_text() == "DeepSeek Chat is blocked"
    assert folded(page.locator(".reason").inner_text()) == folded(rule.reason)

    alternative = page.locator("a.alt")
    assert alternative.inner_text() == "Microsoft 365 Copilot"
    assert alternative.get_attribute("href") == "https://copilot.cloud.microsoft/"

    contact = page.locator("section[aria-labelledby=h-contact]")
    assert policy.policy.contact.name in contact.inner_text()
    mail = contact.locator("a[href^='mailto:']")
    assert mail.get_attribute("href") == f"mailto:{policy.policy.contact.email}"

    request_id = response.headers["x-aigate-request-id"]
    assert request_id
    assert page.locator("footer code").first.inner_text() == request_id

    screenshot(page, tmp_path / "block.png")
    assert outcome(proxy, "https://chat.deepseek.com/") == "blocked"
    assert seen_by_upstream(upstream, "chat.deepseek.com") == []
    assert "chat.deepseek.com" not in upstream.sni


def test_warned_service_coaches_then_continues_and_upstream_never_sees_the_cookie(
    page, proxy, upstream, policy, tmp_path
):
    guidelines = policy.policy.document.guidelines
    response = page.goto("https://chatgpt.com/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Before you use ChatGPT (OpenAI)"
    assert folded(page.locator(".reason").inner_text()) == folded(
        policy.policy.services["chatgpt"].reason
    )
    assert page.locator(".guide .do li").all_inner_texts() == list(guidelines.dos)
    assert page.locator(".guide .dont li").all_inner_texts() == list(guidelines.donts)
    screenshot(page, tmp_path / "warn.png")
    # By design only navigations wait for the person; subresources (the favicon) pass.
    assert not [r for r in seen_by_upstream(upstream, "chatgpt.com") if is_navigation(r)]

    with page.expect_navigation(url="https://chatgpt.com/") as landed:
        page.get_by_role("button", name="I understand, continue").click()
    first = landed.value
    assert first.status == 200
    assert first.headers["x-upstream"] == "fake"
    assert json.loads(page.locator("body").inner_text())["host"] == "chatgpt.com"
    assert outcome(proxy, "https://chatgpt.com/.aigate/ack") == "acknowledged"
    assert "mitmproxy" in first.security_details()["issuer"]
    assert any(c["name"] == ACK_COOKIE for c in page.context.cookies("https://chatgpt.com/"))

    second = page.goto("https://chatgpt.com/c/second-visit")
    assert second.status == 200
    assert second.headers["x-upstream"] == "fake"
    assert json.loads(page.locator("body").inner_text())["path"] == "/c/second-visit"
    assert outcome(proxy, "https://chatgpt.com/c/second-visit") == "continued"

    seen = seen_by_upstream(upstream, "chatgpt.com")
    assert {r.path for r in seen} >= {"/", "/c/second-visit"}
    assert not [r for r in seen if ACK_COOKIE in r.headers.get("cookie", "")]


def test_redirected_service_lands_on_the_approved_tool(page, proxy, upstream, policy):
    target = policy.policy.services["microsoft-copilot"].redirect_to
    assert target == "https://m365.cloud.microsoft/chat"
    response = page.goto("https://copilot.microsoft.com/")
    assert page.url == target
    assert response.status == 200
    assert response.headers["x-upstream"] == "fake"
    echoed = json.loads(page.locator("body").inner_text())
    assert (echoed["host"], echoed["path"]) == ("m365.cloud.microsoft", "/chat")
    assert outcome(proxy, "https://copilot.microsoft.com/") == "redirected"
    assert seen_by_upstream(upstream, "copilot.microsoft.com") == []


def test_non_ai_site_is_passed_through_without_decryption(page, proxy, upstream):
    response = page.goto("https://example.org/private")
    assert response.status == 200
    assert response.security_details()["issuer"] == "aigate test upstream CA"
    assert json.loads(page.locator("body").inner_text())["path"] == "/private"
    assert "/private" in [r.path for r in seen_by_upstream(upstream, "example.org")]
    assert not proxy.flows_for("example.org"), "a passed-through request was decrypted"
