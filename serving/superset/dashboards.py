"""Touchpoint's Superset dashboards as code: the source of the bundle in ``bundle/``.

``python serving/superset/dashboards.py`` (any Python with PyYAML, e.g. the Superset virtualenv)
rewrites ``bundle/`` in Superset's import/export format (``metadata.yaml``, ``databases/``,
``datasets/``, ``charts/``, ``dashboards/``); ``--check`` fails when the folder is not what this
file generates (a test runs it). Identifiers are UUIDs derived from names, so every import
overwrites the same objects: importing twice changes nothing.

Datasets read the lambda views (``serving/clickhouse/migrations/0004_lambda_views.sql``) and the
cohort rollups (``0006``), so a chart shows batch numbers for loaded days and realtime numbers after
them, like ``./touchpoint query``. No dataset names a database: the connection's URI
(``databases/touchpoint_clickhouse.yaml``, replaced at import time) chooses server and database, so
a production ClickHouse needs only another URI.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml

BUNDLE = Path(__file__).resolve().parent / "bundle"
NAMESPACE = uuid.UUID("5d7c7c1e-4d0e-4a8e-9a57-2f6f2d0b7c11")
DATABASE_NAME = "Touchpoint ClickHouse"
# the embedded stack's connection; `./touchpoint up` and production imports replace it
DEFAULT_URI = "clickhousedb://default@127.0.0.1:8123/touchpoint"


def uid(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{name}"))


@dataclass
class Dataset:
    name: str
    main_dttm: str
    columns: list[tuple[str, str]]  # name, ClickHouse type; Date/DateTime ones are temporal
    metrics: dict[str, tuple[str, str]]  # name -> (SQL expression, d3 format)
    sql: str | None = None  # virtual dataset; None: the view/table `name`
    calculated: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (expression, type)
    description: str = ""

    def __post_init__(self):
        # ClickHouse resolves an alias before a column of the same name: a metric `x` = sum(x) beside
        # another metric using x would nest aggregates (ILLEGAL_AGGREGATION)
        clash = [m for m in self.metrics if self.has(m)]
        if clash:
            raise ValueError(f"{self.name}: metric names equal to columns: {clash}")
        # A time axis on the filtered column itself would come out as `toStartOfDay(toDateTime(day)) AS day`,
        # and that alias would replace the column in the date filter: ClickHouse then could not use the
        # filter on the primary key and read every partition. Charts put this copy on their x axis instead.
        self.calculated.setdefault(self.axis, (self.main_dttm, dict(self.columns)[self.main_dttm]))

    @property
    def axis(self) -> str:
        """The main temporal column's copy for a chart's time axis (see __post_init__)."""
        return f"{self.main_dttm}_axis"

    @property
    def uuid(self) -> str:
        return uid("dataset", self.name)

    def has(self, column: str) -> bool:
        return column in dict(self.columns) or column in self.calculated


DIMS = [("app_id", "LowCardinality(String)"), ("media_source", "LowCardinality(String)")]
UINT = "UInt64"


def ratio(num: str, den: str) -> str:
    return f"{num} / nullIf({den}, 0)"


INSTALLS = Dataset(
    "installs_daily", "day",
    [("layer", "String"), ("event_date", "Date"), ("day", "Date"), *DIMS,
     ("campaign_id", "LowCardinality(String)"), ("country", "LowCardinality(String)"),
     ("platform", "LowCardinality(String)")]
    + [(c, UINT) for c in ("installs", "organic_installs", "re_attributions", "reinstalls", "re_engagements",
                           "rejected", "rejected_ctit", "rejected_click_injection", "rejected_click_flooding")],
    {
        "total_installs": ("sum(installs)", ",d"),
        "total_organic": ("sum(organic_installs)", ",d"),
        "paid_installs": ("sum(installs) - sum(organic_installs)", ",d"),
        "organic_share": (ratio("sum(organic_installs)", "sum(installs)"), ".1%"),
        "total_re_attributions": ("sum(re_attributions)", ",d"),
        "total_re_engagements": ("sum(re_engagements)", ",d"),
        "total_rejected": ("sum(rejected)", ",d"),
        "total_rejected_ctit": ("sum(rejected_ctit)", ",d"),
        "total_rejected_click_injection": ("sum(rejected_click_injection)", ",d"),
        "total_rejected_click_flooding": ("sum(rejected_click_flooding)", ",d"),
    },
    calculated={"acquisition": ("if(media_source = 'organic', 'organic', 'paid')", "String")},
    description="Installs, re-attributions, re-engagements and rejections per report day (batch up to "
                "the watermark, realtime after).",
)

EVENTS = Dataset(
    "events_daily", "day",
    [("layer", "String"), ("event_date", "Date"), ("day", "Date"), *DIMS,
     ("campaign_id", "LowCardinality(String)"), ("country", "LowCardinality(String)"),
     ("platform", "LowCardinality(String)"), ("event_name", "LowCardinality(String)"),
     ("currency", "LowCardinality(String)"), ("events", UINT), ("revenue_events", UINT),
     ("revenue", "Decimal(38, 6)"), ("revenue_usd", "Decimal(38, 6)")],
    {"total_events": ("sum(events)", ",d"), "total_revenue_usd": ("toFloat64(sum(revenue_usd))", "$,.2f")},
    description="In-app events and USD revenue per report day.",
)

LATEST_DAY = Dataset(
    "latest_day", "day",
    [("day", "Date"), ("layer", "String"), *DIMS, ("installs", UINT), ("organic_installs", UINT),
     ("rejected", UINT), ("events", UINT), ("revenue_usd", "Decimal(38, 6)")],
    {"total_installs": ("sum(installs)", ",d"), "total_organic": ("sum(organic_installs)", ",d"),
     "total_rejected": ("sum(rejected)", ",d"), "total_events": ("sum(events)", ",d"),
     "total_revenue_usd": ("toFloat64(sum(revenue_usd))", "$,.2f")},
    sql="""-- The latest report day any layer has (today so far while the speed layer leads the batch). It is
