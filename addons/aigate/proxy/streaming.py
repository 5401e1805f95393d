"""AI responses as they arrive: stream server-sent events, and keep clients off QUIC.

mitmproxy buffers whole responses by default, which freezes chat UIs until the answer is
complete; `text/event-stream` is streamed instead. `alt-svc` is dropped so browsers do not move
to HTTP/3, which would bypass an explicit proxy.
"""

from __future__ import annotations

from mitmproxy import http

from aigate.flowstate import FLOW_KEY


class Streaming:
    def responseheaders(self, flow: http.HTTPFlow) -> None:
        response = flow.response
        if response is None or FLOW_KEY not in flow.metadata:
            return
        # One pass over the raw fields: mitmproxy's per-name header lookups (and `del`) each
        # rescan them through a method call per field.
        headers = response.headers
        fields = headers.fields
        alt_svc = False
        for name, value in fields:
            lower = name.lower()
            if lower == b"alt-svc":
                alt_svc = True
            elif lower == b"content-type" and value.startswith(b"text/event-stream"):
                response.stream = True
        if alt_svc:
            headers.fields = tuple(f for f in fields if f[0].lower() != b"alt-svc")
