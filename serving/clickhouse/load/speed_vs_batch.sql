SELECT toDate(event_date) AS event_date, app_id,
       toUInt64(ifNull(batch_verdicts, 0)) AS batch_verdicts,
       toUInt64(ifNull(speed_verdicts, 0)) AS speed_verdicts,
       toUInt64(ifNull(speed_rows, 0)) AS speed_rows,
       toUInt64(ifNull(matched, 0)) AS matched,
       toUInt64(ifNull(touch_arrived_after_install, 0)) AS touch_arrived_after_install,
       toUInt64(ifNull(late_install, 0)) AS late_install,
       toUInt64(ifNull(duplicate, 0)) AS duplicate,
       toUInt64(ifNull(batch_only_fraud_signal, 0)) AS batch_only_fraud_signal,
       toUInt64(ifNull(other, 0)) AS other,
       toUInt8(ifNull(speed_available, 0)) AS speed_available
FROM ${source}
WHERE toDate(event_date) = toDate('${date}')
