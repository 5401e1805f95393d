"""A minimal multipart/form-data reader that keeps byte offsets, so redaction can rewrite one
part's body and leave every other byte (files included) exactly as sent."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAM = re.compile(r'(?i);\s*([a-z*]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))')


@dataclass(frozen=True, slots=True)
class Part:
    name: str | None
    filename: str | None
    content_type: str | None
    start: int  # body offsets into the whole multipart body
    end: int


def boundary(content_type: str) -> bytes | None:
    """The boundary parameter of a multipart content type."""
    params = header_params(content_type)
    value = params.get("boundary")
    return value.encode("latin-1") if value else None


def header_params(value: str) -> dict[str, str]:
    return {
        m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _PARAM.finditer(value)
    }


def parse(body: bytes, boundary_: bytes) -> list[Part]:
    """Parts in order; a malformed tail ends the list (whatever was read is still scanned)."""
    delimiter = b"--" + boundary_
    parts: list[Part] = []
    pos = body.find(delimiter)
    while pos >= 0:
        pos += len(delimiter)
        if body[pos : pos + 2] == b"--":
            break
        head_start = body.find(b"\r\n", pos) + 2
        head_end = body.find(b"\r\n\r\n", head_start)
        if head_start < 2 or head_end < 0:
            break
        headers = {}
        for line in body[head_start:head_end].split(b"\r\n"):
            key, _, value = line.decode("utf-8", "replace").partition(":")
            headers[key.strip().lower()] = value.strip()
        start = head_end + 4
        end = body.find(b"\r\n" + delimiter, start)
        if end < 0:
            break
        disposition = header_params(";" + headers.get("content-disposition", "").partition(";")[2])
        parts.append(
            Part(
                disposition.get("name"),
                disposition.get("filename"),
                headers.get("content-type"),
                start,
                end,
            )
        )
        pos = end + 2
    return parts


def complete(body: bytes, boundary_: bytes, parts: list[Part]) -> bool:
    """Whether `parts` cover the body up to its closing delimiter: a malformed tail would
    otherwise hide data from the scan."""
    closing = b"--" + boundary_ + b"--"
    if not parts:
        return body.find(closing) >= 0
    return body.startswith(b"\r\n" + closing, parts[-1].end)
