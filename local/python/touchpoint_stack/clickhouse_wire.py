"""Request and response bodies of the ClickHouse HTTP interface, as the official clients send them.

* HTTP ``Content-Encoding`` of a request body and of an answer: gzip, deflate, br, xz, zstd,
  lz4 (the LZ4 frame format), bz2 — the methods a ClickHouse server decodes; anything else is
  refused (``UnsupportedEncoding``), never ignored.
* ClickHouse's own compressed format (``decompress=1`` on a request, ``compress=1`` on an
  answer): a sequence of blocks, each ``checksum(16) method(1) compressed_size(4)
  uncompressed_size(4) data``; methods 0x02 none, 0x82 LZ4 block, 0x90 zstd; the checksum is
  CityHash128 v1.0.2 of the block from its method byte on (``clickhouse-cityhash``).

Each failure is a ``WireError`` carrying the ClickHouse error code a server would answer.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import struct
import zlib


class WireError(Exception):
    """A body the server cannot read; ``code`` is ClickHouse's error code for it."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


# ClickHouse error codes used here
NOT_IMPLEMENTED = 48
CHECKSUM_DOESNT_MATCH = 40
UNKNOWN_COMPRESSION_METHOD = 89
CANNOT_DECOMPRESS = 271
TOO_LARGE_SIZE_COMPRESSED = 39
QUERY_IS_TOO_LARGE = 229      # a body over the server's limit
CANNOT_READ_ALL_DATA = 33     # malformed or truncated chunked framing

_HEADER = 9          # method(1) + compressed size(4) + uncompressed size(4)
_CHECKSUM = 16
_METHOD_NONE, _METHOD_LZ4, _METHOD_ZSTD = 0x02, 0x82, 0x90
_MAX_BLOCK = 1 << 30  # ClickHouse refuses compressed blocks above 1 GiB as well


def _zstd():
    try:
        from compression import zstd  # Python >= 3.14
    except ImportError:
        from backports import zstd  # the wheel clickhouse-connect also uses
    return zstd


def _lz4_frame():
    import lz4.frame
    return lz4.frame


def _lz4_block():
    import lz4.block
    return lz4.block


def _brotli():
    import brotli
    return brotli


def decode_content(body: bytes, encoding: str | None) -> bytes:
    """Undoes an HTTP Content-Encoding (one method, or a comma list applied in order)."""
    if not encoding:
        return body
    for method in reversed([m.strip().lower() for m in encoding.split(",") if m.strip()]):
        body = _decode_one(body, method)
    return body


def _decode_one(body: bytes, method: str) -> bytes:
    try:
        if method in ("identity", "none"):
            return body
        if method in ("gzip", "x-gzip"):
            return gzip.decompress(body)
        if method == "deflate":
            return zlib.decompress(body)
        if method == "br":
            return _brotli().decompress(body)
        if method == "xz":
            return lzma.decompress(body)
        if method == "zstd":
            return _zstd().decompress(body)
        if method == "lz4":
            return _lz4_frame().decompress(body)
        if method in ("bz2", "bzip2"):
            return bz2.decompress(body)
    except ImportError as e:
        raise WireError(NOT_IMPLEMENTED, f"Content-Encoding '{method}' needs the Python package {e.name}, "
                                         "which this server does not have") from None
    except Exception as e:  # noqa: BLE001 - every codec has its own error type
        raise WireError(CANNOT_DECOMPRESS, f"Cannot decompress the request body with '{method}': {e}") from None
    raise WireError(NOT_IMPLEMENTED, f"Unknown compression method '{method}'. Only 'gzip', 'deflate', 'br', "
                                     "'xz', 'zstd', 'lz4', 'bz2' are supported as compression methods")


def encode_content(body: bytes, accept_encoding: str) -> tuple[bytes, str | None]:
    """Compresses an answer with the first method of Accept-Encoding this server can produce."""
    for method in [m.split(";")[0].strip().lower() for m in accept_encoding.split(",")]:
        try:
            if method == "gzip":
                return gzip.compress(body, compresslevel=3), "gzip"
            if method == "deflate":
                return zlib.compress(body, 3), "deflate"
            if method == "zstd":
                return _zstd().compress(body), "zstd"
            if method == "lz4":
                return _lz4_frame().compress(body), "lz4"
            if method == "br":
                return _brotli().compress(body, quality=3), "br"
            if method == "xz":
                return lzma.compress(body), "xz"
            if method in ("bz2", "bzip2"):
                return bz2.compress(body), method
        except ImportError:
            continue
    return body, None


