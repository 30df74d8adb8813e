-- Today so far (or any one day): installs, rejections, in-app events and USD revenue per app and
-- source for report day {date}; realtime until the batch of the day is loaded, batch after.
SELECT app_id,
       media_source,
       sum(installs) AS installs,
       sum(organic_installs) AS organic,
       sum(rejected) AS rejected,
       sum(events) AS events,
       sum(revenue_usd) AS revenue_usd,
       arrayStringConcat(arraySort(groupUniqArray(layer)), '+') AS layer
FROM
(
    SELECT app_id, media_source, installs, organic_installs, rejected,
           toUInt64(0) AS events, toDecimal128(0, 6) AS revenue_usd, layer
    FROM ${db}.installs_daily
    WHERE event_date BETWEEN {date:Date} - 1 AND {date:Date} + 1 AND day = {date:Date}
      AND ({app:String} = '' OR app_id = {app:String})
    UNION ALL
    SELECT app_id, media_source, 0, 0, 0, events, revenue_usd, layer
    FROM ${db}.events_daily
    WHERE event_date BETWEEN {date:Date} - 1 AND {date:Date} + 1 AND day = {date:Date}
      AND ({app:String} = '' OR app_id = {app:String})
)
GROUP BY app_id, media_source
ORDER BY app_id, installs DESC, media_source
