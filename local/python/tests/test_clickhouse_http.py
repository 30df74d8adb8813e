"""The ClickHouse HTTP interface of the embedded stack, as a Python client sees it."""

import gzip
import json
import urllib.error
import urllib.request

import pytest


def _post(url, body: bytes, headers=None):
    req = urllib.request.Request(url, data=body, method="POST", headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@pytest.mark.stack_services("clickhouse")
def test_a_table_round_trip_through_the_http_interface(stack):
    t = stack.unique_name("events")
    stack.clickhouse(f"CREATE TABLE {t} (app_id String, revenue Float64) ENGINE = MergeTree ORDER BY app_id")
    stack.clickhouse(f"INSERT INTO {t} FORMAT JSONEachRow",
                     data=b'{"app_id":"a","revenue":1.5}\n{"app_id":"a","revenue":2}\n{"app_id":"b","revenue":0}\n')
    out = stack.clickhouse(f"SELECT app_id, sum(revenue) AS r FROM {t} GROUP BY app_id ORDER BY app_id", fmt="JSON")
    assert json.loads(out)["data"] == [{"app_id": "a", "r": 3.5}, {"app_id": "b", "r": 0}]


@pytest.mark.stack_services("clickhouse")
def test_gzip_bodies_and_per_query_settings_and_database(stack):
    status, headers, body = _post(stack.clickhouse_url + "/?database=system&max_threads=1",
                                  gzip.compress(b"SELECT getSetting('max_threads'), currentDatabase()"),
                                  {"Content-Encoding": "gzip"})
    assert status == 200, body
    assert body == b"1\tsystem\n"
    # the setting and database applied to that query only
    assert stack.clickhouse("SELECT currentDatabase()") == "default\n"


@pytest.mark.stack_services("clickhouse")
def test_a_syntax_error_is_a_400_with_the_clickhouse_code(stack):
    status, headers, body = _post(stack.clickhouse_url + "/", b"SELEC 1")
    assert status == 400
    assert headers["X-ClickHouse-Exception-Code"] == "62"
    assert body.startswith(b"Code: 62. DB::Exception:")


@pytest.mark.stack_services("kafka", "s3")
def test_the_fixture_gives_addresses_from_the_running_stack(stack):
    assert stack.kafka_bootstrap.startswith("127.0.0.1:")
    assert stack.s3["bucket"] == "touchpoint-lake"
    assert stack.unique_name("x") != stack.unique_name("x")
