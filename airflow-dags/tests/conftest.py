"""Airflow for the DAG tests: a throw-away AIRFLOW_HOME with a SQLite metadata database, the
DAG folder and the embedded stack's Python helpers on sys.path. Set before Airflow is imported."""

from __future__ import annotations

import os
import sys
import time
import tempfile
from pathlib import Path

DAGS = Path(__file__).resolve().parents[1]
REPO = DAGS.parent
_home = Path(tempfile.mkdtemp(prefix="touchpoint-airflow-"))
os.environ.update({
    "AIRFLOW_HOME": str(_home),
    "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "false",
    "AIRFLOW__CORE__UNIT_TEST_MODE": "false",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_home}/airflow.db",
    "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
    "TOUCHPOINT_REPO": str(REPO),
})
for p in (str(DAGS), str(REPO / "local" / "python")):
    if p not in sys.path:
        sys.path.insert(0, p)

pytest_plugins = ["touchpoint_stack.pytest_plugin"]

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def airflow_db():
    """Migrates the metadata database once (dag.test() records runs and task instances)."""
    from airflow.utils import db

    db.initdb()
    return _home


@pytest.fixture(scope="session")
def dagbag():
    from airflow.models import DagBag

    return DagBag(dag_folder=str(DAGS))


@pytest.fixture(scope="session")
def nightly_day():
    """One small simulated day on the embedded stack, as the nightly DAG finds it: the simulator's
    day D (three days ago, so the stream's day-complete marker covers it) into Kafka, the speed
    layer until caught up (bronze, speed tables, the marker), and the simulated history compacted
    into silver (what earlier nights would have left). Yields day, simulation folder, stack info."""
    import json
    import subprocess
    from datetime import date, timedelta

    from touchpoint_dags.run_local import stack_environment
    from touchpoint_stack import stack as _stack

    handle, started = _stack.ensure(("kafka", "s3", "clickhouse"))
    day = date.today() - timedelta(days=3)
    sim = Path(tempfile.mkdtemp(prefix="touchpoint-dag-day-"))
    rules = sim / "attribution-overlay.conf"
    launcher = str(REPO / "touchpoint")

    def touchpoint(*args):
        t0 = time.monotonic()
        subprocess.run([launcher, *args], check=True, stdout=subprocess.DEVNULL)
        print(f"./touchpoint {' '.join(args[:3])}...: {time.monotonic() - t0:.1f} s")

    touchpoint("simulate", "--format", "kafka", "--days", "1", "--start-date", day.isoformat(), "--devices", "1000",
               "--seed", "11", "--out", str(sim), "--quiet")
    touchpoint("stream", "--until-caught-up", "--rules", str(rules))
    history = json.loads((sim / "manifest.json").read_text())["span"]["history_start"][:10]
    touchpoint("batch", "--date", history, "--through", (day - timedelta(days=1)).isoformat(), "--steps", "compact",
               "--rules", str(rules))
    os.environ.update(stack_environment(json.loads((handle.data_dir / "run" / "stack.json").read_text())))
    yield {"day": day, "sim": sim, "rules": str(rules), "stack": handle}
    if os.environ.get("TOUCHPOINT_STACK_KEEP", "").lower() not in ("1", "true"):
        _stack.stop(started)
