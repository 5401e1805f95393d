"""The report's figures on a small crafted log, checked exactly (see report_log.crafted)."""

from __future__ import annotations

import pytest
from aigate.policy import DEFAULT_POLICY, load_policy
from aigate.report.aggregate import Aggregator
from aigate.report.counters import Activity, Filters, bucket_of, is_page_view, until_bound
from aigate.report.model import Report
from report_log import crafted, decision, websocket


@pytest.fixture(scope="module")
def policy():
    return load_policy(DEFAULT_POLICY)


def report_of(records, policy=None, filters: Filters | None = None, **options) -> Report:
    aggregator = Aggregator(filters or Filters(), **options)
    aggregator.add_all(records)
    return aggregator.report(policy)


@pytest.fixture(scope="module")
def report(policy) -> Report:
    return report_of(crafted(), policy)


def rows(report: Report, table: str) -> list[tuple]:
    return report.tables[table].rows


def test_summary_counts_decisions_people_and_other_events(report):
    s = report.summary
    assert (s["requests"], s["users"], s["services"], s["unlisted_hosts"], s["days"]) == (
        13, 4, 3, 1, 3)
    assert s["other_events"] == {"policy_load": 1, "ack": 1}
    assert s["modes"] == {"enforce": 11, "monitor": 2}
    assert (s["first"], s["last"]) == ("2026-03-02T09:00:00.000Z", "2026-03-04T09:01:00.000Z")


def test_services_count_requests_people_days_time_and_blocks(report):
    assert [r[:10] for r in rows(report, "services")] == [
        # service, category, requests, page views, prompts, users, active days, active hours,
        # blocked (or would be), data-loss events
        ("chatgpt", "chat", 7, 1, 4, 2, 2, 0.12, 1, 2),  # alice 240+60+60 s, bob 60 s
        ("deepseek", "chat", 4, 0, 0, 2, 2, 0.03, 4, 0),  # bob's burst of 20 s counts a minute
        ("claude", "chat", 1, 0, 0, 1, 1, 0.02, 0, 0),
        ("unlisted:llm.lab.corp.example", "unlisted", 1, 0, 0, 1, 1, 0.02, 0, 0),  # per host
    ]


def test_groups_count_a_person_in_each_of_their_groups(report):
    assert [r[:5] for r in rows(report, "groups")] == [
        # group, requests, page views, prompts, people
        ("engineering", 8, 1, 3, 2), ("sales", 4, 0, 1, 1), ("security", 2, 0, 0, 1),
        ("(no group)", 1, 0, 0, 1),
    ]


def test_people_without_proxy_auth_are_named_by_address(report):
    users = {r[0]: (r[1], *r[4:7]) for r in rows(report, "users")}
    assert users == {  # requests, services, active days, active hours
        "alice": (6, 1, 2, 0.1),
        "bob": (4, 2, 1, 0.08),  # 10:00:00-10:05:00 is one session of 300 s
        "carol": (2, 2, 1, 0.02),  # 11:00-11:01: one minute
        "ip:10.9.9.9": (1, 1, 1, 0.02),
    }


def test_trend_has_every_day_with_requests_and_people(report):
    assert rows(report, "days") == [
        # day, requests, page views, prompts, people, data-loss events
        ("2026-03-02", 8, 0, 4, 2, 2), ("2026-03-03", 3, 0, 0, 2, 0), ("2026-03-04", 2, 1, 0, 1, 0)
    ]
    assert report.daily_requests == [8, 3, 2]
    assert report.daily_data_loss == [2, 0, 0]
    assert report.service_trend["chatgpt"] == [5, 0, 2]


def test_actions_split_enforced_from_would_have_been(report):
    assert [r[:3] for r in rows(report, "actions")] == [
        ("enforce", "allowed", 4),
        ("enforce", "warned (page shown)", 1),
        ("enforce", "continued after warning", 1),
        ("enforce", "forwarded on an acknowledgement", 1),
        ("enforce", "redacted", 1),
        ("enforce", "blocked by policy", 3),
        ("enforce", "blocked: sensitive data", 1),
        ("monitor", "would have been warned", 1),
        ("monitor", "would have been blocked by policy", 1),
    ]


