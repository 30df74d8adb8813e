"""Failure and deadline alerts: one message that says what failed and where to read why, in the
task log and, when Variable ``touchpoint_alerts_sns_topic`` is set, on that SNS topic."""

from __future__ import annotations

import logging

from touchpoint_dags import settings

log = logging.getLogger("touchpoint.alerts")


def failure_message(context) -> str:
    ti = context["ti"]
    dag_id = ti.dag_id
    params = context.get("params") or {}
    step_log = ti.xcom_pull(task_ids=ti.task_id, key="step_log") if ti.task_id else None
    exception = context.get("exception")
    what = str(exception).splitlines()[0] if exception else "no exception recorded"
    message = (f"Touchpoint {dag_id} run {context.get('run_id')} (runner={params.get('runner')}): "
               f"task {ti.task_id} failed on try {ti.try_number}: {what}")
    if step_log and step_log not in message:
        message += f" | step log: {step_log}"
    log_url = getattr(ti, "log_url", None)
    if log_url:
        message += f" | task log: {log_url}"
    return message


def publish(subject: str, message: str) -> None:
    log.error("%s: %s", subject, message)
    from airflow.sdk import Variable

    topic = Variable.get(settings.ALERTS_VARIABLE, default=None)
    if not topic:
        return
    try:
        from airflow.providers.amazon.aws.hooks.sns import SnsHook

        SnsHook(aws_conn_id=settings.AWS_CONN_ID).publish_to_target(topic, message[:250_000], subject=subject[:100])
    except Exception:  # noqa: BLE001 - an alert that cannot be sent must not hide the failure itself
        log.exception("could not publish the alert to %s", topic)


def on_task_failure(context) -> None:
    publish("Touchpoint task failed", failure_message(context))


def deadline_missed(what: str, context=None, **_) -> None:
    """Deadline alert (airflow.sdk.DeadlineAlert): the day's authoritative numbers are late."""
    run = (context or {}).get("dag_run") if isinstance(context, dict) else None
    publish("Touchpoint deadline missed", f"{what}; run: {run}")
