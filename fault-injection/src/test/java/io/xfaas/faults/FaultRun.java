package io.xfaas.faults;

import static org.awaitility.Awaitility.await;

import io.xfaas.audit.AuditFilter;
import io.xfaas.audit.AuditReport;
import io.xfaas.audit.Auditor;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.TopicSnapshot;
import io.xfaas.records.Invocation;
import io.xfaas.scheduler.SchedulerJob;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.ParseResult;
import io.xfaas.sidecar.FunctionRegistry;
import io.xfaas.sidecar.WorkerSidecar;
import io.xfaas.testing.Audits;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import io.xfaas.testing.JobRest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scenario's pipeline: a region of its own on the shared broker, the scheduler job on the
 * MiniCluster, sidecars (in-process or processes), a steady producer and a watch on the outcomes;
 * then the auditor. The scenario injects its fault between {@link #awaitFlowing} and {@link
 * #finish}.
 */
final class FaultRun implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FaultRun.class);
  static final int PARTITIONS = 4;
  static final int PAYLOAD_LIMIT = 4096;
  static final long SESSION_TIMEOUT_MS = 6_000;

  /** A dispatch carries the time of the timer that released it, which may fire this late. */
  static final long TIMER_SLACK_MS = 1_000;

  /**
   * {@code -Dxfaas.faults.runq-delivery=exactly-once} runs the scenarios with RunQ written in
   * transactions; the default is the scheduler's default.
   */
  static final String RUNQ_DELIVERY = System.getProperty("xfaas.faults.runq-delivery");

  /**
   * The suite's MiniCluster: {@code slots} slots, jobs at parallelism 1 unless a scenario says
   * otherwise, restarts enough for a scenario's faults, and a fresh cluster per scenario, so that
   * one scenario's failures do not spill over.
   */
  static FlinkClusterExtension cluster(int slots) {
    return FlinkClusterExtension.slots(slots)
        .parallelism(1)
        .perTest()
        .configure(c -> c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 50));
  }

  final String scenario;
  final FaultScale scale;
  final XfaasConfig config;
  final String run;
  private final EmbeddedKafkaExtension kafka;
  private final FlinkClusterExtension flink;
  private final JobRest rest;

  private final List<JobClient> jobs = new ArrayList<>();
  private final List<String> jobNotes = new ArrayList<>();
  private final List<WorkerSidecar> sidecars = new ArrayList<>();
  private final List<SidecarProcess> processes = new ArrayList<>();
  private SteadyProducer producer;
  private final OutcomeWatch watch;
  private Long faultAt;
  private Long probeAt;
  private Long recoveryMs;
  private boolean exposureMeasured;
  private JobRest.Checkpoint checkpointAtFault;
  private long uncommittedAtFault;
  private final Map<TopicPartition, long[]> unacknowledgedAtFault = new HashMap<>();
  private Long jobStoppedAt;

  FaultRun(
      String scenario,
      FaultScale scale,
      EmbeddedKafkaExtension kafka,
      FlinkClusterExtension flink,
      Map<String, String> overrides)
      throws Exception {
    this.scenario = scenario;
    this.scale = scale;
    this.kafka = kafka;
    this.flink = flink;
    this.run = "run" + EmbeddedKafkaExtension.uniqueSuffix();
    Map<String, String> c = new HashMap<>();
    c.put(XfaasOptions.MAX_PAYLOAD_BYTES.key(), Integer.toString(PAYLOAD_LIMIT));
    c.put(XfaasOptions.SIDECAR_SESSION_TIMEOUT.key(), Long.toString(SESSION_TIMEOUT_MS));
    c.put(XfaasOptions.SIDECAR_THREADS.key(), "32");
    c.put(XfaasOptions.SIDECAR_MAX_POLL_RECORDS.key(), "100");
    c.put(XfaasOptions.SIDECAR_RETRY_BACKOFF.key(), "200");
    if (RUNQ_DELIVERY != null) c.put(XfaasOptions.SCHEDULER_RUNQ_DELIVERY.key(), RUNQ_DELIVERY);
    c.putAll(overrides);
    this.config = kafka.newRegion(scenario.replaceAll("[^A-Za-z0-9]", ""), PARTITIONS, c);
    this.rest = flink.rest();
    this.watch = new OutcomeWatch(kafka.bootstrapServers(), config.topics().outcomes());
  }

  /** Starts the scheduler job, restored from {@code savepoint} when not null; waits for RUNNING. */
  JobClient startJob(String savepoint) throws Exception {
    return startJob(savepoint, config);
  }

  /** {@link #startJob(String)} at {@code parallelism} (a rescale when restoring a savepoint). */
  JobClient startJob(String savepoint, int parallelism) throws Exception {
    return startJob(
        savepoint,
        config.with(
            Map.of(XfaasOptions.SCHEDULER_PARALLELISM.key(), Integer.toString(parallelism))));
  }

  private JobClient startJob(String savepoint, XfaasConfig jobConfig) throws Exception {
    Configuration conf = new Configuration();
    if (savepoint != null) conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    JobClient job =
        SchedulerJob.start(StreamExecutionEnvironment.getExecutionEnvironment(conf), jobConfig);
    jobs.add(job);
    await("the scheduler job running")
        .atMost(Duration.ofSeconds(60))
        .until(() -> job.getJobStatus().get() == JobStatus.RUNNING);
    return job;
  }

  JobClient job() {
    return jobs.get(jobs.size() - 1);
  }

  /** Notes a step the job went through that is not a restart of its own (a stop and a resume). */
  void note(String what) {
    jobNotes.add(what);
  }

  WorkerSidecar sidecar() {
    WorkerSidecar s = new WorkerSidecar(config, FunctionRegistry.fromServiceLoader()).start();
    sidecars.add(s);
    return s;
  }

  SidecarProcess sidecarProcess() throws IOException {
    SidecarProcess p = SidecarProcess.start(config, scenario + "-sidecar");
    processes.add(p);
    LOG.info("{}: sidecar process {} logs to {}", scenario, p.pid(), p.log);
    return p;
  }

  /** Starts the steady producer: {@code total} records at {@code rate}/s (see SteadyProducer). */
  void load(int rate, long total, int badEvery, int slowEvery) {
    producer =
        new SteadyProducer(
                config, new SteadyProducer.Load(run, rate, total, badEvery, slowEvery, 0))
            .start();
  }

  /** {@link #load} with every {@code criticalEvery}-th call CRITICAL. */
  void loadWithCritical(int rate, long total, int slowEvery, int criticalEvery) {
    producer =
        new SteadyProducer(
                config, new SteadyProducer.Load(run, rate, total, 0, slowEvery, criticalEvery))
            .start();
  }

  /** An in-process sidecar with settings of its own, e.g. more threads. */
  WorkerSidecar sidecar(Map<String, String> overrides) {
    WorkerSidecar s =
        new WorkerSidecar(config.with(overrides), FunctionRegistry.fromServiceLoader()).start();
    sidecars.add(s);
    return s;
  }

  SteadyProducer producer() {
    return producer;
  }

  /**
   * Waits until {@code n} outcomes are visible (the pipeline works before the fault) and a quarter
   * of the load is sent, so that the fault lands mid-stream.
   */
  void awaitFlowing(long n) {
    await("outcomes flowing")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> watch.seen() >= n && producer.sent() >= producer.total() / 4);
  }

  /**
   * Measures what a fault may run twice ({@link ExecutionBound}): the job's latest completed
   * checkpoint and the RunQ records the sidecars have not committed. {@link #fault} does it as the
   * fault takes effect; a fault that takes Kafka away measures just before it.
   */
  void measureExposure() throws Exception {
    checkpointAtFault = rest.latestCompleted(job().getJobID());
    uncommittedAtFault = uncommittedRunQ();
    exposureMeasured = true;
    LOG.info(
        "{}: at the fault, latest checkpoint {}, {} RunQ records uncommitted by the sidecars",
        scenario,
        checkpointAtFault,
        uncommittedAtFault);
  }

  /**
   * A second rebalance the fault brings about (a paused sidecar that comes back and rejoins) hands
   * partitions over again: what the group has not committed then is exposed too, and is added to
   * the bound's uncommitted part.
   */
  void measureRebalanceExposure() throws Exception {
    long more = uncommittedRunQ(null);
    uncommittedAtFault += more;
    LOG.info(
        "{}: at a rebalance after the fault, {} more RunQ records uncommitted", scenario, more);
  }

  private long uncommittedRunQ() throws Exception {
    unacknowledgedAtFault.clear();
    return uncommittedRunQ(unacknowledgedAtFault);
  }

  /**
   * End offsets minus the group's committed offsets; each partition's range into {@code ranges}.
   */
  private long uncommittedRunQ(Map<TopicPartition, long[]> ranges) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        kafka
            .admin()
            .listConsumerGroupOffsets(config.get(XfaasOptions.SIDECAR_GROUP_ID))
            .partitionsToOffsetAndMetadata()
            .get();
    long n = 0;
    for (Map.Entry<TopicPartition, Long> e : kafka.endOffsets(config.topics().runq()).entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      long from = c == null ? 0 : c.offset();
      n += e.getValue() - from;
      if (ranges != null) ranges.put(e.getKey(), new long[] {from, e.getValue()});
    }
    return n;
  }

  /**
   * Hands every committed record of {@code topic}, from its beginning to the end it has now, to
   * {@code each}; {@code name} names the reader.
   */
  void readToEnd(String topic, String name, Consumer<ConsumerRecord<byte[], byte[]>> each) {
    TopicSnapshot.read(config.bootstrapServers(), topic, name, Duration.ofSeconds(60), each);
  }

  /** Hands every dispatch of this run's calls on RunQ, each copy, to {@code each}. */
  void readDispatches(String name, Consumer<Invocation> each) {
    InvocationSerde serde = new InvocationSerde(config.invocationLimits());
    readToEnd(
        config.topics().runq(),
        name,
        r -> {
          if (serde.parse(r.value(), r.timestamp()) instanceof ParseResult.Accepted a
              && a.invocation().id().startsWith(run + "-")) {
            each.accept(a.invocation());
          }
        });
  }

  /**
   * The RunQ calls (ids) the sidecars had taken but not acknowledged (committed) at the fault, and
   * of them those that ran again after it: that left a result, a retry or a dead letter written
   * after the fault. For a killed sidecar, every one of its unacknowledged calls must run again.
   */
  RanAgain unacknowledgedRanAgain() {
    InvocationSerde serde = new InvocationSerde(config.invocationLimits());
    Set<String> unacknowledged = new HashSet<>();
    readToEnd(
        config.topics().runq(),
        "fault-unacked",
        r -> {
          long[] range = unacknowledgedAtFault.get(new TopicPartition(r.topic(), r.partition()));
          if (range != null
              && r.offset() >= range[0]
              && r.offset() < range[1]
              && serde.parse(r.value(), r.timestamp()) instanceof ParseResult.Accepted a
              && a.invocation().id().startsWith(run + "-")) {
            unacknowledged.add(a.invocation().id());
          }
        });
    Set<String> after = new HashSet<>();
    for (String topic :
        List.of(config.topics().results(), config.topics().durableq(), config.topics().dlq())) {
      readToEnd(
          topic,
          "fault-after",
          r -> {
            if (r.timestamp() >= faultAt && r.key() != null) {
              after.add(new String(r.key(), StandardCharsets.UTF_8));
            }
          });
    }
    Set<String> ran = new HashSet<>(unacknowledged);
    ran.retainAll(after);
    Set<String> notRan = new HashSet<>(unacknowledged);
    notRan.removeAll(after);
    LOG.info(
        "{}: {} calls unacknowledged at the fault, {} ran again after it",
        scenario,
        unacknowledged.size(),
        ran.size());
    return new RanAgain(unacknowledged.size(), ran.size(), notRan.stream().limit(5).toList());
  }

  /** What {@link #unacknowledgedRanAgain} found; {@code sample}: some that did not run again. */
  record RanAgain(long unacknowledged, long ranAgain, List<String> sample) {}

  /** The job that was running at the fault dispatches no more from now on (it is down). */
  void jobStopped() {
    jobStoppedAt = System.currentTimeMillis();
  }

  /**
   * Stops the job with a savepoint in target/tmp/savepoints/REGION and waits until it is gone;
   * marks it {@link #jobStopped stopped}. The savepoint's path.
   */
  String stopWithSavepoint() throws Exception {
    Path dir = Path.of("target", "tmp", "savepoints", config.region()).toAbsolutePath();
    String savepoint =
        job().stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL).get();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> job().getJobStatus().get().isGloballyTerminalState());
    jobStopped();
    return savepoint;
  }

  /**
   * The bound on this run's duplicate executions ({@link ExecutionBound}); after {@link #finish}. A
   * job restored from a checkpoint or savepoint may dispatch again what it dispatched from the
   * checkpoint latest at the fault until it stopped (until recovery when the scenario does not
   * say).
   */
  ExecutionBound executionBound() throws Exception {
    if (!exposureMeasured) return ExecutionBound.NONE;
    long redispatched = 0;
    if (numRestarts() > 0 || jobs.size() > 1) {
      long from =
          checkpointAtFault == null
              ? Long.MIN_VALUE
              : checkpointAtFault.triggeredAt() - TIMER_SLACK_MS;
      long to =
          jobStoppedAt != null
              ? jobStoppedAt
              : recoveryMs != null ? faultAt + recoveryMs : System.currentTimeMillis();
      redispatched = firstDispatchedBetween(from, to);
    }
    return new ExecutionBound(redispatched, uncommittedAtFault);
  }

  /** This run's calls (id and attempt) whose first dispatch on RunQ is in {@code [from, to]}. */
  private long firstDispatchedBetween(long from, long to) {
    Map<String, Long> first = new HashMap<>();
    Map<String, Integer> copies = new HashMap<>();
    readDispatches(
        "fault-bound",
        inv -> {
          if (inv.dispatchedAt() != null) {
            first.merge(inv.id() + '\u0000' + inv.attempt(), inv.dispatchedAt(), Math::min);
            copies.merge(inv.id() + '\u0000' + inv.attempt(), 1, Integer::sum);
          }
        });
    long window = first.values().stream().filter(t -> t >= from && t <= to).count();
    // Dispatched after every task had acknowledged the checkpoint: surely after its barrier.
    long acked = checkpointAtFault == null ? to : checkpointAtFault.acknowledgedAt();
    LOG.info(
        "{}: {} calls first dispatched in [{}, {}], {} of them after {} (checkpoint acknowledged);"
            + " {} dispatched more than once",
        scenario,
        window,
        from,
        to,
        first.values().stream().filter(t -> t >= acked && t <= to).count(),
        acked,
        copies.values().stream().filter(n -> n > 1).count());
    return window;
  }

  /** The fault happens now. */
  void fault() throws Exception {
    faultAt = System.currentTimeMillis();
    if (!exposureMeasured) measureExposure();
    // Load goes on for a while after the fault, so there are calls to start once it is over.
    producer.extendTo(producer.sent() + 3L * producer.rate());
    recoverFrom(faultAt);
    LOG.info("{}: fault injected after {} outcomes", scenario, watch.seen());
  }

  /**
   * Recovery counts only outcomes of calls started at or after {@code t} (still timed from the
   * fault): for a stopped job, whose last savepoint commits the outcomes of calls that ran while it
   * was stopping.
   */
  void recoverFrom(long t) {
    probeAt = t;
    watch.probe(t);
  }

  /**
   * Waits until the outcome of a call started after the fault is visible: the recovery time (see
   * {@link OutcomeWatch}).
   */
  long awaitRecovery(Duration atMost) {
    Long at;
    try {
      at =
          await("outcomes flowing again after the fault")
              .atMost(atMost)
              .pollInterval(Duration.ofMillis(50))
              .until(() -> watch.visibleAfter(probeAt), Objects::nonNull);
    } catch (RuntimeException e) {
      LOG.error(
          "{}: no recovery; {} outcomes seen; {}\n{}",
          scenario,
          watch.seen(),
          watch.describe(),
          audit().table());
      throw e;
    }
    recoveryMs = at - faultAt;
    LOG.info("{}: recovered in {} ms", scenario, recoveryMs);
    return recoveryMs;
  }

  Long recoveryMs() {
    return recoveryMs;
  }

  /** Reads the region's topics for this run's ids. */
  AuditReport audit() {
    return new Auditor(config, Duration.ofSeconds(60)).audit(AuditFilter.idPrefix(run + "-"));
  }

  /**
   * After the load: waits until every accepted call has a terminal outcome, then until the job has
   * read everything the sidecars wrote (late results and retries included) and checkpointed twice
   * more, so that a second outcome would be visible; then the final audit.
   */
  AuditReport finish() throws Exception {
    producer.seal();
    await("the producer to finish")
        .atMost(scale.drain())
        .pollInterval(Duration.ofMillis(200))
        .until(() -> producer.awaitDone(100));
    LOG.info(
        "{}: {} sent, {} acknowledged, {} failed",
        scenario,
        producer.sent(),
        producer.acked() + producer.badAcked(),
        producer.failed());
    Audits.awaitNothingLost(scenario.toString(), scale.drain(), this::audit);
    settle();
    AuditReport report = audit();
    LOG.info("{}:\n{}", scenario, report.table());
    return report;
  }

  private void settle() throws Exception {
    kafka.awaitGroupAtEnd(
        Duration.ofMinutes(2),
        config.get(XfaasOptions.SCHEDULER_GROUP_ID),
        config.topics().results(),
        config.topics().durableq());
    flink.settle(job());
  }

  /** The restarts of every job of this run, named from Flink's exception history. */
  String restarts() throws Exception {
    List<String> parts = new ArrayList<>(jobNotes);
    long total = 0;
    for (JobClient job : jobs) {
      JobID id = job.getJobID();
      long n = restartsOf(job);
      total += n;
      if (n > 0) parts.add(n + "x after " + String.join("; ", rest.failures(id)));
      String restored = rest.restoredFrom(id);
      if (restored != null) {
        parts.add("job " + id.toString().substring(0, 8) + " restored from " + restored);
      }
    }
    return (total == 0 ? "no restarts" : total + " restart" + (total == 1 ? "" : "s"))
        + (parts.isEmpty() ? "" : ": " + String.join(" | ", parts));
  }

  /** Restarts of every job of this run. */
  long numRestarts() throws Exception {
    long total = 0;
    for (JobClient job : jobs) total += restartsOf(job);
    return total;
  }

  /**
   * The job's numRestarts metric while it runs; a finished job has no metrics left, so then the
   * failures in its exception history (each one was followed by a restart, or it would have
   * failed).
   */
  private long restartsOf(JobClient job) throws Exception {
    JobID id = job.getJobID();
    if (job.getJobStatus().get().isGloballyTerminalState()) return rest.failures(id).size();
    return await("numRestarts")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> rest.numRestarts(id), Objects::nonNull);
  }

  String restRestoredFrom() throws Exception {
    return rest.restoredFrom(job().getJobID());
  }

  @Override
  public void close() throws Exception {
    if (producer != null) producer.close();
    watch.close();
    sidecars.forEach(WorkerSidecar::close);
    processes.forEach(SidecarProcess::close);
    for (JobClient job : jobs) {
      try {
        if (!job.getJobStatus().get().isGloballyTerminalState()) job.cancel().get();
      } catch (Exception e) {
        LOG.warn("{}: could not cancel {}: {}", scenario, job.getJobID(), e.toString());
      }
    }
  }
}
