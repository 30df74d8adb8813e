"""The DAG folder loads with no import errors, fast, without touching the network or the disk
beyond its own files; the task graphs have the shape, trigger rules and retries we rely on."""

from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest

PARSE_BUDGET_S = 5.0  # the whole folder, cold imports of Airflow's providers included
BATCH = ["compact", "attribute", "aggregate", "export", "reconcile"]


def test_dag_folder_loads_without_errors_within_the_parse_budget(monkeypatch, tmp_path):
    from airflow.models import DagBag

    def no_network(*a, **k):
        raise AssertionError("a DAG file opened a network connection at parse time")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    # the emr/ files are read by tasks, never at parse time: hide them
    monkeypatch.setenv("TOUCHPOINT_EMR_DIR", str(tmp_path / "no-emr-here"))
    started = time.monotonic()
    bag = DagBag(dag_folder=str(__import__("conftest").DAGS))
    elapsed = time.monotonic() - started
    assert bag.import_errors == {}
    assert set(bag.dag_ids) == {"touchpoint_nightly", "touchpoint_backfill", "touchpoint_erasure"}
    parse = sum(s.duration.total_seconds() for s in bag.dagbag_stats)
    print(f"DagBag: {len(bag.dag_ids)} DAGs, files parsed in {parse:.2f} s, {elapsed:.2f} s with Airflow's imports")
    assert parse < PARSE_BUDGET_S


@pytest.mark.parametrize("dag_id", ["touchpoint_nightly", "touchpoint_backfill"])
def test_graph_shape(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    down = {t.task_id: set(t.downstream_task_ids) for t in dag.tasks}
    assert down["wait_for_lake"] == {"plan"}
    assert down["plan"] == {"create_cluster", "days"}
    assert down["create_cluster"] == {"compact", "terminate_cluster"}
    for a, b in zip(BATCH, BATCH[1:]):
        assert down[a] == {b}, f"{a} must lead to {b} only"
    assert down["reconcile"] == {"terminate_cluster", "load_clickhouse"}
    assert down["load_clickhouse"] == {"reindex_druid"}
    checks = {"check_gold_totals", "check_reconciliation", "check_not_empty", "check_druid"}
    assert down["reindex_druid"] == checks
    assert all(down[c] == set() for c in checks)
    assert down["terminate_cluster"] == set()


@pytest.mark.parametrize("dag_id", ["touchpoint_nightly", "touchpoint_backfill"])
def test_trigger_rules_retries_and_alerts(dagbag, dag_id):
    from airflow.sdk import TriggerRule

    dag = dagbag.dags[dag_id]
    t = dag.task_dict
    # the cluster is always terminated: a teardown of create_cluster, run whatever failed upstream
    assert t["terminate_cluster"].is_teardown
    assert t["create_cluster"].is_setup
    assert t["terminate_cluster"].trigger_rule == TriggerRule.ALL_DONE_SETUP_SUCCESS
    # a skipped Druid re-index (druid=false) does not skip the checks; a failure upstream does
    for c in ("check_gold_totals", "check_reconciliation", "check_not_empty"):
        assert t[c].trigger_rule == TriggerRule.NONE_FAILED
    assert t["check_druid"].trigger_rule == TriggerRule.ALL_SUCCESS  # skipped with the re-index
    for s in BATCH:
        assert t[s].trigger_rule == TriggerRule.ALL_SUCCESS
    # cloud calls retry with exponential backoff; every task reports its failure
    for tid in ("wait_for_lake", "plan", "create_cluster", "terminate_cluster", "load_clickhouse", "reindex_druid"):
        assert t[tid].retries >= 3 and t[tid].retry_exponential_backoff, tid
    assert all(task.on_failure_callback for task in dag.tasks)
    assert t["wait_for_lake"].mode == "reschedule"
    assert dag.max_active_runs == 1
    assert set(dag.params.keys()) >= {"runner", "rules", "druid", "max_drift"}
    assert dag.params.get_param("runner").resolve() == "emr"


def test_nightly_schedule_and_deadline(dagbag):
    dag = dagbag.dags["touchpoint_nightly"]
    assert dag.catchup
    assert dag.deadline and dag.deadline[0].interval == timedelta(hours=30)
    assert dag.timetable.expression == "0 0 * * *"


def test_erasure_graph_params_and_retries(dagbag):
    from airflow.sdk import TriggerRule
    from airflow.sdk.definitions.param import ParamValidationError

    dag = dagbag.dags["touchpoint_erasure"]
    assert dag.timetable.can_be_scheduled is False and not dag.catchup and dag.max_active_runs == 1
    down = {t.task_id: set(t.downstream_task_ids) for t in dag.tasks}
    assert down == {"create_cluster": {"erase", "terminate_cluster"}, "erase": {"terminate_cluster", "erased_days"},
                    "erased_days": {"reload_serving"}, "reload_serving": set(), "terminate_cluster": set()}
    t = dag.task_dict
    assert t["create_cluster"].is_setup and t["terminate_cluster"].is_teardown
    assert t["terminate_cluster"].trigger_rule == TriggerRule.ALL_DONE_SETUP_SUCCESS
    # a retried erase finishes the failed request's days (audit record before the deletes)
    assert t["erase"].retries == 1
    for tid in ("create_cluster", "terminate_cluster", "erased_days", "reload_serving"):
        assert t[tid].retries >= 3 and t[tid].retry_exponential_backoff, tid
    assert all(task.on_failure_callback for task in dag.tasks)
    # app and device have no default: a trigger without them is refused
    for name in ("app", "device"):
        with pytest.raises(ParamValidationError):
            dag.params.get_param(name).resolve()
        with pytest.raises(ParamValidationError):
            dag.params.get_param(name).resolve("")
    assert dag.params.get_param("runner").resolve() == "emr"
    assert dag.params.get_param("vacuum_retain_hours").resolve() is None
