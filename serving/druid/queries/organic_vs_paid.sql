-- Organic vs paid installs per report day over the window.
SELECT "day",
       COALESCE(SUM(installs), 0) AS installs,
       COALESCE(SUM(organic_installs), 0) AS organic,
       COALESCE(SUM(installs), 0) - COALESCE(SUM(organic_installs), 0) AS paid,
       CASE WHEN COALESCE(SUM(installs), 0) = 0 THEN 0
            ELSE ROUND(CAST(SUM(organic_installs) AS DOUBLE) / SUM(installs), 4) END AS organic_share
FROM "${ds_attributions}"
WHERE __time >= TIMESTAMP '${time_from}' AND __time < TIMESTAMP '${time_to}'
  AND "day" BETWEEN '${from}' AND '${date}'
  AND ${app_filter}
GROUP BY "day"
ORDER BY "day"
