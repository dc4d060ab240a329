-- Region load: arrivals, completions, backlog, capacity and utilization per region per 10 s
-- window (the region_load view over the load topic), oldest first.
SELECT region, window_start, ROUND(arrival_rate, 1) AS arrivals_per_s,
  ROUND(completion_rate, 1) AS completions_per_s, CAST(backlog AS BIGINT) AS backlog,
  ROUND(capacity_per_second, 1) AS capacity_per_s, ROUND(utilization, 2) AS utilization
FROM region_load
ORDER BY window_start, region;
