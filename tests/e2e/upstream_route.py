"""Test and benchmark mitmdump script for proxies run as subprocesses (`aigate run --set
scripts=...`, `mitmdump -s`): send every upstream connection to the fake upstream at
$AIGATE_TEST_UPSTREAM (host:port).

Passed-through TLS is redirected in `server_connect`. Intercepted requests are redirected by
address in `request` with their Host header kept, so URL, Host and SNI stay the AI host's,
production code runs unchanged, and mitmproxy reuses the upstream connection across a client's
requests as it would for a real host.
"""

import os

_host, _, _port = os.environ["AIGATE_TEST_UPSTREAM"].rpartition(":")
ADDRESS = (_host, int(_port))


def server_connect(data) -> None:
    data.server.address = ADDRESS


def request(flow) -> None:
    host_header = flow.request.host_header
    flow.request.host, flow.request.port = ADDRESS
    flow.request.host_header = host_header
