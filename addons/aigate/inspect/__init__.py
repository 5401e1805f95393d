"""Prompt and upload inspection, the pure core (no mitmproxy).

The proxy addon calls three things:

    scanner = build_scanner(policy.dlp, base_dir)          # once per policy load
    inspection = inspect_request(scanner, body=..., host=..., path=..., content_type=...,
                                 content_encoding=..., api_format=..., max_bytes=...)
    verdict = dlp_action(policy.dlp, inspection.findings, service=..., category=...,
                         groups=..., unscanned=inspection.unscanned, oversize=inspection.oversize)

and, for `redact`, `redact_request(inspection, content_type)` (the body it returns is decoded:
drop Content-Encoding and set Content-Length) and `redact_url(target, segments, findings)` for
the request target. WebSocket messages use `inspect_ws`.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Sequence
from pathlib import Path

from aigate.inspect import custom
from aigate.inspect.decode import DecodeError, decode, sniff_decode
from aigate.inspect.engine import Scanner
from aigate.inspect.extract import extract, extract_ws
from aigate.inspect.policy import DlpVerdict, dlp_action
from aigate.inspect.redact import RedactionError, redact
from aigate.inspect.result import Extraction, Finding, Inspection, Segment
from aigate.inspect.uploads import DEFAULT_LIMITS, Limits, is_text_like
from aigate.inspect.url import (
    URL_KIND,
    is_url_segment,
    redact_url,
    url_segments,
)
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
    "redact_url",
]


def build_scanner(
    dlp: Dlp,
    base_dir: str | Path = ".",
    *,
    key: bytes | None = None,
    countries: Sequence[str] = (),
) -> Scanner:
    """A scanner for a policy's `dlp` section; exact-match files resolve against `base_dir`.
    National formats are read for `dlp.regions`, else the company's `countries`, else all."""
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
        regions=dlp.regions if dlp.regions is not None else (countries or None),
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
    """Decode, extract and scan one request: its body and its URL (`path`, the request target
    with its query; `aigate.inspect.url`). A body over `max_bytes` (raw or decoded) is not
    scanned and `oversize` is set; an undecodable body is unscanned with the reason. The URL is
    scanned in every case."""
    started = time.perf_counter()
    url = url_segments(path)
    if len(body) > max_bytes:
        return _scanned(
            scanner,
            Extraction("oversize", url, (f"body of {len(body)} bytes is over the scan limit of "
                                         f"{max_bytes}",)),
            started, oversize=True,
        )
    try:
        decoded = decode(body, content_encoding, max_bytes) if content_encoding else body
    except DecodeError as e:
        # An encoding the header gets wrong or this module does not know: read what can be read.
        bomb = "bomb guard" in str(e)
        sniffed = None if bomb else sniff_decode(body, max_bytes)
        if bomb or (sniffed is None and not is_text_like(None, None, body)):
            extraction = Extraction("undecodable", url, (str(e),))
            return _scanned(scanner, extraction, started, oversize=bomb)
        decoded = sniffed if sniffed is not None else body
    else:
        if not content_encoding:  # compressed content sent without saying so
            decoded = sniff_decode(decoded, max_bytes) or decoded
    extraction = extract(
        decoded,
        host=host,
        path=path,
        content_type=content_type,
        api_format=api_format,
        limits=limits,
    ) if decoded else Extraction("empty")
    if extraction.unscanned and is_text_like(None, None, decoded):
        # A structured reader gave up part way (a multipart body without its closing
        # delimiter, broken JSON inside a form): the raw text is scanned instead, not skipped.
        raw = Segment(decoded.decode("utf-8", "replace"), (("raw",),))
        extraction = Extraction(extraction.extractor, (*extraction.segments, raw))
    # The body's segments, then the URL's, then what encoded runs in either decode to: one
    # Extraction built for all of them (each costs a few thousand instructions).
    in_body = extraction
    segments = (*in_body.segments, *url) if url else in_body.segments
    encoded = scanner.decoded_segments(segments)
    if encoded:
        segments = (*segments, *encoded)
    if segments is not in_body.segments:
        extraction = Extraction(in_body.extractor, segments, in_body.unscanned)
    return _scanned(scanner, extraction, started, body=decoded, in_body=in_body, url=url,
                    path=path)


def _scanned(
    scanner: Scanner,
    extraction: Extraction,
    started: float,
    *,
    body: bytes | None = None,
    oversize: bool = False,
    in_body: Extraction | None = None,
    url: tuple[Segment, ...] = (),
    path: str = "",
) -> Inspection:
    """The inspection of `extraction`, whose segments are those of `in_body` (the body's), then
    `url` (`url_segments(path)`), then any others (findings as `Scanner.scan_extraction` gives
    them, the URL's kept by the scanner for the target `path`)."""
    segments = extraction.segments
    url_at = len(in_body.segments) if in_body is not None else 0
    url_end = url_at + len(url)
    if url_end == url_at:
        findings = tuple(scanner.scan_extraction(extraction)) if segments else ()
    else:
        findings = (
            *(scanner.scan_extraction(in_body) if in_body is not None and url_at else ()),
            *_shifted(scanner.scan_extraction(Extraction(URL_KIND, url), path), url_at),
            *(_shifted(
                scanner.scan_extraction(Extraction(extraction.extractor, segments[url_end:])),
                url_end,
            ) if url_end < len(segments) else ()),
        )
    return Inspection(
        extraction,
        findings,
        extraction.unscanned,
        body=body,
        oversize=oversize,
        seconds=time.perf_counter() - started,
    )


def _shifted(findings: Sequence[Finding], offset: int) -> Sequence[Finding]:
    if not offset or not findings:
        return findings
    return [dataclasses.replace(f, segment=f.segment + offset) for f in findings]


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


def scan_text(
    scanner: Scanner, text: str, ignored: list[tuple[str, str]] | None = None
) -> list[Finding]:
    """Findings in a piece of text as the proxy would find them in a prompt: the text itself and
    what its encoded runs decode to. A finding inside a run spans the run in `text` and names
    the encoding in `decoded`."""
    found = scanner.scan(text, ignored)
    segment = Segment(text, (("text",),))
    for decoded in scanner.decoded_segments((segment,)):
        _, _, start, end, encoding = decoded.locator[0]
        found.extend(
            dataclasses.replace(f, start=start, end=end, decoded=encoding)
            for f in scanner.scan(decoded.text, ignored)
        )
    return sorted(found, key=lambda f: f.start)


def redact_request(inspection: Inspection, content_type: str | None = None) -> bytes:
    """The decoded body with every finding in it redacted in place (findings in the URL are
    `redact_url`'s); raises RedactionError."""
    if inspection.body is None:
        raise RedactionError("nothing was scanned, so nothing can be redacted")
    segments = inspection.extraction.segments
    in_body = [f for f in inspection.findings if not is_url_segment(segments[f.segment])]
    return redact(inspection.body, inspection.extraction, in_body, content_type=content_type)

