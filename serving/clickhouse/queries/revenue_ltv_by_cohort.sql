-- Revenue and LTV by install cohort and source: cumulative USD revenue by cohort age, per cohort user.
-- Reads the cohort rollups (migration 0006), partitioned by the cohort's month: a window of cohorts
-- touches one or two partitions, not every later day's.
SELECT cohort_day,
       media_source,
       c.cohort_users AS cohort_users,
       r.revenue_d0 AS revenue_d0,
       r.revenue_d7 AS revenue_d7,
       r.revenue_d30 AS revenue_d30,
       r.revenue_total AS revenue_total,
       if(c.cohort_users = 0, 0, round(toFloat64(r.revenue_d7) / c.cohort_users, 4)) AS ltv_d7,
       if(c.cohort_users = 0, 0, round(toFloat64(r.revenue_total) / c.cohort_users, 4)) AS ltv_total
FROM
(
    SELECT cohort_day, media_source,
           sumIf(revenue_usd, age_days <= 0) AS revenue_d0,
           sumIf(revenue_usd, age_days <= 7) AS revenue_d7,
           sumIf(revenue_usd, age_days <= 30) AS revenue_d30,
           sum(revenue_usd) AS revenue_total
    FROM ${db}.ltv_cohort_daily
    WHERE cohort_day BETWEEN {date:Date} - ({days:UInt16} - 1) AND {date:Date}
      AND ({app:String} = '' OR app_id = {app:String})
    GROUP BY cohort_day, media_source
) AS r
FULL OUTER JOIN
(
    SELECT cohort_day, media_source, sum(users) AS cohort_users
    FROM ${db}.retention_cohort_daily
    WHERE day_n = 0
      AND cohort_day BETWEEN {date:Date} - ({days:UInt16} - 1) AND {date:Date}
      AND ({app:String} = '' OR app_id = {app:String})
    GROUP BY cohort_day, media_source
) AS c USING (cohort_day, media_source)
ORDER BY cohort_day, revenue_total DESC, media_source
