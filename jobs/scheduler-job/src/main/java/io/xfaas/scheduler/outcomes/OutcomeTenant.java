package io.xfaas.scheduler.outcomes;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.Outcome;
import io.xfaas.security.TenantPrincipals;
import io.xfaas.serde.Json;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.util.Collector;

/**
 * An outcome record with the tenant it belongs to; none for a record that is not an outcome or
 * names no tenant that could have a topic (a bad record's outcome may carry anything).
 */
final class OutcomeTenant implements FlatMapFunction<RawRecord, Tuple3<String, byte[], byte[]>> {
  @Override
  public void flatMap(RawRecord r, Collector<Tuple3<String, byte[], byte[]>> out) {
    if (r.value() == null) return;
    String tenant;
    try {
      Outcome o = Json.readOutcome(r.value());
      tenant = o.tenant();
    } catch (RuntimeException e) {
      return;
    }
    if (TenantPrincipals.validName(tenant)) out.collect(Tuple3.of(tenant, r.key(), r.value()));
  }
}
