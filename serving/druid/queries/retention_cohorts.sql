-- Retention cohort matrix: install cohorts of the window by source, users active on day N.
SELECT cohort_day, media_source,
       COALESCE(SUM(CASE WHEN day_n = 0 THEN users ELSE 0 END), 0) AS cohort_users,
       COALESCE(SUM(CASE WHEN day_n = 1 THEN users ELSE 0 END), 0) AS d1,
       COALESCE(SUM(CASE WHEN day_n = 3 THEN users ELSE 0 END), 0) AS d3,
       COALESCE(SUM(CASE WHEN day_n = 7 THEN users ELSE 0 END), 0) AS d7,
       COALESCE(SUM(CASE WHEN day_n = 14 THEN users ELSE 0 END), 0) AS d14,
       COALESCE(SUM(CASE WHEN day_n = 30 THEN users ELSE 0 END), 0) AS d30,
       CASE WHEN COALESCE(SUM(CASE WHEN day_n = 0 THEN users ELSE 0 END), 0) = 0 THEN 0
            ELSE ROUND(CAST(COALESCE(SUM(CASE WHEN day_n = 1 THEN users ELSE 0 END), 0) AS DOUBLE)
                       / COALESCE(SUM(CASE WHEN day_n = 0 THEN users ELSE 0 END), 0), 4) END AS d1_rate,
       CASE WHEN COALESCE(SUM(CASE WHEN day_n = 0 THEN users ELSE 0 END), 0) = 0 THEN 0
            ELSE ROUND(CAST(COALESCE(SUM(CASE WHEN day_n = 7 THEN users ELSE 0 END), 0) AS DOUBLE)
                       / COALESCE(SUM(CASE WHEN day_n = 0 THEN users ELSE 0 END), 0), 4) END AS d7_rate,
       CASE WHEN COALESCE(SUM(CASE WHEN day_n = 0 THEN users ELSE 0 END), 0) = 0 THEN 0
            ELSE ROUND(CAST(COALESCE(SUM(CASE WHEN day_n = 30 THEN users ELSE 0 END), 0) AS DOUBLE)
                       / COALESCE(SUM(CASE WHEN day_n = 0 THEN users ELSE 0 END), 0), 4) END AS d30_rate
FROM "${ds_retention}"
WHERE __time >= TIMESTAMP '${time_from}' AND __time < TIMESTAMP '${time_to_cohort}'
  AND cohort_day BETWEEN '${from}' AND '${date}'
  AND ${app_filter}
GROUP BY cohort_day, media_source
ORDER BY cohort_day, cohort_users DESC, media_source
