package io.xfaas.config;

import io.xfaas.kafka.SmallTopicClients;
import io.xfaas.records.TenantSettings;
import io.xfaas.serde.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Reads and writes tenant settings on the compacted config topic ({@link Topics#config()}): key
 * {@code tenant/<name>} (UTF-8), value the {@link TenantSettings} as JSON, or a tombstone to remove
 * them. The scheduler job follows the topic and applies changes without a restart.
 *
 * <p>Writes go through an idempotent producer with {@code acks=all} and return once Kafka has
 * acknowledged them; the topic is created (compacted, one partition) if it does not exist yet.
 * Reads take the topic from its beginning to its current end with a plain consumer (all partitions
 * assigned, {@code read_committed}, no consumer group), and fold the records into the latest
 * settings per tenant the way the scheduler does: a tombstone removes a tenant, and a value the
 * scheduler would refuse (unreadable, or invalid) leaves the previous settings in force.
 *
 * <pre>{@code
 * try (TenantConfigClient tenants = TenantConfigClient.create(config)) {
 *   tenants.put(new TenantSettings("ads", 20, 5, 10, 2, 10_000, List.of(), 600_000L, 0));
 *   Optional<TenantSettings> ads = tenants.get("ads");
 * }
 * }</pre>
 *
 * Not thread-safe.
 */
public final class TenantConfigClient implements AutoCloseable {
  /** The key prefix of tenant settings; other keys on the (shared) topic are not ours. */
  public static final String KEY_PREFIX = "tenant/";

  /** The form of a tenant name, as the invocation rules accept it. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

  private final SmallTopicClients kafka;
  private final String topic;
  private KafkaProducer<byte[], byte[]> producer;
  private boolean topicChecked;

  TenantConfigClient(SmallTopicClients kafka, String topic) {
    this.kafka = kafka;
    this.topic = topic;
  }

  /** A client of the configured Kafka and config topic; reads and writes wait at most 30 s. */
  public static TenantConfigClient create(XfaasConfig config) {
    return new TenantConfigClient(SmallTopicClients.of(config), config.topics().config());
  }

  public String topic() {
    return topic;
  }

  /**
   * Writes a tenant's settings and waits for Kafka's acknowledgement.
   *
   * @throws IllegalArgumentException with the reason, when the settings are invalid (nothing is
   *     written)
   * @throws IllegalStateException when Kafka does not acknowledge the write in time
   */
  public RecordMetadata put(TenantSettings settings) {
    String problem = problem(settings);
    if (problem != null) throw new IllegalArgumentException(problem);
    return send(settings.tenant(), Json.write(settings));
  }

  /** Writes a tombstone for the tenant (it falls back to the unknown-tenant policy). */
  public RecordMetadata remove(String tenant) {
    String problem = nameProblem(tenant);
    if (problem != null) throw new IllegalArgumentException(problem);
    return send(tenant, null);
  }

  /** The tenant's latest settings, if it has any. */
  public Optional<TenantSettings> get(String tenant) {
    return Optional.ofNullable(readLatest().get(tenant));
  }

  /** The latest settings of every tenant, sorted by name. */
  public List<TenantSettings> list() {
    return new ArrayList<>(readLatest().values());
  }

  /** Why these settings cannot be written, or null when they can. */
  public static String problem(TenantSettings settings) {
    if (settings == null) return "settings are required";
    String name = nameProblem(settings.tenant());
    return name != null ? name : settings.problem();
  }

  private static String nameProblem(String tenant) {
    if (tenant == null || tenant.isEmpty()) return "tenant is required";
    if (!NAME.matcher(tenant).matches()) {
      return "tenant '"
          + tenant
          + "' must be letters, digits and . _ : -, starting with a letter or digit";
    }
    return null;
  }

  /**
   * Applies one config-topic record to {@code latest}: keys other than {@code tenant/<name>} are
   * skipped, a null value (tombstone) removes the tenant, valid settings replace the previous ones
   * (named after the key, whatever their {@code tenant} field says), and anything unreadable or
   * invalid is skipped, as the scheduler does.
   */
  public static void fold(Map<String, TenantSettings> latest, byte[] key, byte[] value) {
    if (key == null) return;
    String k = new String(key, StandardCharsets.UTF_8);
    if (!k.startsWith(KEY_PREFIX)) return;
    String tenant = k.substring(KEY_PREFIX.length());
    if (value == null) {
      latest.remove(tenant);
      return;
    }
    try {
      TenantSettings s = Json.MAPPER.readValue(value, TenantSettings.class).withTenant(tenant);
      if (s.problem() == null) latest.put(tenant, s);
    } catch (IOException e) {
      // The scheduler dead-letters such a record and keeps the old settings: so do we.
    }
  }

  /** The latest settings per tenant after {@code records}, in order, sorted by tenant name. */
  public static SortedMap<String, TenantSettings> latest(
      Iterable<ConsumerRecord<byte[], byte[]>> records) {
    SortedMap<String, TenantSettings> latest = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) fold(latest, r.key(), r.value());
    return latest;
  }

  private RecordMetadata send(String tenant, byte[] value) {
    ensureTopic();
    if (producer == null) producer = newProducer();
    byte[] key = (KEY_PREFIX + tenant).getBytes(StandardCharsets.UTF_8);
    try {
      return producer
          .send(new ProducerRecord<>(topic, key, value))
          .get(kafka.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + topic, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Kafka did not accept the write to " + topic + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not acknowledge the write to "
              + topic
              + " in "
              + kafka.timeout().toSeconds()
              + " s",
          e);
    }
  }

  private KafkaProducer<byte[], byte[]> newProducer() {
    return new KafkaProducer<>(
        kafka.ackedProducer("xfaas-tenants"), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Creates the config topic, compacted, when it does not exist: once per client. */
  private void ensureTopic() {
    if (topicChecked) return;
    kafka.ensureCompactedTopic(topic);
    topicChecked = true;
  }

  /** Reads the topic from its beginning to its current end; empty when the topic is missing. */
  private SortedMap<String, TenantSettings> readLatest() {
    SortedMap<String, TenantSettings> latest = new TreeMap<>();
    kafka.readAll(topic, "tenants", r -> fold(latest, r.key(), r.value()));
    return latest;
  }

  @Override
  public void close() {
    if (producer != null) producer.close(kafka.timeout());
  }
}
