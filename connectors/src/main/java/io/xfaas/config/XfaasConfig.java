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
 * command-line flags). Unknown {@code xfaas.*} keys are refused, so a typo fails loudly.
 */
public final class XfaasConfig implements Serializable {
  private final Map<String, String> values;

  private XfaasConfig(Map<String, String> values) {
    this.values = values;
  }

  public static XfaasConfig defaults() {
    return of(Map.of());
  }

  public static XfaasConfig of(Map<String, String> overrides) {
    Map<String, String> v = new HashMap<>();
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (e.getKey().startsWith("xfaas.")
          && XfaasOptions.ALL.stream().noneMatch(o -> o.key().equals(e.getKey()))) {
        throw new IllegalArgumentException("unknown configuration key: " + e.getKey());
      }
      v.put(e.getKey(), e.getValue());
    }
    return new XfaasConfig(v);
  }

  /** Loads a properties file, then applies {@code overrides} on top. */
  public static XfaasConfig load(Path file, Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>();
    if (file != null) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read configuration " + file, e);
      }
      p.stringPropertyNames().forEach(k -> merged.put(k, p.getProperty(k).trim()));
    }
    merged.putAll(overrides);
    return of(merged);
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

  /** This configuration with some values replaced. */
  public XfaasConfig with(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(values);
    merged.putAll(overrides);
    return of(merged);
  }

  public String get(XfaasOption option) {
    String raw = values.getOrDefault(option.key(), option.defaultValue());
    return raw.replace("${xfaas.region}", region());
  }

  public int getInt(XfaasOption option) {
    try {
      return Integer.parseInt(get(option));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option.key() + " must be an integer: " + get(option));
    }
  }

  public long getLong(XfaasOption option) {
    try {
      return Long.parseLong(get(option));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option.key() + " must be an integer: " + get(option));
    }
  }

  public double getDouble(XfaasOption option) {
    try {
      return Double.parseDouble(get(option));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option.key() + " must be a number: " + get(option));
    }
  }

  public boolean getBoolean(XfaasOption option) {
    String v = get(option).trim();
    if (v.equalsIgnoreCase("true")) return true;
    if (v.equalsIgnoreCase("false")) return false;
    throw new IllegalArgumentException(option.key() + " must be true or false: " + v);
  }

  public String region() {
    return values.getOrDefault(XfaasOptions.REGION.key(), XfaasOptions.REGION.defaultValue());
  }

  public String bootstrapServers() {
    return get(XfaasOptions.BOOTSTRAP_SERVERS);
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
        getInt(XfaasOptions.MAX_PAYLOAD_BYTES),
        getInt(XfaasOptions.MAX_ID_LENGTH),
        getLong(XfaasOptions.MAX_CLOCK_SKEW_MS),
        getInt(XfaasOptions.DEFAULT_MAX_ATTEMPTS));
  }

  /** What a tenant without settings gets, or null when such tenants are rejected. */
  public TenantSettings defaultTenantSettings() {
    String policy = get(XfaasOptions.TENANTS_UNKNOWN_POLICY);
    if (policy.equals("reject")) return null;
    if (!policy.equals("default-quota")) {
      throw new IllegalArgumentException(
          XfaasOptions.TENANTS_UNKNOWN_POLICY.key()
              + " must be default-quota or reject: "
              + policy);
    }
    long deadline = getLong(XfaasOptions.TENANTS_DEFAULT_DEADLINE_MS);
    return new TenantSettings(
        "*",
        Double.parseDouble(get(XfaasOptions.TENANTS_DEFAULT_RATE)),
        getInt(XfaasOptions.TENANTS_DEFAULT_BURST),
        getInt(XfaasOptions.TENANTS_DEFAULT_CONCURRENCY),
        getInt(XfaasOptions.TENANTS_DEFAULT_WEIGHT),
        getInt(XfaasOptions.TENANTS_DEFAULT_BUFFER),
        List.of(),
        deadline > 0 ? deadline : null,
        0);
  }

  /** Every option with its effective value, for printing. */
  public Map<String, String> effective() {
    Map<String, String> out = new TreeMap<>();
    XfaasOptions.ALL.forEach(o -> out.put(o.key(), get(o)));
    return out;
  }
}
