package io.xfaas.scheduler.operators;

import io.xfaas.dlq.DeadLetters;
import io.xfaas.kafka.RawRecord;
import io.xfaas.records.ReasonCode;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.TenantConfigUpdate;
import io.xfaas.serde.Json;
import io.xfaas.time.WallClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Reads the config topic: key {@code tenant/<name>}, value the tenant's settings as JSON, or a
 * tombstone to remove them. Records for other kinds of keys are skipped (the topic is shared);
 * unreadable or invalid settings become dead letters and leave the old settings in force.
 */
public final class ParseTenantConfig extends ProcessFunction<RawRecord, TenantConfigUpdate> {
  private static final String PREFIX = "tenant/";
  private final DeadLetters deadLetters;
  private final WallClock clock;

  public ParseTenantConfig(String region, WallClock clock) {
    this.deadLetters = new DeadLetters(region);
    this.clock = clock;
  }

  @Override
  public void processElement(RawRecord record, Context ctx, Collector<TenantConfigUpdate> out) {
    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    if (!key.startsWith(PREFIX)) return;
    String tenant = key.substring(PREFIX.length());
    if (record.value() == null) {
      out.collect(new TenantConfigUpdate(tenant, null));
      return;
    }
    String problem;
    try {
      TenantSettings s =
          Json.MAPPER.readValue(record.value(), TenantSettings.class).withTenant(tenant);
      problem = s.problem();
      if (problem == null) {
        out.collect(new TenantConfigUpdate(tenant, s));
        return;
      }
    } catch (IOException e) {
      problem = DeadLetters.firstLine(e);
    }
    ctx.output(
        ParseInvocations.DEAD_LETTERS,
        deadLetters.ofTenant(
            record, ReasonCode.INVALID_FIELD, "tenant settings: " + problem, tenant, clock.now()));
  }
}
