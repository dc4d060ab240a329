-- Throughput: terminal outcomes per tenant per minute (by finishedAt), and how many succeeded.
SELECT
  DATE_FORMAT(window_start, 'yyyy-MM-dd HH:mm') AS `minute`,
  tenant,
  COUNT(*) AS outcomes,
  COUNT(*) FILTER (WHERE status = 'SUCCEEDED') AS succeeded
FROM TABLE(TUMBLE(TABLE outcomes, DESCRIPTOR(finished_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, tenant
ORDER BY `minute`, tenant;
