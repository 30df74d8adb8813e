-- Retention cohort matrix: install cohorts of the window by source, users active on day N.
-- Reads the cohort rollup (migration 0006), partitioned by the cohort's month.
SELECT cohort_day,
       media_source,
       sumIf(users, day_n = 0) AS cohort_users,
       sumIf(users, day_n = 1) AS d1,
       sumIf(users, day_n = 3) AS d3,
       sumIf(users, day_n = 7) AS d7,
       sumIf(users, day_n = 14) AS d14,
       sumIf(users, day_n = 30) AS d30,
       if(cohort_users = 0, 0, round(d1 / cohort_users, 4)) AS d1_rate,
       if(cohort_users = 0, 0, round(d7 / cohort_users, 4)) AS d7_rate,
       if(cohort_users = 0, 0, round(d30 / cohort_users, 4)) AS d30_rate
FROM ${db}.retention_cohort_daily
WHERE cohort_day BETWEEN {date:Date} - ({days:UInt16} - 1) AND {date:Date}
  AND ({app:String} = '' OR app_id = {app:String})
GROUP BY cohort_day, media_source
ORDER BY cohort_day, cohort_users DESC, media_source
