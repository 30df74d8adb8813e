-- Fraud by source and publisher site over the window: click-attributed installs, rejections,
-- and the share of installs less than 10 s after the click.
SELECT media_source, COALESCE(site_id, '') AS site_id,
       SUM(ctit_installs) AS click_installs,
       SUM(ctit_rejected) AS rejected,
       CASE WHEN SUM(ctit_installs) = 0 THEN 0 ELSE ROUND(CAST(SUM(ctit_rejected) AS DOUBLE) / SUM(ctit_installs), 4) END AS rejected_rate,
       COALESCE(SUM(CASE WHEN bucket_start_seconds = 0 THEN ctit_installs ELSE 0 END), 0) AS under_10s,
       CASE WHEN SUM(ctit_installs) = 0 THEN 0
            ELSE ROUND(CAST(COALESCE(SUM(CASE WHEN bucket_start_seconds = 0 THEN ctit_installs ELSE 0 END), 0) AS DOUBLE) / SUM(ctit_installs), 4) END AS under_10s_share
FROM "${ds_attributions}"
WHERE __time >= TIMESTAMP '${time_from}' AND __time < TIMESTAMP '${time_to}'
  AND "day" BETWEEN '${from}' AND '${date}'
  AND ${app_filter}
  AND bucket IS NOT NULL
GROUP BY media_source, COALESCE(site_id, '')
ORDER BY rejected DESC, click_installs DESC, media_source, site_id
