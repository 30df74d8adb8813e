SELECT toDate(event_date) AS event_date, toDate(cohort_day) AS cohort_day, app_id,
       ifNull(media_source, '') AS media_source, ifNull(campaign_id, '') AS campaign_id,
       ifNull(country, '') AS country, ifNull(platform, '') AS platform,
       toUInt16(day_n) AS day_n,
       toUInt64(ifNull(users, 0)) AS users
FROM ${source}
WHERE toDate(event_date) = toDate('${date}')
