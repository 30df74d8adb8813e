"""The ClickHouse HTTP interface as the official clients use it: every insert lands with its rows
or fails with a ClickHouse error; the analyst user is read-only by the engine's own setting."""

import glob
import http.client
import json
import struct
import urllib.parse
from datetime import date

import clickhouse_connect
import pytest
from clickhouse_connect.driver.compression import available_compression
from clickhouse_connect.driver.exceptions import DatabaseError

from touchpoint_stack.clickhouse_wire import compress_blocks, decompress_blocks

ROWS = [[i, f"device-{i}", i * 0.25, date(2026, 1, 1 + i % 28)] for i in range(2500)]
COLUMNS = ["id", "name", "revenue", "day"]


def _client(stack, **kw):
    host, port = urllib.parse.urlsplit(stack.clickhouse_url).netloc.split(":")
    return clickhouse_connect.get_client(host=host, port=int(port), **kw)


def _table(stack):
    t = stack.unique_name("cc")
    stack.clickhouse(f"CREATE TABLE {t} (id UInt32, name String, revenue Float64, day Date) "
                     "ENGINE = MergeTree ORDER BY id")
    return t


def _totals(stack, t):
    return json.loads(stack.clickhouse(f"SELECT count() AS n, sum(id) AS ids, sum(revenue) AS revenue, "
                                       f"uniqExact(name) AS names FROM {t}", fmt="JSONEachRow"))


def _expected(rows):
    return {"n": len(rows), "ids": sum(r[0] for r in rows), "revenue": sum(r[2] for r in rows),
            "names": len({r[1] for r in rows})}


def _http(stack, method, query_string, body=b"", headers=None, chunks=None):
    """One raw request; with ``chunks`` the body goes out with Transfer-Encoding: chunked."""
    netloc = urllib.parse.urlsplit(stack.clickhouse_url).netloc
    conn = http.client.HTTPConnection(netloc, timeout=60)
    try:
        path = "/?" + urllib.parse.urlencode(query_string) if query_string else "/"
        if chunks is not None:
            conn.request(method, path, body=iter(chunks), headers=headers or {}, encode_chunked=True)
        else:
            conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


# every write compression clickhouse-connect offers here ("deflate" is listed but the client has no
# writer for it: it fails before sending, so it cannot reach the server)
COMPRESSIONS = [False, True] + [c for c in available_compression if c != "deflate"]


@pytest.mark.stack_services("clickhouse")
@pytest.mark.parametrize("compress", COMPRESSIONS, ids=str)
def test_clickhouse_connect_native_inserts_land_with_every_compression(stack, compress):
    t = _table(stack)
    client = _client(stack, compress=compress)
    summary = client.insert(t, ROWS, column_names=COLUMNS)
    assert summary.written_rows == len(ROWS)
    assert _totals(stack, t) == _expected(ROWS)
    # and the answers come back through the same compression
    got = client.query(f"SELECT id, name, revenue, day FROM {t} ORDER BY id").result_rows
    assert [list(r) for r in got] == ROWS


@pytest.mark.stack_services("clickhouse")
def test_row_binary_and_native_raw_inserts_land(stack):
    t = _table(stack)
    client = _client(stack, compress="zstd")
    rows = ROWS[:300]
    row_binary = b"".join(struct.pack("<I", i) + bytes([len(n)]) + n.encode() + struct.pack("<d", r)
                          + struct.pack("<H", (d - date(1970, 1, 1)).days) for i, n, r, d in rows)
    assert client.raw_insert(t, COLUMNS, insert_block=row_binary, fmt="RowBinary").written_rows == 300
    # a Native block as the engine writes it (names and types inside)
    native = client.raw_query(f"SELECT * FROM {t}", fmt="Native")
    assert client.raw_insert(t, None, insert_block=native, fmt="Native").written_rows == 300
    assert _totals(stack, t) == _expected(rows + rows)


@pytest.mark.stack_services("clickhouse")
def test_chunked_and_clickhouse_compressed_bodies_land(stack):
    t = _table(stack)
    lines = [json.dumps({"id": i, "name": f"n{i}", "revenue": 1.0, "day": "2026-01-02"}).encode() + b"\n"
             for i in range(1000)]
    status, headers, body = _http(stack, "POST", None,
                                  chunks=[f"INSERT INTO {t} FORMAT JSONEachRow\n".encode()] + lines)
    assert status == 200, body
    assert json.loads(headers["X-ClickHouse-Summary"])["written_rows"] == "1000"
    # ClickHouse's own compressed format (decompress=1), the query in the URL, chunked on top
    compressed = compress_blocks(b"".join(lines[:200]), block_size=4096)
    status, _, body = _http(stack, "POST", {"query": f"INSERT INTO {t} FORMAT JSONEachRow", "decompress": "1"},
                            chunks=[compressed[i:i + 999] for i in range(0, len(compressed), 999)])
    assert status == 200, body
    assert _totals(stack, t)["n"] == 1200
    # and an answer in that format (compress=1)
    status, _, body = _http(stack, "POST", {"compress": "1"}, f"SELECT count() FROM {t}".encode())
    assert status == 200 and decompress_blocks(body) == b"1200\n"


