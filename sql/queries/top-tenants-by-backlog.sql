-- Top tenants by backlog: each tenant's FuncBuffer size in its latest metrics period.
SELECT tenant, buffered AS backlog, queueDelayP99Ms AS p99_ms, TO_TIMESTAMP_LTZ(periodEnd, 3) AS as_of
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY tenant ORDER BY periodEnd DESC) AS rn
  FROM scheduling_metrics
)
WHERE rn = 1
ORDER BY backlog DESC, tenant
LIMIT 10;
