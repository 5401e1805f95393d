"""The directory groups of people signed in through LDAP, read from the server that
mitmproxy's `proxyauth=ldap:...` checks their passwords against.

mitmproxy finds the person's entry, binds as it with the password, and keeps nothing else. This
asks the same directory, as the same service account (never with the person's password), which
groups that entry is in: its `memberOf` values (Active Directory, OpenLDAP's memberof overlay)
and the `groupOfNames` entries that list it as `member`, searched under the directory's naming
context that holds the people. Only direct membership is read, not groups within groups.

The lookup blocks, so it runs in a worker thread with a timeout, never on the event loop, and
its answers are remembered per user (`aigate.directory.GroupMemory`): a slow or unreachable
directory costs one timeout, is logged once, and people keep the groups last seen.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import ldap3
from ldap3.utils.conv import escape_filter_chars
from mitmproxy.addons.proxyauth import Ldap

from aigate.directory import GroupMemory, normalise_dn

logger = logging.getLogger(__name__)

LOOKUP_SECONDS = 3  # an int: ldap3 packs it into SO_RCVTIMEO


@dataclass(frozen=True, slots=True)
class LdapSettings:
    """Where and how to ask: the fields of mitmproxy's `ldap[s]:` proxyauth specification."""

    use_ssl: bool
    host: str
    port: int | None
    bind_dn: str
    bind_password: str = field(repr=False)
    people_base: str
    name_attribute: str

    @classmethod
    def from_proxyauth(cls, spec: str | None) -> LdapSettings | None:
        """The settings of an `ldap:`/`ldaps:` spec (mitmproxy's own parser); None for any other
        kind of proxy authentication."""
        if not spec or not spec.startswith("ldap"):
            return None
        return cls(*Ldap.parse_spec(spec))

    @property
    def url(self) -> str:
        """The server, for messages (no credentials)."""
        port = f":{self.port}" if self.port else ""
        return f"{'ldaps' if self.use_ssl else 'ldap'}://{self.host}{port}"


class LdapGroupLookup:
    """Blocking: the normalised DNs of the groups `user` (the name they signed in with) is in.

    Raises `LDAPException` or `OSError` when the directory cannot answer; a name the directory
    does not know has no groups.
    """

    def __init__(self, settings: LdapSettings) -> None:
        self.settings = settings
        self.server = ldap3.Server(
            settings.host, port=settings.port, use_ssl=settings.use_ssl, get_info=ldap3.DSA,
            connect_timeout=LOOKUP_SECONDS,
        )

    def __call__(self, user: str) -> frozenset[str]:
        settings = self.settings
        connection = ldap3.Connection(
            self.server, settings.bind_dn, settings.bind_password, auto_bind=True,
            read_only=True, receive_timeout=LOOKUP_SECONDS, raise_exceptions=True,
            auto_referrals=False,
        )
        try:
            connection.search(
                settings.people_base,
                f"({settings.name_attribute}={escape_filter_chars(user)})",
                attributes=["memberOf"],
            )
            # The entry mitmproxy's check bound as: the first the same search finds.
            person = next((e for e in connection.response if e["type"] == "searchResEntry"), None)
            if person is None:
                return frozenset()
            member_of = person["raw_attributes"].get("memberOf", [])
            found = [value.decode(errors="replace") for value in member_of]
            connection.search(
                self._group_base(),
                f"(&(objectClass=groupOfNames)(member={escape_filter_chars(person['dn'])}))",
                attributes=[ldap3.NO_ATTRIBUTES],
            )
            found += [e["dn"] for e in connection.response if e["type"] == "searchResEntry"]
        finally:
            connection.unbind()
        return frozenset(_normalised(found))

    def _group_base(self) -> str:
        """The naming context (from the root DSE) that holds the people, else their base."""
        people = normalise_dn(self.settings.people_base)
        info = self.server.info
        for context in (info.naming_contexts or []) if info else []:
            if any(people == c or people.endswith("," + c) for c in _normalised([context])):
                return context
        return self.settings.people_base


def _normalised(dns: Iterable[str]) -> list[str]:
    """`dns` in `normalise_dn` form; a value that is not a DN is dropped (no policy names it)."""
    out = []
    for dn in dns:
        try:
            out.append(normalise_dn(dn))
        except ValueError:
            continue
    return out


class DirectoryGroups:
    """Directory groups per user, looked up off the event loop and remembered (`GroupMemory`).

    Concurrent requests of one person share one lookup. A failure is logged once per outage
    (and its end once), never with a password: the messages name only the server.
    """

    def __init__(
        self,
        lookup: Callable[[str], frozenset[str]],
        memory: GroupMemory,
        where: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lookup = lookup
        self.memory = memory
        self.where = where
        self.clock = clock
        self._pending: dict[str, asyncio.Task[frozenset[str]]] = {}

    async def of(self, user: str) -> frozenset[str]:
        """The normalised DNs of `user`'s directory groups; never raises."""
        now = self.clock()
        known = self.memory.fresh(user, now)
        if known is not None:
            return known
        if not self.memory.may_ask(now):
            return self.memory.fallback(user)
        task = self._pending.get(user)
        if task is None:
            task = asyncio.create_task(self._ask(user))
            self._pending[user] = task
            task.add_done_callback(lambda _: self._pending.pop(user, None))
        return await asyncio.shield(task)

    async def _ask(self, user: str) -> frozenset[str]:
        try:
            groups = await asyncio.wait_for(asyncio.to_thread(self.lookup, user), LOOKUP_SECONDS)
        except Exception as e:  # fail safe: any failure means "the directory did not say"
            if self.memory.failed(self.clock()):
                why = f"{type(e).__name__}: {e}" if str(e) else f"no answer in {LOOKUP_SECONDS} s"
                logger.error(
                    "aigate: the directory %s did not answer a group lookup (%s); until it "
                    "does, people keep the directory groups last seen and others get none "
                    "(the rules for everyone)", self.where, why,
                )
            return self.memory.fallback(user)
        if self.memory.reported(user, groups, self.clock()):
            logger.warning("aigate: the directory %s answers group lookups again", self.where)
        return groups


def directory_groups_for(proxyauth: str | None, ttl: float) -> DirectoryGroups | None:
    """The directory groups of an `ldap:` proxyauth setting; None for other sign-ins."""
    settings = LdapSettings.from_proxyauth(proxyauth)
    if settings is None:
        return None
    return DirectoryGroups(LdapGroupLookup(settings), GroupMemory(ttl), settings.url)
