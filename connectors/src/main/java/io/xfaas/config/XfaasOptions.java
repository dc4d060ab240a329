package io.xfaas.config;

import static io.xfaas.config.OptionType.BOOLEAN;
import static io.xfaas.config.OptionType.DOUBLE;
import static io.xfaas.config.OptionType.DURATION;
import static io.xfaas.config.OptionType.INT;
import static io.xfaas.config.OptionType.LONG;
import static io.xfaas.config.OptionType.STRING;
import static io.xfaas.config.XfaasOption.enumOption;
import static io.xfaas.config.XfaasOption.listOption;
import static io.xfaas.config.XfaasOption.option;

import io.xfaas.kafka.Delivery;
import io.xfaas.security.SigningPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration option of xfaas, with its type and default: the one place they are listed, in
 * {@link #SECTIONS}. {@code docs/configuration.md} and {@code flink-conf/xfaas.properties} are
 * generated from this list (a test fails when either is stale).
 *
 * <p>Durations are written with a unit ({@code 500ms}, {@code 30s}, {@code 10m}); each also answers
 * to its old {@code -ms} key, where a bare number is milliseconds, as it always was.
 */
public final class XfaasOptions {
  private XfaasOptions() {}

  /** A group of options, as the configuration docs show them. */
  public record Section(String title, String intro, List<XfaasOption<?>> options) {}

  public static final XfaasOption<String> REGION =
      option("xfaas.region", STRING, "local", "This deployment's region; part of topic names.");
  public static final XfaasOption<String> BOOTSTRAP_SERVERS =
      option("xfaas.kafka.bootstrap-servers", STRING, "localhost:9092", "Kafka bootstrap servers.");

  public static final XfaasOption<String> KAFKA_CLIENT_PROPERTIES_FILE =
      option(
          "xfaas.kafka.client-properties-file",
          STRING,
          "",
          "Kafka client settings for an authenticated broker (security.protocol, sasl.*, ssl.*), as a properties file like the --command-config of Kafka's tools; applied to the scheduler and GTC jobs, the submitter client and the tenants, dlq and audit clients (not yet the sidecars). See docs/security.md.");

  public static final XfaasOption<String> TOPIC_DURABLEQ =
      option(
          "xfaas.topics.durableq",
          STRING,
          "xfaas.${xfaas.region}.durableq",
          "Submitted invocations.");
  public static final XfaasOption<String> TOPIC_RUNQ =
      option(
          "xfaas.topics.runq",
          STRING,
          "xfaas.${xfaas.region}.runq",
          "Invocations released for execution, keyed by function.");
  public static final XfaasOption<String> TOPIC_OUTCOMES =
      option(
          "xfaas.topics.outcomes",
          STRING,
          "xfaas.${xfaas.region}.outcomes",
          "One terminal outcome per invocation, keyed by id.");
  public static final XfaasOption<String> TOPIC_RESULTS =
      option(
          "xfaas.topics.results",
          STRING,
          "xfaas.${xfaas.region}.results",
          "Attempt results from the sidecars, keyed by id; the scheduler deduplicates them into outcomes.");
  public static final XfaasOption<String> TOPIC_DLQ =
      option(
          "xfaas.topics.dlq",
          STRING,
          "xfaas.${xfaas.region}.dlq",
          "Dead letters: records that failed.");
  public static final XfaasOption<String> TOPIC_FEEDBACK =
      option(
          "xfaas.topics.feedback",
          STRING,
          "xfaas.${xfaas.region}.feedback",
          "Sidecar reports per function (latency, errors, capacity).");
  public static final XfaasOption<String> TOPIC_METRICS =
      option(
          "xfaas.topics.metrics",
          STRING,
          "xfaas.${xfaas.region}.metrics",
          "Scheduling metrics per tenant and period, for Flink SQL.");
  public static final XfaasOption<String> TOPIC_DECISIONS =
      option(
          "xfaas.topics.decisions",
          STRING,
          "xfaas.${xfaas.region}.decisions",
          "Scheduling decisions per invocation (held, throttled, deferred, released) with their reasons, keyed by id: why a call waited.");
  public static final XfaasOption<String> TOPIC_CONFIG =
      option(
          "xfaas.topics.config", STRING, "xfaas.config", "Compacted tenant and function settings.");
  public static final XfaasOption<String> TOPIC_LOAD =
      option("xfaas.topics.load", STRING, "xfaas.load", "Load reports of every region.");
  public static final XfaasOption<String> TOPIC_GTC_DECISIONS =
      option(
          "xfaas.topics.gtc-decisions", STRING, "xfaas.gtc.decisions", "Compacted traffic matrix.");
  public static final XfaasOption<String> TOPIC_DLQ_REDRIVE =
      option(
          "xfaas.topics.dlq-redrive",
          STRING,
          "xfaas.${xfaas.region}.dlq-redrive",
          "Compacted audit of DLQ redrives (xfaas dlq redrive): one record per redriven dead letter and per run.");
  public static final XfaasOption<Integer> TOPIC_PARTITIONS =
      option(
              "xfaas.topics.partitions",
              INT,
              8,
              "Partitions of each region topic when xfaas creates it (DurableQ, RunQ, results, outcomes).")
          .atLeast(1);

  public static final XfaasOption<Integer> MAX_PAYLOAD_BYTES =
      option(
              "xfaas.invocation.max-payload-bytes",
              INT,
              262144,
              "Largest payload in bytes (256 KiB); larger data belongs in a store.")
          .atLeast(1);
  public static final XfaasOption<Integer> MAX_ID_LENGTH =
      option(
              "xfaas.invocation.max-id-length",
              INT,
              128,
              "Longest id, tenant or function name, in characters.")
          .atLeast(1);
  public static final XfaasOption<Duration> MAX_CLOCK_SKEW =
      option(
              "xfaas.invocation.max-clock-skew",
              DURATION,
              Duration.ofMinutes(5),
              "How far in the future submittedAt may be.")
          .withLegacyMsKey();
  public static final XfaasOption<Integer> DEFAULT_MAX_ATTEMPTS =
      option(
              "xfaas.invocation.default-max-attempts",
              INT,
              3,
              "maxAttempts of an invocation that gives none.")
          .atLeast(1);

  public static final XfaasOption<Duration> SCHEDULER_CHECKPOINT_INTERVAL =
      option(
              "xfaas.scheduler.checkpoint-interval",
              DURATION,
              Duration.ofMillis(300),
              "Checkpoint interval; exactly-once output (outcomes, dead letters, and RunQ and telemetry when set to exactly-once) becomes visible at each checkpoint.")
          .atLeast(Duration.ofMillis(1))
          .withLegacyMsKey();
  public static final XfaasOption<Duration> SCHEDULER_BUFFER_TIMEOUT =
      option(
              "xfaas.scheduler.buffer-timeout",
              DURATION,
              Duration.ofMillis(10),
              "Longest a record waits in a half-full network buffer between the scheduler's operators (Flink's execution.buffer-timeout.interval, 100 ms by default): part of every dispatch's latency at low load; full buffers go at once.")
          .atLeast(Duration.ofMillis(1));
  public static final XfaasOption<Duration> SCHEDULER_PRODUCER_LINGER =
      option(
          "xfaas.scheduler.producer-linger",
          DURATION,
          Duration.ofMillis(20),
          "How long the scheduler's Kafka producers (RunQ, outcomes, telemetry) wait to fill a batch before sending it (Kafka linger.ms). Part of an at-least-once dispatch's latency; larger batches mean fewer produce and fetch requests for the broker and the sidecars (end to end at Kafka's 5 ms and 16 KiB: 90 us of CPU per call; at 20 ms and 256 KiB: 56).");
  public static final XfaasOption<Integer> SCHEDULER_PRODUCER_BATCH_BYTES =
      option(
              "xfaas.scheduler.producer-batch-bytes",
              INT,
              262144,
              "Largest batch per partition in one of the scheduler's produce requests (Kafka batch.size).")
          .atLeast(1);
  public static final XfaasOption<Delivery> SCHEDULER_RUNQ_DELIVERY =
      enumOption(
          "xfaas.scheduler.runq-delivery",
          Delivery.class,
          Delivery.AT_LEAST_ONCE,
          "How the scheduler writes RunQ. at-least-once: a dispatch reaches the sidecars at once; after a failover the calls dispatched since the last completed checkpoint are dispatched again (they may run twice; their outcome is still written once). exactly-once: in Kafka transactions, so sidecars see a dispatch only after the next checkpoint, and never twice.");
  public static final XfaasOption<Integer> SCHEDULER_RUNQ_FUNCTION_SPREAD =
      option(
              "xfaas.scheduler.runq-function-spread",
              INT,
              1,
              "RunQ partitions one function's calls are spread over (consecutive ones, from the partition its name hashes to; each call's by its id). 1 keeps a function on one partition, so one sidecar runs it warm; more lets a hot function use that many sidecars.")
          .atLeast(1);
  public static final XfaasOption<Delivery> SCHEDULER_TELEMETRY_DELIVERY =
      enumOption(
          "xfaas.scheduler.telemetry-delivery",
          Delivery.class,
          Delivery.AT_LEAST_ONCE,
          "How the scheduler writes its metrics, decisions and load reports. at-least-once: visible at once, and a failover may repeat some (count metrics per tenant and period and decisions per id and decision, keeping the last; the GTC averages load reports per reporter). exactly-once: in Kafka transactions, visible at each checkpoint. Outcomes and dead letters are always exactly-once.");
  public static final XfaasOption<Duration> SCHEDULER_TRANSACTION_TIMEOUT =
      option(
              "xfaas.scheduler.transaction-timeout",
              DURATION,
              Duration.ofMinutes(10),
              "Kafka transaction timeout of the scheduler's exactly-once sinks; below the broker's transaction.max.timeout.ms (15 min by default).")
          .withLegacyMsKey();
  public static final XfaasOption<String> SCHEDULER_TRANSACTIONAL_ID_PREFIX =
      option(
          "xfaas.scheduler.transactional-id-prefix",
          STRING,
          "xfaas-${xfaas.region}-scheduler",
          "Prefix of the scheduler's transactional ids; unique per job and cluster.");
  public static final XfaasOption<String> SCHEDULER_GROUP_ID =
      option(
          "xfaas.scheduler.group-id",
          STRING,
          "xfaas.${xfaas.region}.scheduler",
          "Consumer group of the scheduler on DurableQ (offsets live in checkpoints).");
  public static final XfaasOption<Duration> SCHEDULER_DEDUP_WINDOW =
      option(
              "xfaas.scheduler.dedup-window",
              DURATION,
              Duration.ofDays(1),
              "How long an id is remembered to drop duplicate results and submissions (24 h).")
          .withLegacyMsKey();
  public static final XfaasOption<Integer> SCHEDULER_RECORD_CACHE =
      option(
              "xfaas.scheduler.record-cache-tenants",
              INT,
              100_000,
              "Tenants whose FuncBuffer record each scheduler subtask holds on the heap between checkpoints, written to RocksDB once per checkpoint instead of once per event; past it the records are written and the cache starts again. 0 writes after every event.")
          .atLeast(0);
  public static final XfaasOption<Long> SCHEDULER_CAPACITY =
      option(
          "xfaas.scheduler.capacity",
          LONG,
          10000L,
          "Dispatches per second the region can take; backlogged tenants share it by weight.");
  public static final XfaasOption<Duration> SCHEDULER_METRICS_INTERVAL =
      option(
              "xfaas.scheduler.metrics-interval",
              DURATION,
              Duration.ofMinutes(1),
              "Period of the per-tenant scheduling metrics records.")
          .withLegacyMsKey();
  public static final XfaasOption<Integer> SCHEDULER_PARALLELISM =
      option("xfaas.scheduler.parallelism", INT, 1, "Parallelism of the scheduler job.").atLeast(1);
  public static final XfaasOption<Duration> LOAD_REPORT_INTERVAL =
      option(
              "xfaas.scheduler.load-report-interval",
              DURATION,
              Duration.ofSeconds(1),
              "How often each scheduler subtask writes its load report (arrivals, backlog by criticality) to the load topic.")
          .withLegacyMsKey();

  public static final XfaasOption<Boolean> PACING_ENABLED =
      option(
          "xfaas.scheduler.pacing.enabled",
          BOOLEAN,
          true,
          "Pace each function's dispatch from the sidecars' feedback (AIMD with slow start); false dispatches at the tenants' quotas only.");
  public static final XfaasOption<Duration> PACING_STEP =
      option(
              "xfaas.scheduler.pacing.step",
              DURATION,
              Duration.ofSeconds(1),
              "How often a function's pace is adjusted from its feedback.")
          .withLegacyMsKey();
  public static final XfaasOption<Double> PACING_DECREASE_FACTOR =
      option(
          "xfaas.scheduler.pacing.decrease-factor",
          DOUBLE,
          0.7,
          "Multiplicative decrease: on congestion a function's rate becomes this times the smaller of its rate and its measured completion rate.");
  public static final XfaasOption<Double> PACING_INCREASE =
      option(
          "xfaas.scheduler.pacing.increase",
          DOUBLE,
          0.1,
          "Additive increase per step without congestion, as a share of the rate the function had before its first decrease.");
  public static final XfaasOption<Double> PACING_MIN_RATE =
      option(
          "xfaas.scheduler.pacing.min-rate",
          DOUBLE,
          1.0,
          "Lowest rate (calls per second, whole region) a paced function is slowed to.");
  public static final XfaasOption<Integer> PACING_UNPACE_AFTER_STEPS =
      option(
          "xfaas.scheduler.pacing.unpace-after-steps",
          INT,
          10,
          "Steps in a row without congestion and without the pace holding anything back after which a function is no longer paced.");
  public static final XfaasOption<Duration> FEEDBACK_STALE =
      option(
              "xfaas.scheduler.feedback-stale",
              DURATION,
              Duration.ofSeconds(5),
              "A sidecar's feedback older than this no longer counts (a stopped sidecar stops counting).")
          .withLegacyMsKey();
  public static final XfaasOption<Double> UTILIZATION_TARGET =
      option(
          "xfaas.scheduler.utilization.target",
          DOUBLE,
          0.8,
          "Region utilization (sidecar calls in flight over capacity) above which DEFERRABLE work and opportunistic quota are held.");
  public static final XfaasOption<Double> UTILIZATION_HYSTERESIS =
      option(
          "xfaas.scheduler.utilization.hysteresis",
          DOUBLE,
          0.1,
          "Held work is released once utilization is this far below the target.");
  public static final XfaasOption<Duration> DEFERRAL_MARGIN =
      option(
              "xfaas.scheduler.deferral.margin",
              DURATION,
              Duration.ofSeconds(5),
              "Least safety margin before a held call's deadline: it is released by deadline minus expected run time minus this margin plus the learned run-time spread.")
          .withLegacyMsKey();
  public static final XfaasOption<TimeshiftController> TIMESHIFT_CONTROLLER =
      enumOption(
          "xfaas.scheduler.timeshift.controller",
          TimeshiftController.class,
          TimeshiftController.LEVEL,
          "How DEFERRABLE work and opportunistic quota are held. level: while executed load would rise above the level (the mean demand of a cycle, learned from earlier cycles at the same time of the cycle), released into the deepest troughs first; threshold until a whole cycle has been seen, and whenever utilization reaches its target. threshold: while utilization is at or above its target, released into the first dip below it. off: never held (deadlines still order them).");
  public static final XfaasOption<Duration> TIMESHIFT_CYCLE =
      option(
              "xfaas.scheduler.timeshift.cycle",
              DURATION,
              Duration.ofDays(1),
              "The demand cycle the level controller learns (a day); shorter for a compressed replay of days (the replay benchmark sets the replayed day's length).")
          .atLeast(Duration.ofSeconds(1));
  public static final XfaasOption<Integer> TIMESHIFT_SLOTS =
      option(
              "xfaas.scheduler.timeshift.slots",
              INT,
              96,
              "Slots the cycle is cut into for the demand profile (96: quarter hours of a day); the forecast for a time is its slot's demand in earlier cycles.")
          .between(1, 100_000);

  public static final XfaasOption<UnknownTenantPolicy> TENANTS_UNKNOWN_POLICY =
      enumOption(
          "xfaas.tenants.unknown-policy",
          UnknownTenantPolicy.class,
          UnknownTenantPolicy.DEFAULT_QUOTA,
          "What a tenant without settings gets: default-quota (the xfaas.tenants.default.* values) or reject (REJECTED, UNKNOWN_TENANT).");
  public static final XfaasOption<Double> TENANTS_DEFAULT_RATE =
      option("xfaas.tenants.default.rate", DOUBLE, 1000.0, "Default quota: dispatches per second.");
  public static final XfaasOption<Integer> TENANTS_DEFAULT_BURST =
      option("xfaas.tenants.default.burst", INT, 1000, "Default quota: token bucket size.");
  public static final XfaasOption<Integer> TENANTS_DEFAULT_CONCURRENCY =
      option(
          "xfaas.tenants.default.concurrency", INT, 1000, "Default quota: invocations in flight.");
  public static final XfaasOption<Integer> TENANTS_DEFAULT_WEIGHT =
      option("xfaas.tenants.default.weight", INT, 1, "Default fair-share weight.");
  public static final XfaasOption<Integer> TENANTS_DEFAULT_BUFFER =
      option("xfaas.tenants.default.buffer", INT, 100000, "Default FuncBuffer bound per tenant.");
  public static final XfaasOption<Duration> TENANTS_DEFAULT_DEADLINE =
      option(
              "xfaas.tenants.default.deadline",
              DURATION,
              Duration.ofMillis(0),
              "Default deadline after submittedAt for invocations that give none; 0 for none.")
          .withLegacyMsKey();

  public static final XfaasOption<String> SIDECAR_GROUP_ID =
      option(
          "xfaas.sidecar.group-id",
          STRING,
          "xfaas.${xfaas.region}.workers",
          "Consumer group of the region's sidecars on RunQ (WorkerLB).");
  public static final XfaasOption<Integer> SIDECAR_THREADS =
      option(
              "xfaas.sidecar.threads",
              INT,
              8,
              "Most calls one sidecar runs at once over all its functions (its capacity); a function below its fair share (threads / active functions, whole calls) may go over it, and a freed slot goes first to the functions running fewest calls.")
          .atLeast(1);
  public static final XfaasOption<Integer> SIDECAR_MAX_POLL_RECORDS =
      option("xfaas.sidecar.max-poll-records", INT, 2000, "Invocations a sidecar takes per poll.")
          .atLeast(1);
  public static final XfaasOption<Duration> SIDECAR_RETRY_BACKOFF =
      option(
              "xfaas.sidecar.retry-backoff",
              DURATION,
              Duration.ofSeconds(1),
              "Delay before the first retry of a failed attempt; it doubles with each attempt, plus jitter (notBefore = now + delay).")
          .withLegacyMsKey();
  public static final XfaasOption<Duration> SIDECAR_RETRY_BACKOFF_MAX =
      option(
              "xfaas.sidecar.retry-backoff-max",
              DURATION,
              Duration.ofMinutes(1),
              "Longest retry backoff; the backoff doubles with each attempt up to this.")
          .withLegacyMsKey();
  public static final XfaasOption<Double> SIDECAR_RETRY_JITTER =
      option(
              "xfaas.sidecar.retry-jitter",
              DOUBLE,
              0.2,
              "Random extra backoff, as a fraction of the backoff (0.2: up to 20 % more).")
          .between(0.0, 1.0);
  public static final XfaasOption<Duration> SIDECAR_CALL_TIMEOUT =
      option(
              "xfaas.sidecar.call-timeout",
              DURATION,
              Duration.ofSeconds(30),
              "Longest a function call may run; a slower attempt fails with TIMEOUT.")
          .atLeast(Duration.ofMillis(1))
          .withLegacyMsKey();
  public static final XfaasOption<Integer> SIDECAR_WINDOW_INITIAL =
      option(
              "xfaas.sidecar.window-initial",
              INT,
              1,
              "Concurrency window a function starts with; slow start doubles it every round trip until the first decrease.")
          .atLeast(1);
  public static final XfaasOption<Integer> SIDECAR_WINDOW_MIN =
      option("xfaas.sidecar.window-min", INT, 1, "Smallest concurrency window of a function.")
          .atLeast(1);
  public static final XfaasOption<Integer> SIDECAR_WINDOW_MAX =
      option("xfaas.sidecar.window-max", INT, 64, "Largest concurrency window of a function.")
          .atLeast(1);
  public static final XfaasOption<Double> SIDECAR_WINDOW_DECREASE_FACTOR =
      option(
          "xfaas.sidecar.window-decrease-factor",
          DOUBLE,
          0.5,
          "Multiplicative decrease: the window is multiplied by this on a timeout, error, throttle or rising latency.");
  public static final XfaasOption<Double> SIDECAR_WINDOW_LATENCY_TOLERANCE =
      option(
          "xfaas.sidecar.window-latency-tolerance",
          DOUBLE,
          2.0,
          "A function's smoothed latency above this multiple of its baseline (plus 10 ms) counts as congestion.");
  public static final XfaasOption<Integer> SIDECAR_BATCH_SIZE =
      option(
              "xfaas.sidecar.batch-size",
              INT,
              16,
              "Most calls of one function sent in one batch, for functions that accept batches (HTTP functions).")
          .atLeast(1);
  public static final XfaasOption<Duration> SIDECAR_BATCH_LINGER =
      option(
              "xfaas.sidecar.batch-linger",
              DURATION,
              Duration.ofMillis(2),
              "How long a partial batch waits for more calls before it is sent.")
          .withLegacyMsKey();
  public static final XfaasOption<Duration> SIDECAR_FEEDBACK_INTERVAL =
      option(
              "xfaas.sidecar.feedback-interval",
              DURATION,
              Duration.ofSeconds(1),
              "How often a sidecar reports each active function to the feedback topic.")
          .atLeast(Duration.ofMillis(1))
          .withLegacyMsKey();
  public static final XfaasOption<List<String>> SIDECAR_HTTP_FUNCTIONS =
      listOption(
          "xfaas.sidecar.http-functions",
          List.of(),
          "Remote functions over the HTTP protocol: name=url,name2=url2 (empty: none).");
  public static final XfaasOption<String> SIDECAR_HTTP_FUNCTION_TOKENS_FILE =
      option(
          "xfaas.sidecar.http-function-tokens-file",
          STRING,
          "",
          "Bearer tokens of the remote function runtimes: a file of 'URL_PREFIX TOKEN' lines; a remote function's requests carry the token of the longest prefix of its URL (the Python runtime checks it with --token-file). Empty: no tokens.");
  public static final XfaasOption<Integer> SIDECAR_HTTP_PORT =
      option(
              "xfaas.sidecar.http-port",
              INT,
              0,
              "Port of the sidecar's /metrics, /health and /ready endpoints; 0 turns them off.")
          .between(0, 65535);
  public static final XfaasOption<String> SIDECAR_HTTP_BIND_ADDRESS =
      option(
          "xfaas.sidecar.http-bind-address",
          STRING,
          "localhost",
          "Address the sidecar's /metrics, /health and /ready endpoints listen on: localhost"
              + " unless set (0.0.0.0: every interface, e.g. for a scraper in another container).");
  public static final XfaasOption<Duration> SIDECAR_SESSION_TIMEOUT =
      option(
              "xfaas.sidecar.session-timeout",
              DURATION,
              Duration.ofSeconds(45),
              "How long the group waits for a silent sidecar (crashed, cut off) before its partitions go to the others.")
          .atLeast(Duration.ofMillis(1))
          .withLegacyMsKey();
  public static final XfaasOption<List<String>> SIDECAR_PREFIX_FUNCTIONS =
      listOption(
          "xfaas.sidecar.prefix-functions",
          List.of("f-=replay"),
          "Function-name prefixes served by one function: prefix=function,... (the default lets the trace-replay emulator serve every f-* name; empty: none).");
  public static final XfaasOption<Duration> SIDECAR_RUN_BUDGET =
      option(
          "xfaas.sidecar.run-budget",
          DURATION,
          Duration.ofMillis(1),
          "Calls expected to take this long together (from their function's measured batch time) run one after the other on one call thread, saving a thread hand-off per call; slower functions get a thread per batch.");
  public static final XfaasOption<Duration> SIDECAR_PRODUCER_LINGER =
      option(
          "xfaas.sidecar.producer-linger",
          DURATION,
          Duration.ofMillis(5),
          "How long a sidecar's producer waits to fill a batch of results before sending it (Kafka linger.ms).");
  public static final XfaasOption<Integer> SIDECAR_PRODUCER_BATCH_BYTES =
      option(
              "xfaas.sidecar.producer-batch-bytes",
              INT,
              262144,
              "Largest batch of results per partition in one produce request (Kafka batch.size).")
          .atLeast(1);
  public static final XfaasOption<String> SIDECAR_PRODUCER_COMPRESSION =
      option(
          "xfaas.sidecar.producer-compression",
          STRING,
          "none",
          "Compression of the sidecar's result batches: none, lz4, zstd, snappy or gzip (Kafka compression.type).");
  public static final XfaasOption<Integer> SIDECAR_FETCH_MIN_BYTES =
      option(
              "xfaas.sidecar.fetch-min-bytes",
              INT,
              1,
              "Bytes of RunQ the broker gathers before answering a sidecar's fetch, up to fetch-max-wait (Kafka fetch.min.bytes).")
          .atLeast(1);
  public static final XfaasOption<Duration> SIDECAR_FETCH_MAX_WAIT =
      option(
          "xfaas.sidecar.fetch-max-wait",
          DURATION,
          Duration.ofMillis(500),
          "Longest the broker holds a sidecar's fetch to gather fetch-min-bytes (Kafka fetch.max.wait.ms).");
  public static final XfaasOption<Integer> SIDECAR_MAX_PARTITION_FETCH_BYTES =
      option(
              "xfaas.sidecar.max-partition-fetch-bytes",
              INT,
              1048576,
              "Most bytes of one RunQ partition in one fetch (Kafka max.partition.fetch.bytes).")
          .atLeast(1);

  public static final XfaasOption<Boolean> GTC_ROUTING_ENABLED =
      option(
          "xfaas.gtc.routing-enabled",
          BOOLEAN,
          false,
          "Submitters route new invocations by the GTC's latest traffic matrix (off: always to the local DurableQ).");
  public static final XfaasOption<Duration> GTC_WINDOW =
      option(
              "xfaas.gtc.window",
              DURATION,
              Duration.ofSeconds(2),
              "Tumbling event-time window over which the GTC job aggregates each region's load reports.")
          .withLegacyMsKey();
  public static final XfaasOption<Duration> GTC_OUT_OF_ORDERNESS =
      option(
              "xfaas.gtc.out-of-orderness",
              DURATION,
              Duration.ofSeconds(2),
              "How late a load report may arrive (reportedAt behind the newest) and still count in its window; with xfaas.scheduler.telemetry-delivery=exactly-once, schedulers' reports only show at their job's checkpoint.")
          .withLegacyMsKey();
  public static final XfaasOption<Duration> GTC_IDLENESS =
      option(
              "xfaas.gtc.idleness",
              DURATION,
              Duration.ofSeconds(3),
              "A load-topic partition silent this long no longer holds back the GTC job's watermark.")
          .withLegacyMsKey();
  public static final XfaasOption<Duration> GTC_HEARTBEAT_TIMEOUT =
      option(
              "xfaas.gtc.heartbeat-timeout",
              DURATION,
              Duration.ofSeconds(6),
              "A region without a load report for this long is dead: its traffic is drained to the others.")
          .withLegacyMsKey();
  public static final XfaasOption<Duration> GTC_DECISION_INTERVAL =
      option(
              "xfaas.gtc.decision-interval",
              DURATION,
              Duration.ofSeconds(1),
              "How often the GTC job re-checks heartbeats (processing time) besides recomputing on every window.")
          .withLegacyMsKey();
  public static final XfaasOption<Double> GTC_HYSTERESIS =
      option(
          "xfaas.gtc.hysteresis",
          DOUBLE,
          0.05,
          "Share changes smaller than this are ignored, so the matrix does not flap.");
  public static final XfaasOption<Double> GTC_MAX_STEP =
      option(
          "xfaas.gtc.max-step",
          DOUBLE,
          0.25,
          "Largest change of any share in one decision (draining a dead region is not limited).");
  public static final XfaasOption<Double> GTC_HEADROOM_TARGET =
      option(
          "xfaas.gtc.headroom-target",
          DOUBLE,
          0.8,
          "Share of a region's capacity the GTC plans to use; the rest is headroom for bursts.");
  public static final XfaasOption<Duration> GTC_CHECKPOINT_INTERVAL =
      option(
              "xfaas.gtc.checkpoint-interval",
              DURATION,
              Duration.ofSeconds(1),
              "Checkpoint interval of the GTC job; its decisions become visible (exactly once) at each checkpoint.")
          .atLeast(Duration.ofMillis(1))
          .withLegacyMsKey();
  public static final XfaasOption<String> GTC_TRANSACTIONAL_ID_PREFIX =
      option(
          "xfaas.gtc.transactional-id-prefix",
          STRING,
          "xfaas-gtc",
          "Prefix of the GTC job's transactional ids; unique per cluster.");
  public static final XfaasOption<String> GTC_GROUP_ID =
      option(
          "xfaas.gtc.group-id",
          STRING,
          "xfaas.gtc",
          "Consumer group of the GTC job on the load topic (offsets live in checkpoints).");

  public static final XfaasOption<Integer> CHECKPOINTS_TOLERABLE_FAILURES =
      option(
              "xfaas.checkpoints.tolerable-failures",
              INT,
              3,
              "Checkpoints in a row that may fail (timed out, or state that could not be written) before a job restarts from its last completed checkpoint, instead of running on while its exactly-once sinks commit nothing (Flink's execution.checkpointing.tolerable-failed-checkpoints).")
          .atLeast(0);
  public static final XfaasOption<SigningPolicy> SECURITY_SIGNING =
      enumOption(
          "xfaas.security.signing",
          SigningPolicy.class,
          SigningPolicy.OFF,
          "Whether every DurableQ invocation and cancel must be signed with its tenant's key: off, or required (others are REJECTED with reason UNAUTHENTICATED and dead-lettered). See docs/security.md.");
  public static final XfaasOption<String> SECURITY_SIGNING_KEYS_FILE =
      option(
          "xfaas.security.signing-keys-file",
          STRING,
          "",
          "The scheduler's signing keys file: a master secret per key id, each tenant's key derived from it (docs/security.md). Needed when signing is required; secrets are never in this configuration.");
  public static final XfaasOption<Duration> SECURITY_SIGNING_KEYS_RELOAD =
      option(
          "xfaas.security.signing-keys-reload",
          DURATION,
          Duration.ofSeconds(30),
          "How often the scheduler reads its signing keys file again, so that a key rotation needs no restart.");
  public static final XfaasOption<String> SECURITY_TENANT_KEYS_FILE =
      option(
          "xfaas.security.tenant-keys-file",
          STRING,
          "",
          "A submitter's tenant keys file (xfaas keys tenant writes it): when set, the submitter client and xfaas submit sign the calls of the tenants in it.");
  public static final XfaasOption<String> SECURITY_CREDENTIALS_DIR =
      option(
          "xfaas.security.credentials-dir",
          STRING,
          "",
          "Where xfaas tenants set, as the operator on an authenticated broker, creates each new tenant's principal: a SCRAM user with the tenant producer's ACLs, and its client properties, tenant keys and xfaas configuration files in this folder (./xfaas local --secure sets it). Empty: tenants get no principal.");

  public static final Section REGION_AND_KAFKA =
      new Section(
          "Region and Kafka",
          "Where this deployment runs and which Kafka it uses.",
          List.of(REGION, BOOTSTRAP_SERVERS, KAFKA_CLIENT_PROPERTIES_FILE));
  public static final Section TOPICS =
      new Section(
          "Topics",
          "Topic names of the region (a default naming ${xfaas.region} follows the configured region) and how topics are created.",
          List.of(
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
              TOPIC_PARTITIONS));
  public static final Section LIMITS =
      new Section(
          "Invocation limits",
          "What a submitted invocation is checked against.",
          List.of(MAX_PAYLOAD_BYTES, MAX_ID_LENGTH, MAX_CLOCK_SKEW, DEFAULT_MAX_ATTEMPTS));
  public static final Section SCHEDULER =
      new Section(
          "Scheduler",
          "The scheduler job: checkpoints, delivery guarantees and transactions of its sinks, deduplication, capacity and reports.",
          List.of(
              SCHEDULER_CHECKPOINT_INTERVAL,
              SCHEDULER_BUFFER_TIMEOUT,
              SCHEDULER_PRODUCER_LINGER,
              SCHEDULER_PRODUCER_BATCH_BYTES,
              SCHEDULER_RUNQ_DELIVERY,
              SCHEDULER_RUNQ_FUNCTION_SPREAD,
              SCHEDULER_TELEMETRY_DELIVERY,
              SCHEDULER_TRANSACTION_TIMEOUT,
              SCHEDULER_TRANSACTIONAL_ID_PREFIX,
              SCHEDULER_GROUP_ID,
              SCHEDULER_DEDUP_WINDOW,
              SCHEDULER_RECORD_CACHE,
              SCHEDULER_CAPACITY,
              SCHEDULER_METRICS_INTERVAL,
              SCHEDULER_PARALLELISM,
              LOAD_REPORT_INTERVAL));
  public static final Section CLOSED_LOOP =
      new Section(
          "Closed loop",
          "How the scheduler paces functions from the sidecars' feedback and holds deferrable work when the region is busy.",
          List.of(
              PACING_ENABLED,
              PACING_STEP,
              PACING_DECREASE_FACTOR,
              PACING_INCREASE,
              PACING_MIN_RATE,
              PACING_UNPACE_AFTER_STEPS,
              FEEDBACK_STALE,
              UTILIZATION_TARGET,
              UTILIZATION_HYSTERESIS,
              DEFERRAL_MARGIN,
              TIMESHIFT_CONTROLLER,
              TIMESHIFT_CYCLE,
              TIMESHIFT_SLOTS));
  public static final Section TENANTS =
      new Section(
          "Tenants",
          "What a tenant without settings on the config topic gets.",
          List.of(
              TENANTS_UNKNOWN_POLICY,
              TENANTS_DEFAULT_RATE,
              TENANTS_DEFAULT_BURST,
              TENANTS_DEFAULT_CONCURRENCY,
              TENANTS_DEFAULT_WEIGHT,
              TENANTS_DEFAULT_BUFFER,
              TENANTS_DEFAULT_DEADLINE));
  public static final Section SIDECAR =
      new Section(
          "Worker sidecar",
          "The sidecars that run calls from RunQ: concurrency, retries, batching, feedback and endpoints.",
          List.of(
              SIDECAR_GROUP_ID,
              SIDECAR_THREADS,
              SIDECAR_MAX_POLL_RECORDS,
              SIDECAR_RETRY_BACKOFF,
              SIDECAR_RETRY_BACKOFF_MAX,
              SIDECAR_RETRY_JITTER,
              SIDECAR_CALL_TIMEOUT,
              SIDECAR_WINDOW_INITIAL,
              SIDECAR_WINDOW_MIN,
              SIDECAR_WINDOW_MAX,
              SIDECAR_WINDOW_DECREASE_FACTOR,
              SIDECAR_WINDOW_LATENCY_TOLERANCE,
              SIDECAR_BATCH_SIZE,
              SIDECAR_BATCH_LINGER,
              SIDECAR_FEEDBACK_INTERVAL,
              SIDECAR_HTTP_FUNCTIONS,
              SIDECAR_HTTP_FUNCTION_TOKENS_FILE,
              SIDECAR_HTTP_PORT,
              SIDECAR_HTTP_BIND_ADDRESS,
              SIDECAR_SESSION_TIMEOUT,
              SIDECAR_PREFIX_FUNCTIONS,
              SIDECAR_RUN_BUDGET,
              SIDECAR_PRODUCER_LINGER,
              SIDECAR_PRODUCER_BATCH_BYTES,
              SIDECAR_PRODUCER_COMPRESSION,
              SIDECAR_FETCH_MIN_BYTES,
              SIDECAR_FETCH_MAX_WAIT,
              SIDECAR_MAX_PARTITION_FETCH_BYTES));
  public static final Section GTC =
      new Section(
          "Global traffic conductor (GTC)",
          "The GTC job, which shares traffic among regions, and the submitters that follow its matrix.",
          List.of(
              GTC_ROUTING_ENABLED,
              GTC_WINDOW,
              GTC_OUT_OF_ORDERNESS,
              GTC_IDLENESS,
              GTC_HEARTBEAT_TIMEOUT,
              GTC_DECISION_INTERVAL,
              GTC_HYSTERESIS,
              GTC_MAX_STEP,
              GTC_HEADROOM_TARGET,
              GTC_CHECKPOINT_INTERVAL,
              GTC_TRANSACTIONAL_ID_PREFIX,
              GTC_GROUP_ID));

  public static final Section CHECKPOINTS =
      new Section(
          "Checkpoints",
          "What both jobs (scheduler and GTC) ask of their checkpoints. They refuse to start without durable checkpoint storage: Flink's execution.checkpointing.dir (the cluster's config.yaml, or -D at submission).",
          List.of(CHECKPOINTS_TOLERABLE_FAILURES));
  public static final Section SECURITY =
      new Section(
          "Security",
          "Signed invocations: each call proves its tenant with an HMAC in its record headers (docs/security.md).",
          List.of(
              SECURITY_SIGNING,
              SECURITY_SIGNING_KEYS_FILE,
              SECURITY_SIGNING_KEYS_RELOAD,
              SECURITY_TENANT_KEYS_FILE,
              SECURITY_CREDENTIALS_DIR));

  public static final List<Section> SECTIONS =
      List.of(
          REGION_AND_KAFKA,
          TOPICS,
          LIMITS,
          SCHEDULER,
          CLOSED_LOOP,
          TENANTS,
          SIDECAR,
          GTC,
          CHECKPOINTS,
          SECURITY);

  public static final List<XfaasOption<?>> ALL =
      SECTIONS.stream().flatMap(s -> s.options().stream()).toList();

  private static final Map<String, XfaasOption<?>> BY_KEY = new HashMap<>();

  static {
    for (XfaasOption<?> o : ALL) {
      register(o.key(), o);
      o.deprecatedKey().ifPresent(k -> register(k, o));
    }
  }

  private static void register(String key, XfaasOption<?> option) {
    if (BY_KEY.put(key, option) != null) throw new IllegalStateException("two options use " + key);
  }

  /** The option set by {@code key} (its own or its deprecated key), or null. */
  public static XfaasOption<?> byKey(String key) {
    return BY_KEY.get(key);
  }
}
