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

-- The lambda merge of the LTV rollup: batch rows up to the ltv watermark, then the realtime half of
-- ltv_daily (the same formulas) summed to the rollup's grain.
CREATE OR REPLACE VIEW ${db}.ltv_cohort_daily AS
SELECT 'batch' AS layer, event_date, cohort_day, app_id, media_source, age_days, events, revenue_events, revenue_usd
FROM ${db}.ltv_cohort
WHERE event_date <= (SELECT max(day) FROM ${db}.batch_loads WHERE table_name = 'ltv')
UNION ALL
SELECT 'realtime' AS layer, event_date, cohort_day, app_id, media_source, age_days, sum(events), sum(revenue_events),
       sum(revenue_usd)
-- (the filter sits in a subquery: in this SELECT, `layer` would name its own 'realtime' alias)
FROM (SELECT * FROM ${db}.ltv_daily WHERE layer = 'realtime')
GROUP BY event_date, cohort_day, app_id, media_source, age_days;

-- Retention is batch only (it needs sessions).
CREATE OR REPLACE VIEW ${db}.retention_cohort_daily AS
SELECT 'batch' AS layer, event_date, cohort_day, app_id, media_source, day_n, users
FROM ${db}.retention_cohort;
