-- One-screen totals over the report days of the window: installs (organic and paid), fraud rejected,
-- in-app events and USD revenue (the same totals as ClickHouse's demo_report; speed vs batch
-- agreement lives in ClickHouse only).
SELECT i."scope" AS "scope",
       COALESCE(i.installs, 0) AS installs,
       COALESCE(i.organic, 0) AS organic,
       COALESCE(i.installs, 0) - COALESCE(i.organic, 0) AS paid,
       CASE WHEN COALESCE(i.installs, 0) = 0 THEN 0
            ELSE ROUND(CAST(i.organic AS DOUBLE) / i.installs, 4) END AS organic_share,
       COALESCE(i.rejected, 0) AS rejected,
       COALESCE(e.events, 0) AS events,
       COALESCE(e.revenue_usd, 0) AS revenue_usd
FROM (
    SELECT 'total' AS "scope", SUM(installs) AS installs, SUM(organic_installs) AS organic, SUM(rejected) AS rejected
    FROM "${ds_attributions}"
    WHERE __time >= TIMESTAMP '${time_from}' AND __time < TIMESTAMP '${time_to}'
      AND "day" BETWEEN '${from}' AND '${date}'
      AND ${app_filter}
) i
LEFT JOIN (
    SELECT 'total' AS "scope", SUM(events) AS events, SUM(revenue_usd) AS revenue_usd
    FROM "${ds_events}"
    WHERE __time >= TIMESTAMP '${time_from}' AND __time < TIMESTAMP '${time_to}'
      AND "day" BETWEEN '${from}' AND '${date}'
      AND ${app_filter}
) e ON i."scope" = e."scope"
