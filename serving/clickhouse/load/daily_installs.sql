SELECT toDate(event_date) AS event_date, toDate(day) AS day, app_id,
       ifNull(media_source, '') AS media_source, ifNull(campaign_id, '') AS campaign_id,
       ifNull(country, '') AS country, ifNull(platform, '') AS platform,
       toUInt64(ifNull(installs, 0)) AS installs,
       toUInt64(ifNull(organic_installs, 0)) AS organic_installs,
       toUInt64(ifNull(re_attributions, 0)) AS re_attributions,
       toUInt64(ifNull(reinstalls, 0)) AS reinstalls,
       toUInt64(ifNull(re_engagements, 0)) AS re_engagements,
       toUInt64(ifNull(rejected, 0)) AS rejected,
       toUInt64(ifNull(rejected_ctit, 0)) AS rejected_ctit,
       toUInt64(ifNull(rejected_click_injection, 0)) AS rejected_click_injection,
       toUInt64(ifNull(rejected_click_flooding, 0)) AS rejected_click_flooding
FROM ${source}
WHERE toDate(event_date) = toDate('${date}')
