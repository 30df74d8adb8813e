-- Cohort rollups for the dashboards' cohort reports (revenue/LTV, retention). A cohort's revenue and
-- returning users arrive in every later day's gold partition, so a query over a few install cohorts
-- read up to a year of event_date partitions (docs/benchmarks.md, serving: the hot spot). These
-- tables hold the same sums without campaign/country/platform (~1/30 of the rows), partitioned by the
-- cohort's month: a window of cohorts touches one or two partitions, ordered by app then cohort day.
-- event_date stays in the key so one loaded day's contribution can be replaced: BatchLoader rebuilds
-- each month partition a load touched (the month's other days + the new day) in a staging table and
-- swaps it in with REPLACE PARTITION, atomically for readers (clickhouse/rollups/*.sql).

CREATE TABLE IF NOT EXISTS ${db}.ltv_cohort
(
    event_date      Date,
    cohort_day      Date,
    app_id          LowCardinality(String),
    media_source    LowCardinality(String),
    age_days        Int32,
    events          UInt64,
    revenue_events  UInt64,
    revenue_usd     Decimal(38, 6)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(cohort_day)
ORDER BY (app_id, cohort_day, media_source, age_days, event_date);

CREATE TABLE IF NOT EXISTS ${db}.retention_cohort
(
    event_date    Date,
    cohort_day    Date,
    app_id        LowCardinality(String),
    media_source  LowCardinality(String),
    day_n         UInt16,
    users         UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(cohort_day)
ORDER BY (app_id, cohort_day, media_source, day_n, event_date);

-- Existing gold (a database migrated before this version): fill once. Empty targets only, so a
-- re-run after a failure half-way cannot double anything.
INSERT INTO ${db}.ltv_cohort
SELECT event_date, cohort_day, app_id, media_source, age_days, sum(events), sum(revenue_events), sum(revenue_usd)
FROM ${db}.ltv
WHERE (SELECT count() FROM ${db}.ltv_cohort) = 0
GROUP BY event_date, cohort_day, app_id, media_source, age_days;

INSERT INTO ${db}.retention_cohort
SELECT event_date, cohort_day, app_id, media_source, day_n, sum(users)
FROM ${db}.retention
WHERE (SELECT count() FROM ${db}.retention_cohort) = 0
GROUP BY event_date, cohort_day, app_id, media_source, day_n;

-- The lambda merge of the LTV rollup: batch rows up to the ltv watermark, then the realtime rows
-- aggregated with ltv_daily's formulas (0004) at the rollup's grain. Spelled out rather than read from
-- ltv_daily: a filter on ltv_daily's `layer` is not folded away (its constants are materialized), so
-- the view would scan every ltv partition again.
CREATE OR REPLACE VIEW ${db}.ltv_cohort_daily AS
SELECT 'batch' AS layer, event_date, cohort_day, app_id, media_source, age_days, events, revenue_events, revenue_usd
FROM ${db}.ltv_cohort
WHERE event_date <= (SELECT max(day) FROM ${db}.batch_loads WHERE table_name = 'ltv')
UNION ALL
SELECT 'realtime' AS layer, event_date, cohort_day, app_id, media_source,
       toInt32(dateDiff('day', cohort_day, day)) AS age_days,
       count() AS events,
       count(amount) AS revenue_events,
       ifNull(sum(toDecimal128(toString(round(amount_usd, 6)), 6)), toDecimal128(0, 6)) AS revenue_usd
FROM
(
    SELECT e.event_date, e.cohort_day, e.day, e.app_id, e.media_source, e.revenue AS amount,
           if(r.currency = '' OR e.revenue IS NULL, NULL, e.revenue * r.rate_to_usd) AS amount_usd
    FROM
    (
        SELECT toDate(event_time) AS event_date, tp_local_day(app_id, assumeNotNull(install_time)) AS cohort_day,
               tp_local_day(app_id, event_time) AS day, app_id,
               if(media_source = '', 'organic', media_source) AS media_source, currency, revenue
        FROM ${db}.rt_attributed_events FINAL
        WHERE toDate(event_time) > (SELECT max(day) FROM ${db}.batch_loads WHERE table_name = 'ltv')
          AND install_attribution_id IS NOT NULL
    ) AS e
    ASOF LEFT JOIN ${db}.fx_rates AS r ON e.currency = r.currency AND e.day >= r.valid_from
)
GROUP BY event_date, cohort_day, app_id, media_source, age_days;

-- Retention is batch only (it needs sessions).
CREATE OR REPLACE VIEW ${db}.retention_cohort_daily AS
SELECT 'batch' AS layer, event_date, cohort_day, app_id, media_source, day_n, users
FROM ${db}.retention_cohort;
