SELECT toDate(event_date) AS event_date, toDate(day) AS day, app_id,
       ifNull(media_source, '') AS media_source, ifNull(campaign_id, '') AS campaign_id,
       ifNull(country, '') AS country, ifNull(platform, '') AS platform,
       ifNull(event_name, '') AS event_name, ifNull(currency, '') AS currency,
       toUInt64(ifNull(events, 0)) AS events,
       toUInt64(ifNull(revenue_events, 0)) AS revenue_events,
       toDecimal128(ifNull(revenue, 0), 6) AS revenue,
       toDecimal128(ifNull(revenue_usd, 0), 6) AS revenue_usd,
       toUInt64(ifNull(unconverted_events, 0)) AS unconverted_events,
       toUInt64(ifNull(re_engaged_events, 0)) AS re_engaged_events
FROM ${source}
WHERE toDate(event_date) = toDate('${date}')
