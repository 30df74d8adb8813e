"""The ClickHouse HTTP interface on loopback, answered by the ClickHouse engine itself (chDB).

The chDB wheel (`chdb-core`, ClickHouse 26.x built as a library) carries no runnable server:
its embedded server starts no listeners (`SYSTEM START LISTEN` answers "start_servers_callback
is not set"). So this process keeps one persistent chDB session on a data directory and
answers the subset of the ClickHouse HTTP interface that clients use, so that code written
against it runs unchanged on a real ClickHouse server:

* ``GET /ping`` and ``GET /`` answer ``Ok.``;
* ``GET|POST /?query=SQL``; with POST the body is the query, or, when ``query`` is in the
  URL, the rest of it (the data of an ``INSERT ... FORMAT X``), as ClickHouse does;
* the output format: ``FORMAT`` in the SQL, else the ``X-ClickHouse-Format`` header, else
  ``default_format``, else ``TabSeparated``; binary formats are passed through;
* ``database`` / ``X-ClickHouse-Database``; ``param_<name>`` query parameters; other URL
  parameters that are ClickHouse settings are applied to that query only;
* gzip request bodies (``Content-Encoding: gzip``) and gzip answers when asked
  (``enable_http_compression=1`` and ``Accept-Encoding: gzip``);
* errors as ClickHouse sends them: the ``Code: N. DB::Exception: ...`` text, the
  ``X-ClickHouse-Exception-Code`` header, status 400/404/500 by error kind.

Queries run one at a time (one engine session). There are no users: any user/password is
accepted, which is why it binds to loopback only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import signal
import socket
import sys
import threading
import time
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

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
}


class Engine:
    """One chDB session on a directory; every query goes through it, one at a time."""

    def __init__(self, path: str, max_memory_usage: str):
        from chdb import session  # imported here so `--help` works without the wheel

        self._session = session.Session(f"{path}?max_memory_usage={max_memory_usage}")
        self._lock = threading.Lock()
        self.version = self._session.query("SELECT version()", "TabSeparated").bytes().decode().strip()

    def run(self, sql: str, fmt: str, database: str | None, settings: dict[str, str],
            params: dict[str, str]):
        with self._lock:
            restore: list[str] = []
            try:
                if database:
                    self._session.query(f"USE {_quote_ident(database)}", "TabSeparated")
                    restore.append("USE default")
                for name, value in settings.items():
                    row = self._session.query(
                        f"SELECT value, changed FROM system.settings WHERE name = {_quote_literal(name)}",
                        "JSONCompactEachRow").bytes()
                    if row:
                        old, changed = json.loads(row)
                        restore.append(f"SET {name} = {_quote_literal(old) if changed else 'DEFAULT'}")
                    self._session.query(f"SET {name} = {_quote_literal(value)}", "TabSeparated")
                return self._session.query(sql, fmt, params=params or None)
            finally:
                for stmt in reversed(restore):
                    try:
                        self._session.query(stmt, "TabSeparated")
                    except Exception:  # noqa: BLE001 - restoring must not hide the query's own result
                        log.exception("could not restore with %s", stmt)

    def close(self):
        with self._lock:
            self._session.close()


def _quote_ident(name: str) -> str:
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def _quote_literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class Handler(BaseHTTPRequestHandler):
    server_version = "touchpoint-clickhouse-http"
    protocol_version = "HTTP/1.1"
    engine: Engine  # set on the class by serve()

    def setup(self):
        super().setup()
        # headers and body go out in separate writes: without NODELAY the body waits ~40 ms
        # for the client's delayed ACK (measured: a round trip 50 ms -> 5 ms)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):  # route http.server's lines into our log
        log.debug(fmt, *args)

    def do_GET(self):
        self._handle(body=b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.headers.get("Content-Encoding", "").lower() == "gzip":
            body = gzip.decompress(body)
        self._handle(body=body)

    def _handle(self, body: bytes):
        url = urlsplit(self.path)
        qs = dict(parse_qsl(url.query, keep_blank_values=True))
        if url.path in ("/ping", "/ping/") or (url.path == "/" and "query" not in qs and not body):
            return self._send(200, b"Ok.\n", "text/plain; charset=UTF-8")
        if url.path not in ("/", ""):
            return self._error(404, 0, f"There is no handle {url.path}")
        sql = qs.get("query", "")
        if body:
            text = body.decode("utf-8", errors="surrogateescape")
            sql = f"{sql}\n{text}" if sql else text
        if not sql.strip():
            return self._error(400, 62, "Empty query. (SYNTAX_ERROR)")
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
            res = self.engine.run(sql, fmt, database, settings, params)
        except Exception as e:  # noqa: BLE001 - every engine error goes back to the client
            msg = str(e).strip()
            cm = _ERROR_CODE.search(msg)
            code = int(cm.group(1)) if cm else 1001
            log.info("error %s in %.3f s: %s | %s", code, time.monotonic() - t0, _short(sql), _short(msg))
            return self._error(_STATUS_BY_CODE.get(code, 500), code, msg, query_id)
        payload = res.bytes()
        summary = {"read_rows": str(res.rows_read()), "read_bytes": str(res.bytes_read()),
                   "written_rows": str(getattr(res, "rows_written", lambda: 0)()),
                   "written_bytes": str(getattr(res, "bytes_written", lambda: 0)()),
                   "elapsed_ns": str(int(res.elapsed() * 1e9))}
        log.info("ok %s in %.3f s, %d bytes: %s", fmt, time.monotonic() - t0, len(payload), _short(sql))
        self._send(200, payload, _CONTENT_TYPES.get(fmt, "application/octet-stream"), {
            "X-ClickHouse-Format": fmt, "X-ClickHouse-Query-Id": query_id,
            "X-ClickHouse-Summary": json.dumps(summary), "X-ClickHouse-Timezone": "UTC",
            "X-ClickHouse-Server-Display-Name": "touchpoint-chdb",
        }, compress=qs.get("enable_http_compression") == "1")

    def _error(self, status: int, code: int, message: str, query_id: str | None = None):
        if not message.startswith("Code:"):
            message = f"Code: {code}. DB::Exception: {message}"
        headers = {"X-ClickHouse-Exception-Code": str(code)}
        if query_id:
            headers["X-ClickHouse-Query-Id"] = query_id
        self._send(status, (message + "\n").encode(), "text/plain; charset=UTF-8", headers)

    def _send(self, status: int, payload: bytes, content_type: str, headers: dict | None = None,
              compress: bool = False):
        if compress and "gzip" in self.headers.get("Accept-Encoding", ""):
            payload = gzip.compress(payload)
            headers = dict(headers or {}, **{"Content-Encoding": "gzip"})
        self.send_response(status, HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else None)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


def _short(text: str, n: int = 160) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[:n] + "..."


def serve(host: str, port: int, path: str, max_memory_usage: str) -> None:
    t0 = time.monotonic()
    engine = Engine(path, max_memory_usage)
    Handler.engine = engine
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
    p.add_argument("--log-level", default="INFO")
    a = p.parse_args(argv)
    logging.basicConfig(level=a.log_level, stream=sys.stdout,
                        format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    serve(a.host, a.port, a.path, a.max_memory_usage)
    return 0


if __name__ == "__main__":
    sys.exit(main())
