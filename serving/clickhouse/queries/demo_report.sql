-- One-screen totals over the report days of the window: installs (organic and paid), fraud rejected,
-- in-app events and USD revenue; and speed vs batch agreement over the same (UTC) days, from the
-- batch layer's reconciliation (speed_vs_batch: candidates = matched + one class per difference).
SELECT 'total' AS scope,
       i.installs AS installs,
       i.organic AS organic,
       i.installs - i.organic AS paid,
       if(i.installs = 0, 0, round(i.organic / i.installs, 4)) AS organic_share,
       i.rejected AS rejected,
       e.events AS events,
       e.revenue_usd AS revenue_usd,
       r.candidates AS reconciled,
       r.matched AS speed_batch_agree,
       if(r.candidates = 0, NULL, round(r.matched / r.candidates, 4)) AS speed_batch_agreement,
       r.touch_arrived_after_install AS diff_touch_after_install,
       r.late_install AS diff_late_install,
       r.duplicate AS diff_duplicate,
       r.batch_only_fraud_signal AS diff_batch_only_fraud,
       r.other AS diff_other
FROM
(
    SELECT sum(installs) AS installs, sum(organic_installs) AS organic, sum(rejected) AS rejected
    FROM ${db}.installs_daily
    WHERE event_date BETWEEN {date:Date} - {days:UInt16} AND {date:Date} + 1
      AND day BETWEEN {date:Date} - ({days:UInt16} - 1) AND {date:Date}
      AND ({app:String} = '' OR app_id = {app:String})
) AS i
CROSS JOIN
(
    SELECT sum(events) AS events, sum(revenue_usd) AS revenue_usd
    FROM ${db}.events_daily
    WHERE event_date BETWEEN {date:Date} - {days:UInt16} AND {date:Date} + 1
      AND day BETWEEN {date:Date} - ({days:UInt16} - 1) AND {date:Date}
      AND ({app:String} = '' OR app_id = {app:String})
) AS e
CROSS JOIN
(
    SELECT sum(matched) AS matched,
           sum(touch_arrived_after_install) AS touch_arrived_after_install,
           sum(late_install) AS late_install,
           sum(duplicate) AS duplicate,
           sum(batch_only_fraud_signal) AS batch_only_fraud_signal,
           sum(other) AS other,
           matched + touch_arrived_after_install + late_install + duplicate + batch_only_fraud_signal + other
               AS candidates
    FROM ${db}.speed_vs_batch
    WHERE event_date BETWEEN {date:Date} - ({days:UInt16} - 1) AND {date:Date}
      AND ({app:String} = '' OR app_id = {app:String})
) AS r
