"""The analyst notebooks: committed without outputs, and executed by `./touchpoint notebooks` on a
simulated demo day with no cell error, their headline numbers equal to direct ClickHouse queries."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import nbformat
import pytest

import demo_day
import run_reports

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "touchpoint_notebook_test"
DAYS = 7
FIRST = demo_day.DAY - dt.timedelta(days=DAYS - 1)
W = f"BETWEEN toDate('{FIRST}') AND toDate('{demo_day.DAY}')"
COHORTS = f"(SELECT sum(users) FROM retention WHERE day_n = 0 AND cohort_day {W})"
# every headline a notebook reports, computed here from the gold tables alone
DIRECT = {
    "attribution_overview": {
        "installs": f"SELECT sum(installs) FROM daily_installs WHERE day {W}",
        "organic": f"SELECT sum(organic_installs) FROM daily_installs WHERE day {W}",
        "paid": f"SELECT sum(installs) - sum(organic_installs) FROM daily_installs WHERE day {W}",
        "organic_share": f"SELECT sum(organic_installs) / sum(installs) FROM daily_installs WHERE day {W}",
        "rejected": f"SELECT sum(rejected) FROM daily_installs WHERE day {W}",
        "today_installs": f"SELECT sum(installs) FROM daily_installs WHERE day = toDate('{demo_day.DAY}')",
    },
    "retention_cohorts": {
        "cohort_users": f"SELECT {COHORTS}",
        "d1_rate": f"SELECT (SELECT sum(users) FROM retention WHERE day_n = 1 AND cohort_day {W}) / {COHORTS}",
        "d7_rate": f"SELECT (SELECT sum(users) FROM retention WHERE day_n = 7 AND cohort_day {W}) / {COHORTS}",
    },
    "revenue_ltv": {
        "cohort_users": f"SELECT {COHORTS}",
        "revenue_total": f"SELECT toFloat64(sum(revenue_usd)) FROM ltv WHERE cohort_day {W}",
        "ltv_total": f"SELECT toFloat64((SELECT sum(revenue_usd) FROM ltv WHERE cohort_day {W})) / {COHORTS}",
    },
    "fraud": {
        "click_installs": f"SELECT sum(installs) FROM ctit_histogram WHERE day {W}",
        "rejected": f"SELECT sum(rejected) FROM ctit_histogram WHERE day {W}",
        "under_10s_share": f"SELECT sumIf(installs, bucket_start_seconds = 0) / sum(installs) FROM ctit_histogram "
                           f"WHERE day {W}",
        "rejected_by_reason": f"SELECT sum(rejected_ctit + rejected_click_injection + rejected_click_flooding) "
                              f"FROM daily_installs WHERE day {W}",
    },
    "speed_vs_batch": {
        "matched": f"SELECT sum(matched) FROM speed_vs_batch WHERE event_date {W}",
        "differences": f"SELECT sum(touch_arrived_after_install + late_install + duplicate + batch_only_fraud_signal "
                       f"+ other) FROM speed_vs_batch WHERE event_date {W}",
        "agreement": f"SELECT sum(matched) / sum(matched + touch_arrived_after_install + late_install + duplicate "
                     f"+ batch_only_fraud_signal + other) FROM speed_vs_batch WHERE event_date {W}",
    },
}


@pytest.mark.parametrize("name", run_reports.NOTEBOOKS)
def test_notebook_is_committed_without_outputs_and_parameterised(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), f"{name}.ipynb has outputs: clear them"
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, f"{name}.ipynb needs one cell tagged 'parameters'"
    for p in ("clickhouse_url", "database", "app", "report_date", "days", "time_zone", "output_dir"):
        assert f"{p} =" in params[0].source, f"{name}.ipynb: parameter {p} missing"


def test_every_notebook_has_an_independent_check():
    assert set(DIRECT) == set(run_reports.NOTEBOOKS)


@pytest.fixture(scope="module")
def reports(tmp_path_factory, _stack_session):
    from touchpoint_stack import stack as stack_module

    stack, started = stack_module.ensure(("clickhouse",))
    _stack_session["started"] += [s for s in started if s not in _stack_session["started"]]
    demo_day.load(stack.clickhouse_url, DATABASE)
    out = tmp_path_factory.mktemp("notebooks")
    env = dict(os.environ, TOUCHPOINT_CLICKHOUSE_URL=stack.clickhouse_url, TOUCHPOINT_CLICKHOUSE_DATABASE=DATABASE)
    done = subprocess.run([str(ROOT / "touchpoint"), "notebooks", "--date", str(demo_day.DAY), "--days", str(DAYS),
                           "--out", str(out)], cwd=ROOT, env=env, text=True, capture_output=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    import clickhouse_connect

    host, port = stack.clickhouse_url.split("://", 1)[1].split(":")
    client = clickhouse_connect.get_client(host=host, port=int(port), database=DATABASE)
    yield out, client
    client.close()


@pytest.mark.parametrize("name", run_reports.NOTEBOOKS)
def test_notebook_report_headlines_equal_clickhouse(name, reports):
    out, client = reports
    html = (out / f"{name}.html").read_text()
    assert "Traceback" not in html
    executed = nbformat.read(out / f"{name}.ipynb", as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    shown = json.loads((out / f"{name}.json").read_text())
    assert set(shown) == set(DIRECT[name])
    for key, sql in DIRECT[name].items():
        expected = float(client.command(sql))
        assert shown[key] == pytest.approx(expected, rel=1e-9), f"{name}: {key}"
    figures = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert figures, "no figure written"
    assert all((out / "figures" / f).stat().st_size > 10_000 for f in figures)
