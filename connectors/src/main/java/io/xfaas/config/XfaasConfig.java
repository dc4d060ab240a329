package io.xfaas.config;

import io.xfaas.records.TenantSettings;
import io.xfaas.serde.InvocationLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Resolved configuration: {@link XfaasOptions} defaults, overridden by a properties file (normally
 * {@code flink-conf/xfaas.properties}), overridden by explicit settings (job arguments,
 * command-line flags). Unknown {@code xfaas.*} keys are refused, so a typo fails loudly. Every
 * value is parsed once, when the configuration is made, to its option's type: a bad value fails
 * there, with the key, the value and what the option accepts.
 */
public final class XfaasConfig implements Serializable {
  /** Settings by option key (deprecated keys resolved), as given: what {@link #with} builds on. */
  private final Map<String, String> values;

  /** The key each setting was given under, for messages. */
  private final Map<String, String> givenAs;

  /** Every option's value, parsed. */
  private final Map<String, Object> typed;

  private XfaasConfig(Map<String, String> values, Map<String, String> givenAs) {
    this.values = values;
    this.givenAs = givenAs;
    this.typed = new HashMap<>();
    String region = parse(XfaasOptions.REGION);
    for (XfaasOption<?> o : XfaasOptions.ALL) {
      Object v = parse(o);
      typed.put(o.key(), v instanceof String s ? s.replace("${xfaas.region}", region) : v);
    }
  }

  private <T> T parse(XfaasOption<T> option) {
    String raw = values.get(option.key());
    if (raw == null) return option.defaultValue();
    return option.parse(givenAs.getOrDefault(option.key(), option.key()), raw);
  }

  public static XfaasConfig defaults() {
    return of(Map.of());
  }

  public static XfaasConfig of(Map<String, String> settings) {
    Map<String, String> values = new HashMap<>();
    Map<String, String> givenAs = new HashMap<>();
    resolveKeys(settings, values, givenAs);
    return new XfaasConfig(values, givenAs);
  }

