-- ltv_cohort (migration 0006) from ltv: one loaded day's rows of one cohort month, summed to the
-- rollup's grain. BatchLoader runs it after the ltv load of ${date}, for each cohort month touched.
SELECT event_date, cohort_day, app_id, media_source, age_days,
       sum(events) AS events, sum(revenue_events) AS revenue_events, sum(revenue_usd) AS revenue_usd
FROM ${source}
WHERE event_date = toDate('${date}') AND toYYYYMM(cohort_day) = ${month}
GROUP BY event_date, cohort_day, app_id, media_source, age_days
