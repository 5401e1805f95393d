import pytest
from aigate.inspect.summary import PREVIEW_MAX_CHARS, reason_category, summarize
from flow_factories import found, make_inspection, make_state, too_large


def test_not_inspected_is_none():
    assert summarize(None) is None


@pytest.mark.parametrize(
    "inspection, inspected, reason, unscanned",
    [
        (make_inspection(100), True, None, ()),
        (make_inspection(), True, None, ()),  # an empty prompt: nothing to scan, nothing skipped
        (too_large(), False, "too_large", ("too_large",)),
        (
            make_inspection(extractor="ws_binary", unscanned=("binary WebSocket message",)),
            False,
            "binary_websocket",
            ("binary_websocket",),
        ),
        (
            make_inspection(
                extractor="undecodable", unscanned=("corrupt gzip body (BadGzipFile)",)
            ),
            False,
            "undecodable",
            ("undecodable",),
        ),
        (
            make_inspection(  # a decompression bomb: undecodable first, and too large
                extractor="undecodable",
                oversize=True,
                unscanned=(
                    "gzip body decodes to more than 4194304 bytes (decompression bomb guard)",
                ),
            ),
            False,
            "undecodable",
            ("undecodable", "too_large"),
        ),
        (
            make_inspection(100, unscanned=("a.pdf: PDF has no text layer (scanned image?)",)),
            True,
            None,
            ("unreadable_document",),
        ),
    ],
)
def test_inspected_or_unscanned_with_reason_categories(inspection, inspected, reason, unscanned):
    summary = summarize(inspection)
    assert (summary.inspected, summary.unscanned_reason, summary.unscanned) == (
        inspected,
        reason,
        unscanned,
    )


@pytest.mark.parametrize(
    "text, category",
    [
        ("body of 9000000 bytes is over the scan limit of 4194304", "too_large"),
        ("binary WebSocket message", "binary_websocket"),
        ("report.pdf: encrypted PDF", "unreadable_document"),
        ("a.zip: unreadable ZIP (Bad magic number)", "unreadable_document"),
        ("cat.png: image/audio/video content is not scanned", "unsupported_format"),
        ("binary data at messages/0/content/1 (image or file) not scanned", "unsupported_format"),
        ("big.pdf: pages after 50 not scanned (page limit)", "too_large"),
        ("a.zip: members after 100 skipped", "too_large"),
        ("a.docx: time limit of 2.0s reached", "time_limit"),
        ("multipart body without a boundary", "malformed"),
        ("unsupported content-encoding 'x-secret'", "unsupported_format"),
        ("truncated zstd body", "undecodable"),
        ("invalid literal for int() with base 10: 'SECRET-VALUE'", "other"),
        ("secret_value", "other"),  # even a token-like reason is never passed through
    ],
)
def test_unscanned_reasons_become_categories_never_sentences(text, category):
    assert reason_category(text) == category
    summary = summarize(make_inspection(extractor="x", unscanned=(text,)))
    assert summary.unscanned == (category,)
    assert text not in repr(summary.as_record())


def test_findings_are_counted_per_detector_and_class_with_the_first_preview():
    findings = (
        *found("aws_access_key", "secret", 2, "AKIA…1"),
        *found("email", "pii", 1, "j…"),
        *found("aws_access_key", "secret", 1, "AKIA…2"),
    )
    summary = summarize(make_inspection(100, findings).with_verdict("block", "no-secrets"))
    assert [(f.detector, f.data_class, f.count, f.preview) for f in summary.findings] == [
        ("aws_access_key", "secret", 3, "AKIA…1"),
        ("email", "pii", 1, "j…"),
    ]
    assert (summary.inspected, summary.bytes_scanned, summary.action, summary.rule) == (
        True,
        100,
        "block",
        "no-secrets",
    )


def test_long_previews_are_truncated():
    (summary,) = summarize(make_inspection(10, found("d", "custom", 1, "x" * 500))).findings
    assert len(summary.preview) == PREVIEW_MAX_CHARS and summary.preview.endswith("…")


def test_detector_ids_become_bounded_label_tokens():
    inspection = make_inspection(10, found("Project Falcon/Names " * 5, "custom"))
    (summary,) = summarize(inspection).findings
    assert summary.detector == "project_falcon_names_project_falcon_name"


def test_the_audit_fields_of_an_inspection():
    inspection = make_inspection(
        120,
        found("email", "pii", 2, "j…@…com"),
        ("a.png: image/audio/video content is not scanned",),
        seconds=0.004,
        action="warn",
        rule="dlp.default_action",
    )
    assert summarize(inspection).as_record() == {
        "inspected": True,
        "unscanned_reason": None,
        "unscanned": ["unsupported_format"],
        "bytes_scanned": 120,
        "dlp_action": "warn",
        "dlp_rule": "dlp.default_action",
        "scan_seconds": 0.004,
        "findings": [
            {
                "detector": "email",
                "class": "pii",
                "confidence": "validated",
                "count": 2,
                "preview": "j…@…com",
            }
        ],
    }


def test_a_flow_is_summarized_once_and_the_summary_stays_with_the_flow():
    state = make_state(inspection=make_inspection(10, found("email", "pii")))
    assert state.inspection_summary() is state.inspection_summary()
    assert state.inspection_summary().findings[0].detector == "email"
    assert make_state().inspection_summary() is None  # not inspected
