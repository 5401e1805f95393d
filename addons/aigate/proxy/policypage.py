"""The policy document, served by the proxy itself at a well-known address (http://aigate.policy/).

People reach it through the proxy they already use, so it needs no web server and can never
show another version than the one enforced: it is rendered from the policy in force (cached per
loaded policy). It answers in `requestheaders`, before the enforcing addon, so the host is never
dialled (`connection_strategy` is lazy), never classified as AI traffic, audited or counted. The
passthrough addon intercepts the host's TLS (`Runtime.policy_host`), so https://aigate.policy/
works wherever the proxy's CA is trusted.

Block and warn pages link here: other flows carry the URL in `flow.metadata[POLICY_PAGE_KEY]`.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re

from mitmproxy import ctx, exceptions, http

from aigate.classify import normalize_host
from aigate.policy.loaded import LoadedPolicy
from aigate.proxy.metrics import COUNTED_KEY
from aigate.proxy.runtime import Runtime
from aigate.record.events import HookError, publish
from aigate.respond.document import POLICY_HOST, Link, Para, render_policy, to_html

POLICY_PAGE_KEY = "aigate.policy_page"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_PATHS = {"/": "html", "/index.html": "html", "/policy.md": "md"}
_TYPES = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8"}

logger = logging.getLogger(__name__)


def security_headers(text: str) -> dict[str, str]:
    """Headers that let a page load nothing at all except its own inline stylesheets (by hash)."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
        for css in _STYLE.findall(text)
    ]
    styles = " ".join(hashes) or "'none'"
    return {
        "content-security-policy": f"default-src 'none'; style-src {styles}; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY",
    }


class PolicyPage:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        runtime.policy_host = POLICY_HOST
        self._url = f"http://{POLICY_HOST}/"
        self._rendered: tuple[LoadedPolicy, dict[str, tuple[bytes, dict[str, str]]]] | None = None

    def load(self, loader) -> None:
        loader.add_option(
            "aigate_policy_host",
            str,
            POLICY_HOST,
            "Host name at which the proxy serves the policy document to its clients "
            "(http:// and https://); block and warn pages link to it. Empty: not served.",
        )

    def configure(self, updated: set[str]) -> None:
        if "aigate_policy_host" not in updated:
            return
        host = normalize_host(ctx.options.aigate_policy_host) or None
        if host is not None and not _HOSTNAME.match(host):
            raise exceptions.OptionsError(
                f"aigate_policy_host: {ctx.options.aigate_policy_host!r} is not a host name; "
                f"use e.g. {POLICY_HOST}"
            )
        if host == self.runtime.policy_host:
            return
        self.runtime.policy_host = host
        self._url = f"http://{host}/"
        if self.runtime.active is not None:  # interception settings depend on the host too
            for listener in self.runtime.on_policy:
                listener(self.runtime.policy)

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        host = self.runtime.policy_host
        if host is None or flow.response or flow.error or not flow.live:
            return
        request = flow.request
        if request.host != host and normalize_host(request.host) != host:
            flow.metadata[POLICY_PAGE_KEY] = self._url
            return
        flow.metadata[COUNTED_KEY] = True  # the proxy's own page: no AI or passthrough traffic
        try:
            flow.response = self._answer(request)
        except Exception as e:
            logger.exception("aigate: the policy page could not be rendered")
            publish(HookError(stage="policy_page", error_type=type(e).__name__))
            flow.response = http.Response.make(
                503, b"The AI policy cannot be shown right now.\n",
                {"content-type": "text/plain; charset=utf-8", "cache-control": "no-store"},
            )

    def _answer(self, request: http.Request) -> http.Response:
        if request.method not in ("GET", "HEAD"):
            return self._page(request, 405, "Method not allowed", {"allow": "GET, HEAD"})
        fmt = _PATHS.get(request.path.split("?", 1)[0])
        if fmt is None:
            return self._page(request, 404, "Page not found")
        body, headers = self._document(fmt)
        if headers["etag"] in request.headers.get("if-none-match", ""):
            return http.Response.make(304, b"", headers)
        return _made(request, 200, body, headers)

    def _document(self, fmt: str) -> tuple[bytes, dict[str, str]]:
        """The rendered document and its headers, made once per loaded policy."""
        loaded = self.runtime.policy
        if self._rendered is None or self._rendered[0] is not loaded:
            self._rendered = (loaded, {})
        cache = self._rendered[1]
        if fmt not in cache:
            body = render_policy(loaded, "md" if fmt == "md" else "html")
            data = body.encode()
            cache[fmt] = (
                data,
                {
                    "content-type": _TYPES[fmt],
                    "cache-control": "max-age=60",
                    "etag": f'"{hashlib.sha256(data).hexdigest()[:32]}"',
                    **security_headers(body),
                },
            )
        return cache[fmt]

    def _page(
        self, request: http.Request, status: int, title: str, extra: dict[str, str] | None = None
    ) -> http.Response:
        url = self._url
        text = Para(
            ("This address serves the AI policy only: ", Link(url, url), " (or as Markdown: ",
             Link(f"{url}policy.md", f"{url}policy.md"), ").")
        )
        active = self.runtime.active
        organisation = active.policy.policy.organisation if active is not None else ""
        page = to_html(title, [text], "aigate", organisation)
        headers = {
            "content-type": "text/html; charset=utf-8",
            "cache-control": "no-store",
            **security_headers(page),
            **(extra or {}),
        }
        return _made(request, status, page.encode(), headers)


def _made(
    request: http.Request, status: int, body: bytes, headers: dict[str, str]
) -> http.Response:
    """A response; for HEAD, the headers of the GET answer without its body."""
    if request.method != "HEAD":
        return http.Response.make(status, body, headers)
    response = http.Response.make(status, b"", headers)
    response.headers["content-length"] = str(len(body))
    return response