-- looked for from the day before the installs' batch watermark on (a report day lies within a day of
-- its UTC event_date), so only the last partitions are read, not a year of them.
SELECT day, layer, app_id, media_source, installs, organic_installs, rejected,
       toUInt64(0) AS events, toDecimal128(0, 6) AS revenue_usd
FROM installs_daily
WHERE day = (SELECT max(day) FROM installs_daily
             WHERE event_date + 1 >= (SELECT max(day) FROM batch_loads WHERE table_name = 'daily_installs'))
UNION ALL
SELECT day, layer, app_id, media_source, 0, 0, 0, events, revenue_usd
FROM events_daily
WHERE day = (SELECT max(day) FROM installs_daily
             WHERE event_date + 1 >= (SELECT max(day) FROM batch_loads WHERE table_name = 'daily_installs'))""",
    description="Today so far: the latest report day in the views, per app and source.",
)

RETENTION = Dataset(
    "retention_rates", "cohort_day",
    [("cohort_day", "Date"), ("install_week", "Date"), *DIMS, ("day_n", "UInt16"), ("users", UINT),
     ("cohort_users", UINT)],
    {"retention": (ratio("sum(users)", "sum(cohort_users)"), ".1%"),
     "cohort_size": ("sumIf(users, day_n = 0)", ",d"),
     "d1_retention": (ratio("sumIf(users, day_n = 1)", "sumIf(cohort_users, day_n = 1)"), ".1%"),
     "d7_retention": (ratio("sumIf(users, day_n = 7)", "sumIf(cohort_users, day_n = 7)"), ".1%"),
     "d30_retention": (ratio("sumIf(users, day_n = 30)", "sumIf(cohort_users, day_n = 30)"), ".1%")},
    sql="""-- Every cohort (app, install day, source) with its users active on day 0, 1, 3, 7, 14 and 30
-- (0 when nobody came back), beside the cohort's size: rates are sum(users) / sum(cohort_users).
SELECT c.cohort_day AS cohort_day, toMonday(c.cohort_day) AS install_week, c.app_id AS app_id,
       c.media_source AS media_source, n AS day_n, ifNull(r.users, 0) AS users, c.cohort_users AS cohort_users
