package io.xfaas.gtc;

import io.xfaas.records.Invocation;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Submits {@code sleep} calls of one source region through its submitter at a steady rate, on a
 * thread of its own, and remembers every id with the time it was sent.
 */
final class SteadyLoad implements AutoCloseable {
  record Sent(String id, long at) {}

  private final String source;
  private final SubmitterClient client;
  private final int perSecond;
  private final String payload;
  private final AtomicInteger seq = new AtomicInteger();
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final ScheduledExecutorService timer;

  SteadyLoad(String source, SubmitterClient client, int perSecond, long sleepMs) {
    this.source = source;
    this.client = client;
    this.perSecond = perSecond;
    this.payload = "{\"ms\":" + sleepMs + "}";
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "load-" + source);
              t.setDaemon(true);
              return t;
            });
  }

  /** Sends {@code perSecond / 10} calls every 100 ms. */
  SteadyLoad start() {
    timer.scheduleAtFixedRate(this::tick, 0, 100, TimeUnit.MILLISECONDS);
    return this;
  }

  private void tick() {
    for (int i = 0; i < Math.max(1, perSecond / 10); i++) {
      String id = source + "-" + seq.incrementAndGet();
      Invocation inv =
          InvocationBuilder.call("tenant-" + source, "sleep").id(id).payload(payload).build();
      long at = System.currentTimeMillis();
      client
          .submit(inv)
          .whenComplete(
              (m, e) -> {
                if (e != null) failure.compareAndSet(null, e);
              });
      sent.add(new Sent(id, at));
    }
  }

  /** Stops sending and waits until everything sent is acknowledged. */
  void stop() throws InterruptedException {
    timer.shutdown();
    timer.awaitTermination(10, TimeUnit.SECONDS);
    client.flush();
  }

  List<Sent> sent() {
    return List.copyOf(sent);
  }

  List<String> sentAfter(long at) {
    return sent.stream().filter(s -> s.at() > at).map(Sent::id).toList();
  }

  Throwable failure() {
    return failure.get();
  }

  String source() {
    return source;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
