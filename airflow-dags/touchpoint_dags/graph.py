"""The batch task graph both DAGs share (one day per nightly run, a range per backfill run):

    wait_for_lake >> plan >> create_cluster >> compact >> attribute >> aggregate >> export >> reconcile
      >> terminate_cluster (teardown: always runs)
    reconcile >> load_clickhouse[day] >> reindex_druid[day] >> checks[day] (ClickHouse vs lake,
      drift, not empty: also when Druid is skipped; Druid vs ClickHouse: only after a re-index)

The serving tasks are mapped over the plan's days, so a backfill serves days in parallel up to
``max_active_tis_per_dagrun``; the nightly maps over its one day.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk.exceptions import AirflowSkipException
from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor
from airflow.sdk import TriggerRule, chain, task

from touchpoint_dags import checks, emr_definitions, local_runner, settings
from touchpoint_dags.operators import BatchStepOperator, CreateBatchClusterOperator, TerminateBatchClusterOperator
from touchpoint_dags.sizing import size_for

CLOUD_RETRIES = dict(retries=3, retry_delay=timedelta(minutes=1), retry_exponential_backoff=True,
                     max_retry_delay=timedelta(minutes=20))
STEP_RETRIES = dict(retries=1, retry_delay=timedelta(minutes=5))


def marker_key(day: str) -> str:
    return settings.DAY_COMPLETE_MARKER.format(day=day)


@task(task_id="plan", **CLOUD_RETRIES)
def plan(first_day: str, last_day: str) -> dict:
    """The days of this run and the cluster size for their input (bronze bytes, emr/sizing.json)."""
    from datetime import date

    from airflow.providers.amazon.aws.hooks.s3 import S3Hook
    from airflow.sdk import BaseHook

    first, last = date.fromisoformat(first_day), date.fromisoformat(last_day)
    if last < first:
        raise ValueError(f"end {last} is before start {first}")
    days = [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    lake_root = BaseHook.get_connection(settings.LAKE_CONN_ID).extra_dejson.get("lake_root", "s3a://touchpoint-lake")
    bucket, prefix = settings.lake_bucket_and_prefix(lake_root)
    s3 = S3Hook(aws_conn_id=settings.LAKE_CONN_ID).get_conn()
    input_bytes = 0
    for day in days:
        for table in ("touchpoints", "app_events"):
            pages = s3.get_paginator("list_objects_v2").paginate(
                Bucket=bucket, Prefix=settings.lake_key(prefix, f"bronze/{table}/event_date={day}/"))
            input_bytes += sum(o["Size"] for p in pages for o in p.get("Contents", []))
    size = size_for(input_bytes, emr_definitions.load("sizing.json"))
    print(f"plan {first_day}..{last_day}: {len(days)} day(s), {size.describe()}")
    return {"first_day": first_day, "last_day": last_day, "days": days, "size": size.__dict__}


@task(task_id="days")
def days_of(planned: dict) -> list[str]:
    """The plan's days, one mapped serving task each."""
    return planned["days"]


@task(**CLOUD_RETRIES)
def load_clickhouse(day: str) -> None:
    """Gold day -> ClickHouse (ClickHouse pulls the Parquet from the lake; partition swap)."""
    local_runner.run(["serve", "load", "--date", day, "--engine", "clickhouse"], f"load ClickHouse {day}")


@task(**CLOUD_RETRIES)
def reindex_druid(day: str, params=None) -> None:
    """Gold day -> Druid (index_parallel replacing the day's interval); skipped with druid=false."""
    if not (params or {}).get("druid", True):
        raise AirflowSkipException("druid=false: Druid re-index skipped")
    local_runner.run(["serve", "load", "--date", day, "--engine", "druid"], f"re-index Druid {day}")


@task(trigger_rule=TriggerRule.NONE_FAILED, **CLOUD_RETRIES)
def check_gold_totals(day: str) -> dict:
    """ClickHouse's totals of the day equal the lake's gold."""
    return checks.gold_totals_equal(day)


@task(trigger_rule=TriggerRule.NONE_FAILED, **CLOUD_RETRIES)
def check_reconciliation(day: str, params=None) -> dict:
    """Speed vs batch drift of the day under params.max_drift."""
    return checks.reconciliation_drift(day, float((params or {}).get("max_drift", 0.05)))


@task(trigger_rule=TriggerRule.NONE_FAILED, **CLOUD_RETRIES)
def check_not_empty(day: str) -> dict:
    """The day has install verdicts and in-app events."""
    return checks.day_not_empty(day)


@task(**CLOUD_RETRIES)
def check_druid(day: str) -> dict:
    """Druid serves the same installs and rejections for the day as ClickHouse (skipped with druid=false)."""
    return checks.druid_equals_clickhouse(day)


def build(first_day: str, last_day: str, wait_day: str, serving_concurrency: int):
    """Adds the graph to the DAG in context. ``first_day``/``last_day``/``wait_day`` are templates."""
    wait_for_lake = S3KeySensor(
        task_id="wait_for_lake",
        bucket_key="{{ conn.touchpoint_lake.extra_dejson.get('lake_root', 's3a://touchpoint-lake')"
                   " | replace('s3a://', 's3://') }}/" + marker_key(wait_day),
        aws_conn_id=settings.LAKE_CONN_ID,
        mode="reschedule", poke_interval=300, timeout=12 * 3600, **CLOUD_RETRIES)
    planned = plan(first_day, last_day)
    create = CreateBatchClusterOperator(task_id="create_cluster", **CLOUD_RETRIES)
    steps = [BatchStepOperator(task_id=s, step=s, **STEP_RETRIES) for s in emr_definitions.BATCH_STEPS]
    terminate = TerminateBatchClusterOperator(task_id="terminate_cluster", **CLOUD_RETRIES)
    chain(wait_for_lake, planned, create, *steps)
    steps[-1] >> terminate
    terminate.as_teardown(setups=create)

    days = days_of(planned)
    loaded = load_clickhouse.override(max_active_tis_per_dagrun=serving_concurrency).expand(day=days)
    steps[-1] >> loaded
    reindexed = reindex_druid.override(max_active_tis_per_dagrun=serving_concurrency).expand(day=days)
    loaded >> reindexed
    for check in (check_gold_totals, check_reconciliation, check_not_empty, check_druid):
        reindexed >> check.override(max_active_tis_per_dagrun=serving_concurrency).expand(day=days)
