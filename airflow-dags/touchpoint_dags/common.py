"""What both DAGs share: parameters, default arguments, the deadline alert."""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DeadlineAlert, DeadlineReference, Param, SyncCallback

from touchpoint_dags import callbacks, settings

DEFAULT_ARGS = {
    "owner": "touchpoint-data",
    "on_failure_callback": callbacks.on_task_failure,
    "execution_timeout": timedelta(hours=6),
}


def params(extra: dict | None = None) -> dict:
    return {
        "runner": Param("emr", enum=list(settings.RUNNERS),
                        description="emr: EMR cluster from emr/ (production); local: ./touchpoint on the embedded stack"),
        "rules": Param("", type="string",
                       description="runner=local: attribution rules overlay for the batch (empty: the built-in rules)"),
        "druid": Param(True, type="boolean", description="re-index Druid after loading ClickHouse"),
        "max_drift": Param(0.05, type="number", minimum=0, maximum=1,
                           description="largest share of candidates with an unexplained speed vs batch difference accepted"),
        **(extra or {}),
    }


def deadline(hours_after_logical_date: int, what: str) -> DeadlineAlert:
    return DeadlineAlert(
        reference=DeadlineReference.DAGRUN_LOGICAL_DATE,
        interval=timedelta(hours=hours_after_logical_date),
        callback=SyncCallback(callbacks.deadline_missed, kwargs={"what": what}),
    )
