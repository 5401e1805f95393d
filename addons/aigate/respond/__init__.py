"""What people and API clients get back: pages, provider-shaped errors, acknowledgement cookies.

Pure functions of their inputs (no mitmproxy, no I/O except the key file), so the proxy addons
stay thin and every output is unit-tested.
"""

from aigate.respond.pages import (
    PageContext,
    block_page,
    notice_page,
    upstream_error_page,
    warn_page,
)

__all__ = ["PageContext", "block_page", "notice_page", "upstream_error_page", "warn_page"]
