package io.xfaas.gtc;

import io.xfaas.records.LoadReport;
import io.xfaas.serde.Json;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load reports from the load topic. A record that is not a report (unreadable, no region, no time)
 * is skipped: reports are advisory, the next one replaces it, and nothing waits on it.
 */
final class LoadReportDeserializer implements KafkaRecordDeserializationSchema<LoadReport> {
  private static final Logger LOG = LoggerFactory.getLogger(LoadReportDeserializer.class);

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<LoadReport> out) {
    if (record.value() == null) return;
    LoadReport r;
    try {
      r = Json.MAPPER.readValue(record.value(), LoadReport.class);
    } catch (Exception e) {
      LOG.debug("skipping an unreadable load report at {}: {}", record.offset(), e.toString());
      return;
    }
    if (r.region() == null || r.region().isEmpty() || r.reportedAt() <= 0) return;
    out.collect(r);
  }

  @Override
  public TypeInformation<LoadReport> getProducedType() {
    return TypeInformation.of(LoadReport.class);
  }
}
