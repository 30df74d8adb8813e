-- Bookkeeping of the serving layer.
-- ${db} is replaced by the configured database (touchpoint.serving.clickhouse.database).
-- The runner itself keeps ${db}.schema_migrations (version, name, checksum, applied_at).

-- One row per (gold table, day) load: the batch watermark of a table is the latest day loaded.
CREATE TABLE IF NOT EXISTS ${db}.batch_loads
(
    table_name  LowCardinality(String),
    day         Date,
    rows        UInt64,
    source      String,
    load_id     UUID,
    loaded_at   DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (table_name, day, loaded_at);

-- The lambda merge point per gold table: days <= watermark come from batch, later ones from realtime.
CREATE VIEW IF NOT EXISTS ${db}.batch_watermark AS
SELECT table_name, max(day) AS watermark, max(loaded_at) AS last_load
FROM ${db}.batch_loads
GROUP BY table_name;

-- Currency rates (USD per unit; the latest valid_from <= the day applies), the batch layer's table,
-- so that realtime revenue is converted as the batch converts it.
CREATE TABLE IF NOT EXISTS ${db}.fx_rates
(
    currency     LowCardinality(String),
    valid_from   Date,
    rate_to_usd  Float64
)
ENGINE = ReplacingMergeTree
ORDER BY (currency, valid_from);
