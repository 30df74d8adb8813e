-- Batch tables: the batch layer's gold aggregates, one partition per UTC day the batch computed
-- (event_date). A load replaces exactly that partition (REPLACE PARTITION from a staging table),
-- so a rerun replaces, never appends. `day` / `cohort_day` are report days in the app's time zone.
-- Dimensions the batch leaves NULL (campaign of an organic install, unknown country) are ''.
-- Sorting keys follow the dashboard filters: app, then day, then source, then the rest.

CREATE TABLE IF NOT EXISTS ${db}.daily_installs
(
    event_date                Date,
    day                       Date,
    app_id                    LowCardinality(String),
    media_source              LowCardinality(String),
    campaign_id               LowCardinality(String),
    country                   LowCardinality(String),
    platform                  LowCardinality(String),
    installs                  UInt64,
    organic_installs          UInt64,
    re_attributions           UInt64,
    reinstalls                UInt64,
    re_engagements            UInt64,
    rejected                  UInt64,
    rejected_ctit             UInt64,
    rejected_click_injection  UInt64,
    rejected_click_flooding   UInt64
)
ENGINE = MergeTree
PARTITION BY event_date
ORDER BY (app_id, day, media_source, campaign_id, country, platform);

CREATE TABLE IF NOT EXISTS ${db}.daily_events
(
    event_date          Date,
    day                 Date,
    app_id              LowCardinality(String),
    media_source        LowCardinality(String),
    campaign_id         LowCardinality(String),
    country             LowCardinality(String),
    platform            LowCardinality(String),
    event_name          LowCardinality(String),
    currency            LowCardinality(String),
    events              UInt64,
    revenue_events      UInt64,
    revenue             Decimal(38, 6),
    revenue_usd         Decimal(38, 6),
    unconverted_events  UInt64,
    re_engaged_events   UInt64
)
ENGINE = MergeTree
PARTITION BY event_date
ORDER BY (app_id, day, media_source, event_name, campaign_id, country, platform, currency);

CREATE TABLE IF NOT EXISTS ${db}.retention
(
    event_date    Date,
    cohort_day    Date,
    app_id        LowCardinality(String),
    media_source  LowCardinality(String),
    campaign_id   LowCardinality(String),
    country       LowCardinality(String),
    platform      LowCardinality(String),
    day_n         UInt16,
    users         UInt64
)
ENGINE = MergeTree
PARTITION BY event_date
ORDER BY (app_id, cohort_day, media_source, day_n, campaign_id, country, platform);

CREATE TABLE IF NOT EXISTS ${db}.ltv
(
    event_date      Date,
    cohort_day      Date,
    app_id          LowCardinality(String),
    media_source    LowCardinality(String),
    campaign_id     LowCardinality(String),
    country         LowCardinality(String),
    platform        LowCardinality(String),
    age_days        Int32,
    events          UInt64,
    revenue_events  UInt64,
    revenue_usd     Decimal(38, 6)
)
ENGINE = MergeTree
PARTITION BY event_date
ORDER BY (app_id, cohort_day, media_source, age_days, campaign_id, country, platform);

CREATE TABLE IF NOT EXISTS ${db}.ctit_histogram
(
    event_date            Date,
    day                   Date,
    app_id                LowCardinality(String),
    media_source          LowCardinality(String),
    site_id               LowCardinality(String),
    bucket                LowCardinality(String),
    bucket_start_seconds  UInt32,
    installs              UInt64,
    rejected              UInt64
)
ENGINE = MergeTree
PARTITION BY event_date
ORDER BY (app_id, day, media_source, site_id, bucket_start_seconds);
