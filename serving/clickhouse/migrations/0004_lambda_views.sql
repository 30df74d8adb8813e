-- The lambda merge: one view per report. Days up to the table's batch watermark (the latest day
-- a batch load recorded in batch_loads) come from the batch tables; later days come from the
-- realtime tables, aggregated exactly as the batch aggregates (same formulas as
-- batch/.../AggregateStep). A day is never read from both, so nothing is counted twice, and
-- realtime rows of a day disappear from the views the moment its batch load commits.
-- `layer` says where a row came from. tp_local_day(app_id, t) is the report day in the app's
-- time zone, generated from the attribution rules by the migration runner.

CREATE OR REPLACE VIEW ${db}.installs_daily AS
SELECT 'batch' AS layer, event_date, day, app_id, media_source, campaign_id, country, platform,
       installs, organic_installs, re_attributions, reinstalls, re_engagements, rejected,
       rejected_ctit, rejected_click_injection, rejected_click_flooding
FROM ${db}.daily_installs
WHERE event_date <= (SELECT max(day) FROM ${db}.batch_loads WHERE table_name = 'daily_installs')
UNION ALL
SELECT 'realtime' AS layer, toDate(event_time) AS event_date, tp_local_day(app_id, event_time) AS day,
       app_id, if(media_source = '', 'organic', media_source) AS media_source, campaign_id, country, platform,
       countIf(kind = 'INSTALL' AND outcome IN ('ATTRIBUTED', 'ORGANIC')) AS installs,
       countIf(kind = 'INSTALL' AND outcome = 'ORGANIC') AS organic_installs,
       countIf(kind = 'RE_ATTRIBUTION' AND outcome = 'ATTRIBUTED') AS re_attributions,
       countIf(kind = 'REINSTALL') AS reinstalls,
       countIf(kind = 'RE_ENGAGEMENT' AND outcome = 'ATTRIBUTED') AS re_engagements,
       countIf(outcome = 'REJECTED') AS rejected,
       countIf(has(fraud_reasons, 'CTIT_BELOW_THRESHOLD')) AS rejected_ctit,
       countIf(has(fraud_reasons, 'CLICK_AFTER_INSTALL_BEGIN')) AS rejected_click_injection,
       countIf(has(fraud_reasons, 'CLICK_FLOODING_SITE')) AS rejected_click_flooding
FROM ${db}.rt_attributions FINAL
WHERE toDate(event_time) > (SELECT max(day) FROM ${db}.batch_loads WHERE table_name = 'daily_installs')
  AND NOT (kind = 'RE_ENGAGEMENT' AND outcome != 'ATTRIBUTED')
GROUP BY event_date, day, app_id, media_source, campaign_id, country, platform;

CREATE OR REPLACE VIEW ${db}.events_daily AS
SELECT 'batch' AS layer, event_date, day, app_id, media_source, campaign_id, country, platform,
       event_name, currency, events, revenue_events, revenue, revenue_usd, unconverted_events,
       re_engaged_events
FROM ${db}.daily_events
WHERE event_date <= (SELECT max(day) FROM ${db}.batch_loads WHERE table_name = 'daily_events')
UNION ALL
SELECT 'realtime' AS layer, event_date, day, app_id, media_source, campaign_id, country, platform,
       event_name, currency,
       count() AS events,
       count(amount) AS revenue_events,
       ifNull(sum(toDecimal128(toString(round(amount, 6)), 6)), toDecimal128(0, 6)) AS revenue,
       ifNull(sum(toDecimal128(toString(round(amount_usd, 6)), 6)), toDecimal128(0, 6)) AS revenue_usd,
       countIf(amount IS NOT NULL AND amount_usd IS NULL) AS unconverted_events,
       countIf(re_engagement_attribution_id IS NOT NULL) AS re_engaged_events
FROM
(
    SELECT e.event_date, e.day, e.app_id, e.media_source, e.campaign_id, e.country, e.platform,
           e.event_name, e.currency, e.revenue AS amount, e.re_engagement_attribution_id,
           if(r.currency = '' OR e.revenue IS NULL, NULL, e.revenue * r.rate_to_usd) AS amount_usd
    FROM
    (
        SELECT toDate(event_time) AS event_date, tp_local_day(app_id, event_time) AS day, app_id,
               if(media_source = '', 'organic', media_source) AS media_source, campaign_id, country,
               platform, event_name, currency, revenue, re_engagement_attribution_id
        FROM ${db}.rt_attributed_events FINAL
        WHERE toDate(event_time) > (SELECT max(day) FROM ${db}.batch_loads WHERE table_name = 'daily_events')
    ) AS e
    ASOF LEFT JOIN ${db}.fx_rates AS r ON e.currency = r.currency AND e.day >= r.valid_from
)
GROUP BY event_date, day, app_id, media_source, campaign_id, country, platform, event_name, currency;