FROM
(
    SELECT cohort_day, app_id, media_source, sum(users) AS cohort_users
    FROM retention_cohort_daily WHERE day_n = 0
    GROUP BY cohort_day, app_id, media_source
) AS c
ARRAY JOIN [0, 1, 3, 7, 14, 30] AS n
LEFT JOIN
(
    SELECT cohort_day, app_id, media_source, day_n, sum(users) AS users
    FROM retention_cohort_daily
    GROUP BY cohort_day, app_id, media_source, day_n
) AS r ON r.cohort_day = c.cohort_day AND r.app_id = c.app_id AND r.media_source = c.media_source
      AND r.day_n = n""",
    description="Day-N retention by install cohort and source (batch only: it needs sessions).",
)

LTV = Dataset(
    "ltv_cohorts", "cohort_day",
    [("cohort_day", "Date"), *DIMS, ("cohort_users", UINT), ("revenue_d0", "Float64"),
     ("revenue_d7", "Float64"), ("revenue_d30", "Float64"), ("revenue_total", "Float64")],
    {"cohort_installs": ("sum(cohort_users)", ",d"),
     "total_revenue": ("sum(revenue_total)", "$,.2f"),
     "ltv_d0": (ratio("sum(revenue_d0)", "sum(cohort_users)"), "$,.4f"),
     "ltv_d7": (ratio("sum(revenue_d7)", "sum(cohort_users)"), "$,.4f"),
     "ltv_d30": (ratio("sum(revenue_d30)", "sum(cohort_users)"), "$,.4f"),
     "ltv_total": (ratio("sum(revenue_total)", "sum(cohort_users)"), "$,.4f")},
    sql="""-- Cumulative USD revenue of each install cohort (app, install day, source) by cohort age, beside
-- the cohort's size: LTV = revenue / cohort users (the named query revenue_ltv_by_cohort per cohort).
-- UNION ALL + GROUP BY rather than a FULL JOIN: ClickHouse pushes a chart's app and date filters
-- into both halves (through a FULL JOIN it filters only after joining every cohort of every app).
SELECT cohort_day, app_id, media_source, sum(users) AS cohort_users, sum(rev_d0) AS revenue_d0,
       sum(rev_d7) AS revenue_d7, sum(rev_d30) AS revenue_d30, sum(rev_total) AS revenue_total
