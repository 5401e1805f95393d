"""Prompt and upload inspection, the pure core (no mitmproxy).

The proxy addon calls three things:

    scanner = build_scanner(policy.dlp, base_dir)          # once per policy load
    inspection = inspect_request(scanner, body=..., host=..., path=..., content_type=...,
                                 content_encoding=..., api_format=..., max_bytes=...)
    verdict = dlp_action(policy.dlp, inspection.findings, service=..., category=...,
                         groups=..., unscanned=inspection.unscanned, oversize=inspection.oversize)

and, for `redact`, `redact_request(inspection, content_type)` (the body it returns is decoded:
drop Content-Encoding and set Content-Length). WebSocket messages use `inspect_ws`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from aigate.inspect import custom
from aigate.inspect.decode import DecodeError, decode
from aigate.inspect.engine import Scanner
from aigate.inspect.extract import extract, extract_ws
from aigate.inspect.policy import DlpVerdict, dlp_action
from aigate.inspect.redact import RedactionError, redact
from aigate.inspect.result import Extraction, Finding, Inspection
from aigate.inspect.uploads import DEFAULT_LIMITS, Limits
from aigate.policy.model import Dlp

__all__ = [
    "DlpVerdict",
    "Finding",
    "Inspection",
    "RedactionError",
    "Scanner",
    "build_scanner",
    "dlp_action",
    "inspect_request",
    "inspect_ws",
    "redact_request",
]


def build_scanner(dlp: Dlp, base_dir: str | Path = ".", *, key: bytes | None = None) -> Scanner:
    """A scanner for a policy's `dlp` section; exact-match files resolve against `base_dir`."""
    exact = []
    for spec in dlp.exact_match:
        secret = os.environ.get(spec.key_env)
        if not secret:
            raise custom.ConfigError(
                f"dlp.exact_match '{spec.id}': set the environment variable {spec.key_env} "
                "to the key the digest file was made with"
            )
        kwargs = {"pattern": spec.pattern} if spec.pattern else {}
        exact.append(
            custom.ExactMatch(
                spec.id,
                custom.load_digests(Path(base_dir) / spec.file),
                secret.encode(),
                data_class=spec.data_class,
                **kwargs,
            )
        )
    extra = custom.build(
        (
            custom.KeywordList(k.id, tuple(k.words), k.case_sensitive, k.data_class)
            for k in dlp.keywords
        ),
        (
            custom.CustomPattern(p.id, p.pattern, p.data_class, tuple(p.context))
            for p in dlp.patterns
        ),
        exact,
    )
    scanner = Scanner.from_config(
        enabled=dlp.detectors,
        disabled=dlp.disabled_detectors,
        public_ips_only=dlp.public_ips_only,
        extra=extra,
        key=key,
    )
    scanner.warm()
    return scanner


def inspect_request(
    scanner: Scanner,
    *,
    body: bytes,
    host: str = "",
    path: str = "",
    content_type: str | None = None,
    content_encoding: str | None = None,
    api_format: str | None = None,
    max_bytes: int = 4 * 1024 * 1024,
    limits: Limits = DEFAULT_LIMITS,
) -> Inspection:
    """Decode, extract and scan one request body. Over `max_bytes` (raw or decoded) nothing is
    scanned and `oversize` is set; undecodable bodies are unscanned with the reason."""
    started = time.perf_counter()
    if len(body) > max_bytes:
        return Inspection(
            Extraction("oversize"),
            oversize=True,
            unscanned=(f"body of {len(body)} bytes is over the scan limit of {max_bytes}",),
            seconds=time.perf_counter() - started,
        )
    try:
        decoded = decode(body, content_encoding, max_bytes) if content_encoding else body
    except DecodeError as e:
        return Inspection(
            Extraction("undecodable"),
            unscanned=(str(e),),
            oversize="bomb guard" in str(e),
            seconds=time.perf_counter() - started,
        )
    extraction = extract(
        decoded,
        host=host,
        path=path,
        content_type=content_type,
        api_format=api_format,
        limits=limits,
    )
    findings = tuple(scanner.scan_extraction(extraction))
    return Inspection(
        extraction,
        findings,
        extraction.unscanned,
        body=decoded,
        seconds=time.perf_counter() - started,
    )


def inspect_ws(
    scanner: Scanner, message: bytes | str, *, host: str = "", path: str = ""
) -> Inspection:
    """Extract and scan one client-to-server WebSocket message."""
    started = time.perf_counter()
    extraction = extract_ws(message, host=host, path=path)
    findings = tuple(scanner.scan_extraction(extraction))
    raw = message.encode() if isinstance(message, str) else message
    return Inspection(
        extraction, findings, extraction.unscanned, body=raw, seconds=time.perf_counter() - started
    )


def redact_request(inspection: Inspection, content_type: str | None = None) -> bytes:
    """The decoded body with every finding redacted in place; raises RedactionError."""
    if inspection.body is None:
        raise RedactionError("nothing was scanned, so nothing can be redacted")
    return redact(
        inspection.body, inspection.extraction, inspection.findings, content_type=content_type
    )

