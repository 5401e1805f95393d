"""Directory group lookups as the proxy makes them (`aigate.proxy.directory`), with a stand-in for
the directory: off the event loop, bounded in time, shared by concurrent requests, and logged
once per outage without credentials. tests/proxy/test_ldap_auth.py asks a real slapd."""

from __future__ import annotations

import asyncio
import logging
import threading
import time

import pytest
from aigate.directory import GroupMemory
from aigate.policy import load_policy_text
from aigate.proxy import directory
from aigate.proxy.directory import DirectoryGroups, LdapSettings, directory_groups_for
from aigate.proxy.identify import IDENTITY_KEY, Identify
from aigate.proxy.runtime import Runtime
from mitmproxy import exceptions, http
from mitmproxy.addons.proxyauth import ProxyAuth
from mitmproxy.test import taddons, tflow

SPEC = ("ldap:ldap.corp.test:389:cn=aigate,dc=corp:Bind-pw-5521:ou=people,dc=corp"
        "?search_filter_key=uid")
STAFF = frozenset({"cn=staff,dc=corp"})


class Directory:
    """A stand-in lookup: answers `groups`, or raises `error`, after `delay` seconds (blocking,
    as ldap3 does), counting the calls."""

    def __init__(self, groups: frozenset[str] = STAFF, delay: float = 0.0) -> None:
        self.groups, self.delay = groups, delay
        self.error: Exception | None = None
        self.calls = 0
        self.threads: set[int] = set()

    def __call__(self, user: str) -> frozenset[str]:
        self.calls += 1
        self.threads.add(threading.get_ident())
        time.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return self.groups


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def groups_of(lookup: Directory, clock: Clock, ttl: float = 300) -> DirectoryGroups:
    return DirectoryGroups(lookup, GroupMemory(ttl), "ldap://ldap.corp.test:389", clock)


def test_proxyauth_ldap_spec_gives_the_settings_and_hides_the_password():
    settings = LdapSettings.from_proxyauth(SPEC)
    assert settings is not None
    assert (settings.host, settings.port, settings.bind_dn, settings.people_base,
            settings.name_attribute) == ("ldap.corp.test", 389, "cn=aigate,dc=corp",
                                         "ou=people,dc=corp", "uid")
    assert settings.url == "ldap://ldap.corp.test:389"
    assert "Bind-pw-5521" not in repr(settings)


@pytest.mark.parametrize("spec", [None, "", "alice:secret", "@/etc/aigate/htpasswd", "any"])
def test_other_sign_ins_read_no_directory(spec):
    assert directory_groups_for(spec, 300) is None


async def test_the_lookup_runs_in_a_thread_and_the_event_loop_keeps_serving():
    lookup = Directory(delay=0.3)
    groups = groups_of(lookup, Clock())
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    tick = asyncio.create_task(ticker())
    assert await groups.of("alice") == STAFF
    tick.cancel()
    assert ticks >= 10, "the event loop was blocked during the lookup"
    assert threading.get_ident() not in lookup.threads


async def test_answers_are_reused_for_the_ttl_and_concurrent_requests_share_one_lookup():
    lookup, clock = Directory(delay=0.1), Clock()
    groups = groups_of(lookup, clock)
    assert await asyncio.gather(*(groups.of("alice") for _ in range(5))) == [STAFF] * 5
    assert lookup.calls == 1
    clock.now += 299
    assert await groups.of("alice") == STAFF and lookup.calls == 1
    clock.now += 1
    assert await groups.of("alice") == STAFF and lookup.calls == 2


async def test_a_directory_that_does_not_answer_costs_one_timeout_and_is_logged_once(
    monkeypatch, caplog
):
    monkeypatch.setattr(directory, "LOOKUP_SECONDS", 0.2)
    lookup, clock = Directory(), Clock()
    groups = groups_of(lookup, clock, ttl=60)
    assert await groups.of("alice") == STAFF
    lookup.delay, clock.now = 1.0, clock.now + 60  # alice's answer is stale; the directory hangs
    started = time.monotonic()
    assert await groups.of("alice") == STAFF, "the last known groups are kept"
    assert await groups.of("bob") == frozenset(), "nobody else gets directory groups"
    assert time.monotonic() - started < 1.0, "waited for the directory more than once"
    assert lookup.calls == 2, "asked a directory known to be down"
    outage = [r for r in caplog.records if r.name == directory.__name__]
    assert [r.levelno for r in outage] == [logging.ERROR]
    assert "ldap://ldap.corp.test:389 did not answer" in outage[0].getMessage()
    assert "no answer in 0.2 s" in outage[0].getMessage()


async def test_after_an_outage_the_directory_is_asked_again_and_the_end_is_logged(caplog):
    lookup, clock = Directory(), Clock()
    groups = groups_of(lookup, clock, ttl=10)
    lookup.error = OSError("Connection refused")
    assert await groups.of("alice") == frozenset()
    assert await groups.of("alice") == frozenset()
    assert lookup.calls == 1
    lookup.error, clock.now = None, clock.now + 10  # a pause of the TTL (at most 30 s)
    assert await groups.of("alice") == STAFF
    messages = [r.getMessage() for r in caplog.records if r.name == directory.__name__]
    assert len(messages) == 2
    assert "(OSError: Connection refused)" in messages[0]
    assert messages[1] == (
        "aigate: the directory ldap://ldap.corp.test:389 answers group lookups again"
    )


# --- the identify addon ------------------------------------------------------------------------

POLICY = """organisation: Acme
version: "1"
contact: {name: IT}
document: {purpose: p, scope: s}
default: {action: warn, reason: r}
groups:
  engineering: {ldap_groups: ["cn=engineering,ou=groups,dc=corp"]}
"""


def authenticated_flow(user: str) -> http.HTTPFlow:
    flow = tflow.tflow()
    flow.metadata["proxyauth"] = (user, "User-pw-7781")
    return flow


async def test_identify_adds_the_policy_groups_of_the_directory_groups():
    runtime = Runtime()
    runtime.install(load_policy_text(POLICY))
    identify = Identify(runtime)
    with taddons.context(ProxyAuth(), identify) as tctx:
        tctx.configure(identify, proxyauth=SPEC)
        assert identify.directory is not None
        identify.directory.lookup = Directory(frozenset({"cn=engineering,ou=groups,dc=corp"}))
        flow = authenticated_flow("alice")
        await identify.requestheaders(flow)
    identity = flow.metadata[IDENTITY_KEY]
    assert (identity.user, identity.groups) == ("alice", frozenset({"engineering"}))


async def test_ldap_groups_without_ldap_sign_in_warn_once(caplog):
    runtime = Runtime()
    runtime.install(load_policy_text(POLICY))
    identify = Identify(runtime)
    with taddons.context(ProxyAuth(), identify) as tctx:
        tctx.configure(identify, proxyauth="alice:secret")
        for _ in range(2):
            flow = authenticated_flow("alice")
            await identify.requestheaders(flow)
            assert flow.metadata[IDENTITY_KEY].groups == frozenset()
    warnings = [r for r in caplog.records if "names directory groups" in r.getMessage()]
    assert len(warnings) == 1


def test_a_ttl_of_zero_is_refused():
    identify = Identify(Runtime())
    with (
        taddons.context(ProxyAuth(), identify) as tctx,
        pytest.raises(exceptions.OptionsError, match="more than 0 seconds"),
    ):
        tctx.configure(identify, aigate_ldap_groups_ttl=0)
