-- Gold ltv of one day as JSON lines for Druid's <prefix>ltv datasource.
SELECT toString(event_date) AS event_date, toString(cohort_day) AS cohort_day, app_id, media_source,
       nullIf(campaign_id, '') AS campaign_id, nullIf(country, '') AS country, nullIf(platform, '') AS platform,
       age_days, events, revenue_events, toFloat64(revenue_usd) AS revenue_usd
FROM (${rows})
