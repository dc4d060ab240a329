-- xfaas tables for Flink SQL: the topics the scheduler job writes, as Kafka JSON tables.
--
-- `./xfaas sql` fills in the ${...} placeholders from the xfaas configuration (--config, -D,
-- --bootstrap-servers) and loads this file as the SQL client's init file (-i). The rendered copy
-- is .xfaas/sql/tables.sql, for the SQL Gateway or any other Flink SQL session.
--
-- Every table reads committed data only (the job writes in Kafka transactions) and, for the
-- ready queries, from the earliest offset up to the latest offset when the query starts
-- (bounded), so a query prints its answer and ends. For a continuous query, override per query:
--   SELECT ... FROM outcomes /*+ OPTIONS('scan.bounded.mode'='unbounded') */ ...
-- Times are epoch milliseconds (UTC); *_time columns are TIMESTAMP_LTZ views of them.

SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';
SET 'table.local-time-zone' = 'UTC';

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
) WITH (
  'connector' = 'kafka',
  'topic' = '${OUTCOMES}',
  'properties.bootstrap.servers' = '${BOOTSTRAP}',
  'properties.group.id' = 'xfaas.${REGION}.sql',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

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
) WITH (
  'connector' = 'kafka',
  'topic' = '${DLQ}',
  'properties.bootstrap.servers' = '${BOOTSTRAP}',
  'properties.group.id' = 'xfaas.${REGION}.sql',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

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
) WITH (
  'connector' = 'kafka',
  'topic' = '${METRICS}',
  'properties.bootstrap.servers' = '${BOOTSTRAP}',
  'properties.group.id' = 'xfaas.${REGION}.sql',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- The global traffic conductor's decisions (${GTC_DECISIONS}, compacted, key = region).
-- PLACEHOLDER: the GTC job is not built yet; this is the schema it is planned to write: per
-- decision, the share of a source region's traffic for a function class sent to each target.
CREATE TABLE IF NOT EXISTS gtc_decisions (
  decisionId STRING,
  sourceRegion STRING,
  targetRegion STRING,
  `function` STRING,        -- or '*' for every function
  share DOUBLE,             -- fraction of the source region's load, 0..1
  decidedAt BIGINT,
  validUntil BIGINT,
  decided_time AS TO_TIMESTAMP_LTZ(decidedAt, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = '${GTC_DECISIONS}',
  'properties.bootstrap.servers' = '${BOOTSTRAP}',
  'properties.group.id' = 'xfaas.${REGION}.sql',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);
