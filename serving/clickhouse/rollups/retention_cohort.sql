-- retention_cohort (migration 0006) from retention: one loaded day's rows of one cohort month, summed
-- to the rollup's grain. BatchLoader runs it after the retention load of ${date}, per cohort month touched.
SELECT event_date, cohort_day, app_id, media_source, day_n, sum(users) AS users
FROM ${source}
WHERE event_date = toDate('${date}') AND toYYYYMM(cohort_day) = ${month}
GROUP BY event_date, cohort_day, app_id, media_source, day_n
