-- Queueing delay (submittedAt to dispatchedAt) percentiles per tenant, from the outcomes of
-- dispatched invocations. Outcomes carry no criticality: per tenant and criticality class, the
-- scheduler's own percentiles are in scheduling_metrics (queueDelayP50Ms / P99Ms per period).
SELECT
  tenant,
  COUNT(*) AS dispatched,
  CAST(PERCENTILE(queue_delay_ms, 0.5) AS BIGINT) AS p50_ms,
  CAST(PERCENTILE(queue_delay_ms, 0.99) AS BIGINT) AS p99_ms,
  MAX(queue_delay_ms) AS max_ms
FROM outcomes
WHERE dispatchedAt IS NOT NULL
GROUP BY tenant
ORDER BY tenant;
