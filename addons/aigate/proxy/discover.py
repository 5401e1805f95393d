"""Discovery: connections passed through to hosts whose names look like AI services the catalog
lacks are published as `CandidateHost` events (an audit `candidate` record and a counter), so
`aigate report` can list them. The traffic itself is untouched and stays undecrypted.

Three places see a passed-through host: a raw TCP relay chosen at CONNECT by `allow_hosts`
(`next_layer`), TLS passed through after its ClientHello (`tls_clienthello`), and plain HTTP that
no AI service claims (`request`). Each connection is reported once.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from mitmproxy import connection, http, tls
from mitmproxy.proxy import layer, layers

from aigate.candidates import ai_name_hint
from aigate.classify import normalize_host
from aigate.flowstate import FLOW_KEY
from aigate.proxy.runtime import Runtime
from aigate.record.events import CandidateHost, HookError, publish

logger = logging.getLogger(__name__)

_SEEN_LIMIT = 4096


class Discover:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()

    def next_layer(self, nextlayer: layer.NextLayer) -> None:
        chosen = nextlayer.layer
        if isinstance(chosen, layers.TCPLayer) and chosen.flow is None:
            address = nextlayer.context.server.address
            self._consider(address[0] if address else "", nextlayer.context.client)

    def tls_clienthello(self, data: tls.ClientHelloData) -> None:
        if data.ignore_connection:
            address = data.context.server.address
            host = data.client_hello.sni or (address[0] if address else "")
            self._consider(host, data.context.client)

    def request(self, flow: http.HTTPFlow) -> None:
        if flow.request.scheme == "http" and FLOW_KEY not in flow.metadata:
            self._consider(flow.request.host, flow.client_conn)

    def _consider(self, raw_host: str, client: connection.Client) -> None:
        try:
            host = normalize_host(raw_host)
            if not host or (client.id, host) in self._seen:
                return
            self._remember((client.id, host))
            hint = ai_name_hint(host)
            active = self.runtime.active
            if hint is None or (active is not None and active.policy.classifier.may_be_ai(host)):
                return  # not AI-looking, or a catalog host the policy chose to pass through
            peer = client.peername
            publish(CandidateHost(host, hint, client_ip=peer[0] if peer else None))
        except Exception as e:  # discovery must never disturb the relay
            logger.exception("aigate: candidate discovery failed")
            publish(HookError(stage="discover", error_type=type(e).__name__))

    def _remember(self, key: tuple[str, str]) -> None:
        self._seen[key] = None
        if len(self._seen) > _SEEN_LIMIT:
            self._seen.popitem(last=False)