FROM
(
    SELECT cohort_day, app_id, media_source, toUInt64(0) AS users,
           toFloat64(sumIf(revenue_usd, age_days <= 0)) AS rev_d0, toFloat64(sumIf(revenue_usd, age_days <= 7)) AS rev_d7,
           toFloat64(sumIf(revenue_usd, age_days <= 30)) AS rev_d30, toFloat64(sum(revenue_usd)) AS rev_total
    FROM ltv_cohort_daily
    GROUP BY cohort_day, app_id, media_source
    UNION ALL
    SELECT cohort_day, app_id, media_source, sum(users), 0, 0, 0, 0
    FROM retention_cohort_daily WHERE day_n = 0
    GROUP BY cohort_day, app_id, media_source
)
GROUP BY cohort_day, app_id, media_source""",
    description="Revenue and LTV per install cohort and source.",
)

CTIT = Dataset(
    "ctit_daily", "day",
    [("layer", "String"), ("event_date", "Date"), ("day", "Date"), *DIMS, ("site_id", "LowCardinality(String)"),
     ("bucket", "LowCardinality(String)"), ("bucket_start_seconds", "UInt32"), ("installs", UINT),
     ("rejected", UINT)],
    {"click_installs": ("sum(installs)", ",d"),
     "total_rejected": ("sum(rejected)", ",d"),
     "rejected_rate": (ratio("sum(rejected)", "sum(installs)"), ".1%"),
     "under_10s_share": (ratio("sumIf(installs, bucket_start_seconds = 0)", "sum(installs)"), ".1%"),
     "over_1d_share": (ratio("sumIf(installs, bucket_start_seconds >= 86400)", "sum(installs)"), ".1%")},
    calculated={
        # sortable labels; the first bucket ends at the default click-injection threshold (10 s)
        "ctit": ("concat(toString(indexOf([0, 10, 60, 600, 3600, 21600, 86400, 259200, 604800], "
                 "bucket_start_seconds)), '. ', if(bucket_start_seconds = 0, '< 10 s (injection threshold)', "
                 "bucket))", "String"),
        "vs_threshold": ("if(bucket_start_seconds = 0, 'below the 10 s threshold', 'at or above 10 s')",
                         "String"),
    },
    description="Click-to-install time histogram of click-attributed installs per source and site.",
)

SPEED_VS_BATCH = Dataset(
    "speed_vs_batch", "event_date",
    [("event_date", "Date"), ("app_id", "LowCardinality(String)"), ("batch_verdicts", UINT),
     ("speed_verdicts", UINT), ("matched", UINT), ("touch_arrived_after_install", UINT), ("late_install", UINT),
     ("duplicate", UINT), ("batch_only_fraud_signal", UINT), ("other", UINT)],
    {"agreement": (ratio("sum(matched)", "sum(matched + touch_arrived_after_install + late_install + duplicate "
                                         "+ batch_only_fraud_signal + other)"), ".2%"),
     "total_matched": ("sum(matched)", ",d"),
     "total_touch_after_install": ("sum(touch_arrived_after_install)", ",d"),
     "total_late_install": ("sum(late_install)", ",d"),
     "total_duplicate": ("sum(duplicate)", ",d"),
     "total_batch_only_fraud": ("sum(batch_only_fraud_signal)", ",d"),
     "total_other": ("sum(other)", ",d")},
    description="The batch's reconciliation with the speed layer per app and day.",
)

DATASETS = [INSTALLS, EVENTS, LATEST_DAY, RETENTION, LTV, CTIT, SPEED_VS_BATCH]


@dataclass
class Chart:
    name: str
    dataset: Dataset
    viz: str
    params: dict
    width: int = 4
    height: int = 50
    headline: str | None = None  # the metric the acceptance test compares with ClickHouse

    def __post_init__(self):
        p = self.params
        used = list(p.get("metrics", [])) + [p[k] for k in ("metric", "timeseries_limit_metric") if k in p]
        unknown = [m for m in used if m not in self.dataset.metrics]
        if unknown:
            raise ValueError(f"chart {self.name!r}: no metric {unknown} in dataset {self.dataset.name}")

    @property
    def uuid(self) -> str:
        return uid("chart", self.name)


def time_filter(ds: Dataset, column: str | None = None) -> list[dict]:
    return [{"clause": "WHERE", "comparator": "No filter", "expressionType": "SIMPLE",
             "operator": "TEMPORAL_RANGE", "subject": column or ds.main_dttm}]


def big_number(name: str, ds: Dataset, metric: str, subheader: str, width: int = 3) -> Chart:
    return Chart(name, ds, "big_number_total", {
        "metric": metric, "adhoc_filters": time_filter(ds), "header_font_size": 0.4,
        "subheader_font_size": 0.15, "subheader": subheader, "y_axis_format": ds.metrics[metric][1],
    }, width=width, height=25, headline=metric)


def timeseries(name: str, ds: Dataset, viz: str, x: str, metrics: list[str], groupby: list[str] | None = None,
               stack: bool = False, width: int = 6, x_label: str = "", y_label: str = "",
               y_format: str = "SMART_NUMBER", extra: dict | None = None) -> Chart:
    temporal = x in dict(ds.columns) and dict(ds.columns)[x].startswith("Date")
    if x == ds.main_dttm:
        x = ds.axis
    params = {
        "x_axis": x, "metrics": metrics, "groupby": groupby or [], "adhoc_filters": time_filter(ds),
        "row_limit": 10000, "order_desc": True, "show_legend": True, "rich_tooltip": True,
        "x_axis_title": x_label, "x_axis_title_margin": 30, "y_axis_title": y_label, "y_axis_title_margin": 70,
        "y_axis_format": y_format, "truncateYAxis": False, "zoomable": False,
        "stack": "Stack" if stack else None, "x_axis_sort_asc": True,
    }
    if temporal:
        params["time_grain_sqla"] = "P1D"
        params["x_axis_time_format"] = "%Y-%m-%d"
    params.update(extra or {})
    return Chart(name, ds, viz, params, width=width)


def table(name: str, ds: Dataset, groupby: list[str], metrics: list[str], sort_by: str, width: int = 6,
          limit: int = 50) -> Chart:
    return Chart(name, ds, "table", {
        "query_mode": "aggregate", "groupby": groupby, "metrics": metrics, "adhoc_filters": time_filter(ds),
        "timeseries_limit_metric": sort_by, "order_desc": True, "row_limit": limit, "server_page_length": 10,
        "table_timestamp_format": "%Y-%m-%d", "show_cell_bars": True,
    }, width=width)


@dataclass
class Dashboard:
    title: str
    slug: str
    rows: list[list[Chart]]
    description: str

    @property
    def uuid(self) -> str:
        return uid("dashboard", self.slug)

    @property
    def charts(self) -> list[Chart]:
        return [c for row in self.rows for c in row]


ATTRIBUTION = Dashboard("Attribution overview", "attribution-overview", [
    [big_number("Installs", INSTALLS, "total_installs", "attributed + organic"),
     big_number("Organic share", INSTALLS, "organic_share", "of installs"),
     big_number("Rejected as fraud", INSTALLS, "total_rejected", "installs rejected"),
     big_number("Revenue (USD)", EVENTS, "total_revenue_usd", "in-app revenue")],
    [timeseries("Installs by media source over time", INSTALLS, "echarts_timeseries_bar", "day", ["total_installs"],
                ["media_source"], stack=True, width=8, x_label="report day", y_label="installs"),
     Chart("Organic vs paid", INSTALLS, "pie", {
         "groupby": ["acquisition"], "metric": "total_installs", "adhoc_filters": time_filter(INSTALLS),
         "show_labels": True, "label_type": "key_percent", "show_legend": True, "donut": True,
         "number_format": "SMART_NUMBER", "row_limit": 10}, width=4)],
    [table("Top campaigns", INSTALLS, ["media_source", "campaign_id"],
           ["total_installs", "total_rejected", "total_re_attributions"], "total_installs", width=6, limit=10),
     table("Today so far (latest report day)", LATEST_DAY, ["day", "app_id", "media_source", "layer"],
           ["total_installs", "total_organic", "total_rejected", "total_events", "total_revenue_usd"], "total_installs",
           width=6)],
], "Installs by media source and campaign over time, organic vs paid, top campaigns, today so far.")

RETENTION_DASH = Dashboard("Retention cohorts", "retention-cohorts", [
    [big_number("Cohort users", RETENTION, "cohort_size", "installs in the cohorts"),
     big_number("Day-1 retention", RETENTION, "d1_retention", "of cohort users"),
     big_number("Day-7 retention", RETENTION, "d7_retention", "of cohort users"),
     big_number("Day-30 retention", RETENTION, "d30_retention", "of cohort users")],
    [Chart("Day-N retention by install week", RETENTION, "heatmap_v2", {
        "x_axis": "install_week", "time_grain_sqla": "P1W", "groupby": "day_n", "metric": "retention",
        "adhoc_filters": time_filter(RETENTION), "row_limit": 10000, "normalize_across": "heatmap",
        "show_values": True, "show_legend": True, "linear_color_scheme": "blue_white_yellow",
        "value_bounds": [None, None], "y_axis_format": ".1%", "x_axis_time_format": "%Y-%m-%d",
        "sort_x_axis": "alpha_asc", "sort_y_axis": "alpha_asc", "xscale_interval": -1, "yscale_interval": -1,
        "left_margin": "auto", "bottom_margin": "auto"}, width=6, height=60),
     Chart("Day-N retention by source", RETENTION, "heatmap_v2", {
         "x_axis": "media_source", "groupby": "day_n", "metric": "retention",
         "adhoc_filters": time_filter(RETENTION), "row_limit": 10000, "normalize_across": "heatmap",
         "show_values": True, "show_legend": True, "linear_color_scheme": "blue_white_yellow",
         "value_bounds": [None, None], "y_axis_format": ".1%", "sort_x_axis": "alpha_asc",
         "sort_y_axis": "alpha_asc", "xscale_interval": -1, "yscale_interval": -1,
         "left_margin": "auto", "bottom_margin": "auto"}, width=6, height=60)],
    [table("Retention by source", RETENTION, ["media_source"],
           ["cohort_size", "d1_retention", "d7_retention", "d30_retention"], "cohort_size", width=12)],
], "Day-N retention heatmaps by install week and by media source.")

REVENUE_DASH = Dashboard("Revenue and LTV", "revenue-ltv", [
    [big_number("Cohort revenue (USD)", LTV, "total_revenue", "revenue of the cohorts so far"),
     big_number("LTV per install, day 7", LTV, "ltv_d7", "USD per cohort user"),
     big_number("LTV per install, to date", LTV, "ltv_total", "USD per cohort user"),
     big_number("Cohort installs", LTV, "cohort_installs", "users in the cohorts")],
    [timeseries("Cumulative revenue per install by cohort age and source", LTV, "echarts_timeseries_bar",
                "media_source", ["ltv_d0", "ltv_d7", "ltv_d30", "ltv_total"], width=6, x_label="media source",
                y_label="USD per install", y_format="$,.2f"),
     timeseries("LTV per install by install cohort", LTV, "echarts_timeseries_line", "cohort_day",
                ["ltv_total"], ["media_source"], width=6, x_label="install cohort", y_label="USD per install",
                y_format="$,.2f", extra={"markerEnabled": True})],
    [table("Cohorts", LTV, ["cohort_day", "media_source"],
           ["cohort_installs", "total_revenue", "ltv_d0", "ltv_d7", "ltv_d30", "ltv_total"], "total_revenue",
           width=12)],
], "Cumulative revenue per install by install cohort, cohort age and media source.")

FRAUD_DASH = Dashboard("Fraud", "fraud", [
    [big_number("Rejected installs", INSTALLS, "total_rejected", "rejected as fraud"),
     big_number("Click installs under 10 s", CTIT, "under_10s_share", "share of click installs (CTIT < 10 s)"),
     big_number("Rejected for click flooding", INSTALLS, "total_rejected_click_flooding", "installs from flooding sites"),
     big_number("Rejected for CTIT", INSTALLS, "total_rejected_ctit", "click-to-install under the threshold")],
    [timeseries("CTIT distribution per source (first bar: below the 10 s injection threshold)", CTIT,
                "echarts_timeseries_bar", "ctit", ["click_installs"], ["media_source"], stack=True, width=7,
                x_label="click-to-install time", y_label="click installs"),
     timeseries("Rejected installs by reason and source", INSTALLS, "echarts_timeseries_bar", "media_source",
                ["total_rejected_ctit", "total_rejected_click_injection", "total_rejected_click_flooding"], stack=True,
                width=5,
                x_label="media source", y_label="rejected installs")],
    [table("Sites by rejection (click flooding: many installs a day or more after the click)", CTIT,
           ["media_source", "site_id"], ["click_installs", "total_rejected", "rejected_rate", "under_10s_share",
                                         "over_1d_share"], "total_rejected", width=12)],
], "CTIT distribution per source with the injection threshold, click-flooding sites, rejections by reason.")

SPEED_DASH = Dashboard("Speed vs batch", "speed-vs-batch", [
    [big_number("Agreement", SPEED_VS_BATCH, "agreement", "speed verdicts equal to the batch's", width=4),
     big_number("Matched verdicts", SPEED_VS_BATCH, "total_matched", "speed = batch", width=4),
     big_number("Touch after install", SPEED_VS_BATCH, "total_touch_after_install",
                "differences: a touch arrived after its install", width=4)],
    [timeseries("Agreement over time", SPEED_VS_BATCH, "echarts_timeseries_line", "event_date", ["agreement"],
                width=6, x_label="day", y_label="agreement", y_format=".2%", extra={"markerEnabled": True}),
     timeseries("Differences by class", SPEED_VS_BATCH, "echarts_timeseries_bar", "event_date",
                ["total_touch_after_install", "total_late_install", "total_duplicate", "total_batch_only_fraud",
                 "total_other"],
                stack=True, width=6, x_label="day", y_label="verdicts that differ")],
], "The nightly reconciliation of the speed layer with the batch: agreement and differences by class.")

DASHBOARDS = [ATTRIBUTION, RETENTION_DASH, REVENUE_DASH, FRAUD_DASH, SPEED_DASH]


def dataset_yaml(ds: Dataset) -> dict:
    cols = [{"column_name": n, "type": t, "is_dttm": t.startswith("Date"), "groupby": True, "filterable": True,
             "is_active": True, "expression": None, "verbose_name": None, "description": None,
             "python_date_format": None, "advanced_data_type": None, "extra": None} for n, t in ds.columns]
    cols += [{"column_name": n, "type": t, "is_dttm": t.startswith("Date"), "groupby": True, "filterable": True, "is_active": True,
              "expression": e, "verbose_name": None, "description": None, "python_date_format": None,
              "advanced_data_type": None, "extra": None} for n, (e, t) in ds.calculated.items()]
    metrics = [{"metric_name": n, "expression": e, "d3format": f, "metric_type": None,
                "verbose_name": n.removeprefix("total_").replace("_", " "),
                "description": None, "warning_text": None, "currency": None, "extra": None}
               for n, (e, f) in ds.metrics.items()]
    return {
        "table_name": ds.name, "main_dttm_col": ds.main_dttm, "description": ds.description or None,
        "default_endpoint": None, "offset": 0, "cache_timeout": None, "catalog": None, "schema": None,
        "sql": ds.sql, "params": None, "template_params": None, "filter_select_enabled": True,
        "fetch_values_predicate": None, "extra": None, "normalize_columns": False,
        "always_filter_main_dttm": False, "uuid": ds.uuid, "metrics": metrics, "columns": cols,
        "version": "1.0.0", "database_uuid": uid("database", DATABASE_NAME),
    }


def chart_yaml(c: Chart) -> dict:
    params = {"viz_type": c.viz, "datasource": f"{c.dataset.name}__table", **c.params}
    return {"slice_name": c.name, "description": None, "certified_by": None, "certification_details": None,
            "viz_type": c.viz, "params": params, "query_context": None, "cache_timeout": None,
            "uuid": c.uuid, "version": "1.0.0", "dataset_uuid": c.dataset.uuid}


def native_filters(d: Dashboard) -> list[dict]:
    main = d.charts[0].dataset
    out = []
    for name, column in (("App", "app_id"), ("Media source", "media_source")):
        target = next(ds for ds in [main, INSTALLS] if ds.has(column))
        excluded = [f"CHART-{c.uuid[:8]}" for c in d.charts if not c.dataset.has(column)]
        out.append({
            "id": f"NATIVE_FILTER-{uid('filter', d.slug + column)[:12]}", "name": name,
            "filterType": "filter_select", "type": "NATIVE_FILTER", "description": "",
            "targets": [{"column": {"name": column}, "datasetUuid": target.uuid}],
            "controlValues": {"multiSelect": True, "enableEmptyFilter": False, "defaultToFirstItem": False,
                              "inverseSelection": False, "searchAllOptions": False},
            "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
            "cascadeParentIds": [], "scope": {"rootPath": ["ROOT_ID"], "excluded": excluded},
        })
    out.append({
        "id": f"NATIVE_FILTER-{uid('filter', d.slug + 'time')[:12]}", "name": "Date range",
        "filterType": "filter_time", "type": "NATIVE_FILTER", "description": "report day / install cohort",
        "targets": [{}], "controlValues": {"enableEmptyFilter": False},
        "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
        "cascadeParentIds": [], "scope": {"rootPath": ["ROOT_ID"], "excluded": []},
    })
    return out


def chart_number(c: Chart) -> int:
    """A stable placeholder id (the importer maps charts by uuid and rewrites it)."""
    return 1 + [x.uuid for d in DASHBOARDS for x in d.charts].index(c.uuid)


def dashboard_yaml(d: Dashboard) -> dict:
    position: dict = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": d.title}},
    }
    for i, row in enumerate(d.rows):
        row_id = f"ROW-{d.slug}-{i}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {"type": "ROW", "id": row_id, "children": [], "parents": ["ROOT_ID", "GRID_ID"],
                            "meta": {"background": "BACKGROUND_TRANSPARENT"}}
        for c in row:
            cid = f"CHART-{c.uuid[:8]}"
            position[row_id]["children"].append(cid)
            position[cid] = {"type": "CHART", "id": cid, "children": [], "parents": ["ROOT_ID", "GRID_ID", row_id],
                             "meta": {"uuid": c.uuid, "chartId": chart_number(c), "sliceName": c.name, "width": c.width, "height": c.height}}
    return {
        "dashboard_title": d.title, "description": d.description, "css": "", "slug": d.slug,
        "certified_by": "", "certification_details": "", "published": True, "uuid": d.uuid,
        "position": position,
        "metadata": {"native_filter_configuration": native_filters(d), "timed_refresh_immune_slices": [],
                     "expanded_slices": {}, "refresh_frequency": 0, "default_filters": "{}",
                     "color_scheme": "supersetColors", "label_colors": {}, "shared_label_colors": [],
                     "cross_filters_enabled": False},
        "version": "1.0.0",
    }


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (the virtual datasets' SQL) as literal blocks, readable in review."""


