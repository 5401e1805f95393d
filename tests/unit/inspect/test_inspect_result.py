"""`Inspection.with_verdict` copies field by field (for speed): it must keep every field."""

from __future__ import annotations

from dataclasses import fields, replace

from aigate.inspect.result import Extraction, Finding, Inspection, Segment


def test_with_verdict_keeps_every_other_field() -> None:
    finding = Finding("credit_card", "financial", 1, 5, "validated", "4111…1111", "ab" * 16)
    inspection = Inspection(
        Extraction("openai", (Segment("x card", (("text",),)),), ("a part",)),
        (finding,),
        ("a part",),
        body=b"x card",
        oversize=True,
        seconds=0.25,
        action="log",
        rule="old",
    )
    assert {f.name for f in fields(Inspection)} == {
        "extraction",
        "findings",
        "unscanned",
        "body",
        "oversize",
        "seconds",
        "action",
        "rule",
    }, "a new field: copy it in Inspection.with_verdict"
    assert inspection.with_verdict("block", "r1") == replace(inspection, action="block", rule="r1")
