-- Realtime tables: the speed layer's outputs, one row per message, de-duplicated on the
-- deterministic id (attribution_id, event_id) by ReplacingMergeTree, so a replay of the topic
-- (or the consumer re-reading after a crash) never counts twice; the views read them with FINAL.
-- Fed by serving's Kafka consumer (io.touchpoint.serving.clickhouse.RealtimeFeed) on the embedded
-- engine, or by the Kafka engine + materialized views of clickhouse/kafka/ on a server.
-- Kept 35 days (the batch covers older days), partitioned by the UTC day of event_time.

CREATE TABLE IF NOT EXISTS ${db}.rt_attributions
(
    attribution_id      UUID,
    candidate_event_id  String,
    app_id              LowCardinality(String),
    kind                LowCardinality(String),
    outcome             LowCardinality(String),
    event_time          DateTime64(3, 'UTC'),
    received_at         DateTime64(3, 'UTC'),
    platform            LowCardinality(String),
    country             LowCardinality(String),
    media_source        LowCardinality(String),
    campaign_id         LowCardinality(String),
    site_id             LowCardinality(String),
    match_type          LowCardinality(String),
    touch_type          LowCardinality(String),
    ctit_seconds        Nullable(Int64),
    fraud_reasons       Array(LowCardinality(String)),
    re_engagement       Bool,
    kafka_partition     Int32,
    kafka_offset        Int64,
    ingested_at         DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toDate(event_time)
ORDER BY (app_id, toDate(event_time), attribution_id)
TTL toDateTime(event_time) + INTERVAL 35 DAY;

CREATE TABLE IF NOT EXISTS ${db}.rt_attributed_events
(
    event_id                      UUID,
    app_id                        LowCardinality(String),
    event_name                    LowCardinality(String),
    event_time                    DateTime64(3, 'UTC'),
    received_at                   DateTime64(3, 'UTC'),
    platform                      LowCardinality(String),
    country                       LowCardinality(String),
    revenue                       Nullable(Float64),
    currency                      LowCardinality(String),
    install_attribution_id        Nullable(UUID),
    install_time                  Nullable(DateTime64(3, 'UTC')),
    install_outcome               LowCardinality(String),
    media_source                  LowCardinality(String),
    campaign_id                   LowCardinality(String),
    re_engagement_attribution_id  Nullable(UUID),
    kafka_partition               Int32,
    kafka_offset                  Int64,
    ingested_at                   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toDate(event_time)
ORDER BY (app_id, toDate(event_time), event_id)
TTL toDateTime(event_time) + INTERVAL 35 DAY;
