"""The batch benchmark's comparable computation in the ClickHouse engine (chDB, in process).

For each install: the latest click strictly before it within the click window, else the latest
impression within the view-through window, by app and advertising id (ASOF JOIN), read from the
same Parquet files the other engines read. Writes (install_id, touch_id) as Parquet and prints one
JSON line: the query's wall seconds and chDB's version. Run by io.touchpoint.bench.batch.ChdbEngine.
"""
import argparse
import json
import os
import time

import chdb

QUERY = """
INSERT INTO FUNCTION file('{out}', 'Parquet')
SELECT i.event_id AS install_id,
       multiIf(c.event_id IS NOT NULL
                 AND toUnixTimestamp64Micro(c.event_time) >= toUnixTimestamp64Micro(i.event_time) - {click_us},
               c.event_id,
               m.event_id IS NOT NULL
                 AND toUnixTimestamp64Micro(m.event_time) >= toUnixTimestamp64Micro(i.event_time) - {view_us},
               m.event_id,
               NULL) AS touch_id
FROM (SELECT event_id, app_id, device_advertising_id AS dev, event_time
      FROM file('{installs}', 'Parquet') WHERE event_type = 'install') AS i
ASOF LEFT JOIN (SELECT event_id, app_id, device_advertising_id AS dev, event_time
                FROM file('{touches}', 'Parquet') WHERE event_type = 'click') AS c
  ON i.app_id = c.app_id AND i.dev = c.dev AND i.event_time > c.event_time
ASOF LEFT JOIN (SELECT event_id, app_id, device_advertising_id AS dev, event_time
                FROM file('{touches}', 'Parquet') WHERE event_type = 'impression') AS m
  ON i.app_id = m.app_id AND i.dev = m.dev AND i.event_time > m.event_time
SETTINGS join_use_nulls = 1, max_threads = {threads}, max_memory_usage = {max_memory},
         schema_inference_make_columns_nullable = 0, output_format_parquet_string_as_string = 1,
         engine_file_truncate_on_insert = 1, use_hive_partitioning = 0
"""


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--touches", required=True, help="glob of the touch Parquet files")
    p.add_argument("--installs", required=True, help="glob of the app-event Parquet files")
    p.add_argument("--out", required=True, help="answers Parquet file to write")
    p.add_argument("--click-us", type=int, required=True)
    p.add_argument("--view-us", type=int, required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--max-memory", type=int, required=True)
    a = p.parse_args()
    if os.path.exists(a.out):
        os.remove(a.out)
    sql = QUERY.format(out=a.out, installs=a.installs, touches=a.touches, click_us=a.click_us,
                       view_us=a.view_us, threads=a.threads, max_memory=a.max_memory)
    t0 = time.perf_counter()
    chdb.query(sql, "CSV")
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "chdb_version": chdb.__version__}), flush=True)


if __name__ == "__main__":
    main()