  /**
   * Puts {@code settings} into {@code values} under their options' keys (an option's deprecated key
   * counts as its key), noting in {@code givenAs} the key each was written with.
   */
  private static void resolveKeys(
      Map<String, String> settings, Map<String, String> values, Map<String, String> givenAs) {
    Map<String, String> seen = new HashMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      XfaasOption<?> option = XfaasOptions.byKey(key);
      if (option == null) {
        if (key.startsWith("xfaas.")) {
          throw new IllegalArgumentException("unknown configuration key: " + key);
        }
        values.put(key, e.getValue());
        continue;
      }
      String other = seen.put(option.key(), key);
      if (other != null) {
        throw new IllegalArgumentException(
            other + " and " + key + " both set " + option.key() + "; give one of them");
      }
      values.put(option.key(), e.getValue());
      givenAs.put(option.key(), key);
    }
  }

  /** Loads a properties file, then applies {@code overrides} on top. */
  public static XfaasConfig load(Path file, Map<String, String> overrides) {
    Map<String, String> fromFile = new HashMap<>();
    if (file != null) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read configuration " + file, e);
      }
      p.stringPropertyNames().forEach(k -> fromFile.put(k, p.getProperty(k).trim()));
    }
    // Layer by layer, so that an old key given as an override replaces the file's new key.
    Map<String, String> values = new HashMap<>();
    Map<String, String> givenAs = new HashMap<>();
    resolveKeys(fromFile, values, givenAs);
    resolveKeys(overrides, values, givenAs);
    return new XfaasConfig(values, givenAs);
  }

  /**
   * Reads command-line arguments as jobs and processes take them: {@code --config FILE} (a
   * properties file) and any number of {@code -Dkey=value} or {@code --set key=value} overrides.
   * Other arguments are refused.
   */
  public static XfaasConfig fromArgs(String... args) {
    Path file = null;
    Map<String, String> overrides = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--config") && i + 1 < args.length) {
        file = Path.of(args[++i]);
      } else if (a.startsWith("-D") && a.contains("=")) {
        putPair(overrides, a.substring(2));
      } else if (a.equals("--set") && i + 1 < args.length) {
        putPair(overrides, args[++i]);
      } else {
        throw new IllegalArgumentException(
            "unexpected argument '"
                + a
                + "'; expected --config FILE, -Dkey=value, --set key=value");
      }
    }
    return load(file, overrides);
  }

  private static void putPair(Map<String, String> into, String pair) {
    int eq = pair.indexOf('=');
    if (eq <= 0) throw new IllegalArgumentException("expected key=value, got '" + pair + "'");
    into.put(pair.substring(0, eq), pair.substring(eq + 1));
  }

  /**
   * This configuration with some values replaced; an option's old key replaces a value given under
   * its new key, and the other way round.
   */
  public XfaasConfig with(Map<String, String> overrides) {
    Map<String, String> v = new HashMap<>(values);
    Map<String, String> g = new HashMap<>(givenAs);
    resolveKeys(overrides, v, g);
    return new XfaasConfig(v, g);
  }

  /** The option's value, parsed when this configuration was made. */
  @SuppressWarnings("unchecked")
  public <T> T get(XfaasOption<T> option) {
    if (XfaasOptions.byKey(option.key()) != option) {
      throw new IllegalArgumentException(option.key() + " is not listed in XfaasOptions");
    }
    return (T) typed.get(option.key());
  }

  /** Same as {@link #get}; kept so callers written against the untyped API read the same. */
  public int getInt(XfaasOption<Integer> option) {
    return get(option);
  }

  /** Same as {@link #get}. */
  public long getLong(XfaasOption<Long> option) {
    return get(option);
  }

  /** Same as {@link #get}. */
  public double getDouble(XfaasOption<Double> option) {
    return get(option);
  }

  /** Same as {@link #get}. */
  public boolean getBoolean(XfaasOption<Boolean> option) {
    return get(option);
  }

  /** The option's value as a properties file would write it. */
  public <T> String text(XfaasOption<T> option) {
    return option.format(get(option));
  }

  public String region() {
    return get(XfaasOptions.REGION);
  }

  public String bootstrapServers() {
    return get(XfaasOptions.BOOTSTRAP_SERVERS);
  }

  /**
   * The Kafka client settings of {@code xfaas.kafka.client-properties-file} (security.protocol,
   * sasl.*, ssl.*), read now; empty when the option is not set. The bootstrap servers stay {@code
   * xfaas.kafka.bootstrap-servers}.
   */
  public java.util.Map<String, String> kafkaClientProperties() {
    String file = get(XfaasOptions.KAFKA_CLIENT_PROPERTIES_FILE);
    if (file.isBlank()) return java.util.Map.of();
    java.util.Properties p = new java.util.Properties();
    try (java.io.Reader r =
        java.nio.file.Files.newBufferedReader(
            java.nio.file.Path.of(file), java.nio.charset.StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read the Kafka client properties " + file, e);
    }
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    for (String k : p.stringPropertyNames()) out.put(k, p.getProperty(k));
    out.remove("bootstrap.servers");
    return out;
  }

  public Topics topics() {
    return new Topics(
        get(XfaasOptions.TOPIC_DURABLEQ),
        get(XfaasOptions.TOPIC_RUNQ),
        get(XfaasOptions.TOPIC_OUTCOMES),
        get(XfaasOptions.TOPIC_RESULTS),
        get(XfaasOptions.TOPIC_DLQ),
        get(XfaasOptions.TOPIC_FEEDBACK),
        get(XfaasOptions.TOPIC_METRICS),
        get(XfaasOptions.TOPIC_CONFIG),
        get(XfaasOptions.TOPIC_LOAD),
        get(XfaasOptions.TOPIC_GTC_DECISIONS),
        get(XfaasOptions.TOPIC_DLQ_REDRIVE),
        get(XfaasOptions.TOPIC_DECISIONS));
  }

  public InvocationLimits invocationLimits() {
    return new InvocationLimits(
        get(XfaasOptions.MAX_PAYLOAD_BYTES),
        get(XfaasOptions.MAX_ID_LENGTH),
        get(XfaasOptions.MAX_CLOCK_SKEW).toMillis(),
        get(XfaasOptions.DEFAULT_MAX_ATTEMPTS));
  }

  /** What a tenant without settings gets, or null when such tenants are rejected. */
  public TenantSettings defaultTenantSettings() {
    if (get(XfaasOptions.TENANTS_UNKNOWN_POLICY) == UnknownTenantPolicy.REJECT) return null;
    long deadline = get(XfaasOptions.TENANTS_DEFAULT_DEADLINE).toMillis();
    return new TenantSettings(
        "*",
        get(XfaasOptions.TENANTS_DEFAULT_RATE),
        get(XfaasOptions.TENANTS_DEFAULT_BURST),
        get(XfaasOptions.TENANTS_DEFAULT_CONCURRENCY),
        get(XfaasOptions.TENANTS_DEFAULT_WEIGHT),
        get(XfaasOptions.TENANTS_DEFAULT_BUFFER),
        List.of(),
        deadline > 0 ? deadline : null,
        0);
  }

  /** Every option with its effective value, as a properties file would write it. */
  public Map<String, String> effective() {
    Map<String, String> out = new TreeMap<>();
    XfaasOptions.ALL.forEach(o -> out.put(o.key(), text(o)));
    return out;
  }
}
