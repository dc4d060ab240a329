-- Why calls waited, per tenant, from the scheduler's metrics: held back by the tenant's quota or
-- fair share (throttled), by a slow downstream (paced), or as DEFERRABLE work while the region was
-- busy (deferred); and how many waiting calls were released.
SELECT
  tenant,
  SUM(arrived) AS arrived,
  SUM(dispatched) AS dispatched,
  SUM(throttled) AS throttled,
  SUM(COALESCE(paced, CAST(0 AS BIGINT))) AS paced,
  SUM(COALESCE(deferred, CAST(0 AS BIGINT))) AS deferred,
  SUM(COALESCE(released, CAST(0 AS BIGINT))) AS released
FROM scheduling_metrics
GROUP BY tenant
ORDER BY throttled DESC, tenant;
