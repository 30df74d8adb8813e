"""Run-time settings of the Touchpoint DAGs: Airflow Variables and Connections, read when a task
runs (never when the DAG file is parsed). Documented in airflow-dags/README.md."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

# Connections
AWS_CONN_ID = "touchpoint_aws"  # EMR API (and SNS alerts)
LAKE_CONN_ID = "touchpoint_lake"  # the lake's S3 (the embedded S3Proxy on one machine)
CLICKHOUSE_CONN_ID = "touchpoint_clickhouse"  # ClickHouse HTTP interface
DRUID_CONN_ID = "touchpoint_druid"  # Druid router / broker (SQL)

# Variables
EMR_VARIABLE = "touchpoint_emr"  # JSON, see EmrSettings
CLI_VARIABLE = "touchpoint_cli"  # the touchpoint launcher on the worker
ALERTS_VARIABLE = "touchpoint_alerts_sns_topic"  # optional SNS topic ARN for failures and deadlines

RUNNERS = ("emr", "local")
BOTO_RETRIES = {"retries": {"mode": "adaptive", "max_attempts": 10}}

# where the speed layer marks a day complete (progress past the day's end + the lateness allowance)
DAY_COMPLETE_MARKER = "_markers/day_complete/date={day}/_SUCCESS"


@dataclass(frozen=True)
class EmrSettings:
    """Variable ``touchpoint_emr`` (JSON). Everything an environment differs in; no defaults for
    accounts, buckets or roles."""

    release_uri: str
    log_uri: str
    lake_root: str
    rules_uri: str
    subnet_ids: list[str]
    service_role: str
    job_flow_role: str
    environment: str
    release_dir: str = "/opt/touchpoint"
    poll_seconds: int = 30
    extra: dict[str, Any] = field(default_factory=dict)

    REQUIRED = ("release_uri", "log_uri", "lake_root", "rules_uri", "subnet_ids", "service_role", "job_flow_role",
                "environment")

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "EmrSettings":
        missing = [k for k in cls.REQUIRED if not d.get(k)]
        if missing:
            raise ValueError(f"Variable {EMR_VARIABLE} lacks {', '.join(missing)} (see airflow-dags/README.md)")
        known = {k: d[k] for k in (*cls.REQUIRED, "release_dir", "poll_seconds") if k in d}
        return cls(**known, extra={k: v for k, v in d.items() if k not in known})

    @classmethod
    def load(cls) -> "EmrSettings":
        from airflow.sdk import Variable

        return cls.from_dict(Variable.get(EMR_VARIABLE, deserialize_json=True))

    def values(self, first_day: str, last_day: str, run_id: str) -> dict[str, Any]:
        """Placeholder values for the emr/ definitions."""
        return {
            "date": first_day, "through": last_day, "run_id": run_id[:256],
            "release_uri": self.release_uri.rstrip("/"), "release_dir": self.release_dir.rstrip("/"),
            "log_uri": self.log_uri, "lake_root": self.lake_root.rstrip("/"), "rules_uri": self.rules_uri,
            "subnet_ids": list(self.subnet_ids), "service_role": self.service_role,
            "job_flow_role": self.job_flow_role, "environment": self.environment,
        }


def lake_bucket_and_prefix(lake_root: str) -> tuple[str, str]:
    """``s3a://bucket/prefix`` -> (bucket, prefix without slashes)."""
    u = urlparse(lake_root)
    if u.scheme not in ("s3", "s3a") or not u.netloc:
        raise ValueError(f"lake root must be s3:// or s3a://bucket[/prefix], got {lake_root!r}")
    return u.netloc, u.path.strip("/")


def lake_key(prefix: str, key: str) -> str:
    return f"{prefix}/{key}" if prefix else key


def cli_command() -> list[str]:
    """The touchpoint launcher: Variable ``touchpoint_cli``, else ``./touchpoint`` of this repository."""
    from airflow.sdk import Variable

    configured = Variable.get(CLI_VARIABLE, default=None)
    if configured:
        return configured.split()
    repo = Path(os.environ.get("TOUCHPOINT_REPO") or Path(__file__).resolve().parents[2])
    launcher = repo / "touchpoint"
    if not launcher.is_file():
        raise FileNotFoundError(f"no touchpoint launcher at {launcher}: set Variable {CLI_VARIABLE} or TOUCHPOINT_REPO")
    return [str(launcher)]
