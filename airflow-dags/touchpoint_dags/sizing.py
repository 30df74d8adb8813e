"""The batch cluster's size from the day's input volume (the rule in emr/sizing.json).

Rule: one fleet unit (one vCPU) per ``bytes_per_unit`` of the day's bronze input, rounded up to
``unit_step`` (one 2xlarge node) and clamped to ``[min_task_units, max_task_units]``: that is the
spot task fleet's target. Core keeps its fixed on-demand + spot units (the drivers and the HDFS
scratch live there). Managed scaling may grow the task fleet to ``scaling_headroom`` times the
target (the attribute step's shuffle peaks) and shrink it back to the target, never below.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ClusterSize:
    input_bytes: int
    core_on_demand_units: int
    core_spot_units: int
    task_spot_units: int
    max_units: int

    @property
    def min_units(self) -> int:
        return self.core_on_demand_units + self.core_spot_units + self.task_spot_units

    def describe(self) -> str:
        return (f"input {self.input_bytes / 2**30:.2f} GiB -> core {self.core_on_demand_units} on-demand + "
                f"{self.core_spot_units} spot units, task {self.task_spot_units} spot units, "
                f"managed scaling {self.min_units}..{self.max_units} units")


def size_for(input_bytes: int, rule: dict) -> ClusterSize:
    if input_bytes < 0:
        raise ValueError(f"input bytes must not be negative: {input_bytes}")
    step = int(rule["unit_step"])
    wanted = math.ceil(input_bytes / int(rule["bytes_per_unit"]) / step) * step
    task = min(max(wanted, int(rule["min_task_units"])), int(rule["max_task_units"]))
    core_od, core_spot = int(rule["core_on_demand_units"]), int(rule["core_spot_units"])
    peak_task = min(int(math.ceil(task * float(rule["scaling_headroom"]) / step) * step), int(rule["max_task_units"]))
    return ClusterSize(input_bytes, core_od, core_spot, task, core_od + core_spot + peak_task)
