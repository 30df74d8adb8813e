-- The realtime tables keep a row 35 days after it ARRIVED (ingested_at), not 35 days after its
-- event_time. The rows only matter until the batch covers their day, and a day's batch runs after
-- its data arrived: a replay, a late backfill or a demo of a past day (the simulator's fixed day)
-- used to be dropped at insert because its event time was already older than 35 days, leaving the
-- views' realtime half ("today so far") empty although the speed layer had delivered it. Storage
-- stays bounded by 35 days of arrivals; partitions stay by event day (dropped whole once expired).

ALTER TABLE ${db}.rt_attributions MODIFY TTL toDateTime(ingested_at) + INTERVAL 35 DAY;

ALTER TABLE ${db}.rt_attributed_events MODIFY TTL toDateTime(ingested_at) + INTERVAL 35 DAY;
