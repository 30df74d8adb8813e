-- Gold ctit_histogram of one day as JSON lines for Druid's <prefix>attributions datasource
-- (its counts become ctit_installs / ctit_rejected beside the install counts).
SELECT toString(event_date) AS event_date, toString(day) AS day, app_id, media_source,
       nullIf(site_id, '') AS site_id, bucket, bucket_start_seconds,
       installs AS ctit_installs, rejected AS ctit_rejected
FROM (${rows})
