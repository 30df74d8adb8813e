"""The ClickHouse HTTP interface on loopback, answered by the ClickHouse engine itself (chDB).

The chDB wheel (`chdb-core`, ClickHouse 26.x built as a library) carries no runnable server:
its embedded server starts no listeners (`SYSTEM START LISTEN` answers "start_servers_callback
is not set"). So this process keeps persistent chDB sessions on a data directory and answers
the part of the ClickHouse HTTP interface that clients use, so that code written against it
runs unchanged on a real ClickHouse server:

* ``GET /ping`` and ``GET /`` answer ``Ok.``;
* ``GET|POST /?query=SQL``; with POST the body is the query, or, when ``query`` is in the
  URL, the rest of it (the data of an ``INSERT ... FORMAT X``), as ClickHouse does;
* request bodies with ``Content-Length`` or ``Transfer-Encoding: chunked``, compressed with
  an HTTP ``Content-Encoding`` (gzip, deflate, br, xz, zstd, lz4, bz2) and/or in ClickHouse's
  own compressed format (``decompress=1``) — see clickhouse_wire.py;
* ``INSERT ... FORMAT X`` with its data in any input format the engine reads (Native,
  RowBinary, Parquet, JSONEachRow, ...): the data goes to the engine byte for byte, as a file
  it reads with ``FROM INFILE``; the answer's ``X-ClickHouse-Summary`` counts the rows written;
* the output format: ``FORMAT`` in the SQL, else the ``X-ClickHouse-Format`` header, else
  ``default_format``, else ``TabSeparated``; binary formats are passed through; answers
  compressed on request (``enable_http_compression=1`` + ``Accept-Encoding``, or ``compress=1``);
* ``database`` / ``X-ClickHouse-Database``; ``param_<name>`` query parameters; other URL
  parameters that are ClickHouse settings are applied to that query only;
* users (``--users FILE``: name -> sha256 of the password, and the ``readonly`` level of its
  profile) from ``X-ClickHouse-User``/``X-ClickHouse-Key``, HTTP basic auth or ``user``/
  ``password``; ``readonly`` is the engine's own setting, fixed on the session that runs the
  user's queries, so the engine refuses writes (and, with 1, setting changes) exactly as a
  server does for such a profile; GET requests run with ``readonly = 2``, as on a server;
* errors as ClickHouse sends them: the ``Code: N. DB::Exception: ...`` text, the
  ``X-ClickHouse-Exception-Code`` header, status 4xx/5xx by error kind. A body this service
  cannot read is refused with an error, never answered with success.

Queries run one at a time. It binds to loopback only.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import logging
import re
import signal
import socket
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from touchpoint_stack.clickhouse_wire import (CANNOT_READ_ALL_DATA, QUERY_IS_TOO_LARGE, WireError, compress_blocks,
                                              decode_content, decompress_blocks, encode_content, read_chunked)

log = logging.getLogger("clickhouse_http")

# URL parameters of the HTTP interface that are not settings.
_NOT_SETTINGS = {
    "query", "database", "default_format", "user", "password", "query_id", "session_id",
    "session_timeout", "session_check", "compress", "decompress", "enable_http_compression",
    "wait_end_of_query", "buffer_size", "send_progress_in_http_headers",
    "http_headers_progress_interval_ms", "quota_key", "role", "http_response_buffer_size",
    "client_protocol_version", "extremes", "readonly",
}
_SETTING_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FORMAT_IN_SQL = re.compile(r"\bFORMAT\s+([A-Za-z0-9_]+)\s*;?\s*$", re.IGNORECASE)
_INSERT = re.compile(r"^\s*INSERT\b", re.IGNORECASE)
_ERROR_CODE = re.compile(r"Code:\s*(\d+)")
_CONTENT_TYPES = {
    "TabSeparated": "text/tab-separated-values; charset=UTF-8",
    "TabSeparatedWithNames": "text/tab-separated-values; charset=UTF-8",
    "TabSeparatedWithNamesAndTypes": "text/tab-separated-values; charset=UTF-8",
    "TSV": "text/tab-separated-values; charset=UTF-8",
    "CSV": "text/csv; charset=UTF-8; header=absent",
    "CSVWithNames": "text/csv; charset=UTF-8; header=present",
    "JSON": "application/json; charset=UTF-8",
    "JSONCompact": "application/json; charset=UTF-8",
    "JSONEachRow": "application/x-ndjson; charset=UTF-8",
    "JSONCompactEachRow": "application/x-ndjson; charset=UTF-8",
}
# ClickHouse's HTTP status for some error codes; the rest are 500.
_STATUS_BY_CODE = {
    62: 400,   # SYNTAX_ERROR
    47: 400,   # UNKNOWN_IDENTIFIER
    46: 404,   # UNKNOWN_FUNCTION
    60: 404,   # UNKNOWN_TABLE
    81: 404,   # UNKNOWN_DATABASE
    73: 400,   # UNKNOWN_FORMAT
    115: 400,  # UNKNOWN_SETTING
    27: 400,   # CANNOT_PARSE_INPUT_ASSERTION_FAILED
    26: 400,   # CANNOT_PARSE_QUOTED_STRING
    6: 400,    # CANNOT_PARSE_TEXT
    53: 400,   # TYPE_MISMATCH
    57: 500,   # TABLE_ALREADY_EXISTS
    164: 403,  # READONLY
    497: 403,  # ACCESS_DENIED
    516: 403,  # AUTHENTICATION_FAILED
    48: 501,   # NOT_IMPLEMENTED (e.g. an unknown Content-Encoding)
    33: 400,   # CANNOT_READ_ALL_DATA
    40: 400,   # CHECKSUM_DOESNT_MATCH
    89: 400,   # UNKNOWN_COMPRESSION_METHOD
    271: 400,  # CANNOT_DECOMPRESS
    39: 400,   # TOO_LARGE_SIZE_COMPRESSED
    229: 413,  # QUERY_IS_TOO_LARGE
}


class Engine:
    """chDB sessions on one directory, one per ``readonly`` level; queries run one at a time."""

    def __init__(self, path: str, max_memory_usage: str, spool_dir: str):
        from chdb import session  # imported here so `--help` works without the wheel

        self._open = lambda readonly: session.Session(
            f"{path}?max_memory_usage={max_memory_usage}" + (f"&readonly={readonly}" if readonly else ""))
        self._sessions = {0: self._open(0)}
        self._lock = threading.Lock()
        self._spool = Path(spool_dir)
        self._spool.mkdir(parents=True, exist_ok=True)
        self.version = self._sessions[0].query("SELECT version()", "TabSeparated").bytes().decode().strip()

    def run(self, sql: str, fmt: str, database: str | None, settings: dict[str, str],
            params: dict[str, str], readonly: int = 0, insert_data: bytes | None = None):
        """Runs one statement; with ``insert_data`` the statement is an INSERT head that reads
        the data from a spooled file (``FROM INFILE``)."""
        with self._lock:
            s = self._sessions.get(readonly)
            if s is None:
                s = self._sessions[readonly] = self._open(readonly)
            restore: list[str] = []
            spooled: Path | None = None
            try:
                if database:
                    s.query(f"USE {_quote_ident(database)}", "TabSeparated")
                    restore.append("USE default")
                for name, value in settings.items():
                    row = s.query(f"SELECT value, changed FROM system.settings WHERE name = {_quote_literal(name)}",
                                  "JSONCompactEachRow").bytes()
                    if row:
                        old, changed = json.loads(row)
                        if old == value:
                            continue
                        restore.append(f"SET {name} = {_quote_literal(old) if changed else 'DEFAULT'}")
                    s.query(f"SET {name} = {_quote_literal(value)}", "TabSeparated")
                if insert_data is not None:
                    fd, name = tempfile.mkstemp(prefix="insert-", suffix=".data", dir=self._spool)
                    spooled = Path(name)
                    with os.fdopen(fd, "wb") as f:
                        f.write(insert_data)
                    sql = sql.replace(_INFILE_PLACEHOLDER, _quote_literal(str(spooled)))
                return s.query(sql, fmt, params=params or None)
            finally:
                if spooled is not None:
                    spooled.unlink(missing_ok=True)
                for stmt in reversed(restore):
                    try:
                        s.query(stmt, "TabSeparated")
                    except Exception:  # noqa: BLE001 - restoring must not hide the query's own result
                        log.exception("could not restore with %s", stmt)

    def close(self):
        with self._lock:
            for s in reversed(list(self._sessions.values())):
                s.close()


_INFILE_PLACEHOLDER = "\x00spooled-file\x00"
# `INSERT INTO <target> [SETTINGS ...] FORMAT <name>` at the start of a request; the data starts
# after the first newline following the format name, or after the blanks when there is none
_INSERT_WITH_DATA = re.compile(
    rb"^\s*INSERT\s+INTO\s+(?P<target>.+?)(?:\s+SETTINGS\s+(?P<settings>.+?))?\s+FORMAT\s+(?P<fmt>[A-Za-z0-9_]+)",
    re.IGNORECASE | re.DOTALL)
_INSERT_HEAD_LIMIT = 256 * 1024


def split_insert(request: bytes) -> tuple[str, str, bytes] | None:
    """``(INSERT ... FROM INFILE <placeholder> FORMAT X, X, data)`` for an INSERT with inline data
    in a format; None for any other statement (SELECT, DDL, INSERT ... VALUES/SELECT)."""
    m = _INSERT_WITH_DATA.match(request[:_INSERT_HEAD_LIMIT])
    if not m:
        return None
    pos = m.end()
    while pos < len(request) and request[pos:pos + 1] in (b" ", b"\t", b"\f"):
        pos += 1
    if request[pos:pos + 1] == b"\r":
        pos += 1
    if request[pos:pos + 1] == b"\n":
        pos += 1
    target = m.group("target").decode("utf-8")
    fmt = m.group("fmt").decode("ascii")
    settings = m.group("settings")
    head = f"INSERT INTO {target} FROM INFILE {_INFILE_PLACEHOLDER}" \
           + (f" SETTINGS {settings.decode('utf-8')}" if settings else "") + f" FORMAT {fmt}"
    return head, fmt, request[pos:]


def _quote_ident(name: str) -> str:
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def _quote_literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass(frozen=True)
class User:
    name: str
    password_sha256_hex: str  # "" = no password
    readonly: int             # the profile's `readonly` setting: 0, 1 or 2


class Users:
    """Who may connect: ``default`` without a password (loopback stack) unless the users file
    says otherwise, and the users of the file: ``{"analyst": {"password_sha256_hex": "...",
    "readonly": 1}}``."""

    def __init__(self, users: dict[str, User]):
        self._users = {"default": User("default", "", 0), **users}

    @classmethod
    def load(cls, file: str | None) -> "Users":
        if not file:
            return cls({})
        raw = json.loads(Path(file).read_text())
        return cls({name: User(name, str(u.get("password_sha256_hex", "")).lower(), int(u.get("readonly", 0)))
                    for name, u in raw.items()})

    def authenticate(self, name: str, password: str) -> User:
        user = self._users.get(name)
        if user is None:
            raise AuthenticationFailed(name)
        if user.password_sha256_hex:
            ok = hmac.compare_digest(user.password_sha256_hex, hashlib.sha256(password.encode()).hexdigest())
        else:
            ok = password == ""
        if not ok:
            raise AuthenticationFailed(name)
        return user


class AuthenticationFailed(Exception):
    def __init__(self, name: str):
        super().__init__(f"{name}: Authentication failed: password is incorrect, or there is no user with such name.")


class Handler(BaseHTTPRequestHandler):
    server_version = "touchpoint-clickhouse-http"
    protocol_version = "HTTP/1.1"
    engine: Engine  # set on the class by serve()
    users: Users
    max_body_bytes: int

    def setup(self):
        super().setup()
        # headers and body go out in separate writes: without NODELAY the body waits ~40 ms
        # for the client's delayed ACK (measured: a round trip 50 ms -> 5 ms)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):  # route http.server's lines into our log
        log.debug(fmt, *args)

    def do_GET(self):
        self._handle(body=b"", method_readonly=2)

    def do_POST(self):
        try:
            body = self._read_body()
        except WireError as e:
            self.close_connection = True  # the rest of a refused body is not read
            return self._error(_status(e.code), e.code, str(e))
        self._handle(body=body, method_readonly=0)

    def _read_body(self) -> bytes:
        """The request body as the client meant it: de-chunked, HTTP-decoded, and, with
        decompress=1, out of ClickHouse's compressed format."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = read_chunked(self.rfile, self.max_body_bytes)
        else:
            length = int(self.headers.get("Content-Length") or 0)
            if length > self.max_body_bytes:
                raise WireError(QUERY_IS_TOO_LARGE, f"The request body ({length} bytes) is larger than "
                                                    f"{self.max_body_bytes} bytes")
            body = self.rfile.read(length) if length else b""
            if len(body) != length:
                raise WireError(CANNOT_READ_ALL_DATA, f"The request body ended after {len(body)} of {length} bytes")
        body = decode_content(body, self.headers.get("Content-Encoding"))
        qs = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        if qs.get("decompress") == "1" and body:
            body = decompress_blocks(body, verify_checksums=qs.get(
                "http_native_compression_disable_checksumming_on_decompress", "0") in ("0", "false"))
        return body

    def _user(self, qs: dict[str, str]) -> User:
        name = self.headers.get("X-ClickHouse-User") or qs.get("user")
        password = self.headers.get("X-ClickHouse-Key") or qs.get("password") or ""
        auth = self.headers.get("Authorization", "")
        if auth.lower().startswith("basic "):
            try:
                name, _, password = base64.b64decode(auth[6:].strip()).decode().partition(":")
            except ValueError:
                raise AuthenticationFailed("(malformed basic authorization)") from None
        return self.users.authenticate(name or "default", password)

    def _handle(self, body: bytes, method_readonly: int):
        url = urlsplit(self.path)
        qs = dict(parse_qsl(url.query, keep_blank_values=True))
        if url.path in ("/ping", "/ping/") or (url.path == "/" and self.command == "GET" and "query" not in qs):
            return self._send(200, b"Ok.\n", "text/plain; charset=UTF-8")
        if url.path not in ("/", ""):
            return self._error(404, 0, f"There is no handle {url.path}")
        try:
            user = self._user(qs)
        except AuthenticationFailed as e:
            return self._error(403, 516, f"{e} (AUTHENTICATION_FAILED)")
        readonly = _readonly_level(user.readonly, method_readonly, qs.get("readonly"))
        if readonly is None:
            return self._error(403, 164, f"{user.name}: Cannot modify 'readonly' setting in readonly mode. (READONLY)")
        request = qs.get("query", "").encode()
        if body:
            request = request + b"\n" + body if request else body
        if not request.strip():
            return self._error(400, 62, "Empty query. (SYNTAX_ERROR)")
        insert = split_insert(request)
        if insert:
            sql, fmt, data = insert
            fmt = self.headers.get("X-ClickHouse-Format") or qs.get("default_format") or "TabSeparated"
        else:
            sql, data = request.decode("utf-8", errors="surrogateescape"), None
            m = _FORMAT_IN_SQL.search(sql) if not _INSERT.match(sql) else None
            fmt = (m.group(1) if m else None) or self.headers.get("X-ClickHouse-Format") \
                or qs.get("default_format") or "TabSeparated"
        database = self.headers.get("X-ClickHouse-Database") or qs.get("database")
        params = {k[len("param_"):]: v for k, v in qs.items() if k.startswith("param_")}
        settings = {k: v for k, v in qs.items()
                    if k not in _NOT_SETTINGS and not k.startswith("param_") and _SETTING_NAME.match(k)}
        query_id = qs.get("query_id") or str(uuid.uuid4())
        t0 = time.monotonic()
        try:
            res = self.engine.run(sql, fmt, database, settings, params, readonly, data)
        except Exception as e:  # noqa: BLE001 - every engine error goes back to the client
            msg = str(e).strip()
            cm = _ERROR_CODE.search(msg)
            code = int(cm.group(1)) if cm else 1001
            log.info("error %s in %.3f s (user %s): %s | %s", code, time.monotonic() - t0, user.name,
                     _short(sql), _short(msg))
            return self._error(_status(code), code, msg, query_id)
        payload = res.bytes()
        summary = {"read_rows": str(res.rows_read()), "read_bytes": str(res.bytes_read()),
                   "written_rows": str(getattr(res, "rows_written", lambda: 0)()),
                   "written_bytes": str(getattr(res, "bytes_written", lambda: 0)()),
                   "elapsed_ns": str(int(res.elapsed() * 1e9))}
        log.info("ok %s in %.3f s, %d bytes in, %d out, %s rows written: %s", fmt, time.monotonic() - t0,
                 len(data or b""), len(payload), summary["written_rows"], _short(sql))
        headers = {"X-ClickHouse-Format": fmt, "X-ClickHouse-Query-Id": query_id,
                   "X-ClickHouse-Summary": json.dumps(summary), "X-ClickHouse-Timezone": "UTC",
                   "X-ClickHouse-Server-Display-Name": "touchpoint-chdb"}
        content_type = _CONTENT_TYPES.get(fmt, "application/octet-stream")
        if qs.get("compress") == "1":
            payload, content_type = compress_blocks(payload), "application/octet-stream"
        self._send(200, payload, content_type, headers, compress=qs.get("enable_http_compression") == "1")

    def _error(self, status: int, code: int, message: str, query_id: str | None = None):
        if not message.startswith("Code:"):
            message = f"Code: {code}. DB::Exception: {message}"
        headers = {"X-ClickHouse-Exception-Code": str(code)}
        if query_id:
            headers["X-ClickHouse-Query-Id"] = query_id
        self._send(status, (message + "\n").encode(), "text/plain; charset=UTF-8", headers)

    def _send(self, status: int, payload: bytes, content_type: str, headers: dict | None = None,
              compress: bool = False):
        if compress:
            payload, encoding = encode_content(payload, self.headers.get("Accept-Encoding", ""))
            if encoding:
                headers = dict(headers or {}, **{"Content-Encoding": encoding})
        self.send_response(status, HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else None)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        if self.close_connection:
            self.send_header("Connection", "close")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


