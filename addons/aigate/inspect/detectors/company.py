"""Built-in company-data markings. Company-specific keyword lists, custom patterns and
exact-data matching are configured per deployment (see aigate.inspect.custom)."""

from __future__ import annotations

from aigate.inspect.detectors.base import Detector

DETECTORS = (
    Detector(
        "confidential_marking",
        "confidential",
        r"\b(?:STRICTLY CONFIDENTIAL|CONFIDENTIAL|INTERNAL USE ONLY|INTERNAL ONLY|"
        r"DO NOT (?:DISTRIBUTE|FORWARD|SHARE)|PROPRIETARY AND CONFIDENTIAL|"
        r"ATTORNEY[- ]CLIENT PRIVILEGED|PRIVILEGED (?:AND|&) CONFIDENTIAL|TRADE SECRET|"
        r"NOT FOR (?:EXTERNAL )?DISTRIBUTION)\b",
        confidence="context",  # the marking is the label: it names what the text is
        keep=(40, 0),
        description="Upper-case classification markings (CONFIDENTIAL, INTERNAL ONLY, ...).",
        source="https://www.archives.gov/cui/registry/category-marking-list",
    ),
)
