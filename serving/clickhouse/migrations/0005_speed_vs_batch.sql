-- Speed vs batch agreement per app and UTC day (the batch layer's reconciliation summary, exported
-- beside the gold as export/gold/speed_vs_batch/date=D). One partition per day, replaced by each
-- load like the gold tables. candidates = matched + one class per difference.

CREATE TABLE IF NOT EXISTS ${db}.speed_vs_batch
(
    event_date                   Date,
    app_id                       LowCardinality(String),
    batch_verdicts               UInt64,
    speed_verdicts               UInt64,
    speed_rows                   UInt64,
    matched                      UInt64,
    touch_arrived_after_install  UInt64,
    late_install                 UInt64,
    duplicate                    UInt64,
    batch_only_fraud_signal      UInt64,
    other                        UInt64,
    speed_available              UInt8
)
ENGINE = MergeTree
PARTITION BY event_date
ORDER BY app_id;
