package io.xfaas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xfaas.kafka.Delivery;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XfaasConfigTest {
  private static final String DURATION_FORMS =
      "use a number with a unit: 500ms, 30s, 10m, 2h, 1d (a bare number is milliseconds)";

  @Test
  void defaultTopicsAreTheBriefsForRegionLocal() {
    Topics t = XfaasConfig.defaults().topics();
    assertThat(t.durableq()).isEqualTo("xfaas.local.durableq");
    assertThat(t.runq()).isEqualTo("xfaas.local.runq");
    assertThat(t.outcomes()).isEqualTo("xfaas.local.outcomes");
    assertThat(t.dlq()).isEqualTo("xfaas.local.dlq");
    assertThat(t.feedback()).isEqualTo("xfaas.local.feedback");
    assertThat(t.config()).isEqualTo("xfaas.config");
    assertThat(t.load()).isEqualTo("xfaas.load");
    assertThat(t.gtcDecisions()).isEqualTo("xfaas.gtc.decisions");
    assertThat(t.dlqRedrive()).isEqualTo("xfaas.local.dlq-redrive");
    assertThat(t.compacted()).containsKey("xfaas.local.dlq-redrive");
    assertThat(Topics.forRegion("eu").runq()).isEqualTo("xfaas.eu.runq");
  }

  @Test
  void fileThenOverridesWin(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("x.properties");
    Files.writeString(file, "xfaas.region=eu\nxfaas.topics.runq=custom-runq\n");
    XfaasConfig c = XfaasConfig.fromArgs("--config", file.toString(), "-Dxfaas.topics.runq=other");
    assertThat(c.region()).isEqualTo("eu");
    assertThat(c.topics().durableq()).isEqualTo("xfaas.eu.durableq");
    assertThat(c.topics().runq()).isEqualTo("other");
  }

  @Test
  void typosAndBadArgumentsFailLoudly() {
    assertRefused("xfaas.topic.runq", "x")
        .hasMessageContaining("unknown configuration key: xfaas.topic.runq");
    assertRefused("xfaas.sidecar.threads-ms", "8")
        .hasMessageContaining("unknown configuration key: xfaas.sidecar.threads-ms");
    assertThatThrownBy(() -> XfaasConfig.fromArgs("--bogus"))
        .hasMessageContaining("unexpected argument");
    assertThatThrownBy(() -> XfaasConfig.fromArgs("-Dxfaas.sidecar.treads=8"))
        .hasMessageContaining("unknown configuration key: xfaas.sidecar.treads");
    assertThatThrownBy(() -> XfaasConfig.defaults().with(Map.of("xfaas.gtc.windw", "1s")))
        .hasMessageContaining("unknown configuration key: xfaas.gtc.windw");
  }

  @Test
  void defaultsAreTyped() {
    XfaasConfig c = XfaasConfig.defaults();
    assertThat(c.get(XfaasOptions.SIDECAR_THREADS)).isEqualTo(8);
    assertThat(c.get(XfaasOptions.SCHEDULER_CAPACITY)).isEqualTo(10_000L);
    assertThat(c.get(XfaasOptions.PACING_DECREASE_FACTOR)).isEqualTo(0.7);
    assertThat(c.get(XfaasOptions.PACING_ENABLED)).isTrue();
    assertThat(c.get(XfaasOptions.SCHEDULER_CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofMillis(300));
    assertThat(c.get(XfaasOptions.SCHEDULER_DEDUP_WINDOW)).isEqualTo(Duration.ofDays(1));
    assertThat(c.get(XfaasOptions.SIDECAR_BATCH_LINGER)).isEqualTo(Duration.ofMillis(2));
    assertThat(c.get(XfaasOptions.TENANTS_UNKNOWN_POLICY))
        .isEqualTo(UnknownTenantPolicy.DEFAULT_QUOTA);
    assertThat(c.get(XfaasOptions.SIDECAR_PREFIX_FUNCTIONS)).containsExactly("f-=replay");
    assertThat(c.get(XfaasOptions.SIDECAR_HTTP_FUNCTIONS)).isEmpty();
    assertThat(c.get(XfaasOptions.SCHEDULER_GROUP_ID)).isEqualTo("xfaas.local.scheduler");
    assertThat(c.invocationLimits().maxClockSkewMs()).isEqualTo(300_000);
  }

  @Test
  void integersParseAndBadOnesNameKeyValueAndForm() {
    XfaasConfig c = XfaasConfig.of(Map.of("xfaas.sidecar.threads", " 32 "));
    assertThat(c.get(XfaasOptions.SIDECAR_THREADS)).isEqualTo(32);
    assertThat(c.getInt(XfaasOptions.SIDECAR_THREADS)).isEqualTo(32);
    assertThat(read("xfaas.scheduler.capacity", "1000000000000", XfaasOptions.SCHEDULER_CAPACITY))
        .isEqualTo(1_000_000_000_000L);

    assertRefused("xfaas.sidecar.threads", "many")
        .hasMessage(
            "xfaas.sidecar.threads: 'many' is not an integer; use a whole number such as 8");
    assertRefused("xfaas.sidecar.threads", "3000000000")
        .hasMessageContaining("xfaas.sidecar.threads: '3000000000' is not an integer");
    assertRefused("xfaas.scheduler.capacity", "1e6")
        .hasMessage(
            "xfaas.scheduler.capacity: '1e6' is not an integer; use a whole number such as 10000");
  }

  @Test
  void boundsAreCheckedWithTheRangeInTheMessage() {
    assertRefused("xfaas.sidecar.threads", "0")
        .hasMessage("xfaas.sidecar.threads: '0' is out of range; use an integer >= 1");
    assertRefused("xfaas.sidecar.http-port", "70000")
        .hasMessage(
            "xfaas.sidecar.http-port: '70000' is out of range; use an integer from 0 to 65535");
    assertRefused("xfaas.sidecar.retry-jitter", "1.5")
        .hasMessage("xfaas.sidecar.retry-jitter: '1.5' is out of range; use a number from 0 to 1");
    assertRefused("xfaas.sidecar.call-timeout", "0s")
        .hasMessage("xfaas.sidecar.call-timeout: '0s' is out of range; use a duration >= 1ms");
    assertThat(read("xfaas.sidecar.http-port", "65535", XfaasOptions.SIDECAR_HTTP_PORT))
        .isEqualTo(65535);
    assertThatThrownBy(() -> XfaasOption.option("xfaas.test.x", OptionType.INT, 0, "x").atLeast(1))
        .hasMessageContaining("xfaas.test.x: default is out of range");
  }

  @Test
  void doublesParseAndBadOnesAreRefused() {
    assertThat(read("xfaas.gtc.max-step", "0.5", XfaasOptions.GTC_MAX_STEP)).isEqualTo(0.5);
    assertThat(
            XfaasConfig.of(Map.of("xfaas.tenants.default.rate", "1000"))
                .defaultTenantSettings()
                .rate())
        .isEqualTo(1000.0);
    assertEachRefused(
        "xfaas.gtc.max-step",
        List.of("half", "NaN", "Infinity", ""),
        "is not a number; use a decimal number such as 0.5");
  }

  @Test
  void booleansAreTrueOrFalseInAnyCase() {
    assertThat(read("xfaas.gtc.routing-enabled", "TRUE", XfaasOptions.GTC_ROUTING_ENABLED))
        .isTrue();
    assertThat(
            XfaasConfig.of(Map.of("xfaas.scheduler.pacing.enabled", "False"))
                .getBoolean(XfaasOptions.PACING_ENABLED))
        .isFalse();
    assertRefused("xfaas.gtc.routing-enabled", "yes")
        .hasMessage("xfaas.gtc.routing-enabled: 'yes' is not a boolean; use true or false");
  }

  @Test
  void durationsTakeEachUnitAndABareNumberIsMilliseconds() {
    Map<String, Duration> cases =
        Map.of(
            "500ms", Duration.ofMillis(500),
            "30s", Duration.ofSeconds(30),
            "10m", Duration.ofMinutes(10),
            "10min", Duration.ofMinutes(10),
            "2h", Duration.ofHours(2),
            "1d", Duration.ofDays(1),
            "1500", Duration.ofMillis(1500),
            " 45 S ", Duration.ofSeconds(45));
    cases.forEach(
        (text, expected) ->
            assertThat(read("xfaas.gtc.window", text, XfaasOptions.GTC_WINDOW))
                .as(text)
                .isEqualTo(expected));
    assertEachRefused(
        "xfaas.scheduler.checkpoint-interval",
        List.of("5 parsecs", "-5s", "1.5s", "s", "", "10 minutes"),
        "is not a duration; " + DURATION_FORMS);
    assertRefused("xfaas.gtc.window", "99999999999999d")
        .hasMessageContaining("'99999999999999d' is not a duration");
  }

  @Test
  void durationsAreWrittenInTheirLargestWholeUnit() {
    XfaasOption<Duration> o = XfaasOptions.GTC_WINDOW;
    assertThat(o.format(Duration.ofMillis(2))).isEqualTo("2ms");
    assertThat(o.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(o.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(o.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(o.format(Duration.ofHours(36))).isEqualTo("36h");
    assertThat(o.format(Duration.ofDays(1))).isEqualTo("1d");
    assertThat(o.format(Duration.ZERO)).isEqualTo("0");
    XfaasConfig c = XfaasConfig.of(Map.of("xfaas.gtc.window", "90000"));
    assertThat(c.effective()).containsEntry("xfaas.gtc.window", "90s");
    assertThat(XfaasConfig.of(c.effective()).effective()).isEqualTo(c.effective());
  }

  @Test
  void theOldMillisecondKeysStillSetTheirDuration() {
    XfaasConfig c =
        XfaasConfig.of(
            Map.of(
                "xfaas.scheduler.checkpoint-interval-ms", "500",
                "xfaas.tenants.default.deadline-ms", "1000"));
    assertThat(c.get(XfaasOptions.SCHEDULER_CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofMillis(500));
    assertThat(c.defaultTenantSettings().defaultDeadlineMs()).isEqualTo(1000L);
    assertThat(c.effective())
        .containsEntry("xfaas.scheduler.checkpoint-interval", "500ms")
        .doesNotContainKey("xfaas.scheduler.checkpoint-interval-ms");
    assertThat(XfaasOptions.byKey("xfaas.sidecar.call-timeout-ms"))
        .isSameAs(XfaasOptions.SIDECAR_CALL_TIMEOUT);

    // A bad value is reported under the key it was given with.
    assertRefused("xfaas.sidecar.call-timeout-ms", "soon")
        .hasMessage("xfaas.sidecar.call-timeout-ms: 'soon' is not a duration; " + DURATION_FORMS);
    assertThatThrownBy(
            () -> XfaasConfig.of(Map.of("xfaas.gtc.window-ms", "1000", "xfaas.gtc.window", "2s")))
        .hasMessageContaining("both set xfaas.gtc.window; give one of them");
  }

  @Test
  void aLaterLayerWinsWhicheverKeyItUses(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("x.properties");
    Files.writeString(file, "xfaas.gtc.window=2s\nxfaas.gtc.idleness-ms=3000\n");
    XfaasConfig c =
        XfaasConfig.fromArgs(
            "--config",
            file.toString(),
            "-Dxfaas.gtc.window-ms=500",
            "--set",
            "xfaas.gtc.idleness=1m");
    assertThat(c.get(XfaasOptions.GTC_WINDOW)).isEqualTo(Duration.ofMillis(500));
    assertThat(c.get(XfaasOptions.GTC_IDLENESS)).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.with(Map.of("xfaas.gtc.window-ms", "750")).get(XfaasOptions.GTC_WINDOW))
        .isEqualTo(Duration.ofMillis(750));
    // An override of another option leaves a value given under an old key as it was.
    assertThat(c.with(Map.of("xfaas.region", "eu")).get(XfaasOptions.GTC_WINDOW))
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void enumsTakeTheirDashedNamesInAnyCase() {
    for (String text : List.of("reject", "REJECT", " Reject ")) {
      XfaasConfig c = XfaasConfig.of(Map.of("xfaas.tenants.unknown-policy", text));
      assertThat(c.get(XfaasOptions.TENANTS_UNKNOWN_POLICY)).isEqualTo(UnknownTenantPolicy.REJECT);
      assertThat(c.defaultTenantSettings()).isNull();
      assertThat(c.text(XfaasOptions.TENANTS_UNKNOWN_POLICY)).isEqualTo("reject");
    }
    for (String text : List.of("default-quota", "DEFAULT_QUOTA", "Default-Quota")) {
      assertThat(read("xfaas.tenants.unknown-policy", text, XfaasOptions.TENANTS_UNKNOWN_POLICY))
          .isEqualTo(UnknownTenantPolicy.DEFAULT_QUOTA);
    }
    assertRefused("xfaas.tenants.unknown-policy", "maybe")
        .hasMessage(
            "xfaas.tenants.unknown-policy: 'maybe' is not a known value;"
                + " use one of default-quota, reject");
  }

  @Test
  void sinkDeliveriesDefaultToAtLeastOnceAndTakeEitherGuarantee() {
    XfaasConfig defaults = XfaasConfig.defaults();
    assertThat(defaults.get(XfaasOptions.SCHEDULER_RUNQ_DELIVERY))
        .isEqualTo(Delivery.AT_LEAST_ONCE);
    assertThat(defaults.get(XfaasOptions.SCHEDULER_TELEMETRY_DELIVERY))
        .isEqualTo(Delivery.AT_LEAST_ONCE);
    assertThat(defaults.text(XfaasOptions.SCHEDULER_RUNQ_DELIVERY)).isEqualTo("at-least-once");

    XfaasConfig c =
        XfaasConfig.of(
            Map.of(
                "xfaas.scheduler.runq-delivery", "exactly-once",
                "xfaas.scheduler.telemetry-delivery", " Exactly-Once "));
    assertThat(c.get(XfaasOptions.SCHEDULER_RUNQ_DELIVERY)).isEqualTo(Delivery.EXACTLY_ONCE);
    assertThat(c.get(XfaasOptions.SCHEDULER_TELEMETRY_DELIVERY)).isEqualTo(Delivery.EXACTLY_ONCE);
    assertThat(c.text(XfaasOptions.SCHEDULER_TELEMETRY_DELIVERY)).isEqualTo("exactly-once");
    assertThat(
            read(
                "xfaas.scheduler.runq-delivery",
                "at-least-once",
                XfaasOptions.SCHEDULER_RUNQ_DELIVERY))
        .isEqualTo(Delivery.AT_LEAST_ONCE);

    // Flink's own spelling, and a guarantee Kafka sinks have but xfaas does not offer, are refused.
    assertEachRefused(
        "xfaas.scheduler.runq-delivery",
        List.of("exactly_once_please", "none", "at-most-once", ""),
        "is not a known value; use one of at-least-once, exactly-once");
    assertRefused("xfaas.scheduler.telemetry-delivery", "transactional")
        .hasMessage(
            "xfaas.scheduler.telemetry-delivery: 'transactional' is not a known value;"
                + " use one of at-least-once, exactly-once");
  }

  @Test
  void listsAreCommaSeparatedWithBlanksDropped() {
    XfaasConfig c =
        XfaasConfig.of(
            Map.of(
                "xfaas.sidecar.http-functions", " a=http://h:1/a , b=https://h/b,,",
                "xfaas.sidecar.prefix-functions", ""));
    assertThat(c.get(XfaasOptions.SIDECAR_HTTP_FUNCTIONS))
        .containsExactly("a=http://h:1/a", "b=https://h/b");
    assertThat(c.get(XfaasOptions.SIDECAR_PREFIX_FUNCTIONS)).isEmpty();
    assertThat(c.text(XfaasOptions.SIDECAR_HTTP_FUNCTIONS))
        .isEqualTo("a=http://h:1/a,b=https://h/b");
  }

  @Test
  void stringsFollowTheRegionWhereverTheyNameIt() {
    XfaasConfig c =
        XfaasConfig.of(
            Map.of("xfaas.region", "eu", "xfaas.sidecar.group-id", "workers-${xfaas.region}"));
    assertThat(c.get(XfaasOptions.SIDECAR_GROUP_ID)).isEqualTo("workers-eu");
    assertThat(c.get(XfaasOptions.SCHEDULER_TRANSACTIONAL_ID_PREFIX))
        .isEqualTo("xfaas-eu-scheduler");
    assertThat(c.with(Map.of("xfaas.region", "us")).get(XfaasOptions.SIDECAR_GROUP_ID))
        .isEqualTo("workers-us");
  }

  @Test
  void valuesAreParsedOnceWhenTheConfigurationIsMade() {
    // The bad value fails at of(), before anyone asks for the option.
    assertRefused("xfaas.gtc.hysteresis", "little").isInstanceOf(IllegalArgumentException.class);
    XfaasConfig c = XfaasConfig.defaults();
    assertThat(c.get(XfaasOptions.SIDECAR_PREFIX_FUNCTIONS))
        .isSameAs(c.get(XfaasOptions.SIDECAR_PREFIX_FUNCTIONS));
    assertThat(c.get(XfaasOptions.SCHEDULER_GROUP_ID))
        .isSameAs(c.get(XfaasOptions.SCHEDULER_GROUP_ID));
  }

  @Test
  void onlyListedOptionsCanBeRead() {
    XfaasOption<Integer> stray =
        XfaasOption.option("xfaas.sidecar.threads", OptionType.INT, 8, "a copy");
    assertThatThrownBy(() -> XfaasConfig.defaults().get(stray))
        .hasMessageContaining("xfaas.sidecar.threads is not listed in XfaasOptions");
  }

  @Test
  void kafkaClientPropertiesComeFromTheirFile(@TempDir Path dir) throws IOException {
    assertThat(XfaasConfig.defaults().kafkaClientProperties()).isEmpty();
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nbootstrap.servers=elsewhere:1\n");
    XfaasConfig config =
        XfaasConfig.of(Map.of("xfaas.kafka.client-properties-file", file.toString()));
    assertThat(config.kafkaClientProperties())
        .containsExactly(
            Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
            Map.entry("security.protocol", "SASL_SSL"));
  }

  @Test
  void everyKeyIsNamespacedAndUnique() {
    assertThat(XfaasOptions.ALL).hasSize(102);
    for (XfaasOption<?> o : XfaasOptions.ALL) {
      assertThat(o.key()).startsWith("xfaas.");
      assertThat(XfaasOptions.byKey(o.key())).isSameAs(o);
      assertThat(o.description()).isNotBlank();
      // Every default reads back as itself.
      assertThat(parseBack(o)).as(o.key()).isEqualTo(o.defaultValue());
    }
  }

  @Test
  void aConfigurationSurvivesJavaSerialization() throws Exception {
    XfaasConfig c = XfaasConfig.of(Map.of("xfaas.region", "eu", "xfaas.gtc.window-ms", "1500"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    XfaasConfig copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (XfaasConfig) in.readObject();
    }
    assertThat(copy.effective()).isEqualTo(c.effective());
    assertThat(copy.get(XfaasOptions.GTC_WINDOW)).isEqualTo(Duration.ofMillis(1500));
  }

  private static <T> T parseBack(XfaasOption<T> o) {
    return o.parse(o.key(), o.defaultText());
  }

  /** The value of {@code option}, given as {@code key=value}. */
  private static <T> T read(String key, String value, XfaasOption<T> option) {
    return XfaasConfig.of(Map.of(key, value)).get(option);
  }

  /** Each of {@code values} under {@code key} is refused with "key: 'value' {@code why}". */
  private static void assertEachRefused(String key, List<String> values, String why) {
    for (String value : values) {
      assertRefused(key, value).hasMessage(key + ": '" + value + "' " + why);
    }
  }

  /** What reading {@code key=value} throws. */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
      String key, String value) {
    return assertThatThrownBy(() -> XfaasConfig.of(Map.of(key, value)));
  }
}
