"""Who is asking: the proxy-auth user and the client address, mapped to policy groups.

mitmproxy's `proxyauth` leaves `(user, password)` in `flow.metadata["proxyauth"]`; only the user
name is taken from it. The password is never copied, logged or exported.
"""

from __future__ import annotations

from mitmproxy import http

from aigate.identify import Identity
from aigate.proxy.runtime import Runtime

IDENTITY_KEY = "aigate.identity"


def client_ip(flow: http.HTTPFlow) -> str | None:
    peer = flow.client_conn.peername
    return peer[0] if peer else None


def proxy_user(flow: http.HTTPFlow) -> str | None:
    auth = flow.metadata.get("proxyauth")
    return auth[0] if auth else None


class Identify:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        if flow.response or flow.error or not flow.live:
            return
        user, ip = proxy_user(flow), client_ip(flow)
        try:
            groups = self.runtime.policy.groups_for(user, ip)
        except Exception:  # the enforcing addon fails closed when it finds no identity
            return
        flow.metadata[IDENTITY_KEY] = Identity(user, groups, ip)
