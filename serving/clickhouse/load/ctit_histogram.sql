SELECT toDate(event_date) AS event_date, toDate(day) AS day, app_id,
       ifNull(media_source, '') AS media_source, ifNull(site_id, '') AS site_id,
       ifNull(bucket, '') AS bucket, toUInt32(bucket_start_seconds) AS bucket_start_seconds,
       toUInt64(ifNull(installs, 0)) AS installs,
       toUInt64(ifNull(rejected, 0)) AS rejected
FROM ${source}
WHERE toDate(event_date) = toDate('${date}')
