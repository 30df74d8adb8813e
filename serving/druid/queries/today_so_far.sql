-- Today so far (or any one day): installs, rejections, in-app events and USD revenue per app and
-- source for report day ${date}: realtime until the batch re-indexes the day, batch after.
SELECT COALESCE(i.app_id, e.app_id) AS app_id,
       COALESCE(i.media_source, e.media_source) AS media_source,
       COALESCE(i.installs, 0) AS installs,
       COALESCE(i.organic, 0) AS organic,
       COALESCE(i.rejected, 0) AS rejected,
       COALESCE(e.events, 0) AS events,
       COALESCE(e.revenue_usd, 0) AS revenue_usd
FROM (
    SELECT app_id, media_source, COALESCE(SUM(installs), 0) AS installs,
           COALESCE(SUM(organic_installs), 0) AS organic, COALESCE(SUM(rejected), 0) AS rejected
    FROM "${ds_attributions}"
    WHERE __time >= TIMESTAMP '${day_time_from}' AND __time < TIMESTAMP '${time_to}'
      AND "day" = '${date}' AND ${app_filter}
    GROUP BY app_id, media_source
) i
FULL OUTER JOIN (
    SELECT app_id, media_source, SUM(events) AS events, SUM(revenue_usd) AS revenue_usd
    FROM "${ds_events}"
    WHERE __time >= TIMESTAMP '${day_time_from}' AND __time < TIMESTAMP '${time_to}'
      AND "day" = '${date}' AND ${app_filter}
    GROUP BY app_id, media_source
) e ON i.app_id = e.app_id AND i.media_source = e.media_source
ORDER BY 1, installs DESC, 2
