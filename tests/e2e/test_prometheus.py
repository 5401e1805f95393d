"""aigate's metrics scraped by a real Prometheus, and the deploy/ files checked by promtool and
evaluated on that Prometheus: every rule and dashboard expression must return data.

One proxy and one Prometheus for the module. Traffic covers every alert: hook errors, a failed
policy reload, DLP blocks, low inspection coverage, a service the policy does not mention, and
a scrape target that is down.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from aigate.record import metrics
from components import require_command
from procharness import POLL_SECONDS, PROMETHEUS_DIR, RULE_FILES, Prometheus, free_port
from recordharness import (
    acknowledge,
    make_client,
    new_upstream,
    passthrough_request,
    record_proxy,
)

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "grafana" / "dashboards" / "aigate.json"
# Grafana's variables, as an "All" selection over a short range would expand them.
GRAFANA_VARIABLES = {
    "$__rate_interval": "1m", "$__interval": "15s", "$__range": "5m", "$group": ".*",
    "$service": ".*",
}
# Pasted credentials the real inspect addon blocks (policy rule no-secrets): three access key ids
# and one secret key are found in each prompt.
LEAKED_KEYS = (
    "aws_access_key_id = AKIAQ3EGRLMNV4XKTYJW\n"
    "aws_secret_access_key = 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\n"
    "aws_access_key_id = AKIAR7TXWQPLMZ2KDNVB\n"
    "aws_access_key_id = AKIAS2MDKVQXZ7RTWPLN\n"
)
ROUNDS = 2  # `stack` sends `send_round` twice
UNSCANNED = json.dumps({
    "oversize": True, "unscanned": ["body of 300000 bytes is over the scan limit of 262144"],
})


def tool(name: str) -> str:
    """prometheus or promtool, both from Debian's prometheus package."""
    return require_command(name, "prometheus")


def substitute(expr: str) -> str:
    for name in sorted(GRAFANA_VARIABLES, key=len, reverse=True):
        expr = expr.replace(name, GRAFANA_VARIABLES[name])
    return expr


def rule_expressions() -> list[tuple[str, str]]:
    out = []
    for file in RULE_FILES:
        for group in yaml.safe_load((PROMETHEUS_DIR / file).read_text())["groups"]:
            for rule in group["rules"]:
                out.append((rule.get("record") or rule["alert"], rule["expr"]))
    return out


def dashboard_expressions() -> list[tuple[str, str]]:
    board = json.loads(DASHBOARD.read_text())
    out = []
    for panel in board["panels"]:
        for target in panel.get("targets", []):
            out.append((f"{panel['title']} {target['refId']}", substitute(target["expr"])))
    for annotation in board["annotations"]["list"]:
        out.append((f"annotation {annotation['name']}", substitute(annotation["expr"])))
    return out


def send_round(proxy, upstream) -> None:
    """One of each kind of traffic the metrics count, on one keep-alive client as an SDK sends."""
    with make_client(proxy, auth="alice:pw") as client:
        api = "https://allowed.openai.test/v1/chat/completions"
        for _ in range(3):
            prompt = {"model": "m", "messages": [{"role": "user", "content": LEAKED_KEYS}]}
            assert client.post(api, json=prompt).status_code == 403
            assert client.post(api, json={"n": 2},
                               headers={"x-test-inspection": UNSCANNED}).status_code == 200
        for _ in range(2):
            assert client.get("https://api.openai.test/v1/models").status_code == 403
        assert acknowledge(client, "https://chat.warn.test/") == 302
        continued = client.get("https://chat.warn.test/", headers={"accept": "text/html"})
        assert continued.headers.get("x-upstream") == "fake"
        assert client.get("https://chatgpt.com/").status_code == 200  # the default rule
        client.post(api, json={"n": 3}, headers={"x-test-error": "inspect"})
        for _ in range(2):  # a chat resends its earlier turns: the second time they are reused
            turn = {"role": "user", "content": "Summarise the notes of the design review. " * 8}
            assert client.post(api, json={"model": "m", "messages": [turn]}).status_code == 200
    assert passthrough_request(proxy, upstream, "alice:pw").startswith(b"HTTP/1.1 200")


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[tuple[Any, Prometheus]]:
    tool("prometheus")
    work = tmp_path_factory.mktemp("prometheus-e2e")
    upstream = new_upstream(work)
    metrics_port = free_port()
    with record_proxy(
        work, upstream, proxyauth="any", aigate_metrics_port=metrics_port,
        aigate_audit_log=str(work / "audit.jsonl"),
    ) as proxy:
        prometheus = Prometheus(work, [f"127.0.0.1:{metrics_port}", f"127.0.0.1:{free_port()}"])
        try:
            assert prometheus.wait_data(f'up{{instance="127.0.0.1:{metrics_port}"}} == 1',
                                        timeout=30)["data"]["result"], "never scraped the proxy"
            policy = work / "policy" / "policy.yaml"
            proxy.before = {expr: _sum(labels) for expr, labels in EXACT.items()}
            send_round(proxy, upstream)
            policy.write_text(policy.read_text().replace(  # overdue: AigatePolicyReviewOverdue
                'version: "t1"', 'version: "t2"\nreview_by: 2000-01-01'))
            assert prometheus.wait_data('aigate_policy_info{version="t2"}')["data"]["result"]
            send_round(proxy, upstream)
            policy.write_text(policy.read_text() + "\nnot_a_policy_key: [\n")
            assert prometheus.wait_data("aigate_policy_last_reload_success == 0")["data"]["result"]
            proxy.metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
            yield proxy, prometheus
        finally:
            prometheus.stop()
    upstream.close()


