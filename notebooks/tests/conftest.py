import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "local" / "python"), str(ROOT / "serving" / "superset" / "tests"), str(ROOT / "notebooks")]

pytest_plugins = ["touchpoint_stack.pytest_plugin"]
