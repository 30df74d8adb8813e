"""A small client of Superset's REST API for the tests: session login, CSRF, charts, chart data."""

from __future__ import annotations

import json
from dataclasses import dataclass

import requests


@dataclass
class Superset:
    url: str
    session: requests.Session

    @classmethod
    def login(cls, url: str, username: str, password: str) -> "Superset":
        s = requests.Session()
        r = s.post(f"{url}/api/v1/security/login", json={"username": username, "password": password,
                                                          "provider": "db", "refresh": False}, timeout=60)
        r.raise_for_status()
        s.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        csrf = s.get(f"{url}/api/v1/security/csrf_token/", timeout=60)
        csrf.raise_for_status()
        s.headers["X-CSRFToken"] = csrf.json()["result"]
        s.headers["Referer"] = url
        return cls(url, s)

    def get(self, path: str, **params) -> requests.Response:
        return self.session.get(self.url + path, params=params, timeout=120)

    def post(self, path: str, body: dict) -> requests.Response:
        return self.session.post(self.url + path, json=body, timeout=120)

    def put(self, path: str, body: dict) -> requests.Response:
        return self.session.put(self.url + path, json=body, timeout=120)

    def dashboards(self) -> dict[str, dict]:
        r = self.get("/api/v1/dashboard/", q=json.dumps({"page_size": 100}))
        r.raise_for_status()
        return {d["slug"]: d for d in r.json()["result"]}

    def dashboard_charts(self, id_or_slug) -> list[dict]:
        r = self.get(f"/api/v1/dashboard/{id_or_slug}/charts")
        r.raise_for_status()
        return r.json()["result"]

    def chart(self, chart_id: int) -> dict:
        r = self.get(f"/api/v1/chart/{chart_id}")
        r.raise_for_status()
        return r.json()["result"]

    def metric_value(self, chart_id: int, metric: str, datasource_id: int, time_range: str = "No filter",
                     temporal_column: str | None = None) -> float | None:
        """One saved metric through the chart-data API, as a big number chart asks it (its time range
        on the dataset's temporal column, as the dashboard's date filter sets it)."""
        filters = [] if temporal_column is None else [
            {"col": temporal_column, "op": "TEMPORAL_RANGE", "val": time_range}]
        body = {
            "datasource": {"id": datasource_id, "type": "table"},
            "force": True,
            "queries": [{"columns": [], "metrics": [metric], "filters": filters, "orderby": [], "row_limit": 1,
                         "extras": {"where": "", "having": ""}, "time_range": time_range}],
            "form_data": {"slice_id": chart_id, "viz_type": "big_number_total", "metric": metric},
            "result_format": "json",
            "result_type": "full",
        }
        r = self.post("/api/v1/chart/data", body)
        if r.status_code != 200:
            raise AssertionError(f"chart data of chart {chart_id} ({metric}): HTTP {r.status_code} {r.text[:500]}")
        result = r.json()["result"][0]
        if result.get("error"):
            raise AssertionError(f"chart {chart_id}: {result['error']}")
        rows = result["data"]
        if not rows:
            return None
        assert len(rows[0]) == 1, rows[0]  # the one metric (labelled with its verbose name)
        return next(iter(rows[0].values()))

    def chart_data(self, chart_id: int, viz: str, datasource_id: int, query: dict, result_type: str) -> dict:
        """One chart-data query: result type "full" (rows in "data") or "query" (the SQL in "query")."""
        body = {"datasource": {"id": datasource_id, "type": "table"}, "force": True, "queries": [query],
                "form_data": {"slice_id": chart_id, "viz_type": viz}, "result_format": "json",
                "result_type": result_type}
        r = self.post("/api/v1/chart/data", body)
        if r.status_code != 200:
            raise AssertionError(f"data of chart {chart_id}: HTTP {r.status_code} {r.text[:500]}")
        result = r.json()["result"][0]
        if result.get("error"):
            raise AssertionError(f"chart {chart_id}: {result['error']}")
        return result

    def compiled_sql(self, chart_id: int, viz: str, datasource_id: int, query: dict) -> str:
        """The SQL Superset sends to the database for one chart-data query."""
        return self.chart_data(chart_id, viz, datasource_id, query, "query")["query"]


def chart_queries_json(api: Superset, dashboards) -> str:
    """serving/superset/chart_queries.json: the SQL Superset compiles for every chart of every dashboard,
    filtered on one app (the sentinel) and on all apps, over the sentinel date range."""
    compiled = []
    for d in dashboards.DASHBOARDS:
        ids = {c["slice_name"]: c["id"] for c in api.dashboard_charts(d.slug)}
        for c in d.charts:
            chart = api.chart(ids[c.name])
            datasource_id = int(json.loads(chart["params"])["datasource"].split("__")[0])
            for scope, app in (("app", dashboards.SENTINEL_APP), ("all apps", None)):
                query = dashboards.chart_query(c, app, " : ".join(dashboards.SENTINEL_RANGE))
                sql = api.compiled_sql(chart["id"], c.viz, datasource_id, query)
                assert all(s in sql for s in dashboards.SENTINEL_RANGE), sql
                assert (dashboards.SENTINEL_APP in sql) == (app is not None), sql
                compiled.append({"dashboard": d.slug, "chart": c.name, "viz": c.viz, "dataset": c.dataset.name,
                                 "scope": scope, "sql": sql})
    return json.dumps({"app": dashboards.SENTINEL_APP, "range": list(dashboards.SENTINEL_RANGE),
                       "queries": compiled}, indent=1) + "\n"