_Dumper.add_representer(str, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style="|" if "\n" in v else None))


def files() -> dict[str, str]:
    def dump(obj: dict) -> str:
        return "# Generated by serving/superset/dashboards.py: edit that file, then run it.\n" + yaml.dump(
            obj, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)

    out = {"metadata.yaml": dump({"version": "1.0.0", "type": "Dashboard", "timestamp": "2026-11-29T00:00:00+00:00"}),
           "databases/touchpoint_clickhouse.yaml": dump({
               "database_name": DATABASE_NAME, "sqlalchemy_uri": DEFAULT_URI, "cache_timeout": None,
               "expose_in_sqllab": False, "allow_run_async": False, "allow_ctas": False, "allow_cvas": False,
               "allow_dml": False, "allow_file_upload": False, "allow_csv_upload": False,
               "extra": {"allows_virtual_table_explore": False, "metadata_params": {}, "engine_params": {},
                         "schemas_allowed_for_file_upload": []},
               "uuid": uid("database", DATABASE_NAME), "version": "1.0.0"})}
    for ds in DATASETS:
        out[f"datasets/touchpoint_clickhouse/{ds.name}.yaml"] = dump(dataset_yaml(ds))
    for d in DASHBOARDS:
        out[f"dashboards/{d.slug}.yaml"] = dump(dashboard_yaml(d))
        for c in d.charts:
            out[f"charts/{d.slug}/{c.uuid[:8]}_{c.name.split(' (')[0].replace(' ', '_').replace(',', '')}.yaml"] = \
                dump(chart_yaml(c))
    return out


