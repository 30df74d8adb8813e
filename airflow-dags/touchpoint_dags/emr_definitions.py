"""The EMR definitions of emr/ (data files) rendered for one run.

Every string in a definition may hold ``${name}`` placeholders; a string that is exactly one
placeholder takes the value as it is (so ``"${subnet_ids}"`` becomes a list). An unknown
placeholder is an error, never an empty string. Reading happens when a task runs, not when the
DAG file is parsed.
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any, Mapping

from touchpoint_dags.sizing import ClusterSize

BATCH_STEPS = ("compact", "attribute", "aggregate", "export", "reconcile")
_PLACEHOLDER = re.compile(r"\$\{([a-z_]+)\}")


def emr_dir() -> Path:
    """``$TOUCHPOINT_EMR_DIR``, else ``emr/`` beside the DAG folder (the repository layout)."""
    env = os.environ.get("TOUCHPOINT_EMR_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "emr"


def load(name: str, directory: Path | None = None) -> Any:
    path = (directory or emr_dir()) / name
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise FileNotFoundError(f"EMR definition {path} is missing (set TOUCHPOINT_EMR_DIR to the emr/ folder)") from None


def render(node: Any, values: Mapping[str, Any]) -> Any:
    """A copy of ``node`` with every ``${name}`` replaced from ``values``."""
    if isinstance(node, dict):
        return {k: render(v, values) for k, v in node.items() if not k.startswith("_")}
    if isinstance(node, list):
        return [render(v, values) for v in node]
    if isinstance(node, str):
        whole = _PLACEHOLDER.fullmatch(node)
        if whole:
            return copy.deepcopy(_value(whole.group(1), values))
        return _PLACEHOLDER.sub(lambda m: str(_value(m.group(1), values)), node)
    return node


def _value(name: str, values: Mapping[str, Any]) -> Any:
    if values.get(name) is None:
        raise KeyError(f"EMR definition placeholder ${{{name}}} has no value (known: {', '.join(sorted(values))})")
    return values[name]


def batch_cluster_request(values: Mapping[str, Any], size: ClusterSize, directory: Path | None = None) -> dict:
    """The RunJobFlow request of the nightly batch cluster, sized for the day's input."""
    request = render(load("batch-cluster.json", directory), values)
    fleets = {f["InstanceFleetType"]: f for f in request["Instances"]["InstanceFleets"]}
    fleets["CORE"]["TargetOnDemandCapacity"] = size.core_on_demand_units
    fleets["CORE"]["TargetSpotCapacity"] = size.core_spot_units
    fleets["TASK"]["TargetOnDemandCapacity"] = 0
    fleets["TASK"]["TargetSpotCapacity"] = size.task_spot_units
    limits = request["ManagedScalingPolicy"]["ComputeLimits"]
    limits["MinimumCapacityUnits"] = size.min_units
    limits["MaximumCapacityUnits"] = size.max_units
    limits["MaximumCoreCapacityUnits"] = size.core_on_demand_units + size.core_spot_units
    limits["MaximumOnDemandCapacityUnits"] = size.core_on_demand_units
    return request


def batch_step(step: str, values: Mapping[str, Any], directory: Path | None = None) -> dict:
    """The AddJobFlowSteps entry of one batch step (emr/steps/<step>.json)."""
    if step not in BATCH_STEPS:
        raise ValueError(f"unknown batch step {step!r}; steps: {', '.join(BATCH_STEPS)}")
    return render(load(f"steps/{step}.json", directory), values)


def erase_step(values: Mapping[str, Any], directory: Path | None = None) -> dict:
    """The AddJobFlowSteps entry of an erasure (emr/steps/erase.json): needs ``app``, ``device``,
    ``request`` and ``report_uri`` besides the settings' values."""
    return render(load("steps/erase.json", directory), values)


def speed_cluster_request(values: Mapping[str, Any], directory: Path | None = None) -> dict:
    """The RunJobFlow request of the speed layer's long-running cluster, with its step."""
    request = render(load("speed-cluster.json", directory), values)
    request["Steps"] = [render(load("steps/speed-layer.json", directory), values)]
    return request


def step_log_uri(log_uri: str, cluster_id: str, step_id: str) -> str:
    """Where EMR writes a step's stdout/stderr (``<LogUri>/<cluster>/steps/<step>/``)."""
    return f"{log_uri.rstrip('/')}/{cluster_id}/steps/{step_id}/"


def main(argv=None) -> int:
    """Prints a rendered definition for the AWS CLI (``--cli-input-json``): for rerunning one step
    by hand, or creating the speed cluster. Settings: the ``touchpoint_emr`` Variable's JSON."""
    import argparse
    import sys

    from touchpoint_dags.settings import EmrSettings
    from touchpoint_dags.sizing import size_for

    p = argparse.ArgumentParser(prog="python -m touchpoint_dags.emr_definitions", description=main.__doc__)
    p.add_argument("what", choices=["batch-cluster", "step", "speed-cluster"])
    p.add_argument("step", nargs="?", choices=BATCH_STEPS, help="with 'step': which batch step")
    p.add_argument("--settings", required=True, help="JSON file with the touchpoint_emr Variable's value")
    p.add_argument("--date", help="the (first) day, YYYY-MM-DD")
    p.add_argument("--through", help="the last day (default: --date)")
    p.add_argument("--cluster-id", help="with 'step': the cluster to add it to (j-...)")
    p.add_argument("--input-gib", type=float, default=0, help="with 'batch-cluster': the day's input size")
    p.add_argument("--release", help="with 'speed-cluster': the release name (tag)")
    p.add_argument("--checkpoint", help="with 'speed-cluster': the checkpoint to start from")
    p.add_argument("--kafka-bootstrap", help="with 'speed-cluster': the brokers")
    a = p.parse_args(argv)
    s = EmrSettings.from_dict(json.loads(Path(a.settings).read_text()))
    values = s.values(a.date or "", a.through or a.date or "", "manual")
    try:
        if a.what == "batch-cluster":
            out = batch_cluster_request(values, size_for(int(a.input_gib * 2**30), load("sizing.json")))
        elif a.what == "step":
            if not a.step or not a.cluster_id or not a.date:
                p.error("step needs a step name, --cluster-id and --date")
            out = {"ClusterId": a.cluster_id, "Steps": [batch_step(a.step, values)]}
        else:
            out = speed_cluster_request({**values, "release": a.release, "checkpoint": a.checkpoint,
                                         "kafka_bootstrap": a.kafka_bootstrap})
    except KeyError as e:
        print(f"emr_definitions: {e.args[0]}", file=sys.stderr)
        return 2
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
