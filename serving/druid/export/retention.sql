-- Gold retention of one day as JSON lines for Druid's <prefix>retention datasource.
SELECT toString(event_date) AS event_date, toString(cohort_day) AS cohort_day, app_id, media_source,
       nullIf(campaign_id, '') AS campaign_id, nullIf(country, '') AS country, nullIf(platform, '') AS platform,
       day_n, users
FROM (${rows})
