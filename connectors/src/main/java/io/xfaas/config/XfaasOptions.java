package io.xfaas.config;

import java.util.List;

/**
 * Every configuration option of xfaas, with its default: the one place they are listed. The
 * README's configuration table and {@code flink-conf/xfaas.properties} mirror this list (a test
 * checks both).
 */
public final class XfaasOptions {
  private XfaasOptions() {}

  public static final XfaasOption REGION =
      new XfaasOption("xfaas.region", "local", "This deployment's region; part of topic names.");
  public static final XfaasOption BOOTSTRAP_SERVERS =
      new XfaasOption(
          "xfaas.kafka.bootstrap-servers", "localhost:9092", "Kafka bootstrap servers.");

  public static final XfaasOption TOPIC_DURABLEQ =
      new XfaasOption(
          "xfaas.topics.durableq", "xfaas.${xfaas.region}.durableq", "Submitted invocations.");
  public static final XfaasOption TOPIC_RUNQ =
      new XfaasOption(
          "xfaas.topics.runq",
          "xfaas.${xfaas.region}.runq",
          "Invocations released for execution, keyed by function.");
  public static final XfaasOption TOPIC_OUTCOMES =
      new XfaasOption(
          "xfaas.topics.outcomes",
          "xfaas.${xfaas.region}.outcomes",
          "One terminal outcome per invocation, keyed by id.");
  public static final XfaasOption TOPIC_RESULTS =
      new XfaasOption(
          "xfaas.topics.results",
          "xfaas.${xfaas.region}.results",
          "Attempt results from the sidecars, keyed by id; the scheduler deduplicates them into"
              + " outcomes.");
  public static final XfaasOption TOPIC_DLQ =
      new XfaasOption(
          "xfaas.topics.dlq", "xfaas.${xfaas.region}.dlq", "Dead letters: records that failed.");
  public static final XfaasOption TOPIC_FEEDBACK =
      new XfaasOption(
          "xfaas.topics.feedback",
          "xfaas.${xfaas.region}.feedback",
          "Sidecar reports per function (latency, errors, capacity).");
  public static final XfaasOption TOPIC_METRICS =
      new XfaasOption(
          "xfaas.topics.metrics",
          "xfaas.${xfaas.region}.metrics",
          "Scheduling metrics per tenant and period, for Flink SQL.");
  public static final XfaasOption TOPIC_DECISIONS =
      new XfaasOption(
          "xfaas.topics.decisions",
          "xfaas.${xfaas.region}.decisions",
          "Scheduling decisions per invocation (held, throttled, deferred, released) with their reasons, keyed by id: why a call waited.");
  public static final XfaasOption TOPIC_CONFIG =
      new XfaasOption(
          "xfaas.topics.config", "xfaas.config", "Compacted tenant and function settings.");
  public static final XfaasOption TOPIC_LOAD =
      new XfaasOption("xfaas.topics.load", "xfaas.load", "Load reports of every region.");
  public static final XfaasOption TOPIC_GTC_DECISIONS =
      new XfaasOption(
          "xfaas.topics.gtc-decisions", "xfaas.gtc.decisions", "Compacted traffic matrix.");
  public static final XfaasOption TOPIC_DLQ_REDRIVE =
      new XfaasOption(
          "xfaas.topics.dlq-redrive",
          "xfaas.${xfaas.region}.dlq-redrive",
          "Compacted audit of DLQ redrives (xfaas dlq redrive): one record per redriven dead letter and per run.");
  public static final XfaasOption TOPIC_PARTITIONS =
      new XfaasOption(
          "xfaas.topics.partitions",
          "8",
          "Partitions of each region topic when xfaas creates it (DurableQ, RunQ, results, outcomes).");

  public static final XfaasOption MAX_PAYLOAD_BYTES =
      new XfaasOption(
          "xfaas.invocation.max-payload-bytes",
          "262144",
          "Largest payload in bytes (256 KiB); larger data belongs in a store.");
  public static final XfaasOption MAX_ID_LENGTH =
      new XfaasOption(
          "xfaas.invocation.max-id-length",
          "128",
          "Longest id, tenant or function name, in characters.");
  public static final XfaasOption MAX_CLOCK_SKEW_MS =
      new XfaasOption(
          "xfaas.invocation.max-clock-skew-ms",
          "300000",
          "How far in the future submittedAt may be, in ms.");
  public static final XfaasOption DEFAULT_MAX_ATTEMPTS =
      new XfaasOption(
          "xfaas.invocation.default-max-attempts",
          "3",
          "maxAttempts of an invocation that gives none.");