def _readonly_level(profile: int, method: int, requested: str | None) -> int | None:
    """The readonly level of a query: the user's profile, at least 2 for GET, and a client may
    only tighten it (``readonly`` URL parameter); None when it asks to loosen it."""
    level = 1 if profile == 1 else max(profile, method)
    if requested in (None, ""):
        return level
    want = int(requested) if requested.isdigit() else -1
    if want == level or want == 1 or (want == 2 and level == 0):
        return want
    return None


def _status(code: int) -> int:
    return _STATUS_BY_CODE.get(code, 500)


def _short(text: str, n: int = 160) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[:n] + "..."


def serve(host: str, port: int, path: str, max_memory_usage: str, users_file: str | None,
          max_body_bytes: int) -> None:
    t0 = time.monotonic()
    engine = Engine(path, max_memory_usage, spool_dir=str(Path(path).parent / "http-spool"))
    Handler.engine = engine
    Handler.users = Users.load(users_file)
    Handler.max_body_bytes = max_body_bytes
    httpd = ThreadingHTTPServer((host, port), Handler)
    httpd.daemon_threads = True

    def stop(signum, _frame):
        log.info("signal %s: shutting down", signum)
        threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("ClickHouse engine %s (chDB) on %s, HTTP interface on http://%s:%d/ (ready in %.1f s)",
             engine.version, path, host, port, time.monotonic() - t0)
    try:
        httpd.serve_forever(poll_interval=0.5)
    finally:
        httpd.server_close()
        engine.close()
        log.info("stopped")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8123)
    p.add_argument("--path", required=True, help="data directory of the engine")
    p.add_argument("--max-memory-usage", default="2G", help="per-query memory limit of the engine")
    p.add_argument("--users", help="JSON file of users: {name: {password_sha256_hex, readonly}}; "
                                   "without it only `default` (no password) may connect")
    p.add_argument("--max-body-bytes", type=int, default=1 << 30,
                   help="largest request body accepted (after de-chunking, before decompression)")
    p.add_argument("--log-level", default="INFO")
    a = p.parse_args(argv)
    logging.basicConfig(level=a.log_level, stream=sys.stdout,
                        format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    serve(a.host, a.port, a.path, a.max_memory_usage, a.users, a.max_body_bytes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
