-- xfaas tables for Flink SQL: the topics the scheduler job writes, as Kafka JSON tables.
--
-- `./xfaas sql` fills in the ${...} placeholders from the xfaas configuration (--config, -D,
-- --bootstrap-servers) and loads this file as the SQL client's init file (-i). The rendered copy
-- is .xfaas/sql/tables.sql, for the SQL Gateway or any other Flink SQL session.
-- The KAFKA_CLIENT placeholder becomes the 'properties.*' of xfaas.kafka.client-properties-file (an
-- authenticated broker: security.protocol, sasl.*, ssl.*), and nothing without it.
--
-- Every table reads committed data only (the job writes in Kafka transactions) and, for the
-- ready queries, from the earliest offset up to the latest offset when the query starts
-- (bounded), so a query prints its answer and ends. For a continuous query, override per query:
--   SELECT ... FROM outcomes /*+ OPTIONS('scan.bounded.mode'='unbounded') */ ...
-- Times are epoch milliseconds (UTC); *_time columns are TIMESTAMP_LTZ views of them.

SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';
SET 'table.local-time-zone' = 'UTC';

-- What every table below shares: Kafka JSON, committed records only, earliest to latest offset.
-- Each table adds its topic (CREATE TABLE ... LIKE copies these options into it); the template
-- itself is dropped at the end of this file.
CREATE TEMPORARY TABLE xfaas_topic WITH (
  'connector' = 'kafka',
  'properties.bootstrap.servers' = '${BOOTSTRAP}',${KAFKA_CLIENT}
  'properties.group.id' = 'xfaas.${REGION}.sql',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- One terminal outcome per invocation (Outcome on ${OUTCOMES}).
CREATE TABLE IF NOT EXISTS outcomes (
  id STRING,
  tenant STRING,
  `function` STRING,
  criticality STRING,       -- CRITICAL, NORMAL, DEFERRABLE (absent when the record was unreadable)
  status STRING,            -- SUCCEEDED, FAILED, EXPIRED, REJECTED, CANCELLED
  reason STRING,            -- a reason code, for anything but SUCCEEDED
  detail STRING,
  attempts INT,
  submittedAt BIGINT,
  dispatchedAt BIGINT,      -- null when never dispatched
  startedAt BIGINT,
  finishedAt BIGINT,
  region STRING,
  finished_time AS TO_TIMESTAMP_LTZ(finishedAt, 3),
  queue_delay_ms AS dispatchedAt - submittedAt,
  WATERMARK FOR finished_time AS finished_time - INTERVAL '5' SECOND
) WITH ('topic' = '${OUTCOMES}') LIKE xfaas_topic;

-- Records that could not be processed (DeadLetter on ${DLQ}).
CREATE TABLE IF NOT EXISTS dlq (
  reason STRING,            -- MALFORMED_JSON, MISSING_FIELD, INVALID_FIELD, ...
  detail STRING,
  id STRING,
  tenant STRING,
  `function` STRING,
  original STRING,
  originalBase64 STRING,
  topic STRING,
  `partition` INT,
  `offset` BIGINT,
  failedAt BIGINT,
  region STRING,
  failed_time AS TO_TIMESTAMP_LTZ(failedAt, 3)
) WITH ('topic' = '${DLQ}') LIKE xfaas_topic;

-- One tenant's scheduling over one period (SchedulingMetrics on ${METRICS}, key = tenant).
CREATE TABLE IF NOT EXISTS scheduling_metrics (
  tenant STRING,
  region STRING,
  periodStart BIGINT,
  periodEnd BIGINT,
  arrived BIGINT,           -- admitted into the FuncBuffer during the period
  dispatched BIGINT,        -- released to RunQ
  throttled BIGINT,         -- held back by the tenant's rate or concurrency quota
  expired BIGINT,
  rejected BIGINT,
  cancelled BIGINT,
  duplicates BIGINT,
  buffered BIGINT,          -- the tenant's backlog in the FuncBuffer at periodEnd
  queueDelayP50Ms BIGINT,   -- arrival in the scheduler to dispatch
  queueDelayP99Ms BIGINT,
  queueDelayMaxMs BIGINT,
  paced BIGINT,             -- PACED decisions: held because the function's downstream is slow
  deferred BIGINT,          -- DEFERRED decisions: DEFERRABLE work held while the region is busy
  released BIGINT,          -- RELEASED decisions: dispatched after waiting
  period_end_time AS TO_TIMESTAMP_LTZ(periodEnd, 3),
  WATERMARK FOR period_end_time AS period_end_time - INTERVAL '5' SECOND
) WITH ('topic' = '${METRICS}') LIKE xfaas_topic;

-- Why calls waited (SchedulingDecision on ${DECISIONS}, key = id): one row each time the scheduler
-- throttled, paced, deferred or released an invocation. A call dispatched on arrival has none.
--   SELECT * FROM scheduling_decisions WHERE id = 'order-42' ORDER BY `at`;
CREATE TABLE IF NOT EXISTS scheduling_decisions (
  id STRING,
  tenant STRING,
  `function` STRING,
  criticality STRING,
  region STRING,
  decision STRING,          -- THROTTLED, PACED, DEFERRED, RELEASED
  reason STRING,            -- see docs/scheduler.md, "Explainable decisions"
  `at` BIGINT,
  detail STRING,
  decided_time AS TO_TIMESTAMP_LTZ(`at`, 3),
  WATERMARK FOR decided_time AS decided_time - INTERVAL '5' SECOND
) WITH ('topic' = '${DECISIONS}') LIKE xfaas_topic;

-- The GTC job's traffic matrix (GtcDecision on ${GTC_DECISIONS}, compacted, key = source region):
-- one row per source region per matrix, with the inputs it was computed from.
CREATE TABLE IF NOT EXISTS gtc_decisions (
  sourceRegion STRING,
  shares MAP<STRING, DOUBLE>, -- destination region -> share of the source's new work (sums to 1)
  inputs ARRAY<ROW<
    region STRING, windowStart BIGINT, windowEnd BIGINT, lastReportAt BIGINT,
    schedulerReports BIGINT, sidecarReports BIGINT,
    arrivalRate DOUBLE, dispatchRate DOUBLE, backlog BIGINT, backlogCritical BIGINT,
    capacityPerSecond DOUBLE, utilization DOUBLE, demand DOUBLE, alive BOOLEAN>>,
  reason STRING,            -- local, overflow, no-headroom, drained
  decidedAt BIGINT,
  version BIGINT,           -- one per matrix: every row of a matrix has the same version
  decided_time AS TO_TIMESTAMP_LTZ(decidedAt, 3),
  WATERMARK FOR decided_time AS decided_time - INTERVAL '5' SECOND
) WITH ('topic' = '${GTC_DECISIONS}') LIKE xfaas_topic;

-- Every region's load reports (LoadReport on ${LOAD}, key = region): schedulers report arrivals
-- and backlog, sidecars capacity and utilization, about every second each.
CREATE TABLE IF NOT EXISTS load_reports (
  region STRING,
  kind STRING,              -- scheduler or sidecar
  reporter STRING,
  reportedAt BIGINT,
  periodMs BIGINT,
  arrivalRate DOUBLE,       -- per second (scheduler)
  dispatchRate DOUBLE,      -- released to RunQ (scheduler) or completed (sidecar), per second
  backlogCritical BIGINT,
  backlogNormal BIGINT,
  backlogDeferrable BIGINT,
  capacityPerSecond DOUBLE, -- sidecar
  utilization DOUBLE,       -- sidecar, 0..1
  levelRate DOUBLE,         -- scheduler: the time-shifting controller's level, calls/s (0: none)
  reported_time AS TO_TIMESTAMP_LTZ(reportedAt, 3),
  WATERMARK FOR reported_time AS reported_time - INTERVAL '5' SECOND
) WITH ('topic' = '${LOAD}') LIKE xfaas_topic;

-- Region-level load per 10-second window, aggregated as the GTC job does: each reporter's rates
-- averaged over the window, its sizes at their mean, then summed over the region's reporters
-- (utilization: the mean over sidecars).
CREATE VIEW IF NOT EXISTS region_load AS
SELECT
  region,
  window_start,
  window_end,
  SUM(reports) AS reports,
  SUM(CASE WHEN kind = 'scheduler' THEN arrival ELSE 0 END) AS arrival_rate,
  SUM(CASE WHEN kind = 'sidecar' THEN dispatch ELSE 0 END) AS completion_rate,
  SUM(CASE WHEN kind = 'scheduler' THEN backlog ELSE 0 END) AS backlog,
  SUM(CASE WHEN kind = 'scheduler' THEN backlog_critical ELSE 0 END) AS backlog_critical,
  SUM(CASE WHEN kind = 'sidecar' THEN capacity ELSE 0 END) AS capacity_per_second,
  AVG(CASE WHEN kind = 'sidecar' THEN utilization END) AS utilization,
  MAX(last_report) AS last_report_time
FROM (
  SELECT
    region, kind, reporter, window_start, window_end,
    COUNT(*) AS reports,
    AVG(arrivalRate) AS arrival,
    AVG(dispatchRate) AS dispatch,
    AVG(CAST(backlogCritical + backlogNormal + backlogDeferrable AS DOUBLE)) AS backlog,
    AVG(CAST(backlogCritical AS DOUBLE)) AS backlog_critical,
    AVG(capacityPerSecond) AS capacity,
    AVG(utilization) AS utilization,
    MAX(reported_time) AS last_report
  FROM TABLE(TUMBLE(TABLE load_reports, DESCRIPTOR(reported_time), INTERVAL '10' SECOND))
  GROUP BY region, kind, reporter, window_start, window_end
)
GROUP BY region, window_start, window_end;

-- The traffic matrix as rows: one per source region, destination region and matrix version.
CREATE VIEW IF NOT EXISTS gtc_shares AS
SELECT d.sourceRegion AS source_region, s.targetRegion AS target_region, s.share,
  d.reason, d.version, d.decided_time
FROM gtc_decisions AS d
CROSS JOIN UNNEST(d.shares) AS s (targetRegion, share);

DROP TEMPORARY TABLE xfaas_topic;
