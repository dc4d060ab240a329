package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.TenantSettings;
import io.xfaas.serde.Json;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code xfaas tenants} in-process against a real broker. */
class TenantsCommandITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final AtomicInteger TOPICS = new AtomicInteger();

  /** A config topic of this test's own, so the tests do not see each other's tenants. */
  private String topic;

  @BeforeEach
  void freshTopic() {
    topic = "tenants-it-" + TOPICS.incrementAndGet() + ".config";
  }

  /** What one command printed, and its exit code. */
  private record Run(int exit, String out, String err) {
    TenantSettings settings() throws Exception {
      return Json.MAPPER.readValue(out, TenantSettings.class);
    }
  }

  private Run tenants(String... args) {
    return tenants(List.of(), args);
  }

  /** Runs {@code xfaas tenants ARGS} with {@code options} (e.g. -D pairs) after the subcommand. */
  private Run tenants(List<String> options, String... args) {
    List<String> all = new ArrayList<>();
    all.add("tenants");
    all.addAll(Arrays.asList(args));
    all.addAll(
        List.of(
            "--bootstrap-servers", KAFKA.bootstrapServers(), "-D", "xfaas.topics.config=" + topic));
    all.addAll(options);
    CliRun r = CliRun.of(all);
    return new Run(r.exit(), r.out(), r.err());
  }

  @Test
  void setKeepsWhatIsNotGivenAndGetListRemoveSeeTheLatest() throws Exception {
    assertThat(tenants("list").err()).contains("no tenant settings on " + topic);

    // A new tenant: what is not given comes from the xfaas.tenants.default.* options.
    Run created = tenants("set", "ads", "--rate", "20");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.err()).contains("created tenant ads");
    assertThat(created.settings())
        .isEqualTo(new TenantSettings("ads", 20, 1000, 1000, 1, 100_000, List.of(), null, 0));

    // The example: every flag.
    Run full =
        tenants(
            "set",
            "ads",
            "--rate",
            "20",
            "--burst",
            "5",
            "--concurrency",
            "10",
            "--weight",
            "2",
            "--buffer",
            "10000",
            "--functions",
            "echo,resize",
            "--default-deadline",
            "10m");
    assertThat(full.exit()).as(full.err()).isZero();
    assertThat(full.err()).contains("updated tenant ads");
    TenantSettings ads =
        new TenantSettings("ads", 20, 5, 10, 2, 10_000, List.of("echo", "resize"), 600_000L, 0);
    assertThat(full.settings()).isEqualTo(ads);

    // One flag: the others are kept.
    Run weight = tenants("set", "ads", "--weight", "3");
    assertThat(weight.exit()).as(weight.err()).isZero();
    TenantSettings heavier =
        new TenantSettings("ads", 20, 5, 10, 3, 10_000, List.of("echo", "resize"), 600_000L, 0);
    assertThat(weight.settings()).isEqualTo(heavier);

    Run get = tenants("get", "ads");
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(get.settings()).isEqualTo(heavier);

    // With unknown tenants rejected, a new tenant still starts from the default values.
    Run news =
        tenants(
            List.of(
                "-D", "xfaas.tenants.unknown-policy=reject", "-D", "xfaas.tenants.default.burst=7"),
            "set",
            "news",
            "--rate",
            "1.5",
            "--opportunistic-rate",
            "0.5",
            "--default-deadline",
            "90s");
    assertThat(news.exit()).as(news.err()).isZero();
    TenantSettings newsSettings =
        new TenantSettings("news", 1.5, 7, 1000, 1, 100_000, List.of(), 90_000L, 0.5);
    assertThat(news.settings()).isEqualTo(newsSettings);

    Run list = tenants("list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out().lines().toList())
        .containsExactly(
            "TENANT  RATE  BURST  CONCURRENCY  WEIGHT  BUFFER  DEADLINE  OPPORTUNISTIC  FUNCTIONS",
            "ads     20    5      10           3       10000   10m       0              echo,resize",
            "news    1.5   7      1000         1       100000  90s       0.5            (any)");

    // Back to any function and no default deadline.
    Run open = tenants("set", "ads", "--functions", "", "--default-deadline", "none");
    assertThat(open.exit()).as(open.err()).isZero();
    assertThat(open.settings())
        .isEqualTo(new TenantSettings("ads", 20, 5, 10, 3, 10_000, List.of(), null, 0));

    Run removed = tenants("remove", "ads");
    assertThat(removed.exit()).as(removed.err()).isZero();
    assertThat(removed.out()).contains("removed tenant ads");

    Run gone = tenants("get", "ads");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.out()).isEmpty();
    assertThat(gone.err())
        .contains("tenant ads has no settings on " + topic)
        .contains("xfaas.tenants.unknown-policy=default-quota");
    assertThat(tenants("list").out().lines().skip(1).toList())
        .singleElement()
        .asString()
        .startsWith("news ");
    assertThat(tenants("remove", "ads").exit()).isEqualTo(1);

    // On the topic: exactly what the scheduler reads, in order, ending with a tombstone.
    List<ConsumerRecord<byte[], byte[]>> records = readTopic(6);
    assertThat(records)
        .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsExactly(
            "tenant/ads", "tenant/ads", "tenant/ads", "tenant/news", "tenant/ads", "tenant/ads");
    ConsumerRecord<byte[], byte[]> example = records.get(1);
    assertThat(Json.MAPPER.readValue(example.value(), TenantSettings.class)).isEqualTo(ads);
    assertThat(Json.MAPPER.readTree(example.value()).path("defaultDeadlineMs").asLong())
        .isEqualTo(600_000);
    assertThat(Json.MAPPER.readValue(records.get(3).value(), TenantSettings.class))
        .isEqualTo(newsSettings);
    assertThat(records.get(5).value()).isNull();

    // The command created the topic it wrote to, compacted.
    assertThat(topicConfig().get("cleanup.policy").value()).isEqualTo("compact");
  }

  @Test
  void invalidValuesAreRefusedAndNothingIsWritten() throws Exception {
    assertThat(tenants("set", "ads", "--rate", "5").exit()).isZero();

    Run zeroRate = tenants("set", "ads", "--rate", "0");
    assertThat(zeroRate.exit()).isEqualTo(2);
    assertThat(zeroRate.err()).contains("rate must be > 0");
    Run badName = tenants("set", "ads team", "--rate", "1");
    assertThat(badName.exit()).isEqualTo(2);
    assertThat(badName.err()).contains("'ads team'");
    Run badDeadline = tenants("set", "ads", "--default-deadline", "10x");
    assertThat(badDeadline.exit()).isEqualTo(2);
    assertThat(badDeadline.err()).contains("'10x' is not a duration");
    Run noName = tenants("set");
    assertThat(noName.exit()).isEqualTo(2);
    Run unknownKey = tenants(List.of("-D", "xfaas.tenants.typo=1"), "list");
    assertThat(unknownKey.exit()).isEqualTo(2);
    assertThat(unknownKey.err()).contains("unknown configuration key: xfaas.tenants.typo");

    assertThat(readTopic(1)).hasSize(1);
    Run get = tenants("get", "ads");
    assertThat(get.exit()).isZero();
    assertThat(get.out()).contains("\"rate\" : 5.0");
  }

  @Test
  void getOnATopicThatDoesNotExistYetSaysSo() {
    Run get = tenants("get", "ads");

    assertThat(get.exit()).isEqualTo(1);
    assertThat(get.err()).contains("tenant ads has no settings");
  }

  /** The config topic's records; checks that they are exactly {@code n}, on its one partition. */
  private List<ConsumerRecord<byte[], byte[]>> readTopic(int n) throws Exception {
    List<ConsumerRecord<byte[], byte[]>> read = KAFKA.readAll(topic);
    assertThat(read).hasSizeGreaterThanOrEqualTo(n);
    // Every write was acknowledged before its command returned: what is there is all there is.
    assertThat(KAFKA.endOffsets(topic).values()).containsExactly((long) n);
    return read;
  }

  private Config topicConfig() throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return KAFKA
        .admin()
        .describeConfigs(List.of(resource))
        .all()
        .get(30, TimeUnit.SECONDS)
        .get(resource);
  }
}