  public static final XfaasOption SCHEDULER_CHECKPOINT_INTERVAL_MS =
      new XfaasOption(
          "xfaas.scheduler.checkpoint-interval-ms",
          "1000",
          "Checkpoint interval; exactly-once output becomes visible at each checkpoint.");
  public static final XfaasOption SCHEDULER_TRANSACTION_TIMEOUT_MS =
      new XfaasOption(
          "xfaas.scheduler.transaction-timeout-ms",
          "600000",
          "Kafka transaction timeout of the scheduler's sinks; below the broker's"
              + " transaction.max.timeout.ms (15 min by default).");
  public static final XfaasOption SCHEDULER_TRANSACTIONAL_ID_PREFIX =
      new XfaasOption(
          "xfaas.scheduler.transactional-id-prefix",
          "xfaas-${xfaas.region}-scheduler",
          "Prefix of the scheduler's transactional ids; unique per job and cluster.");
  public static final XfaasOption SCHEDULER_GROUP_ID =
      new XfaasOption(
          "xfaas.scheduler.group-id",
          "xfaas.${xfaas.region}.scheduler",
          "Consumer group of the scheduler on DurableQ (offsets live in checkpoints).");
  public static final XfaasOption SCHEDULER_DEDUP_WINDOW_MS =
      new XfaasOption(
          "xfaas.scheduler.dedup-window-ms",
          "86400000",
          "How long an id is remembered to drop duplicate results and submissions (24 h).");
  public static final XfaasOption SCHEDULER_CAPACITY =
      new XfaasOption(
          "xfaas.scheduler.capacity",
          "10000",
          "Dispatches per second the region can take; backlogged tenants share it by weight.");
  public static final XfaasOption SCHEDULER_METRICS_INTERVAL_MS =
      new XfaasOption(
          "xfaas.scheduler.metrics-interval-ms",
          "60000",
          "Period of the per-tenant scheduling metrics records.");
  public static final XfaasOption SCHEDULER_PARALLELISM =
      new XfaasOption("xfaas.scheduler.parallelism", "1", "Parallelism of the scheduler job.");
  public static final XfaasOption PACING_ENABLED =
      new XfaasOption(
          "xfaas.scheduler.pacing.enabled",
          "true",
          "Pace each function's dispatch from the sidecars' feedback (AIMD with slow start); false dispatches at the tenants' quotas only.");
  public static final XfaasOption PACING_STEP_MS =
      new XfaasOption(
          "xfaas.scheduler.pacing.step-ms",
          "1000",
          "How often a function's pace is adjusted from its feedback.");
  public static final XfaasOption PACING_DECREASE_FACTOR =
      new XfaasOption(
          "xfaas.scheduler.pacing.decrease-factor",
          "0.7",
          "Multiplicative decrease: on congestion a function's rate becomes this times the smaller of its rate and its measured completion rate.");
  public static final XfaasOption PACING_INCREASE =
      new XfaasOption(
          "xfaas.scheduler.pacing.increase",
          "0.1",
          "Additive increase per step without congestion, as a share of the rate the function had before its first decrease.");
  public static final XfaasOption PACING_MIN_RATE =
      new XfaasOption(
          "xfaas.scheduler.pacing.min-rate",
          "1",
          "Lowest rate (calls per second, whole region) a paced function is slowed to.");
  public static final XfaasOption PACING_UNPACE_AFTER_STEPS =
      new XfaasOption(
          "xfaas.scheduler.pacing.unpace-after-steps",
          "10",
          "Steps in a row without congestion and without the pace holding anything back after which a function is no longer paced.");
  public static final XfaasOption FEEDBACK_STALE_MS =
      new XfaasOption(
          "xfaas.scheduler.feedback-stale-ms",
          "5000",
          "A sidecar's feedback older than this no longer counts (a stopped sidecar stops counting).");
  public static final XfaasOption UTILIZATION_TARGET =
      new XfaasOption(
          "xfaas.scheduler.utilization.target",
          "0.8",
          "Region utilization (sidecar calls in flight over capacity) above which DEFERRABLE work and opportunistic quota are held.");
  public static final XfaasOption UTILIZATION_HYSTERESIS =
      new XfaasOption(
          "xfaas.scheduler.utilization.hysteresis",
          "0.1",
          "Held work is released once utilization is this far below the target.");
  public static final XfaasOption DEFERRAL_MARGIN_MS =
      new XfaasOption(
          "xfaas.scheduler.deferral.margin-ms",
          "5000",
          "Least safety margin before a held call's deadline: it is released by deadline minus expected run time minus this margin plus the learned run-time spread.");
  public static final XfaasOption LOAD_REPORT_INTERVAL_MS =
      new XfaasOption(
          "xfaas.scheduler.load-report-interval-ms",
          "1000",
          "How often each scheduler subtask writes its load report (arrivals, backlog by criticality) to the load topic.");

