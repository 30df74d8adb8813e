-- Revenue and LTV by install cohort and source: cumulative USD revenue by cohort age, per cohort user.
SELECT COALESCE(r.cohort_day, c.cohort_day) AS cohort_day,
       COALESCE(r.media_source, c.media_source) AS media_source,
       COALESCE(c.cohort_users, 0) AS cohort_users,
       COALESCE(r.revenue_d0, 0) AS revenue_d0,
       COALESCE(r.revenue_d7, 0) AS revenue_d7,
       COALESCE(r.revenue_d30, 0) AS revenue_d30,
       COALESCE(r.revenue_total, 0) AS revenue_total,
       CASE WHEN COALESCE(c.cohort_users, 0) = 0 THEN 0 ELSE ROUND(COALESCE(r.revenue_d7, 0) / c.cohort_users, 4) END AS ltv_d7,
       CASE WHEN COALESCE(c.cohort_users, 0) = 0 THEN 0 ELSE ROUND(COALESCE(r.revenue_total, 0) / c.cohort_users, 4) END AS ltv_total
FROM (
    SELECT cohort_day, media_source,
           COALESCE(SUM(CASE WHEN age_days <= 0 THEN revenue_usd ELSE 0 END), 0) AS revenue_d0,
           COALESCE(SUM(CASE WHEN age_days <= 7 THEN revenue_usd ELSE 0 END), 0) AS revenue_d7,
           COALESCE(SUM(CASE WHEN age_days <= 30 THEN revenue_usd ELSE 0 END), 0) AS revenue_d30,
           SUM(revenue_usd) AS revenue_total
    FROM "${ds_ltv}"
    WHERE __time >= TIMESTAMP '${time_from}'
      AND cohort_day BETWEEN '${from}' AND '${date}'
      AND ${app_filter}
    GROUP BY cohort_day, media_source
) r
FULL OUTER JOIN (
    SELECT cohort_day, media_source, SUM(users) AS cohort_users
    FROM "${ds_retention}"
    WHERE day_n = 0
      AND __time >= TIMESTAMP '${time_from}' AND __time < TIMESTAMP '${time_to}'
      AND cohort_day BETWEEN '${from}' AND '${date}'
      AND ${app_filter}
    GROUP BY cohort_day, media_source
) c ON r.cohort_day = c.cohort_day AND r.media_source = c.media_source
ORDER BY 1, revenue_total DESC, 2
