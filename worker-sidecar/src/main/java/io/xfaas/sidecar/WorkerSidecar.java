package io.xfaas.sidecar;

import io.xfaas.config.XfaasConfig;
import io.xfaas.time.WallClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker sidecar: consumes RunQ in the region's worker group, runs each invocation's function,
 * and writes attempt results, retries and dead letters. Plain Java, no Flink.
 *
 * <p>Delivery is at-least-once. Each polled batch runs on a fixed pool of worker threads; the
 * offsets of a batch are committed only after every record it produced is acknowledged by Kafka. A
 * crash before the commit hands the batch to another sidecar, which runs it again, so results may
 * repeat but none is lost: they go to the results topic, and the scheduler job lets only the first
 * terminal result of each id through to the outcomes topic, which it writes exactly once. Batches
 * are processed between polls, and rebalance callbacks run only inside a poll, so a revoked
 * partition never has an unfinished batch: revocation has nothing to finish, only pending commits
 * to forget.
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

  /** A poll returns early when records arrive or on close, so this only bounds idle spins. */
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

  private final SidecarSettings settings;
  private final String name;
  private final InvocationRunner runner;
  private final OutputRecords output;
  private final ExecutorService workers;
  private final SidecarStats stats = new SidecarStats();
  private final Set<TopicPartition> assignment = ConcurrentHashMap.newKeySet();

  // Offsets of acknowledged batches whose commit has not succeeded yet; poll thread only.
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();

  private KafkaConsumer<byte[], byte[]> consumer;
  private KafkaProducer<byte[], byte[]> producer;
  private volatile Thread pollThread;
  private boolean closed;
  private volatile boolean stopping;
  private volatile Throwable failure;

  /** A sidecar configured by {@code config}, on the system clock. */
  public WorkerSidecar(XfaasConfig config, FunctionRegistry functions) {
    this(SidecarSettings.from(config), functions, WallClock.SYSTEM);
  }

  public WorkerSidecar(SidecarSettings settings, FunctionRegistry functions, WallClock clock) {
    this.settings = settings;
    this.name = "xfaas-sidecar-" + INSTANCES.incrementAndGet();
    this.runner = new InvocationRunner(functions, settings, clock, name + "-call-");
    this.output = new OutputRecords(settings.topics());
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            settings.threads(), r -> new Thread(r, name + "-worker-" + n.incrementAndGet()));
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
    } catch (RuntimeException e) {
      producer.close();
      throw e;
    }
    pollThread = new Thread(this::pollLoop, name + "-poll");
    pollThread.start();
    LOG.info(
        "{} started: group {}, {} -> {}, {} threads",
        name,
        settings.groupId(),
        settings.topics().runq(),
        settings.topics().results(),
        settings.threads());
    return this;
  }

  /**
   * Stops polling, finishes and commits the batch in flight, and closes the Kafka clients and the
   * threads. Blocks until done; calls are bounded by their timeout, so this is too. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
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
          // Closing half-way would leave a batch uncommitted and clients open: finish first.
          interrupted = true;
        }
      }
    }
    workers.shutdown();
    try {
      if (!workers.awaitTermination(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      interrupted = true;
    }
    runner.close();
    LOG.info("{} closed: {}", name, statusLine());
    if (interrupted) Thread.currentThread().interrupt();
  }

  /** True from {@link #start()} until the poll loop ends (on close, or on a fatal error). */
  public boolean isRunning() {
    Thread t = pollThread;
    return t != null && t.isAlive();
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
    return Set.copyOf(assignment);
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

  /** One line for a status log. */
  public String statusLine() {
    return String.format(
        "%s processed=%d succeeded=%d failed=%d retried=%d deadLettered=%d partitions=%d",
        name, processed(), succeeded(), failed(), retried(), deadLettered(), assignment.size());
  }

  private void pollLoop() {
    try {
      consumer.subscribe(List.of(settings.topics().runq()), new Rebalance());
      while (!stopping) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = consumer.poll(POLL_TIMEOUT);
        } catch (WakeupException e) {
          continue; // close() woke us: the loop condition ends it
        }
        if (!records.isEmpty() && !runBatch(records)) {
          rewind(records);
          continue;
        }
        // Also after a poll without records: it may have moved past transaction markers.
        uncommitted.putAll(nextOffsets(records));
        commitUncommitted();
      }
    } catch (InterruptedException e) {
      failure = e;
      LOG.error("{} was interrupted; stopping without finishing its batch", name);
    } catch (Throwable t) {
      failure = t;
      LOG.error("{} stopped on an unexpected error", name, t);
    } finally {
      closeClients();
    }
  }

  /**
   * Runs one batch on the workers, each worker sending its record's outputs as soon as it has
   * decided, then waits until Kafka has acknowledged them all.
   *
   * @return true when every output is acknowledged, false when a send failed
   */
  private boolean runBatch(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
    List<Future<Handled>> tasks = new ArrayList<>(records.count());
    for (ConsumerRecord<byte[], byte[]> r : records) {
      tasks.add(workers.submit(() -> handle(r)));
    }
    List<Handled> handled = new ArrayList<>(tasks.size());
    RuntimeException bug = null;
    for (Future<Handled> task : tasks) {
      try {
        handled.add(task.get());
      } catch (ExecutionException e) {
        // The runner contains every function failure; reaching here is a bug or an interrupt.
        if (bug == null) bug = new IllegalStateException("running a RunQ record failed", e);
      }
    }
    if (bug != null) throw bug;
    boolean acknowledged = true;
    for (Handled h : handled) {
      for (Future<RecordMetadata> ack : h.acks()) {
        try {
          ack.get();
        } catch (ExecutionException e) {
          if (acknowledged) {
            LOG.warn("{}: an output was not written; the batch will run again", name, e);
          }
          acknowledged = false;
        }
      }
    }
    if (acknowledged) handled.forEach(h -> stats.count(h.decision()));
    return acknowledged;
  }

  private Handled handle(ConsumerRecord<byte[], byte[]> r) throws InterruptedException {
    Decision d = runner.run(new RunQRecord(r.topic(), r.partition(), r.offset(), r.value()));
    List<Future<RecordMetadata>> acks = new ArrayList<>(2);
    output.of(d).forEach(out -> acks.add(producer.send(out)));
    return new Handled(d, acks);
  }

  /** Sends the batch's partitions back to its first records, so the next poll runs it again. */
  private void rewind(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      consumer.seek(tp, records.records(tp).get(0).offset());
    }
  }

  /**
   * The offsets that mark a poll as done. The consumer's next offsets also skip transaction
   * markers, so a group reaches the end of a transactional RunQ; the last offset + 1 stands in for
   * a partition they leave out.
   */
  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
      next.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
    }
    next.putAll(records.nextOffsets());
    return next;
  }

  private void commitUncommitted() {
    if (uncommitted.isEmpty()) return;
    Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(uncommitted);
    try {
      try {
        consumer.commitSync(offsets);
      } catch (WakeupException e) {
        // close() woke us after the poll: the batch is done, so commit it all the same.
        consumer.commitSync(offsets);
      }
      uncommitted.keySet().removeAll(offsets.keySet());
    } catch (RebalanceInProgressException | RetriableException e) {
      // Kept, and tried again after the next poll, unless the partitions are revoked meanwhile.
      LOG.info("{}: commit deferred: {}", name, e.toString());
    } catch (CommitFailedException e) {
      // The group moved on without us; the next poll rejoins and the new owner reruns the batch.
      LOG.warn("{}: commit refused, its batch will run again: {}", name, e.getMessage());
    }
  }

  private void closeClients() {
    try {
      consumer.close();
    } catch (RuntimeException e) {
      LOG.warn("{}: closing the consumer failed", name, e);
    }
    try {
      producer.close();
    } catch (RuntimeException e) {
      LOG.warn("{}: closing the producer failed", name, e);
    }
    assignment.clear();
  }

  /** A decided record and the acknowledgements of what it wrote. */
  private record Handled(Decision decision, List<Future<RecordMetadata>> acks) {}

  /** Runs inside poll (and close), on the poll thread, never with a batch in flight. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assignment.addAll(partitions);
      if (!partitions.isEmpty()) LOG.info("{} assigned {}", name, partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      forget(partitions);
      // Still ours until this returns: a last try to commit what was done, so the next owner
      // does not run it again.
      commitUncommitted();
      partitions.forEach(uncommitted::remove);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // No longer ours: a commit would be refused.
      forget(partitions);
      partitions.forEach(uncommitted::remove);
    }

    private void forget(Collection<TopicPartition> partitions) {
      assignment.removeAll(partitions);
      if (!partitions.isEmpty()) LOG.info("{} gave up {}", name, partitions);
    }
  }
}
