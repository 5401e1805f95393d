"""Benchmark-only mitmdump script: send all upstream traffic to $AIGATE_BENCH_UPSTREAM
(host:port), so bare mitmdump and aigate reach the same fake server.

Passed-through TLS is redirected in `server_connect`. Intercepted requests are redirected by
address in `request` (Host header kept), so mitmproxy reuses the upstream connection across a
client's requests as it would for a real host.
"""

import os

_host, _, _port = os.environ["AIGATE_BENCH_UPSTREAM"].rpartition(":")
ADDRESS = (_host, int(_port))


def server_connect(data) -> None:
    data.server.address = ADDRESS


def request(flow) -> None:
    host_header = flow.request.host_header
    flow.request.host, flow.request.port = ADDRESS
    flow.request.host_header = host_header
