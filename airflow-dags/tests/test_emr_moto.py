"""The emr path of touchpoint_nightly against moto's EMR and S3 in server mode on loopback: the
cluster is created from the emr/ files, every batch step is added and waited for, and the
cluster is terminated — also when a step fails.

moto does not run Spark: a background thread plays the cluster, moving each step from RUNNING
to COMPLETED (or FAILED for the step a test names), as EMR reports them. The serving tasks need
the embedded stack and are covered by the runner=local test; here they are marked successful.
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.request
import base64
from datetime import datetime, timezone

import boto3
import pytest

from test_emr_definitions import assert_valid

DAY = "2026-03-01"
LAKE_BUCKET = "moto-lake"
LOGS = "s3://touchpoint-logs/emr/"
BATCH = ["compact", "attribute", "aggregate", "export", "reconcile"]
SERVING = r"^(load_clickhouse|reindex_druid|check_gold_totals|check_reconciliation|check_not_empty|check_druid)$"
REGION = "us-east-1"


@pytest.fixture(scope="module")
def moto_server(tmp_path_factory):
    from moto.server import ThreadedMotoServer

    # moto keeps no instance fleets: its recorder keeps the requests the DAG sent, as sent
    os.environ["MOTO_RECORDER_FILEPATH"] = str(tmp_path_factory.mktemp("moto") / "recording.jsonl")

    port = int(os.environ.get("TOUCHPOINT_MOTO_PORT", "5000"))
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    conn = {"conn_type": "aws", "login": "testing", "password": "testing",
            "extra": {"endpoint_url": endpoint, "region_name": REGION, "lake_root": f"s3a://{LAKE_BUCKET}"}}
    saved = {k: os.environ.get(k) for k in ("AIRFLOW_CONN_TOUCHPOINT_AWS", "AIRFLOW_CONN_TOUCHPOINT_LAKE",
                                            "AIRFLOW_VAR_TOUCHPOINT_EMR")}
    os.environ["AIRFLOW_CONN_TOUCHPOINT_AWS"] = json.dumps(conn)
    os.environ["AIRFLOW_CONN_TOUCHPOINT_LAKE"] = json.dumps(conn)
    os.environ["AIRFLOW_VAR_TOUCHPOINT_EMR"] = json.dumps({
        "release_uri": "s3://touchpoint-artifacts/releases/0.1.0", "log_uri": LOGS,
        "lake_root": f"s3a://{LAKE_BUCKET}", "rules_uri": "s3a://touchpoint-conf/attribution.conf",
        "subnet_ids": ["subnet-0aaa", "subnet-0bbb"], "service_role": "touchpoint-emr-service",
        "job_flow_role": "touchpoint-emr-ec2", "environment": "moto", "poll_seconds": 1})
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/recorder/start-recording", method="POST"))
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing",
                      aws_secret_access_key="testing")
    s3.create_bucket(Bucket=LAKE_BUCKET)
    s3.put_object(Bucket=LAKE_BUCKET, Key=f"_markers/day_complete/date={DAY}/_SUCCESS", Body=b"{}")
    s3.put_object(Bucket=LAKE_BUCKET, Key=f"bronze/touchpoints/event_date={DAY}/part-0.parquet", Body=b"x" * 4096)
    emr = boto3.client("emr", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing",
                       aws_secret_access_key="testing")
    yield emr
    server.stop()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


class FakeCluster(threading.Thread):
    """Plays EMR's step runner inside moto: the first unfinished step of every cluster completes
    (or fails, for ``fail_step``) a moment after it was added; steps behind a failure are cancelled."""

    def __init__(self, fail_step: str | None = None, on_complete=None):
        super().__init__(daemon=True)
        self.fail_step = fail_step
        self.on_complete = on_complete or (lambda step: None)
        self.stopped = threading.Event()

    def run(self):
        from moto.emr.models import emr_backends

        while not self.stopped.wait(0.3):
            for account in list(emr_backends.keys()):
                for cluster in list(emr_backends[account][REGION].clusters.values()):
                    self._advance(cluster)

    def _advance(self, cluster):
        failed = False
        for step in cluster.steps:
            if failed and step.state in ("PENDING", "RUNNING"):
                step.state = "CANCELLED"
            elif step.state in ("PENDING", "RUNNING"):
                if self.fail_step and f" {self.fail_step} " in f" {step.name} ":
                    step.state, failed = "FAILED", True
                else:
                    self.on_complete(step)
                    step.state = "COMPLETED"
                return


def prepare_for_dag_test(dag):
    """What dag.test() cannot take as the scheduler would: retries (a failure here is final, no
    waiting out retry delays) and the deadline alert (Airflow 3.3.2's dag.test() ends a run with a
    deadline by looking the alert up with the alert object instead of its id, and fails; the
    deadline itself is checked in test_dagbag)."""
    for task in dag.tasks:
        task.retries = 0
    dag.deadline = None


def run_nightly(dagbag, fail_step=None):
    dag = dagbag.dags["touchpoint_nightly"]
    prepare_for_dag_test(dag)
    cluster = FakeCluster(fail_step)
    cluster.start()
    try:
        run = dag.test(logical_date=datetime.fromisoformat(DAY).replace(tzinfo=timezone.utc),
                       run_conf={"runner": "emr"}, mark_success_pattern=SERVING)
    finally:
        cluster.stopped.set()
    return run, {ti.task_id: ti.state for ti in run.get_task_instances()}


def sent_requests(target: str) -> list[dict]:
    """The JSON bodies of the EMR calls ``target`` (e.g. RunJobFlow) recorded by moto, in order."""
    found = []
    with open(os.environ["MOTO_RECORDER_FILEPATH"]) as f:
        for line in f:
            entry = json.loads(line)
            if entry["headers"].get("X-Amz-Target", "").endswith("." + target):
                body = base64.b64decode(entry["body"]) if entry["body_encoded"] else entry["body"]
                found.append(json.loads(body))
    return found


def newest_cluster(emr):
    clusters = emr.list_clusters()["Clusters"]
    return max(clusters, key=lambda c: c["Status"]["Timeline"]["CreationDateTime"])


def test_emr_path_creates_the_cluster_adds_every_step_and_terminates(airflow_db, dagbag, moto_server):
    started = time.monotonic()
    run, states = run_nightly(dagbag)
    print(f"emr path under moto: {time.monotonic() - started:.1f} s, {states}")
    assert run.state == "success", states
    assert all(states[s] == "success" for s in ["wait_for_lake", "plan", "create_cluster", *BATCH,
                                                "terminate_cluster"])
    emr = moto_server
    summary = newest_cluster(emr)
    cluster = emr.describe_cluster(ClusterId=summary["Id"])["Cluster"]
    assert cluster["Status"]["State"] in ("TERMINATING", "TERMINATED")
    assert cluster["ReleaseLabel"] == "emr-spark-8.0.0" and cluster["Name"] == f"touchpoint-batch-{DAY}"
    assert {t["Key"]: t["Value"] for t in cluster["Tags"]}["day"] == DAY
    # the RunJobFlow request as it went over the wire: the fleets of emr/batch-cluster.json, sized
    request = [r for r in sent_requests("RunJobFlow") if r["Name"] == f"touchpoint-batch-{DAY}"][-1]
    assert_valid(request, "RunJobFlow")
    fleets = {f["InstanceFleetType"]: f for f in request["Instances"]["InstanceFleets"]}
    assert set(fleets) == {"MASTER", "CORE", "TASK"}
    assert fleets["TASK"]["TargetSpotCapacity"] == 16 and fleets["TASK"]["TargetOnDemandCapacity"] == 0
    assert len(fleets["TASK"]["InstanceTypeConfigs"]) >= 5
    assert fleets["TASK"]["LaunchSpecifications"]["SpotSpecification"]["AllocationStrategy"] == "capacity-optimized"
    added = [r["Steps"][0]["HadoopJarStep"]["Args"] for r in sent_requests("AddJobFlowSteps")][-5:]
    assert [a[a.index("--steps") + 1] for a in added] == BATCH
    steps = list(reversed(emr.list_steps(ClusterId=summary["Id"])["Steps"]))
    assert [s["Name"] for s in steps] == [f"touchpoint {s} {DAY}" for s in BATCH]
    assert all(s["Status"]["State"] == "COMPLETED" for s in steps)
    args = emr.describe_step(ClusterId=summary["Id"], StepId=steps[1]["Id"])["Step"]["Config"]["Args"]
    assert args[args.index("--steps") + 1] == "attribute" and args[args.index("--date") + 1] == DAY


def test_a_failing_step_fails_the_run_and_the_cluster_is_still_terminated(airflow_db, dagbag, moto_server):
    run, states = run_nightly(dagbag, fail_step="attribute")
    assert run.state == "failed", states
    assert states["compact"] == "success" and states["attribute"] == "failed"
    assert all(states[s] == "upstream_failed" for s in ["aggregate", "export", "reconcile"])
    assert states["terminate_cluster"] == "success"
    emr = moto_server
    summary = newest_cluster(emr)
    assert emr.describe_cluster(ClusterId=summary["Id"])["Cluster"]["Status"]["State"] in ("TERMINATING", "TERMINATED")
    steps = list(reversed(emr.list_steps(ClusterId=summary["Id"])["Steps"]))
    assert [(s["Name"], s["Status"]["State"]) for s in steps] == [
        (f"touchpoint compact {DAY}", "COMPLETED"), (f"touchpoint attribute {DAY}", "FAILED")]
    # the failure names the step and where its log is (what the failure callback reports)
    from airflow.models import TaskInstance

    ti = next(t for t in run.get_task_instances() if t.task_id == "attribute")
    step_log = ti.xcom_pull(task_ids="attribute", key="step_log")
    assert step_log == f"{LOGS}{summary['Id']}/steps/{steps[1]['Id']}/"


ERASED_DAYS = ["2026-02-27", "2026-03-01"]


def write_erasure_report(step):
    """What EraseJob writes at the end of the erase step (moto runs no Spark): its report."""
    args = step.args
    if "io.touchpoint.batch.erase.EraseJob" not in args:
        return
    bucket, key = args[args.index("--report") + 1].removeprefix("s3a://").split("/", 1)
    endpoint = json.loads(os.environ["AIRFLOW_CONN_TOUCHPOINT_AWS"])["extra"]["endpoint_url"]
    boto3.client("s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing",
                 aws_secret_access_key="testing").put_object(
        Bucket=bucket, Key=key, Body=json.dumps({"request_id": "r-1", "rows_by_table": {"bronze/touchpoints": 3},
                                                 "days": ERASED_DAYS}).encode())


def run_erasure(dagbag, fail_step=None):
    dag = dagbag.dags["touchpoint_erasure"]
    prepare_for_dag_test(dag)
    cluster = FakeCluster(fail_step, on_complete=write_erasure_report)
    cluster.start()
    try:
        run = dag.test(run_conf={"runner": "emr", "app": "com.example.app", "device": "dev-erase-1"},
                       mark_success_pattern=r"^reload_serving$")
    finally:
        cluster.stopped.set()
    return run, run.get_task_instances()


def test_erasure_emr_path_runs_the_erase_step_on_a_small_cluster_and_reloads_its_days(airflow_db, dagbag,
                                                                                     moto_server):
    run, tis = run_erasure(dagbag)
    states = {(ti.task_id, ti.map_index): ti.state for ti in tis}
    assert run.state == "success", states
    assert all(states[(t, -1)] == "success" for t in ("create_cluster", "erase", "terminate_cluster", "erased_days"))
    # the serving reload is mapped over the days the step's report names
    assert sorted(m for (t, m) in states if t == "reload_serving") == [0, 1]
    assert next(ti for ti in tis if ti.task_id == "erased_days").xcom_pull(task_ids="erased_days") == ERASED_DAYS
    emr = moto_server
    summary = newest_cluster(emr)
    cluster = emr.describe_cluster(ClusterId=summary["Id"])["Cluster"]
    assert cluster["Name"].startswith("touchpoint-erasure-") and cluster["Status"]["State"] in ("TERMINATING",
                                                                                               "TERMINATED")
    request = [r for r in sent_requests("RunJobFlow") if r["Name"] == cluster["Name"]][-1]
    assert_valid(request, "RunJobFlow")
    fleets = {f["InstanceFleetType"]: f for f in request["Instances"]["InstanceFleets"]}
    assert fleets["TASK"]["TargetSpotCapacity"] == 16  # the sizing rule's smallest cluster
    steps = emr.list_steps(ClusterId=summary["Id"])["Steps"]
    assert len(steps) == 1 and steps[0]["Status"]["State"] == "COMPLETED"
    args = emr.describe_step(ClusterId=summary["Id"], StepId=steps[0]["Id"])["Step"]["Config"]["Args"]
    assert args[args.index("--app") + 1] == "com.example.app" and args[args.index("--device") + 1] == "dev-erase-1"
    assert args[args.index("--lake") + 1] == f"s3a://{LAKE_BUCKET}"


def test_a_failing_erase_step_fails_the_run_reloads_nothing_and_terminates(airflow_db, dagbag, moto_server):
    run, tis = run_erasure(dagbag, fail_step="erase")
    states = {ti.task_id: ti.state for ti in tis}
    assert run.state == "failed", states
    assert states["erase"] == "failed" and states["erased_days"] == "upstream_failed"
    assert states["terminate_cluster"] == "success"
    summary = newest_cluster(moto_server)
    assert moto_server.describe_cluster(ClusterId=summary["Id"])["Cluster"]["Status"]["State"] in ("TERMINATING",
                                                                                                  "TERMINATED")
