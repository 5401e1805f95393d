import pytest
from aigate.record.inspection import PREVIEW_MAX_CHARS, summarize
from record_factories import FakeFinding, FakeInspection


def test_not_inspected_is_none():
    assert summarize(None) is None


@pytest.mark.parametrize(
    "raw, inspected, reason",
    [
        (FakeInspection(), True, None),
        (FakeInspection(inspected=False, unscanned_reason="Too Large"), False, "too_large"),
        ({"unscanned_reason": "binary_websocket"}, False, "binary_websocket"),
        ({"scanned": True, "findings": []}, True, None),
        (object(), True, None),
    ],
)
def test_inspected_or_unscanned_with_reason_from_any_shape(raw, inspected, reason):
    summary = summarize(raw)
    assert (summary.inspected, summary.unscanned_reason) == (inspected, reason)


@pytest.mark.parametrize(
    "finding",
    [
        FakeFinding("aws_key", "secret", 2, "AKIA…"),
        {"detector": "aws_key", "cls": "secret", "count": 2, "redacted": "AKIA…"},
    ],
)
def test_findings_read_from_attributes_or_mappings(finding):
    (summary,) = summarize(FakeInspection(findings=[finding])).findings
    assert (summary.detector, summary.data_class, summary.count, summary.preview) == (
        "aws_key", "secret", 2, "AKIA…"
    )


def test_long_previews_are_truncated():
    (summary,) = summarize(FakeInspection(findings=[FakeFinding("d", "c", 1, "x" * 500)])).findings
    assert len(summary.preview) == PREVIEW_MAX_CHARS


def test_odd_fields_do_not_raise():
    summary = summarize({"findings": "not a list", "bytes_scanned": "lots", "seconds": "slow"})
    assert (summary.findings, summary.bytes_scanned, summary.seconds) == ((), 0, None)
