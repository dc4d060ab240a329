-- Deadline misses: invocations that EXPIRED (their deadline passed before they ran), per tenant,
-- and their share of the tenant's outcomes.
SELECT
  tenant,
  COUNT(*) FILTER (WHERE status = 'EXPIRED') AS missed,
  COUNT(*) AS outcomes,
  CAST(100.0 * COUNT(*) FILTER (WHERE status = 'EXPIRED') / COUNT(*) AS DECIMAL(5, 1)) AS missed_pct
FROM outcomes
GROUP BY tenant
ORDER BY missed DESC, tenant;
