"""The decision for a whole request, as the proxy's addons, `explain`, `test` and `replay` make
it, so what an admin is told is what the proxy does.

A request names its site in up to three places (the Host header, the CONNECT or absolute-URL
host, the TLS SNI). `decide_request` decides each and the strictest decision stands
(`aigate.actions.STRICTNESS`), so a Host header cannot front for a blocked service and a blocked
SNI cannot hide behind an allowed Host. `aigate.actions.final_action` then combines it with the
DLP verdict of the forwarded body.

Over HTTPS the proxy reads a request only when it decrypts the connection, which it decides from
the names it sees before any request: the CONNECT host and the SNI (`decrypts`). A Host header
inside a connection it passes through is never seen: `decide_request` then says `passthrough`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from aigate.actions import STRICTNESS
from aigate.catalog import Service
from aigate.classify import normalize_host
from aigate.decide import Decision, RequestFacts, decide

if TYPE_CHECKING:
    from aigate.policy.loaded import LoadedPolicy

def other_names(host: str, *names: str | None) -> list[str]:
    """`names` (CONNECT/URL host, SNI), normalized, without blanks and repeats of `host`."""
    out: list[str] = []
    for name in names:
        if name and name != host:
            name = normalize_host(name)
            if name and name != host and name not in out:
                out.append(name)
    return out


def decrypts(policy: LoadedPolicy, connection_names: Iterable[str]) -> bool:
    """Whether the proxy decrypts a TLS connection that carries these names (CONNECT host, SNI;
    normalized): one of them is AI or inspected (`aigate.proxy.passthrough` acts on this)."""
    return any(policy.intercepts(name) for name in connection_names if name)


_UNSEEN = Decision(
    "passthrough",
    None,
    "tls",
    "HTTPS to a host aigate does not decrypt: passed through undecrypted, unseen.",
    trace=("tls: neither the CONNECT host nor the SNI is decrypted: passed through",),
)


def decide_request(
    policy: LoadedPolicy,
    facts: RequestFacts,
    names: Iterable[str] = (),
    service: Service | None = None,
    connection_names: Iterable[str] | None = None,
) -> Decision:
    """The decision for `facts` (decided by its host), made stricter by any of the request's
    other `names` whose own decision is stricter (domain fronting). `service` decides the
    request as that service (see `aigate.decide.decide`). `connection_names` (the CONNECT host
    and SNI of an HTTPS request; None for plain HTTP or an already decrypted connection): when
    the proxy would not decrypt the connection, the request is never seen."""
    decision = decide(policy, facts, service)
    for name in names:
        candidate = decide(policy, RequestFacts(
            name, facts.path, facts.method, facts.user, facts.groups, facts.client_ip
        ))
        if STRICTNESS[candidate.action] > STRICTNESS[decision.action]:
            decision = candidate
    unseen = connection_names is not None and not decrypts(policy, connection_names)
    return _UNSEEN if decision.service is not None and unseen else decision
