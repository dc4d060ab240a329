package io.xfaas.sidecar;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.Invocation;
import io.xfaas.security.InvocationSigner;
import io.xfaas.security.SigningKeySource;
import io.xfaas.security.SigningPolicy;
import io.xfaas.serde.Json;
import io.xfaas.time.WallClock;
import io.xfaas.window.AimdWindow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker sidecar: consumes RunQ in the region's worker group, runs each invocation's function,
 * and writes attempt results, retries, dead letters and per-function feedback. Plain Java, no
 * Flink.
 *
 * <p><b>Isolation.</b> The poll thread never runs calls: it hands each record to its function's
 * {@link FunctionLane}, which runs batches on call threads within the function's adaptive {@link
 * AimdWindow} and a fair share of the sidecar's {@link Capacity}. A partition with {@code
 * max-poll-records} calls outstanding is paused until half of them are done, so a slow function
 * backs up its own partitions (RunQ is keyed by function), not the sidecar.
 *
 * <p><b>Cost per call.</b> A poll's records are read without a JSON tree ({@link RunQParser}, the
 * payload kept as raw text) and handed to each lane at once; a fast function's calls run one after
 * the other on one call thread ({@link BatchRunner}), and each batch's outputs are sent together,
 * with one callback for their acknowledgements.
 *
 * <p><b>At-least-once.</b> A record is done once every output it produced is acknowledged by Kafka;
 * the committed offset of a partition is its first record not done ({@link PartitionProgress}), so
 * records finishing out of order never commit past an unfinished one. The poll loop commits without
 * waiting (one commit at a time), a revocation or a drain waits for its commit. A crash re-delivers
 * what was not committed, and results may repeat but none is lost: they go to the results topic,
 * and the scheduler job lets only the first terminal result of each id through to the outcomes
 * topic, which it writes exactly once. A partition being revoked drops its waiting calls, waits
 * (bounded) for its running ones and commits what is done; the new owner runs the rest. A write
 * that Kafka refuses after the producer's own retries stops the sidecar: its record is never
 * committed, so it runs again elsewhere.
 *
 * <pre>{@code
 * try (WorkerSidecar sidecar =
 *     new WorkerSidecar(config, FunctionRegistry.fromServiceLoader()).start()) {
 *   ...
 * }
 * }</pre>
 */
