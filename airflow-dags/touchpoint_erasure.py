"""touchpoint_erasure: one data subject's erasure (GDPR art. 17, CCPA) — triggered by hand with
the app and the device id (airflow-dags/README.md, 'Erasure').

    airflow dags trigger touchpoint_erasure --conf '{"app": "com.example.app", "device": "<id>"}'

The device's events and verdicts leave every lake table (bronze, silver, speed, quarantine), the
days they fell on are recomputed and reloaded into ClickHouse and Druid, and an audit record keeps
the id's SHA-256 only. ``runner=local`` runs ``./touchpoint erase`` on the embedded stack;
``runner=emr`` runs its lake half as a step on a small EMR cluster that is always terminated.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import DAG, Param

from touchpoint_dags import common, erasure, settings

with DAG(
    dag_id="touchpoint_erasure",
    description="Erase one device of one app: lake tables, recomputed days, ClickHouse and Druid",
    schedule=None,  # on request only
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # erasures rewrite the same Delta tables: one at a time
    default_args=common.DEFAULT_ARGS,
    params={
        "app": Param(type="string", minLength=1, description="the app id of the request"),
        "device": Param(type="string", minLength=1, description="the device's advertising id or vendor id"),
        "runner": Param("emr", enum=list(settings.RUNNERS),
                        description="emr: a step on a small EMR cluster (production); local: ./touchpoint erase"),
        "rules": Param("", type="string", description="runner=local: the attribution rules overlay the batch used"),
        "druid": Param(True, type="boolean", description="reload Druid too (ClickHouse always)"),
        "vacuum_retain_hours": Param(None, type=["null", "number"], minimum=0,
                                     description="VACUUM the erased tables keeping H hours (null: the lake's "
                                                 "regular VACUUM removes the files)"),
    },
    tags=["touchpoint", "erasure", "emr"],
    doc_md=__doc__,
) as dag:
    erasure.build()
