"""Decompression bombs and hostile archives: refused or bounded, in bounded memory and time.

Each case is measured with tracemalloc (peak Python allocations while inspecting) and a wall
clock; the bounds are generous multiples of the configured limits, far below what the bomb
would expand to.
"""

from __future__ import annotations

import functools
import gzip
import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable

import brotli
import pytest
from aigate.inspect import build_scanner, inspect_request
from aigate.inspect.decode import DecodeError, decode
from aigate.inspect.uploads import Limits, extract_text
from aigate.policy.model import Dlp

try:
    from compression import zstd  # Python 3.14
except ImportError:  # pragma: no cover - depends on the interpreter
    from backports import zstd

MB = 1024 * 1024
BOMB = 128 * MB  # what each bomb expands to
LIMIT = 4 * MB  # the proxy's default scan limit
SECONDS = 10.0  # a wall-clock bound that holds on a busy 2-core CI runner


def _measure(run: Callable[[], object]) -> tuple[object, int, float]:
    """(result, peak bytes allocated, seconds) of `run()`."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = run()
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak, seconds


def _zeros_stream(compressor, size: int = BOMB, chunk: int = 4 * MB) -> bytes:
    block = bytes(chunk)
    return b"".join(compressor.compress(block) for _ in range(size // chunk)) + compressor.flush()


@functools.cache
def gzip_bomb() -> bytes:
    return _zeros_stream(gzip_compressor())


def gzip_compressor():
    import zlib

    return zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)


@functools.cache
def deflate_bomb() -> bytes:
    import zlib

    return _zeros_stream(zlib.compressobj(9))


class _Brotli:
    """brotli's streaming compressor under the zlib method names."""

    def __init__(self) -> None:
        self._c = brotli.Compressor(quality=1)

    def compress(self, data: bytes) -> bytes:
        return self._c.process(data)

    def flush(self) -> bytes:
        return self._c.finish()


@functools.cache
def br_bomb() -> bytes:
    return _zeros_stream(_Brotli())


@functools.cache
def zstd_bomb() -> bytes:
    return _zeros_stream(zstd.ZstdCompressor())


ENCODED_BOMBS = {
    "gzip": gzip_bomb,
    "deflate": deflate_bomb,
    "br": br_bomb,
    "zstd": zstd_bomb,
    "gzip, gzip": lambda: gzip.compress(gzip_bomb(), 9),
}


@pytest.mark.parametrize("coding", sorted(ENCODED_BOMBS))
def test_encoded_bomb_stops_at_the_limit_in_bounded_memory(coding):
    body = ENCODED_BOMBS[coding]()
    assert len(body) * 100 < BOMB  # it really is a bomb

    def run():
        with pytest.raises(DecodeError, match="bomb guard"):
            decode(body, coding, LIMIT)

    _, peak, seconds = _measure(run)
    assert peak < 4 * LIMIT, f"{coding}: {peak / MB:.1f} MB"
    assert seconds < SECONDS


@pytest.mark.parametrize("coding", sorted(ENCODED_BOMBS))
def test_encoded_bomb_is_reported_oversize_not_clean(coding):
    scanner = build_scanner(Dlp())
    body = ENCODED_BOMBS[coding]()
    inspection, peak, seconds = _measure(
        lambda: inspect_request(
            scanner,
            body=body,
            content_encoding=coding,
            content_type="application/json",
            api_format="openai",
            max_bytes=LIMIT,
        )
    )
    assert inspection.oversize and not inspection.inspected
    assert "bomb guard" in (inspection.unscanned_reason or "")
    assert peak < 4 * LIMIT and seconds < SECONDS


# --- archives ---------------------------------------------------------------------------------


