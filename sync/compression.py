"""gzip on the wire (DESIGN section 3: gzip both ways) through zlib-ng: the gzip format of
the zlib module, written and read in a fraction of its time. A large sync is CPU-bound at
both ends, and compressing was a tenth of HQ's work on a first pull.

On a pull page of 5,000 employees (3.3 MB of JSON) zlib-ng's level 2 took 8.7 ms and gave
498 KB, where the zlib module's level 1 (what both ends used before) took 12.7 ms and gave
534 KB; zlib-ng reads it back in 2.5 ms instead of 5.8 (docs/BENCHMARKS.md). Level 1 of
zlib-ng is faster still (5.2 ms) but a quarter larger, and a branch's link is often slower
than its CPU. HQ inflates request bodies with it; the desk still reads HQ's answers through
requests (urllib3 inflates them with the zlib module)."""

from __future__ import annotations

from zlib_ng import zlib_ng

LEVEL = 2
GZIP_WBITS = 16 + zlib_ng.MAX_WBITS  # a gzip header and trailer, not a bare zlib stream
MINIMUM_SIZE = 1024  # bytes: a smaller answer goes as it is (as GZipMiddleware's default)
error = zlib_ng.error


def gzip_bytes(data: bytes) -> bytes:
    """`data` gzipped (Content-Encoding: gzip)."""
    return zlib_ng.compress(data, LEVEL, GZIP_WBITS)


def gunzip_stream():
    """A decompressor for a gzip body that arrives in parts (zlib's decompressobj API)."""
    return zlib_ng.decompressobj(GZIP_WBITS)


def accepts_gzip(accept_encoding: str) -> bool:
    """Does an Accept-Encoding header take gzip (as Starlette's GZipMiddleware reads it)?"""
    return "gzip" in accept_encoding.lower()