  public static final XfaasOption TENANTS_UNKNOWN_POLICY =
      new XfaasOption(
          "xfaas.tenants.unknown-policy",
          "default-quota",
          "What a tenant without settings gets: default-quota (the xfaas.tenants.default.* values)"
              + " or reject (REJECTED, UNKNOWN_TENANT).");
  public static final XfaasOption TENANTS_DEFAULT_RATE =
      new XfaasOption(
          "xfaas.tenants.default.rate", "1000", "Default quota: dispatches per second.");
  public static final XfaasOption TENANTS_DEFAULT_BURST =
      new XfaasOption("xfaas.tenants.default.burst", "1000", "Default quota: token bucket size.");
  public static final XfaasOption TENANTS_DEFAULT_CONCURRENCY =
      new XfaasOption(
          "xfaas.tenants.default.concurrency", "1000", "Default quota: invocations in flight.");
  public static final XfaasOption TENANTS_DEFAULT_WEIGHT =
      new XfaasOption("xfaas.tenants.default.weight", "1", "Default fair-share weight.");
  public static final XfaasOption TENANTS_DEFAULT_BUFFER =
      new XfaasOption(
          "xfaas.tenants.default.buffer", "100000", "Default FuncBuffer bound per tenant.");
  public static final XfaasOption TENANTS_DEFAULT_DEADLINE_MS =
      new XfaasOption(
          "xfaas.tenants.default.deadline-ms",
          "0",
          "Default deadline after submittedAt for invocations that give none; 0 for none.");

  public static final XfaasOption SIDECAR_GROUP_ID =
      new XfaasOption(
          "xfaas.sidecar.group-id",
          "xfaas.${xfaas.region}.workers",
          "Consumer group of the region's sidecars on RunQ (WorkerLB).");
  public static final XfaasOption SIDECAR_THREADS =
      new XfaasOption(
          "xfaas.sidecar.threads",
          "8",
          "Most calls one sidecar runs at once over all its functions (its capacity); a function below its fair share (threads / active functions, whole calls) may go over it, and a freed slot goes first to the functions running fewest calls.");
  public static final XfaasOption SIDECAR_MAX_POLL_RECORDS =
      new XfaasOption(
          "xfaas.sidecar.max-poll-records", "2000", "Invocations a sidecar takes per poll.");
  public static final XfaasOption SIDECAR_RETRY_BACKOFF_MS =
      new XfaasOption(
          "xfaas.sidecar.retry-backoff-ms",
          "1000",
          "Delay before the first retry of a failed attempt; it doubles with each attempt, plus"
              + " jitter (notBefore = now + delay).");

