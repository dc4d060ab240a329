package io.xfaas.dlq;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.kafka.SmallTopicClients;
import io.xfaas.records.DeadLetter;
import io.xfaas.serde.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Reads the DLQ topic and the redrive audit, and re-submits dead letters' originals to DurableQ.
 *
 * <p>Reads take a topic from its beginning to its current end with a plain consumer (all partitions
 * assigned, {@code read_committed}, no consumer group). A redrive writes, in one Kafka transaction
 * (idempotent producer, {@code acks=all}): each original to DurableQ (key = the invocation id when
 * the dead letter has one), one {@link RedriveEntry} per redriven DLQ record to the compacted audit
 * topic, and one {@link RedriveRun} summary. Either all of it is visible to {@code read_committed}
 * readers or none of it is, so a DLQ record is never redriven without being audited, and a later
 * run skips it. A redrive returns once its commit is visible to readers (a commit returns before
 * its markers reach the partitions), so a run made right after sees it.
 *
 * <p>Runs are meant to be made one at a time: two redrives started at the same moment may both read
 * the audit before either writes it (the transactional id, shared per audit topic, fences the older
 * producer, but only while its transaction is open).
 *
 * <p>Not thread-safe.
 */
public final class DlqClient implements AutoCloseable {

  private final SmallTopicClients kafka;
  private final Topics topics;

  DlqClient(SmallTopicClients kafka, Topics topics) {
    this.kafka = kafka;
    this.topics = topics;
  }

  /** A client of the configured Kafka and topics; each read or write waits at most 30 s. */
  public static DlqClient create(XfaasConfig config) {
    return new DlqClient(SmallTopicClients.of(config), config.topics());
  }

  public String dlqTopic() {
    return topics.dlq();
  }

  public String durableqTopic() {
    return topics.durableq();
  }

  /** The redrive audit's topic. */
  public String auditTopic() {
    return topics.dlqRedrive();
  }

  /** Every record on the DLQ topic, in partition then offset order; empty when it is missing. */
  public List<DlqRecord> readDlq() {
    List<DlqRecord> records = new ArrayList<>();
    readAll(
        dlqTopic(),
        r -> {
          DeadLetter letter = null;
          String error = null;
          if (r.value() == null) error = "empty value";
          else {
            try {
              letter = Json.readDeadLetter(r.value());
            } catch (RuntimeException e) {
              error = e.getMessage();
            }
          }
          records.add(new DlqRecord(r.topic(), r.partition(), r.offset(), letter, error));
        });
    records.sort(
        (a, b) ->
            a.partition() != b.partition()
                ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
    return records;
  }

  /** The redrive audit; empty when its topic is missing. */
  public RedriveAudit readAudit() {
    RedriveAudit log = new RedriveAudit();
    readAll(auditTopic(), r -> log.fold(r.key(), r.value()));
    return log;
  }

  /** The plan for {@code selection} from the DLQ and the audit as they are now. */
  public RedrivePlan plan(DlqSelection selection) {
    return RedrivePlan.of(readDlq(), selection, readAudit().redrivenKeys(), durableqTopic());
  }

  /**
   * Carries out {@code plan} as run {@code runId} by {@code who} at {@code now} (epoch ms): the
   * originals to DurableQ, the audit entries and the run summary in one transaction.
   *
   * @throws IllegalStateException when Kafka does not take the transaction
   */
  public RedriveRun redrive(
      RedrivePlan plan, DlqSelection selection, String runId, String who, long now) {
    ensureAuditTopic();
    RedriveRun run = plan.run(runId, who, now, selection, durableqTopic());
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = newProducer()) {
      try {
        producer.initTransactions();
        producer.beginTransaction();
        for (DlqRecord r : plan.toRedrive()) {
          DeadLetter d = r.letter();
          byte[] key = d.id() == null ? null : d.id().getBytes(StandardCharsets.UTF_8);
          sent.add(
              producer.send(new ProducerRecord<>(durableqTopic(), key, RedrivePlan.original(d))));
          RedriveEntry entry =
              new RedriveEntry(
                  who, now, r.topic(), r.partition(), r.offset(), d.id(), r.reasonName(), runId);
          sent.add(
              producer.send(
                  new ProducerRecord<>(
                      auditTopic(), RedriveAudit.entryKey(r.auditKey()), Json.write(entry))));
        }
        sent.add(
            producer.send(
                new ProducerRecord<>(auditTopic(), RedriveAudit.runKey(runId), Json.write(run))));
        producer.commitTransaction();
      } catch (KafkaException e) {
        try {
          producer.abortTransaction();
        } catch (RuntimeException ignored) {
          // Fenced or never started: nothing of this run is committed either way.
        }
        throw new IllegalStateException(
            "redrive run " + runId + " failed, nothing was written: " + e.getMessage(), e);
      }
    }
    // The next run reads the audit to skip what this one redrove: it must see this commit.
    kafka.awaitCommitted(lastOffsets(sent), "dlq");
    return run;
  }

  /** The last offset written per partition; the sends are complete once their commit returned. */
  private static Map<TopicPartition, Long> lastOffsets(List<Future<RecordMetadata>> sent) {
    Map<TopicPartition, Long> last = new HashMap<>();
    for (Future<RecordMetadata> f : sent) {
      RecordMetadata m;
      try {
        m = f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted after a redrive's commit", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a committed send failed: " + e.getCause(), e.getCause());
      }
      last.merge(new TopicPartition(m.topic(), m.partition()), m.offset(), Math::max);
    }
    return last;
  }

  private KafkaProducer<byte[], byte[]> newProducer() {
    Map<String, Object> props = kafka.ackedProducer("xfaas-dlq");
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "xfaas-dlq-redrive-" + auditTopic());
    props.put(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
        (int) Math.max(60_000, kafka.timeout().toMillis()));
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Creates the audit topic, compacted, when it does not exist. */
  private void ensureAuditTopic() {
    kafka.ensureCompactedTopic(auditTopic());
  }

  /** Reads {@code topic} from its beginning to its current end; nothing when it is missing. */
  private void readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
    kafka.readAll(topic, "dlq", each);
  }

  @Override
  public void close() {}
}
