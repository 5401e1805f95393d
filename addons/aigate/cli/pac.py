"""`aigate pac`: a proxy auto-config file that sends AI hosts (or everything) to aigate.

Only the hosts the proxy would intercept (the catalog's AI hosts, the policy's `inspect_hosts`,
IP literals in `inspect_networks` and, when enabled, model-server name hints) go to the proxy by
default; everything else goes direct. Names are never resolved (`dnsResolve` is slow and tells
the DNS server every host visited): a network only catches hosts written as an IPv4 address, and
any IPv6 literal goes to the proxy when an IPv6 network is listed (PAC's `isInNet` is IPv4 only;
the proxy then checks the network). There is no DIRECT fallback after the proxy: if aigate is
down, AI services fail rather than bypass the policy.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import socket
import sys
from pathlib import Path

from aigate.cli._policy import add_policy_option, load_or_report
from aigate.endpoints import NAME_HINT_PATTERN
from aigate.policy import LoadedPolicy
from aigate.respond.document import POLICY_HOST

DEFAULT_PORT = 8080  # `aigate run`'s default listen port


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "pac",
        help="write a PAC file that routes AI hosts to the proxy",
        description="Write a proxy auto-config (PAC) file for browsers and OS proxy settings: AI "
        "hosts of the catalog, the policy's inspect_hosts, IP literals in its inspect_networks "
        "and (with unlisted_endpoints.name_hints) hosts named like model servers go to the "
        "proxy, the rest direct.",
    )
    parser.add_argument(
        "--proxy",
        metavar="HOST:PORT",
        help="aigate as clients reach it (default: this machine's name, port 8080; a loopback "
        "address would send every other machine's AI traffic nowhere)",
    )
    parser.add_argument(
        "--all", action="store_true", help="send all traffic (except plain host names) to aigate"
    )
    add_policy_option(parser)
    parser.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    parser.set_defaults(func=run)


def host_patterns(loaded: LoadedPolicy) -> tuple[list[str], list[str], list[str]]:
    """(exact hosts, domain suffixes, shell globs) that the proxy intercepts, and the host where
    it serves the policy document."""
    exact: set[str] = {POLICY_HOST}
    suffixes: set[str] = set()
    globs: set[str] = set()
    hosts = [h for s in loaded.catalog.services.values() for h in s.hosts]
    hosts += loaded.policy.inspect_hosts
    for host in hosts:
        host = host.lower().rstrip(".")
        if host.startswith("*.") and "*" not in host[2:]:
            suffixes.add(host[1:])
        elif "*" in host:
            globs.add(host)
        else:
            exact.add(host)
    for service in loaded.catalog.services.values():
        for domain in service.domains:
            exact.add(domain)
            suffixes.add("." + domain)
    return sorted(exact), sorted(suffixes), sorted(globs)


def network_masks(loaded: LoadedPolicy) -> tuple[list[tuple[str, str]], bool]:
    """The policy's IPv4 `inspect_networks` as PAC `isInNet` (address, mask) pairs, and whether
    it lists an IPv6 network."""
    networks = [ipaddress.ip_network(cidr, strict=False) for cidr in loaded.policy.inspect_networks]
    masks = sorted(
        {(str(n.network_address), str(n.netmask)) for n in networks if n.version == 4}
    )
    return masks, any(n.version == 6 for n in networks)


def name_hint_regex(loaded: LoadedPolicy) -> str | None:
    """The proxy's name-hint pattern, anchored, when the policy enables name hints."""
    unlisted = loaded.policy.unlisted_endpoints
    if unlisted.detect and unlisted.name_hints:
        return f"^(?:{NAME_HINT_PATTERN})$"
    return None


def pac_text(loaded: LoadedPolicy, proxy: str, all_traffic: bool = False) -> str:
    """The PAC file's JavaScript."""
    route = json.dumps(f"PROXY {proxy}")
    if all_traffic:
        return (
            "// aigate: all traffic through the proxy, except plain host names.\n"
            "function FindProxyForURL(url, host) {\n"
            '  if (isPlainHostName(host) || host === "localhost") return "DIRECT";\n'
            f"  return {route};\n"
            "}\n"
        )
    exact, suffixes, globs = host_patterns(loaded)
    masks, any_ipv6 = network_masks(loaded)
    hint = name_hint_regex(loaded)
    head = [
        f"// aigate: AI services through the proxy (policy {loaded.version}), the rest direct.",
        f"var AIGATE_HOSTS = {json.dumps(dict.fromkeys(exact, 1), indent=0)};",
        f"var AIGATE_SUFFIXES = {json.dumps(suffixes, indent=0)};",
        f"var AIGATE_GLOBS = {json.dumps(globs, indent=0)};",
        f"var AIGATE_NETWORKS = {json.dumps(masks)};",
    ]
    if hint:
        head.append(f"var AIGATE_NAME_HINT = new RegExp({json.dumps(hint)});")
    body = [
        "function FindProxyForURL(url, host) {",
        "  host = host.toLowerCase();",
        f"  if (AIGATE_HOSTS.hasOwnProperty(host)) return {route};",
        "  for (var i = 0; i < AIGATE_SUFFIXES.length; i++) {",
        f"    if (dnsDomainIs(host, AIGATE_SUFFIXES[i])) return {route};",
        "  }",
        "  for (var j = 0; j < AIGATE_GLOBS.length; j++) {",
        f"    if (shExpMatch(host, AIGATE_GLOBS[j])) return {route};",
        "  }",
    ]
    if masks:  # IPv4 literals only: a name is never resolved
        body += [
            r"  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {",
            "    for (var k = 0; k < AIGATE_NETWORKS.length; k++) {",
            "      var net = AIGATE_NETWORKS[k];",
            f"      if (isInNet(host, net[0], net[1])) return {route};",
            "    }",
            "  }",
        ]
    if any_ipv6:
        body.append(f'  if (host.indexOf(":") >= 0) return {route};')
    if hint:
        body.append(f"  if (AIGATE_NAME_HINT.test(host)) return {route};")
    body += ['  return "DIRECT";', "}"]
    return "\n".join(head + body) + "\n"


def run(args: argparse.Namespace) -> int:
    loaded = load_or_report(args.policy)
    if loaded is None:
        return 1
    proxy = args.proxy
    if proxy is None:
        name = socket.gethostname()
        if not name or name.startswith("localhost"):
            print("aigate pac: pass --proxy HOST:PORT, aigate's address as clients reach it "
                  "(this machine has no name of its own to use)", file=sys.stderr)
            return 2
        proxy = f"{name}:{DEFAULT_PORT}"
        print(f"aigate pac: no --proxy given: clients are sent to {proxy}, this machine's name; "
              "pass --proxy HOST:PORT as clients reach the proxy", file=sys.stderr)
    text = pac_text(loaded, proxy, args.all)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0