@pytest.mark.parametrize(
    ("outcome", "action", "mode", "dlp", "expected"),
    [
        ("allowed", "allow", "enforce", None, ("enforce", "allowed")),
        ("allowed", "warn", "enforce", "warn", ("enforce", "allowed")),  # API client, notice only
        ("allowed", "allow", "enforce", "redact", ("enforce", "redacted")),
        ("continued", "warn", "enforce", "redact", ("enforce", "redacted")),
        ("blocked", "block", "enforce", None, ("enforce", "blocked")),
        ("blocked", "allow", "enforce", "block", ("enforce", "blocked_data")),
        ("acknowledged", "warn", "enforce", None, ("enforce", "acknowledged")),
        ("redirected", "redirect", "enforce", None, ("enforce", "redirected")),
        ("error", "allow", "enforce", None, ("enforce", "error")),
        ("monitored", "allow", "monitor", None, ("monitor", "allowed")),
        ("monitored", "redirect", "monitor", None, ("monitor", "redirected")),
        ("monitored", "warn", "monitor", "block", ("monitor", "blocked_data")),
        ("monitored", "allow", "monitor", "redact", ("monitor", "redacted")),
    ],
)
def test_bucket_of_reads_outcome_mode_and_dlp_action(outcome, action, mode, dlp, expected):
    record = decision("2026-03-02T09:00:00", "a", outcome=outcome, action=action, mode=mode,
                      dlp_action=dlp)
    assert bucket_of(record) == expected


def test_sensitive_data_by_class_detector_and_service_says_what_aigate_did(report):
    assert rows(report, "findings") == [
        # class, detector, service, events, findings, people, blocked, redacted, warned, logged,
        # monitor only, last
        ("financial", "credit_card", "chatgpt", 1, 1, 1, 1, 0, 0, 0, 0,
         "2026-03-02T10:05:00.000Z"),
        ("pii", "email", "chatgpt", 1, 2, 1, 0, 1, 0, 0, 0, "2026-03-02T09:02:00.000Z"),
    ]


def test_coverage_is_inspected_over_requests_with_a_body(report):
    assert rows(report, "coverage") == [("chatgpt", 4, 3, 75.0), ("(all)", 4, 3, 75.0)]
    assert "unsupported_format: 1" in report.tables["coverage"].note


def test_repeated_offenders_have_at_least_n_blocks(report):
    assert rows(report, "offenders") == [
        ("bob", 4, 3, 1, 0, 1, "chatgpt, deepseek", "2026-03-02T10:05:00.000Z")
    ]
    assert rows(report_of(crafted(), offender_blocks=1), "offenders")[1][0] == "carol"


def test_shadow_ai_lists_services_the_policy_does_not_name(report):
    assert [r[:6] for r in rows(report, "shadow")] == [
        ("claude", "Claude", "chat", 1, 1, "risk_rules.trains-on-inputs: warn")
    ]
    assert report_of(crafted()).tables["shadow"].rows == []  # no policy, no review list


def test_unlisted_endpoints_are_ranked_by_people(policy):
    more = [decision(f"2026-03-05T10:0{n}:00", f"u{n}", None, host="ollama.lab", path="/api/chat",
                     endpoint="ollama-chat") for n in range(3)]
    also = decision("2026-03-05T11:00:00", "u9", None, host="x.lab", path="/v1/messages")
    also["category"] = "unlisted"  # enough on its own to mark an unlisted record
    report = report_of([*crafted(), *more, also], policy)
    assert [r[:6] for r in rows(report, "unlisted")] == [
        ("ollama.lab", 3, 3, 1, "ollama-chat", "/api/chat"),
        ("llm.lab.corp.example", 1, 1, 1, "openai-chat", "/v1/chat/completions"),
        ("x.lab", 1, 1, 1, "", "/v1/messages"),
    ]
    assert "unlisted-ai-endpoint" not in [r[0] for r in rows(report, "shadow")]


