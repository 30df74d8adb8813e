-- Installs by media source over time: one row per report day and source over the window.
SELECT "day", media_source,
       COALESCE(SUM(installs), 0) AS installs,
       COALESCE(SUM(re_attributions), 0) AS re_attributions,
       COALESCE(SUM(re_engagements), 0) AS re_engagements,
       COALESCE(SUM(rejected), 0) AS rejected
FROM "${ds_attributions}"
WHERE __time >= TIMESTAMP '${time_from}' AND __time < TIMESTAMP '${time_to}'
  AND "day" BETWEEN '${from}' AND '${date}'
  AND ${app_filter}
GROUP BY "day", media_source
ORDER BY "day", installs DESC, media_source