  public static final XfaasOption SIDECAR_CALL_TIMEOUT_MS =
      new XfaasOption(
          "xfaas.sidecar.call-timeout-ms",
          "30000",
          "Longest a function call may run; a slower attempt fails with TIMEOUT.");
  public static final XfaasOption SIDECAR_WINDOW_INITIAL =
      new XfaasOption(
          "xfaas.sidecar.window-initial",
          "1",
          "Concurrency window a function starts with; slow start doubles it every round trip until the first decrease.");
  public static final XfaasOption SIDECAR_WINDOW_MIN =
      new XfaasOption(
          "xfaas.sidecar.window-min", "1", "Smallest concurrency window of a function.");
  public static final XfaasOption SIDECAR_WINDOW_MAX =
      new XfaasOption(
          "xfaas.sidecar.window-max", "64", "Largest concurrency window of a function.");
  public static final XfaasOption SIDECAR_WINDOW_DECREASE_FACTOR =
      new XfaasOption(
          "xfaas.sidecar.window-decrease-factor",
          "0.5",
          "Multiplicative decrease: the window is multiplied by this on a timeout, error, throttle or rising latency.");
  public static final XfaasOption SIDECAR_WINDOW_LATENCY_TOLERANCE =
      new XfaasOption(
          "xfaas.sidecar.window-latency-tolerance",
          "2.0",
          "A function's smoothed latency above this multiple of its baseline (plus 10 ms) counts as congestion.");
  public static final XfaasOption SIDECAR_RETRY_BACKOFF_MAX_MS =
      new XfaasOption(
          "xfaas.sidecar.retry-backoff-max-ms",
          "60000",
          "Longest retry backoff; the backoff doubles with each attempt up to this.");
  public static final XfaasOption SIDECAR_RETRY_JITTER =
      new XfaasOption(
          "xfaas.sidecar.retry-jitter",
          "0.2",
          "Random extra backoff, as a fraction of the backoff (0.2: up to 20 % more).");
  public static final XfaasOption SIDECAR_BATCH_SIZE =
      new XfaasOption(
          "xfaas.sidecar.batch-size",
          "16",
          "Most calls of one function sent in one batch, for functions that accept batches (HTTP functions).");
  public static final XfaasOption SIDECAR_BATCH_LINGER_MS =
      new XfaasOption(
          "xfaas.sidecar.batch-linger-ms",
          "2",
          "How long a partial batch waits for more calls before it is sent.");
  public static final XfaasOption SIDECAR_FEEDBACK_INTERVAL_MS =
      new XfaasOption(
          "xfaas.sidecar.feedback-interval-ms",
          "1000",
          "How often a sidecar reports each active function to the feedback topic.");
  public static final XfaasOption SIDECAR_HTTP_FUNCTIONS =
      new XfaasOption(
          "xfaas.sidecar.http-functions",
          "",
          "Remote functions over the HTTP protocol: name=url,name2=url2 (empty: none).");
  public static final XfaasOption SIDECAR_HTTP_PORT =
      new XfaasOption(
          "xfaas.sidecar.http-port",
          "0",
          "Port of the sidecar's /metrics, /health and /ready endpoints; 0 turns them off.");
  public static final XfaasOption SIDECAR_SESSION_TIMEOUT_MS =
      new XfaasOption(
          "xfaas.sidecar.session-timeout-ms",
          "45000",
          "How long the group waits for a silent sidecar (crashed, cut off) before its partitions go to the others.");
  public static final XfaasOption SIDECAR_PREFIX_FUNCTIONS =
      new XfaasOption(
          "xfaas.sidecar.prefix-functions",
          "f-=replay",
          "Function-name prefixes served by one function: prefix=function,... (the default lets the trace-replay emulator serve every f-* name; empty: none).");
  public static final XfaasOption SIDECAR_RUN_BUDGET_US =
      new XfaasOption(
          "xfaas.sidecar.run-budget-us",
          "1000",
          "Calls expected to take this long together (from their function's measured batch time) run one after the other on one call thread, saving a thread hand-off per call; slower functions get a thread per batch.");
  public static final XfaasOption SIDECAR_PRODUCER_LINGER_MS =
      new XfaasOption(
          "xfaas.sidecar.producer-linger-ms",
          "5",
          "How long a sidecar's producer waits to fill a batch of results before sending it (Kafka linger.ms).");
  public static final XfaasOption SIDECAR_PRODUCER_BATCH_BYTES =
      new XfaasOption(
          "xfaas.sidecar.producer-batch-bytes",
          "262144",
          "Largest batch of results per partition in one produce request (Kafka batch.size).");
  public static final XfaasOption SIDECAR_PRODUCER_COMPRESSION =
      new XfaasOption(
          "xfaas.sidecar.producer-compression",
          "none",
          "Compression of the sidecar's result batches: none, lz4, zstd, snappy or gzip (Kafka compression.type).");
  public static final XfaasOption SIDECAR_FETCH_MIN_BYTES =
      new XfaasOption(
          "xfaas.sidecar.fetch-min-bytes",
          "1",
          "Bytes of RunQ the broker gathers before answering a sidecar's fetch, up to fetch-max-wait-ms (Kafka fetch.min.bytes).");
  public static final XfaasOption SIDECAR_FETCH_MAX_WAIT_MS =
      new XfaasOption(
          "xfaas.sidecar.fetch-max-wait-ms",
          "500",
          "Longest the broker holds a sidecar's fetch to gather fetch-min-bytes (Kafka fetch.max.wait.ms).");
  public static final XfaasOption SIDECAR_MAX_PARTITION_FETCH_BYTES =
      new XfaasOption(
          "xfaas.sidecar.max-partition-fetch-bytes",
          "1048576",
          "Most bytes of one RunQ partition in one fetch (Kafka max.partition.fetch.bytes).");

