package io.xfaas.faults;

import io.xfaas.config.XfaasConfig;
import io.xfaas.records.Criticality;
import io.xfaas.records.ReasonCode;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Submits a steady stream through {@link SubmitterClient} from its own thread, whatever happens to
 * the rest of the pipeline: a {@link Load} over four tenants, more than its total if {@link
 * #extendTo extended} (it waits for more until {@link #seal sealed}). Bad input cycles through
 * {@link BadInput#KINDS}, written raw since the submitter refuses it. What Kafka did not
 * acknowledge is counted, not retried: the auditor reads what DurableQ holds.
 */
final class SteadyProducer implements AutoCloseable {
  private static final int TENANTS = 4;
  static final int SLOW_MS = 300;

  /**
   * What to send: ids {@code <run>-<n>}, {@code rate} records per second, {@code total} in all.
   * With {@code badEvery} > 0 every {@code badEvery}-th record is bad input, with {@code slowEvery}
   * > 0 every {@code slowEvery}-th call sleeps {@link #SLOW_MS}, and with {@code criticalEvery} > 0
   * one call in {@code criticalEvery} is CRITICAL, as many of each tenant's as of the others'.
   */
  record Load(String run, int rate, long total, int badEvery, int slowEvery, int criticalEvery) {}

  private final Load load;
  private volatile long total;
  private volatile boolean sealed;
  private final int payloadLimit;
  private final SubmitterClient client;
  private final KafkaProducer<byte[], byte[]> raw;
  private final String durableq;
  private final Thread thread;

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Map<ReasonCode, AtomicLong> badSent = new HashMap<>();
  private volatile boolean stop;

  SteadyProducer(XfaasConfig config, Load load) {
    this.load = load;
    this.total = load.total();
    this.payloadLimit = config.invocationLimits().maxPayloadBytes();
    this.client = SubmitterClient.create(config);
    this.durableq = config.topics().durableq();
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    this.raw = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    BadInput.KINDS.forEach(k -> badSent.put(k, new AtomicLong()));
    this.thread = new Thread(this::loop, "steady-producer-" + load.run());
    thread.setDaemon(true);
  }

  SteadyProducer start() {
    thread.start();
    return this;
  }

  private void loop() {
    int rate = load.rate();
    long n = 0;
    double tokens = 0;
    long last = System.nanoTime();
    while (!stop) {
      long now = System.nanoTime();
      // At most a second's worth at once: after a stall (broker down) the pace resumes, no burst.
      tokens = Math.min(rate, tokens + (now - last) / 1e9 * rate);
      last = now;
      if (n >= total) {
        if (sealed) break;
        tokens = 0; // waiting for more to send, or for the seal
      }
      for (; tokens >= 1 && n < total && !stop; n++, tokens--) {
        send(n);
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        return;
      }
    }
    client.flush();
    raw.flush();
  }

  /** Sends at least {@code atLeast} in all: a fault must not find the load already over. */
  void extendTo(long atLeast) {
    if (atLeast > total) total = atLeast;
  }

  /** No more than the total: the producer ends once it is sent. */
  void seal() {
    sealed = true;
  }

  private void send(long n) {
    sent.incrementAndGet();
    String run = load.run();
    int badEvery = load.badEvery();
    int slowEvery = load.slowEvery();
    if (badEvery > 0 && n % badEvery == badEvery - 1) {
      ReasonCode kind = BadInput.KINDS.get((int) ((n / badEvery) % BadInput.KINDS.size()));
      String id = run + "-bad-" + n;
      raw.send(
          new ProducerRecord<>(
              durableq,
              id.getBytes(StandardCharsets.UTF_8),
              BadInput.record(kind, id, payloadLimit)),
          (meta, e) -> {
            if (e == null) badSent.get(kind).incrementAndGet();
            else failed.incrementAndGet();
          });
      return;
    }
    boolean slow = slowEvery > 0 && n % slowEvery == 0;
    try {
      client
          .submit(
              InvocationBuilder.call("t" + (n % TENANTS), slow ? "sleep" : "echo")
                  .id(run + "-" + n)
                  .payload(slow ? "{\"ms\":" + SLOW_MS + "}" : "{\"n\":" + n + "}")
                  .criticality(isCritical(n) ? Criticality.CRITICAL : Criticality.NORMAL)
                  .build())
          .whenComplete(
              (meta, e) -> {
                if (e == null) acked.incrementAndGet();
                else failed.incrementAndGet();
              });
    } catch (RuntimeException e) {
      failed.incrementAndGet();
    }
  }

  /**
   * One round of {@code criticalEvery} calls per tenant: each tenant's first of the round. (Every
   * {@code criticalEvery}-th call overall would give them all to one tenant whenever {@code
   * criticalEvery} is a multiple of the tenants.)
   */
  private boolean isCritical(long n) {
    int criticalEvery = load.criticalEvery();
    return criticalEvery > 0 && (n / TENANTS) % criticalEvery == 0;
  }

  /** Waits until every record is sent and answered by Kafka (acknowledged or failed). */
  boolean awaitDone(long timeoutMs) throws InterruptedException {
    thread.join(timeoutMs);
    return !thread.isAlive() && acked.get() + failed.get() + badAcked() >= sent.get();
  }

  int rate() {
    return load.rate();
  }

  long total() {
    return total;
  }

  long sent() {
    return sent.get();
  }

  long acked() {
    return acked.get();
  }

  long failed() {
    return failed.get();
  }

  long badAcked() {
    return badSent.values().stream().mapToLong(AtomicLong::get).sum();
  }

  Map<ReasonCode, Long> badByKind() {
    Map<ReasonCode, Long> out = new HashMap<>();
    badSent.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join(30_000);
    client.close();
    raw.close();
  }
}
