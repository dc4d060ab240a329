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
  public static final XfaasOption TOPIC_CONFIG =
      new XfaasOption(
          "xfaas.topics.config", "xfaas.config", "Compacted tenant and function settings.");
  public static final XfaasOption TOPIC_LOAD =
      new XfaasOption("xfaas.topics.load", "xfaas.load", "Load reports of every region.");
  public static final XfaasOption TOPIC_GTC_DECISIONS =
      new XfaasOption(
          "xfaas.topics.gtc-decisions", "xfaas.gtc.decisions", "Compacted traffic matrix.");
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
  public static final XfaasOption SCHEDULER_PARALLELISM =
      new XfaasOption("xfaas.scheduler.parallelism", "1", "Parallelism of the scheduler job.");

  public static final XfaasOption SIDECAR_GROUP_ID =
      new XfaasOption(
          "xfaas.sidecar.group-id",
          "xfaas.${xfaas.region}.workers",
          "Consumer group of the region's sidecars on RunQ (WorkerLB).");
  public static final XfaasOption SIDECAR_THREADS =
      new XfaasOption(
          "xfaas.sidecar.threads", "8", "Worker threads of one sidecar running functions.");
  public static final XfaasOption SIDECAR_MAX_POLL_RECORDS =
      new XfaasOption(
          "xfaas.sidecar.max-poll-records", "500", "Invocations a sidecar takes per poll.");
  public static final XfaasOption SIDECAR_RETRY_BACKOFF_MS =
      new XfaasOption(
          "xfaas.sidecar.retry-backoff-ms",
          "1000",
          "Delay before the retry of a failed attempt (notBefore = now + this).");

  public static final XfaasOption SIDECAR_CALL_TIMEOUT_MS =
      new XfaasOption(
          "xfaas.sidecar.call-timeout-ms",
          "30000",
          "Longest a function call may run; a slower attempt fails with TIMEOUT.");

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
          TOPIC_CONFIG,
          TOPIC_LOAD,
          TOPIC_GTC_DECISIONS,
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
          SCHEDULER_PARALLELISM,
          SIDECAR_GROUP_ID,
          SIDECAR_THREADS,
          SIDECAR_MAX_POLL_RECORDS,
          SIDECAR_RETRY_BACKOFF_MS,
          SIDECAR_CALL_TIMEOUT_MS);
}
