"""Helpers and fixtures of the Superset tests (conftest.py exposes the fixtures): the embedded stack (ClickHouse + Superset), the demo day in a
test database, and the dashboards bundle imported on that database.

The bundle is imported with the test database's URI for the session and re-imported with the
stack's configured URI at the end, so a developer's dashboards point where they did before.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "local" / "python"), str(Path(__file__).resolve().parent),
                str(ROOT / "serving" / "superset")]

import demo_day  # noqa: E402
from superset_api import Superset  # noqa: E402

TEST_DATABASE = "touchpoint_analyst_test"


def provision(stack, clickhouse_uri: str) -> None:
    """Runs the stack's Superset setup (idempotent) with the bundle on the given ClickHouse URI."""
    home = Path(stack.superset["home"])
    cmd = [str(Path(stack.superset["venv"]) / "bin" / "python"), "-m", "touchpoint_stack.superset_setup",
           "--home", str(home), "--port", stack.superset["url"].rsplit(":", 1)[1],
           "--bundle", str(ROOT / "serving" / "superset" / "bundle"), "--clickhouse-uri", clickhouse_uri]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "local" / "python"), PYTHONWARNINGS="ignore")
    done = subprocess.run(cmd, cwd=home, env=env, text=True, capture_output=True)
    if done.returncode != 0:
        raise RuntimeError(f"superset setup failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    # the stack's marker no longer describes what is imported: the next `up` imports again
    (home / "provisioned.sha256").unlink(missing_ok=True)


def clickhouse_uri(stack, database: str) -> str:
    host_port = stack.clickhouse_url.split("://", 1)[1]
    return f"clickhousedb://default@{host_port}/{database}"


@pytest.fixture(scope="session")
def analyst_stack(_stack_session):
    """The stack with the demo day in TEST_DATABASE and the bundle imported on it."""
    from touchpoint_stack import stack as stack_module

    stack, started = stack_module.ensure(("clickhouse", "superset"))
    _stack_session["started"] += [s for s in started if s not in _stack_session["started"]]
    demo_day.load(stack.clickhouse_url, TEST_DATABASE)
    provision(stack, clickhouse_uri(stack, TEST_DATABASE))
    yield stack
    if "superset" not in _stack_session["started"] or os.environ.get("TOUCHPOINT_STACK_KEEP"):
        # a Superset that stays up: back to the configured URI (the marker is gone, so `up` imports)
        stack_module._run_launcher("up", "--only", "superset")


def password(stack, user: str) -> str:
    return (Path(stack.superset["home"]) / f"{user}.password").read_text().strip()


@pytest.fixture(scope="session")
def analyst_api(analyst_stack) -> Superset:
    return Superset.login(analyst_stack.superset["url"], "analyst", password(analyst_stack, "analyst"))


@pytest.fixture(scope="session")
def admin_api(analyst_stack) -> Superset:
    return Superset.login(analyst_stack.superset["url"], "admin", password(analyst_stack, "admin"))


@pytest.fixture(scope="session")
def clickhouse(analyst_stack):
    """The official ClickHouse client on the test database (the driver Superset uses)."""
    import clickhouse_connect

    host, port = analyst_stack.clickhouse_url.split("://", 1)[1].split(":")
    client = clickhouse_connect.get_client(host=host, port=int(port), database=TEST_DATABASE)
    yield client
    client.close()