  public static final XfaasOption GTC_ROUTING_ENABLED =
      new XfaasOption(
          "xfaas.gtc.routing-enabled",
          "false",
          "Submitters route new invocations by the GTC's latest traffic matrix (off: always to the local DurableQ).");
  public static final XfaasOption GTC_WINDOW_MS =
      new XfaasOption(
          "xfaas.gtc.window-ms",
          "2000",
          "Tumbling event-time window over which the GTC job aggregates each region's load reports.");
  public static final XfaasOption GTC_OUT_OF_ORDERNESS_MS =
      new XfaasOption(
          "xfaas.gtc.out-of-orderness-ms",
          "2000",
          "How late a load report may arrive (reportedAt behind the newest) and still count in its window; schedulers' reports only show at their job's checkpoint.");
  public static final XfaasOption GTC_IDLENESS_MS =
      new XfaasOption(
          "xfaas.gtc.idleness-ms",
          "3000",
          "A load-topic partition silent this long no longer holds back the GTC job's watermark.");
  public static final XfaasOption GTC_HEARTBEAT_TIMEOUT_MS =
      new XfaasOption(
          "xfaas.gtc.heartbeat-timeout-ms",
          "6000",
          "A region without a load report for this long is dead: its traffic is drained to the others.");
  public static final XfaasOption GTC_DECISION_INTERVAL_MS =
      new XfaasOption(
          "xfaas.gtc.decision-interval-ms",
          "1000",
          "How often the GTC job re-checks heartbeats (processing time) besides recomputing on every window.");
  public static final XfaasOption GTC_HYSTERESIS =
      new XfaasOption(
          "xfaas.gtc.hysteresis",
          "0.05",
          "Share changes smaller than this are ignored, so the matrix does not flap.");
  public static final XfaasOption GTC_MAX_STEP =
      new XfaasOption(
          "xfaas.gtc.max-step",
          "0.25",
          "Largest change of any share in one decision (draining a dead region is not limited).");
  public static final XfaasOption GTC_HEADROOM_TARGET =
      new XfaasOption(
          "xfaas.gtc.headroom-target",
          "0.8",
          "Share of a region's capacity the GTC plans to use; the rest is headroom for bursts.");
  public static final XfaasOption GTC_CHECKPOINT_INTERVAL_MS =
      new XfaasOption(
          "xfaas.gtc.checkpoint-interval-ms",
          "1000",
          "Checkpoint interval of the GTC job; its decisions become visible (exactly once) at each checkpoint.");
  public static final XfaasOption GTC_TRANSACTIONAL_ID_PREFIX =
      new XfaasOption(
          "xfaas.gtc.transactional-id-prefix",
          "xfaas-gtc",
          "Prefix of the GTC job's transactional ids; unique per cluster.");
  public static final XfaasOption GTC_GROUP_ID =
      new XfaasOption(
          "xfaas.gtc.group-id",
          "xfaas.gtc",
          "Consumer group of the GTC job on the load topic (offsets live in checkpoints).");

