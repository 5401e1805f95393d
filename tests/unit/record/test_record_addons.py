import json
import urllib.request

import pytest
from aigate.flowstate import FLOW_KEY
from aigate.proxy.audit import Audit
from aigate.proxy.metrics import Metrics
from aigate.record import events, metrics
from flow_factories import make_state
from mitmproxy import exceptions, http
from mitmproxy.test import taddons, tflow


@pytest.fixture
def audit():
    """An Audit addon, shut down afterwards as mitmproxy would (its event subscription ends)."""
    addon = Audit()
    yield addon
    addon.done()


def records(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def ai_flow(state, *, response=False, path="/backend-api/conversation?q=secret"):
    flow = tflow.tflow(resp=response)
    flow.request.path = path
    flow.metadata[FLOW_KEY] = state
    flow.metadata["proxyauth"] = ("alice", "hunter2-password")
    return flow


def test_blocked_flow_is_recorded_in_request_once(tmp_path, audit):
    addon = audit
    with taddons.context(addon) as tctx:
        tctx.configure(addon, aigate_audit_log=str(tmp_path / "a.jsonl"))
        addon.running()
        flow = ai_flow(make_state(action="block", outcome="blocked"))
        flow.response = http.Response.make(403, b"blocked")
        addon.request(flow)
        assert [r["event"] for r in records(tmp_path / "a.jsonl")] == ["decision"]
        addon.response(flow)
    (record,) = records(tmp_path / "a.jsonl")
    assert (record["status"], record["path"]) == (403, "/backend-api/conversation")
    text = (tmp_path / "a.jsonl").read_text()
    assert "hunter2" not in text and "secret" not in text


def test_forwarded_flow_is_recorded_at_response_and_ack_sealed(tmp_path, audit):
    addon = audit
    with taddons.context(addon) as tctx:
        tctx.configure(addon, aigate_audit_log=str(tmp_path / "a.jsonl"))
        addon.running()
        flow = ai_flow(make_state(outcome="acknowledged", ack=True))
        addon.request(flow)
        assert not (tmp_path / "a.jsonl").read_text()
        flow.response = tflow.tresp()
        addon.response(flow)
        addon.error(flow)
    assert [r["event"] for r in records(tmp_path / "a.jsonl")] == ["ack", "decision"]
    assert "hash" in records(tmp_path / "a.jsonl")[0]


def test_default_log_is_in_confdir(tmp_path, audit):
    addon = audit
    with taddons.context(addon) as tctx:
        tctx.configure(addon, confdir=str(tmp_path))
        addon.running()
        assert addon.log.path == str(tmp_path / "aigate-audit.jsonl")


def test_policy_events_reach_the_log(tmp_path, audit):
    addon = audit
    with taddons.context(addon) as tctx:
        tctx.configure(addon, aigate_audit_log=str(tmp_path / "a.jsonl"))
        addon.running()
        events.publish(events.PolicyEvent(ok=True, reload=True, version="v3", sha256="h"))
    assert records(tmp_path / "a.jsonl")[-1]["event"] == "policy_reload"


@pytest.mark.parametrize(
    "options",
    [{"aigate_audit_max_bytes": -1}, {"aigate_audit_backups": 0},
     {"aigate_audit_log": "{tmp}/a-file/a.jsonl"}],
)
def test_bad_audit_options_are_refused(tmp_path, options, audit):
    (tmp_path / "a-file").write_text("")
    options = {k: v.format(tmp=tmp_path) if isinstance(v, str) else v for k, v in options.items()}
    addon = audit
    with taddons.context(addon) as tctx, pytest.raises(exceptions.OptionsError):
        tctx.configure(addon, **{"aigate_audit_log": str(tmp_path / "a.jsonl"), **options})


def sample(name, **labels):
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_addon_counts_each_flow_once_and_passthrough():
    addon = Metrics()
    labels = dict(service="chatgpt", category="chat", action="allow", outcome="allowed",
                  group="engineering", rule_kind="services")
    before = sample("aigate_requests_total", **labels)
    before_http = sample("aigate_passthrough_connections_total", protocol="http")
    before_tls = sample("aigate_passthrough_connections_total", protocol="tls")
    with taddons.context(addon):
        flow = ai_flow(make_state(), response=True)
        addon.request(flow)
        addon.response(flow)
        addon.error(flow)
        plain = tflow.tflow()
        plain.request.scheme = "http"
        addon.request(plain)
        data = type("Data", (), {"ignore_connection": True})()
        addon.tls_clienthello(data)
    assert sample("aigate_requests_total", **labels) == before + 1
    assert sample("aigate_passthrough_connections_total", protocol="http") == before_http + 1
    assert sample("aigate_passthrough_connections_total", protocol="tls") == before_tls + 1


def test_metrics_endpoint_serves_once_per_process(free_port):
    addon = Metrics()
    with taddons.context(addon) as tctx:
        tctx.configure(addon, aigate_metrics_port=free_port)
        tctx.configure(addon, aigate_metrics_port=free_port)  # same address: no second bind
        body = urllib.request.urlopen(f"http://127.0.0.1:{free_port}/metrics", timeout=5).read()
        assert b"aigate_requests_total" in body
        tctx.configure(addon, aigate_metrics_port=0)


def test_bad_metrics_port_is_refused():
    addon = Metrics()
    with taddons.context(addon) as tctx, pytest.raises(exceptions.OptionsError):
        tctx.configure(addon, aigate_metrics_port=70000)


@pytest.mark.parametrize("ignore, counted", [(True, 1), (False, 0)])
def test_connections_relayed_at_connect_count_as_passthrough(ignore, counted):
    from mitmproxy.proxy import layer, layers
    from mitmproxy.proxy.context import Context

    addon = Metrics()
    before = sample("aigate_passthrough_connections_total", protocol="tcp")
    with taddons.context(addon) as tctx:
        context = Context(tflow.tclient_conn(), tctx.options)
        nextlayer = layer.NextLayer(context)
        nextlayer.layer = layers.TCPLayer(context, ignore=ignore)
        addon.next_layer(nextlayer)
    assert sample("aigate_passthrough_connections_total", protocol="tcp") == before + counted
