"""The batch graph's operators: the amazon provider's EMR operators, told apart by ``runner``.

``runner=emr`` renders the emr/ definitions for the run and calls EMR through the provider's
hook; ``runner=local`` runs the same step as a ``./touchpoint`` command on the embedded stack.
Nothing here reads a file, a Variable or a Connection before ``execute``.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.amazon.aws.operators.emr import (
    EmrAddStepsOperator,
    EmrCreateJobFlowOperator,
    EmrTerminateJobFlowOperator,
)
from botocore.exceptions import WaiterError

from touchpoint_dags import emr_definitions, local_runner, settings
from touchpoint_dags.sizing import ClusterSize

CLUSTER_ID = "{{ ti.xcom_pull(task_ids='create_cluster') }}"


class StepFailed(RuntimeError):
    """A batch step ended in a state other than COMPLETED."""


def _runner(context) -> str:
    runner = context["params"]["runner"]
    if runner not in settings.RUNNERS:
        raise ValueError(f"runner must be one of {settings.RUNNERS}, got {runner!r}")
    return runner


def _plan(context) -> dict[str, Any]:
    plan = context["ti"].xcom_pull(task_ids="plan")
    if not plan:
        raise RuntimeError("no plan from the 'plan' task")
    return plan


class CreateBatchClusterOperator(EmrCreateJobFlowOperator):
    """RunJobFlow with emr/batch-cluster.json, sized by the plan (emr/sizing.json); waits until the
    cluster is ready for steps. runner=local: nothing to create (returns None)."""

    def __init__(self, **kwargs):
        super().__init__(aws_conn_id=settings.AWS_CONN_ID, emr_conn_id=None, wait_for_completion=True,
                         botocore_config=settings.BOTO_RETRIES, **kwargs)

    def execute(self, context):
        plan = _plan(context)
        if _runner(context) == "local":
            self.log.info("runner=local: no cluster; the steps run on the embedded stack")
            return None
        s = settings.EmrSettings.load()
        size = ClusterSize(**plan["size"])
        self.job_flow_overrides = emr_definitions.batch_cluster_request(
            s.values(plan["first_day"], plan["last_day"], context["run_id"]), size)
        self.waiter_delay = s.poll_seconds
        self.log.info("batch cluster for %s..%s: %s", plan["first_day"], plan["last_day"], size.describe())
        return super().execute(context)


class EmrStepOperator(EmrAddStepsOperator):
    """Adds one step to the run's cluster and waits for it. Failure names the step, its state,
    EMR's reason and the step's log folder (also pushed as XCom ``step_log`` for the alert)."""

    def __init__(self, **kwargs):
        super().__init__(job_flow_id=CLUSTER_ID, aws_conn_id=settings.AWS_CONN_ID,
                         botocore_config=settings.BOTO_RETRIES, **kwargs)

    def run_step(self, context, name: str, step: dict) -> str:
        s = settings.EmrSettings.load()
        step_id = self.hook.add_job_flow_steps(job_flow_id=self.job_flow_id, steps=[step])[0]
        log_folder = emr_definitions.step_log_uri(s.log_uri, self.job_flow_id, step_id)
        context["ti"].xcom_push(key="step_log", value=log_folder)
        self.log.info("EMR %s (%s) added to %s; logs: %s", name, step_id, self.job_flow_id, log_folder)
        try:
            self.hook.get_waiter("step_complete").wait(
                ClusterId=self.job_flow_id, StepId=step_id,
                WaiterConfig={"Delay": s.poll_seconds, "MaxAttempts": int(6 * 3600 / s.poll_seconds)})
        except WaiterError:
            status = self.hook.conn.describe_step(ClusterId=self.job_flow_id, StepId=step_id)["Step"]["Status"]
            details = status.get("FailureDetails") or {}
            raise StepFailed(
                f"{name} ({step_id}) on {self.job_flow_id} ended {status['State']}"
                f"{': ' + details['Reason'] if details.get('Reason') else ''}"
                f"{' - ' + details['Message'] if details.get('Message') else ''}; "
                f"log: {details.get('LogFile') or log_folder}") from None
        self.log.info("EMR %s (%s) completed", name, step_id)
        return step_id


class BatchStepOperator(EmrStepOperator):
    """One batch step (emr/steps/<step>.json) for the plan's days: AddJobFlowSteps, then waits for
    the step. runner=local: ``./touchpoint batch --date D --through D2 --steps <step>``."""

    def __init__(self, *, step: str, **kwargs):
        if step not in emr_definitions.BATCH_STEPS:
            raise ValueError(f"unknown batch step {step!r}")
        super().__init__(**kwargs)
        self.step = step

    def execute(self, context):
        plan = _plan(context)
        first, last = plan["first_day"], plan["last_day"]
        if _runner(context) == "local":
            rules = context["params"].get("rules") or ""
            args = ["batch", "--date", first, "--through", last, "--steps", self.step]
            if rules:
                args += ["--rules", rules]
            context["ti"].xcom_push(key="step_log", value="this task's log (runner=local)")
            local_runner.run(args, f"batch {self.step} {first}..{last}")
            return None
        s = settings.EmrSettings.load()
        step = emr_definitions.batch_step(self.step, s.values(first, last, context["run_id"]))
        return self.run_step(context, f"batch step {self.step}", step)


class TerminateBatchClusterOperator(EmrTerminateJobFlowOperator):
    """Always terminates the run's cluster (a teardown: runs whatever happened upstream).
    runner=local, or no cluster created: nothing to do."""

    def __init__(self, **kwargs):
        super().__init__(job_flow_id=CLUSTER_ID, aws_conn_id=settings.AWS_CONN_ID,
                         botocore_config=settings.BOTO_RETRIES, **kwargs)

    def execute(self, context):
        if _runner(context) == "local":
            self.log.info("runner=local: no cluster to terminate")
            return None
        if not self.job_flow_id or self.job_flow_id == "None":
            self.log.warning("no cluster was created for this run: nothing to terminate")
            return None
        self.log.info("terminating %s", self.job_flow_id)
        return super().execute(context)
