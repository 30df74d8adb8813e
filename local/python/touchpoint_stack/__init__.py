"""Python side of the Touchpoint embedded stack.

* ``touchpoint_stack.clickhouse_http``: the ClickHouse HTTP interface served by the
  ClickHouse engine (chDB); started by the stack's ``up``.
* ``touchpoint_stack.stack``: addresses of a running stack (``<data>/run/stack.json``) and
  starting it through the launcher when needed.
* ``touchpoint_stack.pytest_plugin``: pytest fixtures over it (``pytest_plugins = [...]``).
"""
