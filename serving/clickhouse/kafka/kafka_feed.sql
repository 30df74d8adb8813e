-- Production realtime feed: ClickHouse's own Kafka engine + materialized views into the realtime
-- tables of migration 0003. Printed by `./touchpoint serve ddl --kafka-engine` (add `--cluster NAME`
-- for a cluster) and applied by an administrator on a ClickHouse server only: the embedded engine (chDB) cannot run Kafka consumers (creating a Kafka
-- table there fails with "Shutdown was called" and leaves the database unable to start), so the
-- embedded stack uses serving's Java consumer (RealtimeFeed), which inserts the same rows.
-- Placeholders: ${db}, ${kafka_brokers}, ${attributions_topic}, ${attributed_events_topic},
-- ${consumer_group}.

CREATE TABLE IF NOT EXISTS ${db}.kafka_attributions
(
    attribution_id      UUID,
    candidate_event_id  String,
    app_id              String,
    kind                String,
    outcome             String,
    event_time          DateTime64(3, 'UTC'),
    received_at         DateTime64(3, 'UTC'),
    platform            Nullable(String),
    country             Nullable(String),
    media_source        Nullable(String),
    campaign_id         Nullable(String),
    site_id             Nullable(String),
    match_type          Nullable(String),
    touch_type          Nullable(String),
    ctit_seconds        Nullable(Int64),
    fraud_reasons       Array(String),
    re_engagement       Nullable(Bool)
)
ENGINE = Kafka
SETTINGS kafka_broker_list = '${kafka_brokers}',
         kafka_topic_list = '${attributions_topic}',
         kafka_group_name = '${consumer_group}',
         kafka_format = 'JSONEachRow',
         kafka_num_consumers = 1,
         kafka_skip_broken_messages = 100,
         kafka_handle_error_mode = 'stream',
         date_time_input_format = 'best_effort',
         input_format_skip_unknown_fields = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.kafka_attributions_mv TO ${db}.rt_attributions AS
SELECT attribution_id, candidate_event_id, app_id, kind, outcome, event_time, received_at,
       ifNull(platform, '') AS platform, ifNull(country, '') AS country,
       ifNull(media_source, '') AS media_source, ifNull(campaign_id, '') AS campaign_id,
       ifNull(site_id, '') AS site_id, ifNull(match_type, '') AS match_type,
       ifNull(touch_type, '') AS touch_type, ctit_seconds, fraud_reasons,
       ifNull(re_engagement, false) AS re_engagement,
       toInt32(_partition) AS kafka_partition, toInt64(_offset) AS kafka_offset, now64(3) AS ingested_at
FROM ${db}.kafka_attributions
WHERE length(_error) = 0;

CREATE TABLE IF NOT EXISTS ${db}.kafka_attributed_events
(
    event_id                      UUID,
    app_id                        String,
    event_name                    String,
    event_time                    DateTime64(3, 'UTC'),
    received_at                   DateTime64(3, 'UTC'),
    platform                      Nullable(String),
    country                       Nullable(String),
    revenue                       Nullable(Float64),
    currency                      Nullable(String),
    install_attribution_id        Nullable(UUID),
    install_time                  Nullable(DateTime64(3, 'UTC')),
    install_outcome               Nullable(String),
    media_source                  Nullable(String),
    campaign_id                   Nullable(String),
    re_engagement_attribution_id  Nullable(UUID)
)
ENGINE = Kafka
SETTINGS kafka_broker_list = '${kafka_brokers}',
         kafka_topic_list = '${attributed_events_topic}',
         kafka_group_name = '${consumer_group}',
         kafka_format = 'JSONEachRow',
         kafka_num_consumers = 1,
         kafka_skip_broken_messages = 100,
         kafka_handle_error_mode = 'stream',
         date_time_input_format = 'best_effort',
         input_format_skip_unknown_fields = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.kafka_attributed_events_mv TO ${db}.rt_attributed_events AS
SELECT event_id, app_id, event_name, event_time, received_at,
       ifNull(platform, '') AS platform, ifNull(country, '') AS country, revenue,
       ifNull(currency, '') AS currency, install_attribution_id, install_time,
       ifNull(install_outcome, '') AS install_outcome, ifNull(media_source, '') AS media_source,
       ifNull(campaign_id, '') AS campaign_id, re_engagement_attribution_id,
       toInt32(_partition) AS kafka_partition, toInt64(_offset) AS kafka_offset, now64(3) AS ingested_at
FROM ${db}.kafka_attributed_events
WHERE length(_error) = 0;
