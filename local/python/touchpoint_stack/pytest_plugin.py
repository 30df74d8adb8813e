"""pytest fixtures over the embedded stack.

Use from a conftest.py::

    pytest_plugins = ["touchpoint_stack.pytest_plugin"]

(with ``local/python`` on ``sys.path``/``PYTHONPATH``), then::

    @pytest.mark.stack_services("kafka", "clickhouse")
    def test_something(stack):
        table = stack.unique_name("installs")
        stack.clickhouse(f"CREATE TABLE {table} ...")

Services are started once per pytest session (ones that already answer are reused); at the end
of the session the plugin stops only what it started, unless ``TOUCHPOINT_STACK_KEEP=1``.
"""

from __future__ import annotations

import os

import pytest

from touchpoint_stack import stack as _stack


def pytest_configure(config):
    config.addinivalue_line("markers", "stack_services(*names): services a test needs from the embedded stack "
                                       "(default: kafka, s3, clickhouse)")


@pytest.fixture(scope="session")
def _stack_session():
    session = {"ensured": set(), "stack": None, "started": []}
    yield session
    if os.environ.get("TOUCHPOINT_STACK_KEEP", "").lower() not in ("1", "true"):
        _stack.stop(session["started"])


@pytest.fixture
def stack(request, _stack_session) -> _stack.Stack:
    marker = request.node.get_closest_marker("stack_services")
    wanted = tuple(marker.args) if marker else ("kafka", "s3", "clickhouse")
    if not set(wanted) <= _stack_session["ensured"] or _stack_session["stack"] is None:
        _stack_session["stack"], started = _stack.ensure(wanted)
        _stack_session["started"] += [s for s in started if s not in _stack_session["started"]]
        _stack_session["ensured"] |= set(wanted)
    return _stack_session["stack"]
