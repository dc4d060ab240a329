-- Why did calls wait? Decisions per tenant, function, decision and reason, with how many calls and
-- the latest one. For one call: SELECT * FROM scheduling_decisions WHERE id = '...' ORDER BY `at`;
SELECT
  tenant,
  `function`,
  decision,
  reason,
  COUNT(*) AS calls,
  MAX(decided_time) AS latest
FROM scheduling_decisions
GROUP BY tenant, `function`, decision, reason
ORDER BY tenant, `function`, decision, reason;
