"""The dashboards bundle in the real Superset: imported, idempotent, headline numbers equal to
ClickHouse, and the analyst read-only."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

import dashboards
import demo_day
from superset_api import chart_queries_json
from superset_fixtures import ROOT, TEST_DATABASE, clickhouse_uri, provision

DAY = demo_day.DAY

# Each headline metric computed independently from the gold tables (not from the datasets' SQL):
# the Superset number must equal it over all days and over the demo day alone (cohort reports: the
# cohorts up to the demo day). {day}, {cohort_day}, {event_date}: the restriction on that column.
DIRECT = {
    "total_installs": "SELECT sum(installs) FROM daily_installs WHERE {day}",
    "organic_share": "SELECT sum(organic_installs) / sum(installs) FROM daily_installs WHERE {day}",
    "total_rejected": "SELECT sum(rejected) FROM daily_installs WHERE {day}",
    "total_rejected_ctit": "SELECT sum(rejected_ctit) FROM daily_installs WHERE {day}",
    "total_rejected_click_flooding": "SELECT sum(rejected_click_flooding) FROM daily_installs WHERE {day}",
    "total_revenue_usd": "SELECT toFloat64(sum(revenue_usd)) FROM daily_events WHERE {day}",
    "cohort_size": "SELECT sum(users) FROM retention WHERE day_n = 0 AND {cohort_day}",
    "cohort_installs": "SELECT sum(users) FROM retention WHERE day_n = 0 AND {cohort_day}",
    "d1_retention": "SELECT sumIf(users, day_n = 1) / sumIf(users, day_n = 0) FROM retention WHERE {cohort_day}",
    "d7_retention": "SELECT sumIf(users, day_n = 7) / sumIf(users, day_n = 0) FROM retention WHERE {cohort_day}",
    "d30_retention": "SELECT sumIf(users, day_n = 30) / sumIf(users, day_n = 0) FROM retention WHERE {cohort_day}",
    "total_revenue": "SELECT toFloat64(sum(revenue_usd)) FROM ltv WHERE {cohort_day}",
    "ltv_d7": "SELECT toFloat64((SELECT sumIf(revenue_usd, age_days <= 7) FROM ltv WHERE {cohort_day})) "
              "/ (SELECT sum(users) FROM retention WHERE day_n = 0 AND {cohort_day})",
    "ltv_total": "SELECT toFloat64((SELECT sum(revenue_usd) FROM ltv WHERE {cohort_day})) "
                 "/ (SELECT sum(users) FROM retention WHERE day_n = 0 AND {cohort_day})",
    "under_10s_share": "SELECT sumIf(installs, bucket_start_seconds = 0) / sum(installs) FROM ctit_histogram "
                       "WHERE {day}",
    "agreement": "SELECT sum(matched) / sum(matched + touch_arrived_after_install + late_install + duplicate "
                 "+ batch_only_fraud_signal + other) FROM speed_vs_batch WHERE {event_date}",
    "total_matched": "SELECT sum(matched) FROM speed_vs_batch WHERE {event_date}",
    "total_touch_after_install": "SELECT sum(touch_arrived_after_install) FROM speed_vs_batch WHERE {event_date}",
}
HEADLINES = dashboards.headlines()


def window(dttm: str) -> tuple[dt.date, dt.date]:
    """The demo day; for cohort reports the 31 install cohorts up to it (the demo day's own cohort has
    no day-N activity yet)."""
    return (DAY - dt.timedelta(days=30), DAY) if dttm == "cohort_day" else (DAY, DAY)


def direct(clickhouse, metric: str, span: tuple[dt.date, dt.date] | None) -> float:
    where = {c: "1" if span is None else f"{c} BETWEEN toDate('{span[0]}') AND toDate('{span[1]}')"
             for c in ("day", "cohort_day", "event_date")}
    return float(clickhouse.command(DIRECT[metric].format(**where)))


def test_bundle_is_what_dashboards_py_generates():
    done = subprocess.run([sys.executable, str(ROOT / "serving/superset/dashboards.py"), "--check"],
                          text=True, capture_output=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_headline_has_an_independent_check():
    assert {h["metric"] for h in HEADLINES} <= set(DIRECT)
    assert {h["dashboard"] for h in HEADLINES} == {d.slug for d in dashboards.DASHBOARDS}


def test_five_dashboards_imported_idempotently(analyst_stack, admin_api):
    def counts():
        return {kind: admin_api.get(f"/api/v1/{kind}/", q="(page_size:1)").json()["count"]
                for kind in ("dashboard", "chart", "dataset", "database")}

    before = counts()
    provision(analyst_stack, clickhouse_uri(analyst_stack, TEST_DATABASE))  # a second import
    assert counts() == before
    assert before == {"dashboard": len(dashboards.DASHBOARDS), "database": 1, "dataset": len(dashboards.DATASETS),
                      "chart": sum(len(d.charts) for d in dashboards.DASHBOARDS)}
    assert set(admin_api.dashboards()) == {d.slug for d in dashboards.DASHBOARDS}


@pytest.mark.parametrize("headline", HEADLINES, ids=[f"{h['dashboard']}:{h['metric']}" for h in HEADLINES])
def test_headline_through_chart_data_api_equals_clickhouse(headline, analyst_api, clickhouse):
    charts = {c["slice_name"]: c for c in analyst_api.dashboard_charts(headline["dashboard"])}
    chart = analyst_api.chart(charts[headline["chart"]]["id"])
    datasource_id = int(json.loads(chart["params"])["datasource"].split("__")[0])
    for span in (None, window(headline["main_dttm"])):
        # Superset's time ranges are [start, end)
        time_range = "No filter" if span is None else f"{span[0]} : {span[1] + dt.timedelta(days=1)}"
        shown = analyst_api.metric_value(chart["id"], headline["metric"], datasource_id, time_range,
                                         headline["main_dttm"])
        expected = direct(clickhouse, headline["metric"], span)
        assert expected > 0, f"{headline['metric']} is 0 in the fixture on {span}: the check would prove nothing"
        assert shown == pytest.approx(expected, rel=1e-9), f"{headline['chart']} on {time_range}"


def test_chart_queries_file_is_what_superset_compiles(analyst_api):
    """serving/superset/chart_queries.json holds the SQL of every chart of every dashboard, filtered on one
    app and on all apps, as Superset compiles it: the serving benchmark measures exactly these."""
    text = chart_queries_json(analyst_api, dashboards)
    written = ROOT / "serving/superset/target/chart_queries.json"
    written.parent.mkdir(parents=True, exist_ok=True)
    written.write_text(text)
    committed = ROOT / "serving/superset/chart_queries.json"
    assert committed.is_file() and committed.read_text() == text, (
        f"{committed.relative_to(ROOT)} is stale: cp {written.relative_to(ROOT)} {committed.relative_to(ROOT)}")


def test_today_so_far_shows_the_speed_layer_ahead_of_the_batch(analyst_stack, analyst_api, clickhouse):
    """The day after the batch watermark comes from the realtime tables: "Today so far" shows it as the
    latest day, layer realtime, with the speed layer's installs (a past day: kept since the realtime TTL
    counts from arrival)."""
    demo_day.load_speed_layer_day(analyst_stack.clickhouse_url, TEST_DATABASE)
    try:
        ids = {c["slice_name"]: c["id"] for c in analyst_api.dashboard_charts("attribution-overview")}
        chart = analyst_api.chart(ids["Today so far (latest report day)"])
        datasource_id = int(json.loads(chart["params"])["datasource"].split("__")[0])
        query = {"columns": ["day", "layer"], "metrics": ["total_installs"], "filters": [], "orderby": [],
                 "row_limit": 100, "time_range": "No filter", "extras": {"where": "", "having": ""}}
        rows = analyst_api.chart_data(chart["id"], "table", datasource_id, query, "full")["data"]
        expected = float(clickhouse.command(
            f"SELECT count() FROM rt_attributions FINAL WHERE toDate(event_time) = '{demo_day.SPEED_DAY}' "
            "AND kind = 'INSTALL' AND outcome IN ('ATTRIBUTED', 'ORGANIC')"))
        assert expected > 0, "no realtime installs kept: the realtime TTL dropped the past day at insert"
        assert len(rows) == 1, rows
        day = rows[0]["day"]
        day = dt.datetime.fromtimestamp(day / 1000, dt.timezone.utc).date() if isinstance(day, (int, float)) \
            else dt.date.fromisoformat(str(day)[:10])
        assert (day, rows[0]["layer"]) == (demo_day.SPEED_DAY, "realtime"), rows
        assert float(next(v for k, v in rows[0].items() if k not in ("day", "layer"))) == expected
    finally:
        demo_day.clear_speed_layer(analyst_stack.clickhouse_url, TEST_DATABASE)


def test_analyst_cannot_edit_or_run_sql(analyst_api, admin_api):
    dashboard_id = admin_api.dashboards()["fraud"]["id"]
    chart_id = analyst_api.dashboard_charts("fraud")[0]["id"]
    assert analyst_api.get(f"/api/v1/dashboard/{dashboard_id}").status_code == 200  # may read
    assert analyst_api.put(f"/api/v1/dashboard/{dashboard_id}", {"dashboard_title": "x"}).status_code in (403, 404)
    assert analyst_api.put(f"/api/v1/chart/{chart_id}", {"slice_name": "x"}).status_code in (403, 404)
    assert analyst_api.session.delete(f"{analyst_api.url}/api/v1/chart/{chart_id}").status_code in (403, 404)
    assert analyst_api.post("/api/v1/chart/", {"slice_name": "new", "datasource_id": 1,
                                               "datasource_type": "table", "viz_type": "table"}).status_code == 403
    database_id = admin_api.get("/api/v1/database/").json()["result"][0]["id"]
    run = analyst_api.post("/api/v1/sqllab/execute/", {"database_id": database_id, "sql": "SELECT 1",
                                                       "runAsync": False})
    assert run.status_code in (401, 403), run.text[:300]
    # the admin can, so the refusals above are the role's, not a broken endpoint
    assert admin_api.post("/api/v1/sqllab/execute/", {"database_id": database_id, "sql": "SELECT 1",
                                                      "runAsync": False}).status_code == 200
