package io.xfaas.scheduler.outcomes;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.TenantSettings;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.util.Collector;

/**
 * A config topic record as the tenant it sets (true) or removes (false, a tombstone). The key is
 * {@code tenant/<name>} ({@link TenantSettings#configKey}), as the scheduler reads it; records with
 * other keys are not a tenant's settings and give nothing. The gate is keyed by the bare name, the
 * tenant an outcome carries.
 */
final class ConfigTenant implements FlatMapFunction<RawRecord, Tuple2<String, Boolean>> {
  private static final String PREFIX = TenantSettings.configKey("");

  @Override
  public void flatMap(RawRecord r, Collector<Tuple2<String, Boolean>> out) {
    if (r.key() == null) return;
    String key = new String(r.key(), StandardCharsets.UTF_8);
    if (key.startsWith(PREFIX) && key.length() > PREFIX.length()) {
      out.collect(Tuple2.of(key.substring(PREFIX.length()), r.value() != null));
    }
  }
}