def headlines() -> list[dict]:
    """The big-number charts: dashboard, chart, dataset and metric SQL (used by the acceptance test)."""
    return [{"dashboard": d.slug, "chart": c.name, "chart_uuid": c.uuid, "dataset": c.dataset.name,
             "metric": c.headline, "expression": c.dataset.metrics[c.headline][0],
             "sql": c.dataset.sql, "main_dttm": c.dataset.main_dttm}
            for d in DASHBOARDS for c in d.charts if c.headline]


# What the dashboards' queries are measured with (serving's ServingBenchmark): the SQL Superset compiles
# for every chart with the App and Date range filters set to these sentinels, which the benchmark
# replaces with a real app and a 7-day window ([start, end), as Superset's time ranges are).
SENTINEL_APP = "__touchpoint_app__"
SENTINEL_RANGE = ("1999-01-04", "1999-01-11")


def _axis(ds: Dataset, column: str, grain: str | None) -> str | dict:
    types = dict(ds.columns) | {n: t for n, (_, t) in ds.calculated.items()}
    temporal = types.get(column, "").startswith("Date")
    if not temporal:
        return column
    return {"columnType": "BASE_AXIS", "expressionType": "SQL", "sqlExpression": column, "label": column,
            "timeGrain": grain or "P1D"}


