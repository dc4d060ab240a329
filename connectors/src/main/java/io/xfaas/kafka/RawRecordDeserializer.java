package io.xfaas.kafka;

import io.xfaas.security.InvocationSignature;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Hands records on unparsed. Parsing happens in an operator with side outputs, so bad input becomes
 * a dead letter instead of a source failure. With {@code signatures}, it also hands on the
 * signature headers (only then: unsigned deployments pay nothing for them).
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
  private final boolean signatures;

  public RawRecordDeserializer() {
    this(false);
  }

  public RawRecordDeserializer(boolean signatures) {
    this.signatures = signatures;
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
    String keyId = null;
    String signature = null;
    if (signatures) {
      keyId = header(record.headers(), InvocationSignature.KEY_ID_HEADER);
      signature = header(record.headers(), InvocationSignature.SIGNATURE_HEADER);
    }
    out.collect(
        new RawRecord(
            record.topic(),
            record.partition(),
            record.offset(),
            record.timestamp(),
            record.key(),
            record.value(),
            keyId,
            signature));
  }

  /** The last value of header {@code name}, or null; a header too long to be ours is dropped. */
  static String header(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    if (h == null || h.value() == null || h.value().length > 128) return null;
    return new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public TypeInformation<RawRecord> getProducedType() {
    return TypeInformation.of(RawRecord.class);
  }
}
