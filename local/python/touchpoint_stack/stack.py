"""Addresses of the embedded stack for Python code, and starting it through the launcher.

The Java launcher owns the stack (``up``/``down``/``status``); on every ``up`` it writes
``<data>/run/stack.json`` with every address. This module reads that file from the same data
directory the launcher uses (``TOUCHPOINT_HOME``, else ``.touchpoint`` under the repository
root) and, when a service is not answering, runs the launcher to start it.
"""

from __future__ import annotations

import json
import os
import shlex
import socket
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

SERVICES = ("kafka", "s3", "clickhouse", "druid", "airflow", "superset")


def repo_root() -> Path:
    env = os.environ.get("TOUCHPOINT_REPO")
    if env:
        return Path(env).resolve()
    for p in [Path.cwd(), *Path.cwd().parents, *Path(__file__).resolve().parents]:
        if (p / "local" / "engines").is_dir():
            return p
    raise RuntimeError("cannot find the Touchpoint repository; set TOUCHPOINT_REPO")


def data_dir() -> Path:
    home = os.environ.get("TOUCHPOINT_HOME", ".touchpoint")
    p = Path(home)
    return p if p.is_absolute() else repo_root() / p


def launcher() -> list[str]:
    """The command that runs the stack commands: TOUCHPOINT_STACK_LAUNCHER, the project launcher, or StackMain."""
    env = os.environ.get("TOUCHPOINT_STACK_LAUNCHER")
    if env:
        return shlex.split(env)
    root = repo_root()
    classes = root / "local" / "target" / "classes"
    cp_file = root / "local" / "target" / "cp.txt"
    if classes.is_dir() and cp_file.is_file():
        cp = f"{classes}:{cp_file.read_text().strip()}"
        return ["java", "-cp", cp, "io.touchpoint.local.cli.StackMain"]
    if (root / "touchpoint").is_file():
        return [str(root / "touchpoint")]
    raise RuntimeError("no launcher: build it with `./mvnw -q -B -pl local install -DskipTests` "
                       "or set TOUCHPOINT_STACK_LAUNCHER")


@dataclass
class Stack:
    """A running stack's addresses (from stack.json) plus fresh names for tests."""

    info: dict
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:6])
    _n: int = 0

    @property
    def data_dir(self) -> Path:
        return Path(self.info["data_dir"])

    @property
    def kafka_bootstrap(self) -> str:
        return self.info["kafka"]["bootstrap"]

    @property
    def s3(self) -> dict:
        """endpoint, access_key, secret_key, region, bucket (the lake bucket)."""
        return self.info["s3"]

    @property
    def clickhouse_url(self) -> str:
        return self.info["clickhouse"]["url"]

    @property
    def clickhouse_analyst(self) -> tuple[str, str]:
        """(user, password) of the read-only analyst user (profile readonly = 2)."""
        c = self.info["clickhouse"]
        return c["analyst_user"], Path(c["analyst_password_file"]).read_text().strip()

    @property
    def druid(self) -> dict:
        """router, broker, coordinator URLs."""
        return self.info["druid"]

    @property
    def venv(self) -> Path:
        return Path(self.info["python"]["venv"])

    @property
    def superset(self) -> dict:
        """url, home (passwords in admin.password / analyst.password), venv."""
        return self.info["superset"]

    @property
    def airflow_home(self) -> Path:
        return Path(self.info["airflow"]["home"])

    def unique_name(self, prefix: str) -> str:
        """``prefix_<run>_<n>``: unique to this run, valid as a topic or SQL identifier."""
        self._n += 1
        safe = "".join(c if c.isalnum() or c == "_" else "_" for c in prefix.lower())
        return f"{safe}_{self.run_id}_{self._n}"

    def clickhouse(self, sql: str, fmt: str | None = None, data: bytes | None = None) -> str:
        """Runs one statement through the ClickHouse HTTP interface; raises on an engine error."""
        from urllib.parse import quote

        url = self.clickhouse_url + "/"
        body = sql.encode()
        if data is not None:
            url += "?query=" + quote(sql)
            body = data
        req = urllib.request.Request(url, data=body, method="POST")
        if fmt:
            req.add_header("X-ClickHouse-Format", fmt)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.read().decode()
        except urllib.error.HTTPError as e:
            raise RuntimeError(e.read().decode().strip()) from None


def load() -> Stack | None:
    f = data_dir() / "run" / "stack.json"
    return Stack(json.loads(f.read_text())) if f.is_file() else None


def _answers(info: dict, service: str) -> bool:
    try:
        if service == "kafka":
            host, port = info["kafka"]["bootstrap"].rsplit(":", 1)
            with socket.create_connection((host, int(port)), timeout=1):
                return True
        if service == "s3":
            return _http_status(info["s3"]["endpoint"] + "/") in (200, 403)
        if service == "clickhouse":
            return _http_status(info["clickhouse"]["url"] + "/ping") == 200
        if service == "druid":
            return _http_status(info["druid"]["broker"] + "/druid/broker/v1/readiness") == 200
        if service == "superset":
            return "superset" in info and _http_status(info["superset"]["url"] + "/health") == 200
        if service == "airflow":
            return (Path(info["python"]["venv"]) / "bin" / "airflow").exists()
    except OSError:
        return False
    return False


def _http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def _run_launcher(*args: str) -> None:
    t0 = time.monotonic()
    cmd = [*launcher(), *args]
    if "TOUCHPOINT_HOME" in os.environ:
        cmd += ["--data-dir", str(data_dir())]
    done = subprocess.run(cmd, cwd=repo_root(), text=True, capture_output=True)
    if done.returncode != 0:
        raise RuntimeError(f"`stack {' '.join(args)}` failed after {time.monotonic() - t0:.1f} s:\n"
                           f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def ensure(services: tuple[str, ...] | list[str] = ("kafka", "s3", "clickhouse")) -> tuple[Stack, list[str]]:
    """Returns the stack and the services this call started, running the launcher's
    ``up --only ...`` when a service does not answer."""
    unknown = set(services) - set(SERVICES)
    if unknown:
        raise ValueError(f"unknown services {sorted(unknown)}; known: {SERVICES}")
    current = load()
    missing = [s for s in services if current is None or not _answers(current.info, s)]
    if missing:
        _run_launcher("up", "--only", ",".join(services))
        current = load()
    return current, [s for s in missing if s != "airflow"]


def stop(services: list[str]) -> None:
    """Stops the given services through the launcher (data kept)."""
    if services:
        _run_launcher("down", "--only", ",".join(services))
