-- Gold daily_events of one day as JSON lines for Druid's <prefix>events datasource.
SELECT toString(event_date) AS event_date, toString(day) AS day, app_id, media_source,
       nullIf(campaign_id, '') AS campaign_id, nullIf(country, '') AS country, nullIf(platform, '') AS platform,
       event_name, nullIf(currency, '') AS currency, events, revenue_events,
       toFloat64(revenue) AS revenue, toFloat64(revenue_usd) AS revenue_usd, unconverted_events, re_engaged_events
FROM (${rows})
