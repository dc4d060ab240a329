-- Throttled and deferred volume per tenant, from the scheduler's metrics: invocations held back
-- by quotas, and arrivals not dispatched within their period (deferred to a later one).
SELECT
  tenant,
  SUM(arrived) AS arrived,
  SUM(dispatched) AS dispatched,
  SUM(throttled) AS throttled,
  SUM(GREATEST(arrived - dispatched, CAST(0 AS BIGINT))) AS deferred
FROM scheduling_metrics
GROUP BY tenant
ORDER BY throttled DESC, tenant;
