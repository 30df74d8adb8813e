"""The notebooks' one connection helper: ClickHouse through the official client (clickhouse-connect,
the HTTP interface Superset uses too), and the named dashboard queries of serving/clickhouse/queries.

    from touchpoint_ch import connect, named_query
    ch = connect(clickhouse_url, database)
    df = named_query(ch, "installs_by_source", date="2026-01-01", days=7, app="")

``clickhouse_url`` empty: ``TOUCHPOINT_CLICKHOUSE_URL``, else the running embedded stack's address
(``<data>/run/stack.json``). A production server: ``https://user:password@host:8443``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from urllib.parse import urlparse

import clickhouse_connect
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "serving" / "clickhouse" / "queries"


def default_url() -> str:
    if os.environ.get("TOUCHPOINT_CLICKHOUSE_URL"):
        return os.environ["TOUCHPOINT_CLICKHOUSE_URL"]
    home = Path(os.environ.get("TOUCHPOINT_HOME", ROOT / ".touchpoint"))
    stack = (home if home.is_absolute() else ROOT / home) / "run" / "stack.json"
    if stack.is_file():
        return json.loads(stack.read_text())["clickhouse"]["url"]
    raise RuntimeError("no ClickHouse URL: set the clickhouse_url parameter or TOUCHPOINT_CLICKHOUSE_URL, "
                       "or start the embedded stack (./touchpoint up)")


def connect(clickhouse_url: str = "", database: str = "touchpoint"):
    """A clickhouse-connect client on the given HTTP(S) URL and database."""
    u = urlparse(clickhouse_url or default_url())
    return clickhouse_connect.get_client(
        host=u.hostname, port=u.port or (8443 if u.scheme == "https" else 8123), secure=u.scheme == "https",
        username=u.username or "default", password=u.password or "", database=database)


def query(client, sql: str, parameters: dict | None = None) -> pd.DataFrame:
    """A SELECT as a DataFrame (server-side parameters: {name:Type} in the SQL)."""
    return client.query_df(sql, parameters=parameters or {})


def named_query(client, name: str, date: str | dt.date, days: int = 7, app: str = "") -> pd.DataFrame:
    """One of serving/clickhouse/queries/NAME.sql (the queries `./touchpoint query` runs) as a DataFrame."""
    path = QUERIES / f"{name}.sql"
    if not path.is_file():
        known = sorted(p.stem for p in QUERIES.glob("*.sql"))
        raise ValueError(f"no named query {name!r}; known: {known}")
    sql = path.read_text().replace("${db}", client.database)
    return query(client, sql, {"date": str(date), "days": int(days), "app": app})


def report_day(date: str, time_zone: str) -> dt.date:
    """The report day: the given ISO date, or today in the given time zone when empty."""
    if date:
        return dt.date.fromisoformat(date)
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(time_zone)).date()


def save_headlines(output_dir: str, theme: str, values: dict) -> Path:
    """Writes the notebook's headline numbers (``<output_dir>/<theme>.json``) for reports and tests."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{theme}.json"
    path.write_text(json.dumps({k: (float(v) if v is not None else None) for k, v in values.items()}, indent=2))
    return path


def save_figure(fig, output_dir: str, name: str) -> Path:
    """Saves a matplotlib figure as ``<output_dir>/figures/<name>.png``."""
    out = Path(output_dir) / "figures"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    fig.savefig(path, dpi=110, bbox_inches="tight")
    return path