def _checksum(block: bytes) -> bytes:
    from clickhouse_cityhash.cityhash import CityHash128

    h = CityHash128(block)
    # the two 64-bit halves as ClickHouse stores its uint128 checksum: the high one first
    return struct.pack("<QQ", h >> 64, h & 0xFFFFFFFFFFFFFFFF)


def decompress_blocks(body: bytes, verify_checksums: bool = True) -> bytes:
    """Reads a body in ClickHouse's compressed format (``decompress=1``)."""
    out = bytearray()
    pos = 0
    while pos < len(body):
        if len(body) - pos < _CHECKSUM + _HEADER:
            raise WireError(CANNOT_DECOMPRESS, f"Truncated compressed block at byte {pos}: "
                                               f"{len(body) - pos} bytes left, a header needs {_CHECKSUM + _HEADER}")
        checksum = body[pos:pos + _CHECKSUM]
        method, compressed_size, size = struct.unpack_from("<BII", body, pos + _CHECKSUM)
        if compressed_size < _HEADER or compressed_size > _MAX_BLOCK or size > _MAX_BLOCK:
            raise WireError(TOO_LARGE_SIZE_COMPRESSED, f"Too large size of a compressed block at byte {pos}: "
                                                       f"compressed {compressed_size}, uncompressed {size}")
        block = body[pos + _CHECKSUM:pos + _CHECKSUM + compressed_size]
        if len(block) != compressed_size:
            raise WireError(CANNOT_DECOMPRESS, f"Truncated compressed block at byte {pos}: "
                                               f"{len(block)} of {compressed_size} bytes")
        if verify_checksums and _checksum(block) != checksum:
            raise WireError(CHECKSUM_DOESNT_MATCH, f"Checksum doesn't match: corrupted data in the compressed "
                                                   f"block at byte {pos}")
        data = block[_HEADER:]
        try:
            if method == _METHOD_NONE:
                plain = data
            elif method == _METHOD_LZ4:
                plain = _lz4_block().decompress(data, uncompressed_size=size)
            elif method == _METHOD_ZSTD:
                plain = _zstd().decompress(data)
            else:
                raise WireError(UNKNOWN_COMPRESSION_METHOD, f"Unknown compression method 0x{method:02x} in the "
                                                            f"compressed block at byte {pos}")
        except WireError:
            raise
        except Exception as e:  # noqa: BLE001
            raise WireError(CANNOT_DECOMPRESS, f"Cannot decompress the block at byte {pos}: {e}") from None
        if len(plain) != size:
            raise WireError(CANNOT_DECOMPRESS, f"The block at byte {pos} decompressed to {len(plain)} bytes, "
                                               f"its header says {size}")
        out += plain
        pos += _CHECKSUM + compressed_size
    return bytes(out)


def compress_blocks(body: bytes, block_size: int = 1 << 20) -> bytes:
    """Writes ClickHouse's compressed format (``compress=1``): LZ4 blocks with checksums."""
    out = bytearray()
    for start in range(0, max(len(body), 1), block_size):
        plain = body[start:start + block_size]
        data = _lz4_block().compress(plain, store_size=False)
        block = struct.pack("<BII", _METHOD_LZ4, _HEADER + len(data), len(plain)) + data
        out += _checksum(block) + block
    return bytes(out) if body else b""


def read_chunked(rfile, max_bytes: int) -> bytes:
    """Reads an HTTP/1.1 ``Transfer-Encoding: chunked`` body (and its trailer)."""
    out = bytearray()
    while True:
        line = rfile.readline(1024)
        if not line.endswith(b"\n"):
            raise WireError(CANNOT_READ_ALL_DATA, "Malformed chunked request body: bad chunk size line")
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise WireError(CANNOT_READ_ALL_DATA, f"Malformed chunked request body: chunk size {line[:40]!r}") from None
        if size == 0:
            while rfile.readline(8192).strip():  # trailer fields, up to the empty line
                pass
            return bytes(out)
        if len(out) + size > max_bytes:
            raise WireError(QUERY_IS_TOO_LARGE, f"The request body is larger than {max_bytes} bytes")
        chunk = rfile.read(size)
        if len(chunk) != size or rfile.read(2) != b"\r\n":
            raise WireError(CANNOT_READ_ALL_DATA, "Malformed chunked request body: a chunk is truncated")
        out += chunk