@pytest.mark.parametrize(
    ("filters", "requests"),
    [
        (Filters(since="2026-03-03"), 5),
        (Filters(until="2026-03-02"), 8),
        (Filters(since="2026-03-03", until="2026-03-03"), 3),
        (Filters(since="2026-03-02T10:00", until="2026-03-02T10:00:10"), 2),
        (Filters(group="engineering"), 8),
        (Filters(group="nobody"), 0),
    ],
)
def test_filters_select_by_time_and_group(filters, requests):
    s = report_of(crafted(), filters=filters).summary
    assert s["requests"] == requests
    assert s["requests"] + s["aigate_requests"] + s["filtered_out"] == 14


def test_until_a_date_includes_that_whole_day():
    assert until_bound("2026-03-31") == "2026-04-01"
    assert until_bound("2026-03-31") > "2026-03-31T23:59:59.999Z"


@pytest.mark.parametrize(
    ("times", "seconds"),
    [
        ([0], 60),  # a single request counts a minute
        ([0, 120, 240], 240),
        ([0, 240, 120], 240),  # logs of two proxies interleave
        ([300, 0], 300),  # an earlier request within the gap extends the session back
        ([0, 1000], 120),  # more than the gap apart: two sessions
        ([1000, 0], 120),
    ],
)
def test_active_time_counts_bursts_of_requests(times, seconds):
    activity = Activity()
    for t in times:
        activity.add("alice", "2026-03-02", float(t), "2026-03-02T00:00:00.000Z", 300.0)
    assert activity.active_seconds() == seconds


def test_records_without_a_time_are_counted_not_fatal():
    bad = decision("2026-03-02T09:00:00", "a")
    bad["time"] = "yesterday"
    report = report_of([bad, decision("2026-03-02T09:00:00", "a")])
    assert (report.summary["requests"], report.summary["records_without_time"]) == (1, 1)


def test_odd_field_types_from_a_hand_edited_log_do_not_stop_the_report(policy):
    odd = decision("2026-03-02T09:00:00", "a")
    odd.update(user=42, groups="sales", findings=["email", {"class": "pii", "count": "2"}],
               service=None, category=None, host=None, unscanned_reason=7, inspected=False)
    report = report_of([odd, *crafted()], policy)
    assert report.summary["requests"] == 14
    assert {r[0]: r[1] for r in rows(report, "users")}["42"] == 1
    assert rows(report, "groups")[1][:2] == ("sales", 5)
    assert ("pii", "(unknown)", "(unknown)", 1, 1, 1) in [r[:6] for r in rows(report, "findings")]
    services = {r[0]: r for r in rows(report, "services")}
    assert services["(unknown)"][10] == "not in policy"  # no id: no catalog knows it


def test_websocket_messages_have_their_own_table_and_are_not_requests(policy):
    """A flagged WebSocket message is not a request: the usage figures of the crafted log stay
    as they are, and the messages are counted per service, mode, action and outcome, within the
    filters. With findings they are data-loss events (see the sensitive-data tests)."""
    messages = [
        websocket("2026-03-02T09:10:00", "alice"),
        websocket("2026-03-02T09:11:00", "alice", findings=(("aws_access_key_id", "secret", 2),
                                                            ("email", "pii", 1))),
        websocket("2026-03-02T09:12:00", "bob", "claude", "redact", "redacted",
                  groups=("sales",), findings=(("credit_card", "financial", 1),)),
        websocket("2026-03-03T11:02:00", "carol", "deepseek", "warn", "forwarded",
                  mode="monitor", groups=("security",), findings=(("email", "pii", 1),)),
        {"time": "not a time", "event": "websocket_message"},
    ]
    plain = report_of(crafted(), policy)
    mixed = report_of([*crafted(), *messages], policy)
    for table in plain.tables:
        if table not in ("websocket", "findings", "incidents", "days"):
            assert mixed.tables[table].rows == plain.tables[table].rows, table
    assert mixed.daily_requests == plain.daily_requests
    assert mixed.summary["requests"] == plain.summary["requests"] == 13
    assert mixed.summary["data_loss_events"] == plain.summary["data_loss_events"] + 4
    assert mixed.summary["other_events"]["websocket_message"] == 5
    assert mixed.summary["records_without_time"] == 1
    assert rows(mixed, "websocket") == [
        ("chatgpt", "enforce", "block", "dropped", 2, 1, 4, "pii, secret",
         "2026-03-02T09:11:00.000Z"),
        ("claude", "enforce", "redact", "redacted", 1, 1, 1, "financial",
         "2026-03-02T09:12:00.000Z"),
        ("deepseek", "monitor", "warn", "forwarded", 1, 1, 1, "pii",
         "2026-03-03T11:02:00.000Z"),
    ]
    assert rows(plain, "websocket") == []
    sales = report_of(messages, filters=Filters(group="sales"))
    assert [r[0] for r in rows(sales, "websocket")] == ["claude"]
    later = report_of(messages, filters=Filters(since="2026-03-03"))
    assert [r[0] for r in rows(later, "websocket")] == ["deepseek"]


