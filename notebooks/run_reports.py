"""Executes the analyst notebooks with papermill and writes one report folder:

    <out>/<notebook>.html    the executed notebook as HTML (code, tables, figures)
    <out>/<notebook>.ipynb   the executed notebook
    <out>/figures/*.png      every figure
    <out>/<notebook>.json    its headline numbers

``./touchpoint notebooks`` runs this in the project virtualenv; ``--help`` for the parameters.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOTEBOOKS = ["attribution_overview", "retention_cohorts", "revenue_ltv", "fraud", "speed_vs_batch"]


def run(out: Path, parameters: dict, only: list[str] | None = None, log=print) -> list[Path]:
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    out.mkdir(parents=True, exist_ok=True)
    parameters = dict(parameters, output_dir=str(out))
    written = []
    for name in only or NOTEBOOKS:
        t0 = time.monotonic()
        executed = out / f"{name}.ipynb"
        try:
            papermill.execute_notebook(str(HERE / f"{name}.ipynb"), str(executed), parameters=parameters,
                                       cwd=str(HERE), progress_bar=False, kernel_name="python3")
        except papermill.PapermillExecutionError as e:
            raise SystemExit(f"notebooks: {name} failed in cell {e.exec_count}: {e.ename}: {e.evalue} "
                             f"(executed notebook with the error: {executed})") from None
        html, _ = HTMLExporter().from_notebook_node(nbformat.read(executed, as_version=4))
        (out / f"{name}.html").write_text(html)
        written.append(out / f"{name}.html")
        log(f"notebooks: {name} -> {out / (name + '.html')} ({time.monotonic() - t0:.1f} s)")
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="touchpoint notebooks", description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(".touchpoint/reports/notebooks"),
                    help="report folder (default: %(default)s)")
    ap.add_argument("--clickhouse-url", default="", help="ClickHouse HTTP URL (default: the embedded stack's)")
    ap.add_argument("--database", default="touchpoint", help="serving database (default: %(default)s)")
    ap.add_argument("--app", default="", help="one app id (default: all apps)")
    ap.add_argument("--date", default="", help="last report day YYYY-MM-DD (default: today in --time-zone)")
    ap.add_argument("--days", type=int, default=7, help="report days in the window (default: %(default)s)")
    ap.add_argument("--time-zone", default="UTC", help="time zone of 'today' (default: %(default)s)")
    ap.add_argument("--only", action="append", choices=NOTEBOOKS, help="run only this notebook (repeatable)")
    args = ap.parse_args(argv)
    if args.days < 1:
        ap.error("--days must be at least 1")
    if args.date:
        import datetime as dt

        try:
            dt.date.fromisoformat(args.date)
        except ValueError:
            ap.error(f"--date {args.date!r} is not YYYY-MM-DD")
    t0 = time.monotonic()
    params = {"clickhouse_url": args.clickhouse_url, "database": args.database, "app": args.app,
              "report_date": args.date, "days": args.days, "time_zone": args.time_zone}
    written = run(args.out.resolve(), params, args.only)
    print(f"notebooks: {len(written)} reports and their figures in {args.out.resolve()} "
          f"({time.monotonic() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
