"""runner=local: the same steps as `./touchpoint` commands on this machine (the embedded stack).

Endpoints and keys reach the commands through the environment variables the launcher's
configuration reads (TOUCHPOINT_S3_*, TOUCHPOINT_CLICKHOUSE_*, TOUCHPOINT_DRUID_ROUTER_URL),
built from the Airflow connections, so the same connections serve both runners.
"""

from __future__ import annotations

import logging
import os
import subprocess
import time
from typing import Mapping, Sequence

from touchpoint_dags import settings

log = logging.getLogger(__name__)


class CommandFailed(RuntimeError):
    """A touchpoint command exited non-zero; the message names it and where its output is."""


def connection_environment() -> dict[str, str]:
    """TOUCHPOINT_* variables from the connections that exist (a missing one is left out)."""
    from airflow.sdk import BaseHook

    env: dict[str, str] = {}

    def conn(conn_id):
        try:
            return BaseHook.get_connection(conn_id)
        except Exception:  # noqa: BLE001 - an absent connection means "not configured here"
            return None

    lake = conn(settings.LAKE_CONN_ID)
    if lake is not None:
        extra = lake.extra_dejson
        if extra.get("endpoint_url"):
            env["TOUCHPOINT_S3_ENDPOINT"] = extra["endpoint_url"]
        if lake.login:
            env["TOUCHPOINT_S3_ACCESS_KEY"] = lake.login
        if lake.password:
            env["TOUCHPOINT_S3_SECRET_KEY"] = lake.password
        if extra.get("region_name"):
            env["TOUCHPOINT_S3_REGION"] = extra["region_name"]
        if extra.get("lake_root"):
            bucket, _ = settings.lake_bucket_and_prefix(extra["lake_root"])
            env["TOUCHPOINT_S3_BUCKET"] = bucket
            env["TOUCHPOINT_LAKE"] = extra["lake_root"]
    ch = conn(settings.CLICKHOUSE_CONN_ID)
    if ch is not None:
        scheme = ch.extra_dejson.get("scheme", "http")
        env["TOUCHPOINT_CLICKHOUSE_URL"] = f"{scheme}://{ch.host}:{ch.port or 8123}"
        if ch.login:
            env["TOUCHPOINT_CLICKHOUSE_USER"] = ch.login
        if ch.password:
            env["TOUCHPOINT_CLICKHOUSE_PASSWORD"] = ch.password
        if ch.schema:
            env["TOUCHPOINT_CLICKHOUSE_DATABASE"] = ch.schema
    druid = conn(settings.DRUID_CONN_ID)
    if druid is not None:
        scheme = druid.extra_dejson.get("schema", "http")
        env["TOUCHPOINT_DRUID_ROUTER_URL"] = f"{scheme}://{druid.host}:{druid.port or 8888}"
    return env


def run(args: Sequence[str], what: str, extra_env: Mapping[str, str] | None = None) -> list[str]:
    """Runs the launcher with ``args``, its output line by line into the task log; returns the
    output lines. Raises CommandFailed (naming the command) on a non-zero exit."""
    command = [*settings.cli_command(), *args]
    env = {**os.environ, **connection_environment(), **(extra_env or {})}
    log.info("%s: %s", what, " ".join(command))
    started = time.monotonic()
    lines: list[str] = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                          bufsize=1) as p:
        assert p.stdout is not None
        for line in p.stdout:
            line = line.rstrip("\n")
            lines.append(line)
            log.info("| %s", line)
        code = p.wait()
    elapsed = time.monotonic() - started
    if code != 0:
        tail = "\n".join(lines[-15:])
        raise CommandFailed(f"{what} failed (exit {code} after {elapsed:.0f} s): {' '.join(command)}\n"
                            f"last output:\n{tail}")
    log.info("%s done in %.1f s", what, elapsed)
    return lines