def test_aigates_own_acknowledgement_is_an_action_not_a_request(report):
    """The warn page's POST to /.aigate/ack is answered by aigate: it shows as 'continued after
    warning', never as use of the service."""
    assert report.summary["aigate_requests"] == 1
    assert ("enforce", "continued after warning", 1) in [r[:3] for r in rows(report, "actions")]
    assert report.daily_requests[-1] == 2  # warned and continued; not the acknowledgement


@pytest.mark.parametrize(
    ("method", "path", "category", "page"),
    [
        ("GET", "/", "chat", True),
        ("GET", "/c/6743-aa91", "chat", True),
        ("GET", "/favicon.ico", "chat", False),
        ("GET", "/static/app.3f2a.JS", "chat", False),
        ("GET", "/backend-api/conversations", "chat", False),
        ("GET", "/v1/models", "chat", False),
        ("GET", "/", "api", False),  # an API service has no pages
        ("GET", "/api/tags", "unlisted", False),
        ("POST", "/", "chat", False),
        (None, "/", "chat", False),
    ],
)
def test_a_page_view_is_a_get_of_a_page_not_an_asset_or_api_call(method, path, category, page):
    assert is_page_view(method, path, category) is page


def test_page_views_and_prompts_are_counted_apart_from_requests(policy):
    d = decision
    report = report_of([
        d("2026-03-02T09:00:00", "alice", method="GET"),
        d("2026-03-02T09:00:01", "alice", method="GET", path="/favicon.ico"),
        d("2026-03-02T09:00:02", "alice", method="GET", path="/backend-api/models"),
        d("2026-03-02T09:01:00", "alice", inspected=True),
        d("2026-03-02T09:02:00", "alice", inspected=False, unscanned_reason="too_large"),
        d("2026-03-02T09:03:00", "alice"),  # a POST without a body: the page's own call
    ], policy)
    s = report.summary
    assert (s["requests"], s["page_views"], s["prompts"]) == (6, 1, 2)
    assert rows(report, "services")[0][2:5] == (6, 1, 2)
    assert (report.daily_page_views, report.daily_prompts) == ([1], [2])


def test_sanctioned_use_is_the_share_of_requests_to_approved_services(policy):
    d = decision
    report = report_of([
        d("2026-03-02T09:00:00", "alice", "m365-copilot-chat"),
        d("2026-03-02T09:00:10", "alice", "m365-copilot-chat"),
        d("2026-03-02T09:00:20", "alice", "m365-copilot-chat"),
        d("2026-03-02T09:01:00", "bob", "chatgpt"),
        d("2026-03-02T09:02:00", "bob", "deepseek", "blocked", action="block", groups=("sales",)),
        d("2026-03-02T09:03:00", "bob", "claude", groups=("sales",)),
    ], policy)
    s = report.summary
    assert (s["sanctioned_requests"], s["unsanctioned_requests"], s["sanctioned_percent"]) == (
        3, 3, 50.0)
    assert s["policy_status"] == {"approved": 3, "caution": 1, "blocked": 1, "not in policy": 1}
    assert rows(report, "policy_status")[0] == ("approved", 1, 3, 50.0, 0, 0, 1)
    # group, requests, page views, prompts, people, services, unsanctioned requests
    assert [r[:7] for r in rows(report, "groups")] == [
        ("engineering", 4, 0, 0, 2, 2, 1), ("sales", 2, 0, 0, 1, 2, 2)]
    assert report_of(crafted()).summary["sanctioned_percent"] is None  # no policy, no status


