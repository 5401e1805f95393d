"""A real person in a real browser: headless Chromium (Playwright) through the real proxy.

The policy under test is the shipped default (policies/default.yaml): DeepSeek is blocked,
ChatGPT is warned, consumer Copilot is redirected to Microsoft 365 Copilot Chat, and secrets in
anything sent to an AI service are blocked. Every upstream connection goes to the fake TLS
upstream (tests/proxy/proxyharness.py), so no request leaves 127.0.0.1. One browser and one proxy
serve the whole module; each test gets a fresh profile. Screenshots land in
tests/artifacts/screenshots (see browserharness.py).

Chromium sends background requests of its own (update and account checks) through the proxy:
assertions look only at the hosts a test opens.
"""

from __future__ import annotations

import json

import pytest
from aigate.cli import main
from aigate.flowstate import FLOW_KEY
from aigate.policy.load import load_policy
from aigate.policy.loaded import LoadedPolicy
from browserharness import DEFAULT_POLICY, Shipped, folded, screenshot, submit_prompt
from proxyharness import FakeUpstream, RunningProxy, SeenRequest, wait_for

ACK_COOKIE = "aigate_ack"
AWS_KEY_ID = "AKIAQ3EGRLMNV4XKTYJW"  # shaped like a real key id, not AWS's documentation one


def outcome(proxy: RunningProxy, url: str) -> str:
    """The proxy's outcome for the last flow to `url` (flows are logged just after the reply)."""
    wait_for(lambda: any(f.request.url == url for f in proxy.flows))
    return next(f for f in reversed(proxy.flows) if f.request.url == url).metadata[FLOW_KEY].outcome


def seen_by_upstream(upstream: FakeUpstream, host: str) -> list[SeenRequest]:
    """Requests the fake upstream received for `host` (the Host header, port stripped)."""
    return [r for r in upstream.requests if r.host.split(":", 1)[0] == host]


def is_navigation(request: SeenRequest) -> bool:
    return request.headers.get("sec-fetch-mode") == "navigate"


def audit_records(proxy: RunningProxy, event: str) -> list[dict]:
    lines = proxy.audit_log.read_text().splitlines() if proxy.audit_log.exists() else []
    return [r for r in map(json.loads, lines) if r["event"] == event]


@pytest.fixture(scope="module")
def policy() -> LoadedPolicy:
    return load_policy(DEFAULT_POLICY)


@pytest.fixture(scope="module")
def proxy(shipped: Shipped) -> RunningProxy:
    return shipped.proxy


@pytest.fixture(scope="module")
def upstream(shipped: Shipped) -> FakeUpstream:
    return shipped.upstream


def test_blocked_service_shows_the_block_page_and_never_reaches_upstream(
    page, proxy, upstream, policy
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

    screenshot(page, "browser-block")
    assert outcome(proxy, "https://chat.deepseek.com/") == "blocked"
    assert seen_by_upstream(upstream, "chat.deepseek.com") == []
    assert "chat.deepseek.com" not in upstream.sni


def test_warned_service_coaches_then_continues_and_upstream_never_sees_the_cookie(
    page, proxy, upstream, policy
):
    guidelines = policy.policy.document.guidelines
    response = page.goto("https://chatgpt.com/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Before you use ChatGPT (OpenAI)"
    assert folded(page.locator(".reason").inner_text()) == folded(
        policy.policy.services["chatgpt"].reason
    )
    # The general guidance is folded below the choice, one click away.
    general = page.locator("details.general")
    assert general.get_attribute("open") is None
    assert page.locator(".guide .do li").all_text_contents() == list(guidelines.dos)
    assert page.locator(".guide .dont li").all_text_contents() == list(guidelines.donts)
    general.locator("summary").click()
    assert page.locator(".guide .do li").first.is_visible()
    hours = policy.policy.warn.ack_ttl_hours
    remembered = f"{int(hours // 24)} days" if hours % 24 == 0 else f"{hours:g} hours"
    assert remembered in page.locator("#ack-record").inner_text()
    screenshot(page, "browser-warn")
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

    # The acknowledgement is on record: one ledger entry, for this service and policy version,
    # in a hash chain that `aigate acks verify` accepts.
    wait_for(lambda: audit_records(proxy, "ack"))
    acks = [a for a in audit_records(proxy, "ack") if a["service"] == "chatgpt"]
    assert len(acks) == 1
    assert acks[0]["policy_version"] == policy.version
    assert acks[0]["client_ip"] == "127.0.0.1"
    assert main(["acks", "verify", str(proxy.audit_log)]) == 0


@pytest.mark.parametrize("url", ["https://chat.deepseek.com/", "https://chatgpt.com/"],
                         ids=["block", "warn"])
def test_pages_fit_a_laptop_and_a_phone(page, url):
    """At 1280x900 the choice is in the first viewport; at 390x844 nothing scrolls sideways.
    The policy is linked once, and the internal rule id is folded away."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    if url == "https://chatgpt.com/":
        for control in (page.get_by_role("button", name="I understand, continue"),
                        page.locator("form.actions a")):
            box = control.bounding_box()
            assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 900, box
        assert page.locator(".reason").bounding_box()["y"] < 900
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.textContent.trim())")
    assert hrefs.count("Read the full AI policy") == 1, hrefs
    rule = page.locator("footer details.tech")
    assert rule.get_attribute("open") is None
    assert "Policy rule" not in page.locator("body").inner_text()
    assert "Policy rule" in rule.text_content()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= 390, f"{width}px wide at 390"
    # A long contact address wraps rather than widening the page.
    long_mail = "ai-governance-and-acceptable-use@a-very-long-subsidiary-name.example.com"
    page.locator("a[href^='mailto:']").evaluate("(a, text) => { a.textContent = text; }",
                                                long_mail)
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= 390, f"{width}px wide at 390 with a long e-mail address"


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
    screenshot(page, "browser-redirect")


def test_form_post_with_a_secret_gets_the_block_page_naming_the_kind_of_data(
    page, proxy, upstream
):
    before = upstream.snapshot()
    # An allowed service: only the data stops the request.
    response = submit_prompt(
        page, "https://m365.cloud.microsoft", f"why does aws_access_key_id = {AWS_KEY_ID} fail?"
    )
    assert response.status == 403
    # The service is approved; the page says this request was stopped, not the service.
    assert page.locator("h1").inner_text() == (
        "Your request to Microsoft 365 Copilot Chat (in the Microsoft 365 app) was blocked"
    )
    assert page.locator("section[aria-labelledby=h-request]").count() == 0
    found = page.locator("section[aria-labelledby=h-found]")
    assert found.locator("h2").inner_text() == "Sensitive data found"
    assert found.locator("li").all_inner_texts() == ["AWS access key id"]
    assert "AWS access key id" in page.locator(".reason").inner_text()
    assert AWS_KEY_ID not in page.content(), "the page repeats the secret"
    screenshot(page, "browser-dlp-block")
    assert outcome(proxy, "https://m365.cloud.microsoft/chat/ask") == "blocked"
    posted = [r for r in upstream.requests_since(before) if r.method == "POST"]
    assert posted == [], "the secret reached the upstream"


def test_non_ai_site_is_passed_through_without_decryption(page, proxy, upstream):
    response = page.goto("https://example.org/private")
    assert response.status == 200
    assert response.security_details()["issuer"] == "aigate test upstream CA"
    assert json.loads(page.locator("body").inner_text())["path"] == "/private"
    assert "/private" in [r.path for r in seen_by_upstream(upstream, "example.org")]
    assert not proxy.flows_for("example.org"), "a passed-through request was decrypted"
