import subprocess

import pytest
from aigate.inspect.summary import label_token
from aigate.record import metrics
from flow_factories import found, make_inspection, make_state, too_large
from prometheus_client import generate_latest


def value(name, **labels):
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.parametrize(
    "groups, order, expected",
    [
        (frozenset(), (), "none"),
        (frozenset({"sales", "engineering"}), (), "engineering"),
        (frozenset({"sales", "engineering"}), ("sales", "engineering"), "sales"),
        (frozenset({"Ops Team"}), (), "ops_team"),
    ],
)
def test_each_request_counts_under_one_primary_group(groups, order, expected):
    assert metrics.primary_group(groups, order) == expected


@pytest.mark.parametrize(
    "rule, kind",
    [("services.chatgpt", "services"), ("default", "default"), ("risk_rules.cn", "risk_rules"),
     ("exceptions.eng", "exceptions"), ("training.ai101", "training"), ("weird", "other")],
)
def test_rule_kind_is_the_rule_family(rule, kind):
    assert metrics.rule_kind(rule) == kind


@pytest.mark.parametrize(
    "raw, token",
    [("too large", "too_large"), ("https://x.example/a?b", "https_x.example_a_b"),
     (None, "unknown"), ("x" * 100, "x" * 40)],
)
def test_label_values_are_short_tokens(raw, token):
    assert label_token(raw) == token


def test_a_flow_moves_request_decision_and_inspection_metrics():
    labels = dict(service="chatgpt-anonymous", category="chat", action="block", outcome="blocked",
                  group="engineering", rule_kind="services")
    before = value("aigate_requests_total", **labels)
    before_findings = value("aigate_findings_total", detector="email", **{"class": "pii"},
                            confidence="validated", action="block")
    before_bytes = value("aigate_scanned_bytes_total")
    state = make_state("chatgpt-anonymous", "block", "blocked", inspection=make_inspection(
        300, found("email", "pii", 3), action="block"))
    metrics.observe_flow(state, has_body=True)
    assert value("aigate_requests_total", **labels) == before + 1
    assert value("aigate_findings_total", detector="email", **{"class": "pii"},
                 confidence="validated", action="block") == before_findings + 3
    assert value("aigate_scanned_bytes_total") == before_bytes + 300


@pytest.mark.parametrize(
    "outcome, ack, step",
    [("warned", False, "shown"), ("acknowledged", True, "acknowledged"),
     ("continued", False, "continued")],
)
def test_warn_steps_are_counted(outcome, ack, step):
    before = value("aigate_warn_pages_total", service="claude", step=step)
    acks = value("aigate_acknowledgements_total", service="claude")
    metrics.observe_flow(make_state("claude", "warn", outcome, ack=ack), has_body=False)
    assert value("aigate_warn_pages_total", service="claude", step=step) == before + 1
    assert value("aigate_acknowledgements_total", service="claude") == acks + (1 if ack else 0)


@pytest.mark.parametrize(
    "inspection, outcome, has_body, counter, labels",
    [
        (make_inspection(80), "allowed", True, "aigate_inspected_requests_total",
         {"category": "chat"}),
        (too_large(), "allowed", True,
         "aigate_unscanned_requests_total", {"reason": "too_large"}),
        (None, "allowed", True, "aigate_unscanned_requests_total", {"reason": "not_inspected"}),
    ],
)
def test_inspection_coverage_counters(inspection, outcome, has_body, counter, labels):
    before = value(counter, **labels)
    metrics.observe_flow(make_state(outcome=outcome, inspection=inspection), has_body=has_body)
    assert value(counter, **labels) == before + 1


def test_blocked_or_bodiless_flows_do_not_count_as_unscanned():
    before = value("aigate_unscanned_requests_total", reason="not_inspected")
    metrics.observe_flow(make_state(action="block", outcome="blocked"), has_body=True)
    metrics.observe_flow(make_state(), has_body=False)
    assert value("aigate_unscanned_requests_total", reason="not_inspected") == before


def test_hook_error_stage_is_counted():
    before = value("aigate_hook_errors_total", stage="decide")
    metrics.observe_flow(make_state(outcome="error", error_stage="decide"), has_body=False)
    assert value("aigate_hook_errors_total", stage="decide") == before + 1


def test_policy_info_shows_the_policy_in_force():
    metrics.observe_policy(True, True, "v9", "cafe", 1234.0)
    assert value("aigate_policy_info", version="v9", hash="cafe") == 1
    assert value("aigate_policy_last_reload_timestamp_seconds") == 1234.0
    failures = value("aigate_policy_reloads_total", result="failure")
    metrics.observe_policy(False, True, "v9", "cafe", 2000.0)
    assert value("aigate_policy_reloads_total", result="failure") == failures + 1
    assert value("aigate_policy_last_reload_success") == 0
    assert value("aigate_policy_last_reload_timestamp_seconds") == 1234.0


def test_no_user_or_url_reaches_a_label():
    metrics.observe_flow(make_state(user="secret-user-name"), has_body=False)
    text = generate_latest(metrics.REGISTRY).decode()
    assert "secret-user-name" not in text and "10.0.0.7" not in text


def test_exposition_passes_promtool_check_metrics(promtool):
    metrics.observe_flow(make_state(inspection=make_inspection(10, found("a", "b"))),
                         has_body=True)
    result = subprocess.run([promtool, "check", "metrics"], input=generate_latest(metrics.REGISTRY),
                            capture_output=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr


def test_reimporting_the_module_does_not_register_twice():
    import importlib

    import aigate.record.metrics as again

    assert importlib.import_module("aigate.record.metrics") is again is metrics


def _exposition(fast: bool) -> bytes:
    """One registry's exposition after the same amounts, counted through aigate's increments or
    through prometheus-client's own `inc` and `observe`."""
    from prometheus_client import CollectorRegistry, Counter, Histogram

    registry = CollectorRegistry()
    counter = Counter("c", "c", ["kind"], registry=registry)
    total = Counter("t", "t", registry=registry)
    histogram = Histogram("h", "h", buckets=(0.001, 0.01, 0.1, 1.0), registry=registry)
    by_kind = metrics.Children(counter, "preset")
    observe = metrics.Observe(histogram) if fast else histogram.observe
    add_total = metrics.increment_of(total) if fast else total.inc
    amounts = [0.0, -0.0, 0.001, 0.0010001, 0.01, 0.5, 1.0, 1.5, 1e9, float("inf"),
               float("nan"), 5e-324, 0.1]
    for index, amount in enumerate(amounts):
        observe(amount)
        add_total(index)
        kind = ("a", "b", "preset")[index % 3]
        if fast:
            by_kind.inc(kind, amount=index)
        else:
            counter.labels(kind).inc(index)
    if not fast:
        counter.labels("preset")
    return generate_latest(registry)


def test_increments_expose_what_prometheus_clients_own_methods_do():
    assert _exposition(fast=True) == _exposition(fast=False)
    assert metrics.Observe(metrics.SCAN_SECONDS)._observe is None, "the fast path is in use"
