SELECT toDate(event_date) AS event_date, toDate(cohort_day) AS cohort_day, app_id,
       ifNull(media_source, '') AS media_source, ifNull(campaign_id, '') AS campaign_id,
       ifNull(country, '') AS country, ifNull(platform, '') AS platform,
       toInt32(age_days) AS age_days,
       toUInt64(ifNull(events, 0)) AS events,
       toUInt64(ifNull(revenue_events, 0)) AS revenue_events,
       toDecimal128(ifNull(revenue_usd, 0), 6) AS revenue_usd
FROM ${source}
WHERE toDate(event_date) = toDate('${date}')
