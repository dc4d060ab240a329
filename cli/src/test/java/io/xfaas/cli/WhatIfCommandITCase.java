package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.records.TenantSettings;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code xfaas whatif --history} and {@code --validate} in-process against a real broker, on a
 * region's topics written by hand: a history the policy would have made passes the check, one whose
 * dispatches came seconds later than the policy lets them fails it; nothing is written.
 */
class WhatIfCommandITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir Path dir;

  private static CliRun whatif(XfaasConfig config, String... args) {
    List<String> all = new ArrayList<>(List.of("whatif"));
    all.addAll(Arrays.asList(args));
    all.addAll(
        List.of(
            "--bootstrap-servers",
            KAFKA.bootstrapServers(),
            "-D",
            "xfaas.region=" + config.region(),
            // The test region's config topic is its own.
            "-D",
            XfaasOptions.TOPIC_CONFIG.key() + "=" + config.topics().config()));
    return CliRun.of(all);
  }

  /**
   * Tenant "a" (rate 10/s, burst 10) sent 30 calls at once; each ran 200 ms on a sidecar. The
   * sidecars' dispatch times are the policy's own (10 at once, then one every 100 ms) plus {@code
   * lateMs}. A call of tenant "b" for a function it may not call was rejected.
   */
  private static XfaasConfig history(String name, long lateMs) throws Exception {
    XfaasConfig config = KAFKA.newRegion(name, Map.of());
    KAFKA.writeSettings(
        config,
        List.of(
            new TenantSettings("a", 10, 10, 1000, 1, 1000, List.of(), null, 0),
            new TenantSettings("b", 10, 10, 1000, 1, 1000, List.of("only"), null, 0)));
    long t0 = System.currentTimeMillis() - 60_000;
    try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
      for (int i = 0; i < 30; i++) {
        Invocation inv = call("a", "a-" + i, t0);
        send(p, config.topics().durableq(), inv.id(), InvocationSerde.write(inv), t0);
        long at = t0 + (i < 10 ? 0 : (i - 9) * 100L) + lateMs;
        Invocation sent = inv.withDispatchedAt(at);
        send(p, config.topics().runq(), inv.id(), InvocationSerde.write(sent), at);
        Outcome o = Outcome.succeeded(sent, at + 5, at + 205, config.region(), null);
        send(p, config.topics().outcomes(), inv.id(), Json.write(o), at + 205);
      }
      Invocation b = call("b", "b-0", t0);
      send(p, config.topics().durableq(), b.id(), InvocationSerde.write(b), t0);
      Outcome rejected =
          Outcome.beforeRun(b, OutcomeStatus.REJECTED, ReasonCode.UNKNOWN_FUNCTION, "", t0, "r");
      send(p, config.topics().outcomes(), b.id(), Json.write(rejected), t0);
      p.flush();
    }
    return config;
  }

  /**
   * A first attempt as the submitter client writes it to DurableQ: with its maxAttempts resolved
   * (the builder leaves 0, "the configured default", which DurableQ's parser rejects).
   */
  private static Invocation call(String tenant, String id, long submittedAt) {
    return InvocationBuilder.call(tenant, "f")
        .id(id)
        .submittedAt(submittedAt)
        .maxAttempts(1)
        .build();
  }

  private static void send(
      KafkaProducer<byte[], byte[]> p, String topic, String key, byte[] value, long timestamp) {
    p.send(
        new ProducerRecord<>(topic, null, timestamp, key.getBytes(StandardCharsets.UTF_8), value));
  }

  @Test
  void aHistoryThePolicyMadePassesTheCheckAndOneItDidNotMakeFails() throws Exception {
    XfaasConfig asThePolicy = history("whatifok", 0);
    Path json = dir.resolve("check.json");

    CliRun ok = whatif(asThePolicy, "--validate", "--json", json.toString());

    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out())
        .contains("31 calls")
        .contains("fidelity: 2 of 2 tenants within bounds")
        .contains("PASSED")
        .containsPattern("a +30 +30 +0 +0 ");
    JsonNode check = Json.MAPPER.readTree(json.toFile());
    assertThat(check.at("/rows/0/actual/delayP99Ms").asLong()).isEqualTo(2_000);
    assertThat(check.at("/rows/1/simulated/rejected").asLong()).isEqualTo(1);

    CliRun late = whatif(history("whatiflate", 3_000), "--validate");

    assertThat(late.exit()).as(late.out() + late.err()).isEqualTo(1);
    assertThat(late.out()).contains("DELAY OFF").contains("FAILED");
  }

  @Test
  void aChangeSimulatedOnTheHistoryWithItsChart() throws Exception {
    XfaasConfig config = history("whatifchange", 0);
    Path png = dir.resolve("whatif.png");

    CliRun run = whatif(config, "--history", "--set-tenant", "a.rate=5", "--chart", png.toString());

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("changes: a.rate=5")
        // 20 calls after the burst at 5/s instead of 10/s: the last waits 4 s, not 2 s.
        .containsPattern("a +30 +30 .* 2000 -> 4000");
    assertThat(Files.readAllBytes(png)).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
  }
}
