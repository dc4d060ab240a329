package io.xfaas.scheduler.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.Topics;
import io.xfaas.kafka.RawRecord;
import io.xfaas.records.TenantSettings;
import io.xfaas.security.TenantOutcomes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TenantGateTest {
  private static final long WAIT = 60_000;

  private KeyedTwoInputStreamOperatorTestHarness<
          String,
          Tuple3<String, byte[], byte[]>,
          Tuple2<String, Boolean>,
          Tuple3<String, byte[], byte[]>>
      harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new TenantGate(WAIT)), o -> o.f0, t -> t.f0, Types.STRING);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void aKnownTenantsOutcomesPassAtOnce() throws Exception {
    harness.processElement2(new StreamRecord<>(Tuple2.of("acme", true)));
    harness.processElement1(new StreamRecord<>(outcome("acme", "c1")));

    assertThat(ids()).containsExactly("c1");
  }

  @Test
  void anOutcomeWaitsForItsTenantsSettingsThenPasses() throws Exception {
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(outcome("acme", "c1")));
    harness.processElement1(new StreamRecord<>(outcome("acme", "c2")));
    assertThat(ids()).isEmpty();

    harness.setProcessingTime(WAIT - 1);
    harness.processElement2(new StreamRecord<>(Tuple2.of("acme", true)));

    assertThat(ids()).containsExactly("c1", "c2");
    harness.setProcessingTime(WAIT * 3); // the cancelled timer drops nothing later
    harness.processElement1(new StreamRecord<>(outcome("acme", "c3")));
    assertThat(ids()).containsExactly("c1", "c2", "c3");
  }

  @Test
  void anUnknownTenantsOutcomesAreDroppedAfterTheWaitAndMakeNoTopic() throws Exception {
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(outcome("forged", "c1")));
    harness.setProcessingTime(WAIT);
    harness.processElement2(new StreamRecord<>(Tuple2.of("forged", true)));

    assertThat(ids()).isEmpty();
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1); // only "known" is left
  }

  @Test
  void aRemovedTenantGetsNoMore() throws Exception {
    harness.processElement2(new StreamRecord<>(Tuple2.of("acme", true)));
    harness.processElement2(new StreamRecord<>(Tuple2.of("acme", false)));
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(outcome("acme", "c1")));
    harness.setProcessingTime(WAIT);

    assertThat(ids()).isEmpty();
  }

  @Test
  void outcomesNameTheirTenantAndGoToItsTopic() throws Exception {
    List<Tuple3<String, byte[], byte[]>> out = new ArrayList<>();
    Collector<Tuple3<String, byte[], byte[]>> collect = collector(out);
    OutcomeTenant tenant = new OutcomeTenant();
    tenant.flatMap(raw("{\"id\":\"c1\",\"tenant\":\"acme\",\"status\":\"SUCCEEDED\"}"), collect);
    tenant.flatMap(raw("{\"id\":\"c2\",\"tenant\":\"../etc\",\"status\":\"REJECTED\"}"), collect);
    tenant.flatMap(raw("not json"), collect);

    assertThat(out).extracting(o -> o.f0).containsExactly("acme");
    Topics topics = Topics.forRegion("eu1");
    var record = new TenantOutcomeSerializer(topics).serialize(out.get(0), null, 5L);
    assertThat(record.topic())
        .isEqualTo("xfaas.eu1.outcomes.tenant.acme")
        .isEqualTo(TenantOutcomes.topic(topics, "acme"));
    assertThat(TenantOutcomes.tenantOf(topics, record.topic())).isEqualTo("acme");
    assertThat(record.value()).isEqualTo(out.get(0).f2);
  }

  @Test
  void theConfigTopicsTenantKeysOpenTheGateForTheTenantOutcomesName() throws Exception {
    // The config topic is keyed tenant/<name> (TenantSettings.configKey); outcomes carry <name>.
    List<Tuple2<String, Boolean>> tenants = new ArrayList<>();
    ConfigTenant config = new ConfigTenant();
    config.flatMap(rawKeyed(TenantSettings.configKey("acme"), "{\"rate\":5}"), collector(tenants));
    config.flatMap(rawKeyed("function/echo", "{}"), collector(tenants));
    config.flatMap(rawKeyed("tenant/", "{}"), collector(tenants));
    config.flatMap(rawKeyed(TenantSettings.configKey("gone"), null), collector(tenants));
    assertThat(tenants).containsExactly(Tuple2.of("acme", true), Tuple2.of("gone", false));

    harness.processElement2(new StreamRecord<>(tenants.get(0)));
    List<Tuple3<String, byte[], byte[]>> outcomes = new ArrayList<>();
    new OutcomeTenant()
        .flatMap(
            raw("{\"id\":\"c1\",\"tenant\":\"acme\",\"status\":\"SUCCEEDED\"}"),
            collector(outcomes));
    harness.processElement1(new StreamRecord<>(outcomes.get(0)));

    assertThat(ids()).containsExactly("k");
  }

  private List<String> ids() {
    List<String> ids = new ArrayList<>();
    for (Object o : harness.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        @SuppressWarnings("unchecked")
        Tuple3<String, byte[], byte[]> t = (Tuple3<String, byte[], byte[]>) r.getValue();
        ids.add(new String(t.f1, StandardCharsets.UTF_8));
      }
    }
    return ids;
  }

  private static Tuple3<String, byte[], byte[]> outcome(String tenant, String id) {
    return Tuple3.of(
        tenant, id.getBytes(StandardCharsets.UTF_8), ("{\"id\":\"" + id + "\"}").getBytes());
  }

  private static RawRecord raw(String value) {
    return new RawRecord("o", 0, 0, 0, "k".getBytes(), value.getBytes(StandardCharsets.UTF_8));
  }

  private static RawRecord rawKeyed(String key, String value) {
    return new RawRecord(
        "config",
        0,
        0,
        0,
        key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  private static <T> Collector<T> collector(List<T> into) {
    return new Collector<>() {
      @Override
      public void collect(T record) {
        into.add(record);
      }

      @Override
      public void close() {}
    };
  }
}
