-- Fraud by source and publisher site over the window: click-attributed installs, rejections,
-- and the share of installs less than 10 s after the click (click injection's signature).
SELECT media_source,
       site_id,
       sum(installs) AS click_installs,
       sum(rejected) AS rejected,
       if(click_installs = 0, 0, round(rejected / click_installs, 4)) AS rejected_rate,
       sumIf(installs, bucket_start_seconds = 0) AS under_10s,
       if(click_installs = 0, 0, round(under_10s / click_installs, 4)) AS under_10s_share
FROM ${db}.ctit_daily
WHERE event_date BETWEEN {date:Date} - {days:UInt16} AND {date:Date} + 1
  AND day BETWEEN {date:Date} - ({days:UInt16} - 1) AND {date:Date}
  AND ({app:String} = '' OR app_id = {app:String})
GROUP BY media_source, site_id
ORDER BY rejected DESC, click_installs DESC, media_source, site_id
