"""A simulated demo day in ClickHouse for the analyst tests (Superset, notebooks).

``load(clickhouse_url, database)`` applies the serving migrations to ``database`` (through the
launcher, ``./touchpoint serve migrate``), then writes, with SQL only (``INSERT ... SELECT`` from
``numbers()``, deterministic hashes): 41 days of gold ending on the demo day ``DAY`` for two apps and
four sources (installs, events, retention, LTV, CTIT histogram, speed vs batch), the cohort rollups
as ``serve load`` builds them, and ``batch_loads`` rows that put every watermark on ``DAY``.
``load_speed_layer_day`` adds the speed layer's rows of the day after (realtime tables; kept although the day
is long past, since their TTL counts from arrival: migration 0007). The figures come from hashes, not from
the rules: the tests compare what Superset and the notebooks show with what ClickHouse answers, not with the
simulator.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

DAY = dt.date(2026, 1, 1)
HISTORY_DAYS = 40
APPS = ("com.touchpoint.game", "com.touchpoint.shop")
SOURCES = ("organic", "net_alpha", "net_beta", "net_gamma")
ROOT = Path(__file__).resolve().parents[3]


def sql(url: str, query: str, database: str | None = None) -> str:
    params = {"database": database} if database else {}
    req = urllib.request.Request(url.rstrip("/") + "/?" + urllib.parse.urlencode(params), data=query.encode(),
                                 method="POST")
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.read().decode()
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"ClickHouse refused:\n{query[:400]}\n{e.read().decode()[:2000]}") from None


def migrate(url: str, database: str) -> None:
    env = dict(os.environ, TOUCHPOINT_CLICKHOUSE_URL=url, TOUCHPOINT_CLICKHOUSE_DATABASE=database)
    done = subprocess.run([str(ROOT / "touchpoint"), "serve", "migrate"], cwd=ROOT, env=env, text=True,
                          capture_output=True)
    if done.returncode != 0:
        raise RuntimeError(f"serve migrate failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def load(url: str, database: str) -> None:
    migrate(url, database)
    db = database
    for t in ("daily_installs", "daily_events", "retention", "ltv", "ctit_histogram", "speed_vs_batch",
              "ltv_cohort", "retention_cohort", "batch_loads", "rt_attributions", "rt_attributed_events"):
        sql(url, f"TRUNCATE TABLE {db}.{t}")
    first = DAY - dt.timedelta(days=HISTORY_DAYS)
    apps = "[" + ", ".join(f"'{a}'" for a in APPS) + "]"
    sources = "[" + ", ".join(f"'{s}'" for s in SOURCES) + "]"
    # one row per (day, app, source, campaign, country, platform)
    grid = (f"SELECT number, toDate('{first}') + intDiv(number, 64) AS event_date, "
            f"{apps}[intDiv(number, 32) % 2 + 1] AS app_id, {sources}[intDiv(number, 8) % 4 + 1] AS media_source, "
            f"if(media_source = 'organic', '', concat(media_source, '_c', toString(intDiv(number, 4) % 2))) AS campaign_id, "
            f"['US', 'DE'][intDiv(number, 2) % 2 + 1] AS country, ['ios', 'android'][number % 2 + 1] AS platform "
            f"FROM numbers({(HISTORY_DAYS + 1) * 64})")
    sql(url, f"""INSERT INTO {db}.daily_installs
        SELECT event_date, event_date, app_id, media_source, campaign_id, country, platform,
               cityHash64(number) % 40 + 5 AS installs, if(media_source = 'organic', installs, 0),
               cityHash64(number, 1) % 3, cityHash64(number, 2) % 2, cityHash64(number, 3) % 3,
               if(media_source = 'organic', 0, cityHash64(number, 4) % 5) AS rej,
               intDiv(rej + 1, 2) AS ctit, rej - ctit - intDiv(rej, 4), intDiv(rej, 4)
        FROM ({grid})""")
    sql(url, f"""INSERT INTO {db}.daily_events
        SELECT event_date, event_date, app_id, media_source, campaign_id, country, platform,
               ['purchase', 'purchase', 'level_up'][e + 1], ['USD', 'EUR', ''][e + 1],
               cityHash64(number, e) % 30 + 1 AS n, if(e = 2, 0, n),
               toDecimal128(if(e = 2, 0, n * 4.99), 6) AS rev, toDecimal128(if(e = 1, rev * 1.08, rev), 6), 0,
               cityHash64(number, e, 1) % 2
        FROM ({grid}) ARRAY JOIN [0, 1, 2] AS e""")
    sql(url, f"""INSERT INTO {db}.retention
        SELECT event_date, event_date - n AS cohort_day, app_id, media_source, campaign_id, country, platform, n,
               if(n = 0, cityHash64(number) % 40 + 5, cityHash64(number, n) % (20 - least(n, 14)) + 1)
        FROM ({grid}) ARRAY JOIN [0, 1, 3, 7, 14, 30] AS n WHERE event_date - n >= toDate('{first}')""")
    sql(url, f"""INSERT INTO {db}.ltv
        SELECT event_date, event_date - a AS cohort_day, app_id, media_source, campaign_id, country, platform, a,
               cityHash64(number, a) % 10 + 1 AS n, n, toDecimal128(n * 2.49, 6)
        FROM ({grid}) ARRAY JOIN [0, 1, 3, 7, 14, 30] AS a WHERE event_date - a >= toDate('{first}')""")
    sql(url, f"""INSERT INTO {db}.ctit_histogram
        SELECT event_date, event_date, app_id, media_source, concat(media_source, '_site', toString(s)), bucket, start,
               cityHash64(number, s, start) % 20 + 1 AS n,
               if(start = 0, n, if(s = 2 AND start >= 86400, cityHash64(number, s) % 3, 0))
        FROM ({grid}) ARRAY JOIN range(3) AS s
        ARRAY JOIN ['0-10s', '10s-1m', '1m-10m', '10m-1h', '1h-6h', '6h-24h', '1d-3d', '3d-7d', '7d+'] AS bucket,
                   [0, 10, 60, 600, 3600, 21600, 86400, 259200, 604800] AS start
        WHERE media_source != 'organic' AND number % 8 = 0""")
    sql(url, f"""INSERT INTO {db}.speed_vs_batch
        SELECT toDate('{DAY}') - d, app, v, v, v, v - diff, diff - intDiv(diff, 2), intDiv(diff, 2), 0, 0, 0, 1
        FROM (SELECT number AS d, app, 300 + cityHash64(number, app) % 50 AS v, cityHash64(number, app, 1) % 9 AS diff
              FROM numbers(7) ARRAY JOIN {apps} AS app)""")
    sql(url, f"""INSERT INTO {db}.ltv_cohort
        SELECT event_date, cohort_day, app_id, media_source, age_days, sum(events), sum(revenue_events), sum(revenue_usd)
        FROM {db}.ltv GROUP BY event_date, cohort_day, app_id, media_source, age_days""")
    sql(url, f"""INSERT INTO {db}.retention_cohort
        SELECT event_date, cohort_day, app_id, media_source, day_n, sum(users)
        FROM {db}.retention GROUP BY event_date, cohort_day, app_id, media_source, day_n""")
    sql(url, f"""INSERT INTO {db}.batch_loads (table_name, day, rows, source, load_id, loaded_at)
        SELECT t, toDate('{first}') + number, 0, 'demo_day fixture', generateUUIDv4(), now64(3)
        FROM numbers({HISTORY_DAYS + 1})
        ARRAY JOIN ['daily_installs', 'daily_events', 'retention', 'ltv', 'ctit_histogram'] AS t""")


SPEED_DAY = DAY + dt.timedelta(days=1)


def load_speed_layer_day(url: str, database: str, rows: int = 400) -> None:
    """Realtime rows of SPEED_DAY (after every batch watermark): installs attributed, organic and rejected per
    app and source, at noon UTC (the same report day in any app time zone)."""
    sql(url, f"""INSERT INTO {database}.rt_attributions
        (attribution_id, candidate_event_id, app_id, kind, outcome, event_time, received_at, media_source,
         campaign_id, country, platform, kafka_partition, kafka_offset)
        SELECT generateUUIDv4(number), toString(number), ['{APPS[0]}', '{APPS[1]}'][number % 2 + 1], 'INSTALL',
               ['ATTRIBUTED', 'ATTRIBUTED', 'ORGANIC', 'REJECTED'][cityHash64(number) % 4 + 1] AS outcome,
               toDateTime64('{SPEED_DAY} 12:00:00', 3, 'UTC') + number, toDateTime64('{SPEED_DAY} 12:00:00', 3, 'UTC') + number,
               if(outcome = 'ORGANIC', '', ['net_alpha', 'net_beta', 'net_gamma'][number % 3 + 1]), '', 'US', 'ios',
               0, number
        FROM numbers({rows})""")


def clear_speed_layer(url: str, database: str) -> None:
    for t in ("rt_attributions", "rt_attributed_events"):
        sql(url, f"TRUNCATE TABLE {database}.{t}")
