"""Who is asking: the proxy-auth user and the client address, mapped to policy groups.

mitmproxy's `proxyauth` leaves `(user, password)` in `flow.metadata["proxyauth"]`; only the user
name is taken from it. The password is never copied, logged or exported.

With LDAP sign-in and a policy group that names directory groups (`ldap_groups`), the person's
directory groups are looked up too (`aigate.proxy.directory`): the hook awaits that lookup, so
the request waits for it while the proxy serves everyone else.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from mitmproxy import ctx, exceptions, http

from aigate.identify import Identity
from aigate.proxy.directory import DirectoryGroups, directory_groups_for
from aigate.proxy.runtime import Runtime

logger = logging.getLogger(__name__)

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
        self.directory: DirectoryGroups | None = None
        self._warned_no_directory = False

    def load(self, loader) -> None:
        loader.add_option(
            "aigate_ldap_groups_ttl", float, 300.0,
            "Seconds a person's directory (LDAP) groups are reused before the directory is "
            "asked again (with proxyauth=ldap:... and a policy group that has ldap_groups).",
        )

    def configure(self, updated: set[str]) -> None:
        if "proxyauth" in updated or "aigate_ldap_groups_ttl" in updated:
            ttl = ctx.options.aigate_ldap_groups_ttl
            if ttl <= 0:
                raise exceptions.OptionsError(
                    f"aigate_ldap_groups_ttl is {ttl}; set it to more than 0 seconds, e.g. 300"
                )
            self.directory = directory_groups_for(ctx.options.proxyauth, ttl)

    def requestheaders(self, flow: http.HTTPFlow) -> Awaitable[None] | None:
        """Who is asking, in their policy groups; a coroutine only when the directory must be
        asked for their groups (mitmproxy awaits it)."""
        if flow.response or flow.error or not flow.live:
            return None
        user, ip = proxy_user(flow), client_ip(flow)
        try:
            if user and self.runtime.policy.reads_directory_groups:
                return self._identify_in_directory(flow, user, ip)
            groups = self.runtime.policy.groups_for(user, ip)
        except Exception:  # the enforcing addon fails closed when it finds no identity
            return None
        flow.metadata[IDENTITY_KEY] = Identity(user, groups, ip)
        return None

    async def _identify_in_directory(self, flow: http.HTTPFlow, user: str, ip: str | None) -> None:
        try:
            directory_groups = await self._directory_groups(user)
            groups = self.runtime.policy.groups_for(user, ip, directory_groups)
        except Exception:  # the enforcing addon fails closed when it finds no identity
            return
        flow.metadata[IDENTITY_KEY] = Identity(user, groups, ip)

    async def _directory_groups(self, user: str) -> frozenset[str]:
        if self.directory is None:
            if not self._warned_no_directory:
                self._warned_no_directory = True
                logger.warning(
                    "aigate: the policy names directory groups (ldap_groups), but people do not "
                    "sign in through LDAP: set proxyauth to ldap:... or use groups' users lists"
                )
            return frozenset()
        return await self.directory.of(user)
