"""Content-Encoding decoding (gzip, deflate, br, zstd) with a decompression-bomb guard: output is
produced in bounded steps and decoding stops as soon as it would pass the limit."""

from __future__ import annotations

import zlib

import brotli

try:
    from compression import zstd  # Python 3.14
except ImportError:  # pragma: no cover - depends on the interpreter
    from backports import zstd


class DecodeError(ValueError):
    """The body cannot be decoded within the limit; the message is the unscanned reason."""


def decode(body: bytes, content_encoding: str | None, limit: int) -> bytes:
    """The decoded body, at most `limit` bytes; encodings apply right to left as sent."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):
        if coding in ("identity", ""):
            continue
        decoder = _DECODERS.get(coding)
        if decoder is None:
            raise DecodeError(f"unsupported content-encoding '{coding}'")
        try:
            body = decoder(body, limit)
        except DecodeError:
            raise
        except Exception as e:  # each codec raises its own error type on corrupt input
            raise DecodeError(f"corrupt {coding} body ({type(e).__name__})") from e
    return body


def _too_big(coding: str, limit: int) -> DecodeError:
    return DecodeError(
        f"{coding} body decodes to more than {limit} bytes (decompression bomb guard)"
    )


def _zlib(wbits: int, coding: str):
    def run(data: bytes, limit: int) -> bytes:
        d = zlib.decompressobj(wbits)
        out = d.decompress(data, limit + 1)
        if len(out) > limit or d.unconsumed_tail:
            raise _too_big(coding, limit)
        return out + d.flush()

    return run


def _deflate(data: bytes, limit: int) -> bytes:
    """Servers and clients send both zlib-wrapped and raw deflate under this name."""
    try:
        return _zlib(zlib.MAX_WBITS, "deflate")(data, limit)
    except zlib.error:
        return _zlib(-zlib.MAX_WBITS, "deflate")(data, limit)


def _brotli(data: bytes, limit: int) -> bytes:
    d = brotli.Decompressor()
    out = d.process(data, output_buffer_limit=limit + 1)
    if len(out) > limit or not d.is_finished():
        if len(out) > limit or not d.can_accept_more_data():
            raise _too_big("br", limit)
        raise DecodeError("truncated br body")
    return out


def _zstd(data: bytes, limit: int) -> bytes:
    d = zstd.ZstdDecompressor()
    out = d.decompress(data, max_length=limit + 1)
    if len(out) > limit:
        raise _too_big("zstd", limit)
    if not d.eof:
        raise DecodeError("truncated zstd body")
    return out


_DECODERS = {
    "gzip": _zlib(16 + zlib.MAX_WBITS, "gzip"),
    "x-gzip": _zlib(16 + zlib.MAX_WBITS, "gzip"),
    "deflate": _deflate,
    "br": _brotli,
    "zstd": _zstd,
}


# Compressed formats recognisable by their first bytes, for bodies whose header says nothing or
# names an encoding this module does not know (brotli has no magic number).
_MAGIC: tuple[tuple[bytes, str], ...] = ((b"\x1f\x8b", "gzip"), (b"\x28\xb5\x2f\xfd", "zstd"))


def sniff_decode(body: bytes, limit: int) -> bytes | None:
    """The decompressed body when it starts like gzip or zstd and decodes; else None."""
    for magic, coding in _MAGIC:
        if body.startswith(magic):
            try:
                return decode(body, coding, limit)
            except DecodeError:
                return None
    return None