@pytest.mark.stack_services("clickhouse")
def test_bodies_it_cannot_read_are_refused_with_a_clickhouse_error(stack):
    t = _table(stack)
    good = f"INSERT INTO {t} FORMAT JSONEachRow\n".encode() + b'{"id":1,"name":"a","revenue":1,"day":"2026-01-01"}\n'
    corrupted = bytearray(compress_blocks(good))
    corrupted[40] ^= 0xFF
    cases = {
        "unknown Content-Encoding": (None, good, {"Content-Encoding": "snappy-ish"}, 501, "48"),
        "gzip header on plain bytes": (None, good, {"Content-Encoding": "gzip"}, 400, "271"),
        "corrupted compressed block": ({"decompress": "1"}, bytes(corrupted), {}, 400, "40"),
        "truncated compressed block": ({"decompress": "1"}, compress_blocks(good)[:30], {}, 400, "271"),
        "garbage Native data": ({"query": f"INSERT INTO {t} FORMAT Native"}, b"\x05\x01garbage", {}, None, None),
        "RowBinary cut mid-row": ({"query": f"INSERT INTO {t} FORMAT RowBinary"}, struct.pack("<I", 7) + b"\x09ab",
                                  {}, None, None),
        "empty POST": (None, b"", {}, 400, "62"),
    }
    for name, (qs, body, headers, status_expected, code_expected) in cases.items():
        status, h, answer = _http(stack, "POST", qs, body, headers)
        assert status >= 400, f"{name}: {status} {answer!r}"
        assert "X-ClickHouse-Exception-Code" in h, name
        assert answer.startswith(b"Code: "), name
        if status_expected:
            assert (status, h["X-ClickHouse-Exception-Code"]) == (status_expected, code_expected), f"{name}: {answer!r}"
    assert _totals(stack, t)["n"] == 0
    client = _client(stack)
    with pytest.raises(DatabaseError):
        client.raw_insert(t, COLUMNS, insert_block=b"\x01\x02", fmt="RowBinary")
    assert _totals(stack, t)["n"] == 0


@pytest.mark.stack_services("clickhouse")
def test_the_analyst_user_reads_and_cannot_write(stack):
    t = _table(stack)
    _client(stack).insert(t, ROWS[:10], column_names=COLUMNS)
    user, password = stack.clickhouse_analyst
    analyst = _client(stack, username=user, password=password, compress="lz4")
    assert analyst.query(f"SELECT count() FROM {t}").result_rows == [(10,)]
    assert analyst.query("SELECT getSetting('readonly')").result_rows == [(2,)]
    refused = {
        "insert": lambda: analyst.insert(t, ROWS[:5], column_names=COLUMNS),
        "INSERT ... VALUES": lambda: analyst.command(f"INSERT INTO {t} VALUES (1, 'x', 1, '2026-01-01')"),
        "ALTER DELETE": lambda: analyst.command(f"ALTER TABLE {t} DELETE WHERE 1"),
        "TRUNCATE": lambda: analyst.command(f"TRUNCATE TABLE {t}"),
        "CREATE": lambda: analyst.command(f"CREATE TABLE {t}_x (a UInt8) ENGINE = Memory"),
        "DROP": lambda: analyst.command(f"DROP TABLE {t}"),
        "SET readonly = 0": lambda: analyst.command("SET readonly = 0"),
    }
    for name, attempt in refused.items():
        with pytest.raises(DatabaseError) as e:
            attempt()
        assert "164" in str(e.value) or "READONLY" in str(e.value), f"{name}: {e.value}"
    assert _totals(stack, t)["n"] == 10
    # readonly = 2 (production's profile): per-query settings apply, readonly itself cannot change
    assert analyst.query("SELECT getSetting('max_threads')", settings={"max_threads": 1}).result_rows == [(1,)]
    # the readonly URL parameter cannot loosen it either, and a wrong password is refused
    status, h, _ = _http(stack, "POST", {"readonly": "0", "user": user, "password": password}, b"SELECT 1")
    assert (status, h["X-ClickHouse-Exception-Code"]) == (403, "164")
    status, h, _ = _http(stack, "POST", {"user": user, "password": password + "x"}, b"SELECT 1")
    assert (status, h["X-ClickHouse-Exception-Code"]) == (403, "516")
    status, h, _ = _http(stack, "POST", {"user": "nobody"}, b"SELECT 1")
    assert (status, h["X-ClickHouse-Exception-Code"]) == (403, "516")


@pytest.mark.stack_services("clickhouse")
def test_a_get_request_is_read_only_as_on_a_server(stack):
    t = _table(stack)
    status, h, _ = _http(stack, "GET", {"query": f"INSERT INTO {t} VALUES (1, 'x', 1, '2026-01-01')"})
    assert (status, h["X-ClickHouse-Exception-Code"]) == (403, "164")
    status, _, body = _http(stack, "GET", {"query": f"SELECT count() FROM {t}", "max_threads": "1"})
    assert (status, body) == (200, b"0\n")


def test_the_block_decoder_reads_what_the_engine_writes(tmp_path):
    """The engine stores MergeTree columns in the same compressed-block format (checksums
    included): the decoder must read LZ4, ZSTD and uncompressed blocks it wrote, and refuse a
    flipped bit."""
    from chdb import session

    s = session.Session(str(tmp_path / "engine"))
    for codec in ("LZ4", "ZSTD", "NONE"):
        s.query(f"CREATE TABLE w_{codec} (a UInt64 CODEC({codec})) ENGINE = MergeTree ORDER BY tuple() "
                "SETTINGS min_bytes_for_wide_part = 0")
        s.query(f"INSERT INTO w_{codec} SELECT number FROM numbers(100000)")
    s.close()
    files = {f.split("/")[-3]: f for f in glob.glob(str(tmp_path / "engine/data/default/w_*/*/a.bin"))}
    assert set(files) == {"w_LZ4", "w_ZSTD", "w_NONE"}
    for f in files.values():
        raw = open(f, "rb").read()
        plain = decompress_blocks(raw)
        assert struct.unpack(f"<{len(plain) // 8}Q", plain) == tuple(range(100000))
        flipped = bytearray(raw)
        flipped[len(raw) // 2] ^= 1
        with pytest.raises(Exception, match="Checksum doesn't match"):
            decompress_blocks(bytes(flipped))
