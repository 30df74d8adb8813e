"""Runs touchpoint_nightly for one day with runner=local on the embedded stack, in this process
(Airflow's ``dag.test()``: the scheduler's logic without a scheduler), and prints one line per task.

    python -m touchpoint_dags.run_local --date 2026-01-01 [--rules FILE] [--no-druid] [--max-drift 0.05]

Connections come from the running stack (``<data>/run/stack.json``); AIRFLOW_HOME is
``<data>/airflow`` with a SQLite metadata database. Exit 0 when the run succeeded, 1 otherwise.
Used by ``./touchpoint demo`` and the DAG tests.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

DAGS = Path(__file__).resolve().parents[1]
REPO = DAGS.parent


def stack_environment(info: dict) -> dict[str, str]:
    """Airflow connections and variables (as AIRFLOW_CONN_* / AIRFLOW_VAR_*) for the embedded stack."""
    s3 = info["s3"]
    ch = info["clickhouse"]["url"].split("://", 1)[1].rstrip("/")
    ch_host, ch_port = ch.rsplit(":", 1)
    env = {
        "AIRFLOW_CONN_TOUCHPOINT_LAKE": json.dumps({
            "conn_type": "aws", "login": s3["access_key"], "password": s3["secret_key"],
            "extra": {"endpoint_url": s3["endpoint"], "region_name": s3.get("region", "us-east-1"),
                      "lake_root": f"s3a://{s3['bucket']}",
                      "config_kwargs": {"s3": {"addressing_style": "path"}}}}),
        "AIRFLOW_CONN_TOUCHPOINT_CLICKHOUSE": json.dumps({
            "conn_type": "generic", "host": ch_host, "port": int(ch_port),
            "schema": os.environ.get("TOUCHPOINT_CLICKHOUSE_DATABASE", "touchpoint")}),
        "AIRFLOW_VAR_TOUCHPOINT_CLI": str(REPO / "touchpoint"),
    }
    druid = (info.get("druid") or {}).get("router")
    if druid:
        host, port = druid.split("://", 1)[1].rstrip("/").rsplit(":", 1)
        env["AIRFLOW_CONN_TOUCHPOINT_DRUID"] = json.dumps({"conn_type": "druid", "host": host, "port": int(port),
                                                            "extra": {"endpoint": "/druid/v2/sql"}})
    return env


def prepare_airflow(home: Path, env: dict[str, str]) -> None:
    """Environment for Airflow in this process; call before importing airflow."""
    home.mkdir(parents=True, exist_ok=True)
    os.environ.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "false",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "TOUCHPOINT_REPO": str(REPO),
        **env,
    })
    if str(DAGS) not in sys.path:
        sys.path.insert(0, str(DAGS))


def run_day(day: date, rules: str = "", druid: bool = True, max_drift: float = 0.05):
    """dag.test() of touchpoint_nightly for ``day``; returns (DagRun, {task: (state, seconds)})."""
    from airflow.models import DagBag
    from airflow.utils import db

    db.initdb()
    bag = DagBag(dag_folder=str(DAGS))
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    dag = bag.dags["touchpoint_nightly"]
    for task in dag.tasks:
        task.retries = 0  # on one machine a failure is final: show it at once
    dag.deadline = None  # Airflow 3.3.2's dag.test() cannot end a run that has one (see tests)
    conf = {"runner": "local", "rules": rules, "druid": druid, "max_drift": max_drift}
    run = dag.test(logical_date=datetime(day.year, day.month, day.day, tzinfo=timezone.utc), run_conf=conf)
    tasks = {}
    for ti in sorted(run.get_task_instances(), key=lambda t: (t.start_date or run.start_date, t.task_id)):
        seconds = (ti.end_date - ti.start_date).total_seconds() if ti.start_date and ti.end_date else 0.0
        name = ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]"
        tasks[name] = (getattr(ti.state, "value", str(ti.state)), seconds)
    return run, tasks


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m touchpoint_dags.run_local", description=__doc__.split("\n\n")[0])
    p.add_argument("--date", required=True, type=date.fromisoformat, help="the UTC day (YYYY-MM-DD)")
    p.add_argument("--rules", default="", help="attribution rules overlay for the batch")
    p.add_argument("--no-druid", action="store_true", help="skip the Druid re-index")
    p.add_argument("--max-drift", type=float, default=0.05, help="largest speed vs batch drift accepted")
    args = p.parse_args(argv)
    sys.path.insert(0, str(REPO / "local" / "python"))
    from touchpoint_stack import stack

    info_file = stack.data_dir() / "run" / "stack.json"
    if not info_file.is_file():
        print(f"run_local: no running stack ({info_file} missing): ./touchpoint up first", file=sys.stderr)
        return 2
    info = json.loads(info_file.read_text())
    prepare_airflow(Path(info["airflow"]["home"]), stack_environment(info))
    started = time.monotonic()
    run, tasks = run_day(args.date, args.rules, not args.no_druid, args.max_drift)
    print(f"touchpoint_nightly {args.date} (runner=local): {run.state} in {time.monotonic() - started:.1f} s")
    for name, (state, seconds) in tasks.items():
        print(f"  {name:<24} {state:<16} {seconds:7.1f} s")
    return 0 if getattr(run.state, "value", run.state) == "success" else 1


if __name__ == "__main__":
    sys.exit(main())
