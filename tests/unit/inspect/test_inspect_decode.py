import gzip
import zlib

import brotli
import pytest
from aigate.inspect.decode import DecodeError, decode, zstd

DATA = b'{"prompt": "hello"}' * 10
CODECS = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "raw deflate": lambda d: zlib.compress(d)[2:-4],
    "br": brotli.compress,
    "zstd": zstd.compress,
}


@pytest.mark.parametrize("name", list(CODECS))
def test_each_encoding_decodes(name):
    assert decode(CODECS[name](DATA), name.split()[-1], 10_000) == DATA


@pytest.mark.parametrize("name", list(CODECS))
def test_decompression_bomb_stops_at_the_limit(name):
    bomb = CODECS[name](b"\0" * 20_000_000)
    with pytest.raises(DecodeError, match="bomb guard"):
        decode(bomb, name.split()[-1], 1_000_000)


def test_stacked_encodings_apply_right_to_left():
    assert decode(brotli.compress(gzip.compress(DATA)), "gzip, br", 10_000) == DATA


@pytest.mark.parametrize(
    ("body", "coding", "reason"),
    [
        (b"x", "compress", "unsupported"),
        (b"not gzip", "gzip", "corrupt gzip"),
    ],
)
def test_undecodable_bodies_raise_with_the_reason(body, coding, reason):
    with pytest.raises(DecodeError, match=reason):
        decode(body, coding, 1000)


def test_identity_and_missing_encoding_pass_through():
    assert decode(DATA, None, 1000) == decode(DATA, "identity", 1000) == DATA