def test_high_risk_services_in_use_are_listed_with_jurisdiction_and_status(report):
    assert [r[:7] for r in rows(report, "risky_services")] == [
        ("deepseek", "DeepSeek Chat", "DeepSeek", "high", "CN", "blocked", 2),
        ("unlisted:llm.lab.corp.example", "AI model APIs not in the catalog", None, "high", None,
         "caution", 1),
    ]
    assert report.summary["risky_services"] == 2


def test_data_loss_incidents_are_listed_newest_first_with_what_aigate_did(policy):
    records = [*crafted(),
               websocket("2026-03-02T09:10:00", "alice"),
               decision("2026-03-03T11:05:00", "carol", "claude", "monitored", mode="monitor",
                        dlp_action="block", inspected=True, groups=("security",),
                        findings=(("aws_access_key_id", "secret", 1), ("email", "pii", 3)))]
    report = report_of(records, policy)
    assert rows(report, "incidents") == [
        # time, user, groups, service, data, action, channel, rule
        ("2026-03-03T11:05:00.000Z", "carol", "security", "claude",
         "aws_access_key_id (secret), email (pii) x3", "would have been blocked", "request", ""),
        ("2026-03-02T10:05:00.000Z", "bob", "sales", "chatgpt", "credit_card (financial)",
         "blocked", "request", ""),
        ("2026-03-02T09:10:00.000Z", "alice", "engineering", "chatgpt",
         "aws_access_key_id (secret)", "blocked", "websocket", "some-rule"),
        ("2026-03-02T09:02:00.000Z", "alice", "engineering", "chatgpt", "email (pii) x2",
         "redacted", "request", ""),
    ]
    s = report.summary
    assert (s["data_loss_events"], s["data_loss_blocked"], s["data_loss_users"]) == (4, 2, 3)
    assert s["data_loss_actions"] == {"blocked": 2, "redacted": 1, "would have been blocked": 1}
    assert report.daily_data_loss == [3, 1, 0]
    assert [r[:3] + r[6:11] for r in rows(report, "findings")
            if r[2] == "claude"] == [  # blocked, redacted, warned, logged, monitor only
        ("pii", "email", "claude", 0, 0, 0, 0, 1), ("secret", "aws_access_key_id", "claude",
                                                    0, 0, 0, 0, 1)]


def test_the_incident_list_keeps_only_the_newest(monkeypatch):
    monkeypatch.setattr("aigate.report.dataloss.INCIDENTS_LIMIT", 5)
    records = [decision(f"2026-03-02T09:{n:02d}:00", f"u{n}", inspected=True, dlp_action="log",
                        findings=(("email", "pii", 1),)) for n in range(20)]
    report = report_of([*records[10:], *records[:10]])  # two proxies' logs, one after the other
    assert [r[1] for r in rows(report, "incidents")] == ["u19", "u18", "u17", "u16", "u15"]
    assert report.summary["data_loss_events"] == 20


def test_page_views_follow_what_the_proxy_saw_when_the_record_says_so():
    records = [
        decision("2026-03-02T09:00:00", "ann", method="GET", path="/", navigation=True),
        decision("2026-03-02T09:00:01", "ann", method="GET", path="/", navigation=False),  # script
        decision("2026-03-02T09:00:02", "ann", method="GET", path="/api/page", navigation=True),
        decision("2026-03-02T09:00:03", "ann", method="GET", path="/"),  # older record: by path
    ]
    assert report_of(records).summary["page_views"] == 3
