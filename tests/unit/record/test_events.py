from aigate.record import events, metrics


def test_events_before_a_subscriber_are_delivered_once_to_the_first():
    event = events.PolicyEvent(ok=True, reload=False, version="v1", sha256="h")
    events.publish(event)
    seen, later = [], []
    events.subscribe(seen.append)
    events.subscribe(later.append)
    try:
        assert event in seen and event not in later
        error = events.HookError("tls_clienthello", "KeyError")
        events.publish(error)
        assert seen[-1] == error and later[-1] == error
    finally:
        events.unsubscribe(seen.append)
        events.unsubscribe(later.append)


def test_publishing_updates_metrics_without_subscribers():
    labels = {"stage": "policy_reload"}
    before = metrics.REGISTRY.get_sample_value("aigate_hook_errors_total", labels)
    events.publish(events.HookError("policy_reload", "OSError"))
    after = metrics.REGISTRY.get_sample_value("aigate_hook_errors_total", labels)
    assert after == before + 1