# --- the deploy files, offline --------------------------------------------------------------


def test_deploy_config_and_rules_pass_promtool():
    for args in (["check", "config", str(PROMETHEUS_DIR / "prometheus.yml")],
                 ["check", "rules", *(str(PROMETHEUS_DIR / f) for f in RULE_FILES)]):
        result = subprocess.run([tool("promtool"), *args], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr


def test_dashboard_expressions_parse_as_promql(tmp_path):
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:expr_{n}", "expr": expr}
        for n, (_, expr) in enumerate(dashboard_expressions())
    ]}]}
    (tmp_path / "dashboard.yml").write_text(yaml.safe_dump(rules))
    result = subprocess.run([tool("promtool"), "check", "rules", str(tmp_path / "dashboard.yml")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dashboard_covers_what_admins_watch():
    board = json.loads(DASHBOARD.read_text())
    titles = " | ".join(p["title"] for p in board["panels"]).lower()
    for topic in ("by service", "by group", "top services", "actions", "warned vs continued",
                  "acknowledgements", "findings by class", "inspection coverage", "latency",
                  "policy version", "sanctioned share", "sanctioned and unsanctioned",
                  "the one before", "sensitive data stopped", "risky services in use"):
        assert topic in titles, topic
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids))
    for panel in board["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
            assert panel["targets"] and panel["description"], panel["title"]
    assert {v["name"] for v in board["templating"]["list"]} == {"datasource", "group", "service"}


def test_metric_names_follow_prometheus_conventions():
    metrics = {m for _, e in [*rule_expressions(), *dashboard_expressions()]
               for m in re.findall(r"\baigate_[a-z_]+", e)}
    for name in metrics:
        assert re.search(r"_(total|seconds|bytes|info|success|bucket)$", name) or name.endswith(
            "_seconds_bucket"), name


# --- a real Prometheus scraping the proxy ---------------------------------------------------


@pytest.mark.parametrize(
    "expr",
    [
        'aigate_requests_total{outcome="allowed", service="t-allowed-api", group="engineering"}',
        'aigate_requests_total{outcome="blocked", service="t-openai", action="block"} > 0',
        'aigate_requests_total{rule_kind="default", service="chatgpt"} > 0',
        'aigate_warn_pages_total{step="shown", service="t-warn-chat"} > 0',
        'aigate_warn_pages_total{step="acknowledged"} > 0',
        'aigate_warn_pages_total{step="continued"} > 0',
        'aigate_acknowledgements_total{service="t-warn-chat"} > 0',
        'sum(aigate_passthrough_connections_total{protocol=~"tcp|tls"}) > 0',
        'aigate_findings_total{detector="aws_access_key_id", class="secret", action="block"} > 0',
        'aigate_inspected_requests_total{category="api"} > 0',
        'aigate_unscanned_requests_total{reason="too_large"} > 0',
        'aigate_scanned_bytes_total > 0',
        'aigate_scan_reused_bytes_total > 0',
        'aigate_decision_duration_seconds_count > 0',
        'aigate_scan_duration_seconds_count > 0',
        'aigate_hook_errors_total{stage="inspect"} > 0',
        'aigate_policy_reloads_total{result="success"} > 0',
        'aigate_policy_reloads_total{result="failure"} > 0',
        'aigate_policy_info{version="t2"} == 1',
        'aigate_audit_records_total{event="decision"} > 0',
        'increase(aigate_requests_total{outcome="blocked"}[10m]) > 0',
    ],
)
def test_counters_moved_in_prometheus(stack, expr):
    _, prometheus = stack
    answer = prometheus.wait_data(expr)
    assert answer["status"] == "success" and answer["data"]["result"], (expr, answer)


# Series the rounds move by a known amount (the registry is process-wide: earlier tests in the
# session count too, so the fixture notes each value before the rounds).
EXACT = {
    'sum(aigate_requests_total{service="t-openai", outcome="blocked", action="block"})':
        ("aigate_requests_total", {"service": "t-openai", "outcome": "blocked"}, 2 * ROUNDS),
    'sum(aigate_requests_total{service="t-allowed-api", outcome="blocked"})':
        ("aigate_requests_total", {"service": "t-allowed-api", "outcome": "blocked"}, 3 * ROUNDS),
    'sum(aigate_findings_total{detector="aws_access_key_id", class="secret", action="block"})':
        ("aigate_findings_total",
         {"detector": "aws_access_key_id", "class": "secret", "action": "block"}, 3 * 3 * ROUNDS),
    'sum(aigate_findings_total{class="secret", action="block"})':
        ("aigate_findings_total", {"class": "secret", "action": "block"}, 4 * 3 * ROUNDS),
}


def _sum(spec: tuple[str, dict[str, str], int]) -> float:
    """The registry's total of a counter over the series whose labels include `spec`'s."""
    name, labels, _ = spec
    total = 0.0
    for family in metrics.REGISTRY.collect():
        for sample in family.samples:
            if sample.name == f"{name}" and labels.items() <= sample.labels.items():
                total += sample.value
    return total


@pytest.mark.parametrize("expr", EXACT)
def test_real_dlp_blocks_and_refusals_are_counted_exactly(stack, expr):
    proxy, prometheus = stack
    expected = proxy.before[expr] + EXACT[expr][2]
    answer = prometheus.wait_data(f"{expr} == {expected}")
    assert answer["data"]["result"], (expr, expected, prometheus.query(expr))


def test_live_scrape_passes_promtool_check_metrics(stack):
    proxy, _ = stack
    body = urllib.request.urlopen(proxy.metrics_url, timeout=10).read()
    result = subprocess.run([tool("promtool"), "check", "metrics"], input=body,
                            capture_output=True, timeout=60)
    assert result.returncode == 0, (result.stdout + result.stderr).decode()


def test_no_user_or_url_in_any_label(stack):
    proxy, _ = stack
    text = urllib.request.urlopen(proxy.metrics_url, timeout=10).read().decode()
    for leak in ("alice", "/v1/", "https://", "127.0.0.1", "pw"):
        assert leak not in text, leak


@pytest.mark.parametrize("name, expr", [*rule_expressions(), *dashboard_expressions()],
                         ids=lambda v: re.sub(r"\W+", "_", v)[:60])
def test_every_rule_and_dashboard_expression_returns_data(stack, name, expr):
    _, prometheus = stack
    answer = prometheus.wait_data(expr)
    assert answer["status"] == "success", (name, answer)
    assert answer["data"]["result"], f"{name}: no data for {expr}"


def test_prometheus_evaluates_every_rule_without_errors_and_alerts_fire(stack):
    _, prometheus = stack
    deadline = time.monotonic() + POLL_SECONDS
    while True:
        rules = [r for g in prometheus.api("rules")["data"]["groups"] for r in g["rules"]]
        bad = [(r["name"], r["health"], r.get("lastError")) for r in rules if r["health"] != "ok"]
        alerts = {a["labels"]["alertname"] for a in prometheus.api("alerts")["data"]["alerts"]}
        expected = {name for name, _ in rule_expressions() if not name.startswith("aigate:")}
        if (not bad and alerts >= expected) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert len(rules) == len(rule_expressions())
    assert not bad
    assert alerts >= expected, expected - alerts
