package io.xfaas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.junit.jupiter.api.Test;

/**
 * Which guarantee each of the scheduler's sinks is built with: RunQ follows {@code
 * xfaas.scheduler.runq-delivery}, metrics, decisions and load reports follow {@code
 * xfaas.scheduler.telemetry-delivery}, outcomes and dead letters are exactly once whatever either
 * says.
 */
class XfaasKafkaSinksTest {
  private static final XfaasConfig DEFAULTS = XfaasConfig.defaults();
  private static final XfaasConfig RUNQ_EXACTLY_ONCE =
      XfaasConfig.of(Map.of(XfaasOptions.SCHEDULER_RUNQ_DELIVERY.key(), "exactly-once"));
  private static final XfaasConfig TELEMETRY_EXACTLY_ONCE =
      XfaasConfig.of(Map.of(XfaasOptions.SCHEDULER_TELEMETRY_DELIVERY.key(), "exactly-once"));
  private static final XfaasConfig ALL_AT_LEAST_ONCE =
      XfaasConfig.of(
          Map.of(
              XfaasOptions.SCHEDULER_RUNQ_DELIVERY.key(), "at-least-once",
              XfaasOptions.SCHEDULER_TELEMETRY_DELIVERY.key(), "at-least-once"));

  private static final DeliveryGuarantee ALO = DeliveryGuarantee.AT_LEAST_ONCE;
  private static final DeliveryGuarantee EO = DeliveryGuarantee.EXACTLY_ONCE;

  @Test
  void outcomesAndDeadLettersAreExactlyOnceWhateverTheOptionsSay() throws Exception {
    for (XfaasConfig c :
        List.of(DEFAULTS, RUNQ_EXACTLY_ONCE, TELEMETRY_EXACTLY_ONCE, ALL_AT_LEAST_ONCE)) {
      assertThat(guarantee(XfaasKafka.outcomesSink(c))).isEqualTo(EO);
      assertThat(guarantee(XfaasKafka.dlqSink(c))).isEqualTo(EO);
    }
  }

  @Test
  void runQFollowsItsOptionAndTheTelemetryItsOwn() throws Exception {
    assertThat(guarantees(DEFAULTS)).containsExactly(ALO, ALO, ALO, ALO);
    assertThat(guarantees(ALL_AT_LEAST_ONCE)).containsExactly(ALO, ALO, ALO, ALO);
    assertThat(guarantees(RUNQ_EXACTLY_ONCE)).containsExactly(EO, ALO, ALO, ALO);
    assertThat(guarantees(TELEMETRY_EXACTLY_ONCE)).containsExactly(ALO, EO, EO, EO);
  }

  @Test
  void aSinkWrittenLikeRunQFollowsTheRunQOption() throws Exception {
    var serializer = XfaasKafka.runQSerializer("runq");
    assertThat(guarantee(XfaasKafka.runQSink(DEFAULTS, "passthrough", serializer))).isEqualTo(ALO);
    assertThat(guarantee(XfaasKafka.runQSink(RUNQ_EXACTLY_ONCE, "passthrough", serializer)))
        .isEqualTo(EO);
    assertThat(
            field(
                XfaasKafka.runQSink(RUNQ_EXACTLY_ONCE, "passthrough", serializer),
                "transactionalIdPrefix"))
        .isEqualTo("xfaas-local-scheduler-passthrough");
  }

  @Test
  void anExactlyOnceSinkHasATransactionalIdOfItsOwnAndAnAtLeastOnceOneIsIdempotent()
      throws Exception {
    var serializer = XfaasKafka.runQSerializer("runq");
    KafkaSink<?> exactlyOnce = XfaasKafka.sink(DEFAULTS, "runq", serializer, Delivery.EXACTLY_ONCE);
    assertThat(field(exactlyOnce, "transactionalIdPrefix")).isEqualTo("xfaas-local-scheduler-runq");
    assertThat(producerConfig(exactlyOnce).getProperty("transaction.timeout.ms"))
        .isEqualTo("600000");

    // Built without a transactional-id prefix, which only EXACTLY_ONCE requires.
    KafkaSink<?> atLeastOnce =
        XfaasKafka.sink(DEFAULTS, "runq", serializer, Delivery.AT_LEAST_ONCE);
    assertThat(guarantee(atLeastOnce)).isEqualTo(ALO);
    assertThat(producerConfig(atLeastOnce).getProperty("enable.idempotence")).isEqualTo("true");
  }

  @Test
  void everySinkBatchesAsTheProducerOptionsSay() throws Exception {
    for (KafkaSink<?> sink :
        List.of(XfaasKafka.runQSink(DEFAULTS), XfaasKafka.outcomesSink(DEFAULTS))) {
      assertThat(producerConfig(sink).getProperty("linger.ms")).isEqualTo("20");
      assertThat(producerConfig(sink).getProperty("batch.size")).isEqualTo("262144");
    }
    XfaasConfig tuned =
        XfaasConfig.of(
            Map.of(
                XfaasOptions.SCHEDULER_PRODUCER_LINGER.key(), "0ms",
                XfaasOptions.SCHEDULER_PRODUCER_BATCH_BYTES.key(), "16384"));
    assertThat(producerConfig(XfaasKafka.runQSink(tuned)).getProperty("linger.ms")).isEqualTo("0");
    assertThat(producerConfig(XfaasKafka.loadSink(tuned)).getProperty("batch.size"))
        .isEqualTo("16384");
  }

  @Test
  void theWireNamesMapToFlinksGuarantees() {
    assertThat(XfaasKafka.guarantee(Delivery.AT_LEAST_ONCE)).isEqualTo(ALO);
    assertThat(XfaasKafka.guarantee(Delivery.EXACTLY_ONCE)).isEqualTo(EO);
  }

  /** RunQ, metrics, decisions, load. */
  private static List<DeliveryGuarantee> guarantees(XfaasConfig c) throws Exception {
    return List.of(
        guarantee(XfaasKafka.runQSink(c)),
        guarantee(XfaasKafka.metricsSink(c)),
        guarantee(XfaasKafka.decisionsSink(c)),
        guarantee(XfaasKafka.loadSink(c)));
  }

  // KafkaSink keeps what it was built with to itself; reading its fields is the only way to see it
  // without starting a job.
  private static DeliveryGuarantee guarantee(KafkaSink<?> sink) throws Exception {
    return (DeliveryGuarantee) field(sink, "deliveryGuarantee");
  }

  private static Properties producerConfig(KafkaSink<?> sink) throws Exception {
    return (Properties) field(sink, "kafkaProducerConfig");
  }

  private static Object field(KafkaSink<?> sink, String name) throws Exception {
    Field f = KafkaSink.class.getDeclaredField(name);
    f.setAccessible(true);
    return f.get(sink);
  }
}
