"""touchpoint_nightly: the authoritative batch for one UTC day per run (airflow-dags/README.md).

Wait until the speed layer marks day D complete in the lake, create the EMR batch cluster (spot
task fleet sized from D's input), run compact -> attribute -> aggregate -> export -> reconcile as
EMR steps, always terminate the cluster, then load ClickHouse, re-index Druid and check the day.
``runner=local`` runs the same graph with ./touchpoint on the embedded stack.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import DAG, CronDataIntervalTimetable

from touchpoint_dags import common, graph

with DAG(
    dag_id="touchpoint_nightly",
    description="Nightly batch of one day: EMR on spot fleets -> ClickHouse -> Druid -> checks",
    # one run per UTC day D = [D, D+1); it starts at D+1 00:00 and waits for the lake marker
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1),
    catchup=True,
    max_active_runs=1,  # day D+1's attribution reads day D's verdicts: days run in order
    default_args=common.DEFAULT_ARGS,
    params=common.params(),
    deadline=common.deadline(30, "touchpoint_nightly: the day's numbers are not served 30 h after its start"),
    tags=["touchpoint", "batch", "emr"],
    doc_md=__doc__,
) as dag:
    day = "{{ ds }}"  # the logical date: D for the scheduled run of [D, D+1) and for a manual run of D
    graph.build(first_day=day, last_day=day, wait_day=day, serving_concurrency=1)
