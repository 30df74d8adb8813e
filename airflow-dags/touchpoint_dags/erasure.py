"""touchpoint_erasure's tasks: one device of one app erased from the lake, its days recomputed and
served again (``./touchpoint erase``; docs/reliability.md).

    create_cluster (setup) >> erase >> terminate_cluster (teardown: always runs)
    erase >> erased_days >> reload_serving[day]

``runner=local``: no cluster; ``erase`` runs ``./touchpoint erase --app A --device D``, which also
reloads ClickHouse and Druid, so ``erased_days`` and the reloads are skipped. ``runner=emr``: the
smallest batch cluster (emr/batch-cluster.json at the sizing rule's minimum), the erase step
(emr/steps/erase.json: the lake half, writing a report of the days it recomputed), then ClickHouse
and Druid reloaded for those days from the workers, as the nightly loads them.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

from airflow.sdk import task
from airflow.sdk.exceptions import AirflowSkipException

from touchpoint_dags import emr_definitions, local_runner, settings
from touchpoint_dags.operators import CreateBatchClusterOperator, EmrStepOperator, TerminateBatchClusterOperator
from touchpoint_dags.sizing import size_for

CLOUD_RETRIES = dict(retries=3, retry_delay=timedelta(minutes=1), retry_exponential_backoff=True,
                     max_retry_delay=timedelta(minutes=20))
# a rerun of the request finishes an unfinished earlier one (its days are on record in the audit
# table before the first delete), so a retry after a failure between the deletes and the recompute
# recomputes those days: retried like a batch step
ERASE_RETRIES = dict(retries=1, retry_delay=timedelta(minutes=5))
REPORTS = "_erasure/reports"


def request_name(run_id: str) -> str:
    """The run id as a path segment and EMR name (no ':' or '+', which Hadoop paths refuse)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", run_id)[:200]


def report_uri(lake_root: str, run_id: str) -> str:
    return f"{lake_root.rstrip('/')}/{REPORTS}/{request_name(run_id)}.json"


def emr_values(context) -> dict:
    s = settings.EmrSettings.load()
    params = context["params"]
    day = context["ds"]
    return {**s.values(day, day, context["run_id"]), "app": params["app"], "device": params["device"],
            "request": request_name(context["run_id"]),
            "report_uri": report_uri(s.lake_root, context["run_id"])}


class CreateErasureClusterOperator(CreateBatchClusterOperator):
    """The batch cluster at the sizing rule's smallest size (an erasure recomputes a few days)."""

    def execute(self, context):
        if context["params"]["runner"] == "local":
            self.log.info("runner=local: no cluster; the erase command runs on the embedded stack")
            return None
        values = emr_values(context)
        size = size_for(0, emr_definitions.load("sizing.json"))
        request = emr_definitions.batch_cluster_request(values, size)
        request["Name"] = f"touchpoint-erasure-{values['request']}"[:256]
        request["Tags"] = [t for t in request["Tags"] if t["Key"] != "day"] + [{"Key": "purpose", "Value": "erasure"}]
        self.job_flow_overrides = request
        self.waiter_delay = settings.EmrSettings.load().poll_seconds
        self.log.info("erasure cluster: %s", size.describe())
        return super(CreateBatchClusterOperator, self).execute(context)


class EraseStepOperator(EmrStepOperator):
    """runner=emr: the erase step (emr/steps/erase.json) on the run's cluster, awaited like a batch
    step. runner=local: ``./touchpoint erase --app A --device D`` (lake, recompute, serving)."""

    def execute(self, context):
        params = context["params"]
        hours = params.get("vacuum_retain_hours")
        if params["runner"] == "local":
            args = ["erase", "--app", params["app"], "--device", params["device"],
                    "--serving", "both" if params.get("druid", True) else "clickhouse"]
            if params.get("rules"):
                args += ["--rules", params["rules"]]
            if hours is not None:
                args += ["--vacuum-retain-hours", str(hours)]
            context["ti"].xcom_push(key="step_log", value="this task's log (runner=local)")
            local_runner.run(args, f"erase a device of app {params['app']}")
            return None
        step = emr_definitions.erase_step(emr_values(context))
        if hours is not None:
            step["HadoopJarStep"]["Args"] += ["--vacuum-retain-hours", str(hours)]
        return self.run_step(context, "erase step", step)


@task(task_id="erased_days", **CLOUD_RETRIES)
def erased_days(params=None, run_id=None) -> list[str]:
    """The days the erase step recomputed, from its report in the lake (runner=emr)."""
    from airflow.providers.amazon.aws.hooks.s3 import S3Hook

    if params["runner"] == "local":
        raise AirflowSkipException("runner=local: the erase command reloaded serving itself")
    uri = report_uri(settings.EmrSettings.load().lake_root, run_id)
    bucket, key = settings.lake_bucket_and_prefix(uri)
    report = json.loads(S3Hook(aws_conn_id=settings.LAKE_CONN_ID).read_key(key, bucket))
    rows = sum(report["rows_by_table"].values())
    print(f"erasure request {report['request_id']}: {rows} rows deleted, days recomputed {report['days']}")
    return report["days"]


@task(max_active_tis_per_dagrun=4, **CLOUD_RETRIES)
def reload_serving(day: str, params=None) -> None:
    """ClickHouse (and Druid unless druid=false) reloaded for one recomputed day."""
    engine = "both" if params.get("druid", True) else "clickhouse"
    local_runner.run(["serve", "load", "--date", day, "--engine", engine], f"reload {engine} {day}")


def build() -> None:
    """Adds the graph to the DAG in context."""
    create = CreateErasureClusterOperator(task_id="create_cluster", **CLOUD_RETRIES)
    erase = EraseStepOperator(task_id="erase", **ERASE_RETRIES)
    terminate = TerminateBatchClusterOperator(task_id="terminate_cluster", **CLOUD_RETRIES)
    create >> erase >> terminate
    terminate.as_teardown(setups=create)
    days = erased_days()
    erase >> days
    reload_serving.expand(day=days)