def chart_query(c: Chart, app: str | None, time_range: str) -> dict:
    """The chart-data query object a dashboard sends for chart c (what each viz plugin's buildQuery
    makes of the saved params), with the dashboard's App and Date range filters applied."""
    p = c.params
    metrics = list(p.get("metrics", [])) or [p["metric"]]
    if c.viz in ("echarts_timeseries_bar", "echarts_timeseries_line"):
        columns = [_axis(c.dataset, p["x_axis"], p.get("time_grain_sqla")), *p.get("groupby", [])]
        orderby = [[metrics[0], False]]
    elif c.viz == "heatmap_v2":
        columns = [_axis(c.dataset, p["x_axis"], p.get("time_grain_sqla")), p["groupby"]]
        orderby = []
    elif c.viz in ("pie", "table"):
        columns = list(p["groupby"])
        orderby = [[p.get("timeseries_limit_metric", metrics[0]), False]]
    elif c.viz == "big_number_total":
        columns, orderby = [], []
    else:
        raise ValueError(f"chart {c.name!r}: no query shape for viz {c.viz}")
    filters = [{"col": c.dataset.main_dttm, "op": "TEMPORAL_RANGE", "val": time_range}]
    if app is not None:
        filters.append({"col": "app_id", "op": "IN", "val": [app]})
    return {"columns": columns, "metrics": metrics, "filters": filters, "orderby": orderby,
            "row_limit": p.get("row_limit", 10000), "time_range": time_range,
            "extras": {"where": "", "having": ""}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write (or --check) the Superset bundle in serving/superset/bundle.")
    ap.add_argument("--check", action="store_true", help="exit 1 if bundle/ differs from this file's output")
    ap.add_argument("--headlines", action="store_true", help="print the headline metrics as JSON")
    args = ap.parse_args(argv)
    if args.headlines:
        print(json.dumps(headlines(), indent=2))
        return 0
    wanted = files()
    present = {p.relative_to(BUNDLE).as_posix(): p.read_text() for p in BUNDLE.rglob("*.yaml")} \
        if BUNDLE.is_dir() else {}
    if args.check:
        stale = sorted(k for k in set(wanted) | set(present) if wanted.get(k) != present.get(k))
        if stale:
            print("serving/superset/bundle is stale (run python serving/superset/dashboards.py): " + ", ".join(stale))
            return 1
        return 0
    for k in set(present) - set(wanted):
        (BUNDLE / k).unlink()
    for k, text in wanted.items():
        (BUNDLE / k).parent.mkdir(parents=True, exist_ok=True)
        (BUNDLE / k).write_text(text)
    print(f"wrote {len(wanted)} files under {BUNDLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
