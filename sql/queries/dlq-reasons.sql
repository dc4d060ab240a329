-- Dead letters by reason: how many, for how many tenants, and when the latest arrived.
SELECT
  reason,
  COUNT(*) AS records,
  COUNT(DISTINCT tenant) AS tenants,
  MAX(failed_time) AS latest
FROM dlq
GROUP BY reason
ORDER BY records DESC, reason;
