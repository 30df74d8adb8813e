"""Data-quality checks after a day is served: ClickHouse against the lake's gold, the speed vs
batch drift, no empty day. Each returns what it measured (XCom) and raises with the numbers when
a check fails."""

from __future__ import annotations

import io
import logging
from decimal import Decimal

from touchpoint_dags import settings

log = logging.getLogger(__name__)

# gold table -> the measures whose day totals must match between the lake and ClickHouse
GOLD_MEASURES = {
    "daily_installs": ("installs", "organic_installs", "re_attributions", "reinstalls", "re_engagements", "rejected"),
    "daily_events": ("events", "revenue_events", "revenue", "revenue_usd"),
    "retention": ("users",),
    "ltv": ("events", "revenue_usd"),
}
DIFFERENCE_CLASSES = ("touch_arrived_after_install", "late_install", "duplicate", "batch_only_fraud_signal", "other")


class CheckFailed(RuntimeError):
    pass


def clickhouse_client():
    """The official ClickHouse client on connection ``touchpoint_clickhouse`` (HTTP interface)."""
    import clickhouse_connect
    from airflow.sdk import BaseHook

    c = BaseHook.get_connection(settings.CLICKHOUSE_CONN_ID)
    return clickhouse_connect.get_client(
        host=c.host, port=int(c.port or 8123), username=c.login or "default", password=c.password or "",
        database=c.schema or "touchpoint", secure=c.extra_dejson.get("scheme") == "https",
        compress=False, autogenerate_session_id=False)


def clickhouse_totals(client, table: str, day: str) -> dict[str, Decimal]:
    measures = GOLD_MEASURES[table]
    sums = ", ".join(f"toString(sum({m}))" for m in measures)
    row = client.query(f"SELECT {sums} FROM {table} WHERE event_date = {{day:Date}}",
                       parameters={"day": day}).result_rows[0]
    return {m: Decimal(v) for m, v in zip(measures, row)}


