import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from superset_fixtures import admin_api, analyst_api, analyst_stack, clickhouse  # noqa: E402,F401

pytest_plugins = ["touchpoint_stack.pytest_plugin"]
