"""Directory (LDAP) group membership: one spelling for DNs, and per-user memory of the groups a
directory reported (pure; `aigate.proxy.directory` asks the directory).

DNs are compared normalised because the policy and the directory spell the same group
differently (`CN=Engineering, OU=Groups,...` against `cn=engineering,ou=groups,...`), and the
naming attributes people use (cn, ou, dc, uid, o) all match case-insensitively in LDAP.

`GroupMemory` decides what a person's directory groups are when the directory is slow or down:
the last groups it reported (even past their TTL), else none, so the person falls to the rules
everyone gets. It asks a down directory again only after a pause, so an outage does not add a
timeout to every request, and it tells its caller when an outage begins and ends, so that is
logged once each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ATTRIBUTE_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9-]*|[0-9]+(\.[0-9]+)+")
_SPECIAL = frozenset(',+"\\<>;=')
_HEX = frozenset("0123456789abcdefABCDEF")


def normalise_dn(dn: str) -> str:
    """`dn` (RFC 4514) in one spelling: attribute types and values lowercased, spaces around
    separators and inside values collapsed, escapes resolved and re-applied one way, the parts
    of a multi-valued RDN sorted. Raises `ValueError` naming what is wrong."""
    rdns: list[list[str]] = [[]]
    position = 0
    while True:
        equals = dn.find("=", position)
        if equals < 0:
            raise ValueError(f"'{dn[position:].strip() or dn}' has no '=' (write it like cn=name)")
        attribute = dn[position:equals].strip()
        if not _ATTRIBUTE_TYPE.fullmatch(attribute):
            raise ValueError(f"'{attribute}' is not an attribute type such as cn, ou or dc")
        value, separator, position = _read_value(dn, equals + 1)
        rdns[-1].append(f"{attribute.lower()}={_escape(value)}")
        if separator is None:
            break
        if separator == ",":
            rdns.append([])
    return ",".join("+".join(sorted(rdn)) for rdn in rdns)


def _read_value(dn: str, position: int) -> tuple[str, str | None, int]:
    """The unescaped, case-folded value starting at `position`, the separator that ends it
    (`,`, `+` or None at the end) and the position after that separator."""
    chars: list[str] = []
    pending = bytearray()  # hex escapes (`\c3\a9`) are UTF-8 bytes, decoded together

    def flush() -> None:
        if pending:
            try:
                chars.append(pending.decode())
            except UnicodeDecodeError:
                raise ValueError(f"'{dn}' has a hex escape that is not UTF-8") from None
            pending.clear()

    while position < len(dn):
        char = dn[position]
        if char == "\\":
            pair = dn[position + 1 : position + 3]
            if len(pair) == 2 and set(pair) <= _HEX:
                pending.append(int(pair, 16))
                position += 3
                continue
            if not pair:
                raise ValueError(f"'{dn}' ends with a lone backslash")
            flush()
            chars.append(pair[0])
            position += 2
            continue
        flush()
        if char in ",+":
            return _fold("".join(chars)), char, position + 1
        chars.append(char)
        position += 1
    flush()
    return _fold("".join(chars)), None, position


def _fold(value: str) -> str:
    return " ".join(value.split()).casefold()


def _escape(value: str) -> str:
    escaped = "".join(f"\\{c}" if c in _SPECIAL else c for c in value)
    return "\\" + escaped if escaped.startswith("#") else escaped


@dataclass(slots=True)
class _Known:
    groups: frozenset[str]
    fetched: float


class GroupMemory:
    """Directory groups per user (key: the name exactly as signed in with, so two spellings
    never share an answer), fresh for `ttl` seconds, at most `max_users` kept (the longest
    unrefreshed dropped first).

    While the directory is down, `fallback` gives the last groups it reported; it is asked again
    no sooner than `retry` seconds after a failure. Times are `time.monotonic()` seconds.
    """

    def __init__(self, ttl: float, max_users: int = 10_000, retry: float = 30.0) -> None:
        self.ttl = ttl
        self.max_users = max_users
        self.retry = min(retry, ttl)
        self.down = False
        self._known: dict[str, _Known] = {}
        self._next_try = 0.0

    def fresh(self, user: str, now: float) -> frozenset[str] | None:
        """The groups of `user` if reported less than `ttl` seconds ago, else None."""
        known = self._known.get(user)
        if known is None or now - known.fetched >= self.ttl:
            return None
        return known.groups

    def may_ask(self, now: float) -> bool:
        """False while the directory is down and the pause after its last failure lasts."""
        return not self.down or now >= self._next_try

    def reported(self, user: str, groups: frozenset[str], now: float) -> bool:
        """Remember what the directory answered; True when this ends an outage."""
        self._known.pop(user, None)
        if len(self._known) >= self.max_users:
            del self._known[next(iter(self._known))]
        self._known[user] = _Known(groups, now)
        ended, self.down = self.down, False
        return ended

    def failed(self, now: float) -> bool:
        """The directory did not answer; True when this begins an outage."""
        began = not self.down
        self.down, self._next_try = True, now + self.retry
        return began

    def fallback(self, user: str) -> frozenset[str]:
        """The last groups reported for `user`, however old, else none."""
        known = self._known.get(user)
        return known.groups if known is not None else frozenset()
