"""touchpoint_backfill: the nightly graph over a date range [start, end] in one run.

One cluster for the range: compaction of the whole range in one pass, then each later step runs
the days in order (a day's attribution reads the verdicts of the days before it). Loading,
re-indexing and checks are mapped per day, at most ``serving_concurrency`` at a time.
Trigger with conf {"start": "2026-02-01", "end": "2026-02-28", "runner": "emr"}.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import DAG, Param

from touchpoint_dags import common, graph

SERVING_CONCURRENCY = 4

with DAG(
    dag_id="touchpoint_backfill",
    description="Backfill a date range with the nightly graph (one cluster, days in order)",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # two backfills must not rewrite the same days at once
    default_args=common.DEFAULT_ARGS,
    params=common.params({
        "start": Param("2026-01-01", type="string", format="date", description="first day (UTC)"),
        "end": Param("2026-01-01", type="string", format="date", description="last day (UTC), inclusive"),
    }),
    tags=["touchpoint", "batch", "emr", "backfill"],
    doc_md=__doc__,
) as dag:
    graph.build(first_day="{{ params.start }}", last_day="{{ params.end }}", wait_day="{{ params.end }}",
                serving_concurrency=SERVING_CONCURRENCY)
