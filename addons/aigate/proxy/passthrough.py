"""Privacy first: TLS to hosts that are not AI services is relayed without decryption.

Decided on the ClientHello's SNI (the CONNECT host when there is none): hosts the policy does not
intercept (catalog AI hosts plus `inspect_hosts`) are passed through untouched. If the decision
itself fails the connection is intercepted, so the enforcing addon can judge each request.
"""

from __future__ import annotations

import logging

from mitmproxy import tls

from aigate.classify import normalize_host
from aigate.proxy.runtime import Runtime
from aigate.record.events import HookError, publish

logger = logging.getLogger(__name__)


class Passthrough:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def tls_clienthello(self, data: tls.ClientHelloData) -> None:
        if data.ignore_connection:
            return
        try:
            host = data.client_hello.sni
            if not host:
                address = data.context.server.address
                host = address[0] if address else ""
            if not self.runtime.policy.intercepts(normalize_host(host)):
                data.ignore_connection = True
        except Exception as e:
            logger.exception("aigate: passthrough decision failed; intercepting")
            publish(HookError(stage="tls_clienthello", error_type=type(e).__name__))
