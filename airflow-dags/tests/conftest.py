"""Airflow for the DAG tests: a throw-away AIRFLOW_HOME with a SQLite metadata database, the
DAG folder and the embedded stack's Python helpers on sys.path. Set before Airflow is imported."""

from __future__ import annotations

import os
import sys
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

