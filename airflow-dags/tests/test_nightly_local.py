"""touchpoint_nightly with runner=local, for real, on the embedded stack: one simulated day through
the whole graph (lake marker, the five batch steps as ./touchpoint commands, ClickHouse load,
checks), then ClickHouse holds the day's authoritative numbers — equal to the simulator's ground
truth — and a second run of the same day changes nothing."""

from __future__ import annotations

import json
import time
from collections import Counter

from touchpoint_dags.run_local import run_day

DB = "touchpoint"
TABLES = ("daily_installs", "daily_events", "retention", "ltv", "ctit_histogram", "speed_vs_batch")


def truth_counts(sim, day: str) -> Counter:
    """Install-table counts of ``day`` (UTC) from the simulator's truth (the complete data's verdicts)."""
    c = Counter()
    for line in (sim / "truth.jsonl").read_text().splitlines():
        t = json.loads(line)
        if t["event_day_utc"] != day:
            continue
        kind, outcome = t["kind"], t["outcome"]
        if kind == "INSTALL" and outcome in ("ATTRIBUTED", "ORGANIC"):
            c["installs"] += 1
            c["organic_installs"] += outcome == "ORGANIC"
        if kind == "RE_ATTRIBUTION" and outcome == "ATTRIBUTED":
            c["re_attributions"] += 1
        if outcome == "REJECTED":
            c["rejected"] += 1
    return c


def clickhouse_day(stack, day: str) -> dict:
    """Per table: row count and an order-independent hash of every row of the day."""
    out = {}
    for t in TABLES:
        out[t] = stack.clickhouse(
            f"SELECT count(), groupBitXor(cityHash64(*)) FROM {DB}.{t} WHERE event_date = '{day}'").strip()
    return out


def test_one_simulated_day_serves_the_truth_and_a_rerun_changes_nothing(airflow_db, nightly_day):
    day, stack = nightly_day["day"].isoformat(), nightly_day["stack"]
    started = time.monotonic()
    run, tasks = run_day(nightly_day["day"], rules=nightly_day["rules"], druid=False)
    first = time.monotonic() - started
    print(f"dag.test run 1: {run.state} in {first:.1f} s: {tasks}")
    assert run.state == "success", tasks
    # druid=false: the re-index is skipped, and with it the Druid check (never expanded: no map index)
    assert tasks["reindex_druid[0]"][0] == "skipped" and tasks["check_druid"][0] == "skipped"
    assert all(tasks[c][0] == "success" for c in ("check_gold_totals[0]", "check_reconciliation[0]",
                                                   "check_not_empty[0]"))

    installs = stack.clickhouse(
        f"SELECT sum(installs), sum(organic_installs), sum(re_attributions), sum(rejected) "
        f"FROM {DB}.daily_installs WHERE event_date = '{day}' FORMAT JSONEachRow")
    served = {k.split("(")[1].rstrip(")"): int(v) for k, v in json.loads(installs).items()}
    expected = truth_counts(nightly_day["sim"], day)
    assert served["installs"] > 0
    assert served == {k: expected[k] for k in served}, f"ClickHouse {served} vs truth {dict(expected)}"
    before = clickhouse_day(stack, day)

    started = time.monotonic()
    rerun, tasks = run_day(nightly_day["day"], rules=nightly_day["rules"], druid=False)
    print(f"dag.test run 2: {rerun.state} in {time.monotonic() - started:.1f} s")
    assert rerun.state == "success", tasks
    assert clickhouse_day(stack, day) == before
