package io.xfaas.faults;

import io.xfaas.records.Outcome;
import io.xfaas.serde.Json;
import io.xfaas.testing.TopicReader;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Follows the outcomes topic (read committed) as a consumer would, to time recovery: when did the
 * first outcome of a call that started running after a fault become visible? Started, not submitted
 * or dispatched: calls queued before the fault (in a FuncBuffer or on RunQ) would otherwise count
 * as outage. A sidecar fault delays the start of calls; a job or broker fault delays the visibility
 * of their outcomes (committed with the job's checkpoints): both show. Calls that never ran count
 * from their dispatch, or their submission.
 */
final class OutcomeWatch implements AutoCloseable {
  private final TopicReader reader;
  private final Thread thread;
  private final AtomicLong seen = new AtomicLong();
  // visible-at wall time of the first outcome of a call submitted at or after each probe time
  private final Map<Long, Long> probes = new HashMap<>();
  private volatile boolean stop;
  private volatile String last;

  OutcomeWatch(String bootstrapServers, String topic) {
    reader = new TopicReader(bootstrapServers, topic);
    thread = new Thread(this::loop, "outcome-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (!stop) {
      reader.poll(this::see);
    }
    reader.close();
  }

  private void see(ConsumerRecord<byte[], byte[]> r) {
    long now = System.currentTimeMillis();
    seen.incrementAndGet();
    Outcome o;
    try {
      o = Json.readOutcome(r.value());
    } catch (RuntimeException e) {
      return;
    }
    last = new String(r.value(), java.nio.charset.StandardCharsets.UTF_8);
    synchronized (probes) {
      for (Map.Entry<Long, Long> e : probes.entrySet()) {
        long since =
            o.startedAt() != null
                ? o.startedAt()
                : o.dispatchedAt() != null ? o.dispatchedAt() : o.submittedAt();
        if (e.getValue() == null && since >= e.getKey()) e.setValue(now);
      }
    }
  }

  /** Starts timing: from now on, look for an outcome of a call started at or after {@code t}. */
  void probe(long t) {
    synchronized (probes) {
      probes.putIfAbsent(t, null);
    }
  }

  /**
   * When the first outcome of a call submitted at or after a probe became visible; null if not yet.
   */
  Long visibleAfter(long t) {
    synchronized (probes) {
      return probes.get(t);
    }
  }

  /** The latest outcome seen, for diagnostics. */
  synchronized String describe() {
    return "last outcome " + last;
  }

  long seen() {
    return seen.get();
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join(10_000);
  }
}
