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


def real_inspection(**kwargs):
    from aigate.inspect.result import Extraction, Finding, Inspection, Segment

    secrets = [Finding("aws_access_key", "secret", 0, 20, 0.9, "AKIA…", f"d{n}") for n in range(3)]
    findings = (*secrets, Finding("email", "pii", 30, 40, 0.8, "j…@…com", "d9"))
    extraction = Extraction("openai", (Segment("x" * 100, ()),))
    return Inspection(extraction, findings, **kwargs)


def test_real_inspection_findings_are_counted_per_detector_and_class():
    summary = summarize(real_inspection().with_verdict("block", "dlp.secrets"))
    assert [(f.detector, f.data_class, f.count) for f in summary.findings] == [
        ("aws_access_key", "secret", 3), ("email", "pii", 1)
    ]
    assert (summary.inspected, summary.bytes_scanned, summary.action, summary.rule) == (
        True, 100, "block", "dlp.secrets"
    )


@pytest.mark.parametrize(
    "texts, category",
    [
        (("body of 9000000 bytes is over the scan limit of 4194304",), "too_large"),
        (("binary WebSocket message",), "binary_websocket"),
        (("report.pdf: encrypted PDF",), "unreadable_document"),
        (("cat.png: image/audio/video content is not scanned",), "unsupported_format"),
        (("invalid literal for int() with base 10: 'SECRET-VALUE'",), "other"),
    ],
)
def test_unscanned_reasons_become_categories_never_sentences(texts, category):
    from aigate.inspect.result import Extraction, Inspection

    summary = summarize(Inspection(Extraction("x"), unscanned=texts))
    assert summary.unscanned == (category,)
    assert summary.unscanned_reason == category
    assert "SECRET" not in repr(summary.as_record())


def test_undecodable_body_is_categorised_by_its_extractor():
    from aigate.inspect.result import Extraction, Inspection

    inspection = Inspection(Extraction("undecodable"), unscanned=("Error -3 while decompressing",))
    assert summarize(inspection).unscanned_reason == "undecodable"


def test_partly_unscanned_request_is_inspected_and_lists_what_was_skipped():
    summary = summarize(real_inspection(unscanned=("a.pdf: PDF has no text layer",)))
    assert summary.inspected and summary.unscanned_reason is None
    assert summary.as_record()["unscanned"] == ["unreadable_document"]
