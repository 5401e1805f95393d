"""The `reuseport` proxy mode: mitmproxy's regular HTTP(S) proxy on a socket bound with
`SO_REUSEPORT`, so several worker processes listen on one address and the kernel spreads new
connections across them.

mitmproxy binds its listeners itself (`asyncio.start_server(host, port)`) and has no option for
`SO_REUSEPORT`; a new mode is its documented extension point: `ProxyMode` and `ServerInstance`
subclasses register themselves by name. The mode is a `RegularMode`, so everything that treats
regular proxy connections specially (proxy authentication, next-layer selection) treats these
alike. Importing this module registers `--mode reuseport`.
"""

from __future__ import annotations

import asyncio

from mitmproxy.proxy import layers
from mitmproxy.proxy.context import Context
from mitmproxy.proxy.layer import Layer
from mitmproxy.proxy.mode_servers import AsyncioServerInstance
from mitmproxy.proxy.mode_specs import RegularMode

MODE = "reuseport"


class ReuseportMode(RegularMode):
    """A regular proxy whose listening socket sets `SO_REUSEPORT` (Linux, BSD)."""

    description = "HTTP(S) proxy (SO_REUSEPORT)"


class ReuseportInstance(AsyncioServerInstance[ReuseportMode]):
    def make_top_layer(self, context: Context) -> Layer:
        return layers.modes.HttpProxy(context)

    async def listen(self, host: str, port: int) -> list[asyncio.Server]:  # type: ignore[override]
        if port == 0:
            raise OSError("the reuseport mode needs a fixed port shared by every worker")
        return [
            await asyncio.start_server(self.handle_stream, host or None, port, reuse_port=True)
        ]