public final class WorkerSidecar implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerSidecar.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** Short: completions between polls only move commits and pauses, and those should be prompt. */
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);

  /** Beyond the call timeout, how long a drain or a revocation waits for calls running. */
  private static final long DRAIN_SLACK_MS = 5_000;

  private final SidecarSettings settings;
  private final String name;
  private final WallClock clock;
  private final FunctionRegistry functions;
  private final InvocationRunner runner;
  private final OutputRecords output;
  private final SidecarStats stats = new SidecarStats();
  private final Capacity capacity;
  private final ScheduledExecutorService timer;
  private final BatchRunner batches;
  private final FunctionLane.Shared laneShared;
  private final LoadReporter load;
  private final Map<String, FunctionLane> lanes = new ConcurrentHashMap<>();
  private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
  private final Set<TopicPartition> paused = new HashSet<>(); // poll thread only
  private boolean committing; // poll thread only: an asynchronous commit is waiting for its answer

  private KafkaConsumer<byte[], byte[]> consumer;
  private volatile KafkaProducer<byte[], byte[]> producer;
  private volatile Thread pollThread;
  private SidecarHttpServer http;
  private final SidecarMetrics metrics;
  private boolean closed;
  private volatile boolean stopping;
  private volatile boolean halted;
  private volatile Throwable failure;

  /**
   * A sidecar configured by {@code config}, on the system clock; {@code functions} also serves the
   * name prefixes of {@code xfaas.sidecar.prefix-functions} (trace replay).
   */
  public WorkerSidecar(XfaasConfig config, FunctionRegistry functions) {
    this(
        SidecarSettings.from(config),
        functions.servePrefixes(config.get(io.xfaas.config.XfaasOptions.SIDECAR_PREFIX_FUNCTIONS)),
        WallClock.SYSTEM,
        retrySigner(config));
  }

  /**
   * The signer of retries re-enqueued to DurableQ when the scheduler requires signatures: the
   * sidecars then hold the scheduler's signing keys file, as trusted writers of every tenant's
   * retries (docs/security.md).
   */
  static InvocationSigner retrySigner(XfaasConfig config) {
    if (config.get(XfaasOptions.SECURITY_SIGNING) != SigningPolicy.REQUIRED) return null;
    String file = config.get(XfaasOptions.SECURITY_SIGNING_KEYS_FILE);
    if (file.isBlank()) {
      throw new IllegalArgumentException(
          "xfaas.security.signing=required: sidecars sign the retries they re-enqueue and need"
              + " xfaas.security.signing-keys-file");
    }
    SigningKeySource keys =
        SigningKeySource.file(
            file, config.get(XfaasOptions.SECURITY_SIGNING_KEYS_RELOAD).toMillis());
    keys.keys(System.currentTimeMillis()).current(); // a missing or malformed file fails now
    return InvocationSigner.deriving(keys);
  }

  /** As {@link #WorkerSidecar(SidecarSettings, FunctionRegistry, WallClock, InvocationSigner)}. */
  public WorkerSidecar(SidecarSettings settings, FunctionRegistry functions, WallClock clock) {
    this(settings, functions, clock, null);
  }

  /**
   * A sidecar running {@code functions}, plus the HTTP functions of the settings, which are
   * registered (and so warmed up) here; {@code retrySigner} (null: none) signs the retries it
   * re-enqueues to DurableQ.
   */
  public WorkerSidecar(
      SidecarSettings settings,
      FunctionRegistry functions,
      WallClock clock,
      InvocationSigner retrySigner) {
    this.settings = settings;
    this.name = "xfaas-sidecar-" + INSTANCES.incrementAndGet();
    this.clock = clock;
    this.functions = functions;
    RemoteFunctions remote = settings.remoteFunctions();
    remote
        .urls()
        .forEach(
            (fn, url) -> {
              if (functions.get(fn) == null) {
                functions.register(
                    new HttpFunction(fn, url, settings.callTimeout(), remote.tokenFor(url)));
              }
            });
    this.runner = new InvocationRunner(functions, settings, clock, name + "-call-");
    this.output = new OutputRecords(settings.topics(), retrySigner);
    this.capacity = new Capacity(settings.capacity(), clock::now);
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, name + "-timer");
              t.setDaemon(true);
              return t;
            });
    // Call timeouts are mostly cancelled: drop them at once rather than hold them until due.
    timer.setRemoveOnCancelPolicy(true);
    this.timer = timer;
    this.load = new LoadReporter(settings.region(), settings.topics().load(), name, clock::now);
    this.batches =
        new BatchRunner(
            name + "-call-",
            timer,
            settings.callTimeout(),
            settings.tuning().runBudget(),
            runner.timeoutDetail(),
            clock::now,
            this::answered);
    this.laneShared =
        new FunctionLane.Shared(
            settings.batchSize(),
            settings.batchLinger().toMillis(),
            settings.window(),
            capacity,
            batches,
            timer,
            clock::now);
    this.metrics = new SidecarMetrics(this);
  }

  /**
   * Connects to Kafka and starts polling on a thread of its own.
   *
   * @return this
   * @throws IllegalStateException if already started or closed
   */
  public synchronized WorkerSidecar start() {
    if (closed) throw new IllegalStateException(name + " is closed");
    if (pollThread != null) throw new IllegalStateException(name + " is already started");
    producer = SidecarClients.producer(settings, name);
    try {
      consumer = SidecarClients.consumer(settings, name);
      if (settings.httpPort() > 0)
        http = SidecarHttpServer.start(settings.httpBindAddress(), settings.httpPort(), this);
    } catch (RuntimeException e) {
      producer.close();
      if (consumer != null) consumer.close();
      throw e;
    }
    long every = settings.feedbackInterval().toMillis();
    timer.scheduleAtFixedRate(this::reportFeedback, every, every, TimeUnit.MILLISECONDS);
    pollThread = new Thread(this::pollLoop, name + "-poll");
    pollThread.start();
    LOG.info(
        "{} started: group {}, {} -> {}, capacity {}, functions {}",
        name,
        settings.groupId(),
        settings.topics().runq(),
        settings.topics().results(),
        settings.capacity(),
        functions.names());
    return this;
  }

  /**
   * Drains and stops: stops fetching, hands back the calls still waiting (uncommitted, so their
   * partitions' next owner runs them), finishes the calls running, commits, and closes the Kafka
   * clients and the threads. Blocks until done; calls are bounded by their timeout, so this is too.
   * Idempotent.
   */
  @Override
  public void close() {
    stop(false);
  }

  /**
   * Stops at once, as a crash would, for tests: no drain and no further commit; outputs not yet
   * sent are dropped. What was not committed runs again on another sidecar.
   */
  void halt() {
    stop(true);
  }

  private synchronized void stop(boolean crash) {
    if (closed) return;
    closed = true;
    halted = crash;
    stopping = true;
    boolean interrupted = false;
    if (pollThread != null) {
      try {
        consumer.wakeup();
      } catch (RuntimeException e) {
        LOG.debug("{}: waking the consumer failed; it has stopped already", name, e);
      }
      while (pollThread.isAlive()) {
        try {
          pollThread.join();
        } catch (InterruptedException e) {
          // Closing half-way would leave calls uncommitted and clients open: finish first.
          interrupted = true;
        }
      }
    }
    if (http != null) http.close();
    timer.shutdownNow();
    load.close();
    batches.close();
    runner.close();
    LOG.info("{} {}: {}", name, crash ? "halted" : "closed", statusLine());
    if (interrupted) Thread.currentThread().interrupt();
  }

  /** True from {@link #start()} until the poll loop ends (on close, or on a fatal error). */
  public boolean isRunning() {
    Thread t = pollThread;
    return t != null && t.isAlive();
  }

  /** True while running and not stopping: ready to take calls. */
  public boolean isReady() {
    return isRunning() && !stopping;
  }

  /**
   * Waits for the poll loop to end.
   *
   * @return true if it has ended (or never started), false on timeout
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    Thread t = pollThread;
    if (t != null) t.join(Math.max(1, timeout.toMillis()));
    return t == null || !t.isAlive();
  }

  /** The error that ended the poll loop, or null when none did. */
  public Throwable failure() {
    return failure;
  }

  /** The client id of this sidecar's consumer and producer, and the prefix of its threads. */
  public String name() {
    return name;
  }

  /** The RunQ partitions this sidecar owns right now. */
  public Set<TopicPartition> assignment() {
    return Set.copyOf(progress.keySet());
  }

  /** RunQ records decided and acknowledged, whatever the decision. */
  public long processed() {
    return stats.processed();
  }

  /** SUCCEEDED outcomes written. */
  public long succeeded() {
    return stats.succeeded();
  }

  /** FAILED outcomes written (unknown function, or no attempt left). */
  public long failed() {
    return stats.failed();
  }

  /** Retries written back to DurableQ. */
  public long retried() {
    return stats.retried();
  }

  /** Dead letters written: the FAILED calls plus the records that were no invocation. */
  public long deadLettered() {
    return stats.deadLettered();
  }

  /** The concurrency window of a function, or 0 when it has not run here. */
  public int window(String function) {
    FunctionLane lane = lanes.get(function);
    return lane == null ? 0 : lane.window();
  }

  /** Calls of a function running now. */
  public int inFlight(String function) {
    FunctionLane lane = lanes.get(function);
    return lane == null ? 0 : lane.inFlight();
  }

  /** The sidecar's capacity: most calls running at once over all functions. */
  public int capacity() {
    return capacity.capacity();
  }

  /** Calls running now, over all functions. */
  public int callsInFlight() {
    return capacity.inUse();
  }

  /** The functions that have run here, by name. */
  /** Its Prometheus metrics: what {@code /metrics} serves. */
  SidecarMetrics metrics() {
    return metrics;
  }

  Map<String, FunctionLane> lanes() {
    return new TreeMap<>(lanes);
  }

  /** One line for a status log. */
  public String statusLine() {
    return String.format(
        "%s processed=%d succeeded=%d failed=%d retried=%d deadLettered=%d partitions=%d"
            + " inFlight=%d",
        name,
        processed(),
        succeeded(),
        failed(),
        retried(),
        deadLettered(),
        progress.size(),
        capacity.inUse());
  }

  private void pollLoop() {
    try {
      consumer.subscribe(List.of(settings.topics().runq()), new Rebalance());
      while (!stopping) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = consumer.poll(POLL_TIMEOUT);
        } catch (WakeupException e) {
          continue; // close() woke us, or a write failed: the loop condition ends it
        }
        dispatch(records);
        updatePauses();
        commitDoneAsync();
      }
      if (!halted) drain();
    } catch (InterruptedException e) {
      failure = e;
      LOG.error("{} was interrupted; stopping without finishing its calls", name);
    } catch (Throwable t) {
      failure = t;
      LOG.error("{} stopped on an unexpected error", name, t);
    } finally {
      closeClients();
    }
  }

  /** Hands each record to its function's lane, or writes its decision when there is no call. */
  private void dispatch(ConsumerRecords<byte[], byte[]> records) {
    if (records.isEmpty()) return;
    // Usually one lane or a few: each gets its calls of the poll at once, and is pumped once.
    Map<FunctionLane, List<FunctionLane.Queued>> byLane = new LinkedHashMap<>();
    long now = clock.now();
    for (TopicPartition tp : records.partitions()) {
      PartitionProgress p = progress.computeIfAbsent(tp, k -> new PartitionProgress());
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        p.received(r.offset());
        InvocationRunner.Prepared prepared =
            runner.prepare(new RunQRecord(r.topic(), r.partition(), r.offset(), r.value()));
        if (prepared instanceof InvocationRunner.Prepared.Ready ready) {
          FunctionLane lane = lane(ready.invocation().function(), ready.function());
          byLane
              .computeIfAbsent(lane, l -> new ArrayList<>())
              .add(new FunctionLane.Queued(ready, p, now));
        } else {
          Decision d = ((InvocationRunner.Prepared.Decided) prepared).decision();
          write(List.of(d), List.of(p), new long[] {r.offset()});
        }
      }
    }
    byLane.forEach(FunctionLane::addAll);
    records
        .nextOffsets()
        .forEach(
            (tp, next) -> {
              PartitionProgress p = progress.get(tp);
              if (p != null) p.advancePosition(next.offset());
            });
    byLane.keySet().forEach(FunctionLane::pump);
  }

  /** The lane of function {@code name} (as called), served by {@code fn}. */
  private FunctionLane lane(String name, XfaasFunction fn) {
    return lanes.computeIfAbsent(name, n -> new FunctionLane(n, fn, laneShared));
  }

  /** A batch answered (on a call thread or the timer): decide and write each call's result. */
  private void answered(
      FunctionLane lane,
      List<FunctionLane.Queued> batch,
      List<CallResult> results,
      long startedAt,
      long latencyMs) {
    if (!halted) {
      int n = batch.size();
      List<Decision> decisions = new ArrayList<>(n);
      List<PartitionProgress> partitions = new ArrayList<>(n);
      long[] offsets = new long[n];
      for (int i = 0; i < n; i++) {
        FunctionLane.Queued q = batch.get(i);
        decisions.add(runner.decide(q.call(), results.get(i), startedAt));
        partitions.add(q.progress());
        offsets[i] = q.offset();
      }
      write(decisions, partitions, offsets);
    }
    List<Invocation> calls = new ArrayList<>(batch.size());
    for (FunctionLane.Queued q : batch) calls.add(q.call().invocation());
    metrics.finished(lane.function(), calls, startedAt, latencyMs);
    lane.finished(batch, results, latencyMs);
  }

  /**
   * Sends the records of a batch's decisions, together; each RunQ record is done once Kafka has
   * acknowledged them all (one callback for the batch: acks of one batch come close together).
   */
  private void write(List<Decision> decisions, List<PartitionProgress> partitions, long[] offsets) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(decisions.size());
    for (Decision d : decisions) output.addTo(out, d);
    Acks acks = new Acks(decisions, partitions, offsets, out.size());
    try {
      for (ProducerRecord<byte[], byte[]> r : out) producer.send(r, acks);
    } catch (RuntimeException e) {
      writeFailed(e);
    }
  }

  /** Completes a batch's RunQ records once every record it sent is acknowledged. */
  private final class Acks implements Callback {
    private final List<Decision> decisions;
    private final List<PartitionProgress> partitions;
    private final long[] offsets;
    private final AtomicInteger left;

    Acks(List<Decision> decisions, List<PartitionProgress> partitions, long[] offsets, int sent) {
      this.decisions = decisions;
      this.partitions = partitions;
      this.offsets = offsets;
      this.left = new AtomicInteger(sent);
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception e) {
      if (e != null) {
        writeFailed(e);
      } else if (left.decrementAndGet() == 0) {
        for (int i = 0; i < offsets.length; i++) {
          stats.count(decisions.get(i));
          partitions.get(i).completed(offsets[i]);
        }
      }
    }
  }

  private void writeFailed(Exception e) {
    if (halted) return;
    synchronized (this) {
      if (failure == null) {
        failure = e;
        LOG.error("{}: an output was not written; stopping, its call will run again", name, e);
      }
    }
    stopping = true;
    try {
      consumer.wakeup();
    } catch (RuntimeException ignored) {
      // closed already
    }
  }

  /** Pauses partitions with too much outstanding, resumes them once half of it is done. */
  private void updatePauses() {
    int high = settings.maxPollRecords();
    List<TopicPartition> pause = new java.util.ArrayList<>();
    List<TopicPartition> resume = new java.util.ArrayList<>();
    progress.forEach(
        (tp, p) -> {
          int outstanding = p.outstanding();
          if (!paused.contains(tp) && outstanding >= high) {
            pause.add(tp);
          } else if (paused.contains(tp) && outstanding <= high / 2) {
            resume.add(tp);
          }
        });
    if (!pause.isEmpty()) {
      consumer.pause(pause);
      paused.addAll(pause);
    }
    if (!resume.isEmpty()) {
      consumer.resume(resume);
      paused.removeAll(resume);
    }
  }

  /**
   * Commits the done prefix of every partition that moved, without waiting: the poll loop goes on
   * fetching meanwhile. One commit at a time; its answer comes in a later poll, on this thread.
   */
  private void commitDoneAsync() {
    if (committing) return;
    Map<TopicPartition, OffsetAndMetadata> offsets = toCommit(progress.keySet());
    if (offsets.isEmpty()) return;
    committing = true;
    consumer.commitAsync(
        offsets,
        (done, e) -> {
          committing = false;
          if (e == null) {
            markCommitted(done);
          } else if (e instanceof RebalanceInProgressException || e instanceof RetriableException) {
            LOG.info("{}: commit deferred: {}", name, e.toString());
          } else {
            // The group moved on without us; the next poll rejoins and the new owner reruns them.
            LOG.warn("{}: commit refused, its calls will run again: {}", name, e.getMessage());
          }
        });
  }

  private Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      PartitionProgress p = progress.get(tp);
      if (p == null) continue;
      OptionalLong next = p.toCommit();
      if (next.isPresent()) offsets.put(tp, new OffsetAndMetadata(next.getAsLong()));
    }
    return offsets;
  }

  private void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(
        (tp, o) -> {
          PartitionProgress p = progress.get(tp);
          if (p != null) p.committed(o.offset());
        });
  }

  /** Commits the done prefix of each of {@code partitions} that moved, and waits for it. */
  private void commitDone(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = toCommit(partitions);
    if (offsets.isEmpty()) return;
    try {
      try {
        consumer.commitSync(offsets);
      } catch (WakeupException e) {
        // close() woke us after the poll: what is done is done, so commit it all the same.
        consumer.commitSync(offsets);
      }
      markCommitted(offsets);
    } catch (RebalanceInProgressException | RetriableException e) {
      // Tried again after the next poll, unless the partitions are revoked meanwhile.
      LOG.info("{}: commit deferred: {}", name, e.toString());
    } catch (CommitFailedException e) {
      // The group moved on without us; the next poll rejoins and the new owner reruns the calls.
      LOG.warn("{}: commit refused, its calls will run again: {}", name, e.getMessage());
    }
  }

  /** Graceful stop: waiting calls handed back, running calls finished, and a last commit. */
  private void drain() throws InterruptedException {
    lanes.values().forEach(l -> l.dropQueued(null));
    awaitQuiet(progress.keySet());
    commitDone(progress.keySet());
  }

  private void awaitQuiet(Collection<TopicPartition> partitions) throws InterruptedException {
    long until = System.currentTimeMillis() + settings.callTimeout().toMillis() + DRAIN_SLACK_MS;
    for (TopicPartition tp : partitions) {
      PartitionProgress p = progress.get(tp);
      long left = until - System.currentTimeMillis();
      if (p != null && !p.awaitQuiet(Math.max(1, left))) {
        LOG.warn("{}: calls of {} still running; handing them back uncommitted", name, tp);
      }
    }
  }

  /**
   * Every active function's report of the last period, to the feedback topic; then the sidecar's
   * load report (capacity, utilization; the region's heartbeat) to the global load topic.
   */
  private void reportFeedback() {
    try {
      int windowSum = 0;
      for (FunctionLane l : lanes.values()) windowSum += l.window();
      double utilization = capacity.periodUtilization();
      List<FunctionFeedback> period = new ArrayList<>();
      for (FunctionLane l : lanes.values()) {
        FunctionFeedback f = l.report(name, settings.region(), windowSum, utilization);
        if (f != null) period.add(f);
        if (f == null || producer == null || stopping) continue;
        producer.send(
            new ProducerRecord<>(
                settings.topics().feedback(),
                f.function().getBytes(StandardCharsets.UTF_8),
                Json.write(f)),
            (m, e) -> {
              if (e != null) LOG.debug("{}: feedback not written: {}", name, e.toString());
            });
      }
      if (producer != null && !stopping) {
        load.send(producer, period, capacity.capacity(), utilization);
      }
    } catch (RuntimeException e) {
      // Feedback is advisory: a lost report is replaced by the next.
      LOG.debug("{}: feedback failed", name, e);
    }
  }

  private void closeClients() {
    try {
      consumer.close();
    } catch (RuntimeException e) {
      LOG.warn("{}: closing the consumer failed", name, e);
    }
    try {
      if (halted) {
        producer.close(Duration.ZERO);
      } else {
        producer.close();
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: closing the producer failed", name, e);
    }
    progress.clear();
  }

  /** Runs inside poll (and close), on the poll thread. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      partitions.forEach(tp -> progress.put(tp, new PartitionProgress()));
      if (!partitions.isEmpty()) LOG.info("{} assigned {}", name, partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (halted) {
        forget(partitions);
        return;
      }
      // Still ours until this returns: hand back what waits, finish what runs, commit what is
      // done, so that the next owner runs as little as possible again.
      for (TopicPartition tp : partitions) {
        PartitionProgress p = progress.get(tp);
        if (p != null) lanes.values().forEach(l -> l.dropQueued(p));
      }
      try {
        awaitQuiet(partitions);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      commitDone(partitions);
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // No longer ours: a commit would be refused; calls running finish, uncommitted.
      for (TopicPartition tp : partitions) {
        PartitionProgress p = progress.get(tp);
        if (p != null) lanes.values().forEach(l -> l.dropQueued(p));
      }
      forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
      partitions.forEach(progress::remove);
      paused.removeAll(partitions);
      if (!partitions.isEmpty()) LOG.info("{} gave up {}", name, partitions);
    }
  }
}