def lake_totals(table: str, day: str) -> dict[str, Decimal]:
    """Sums of the day's gold export (export/gold/<table>/date=D/*.parquet), read from the lake."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    from airflow.providers.amazon.aws.hooks.s3 import S3Hook
    from airflow.sdk import BaseHook

    hook = S3Hook(aws_conn_id=settings.LAKE_CONN_ID)
    lake_root = BaseHook.get_connection(settings.LAKE_CONN_ID).extra_dejson.get("lake_root", "s3a://touchpoint-lake")
    bucket, prefix = settings.lake_bucket_and_prefix(lake_root)
    folder = settings.lake_key(prefix, f"export/gold/{table}/date={day}/")
    keys = [k for k in hook.list_keys(bucket_name=bucket, prefix=folder) if k.endswith(".parquet")]
    if not keys:
        raise CheckFailed(f"no gold export of {table} for {day} at s3://{bucket}/{folder}")
    totals = {m: Decimal(0) for m in GOLD_MEASURES[table]}
    for key in keys:
        data = hook.get_key(key, bucket_name=bucket).get()["Body"].read()
        t = pq.read_table(io.BytesIO(data))
        for m in totals:
            s = pc.sum(t.column(m)).as_py() if t.num_rows else 0
            totals[m] += Decimal(str(s or 0))
    return totals


def gold_totals_equal(day: str) -> dict:
    client = clickhouse_client()
    measured, problems = {}, []
    for table in GOLD_MEASURES:
        lake, ch = lake_totals(table, day), clickhouse_totals(client, table, day)
        measured[table] = {m: str(v) for m, v in ch.items()}
        problems += [f"{table}.{m}: lake {lake[m]} != clickhouse {ch[m]}" for m in lake if lake[m] != ch[m]]
    if problems:
        raise CheckFailed(f"ClickHouse totals for {day} differ from the lake's gold: " + "; ".join(problems))
    log.info("ClickHouse equals the lake's gold for %s: %s", day, measured)
    return measured


def reconciliation_drift(day: str, max_drift: float) -> dict:
    """Speed vs batch for the day: the share of candidates whose difference reconciliation could not
    explain (class ``other``) is at most ``max_drift``. The explained classes (batch-only fraud
    signal, touch arrived after install, late install, duplicate) are what a lambda architecture
    expects every day; they are reported, not alarmed on."""
    sums = ", ".join(f"sum({c})" for c in DIFFERENCE_CLASSES)
    row = clickhouse_client().query(
        f"SELECT count(), sum(matched), {sums}, min(speed_available) FROM speed_vs_batch "
        f"WHERE event_date = {{day:Date}}", parameters={"day": day}).result_rows[0]
    rows, matched, speed_available = int(row[0]), int(row[1] or 0), row[-1]
    by_class = {c: int(v or 0) for c, v in zip(DIFFERENCE_CLASSES, row[2:-1])}
    if rows == 0:
        raise CheckFailed(f"no speed vs batch reconciliation loaded for {day} (did the reconcile step export it?)")
    if not speed_available:
        raise CheckFailed(f"the reconciliation of {day} had no speed-layer table to compare")
    candidates = matched + sum(by_class.values())
    drift = by_class["other"] / candidates if candidates else 0.0
    result = {"candidates": candidates, "matched": matched, **by_class, "drift": round(drift, 6),
              "max_drift": max_drift}
    if drift > max_drift:
        raise CheckFailed(f"unexplained speed vs batch differences for {day}: {drift:.2%} of candidates, "
                          f"above {max_drift:.2%}: {result}")
    log.info("speed vs batch for %s: %d of %d candidates agree; explained differences %s; unexplained %.2f%% "
             "(max %.2f%%)", day, matched, candidates, {c: n for c, n in by_class.items() if c != "other"},
             drift * 100, max_drift * 100)
    return result


def day_not_empty(day: str) -> dict:
    row = clickhouse_client().query(
        "SELECT (SELECT sum(installs) + sum(re_attributions) + sum(rejected) FROM daily_installs "
        "WHERE event_date = {day:Date}), (SELECT sum(events) FROM daily_events WHERE event_date = {day:Date})",
        parameters={"day": day}).result_rows[0]
    verdicts, events = int(row[0] or 0), int(row[1] or 0)
    if verdicts == 0 or events == 0:
        raise CheckFailed(f"{day} is empty in ClickHouse: {verdicts} install verdicts, {events} in-app events")
    return {"install_verdicts": verdicts, "events": events}


def druid_equals_clickhouse(day: str, datasource: str = "tp_attributions", settle_seconds: int = 120) -> dict:
    """Druid serves the day's batch numbers: installs and rejections of D's interval equal ClickHouse's
    (Druid SQL through the apache-druid provider's DbApiHook, a common-sql hook). Druid makes freshly
    published segments queryable a moment after the re-index returns, so a difference is re-read
    for up to ``settle_seconds`` before it counts."""
    import time
    from datetime import date, timedelta

    from airflow.providers.apache.druid.hooks.druid import DruidDbApiHook

    following = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    sql = (f'SELECT SUM("installs"), SUM("rejected") FROM "{datasource}" '
           f"WHERE __time >= TIMESTAMP '{day} 00:00:00' AND __time < TIMESTAMP '{following} 00:00:00'")
    ch = clickhouse_totals(clickhouse_client(), "daily_installs", day)
    clickhouse = {"installs": int(ch["installs"]), "rejected": int(ch["rejected"])}
    hook = DruidDbApiHook(druid_broker_conn_id=settings.DRUID_CONN_ID)
    deadline = time.monotonic() + settle_seconds
    while True:
        row = hook.get_first(sql)
        druid = {"installs": int(row[0] or 0), "rejected": int(row[1] or 0)}
        if druid == clickhouse:
            log.info("Druid serves %s for %s, as ClickHouse", druid, day)
            return druid
        if time.monotonic() > deadline:
            raise CheckFailed(f"Druid serves {druid} for {day}, ClickHouse {clickhouse} ({settle_seconds} s after the re-index)")
        time.sleep(5)
