"""The upstream addon's pure parts and hooks in isolation (the real proxy, the SDKs and Chromium
are in tests/proxy/test_upstream_errors.py and tests/e2e/test_upstream_browser.py): how a
connect error is classed, which flow errors are the site's, the record field and the report's
bucket."""

from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest
from aigate.flowstate import FLOW_KEY
from aigate.proxy.upstream import Upstream, kind_of_exception, kind_of_message
from aigate.record.audit import decision_record
from aigate.report.counters import BUCKETS, bucket_of
from flow_factories import make_state
from mitmproxy import exceptions
from mitmproxy import flow as mflow
from mitmproxy.test import taddons, tflow


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("[Errno -2] Name or service not known", "dns"),
        ("[Errno -3] Temporary failure in name resolution", "dns"),
        ("[Errno -5] No address associated with hostname", "dns"),
        ("[Errno 111] Connect call failed ('127.0.0.1', 9)", "refused"),
        ("[Errno 110] Connect call failed ('10.0.0.1', 443)", "timeout"),
        ("timed out", "timeout"),
        ("[Errno 101] Network is unreachable", "unreachable"),
        ("[Errno 113] Connect call failed ('10.9.9.9', 443)", "unreachable"),
        ("Multiple exceptions: [Errno 111] ..., [Errno 99] ...", "refused"),
    ],
)
def test_connect_errors_are_classed_as_mitmproxy_words_them(message, kind):
    assert kind_of_message(message) == kind


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (socket.gaierror(-2, "Name or service not known"), "dns"),
        (ConnectionRefusedError(111, "Connect call failed"), "refused"),
        (TimeoutError(), "timeout"),
        (OSError(101, "Network is unreachable"), "unreachable"),
    ],
)
def test_exceptions_of_the_check_are_classed(error, kind):
    assert kind_of_exception(error) == kind


def _failed_flow(message: str, outcome: str = "allowed"):
    flow = tflow.tflow()
    flow.response = None
    flow.error = mflow.Error(message)
    flow.metadata[FLOW_KEY] = make_state(outcome=outcome)
    return flow


@pytest.mark.parametrize(
    ("message", "known", "expected"),
    [
        ("[Errno 111] Connect call failed ('127.0.0.1', 9)", "refused", "refused"),
        ("Certificate verify failed: self-signed certificate", "tls", "tls"),
        ("server closed connection", None, "closed"),
        ("Cannot parse HTTP response: bad status line", None, "closed"),
        ("Client disconnected.", None, None),  # the client's doing, not the site's
        (mflow.Error.KILLED_MESSAGE, None, None),
    ],
)
def test_error_hook_records_failures_of_the_site_only(message, known, expected):
    addon = Upstream()
    flow = _failed_flow(message)
    if known is not None:  # what server_connect_error / tls_failed_server saw on this client
        addon.failures[flow.client_conn.id] = {message: known}
    with taddons.context(addon):
        addon.error(flow)
    state = flow.metadata[FLOW_KEY]
    assert state.upstream_error == expected
    assert state.outcome == ("upstream_error" if expected else "allowed")


def test_error_hook_leaves_refused_requests_alone():
    addon = Upstream()
    flow = _failed_flow("server closed connection", outcome="blocked")
    with taddons.context(addon):
        addon.error(flow)
    assert flow.metadata[FLOW_KEY].outcome == "blocked"


def test_connect_errors_are_remembered_per_address_until_a_connection_succeeds():
    addon = Upstream()
    client = tflow.tclient_conn()
    server = SimpleNamespace(address=("API.openai.com", 443), error="[Errno 111] refused")
    data = SimpleNamespace(client=client, server=server)
    addon.server_connect_error(data)  # type: ignore[arg-type]
    assert addon._failed_recently(("api.openai.com", 443))
    assert addon.failures[client.id] == {"[Errno 111] refused": "refused"}
    assert addon.broken[client.id] == {("api.openai.com", 443): "refused"}
    addon.server_connected(data)  # type: ignore[arg-type]
    assert not addon._failed_recently(("api.openai.com", 443))
    assert addon.open[client.id][("api.openai.com", 443)] == 1
    addon.server_disconnected(data)  # type: ignore[arg-type]
    assert addon.open[client.id] == {}
    addon.client_disconnected(client)
    assert client.id not in addon.open and client.id not in addon.failures
    assert client.id not in addon.broken


@pytest.mark.parametrize(("option", "value"), [
    ("aigate_upstream_connect_timeout", "soon"),
    ("aigate_upstream_connect_timeout", "0"),
    ("aigate_upstream_connect_timeout", "301"),
    ("aigate_upstream_check", "sometimes"),
])
def test_bad_options_are_refused(option, value):
    addon = Upstream()
    with taddons.context(addon) as tctx, pytest.raises(exceptions.OptionsError):
        tctx.configure(addon, **{option: value})


def test_the_record_names_the_failure_and_the_report_counts_it_apart():
    state = make_state()
    plain = decision_record(state, host="h", method="GET", path="/", status=None, time=0.0)
    assert "upstream_error" not in plain
    state.outcome, state.upstream_error = "upstream_error", "timeout"
    record = decision_record(state, host="h", method="GET", path="/", status=504, time=0.0)
    assert (record["outcome"], record["upstream_error"]) == ("upstream_error", "timeout")
    assert BUCKETS[bucket_of(record)] == "allowed, site did not answer"
