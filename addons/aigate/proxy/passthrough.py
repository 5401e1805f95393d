"""Privacy first: TLS to hosts that are not AI services is relayed without decryption.

Two layers. The fast one: mitmproxy's own `allow_hosts` option is set to one regular expression
of every host the policy intercepts (catalog AI hosts plus `inspect_hosts`), so mitmproxy relays
other connections as raw TCP at its first decision, exactly as cheaply as `ignore_hosts` would
(an admin's own `allow_hosts` is left alone). The authoritative one: `tls_clienthello` checks the
SNI and the CONNECT host against the policy and passes TLS through only when neither is AI (a
non-AI SNI must not carry a tunnel to an AI address). If that check itself fails the connection
is intercepted, so the enforcing addon judges each request.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Iterable

from mitmproxy import ctx, tls

from aigate.classify import normalize_host
from aigate.endpoints import NAME_HINT_PATTERN
from aigate.policy.loaded import LoadedPolicy
from aigate.proxy.runtime import Runtime
from aigate.record.events import HookError, publish
from aigate.verdict import decrypts

logger = logging.getLogger(__name__)


def _alternatives(items: set[str]) -> str:
    """One regex for any of `items`, as a character trie: a plain alternation of thousands of
    names is tried name by name on every connection; the trie follows one path per name."""
    trie: dict[str, dict] = {}
    for item in items:
        node = trie
        for char in item:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, dict]) -> str:
    ends = "" in node
    branches = [re.escape(char) + _trie_regex(child)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if ends:
        return f"(?:{body})?" if len(branches) == 1 else f"{body}?"
    return body


def intercept_pattern(loaded: LoadedPolicy, local_hosts: Iterable[str] = ()) -> str:
    """A regex matching `host:port` for exactly the hosts `loaded.intercepts(host)` accepts,
    plus `local_hosts` (answered by the proxy itself, e.g. the policy page)."""
    exact: set[str] = set(local_hosts)
    subdomains: set[str] = set()  # `*.x`: strict subdomains of x
    domains: set[str] = set()  # registered-domain claims: x and its subdomains
    globs: list[str] = []
    shared = loaded.shared_hosts
    for service in loaded.catalog.services.values():
        for host in service.hosts:
            if host in shared and shared[host] is None:
                continue  # a shared host the policy passes through (`LoadedPolicy.shared_hosts`)
            if host.startswith("*.") and "*" not in host[2:]:
                subdomains.add(host[2:])
            elif "*" in host:
                # As `aigate.classify` reads a glob: `*` is one or more label characters.
                globs.append(
                    r"\.".join(re.escape(label).replace(r"\*", "[a-z0-9-]+")
                               for label in host.split("."))
                )
            else:
                exact.add(host)
        domains.update(service.domains)
    for host in loaded.policy.inspect_hosts:
        host = host.lower().rstrip(".")
        if host.startswith("*."):
            subdomains.add(host[2:])
        else:
            exact.add(host)
    parts = []
    if exact:
        parts.append(_alternatives(exact))
    if subdomains:
        parts.append(rf"[^:]+\.(?:{_alternatives(subdomains)})")
    if domains:
        parts.append(rf"(?:[^:]+\.)?(?:{_alternatives(domains)})")
    parts.extend(sorted(set(globs)))
    parts.extend(_network_patterns(loaded.policy.inspect_networks))
    unlisted = loaded.policy.unlisted_endpoints
    if unlisted.detect and unlisted.name_hints:
        parts.append(NAME_HINT_PATTERN)
    if not parts:
        return r"^$"  # intercept nothing
    return rf"^(?:{'|'.join(parts)})\.?:\d+$"


def _network_patterns(cidrs: Iterable[str]) -> list[str]:
    """Regexes for IP literals in `cidrs`: exact for IPv4; any IPv6 literal for an IPv6 network
    (`tls_clienthello` then checks the network itself)."""
    out: list[str] = []
    for cidr in cidrs:
        network = ipaddress.ip_network(cidr, strict=False)
        if network.version == 6:
            out.append(r"[0-9a-f]*:[0-9a-f:.]*")
            continue
        octets = network.network_address.packed
        whole, bits = divmod(network.prefixlen, 8)
        labels = [str(octet) for octet in octets[:whole]]
        if bits:
            first = octets[whole]
            labels.append(f"(?:{'|'.join(str(n) for n in range(first, first + 2 ** (8 - bits)))})")
        labels += [r"\d{1,3}"] * (4 - len(labels))
        out.append(r"\.".join(labels))
    return sorted(set(out))


class Passthrough:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._pattern: str | None = None
        runtime.on_policy.append(self._restrict_interception)

    def _restrict_interception(self, loaded: LoadedPolicy) -> None:
        """Point mitmproxy's `allow_hosts` at the policy's hosts, unless an admin set it."""
        current = list(ctx.options.allow_hosts)
        if current and current != [self._pattern]:
            return
        local = self.runtime.policy_host
        pattern = intercept_pattern(loaded, [local] if local else [])
        if current != [pattern]:
            self._pattern = pattern
            ctx.options.allow_hosts = [pattern]

    def tls_clienthello(self, data: tls.ClientHelloData) -> None:
        if data.ignore_connection:
            return
        try:
            # Both names count: a non-AI SNI must not carry a tunnel to an AI CONNECT host.
            address = data.context.server.address
            names = {normalize_host(data.client_hello.sni or ""),
                     normalize_host(address[0] if address else "")} - {""}
            if self.runtime.policy_host not in names and not decrypts(self.runtime.policy, names):
                data.ignore_connection = True
        except Exception as e:
            logger.exception("aigate: passthrough decision failed; intercepting")
            publish(HookError(stage="tls_clienthello", error_type=type(e).__name__))
