package io.xfaas.sidecar;

import io.xfaas.config.Topics;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Outcome;
import io.xfaas.security.InvocationSignature;
import io.xfaas.security.InvocationSigner;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Kafka records that carry a {@link Decision}: outcomes keyed by invocation id to the results
 * topic (the scheduler deduplicates them into the outcomes topic), retries keyed by id to DurableQ
 * (where the scheduler holds them until {@code notBefore}), dead letters keyed by id (when known)
 * to the DLQ.
 */
final class OutputRecords {
  private final Topics topics;

  private final InvocationSigner retrySigner; // null: retries go unsigned

  OutputRecords(Topics topics) {
    this(topics, null);
  }

  /**
   * With {@code retrySigner}, a retry re-enqueued to DurableQ is signed for its tenant, as a
   * scheduler with {@code xfaas.security.signing=required} demands of every record there.
   */
  OutputRecords(Topics topics, InvocationSigner retrySigner) {
    this.topics = topics;
    this.retrySigner = retrySigner;
  }

  List<ProducerRecord<byte[], byte[]>> of(Decision decision) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(2);
    addTo(out, decision);
    return out;
  }

  /** Adds the records of {@code decision} to {@code out}. */
  void addTo(List<ProducerRecord<byte[], byte[]>> out, Decision decision) {
    if (decision instanceof Decision.Succeeded s) {
      out.add(outcome(s.outcome()));
    } else if (decision instanceof Decision.Retry r) {
      var record =
          new ProducerRecord<>(
              topics.durableq(), key(r.next().id()), InvocationSerde.write(r.next()));
      InvocationSigner.Signature s = retrySigner == null ? null : retrySigner.sign(r.next());
      if (s != null) {
        record
            .headers()
            .add(InvocationSignature.KEY_ID_HEADER, s.keyId().getBytes(StandardCharsets.UTF_8))
            .add(InvocationSignature.SIGNATURE_HEADER, s.hex().getBytes(StandardCharsets.UTF_8));
      }
      out.add(record);
    } else if (decision instanceof Decision.Failed f) {
      out.add(outcome(f.outcome()));
      out.add(deadLetter(f.deadLetter()));
    } else if (decision instanceof Decision.Unparseable u) {
      if (u.rejection() != null) out.add(outcome(u.rejection()));
      out.add(deadLetter(u.deadLetter()));
    } else {
      throw new IllegalArgumentException("unknown decision " + decision);
    }
  }

  private ProducerRecord<byte[], byte[]> outcome(Outcome o) {
    return new ProducerRecord<>(topics.results(), key(o.id()), OutcomeJson.write(o));
  }

  private ProducerRecord<byte[], byte[]> deadLetter(DeadLetter d) {
    return new ProducerRecord<>(topics.dlq(), key(d.id()), Json.write(d));
  }

  private static byte[] key(String id) {
    return id == null ? null : id.getBytes(StandardCharsets.UTF_8);
  }
}