-- Retention needs sessions, which the speed layer does not publish: batch only.
CREATE OR REPLACE VIEW ${db}.retention_daily AS
SELECT 'batch' AS layer, event_date, cohort_day, app_id, media_source, campaign_id, country, platform,
       day_n, users
FROM ${db}.retention;

CREATE OR REPLACE VIEW ${db}.ltv_daily AS
SELECT 'batch' AS layer, event_date, cohort_day, app_id, media_source, campaign_id, country, platform,
       age_days, events, revenue_events, revenue_usd
FROM ${db}.ltv
WHERE event_date <= (SELECT max(day) FROM ${db}.batch_loads WHERE table_name = 'ltv')
UNION ALL
SELECT 'realtime' AS layer, event_date, cohort_day, app_id, media_source, campaign_id, country, platform,
       toInt32(dateDiff('day', cohort_day, day)) AS age_days,
       count() AS events,
       count(amount) AS revenue_events,
       ifNull(sum(toDecimal128(toString(round(amount_usd, 6)), 6)), toDecimal128(0, 6)) AS revenue_usd
FROM
(
    SELECT e.event_date, e.cohort_day, e.day, e.app_id, e.media_source, e.campaign_id, e.country,
           e.platform, e.revenue AS amount,
           if(r.currency = '' OR e.revenue IS NULL, NULL, e.revenue * r.rate_to_usd) AS amount_usd
    FROM
    (
        SELECT toDate(event_time) AS event_date, tp_local_day(app_id, assumeNotNull(install_time)) AS cohort_day,
               tp_local_day(app_id, event_time) AS day, app_id,
               if(media_source = '', 'organic', media_source) AS media_source, campaign_id, country,
               platform, currency, revenue
        FROM ${db}.rt_attributed_events FINAL
        WHERE toDate(event_time) > (SELECT max(day) FROM ${db}.batch_loads WHERE table_name = 'ltv')
          AND install_attribution_id IS NOT NULL
    ) AS e
    ASOF LEFT JOIN ${db}.fx_rates AS r ON e.currency = r.currency AND e.day >= r.valid_from
)
GROUP BY event_date, cohort_day, app_id, media_source, campaign_id, country, platform, age_days;

CREATE OR REPLACE VIEW ${db}.ctit_daily AS
SELECT 'batch' AS layer, event_date, day, app_id, media_source, site_id, bucket, bucket_start_seconds,
       installs, rejected
FROM ${db}.ctit_histogram
WHERE event_date <= (SELECT max(day) FROM ${db}.batch_loads WHERE table_name = 'ctit_histogram')
UNION ALL
SELECT 'realtime' AS layer, event_date, day, app_id, media_source, site_id,
       multiIf(bucket_start_seconds = 0, '0-10s', bucket_start_seconds = 10, '10s-1m',
               bucket_start_seconds = 60, '1m-10m', bucket_start_seconds = 600, '10m-1h',
               bucket_start_seconds = 3600, '1h-6h', bucket_start_seconds = 21600, '6h-24h',
               bucket_start_seconds = 86400, '1d-3d', bucket_start_seconds = 259200, '3d-7d', '7d+') AS bucket,
       bucket_start_seconds, count() AS installs, countIf(outcome = 'REJECTED') AS rejected
FROM
(
    SELECT toDate(event_time) AS event_date, tp_local_day(app_id, event_time) AS day, app_id,
           media_source, site_id, outcome,
           toUInt32(multiIf(ctit_seconds < 10, 0, ctit_seconds < 60, 10, ctit_seconds < 600, 60,
                            ctit_seconds < 3600, 600, ctit_seconds < 21600, 3600, ctit_seconds < 86400, 21600,
                            ctit_seconds < 259200, 86400, ctit_seconds < 604800, 259200, 604800)) AS bucket_start_seconds
    FROM ${db}.rt_attributions FINAL
    WHERE toDate(event_time) > (SELECT max(day) FROM ${db}.batch_loads WHERE table_name = 'ctit_histogram')
      AND touch_type = 'CLICK' AND kind IN ('INSTALL', 'RE_ATTRIBUTION') AND ctit_seconds IS NOT NULL
)
GROUP BY event_date, day, app_id, media_source, site_id, bucket_start_seconds;
