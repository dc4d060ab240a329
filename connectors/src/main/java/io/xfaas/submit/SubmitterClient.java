package io.xfaas.submit;

import static io.xfaas.security.InvocationSignature.KEY_ID_HEADER;
import static io.xfaas.security.InvocationSignature.SIGNATURE_HEADER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.gtc.GtcRouter;
import io.xfaas.records.Invocation;
import io.xfaas.security.InvocationSigner;
import io.xfaas.serde.InvocationRules;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.serde.ParseResult;
import io.xfaas.time.WallClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes invocations to DurableQ. It fills in {@code id} and {@code submittedAt}, validates with
 * the same rules as the scheduler (so nothing it sends is rejected as bad input), and sends with an
 * idempotent producer and {@code acks=all}: an acknowledged invocation is durable and will reach a
 * terminal outcome. Records are keyed by id, which spreads them over DurableQ's partitions
 * (QueueLB). With {@code xfaas.gtc.routing-enabled}, a {@link GtcRouter} picks each invocation's
 * region (its DurableQ) from the GTC's latest traffic matrix; without a decision, or with routing
 * off, everything goes to the local DurableQ. Thread-safe.
 *
 * <pre>{@code
 * try (SubmitterClient client = SubmitterClient.create(config)) {
 *   RecordMetadata ack = client.submit(InvocationBuilder.call("acme", "echo").build()).get();
 * }
 * }</pre>
 */
public final class SubmitterClient implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final InvocationSerde serde;
  private final WallClock clock = WallClock.SYSTEM;
  private final GtcRouter router; // null: GTC routing off
  private final InvocationSigner signer; // null: calls go unsigned

  private SubmitterClient(
      XfaasConfig config, Map<String, Object> producerOverrides, InvocationSigner signer) {
    this.producer =
        new KafkaProducer<>(
            producerProperties(config, producerOverrides),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    this.topic = config.topics().durableq();
    this.serde = new InvocationSerde(config.invocationLimits());
    this.router = config.get(XfaasOptions.GTC_ROUTING_ENABLED) ? GtcRouter.start(config) : null;
    this.signer = signer;
  }

  public static SubmitterClient create(XfaasConfig config) {
    return create(config, Map.of());
  }

  /**
   * {@code producerOverrides} are Kafka producer settings applied over the defaults. Calls are
   * signed with the tenant keys file {@code xfaas.security.tenant-keys-file} when it is set.
   */
  public static SubmitterClient create(XfaasConfig config, Map<String, Object> producerOverrides) {
    String keys = config.get(XfaasOptions.SECURITY_TENANT_KEYS_FILE);
    return create(
        config, producerOverrides, keys.isBlank() ? null : InvocationSigner.load(Path.of(keys)));
  }

  /**
   * As {@link #create(XfaasConfig, Map)}, signing the calls of the tenants {@code signer} holds
   * keys for (null: none).
   */
  public static SubmitterClient create(
      XfaasConfig config, Map<String, Object> producerOverrides, InvocationSigner signer) {
    return new SubmitterClient(config, producerOverrides, signer);
  }

  /** Idempotent, {@code acks=all}, lightly batched; {@code overrides} applied last. */
  private static Map<String, Object> producerProperties(
      XfaasConfig config, Map<String, Object> overrides) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.putAll(config.kafkaClientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "xfaas-submitter-" + UUID.randomUUID());
    props.putAll(overrides);
    return props;
  }

  /** The GTC router in use, or null when routing is off. */
  public GtcRouter router() {
    return router;
  }

  /**
   * Sends one invocation; the future completes with Kafka's acknowledgement.
   *
   * @throws InvalidInvocationException if the invocation breaks a rule (nothing is sent)
   */
  public CompletableFuture<RecordMetadata> submit(Invocation invocation) {
    Invocation complete = complete(invocation);
    InvocationRules.Violation v = InvocationRules.check(complete, serde.limits(), clock.now());
    if (v != null) throw new InvalidInvocationException(v.reason(), v.detail());
    return send(complete, InvocationSerde.write(complete));
  }

  /** Sends a batch; the futures complete in order with each acknowledgement. */
  public List<CompletableFuture<RecordMetadata>> submitAll(List<Invocation> invocations) {
    List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(invocations.size());
    for (Invocation inv : invocations) acks.add(submit(inv));
    return acks;
  }

  /** Sends a batch and waits until every record is acknowledged. */
  public List<RecordMetadata> submitAllAndWait(List<Invocation> invocations)
      throws InterruptedException, ExecutionException {
    List<CompletableFuture<RecordMetadata>> acks = submitAll(invocations);
    producer.flush();
    List<RecordMetadata> out = new ArrayList<>(acks.size());
    for (CompletableFuture<RecordMetadata> f : acks) out.add(f.get());
    return out;
  }

  /**
   * Sends one invocation given as JSON text, as {@code xfaas submit} does. Missing {@code id} and
   * {@code submittedAt} are filled in; unknown fields are kept.
   *
   * @throws InvalidInvocationException if the JSON is not a valid invocation (nothing is sent)
   */
  public CompletableFuture<RecordMetadata> submitJson(String json) {
    long now = clock.now();
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      node = null; // the parser below names the problem
    }
    if (node instanceof ObjectNode obj) {
      if (!obj.hasNonNull("id")) obj.put("id", UUID.randomUUID().toString());
      if (!obj.hasNonNull("submittedAt")) obj.put("submittedAt", now);
      bytes = obj.toString().getBytes(StandardCharsets.UTF_8);
    }
    ParseResult result = serde.parse(bytes, now);
    if (result instanceof ParseResult.Rejected r) {
      throw new InvalidInvocationException(r.reason(), r.detail());
    }
    Invocation inv = ((ParseResult.Accepted) result).invocation();
    return send(inv, InvocationSerde.write(inv));
  }

  /** Waits until everything sent so far is acknowledged. */
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
    if (router != null) router.close();
  }

  private Invocation complete(Invocation inv) {
    return new Invocation(
        inv.id() == null ? UUID.randomUUID().toString() : inv.id(),
        inv.tenant(),
        inv.function(),
        inv.criticality(),
        inv.priority(),
        inv.submittedAt() == 0 ? clock.now() : inv.submittedAt(),
        inv.notBefore(),
        inv.deadline(),
        inv.attempt() == 0 ? 1 : inv.attempt(),
        inv.maxAttempts() == 0 ? serde.limits().defaultMaxAttempts() : inv.maxAttempts(),
        inv.payload(),
        inv.attributes(),
        inv.dispatchedAt(),
        inv.extra());
  }

  private CompletableFuture<RecordMetadata> send(Invocation inv, byte[] value) {
    String id = inv.id();
    CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            router == null ? topic : router.destinationTopic(id),
            id.getBytes(StandardCharsets.UTF_8),
            value);
    // The signature covers the call as written: the payload's text is what InvocationSerde wrote.
    InvocationSigner.Signature signature = signer == null ? null : signer.sign(inv);
    if (signature != null) {
      record
          .headers()
          .add(KEY_ID_HEADER, signature.keyId().getBytes(StandardCharsets.UTF_8))
          .add(SIGNATURE_HEADER, signature.hex().getBytes(StandardCharsets.UTF_8));
    }
    producer.send(
        record,
        (meta, error) -> {
          if (error != null) ack.completeExceptionally(error);
          else ack.complete(meta);
        });
    return ack;
  }
}
