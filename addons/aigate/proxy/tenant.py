"""Pin AI services to the company tenant: add the vendor's tenant-restriction header upstream.

Only intercepted, enforced, forwarded requests get the header (the policy's `services.<id>.tenant`
entries). A failure here fails closed: a request that escaped the tenant pin would be a leak.
"""

from __future__ import annotations

from mitmproxy import http

from aigate.classify import normalize_host
from aigate.flowstate import FLOW_KEY, FlowState
from aigate.proxy.answer import fail_closed
from aigate.proxy.headers import host_header
from aigate.proxy.runtime import Runtime


class Tenant:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        state: FlowState | None = flow.metadata.get(FLOW_KEY)
        if state is None or flow.response or not flow.live:
            return
        service = state.decision.service
        if service is None or not state.decision.enforced:
            return
        try:
            loaded = self.runtime.policy
            rule = loaded.policy.services.get(service.id)
            if rule is None or not rule.tenant:
                return
            host = host_header(flow.request) or flow.request.host
            headers = loaded.tenant_headers(service.id, normalize_host(host))
            for name, value in headers:
                flow.request.headers[name] = value
        except Exception:
            fail_closed(flow, self.runtime, "tenant", state)
