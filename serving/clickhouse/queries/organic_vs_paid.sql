-- Organic vs paid installs per report day over the window.
SELECT day,
       installs,
       organic,
       installs - organic AS paid,
       if(installs = 0, 0, round(organic / installs, 4)) AS organic_share,
       layer
FROM
(
    SELECT day,
           sum(installs) AS installs,
           sum(organic_installs) AS organic,
           arrayStringConcat(arraySort(groupUniqArray(layer)), '+') AS layer
    FROM ${db}.installs_daily
    WHERE event_date BETWEEN {date:Date} - {days:UInt16} AND {date:Date} + 1
      AND day BETWEEN {date:Date} - ({days:UInt16} - 1) AND {date:Date}
      AND ({app:String} = '' OR app_id = {app:String})
    GROUP BY day
)
ORDER BY day
