-- Queueing delay (submittedAt to dispatchedAt) percentiles per tenant and criticality class,
-- from the outcomes of dispatched invocations. The scheduler's own per-period percentiles are in
-- scheduling_metrics (queueDelayP50Ms / P99Ms).
SELECT
  tenant,
  criticality,
  COUNT(*) AS dispatched,
  CAST(PERCENTILE(queue_delay_ms, 0.5) AS BIGINT) AS p50_ms,
  CAST(PERCENTILE(queue_delay_ms, 0.99) AS BIGINT) AS p99_ms,
  MAX(queue_delay_ms) AS max_ms
FROM outcomes
WHERE dispatchedAt IS NOT NULL
GROUP BY tenant, criticality
ORDER BY tenant, criticality;
