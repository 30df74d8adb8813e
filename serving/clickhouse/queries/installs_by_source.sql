-- Installs by media source over time: one row per report day and source over the window.
SELECT day,
       media_source,
       sum(installs) AS installs,
       sum(re_attributions) AS re_attributions,
       sum(re_engagements) AS re_engagements,
       sum(rejected) AS rejected,
       arrayStringConcat(arraySort(groupUniqArray(layer)), '+') AS layer
FROM ${db}.installs_daily
WHERE event_date BETWEEN {date:Date} - {days:UInt16} AND {date:Date} + 1
  AND day BETWEEN {date:Date} - ({days:UInt16} - 1) AND {date:Date}
  AND ({app:String} = '' OR app_id = {app:String})
GROUP BY day, media_source
ORDER BY day, installs DESC, media_source
