-- Gold daily_installs of one day as JSON lines for Druid's <prefix>attributions datasource.
-- It reads the rows of clickhouse/load/daily_installs.sql (the same rows ClickHouse loads).
SELECT toString(event_date) AS event_date, toString(day) AS day, app_id, media_source,
       nullIf(campaign_id, '') AS campaign_id, nullIf(country, '') AS country, nullIf(platform, '') AS platform,
       installs, organic_installs, re_attributions, reinstalls, re_engagements, rejected,
       rejected_ctit, rejected_click_injection, rejected_click_flooding
FROM (${rows})
