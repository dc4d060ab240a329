-- The latest traffic matrix: each source region's shares of new work by destination region, from
-- its newest GTC decision, with why.
SELECT source_region, target_region, ROUND(share, 3) AS share, reason, version, decided_time
FROM (
  SELECT *, RANK() OVER (PARTITION BY source_region ORDER BY version DESC) AS rk
  FROM gtc_shares
)
WHERE rk = 1
ORDER BY source_region, target_region;
