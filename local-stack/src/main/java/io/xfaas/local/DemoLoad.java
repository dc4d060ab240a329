package io.xfaas.local;

import io.xfaas.config.XfaasConfig;
import io.xfaas.submit.SubmitterClient;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays {@link DemoMix} into DurableQ at a steady rate. Valid calls go through the submitter
 * client; bad records go through a plain producer, since the client refuses to send them.
 */
final class DemoLoad implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoLoad.class);

  private final SubmitterClient client;
  private final Map<String, SubmitterClient> tenantClients = new HashMap<>();
  private final KafkaProducer<byte[], byte[]> raw;
  private final String durableq;
  private final DemoMix mix = new DemoMix(new Random());
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "xfaas-demo-load");
            t.setDaemon(true);
            return t;
          });

  DemoLoad(XfaasConfig config) {
    this(config, Map.of());
  }

  /**
   * {@code tenants}: each demo tenant's own configuration as a submitter (its principal and keys,
   * under {@code --secure}); empty for one client for all. Bad records go as the first tenant.
   */
  DemoLoad(XfaasConfig config, Map<String, XfaasConfig> tenants) {
    XfaasConfig first = tenants.isEmpty() ? config : tenants.values().iterator().next();
    this.client = SubmitterClient.create(first);
    tenants.forEach((t, c) -> tenantClients.put(t, SubmitterClient.create(c)));
    Map<String, Object> rawConf = new HashMap<>(first.kafkaClientProperties());
    rawConf.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    rawConf.put(ProducerConfig.CLIENT_ID_CONFIG, "xfaas-demo-bad-records");
    this.raw = new KafkaProducer<>(rawConf, new ByteArraySerializer(), new ByteArraySerializer());
    this.durableq = config.topics().durableq();
  }

  DemoLoad start(int perSecond) {
    timer.scheduleAtFixedRate(this::sendOne, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
    return this;
  }

  private void sendOne() {
    try {
      DemoMix.Item item = mix.next(System.currentTimeMillis());
      if (item instanceof DemoMix.Item.Call c) {
        tenantClients.getOrDefault(c.invocation().tenant(), client).submit(c.invocation());
      } else if (item instanceof DemoMix.Item.Raw r) {
        raw.send(new ProducerRecord<>(durableq, r.text().getBytes(StandardCharsets.UTF_8)));
      }
    } catch (RuntimeException e) {
      // One bad send must not cancel the schedule.
      LOG.warn("Demo load could not send: {}", e.toString());
    }
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdown();
    timer.awaitTermination(5, TimeUnit.SECONDS);
    client.close();
    for (SubmitterClient c : tenantClients.values()) c.close();
    raw.close();
  }
}