def _zip(members: dict[str, bytes | Callable[[zipfile.ZipFile, str], None]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in members.items():
            if callable(data):
                data(archive, name)
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


def _streamed_zeros(size: int, text: bytes = b"") -> Callable[[zipfile.ZipFile, str], None]:
    """Write a member of `size` bytes without holding it in memory."""

    def write(archive: zipfile.ZipFile, name: str) -> None:
        with archive.open(name, "w", force_zip64=True) as out:
            out.write(text)
            block = b"a" * MB
            for _ in range(size // MB):
                out.write(block)

    return write


@functools.cache
def zip_bomb() -> bytes:
    """One member of 128 MB of text: a ratio of about 1000:1."""
    return _zip({"notes.txt": _streamed_zeros(BOMB, b"AKIAIOSFODNN7EXAMPLE ")})


@functools.cache
def docx_bomb() -> bytes:
    run = b"<w:p><w:r><w:t>" + b"a" * 56 + b"</w:t></w:r></w:p>"

    def document(archive: zipfile.ZipFile, name: str) -> None:
        with archive.open(name, "w", force_zip64=True) as out:
            out.write(b"<w:document><w:body>")
            block = run * (MB // len(run))
            for _ in range(BOMB // MB):
                out.write(block)
            out.write(b"</w:body></w:document>")

    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": document})


def many_parts_docx(parts: int, size: int) -> bytes:
    """A DOCX whose text hides in many parts, each under the member limit."""
    run = b"<w:t>" + b"b" * 1000 + b"</w:t>"
    xml = run * (size // len(run))
    members: dict[str, bytes | Callable[[zipfile.ZipFile, str], None]] = {
        "word/document.xml": b"<w:t>start</w:t>"
    }
    members.update({f"word/header{i}.xml": xml for i in range(parts)})
    return _zip(members)


def nested(depth: int) -> bytes:
    data = b"AKIAIOSFODNN7EXAMPLE in the innermost file"
    name = "secret.txt"
    for level in range(depth):
        data = _zip({name: data})
        name = f"level{level}.zip"
    return data


def many_entries(count: int) -> bytes:
    return _zip({f"f{i}.txt": b"x" for i in range(count)})


SMALL = Limits(max_text=1 * MB, max_member_bytes=2 * MB, max_members=200, max_seconds=2.0)

ARCHIVES = {
    # name: (body, limits, expected reason, peak bound)
    "zip member of 128 MB": (zip_bomb, Limits(), "bomb guard", 64 * MB),
    "docx of 128 MB": (docx_bomb, Limits(), "bomb guard", 64 * MB),
    "docx with 12 parts of 2 MB": (
        lambda: many_parts_docx(12, 2 * MB),
        SMALL,
        "text limit",
        24 * MB,
    ),
    "zip in zip in zip in zip": (lambda: nested(4), Limits(), "nested deeper", 8 * MB),
    "10000 entries": (lambda: many_entries(10_000), Limits(), "members after 200", 32 * MB),
}


@pytest.mark.parametrize("case", sorted(ARCHIVES))
def test_hostile_archive_is_bounded_and_reported(case):
    make, limits, reason, bound = ARCHIVES[case]
    data = make()
    found, peak, seconds = _measure(lambda: extract_text(data, "upload.zip", None, limits))
    assert any(reason in r for r in found.unscanned), found.unscanned
    assert sum(len(t) for _, t in found.texts) <= limits.max_text
    assert peak < bound, f"{case}: peak {peak / MB:.1f} MB"
    assert seconds < SECONDS + limits.max_seconds


def test_nested_archive_within_the_depth_is_scanned():
    found = extract_text(nested(2), "upload.zip")
    assert any("AKIAIOSFODNN7EXAMPLE" in text for _, text in found.texts)


def test_a_bomb_inside_a_gzipped_multipart_upload_is_refused_in_bounded_memory():
    scanner = build_scanner(Dlp())
    boundary = "b0undary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.zip"\r\n'
            "Content-Type: application/zip\r\n\r\n"
        ).encode()
        + zip_bomb()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    encoded = gzip.compress(body, 6)
    inspection, peak, seconds = _measure(
        lambda: inspect_request(
            scanner,
            body=encoded,
            content_encoding="gzip",
            content_type=f"multipart/form-data; boundary={boundary}",
            max_bytes=LIMIT,
        )
    )
    assert "bomb guard" in (inspection.unscanned_reason or "")
    assert peak < 64 * MB and seconds < SECONDS