  public static final List<XfaasOption> ALL =
      List.of(
          REGION,
          BOOTSTRAP_SERVERS,
          TOPIC_DURABLEQ,
          TOPIC_RUNQ,
          TOPIC_OUTCOMES,
          TOPIC_RESULTS,
          TOPIC_DLQ,
          TOPIC_FEEDBACK,
          TOPIC_METRICS,
          TOPIC_DECISIONS,
          TOPIC_CONFIG,
          TOPIC_LOAD,
          TOPIC_GTC_DECISIONS,
          TOPIC_DLQ_REDRIVE,
          TOPIC_PARTITIONS,
          MAX_PAYLOAD_BYTES,
          MAX_ID_LENGTH,
          MAX_CLOCK_SKEW_MS,
          DEFAULT_MAX_ATTEMPTS,
          SCHEDULER_CHECKPOINT_INTERVAL_MS,
          SCHEDULER_TRANSACTION_TIMEOUT_MS,
          SCHEDULER_TRANSACTIONAL_ID_PREFIX,
          SCHEDULER_GROUP_ID,
          SCHEDULER_DEDUP_WINDOW_MS,
          SCHEDULER_CAPACITY,
          SCHEDULER_METRICS_INTERVAL_MS,
          SCHEDULER_PARALLELISM,
          PACING_ENABLED,
          PACING_STEP_MS,
          PACING_DECREASE_FACTOR,
          PACING_INCREASE,
          PACING_MIN_RATE,
          PACING_UNPACE_AFTER_STEPS,
          FEEDBACK_STALE_MS,
          UTILIZATION_TARGET,
          UTILIZATION_HYSTERESIS,
          DEFERRAL_MARGIN_MS,
          LOAD_REPORT_INTERVAL_MS,
          TENANTS_UNKNOWN_POLICY,
          TENANTS_DEFAULT_RATE,
          TENANTS_DEFAULT_BURST,
          TENANTS_DEFAULT_CONCURRENCY,
          TENANTS_DEFAULT_WEIGHT,
          TENANTS_DEFAULT_BUFFER,
          TENANTS_DEFAULT_DEADLINE_MS,
          SIDECAR_GROUP_ID,
          SIDECAR_THREADS,
          SIDECAR_MAX_POLL_RECORDS,
          SIDECAR_RETRY_BACKOFF_MS,
          SIDECAR_CALL_TIMEOUT_MS,
          SIDECAR_WINDOW_INITIAL,
          SIDECAR_WINDOW_MIN,
          SIDECAR_WINDOW_MAX,
          SIDECAR_WINDOW_DECREASE_FACTOR,
          SIDECAR_WINDOW_LATENCY_TOLERANCE,
          SIDECAR_RETRY_BACKOFF_MAX_MS,
          SIDECAR_RETRY_JITTER,
          SIDECAR_BATCH_SIZE,
          SIDECAR_BATCH_LINGER_MS,
          SIDECAR_FEEDBACK_INTERVAL_MS,
          SIDECAR_HTTP_FUNCTIONS,
          SIDECAR_HTTP_PORT,
          SIDECAR_SESSION_TIMEOUT_MS,
          SIDECAR_PREFIX_FUNCTIONS,
          SIDECAR_RUN_BUDGET_US,
          SIDECAR_PRODUCER_LINGER_MS,
          SIDECAR_PRODUCER_BATCH_BYTES,
          SIDECAR_PRODUCER_COMPRESSION,
          SIDECAR_FETCH_MIN_BYTES,
          SIDECAR_FETCH_MAX_WAIT_MS,
          SIDECAR_MAX_PARTITION_FETCH_BYTES,
          GTC_ROUTING_ENABLED,
          GTC_WINDOW_MS,
          GTC_OUT_OF_ORDERNESS_MS,
          GTC_IDLENESS_MS,
          GTC_HEARTBEAT_TIMEOUT_MS,
          GTC_DECISION_INTERVAL_MS,
          GTC_HYSTERESIS,
          GTC_MAX_STEP,
          GTC_HEADROOM_TARGET,
          GTC_CHECKPOINT_INTERVAL_MS,
          GTC_TRANSACTIONAL_ID_PREFIX,
          GTC_GROUP_ID);
}
