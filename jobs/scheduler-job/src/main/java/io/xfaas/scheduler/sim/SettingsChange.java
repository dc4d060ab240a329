package io.xfaas.scheduler.sim;

import io.xfaas.records.TenantSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One change to a tenant's settings for a what-if run, written {@code TENANT.KEY=VALUE}: {@code
 * acme.rate=50}, {@code acme.burst=10}, {@code acme.concurrency=20}, {@code acme.weight=3}, {@code
 * acme.buffer=5000}, {@code acme.deadline=30s} (ms, or with ms, s, m or h; {@code none} for no
 * default deadline), {@code acme.opportunistic-rate=100}. The tenant's name may contain dots: the
 * key is what follows the last one.
 */
public record SettingsChange(String tenant, String key, String value) {
  static final List<String> KEYS =
      List.of("rate", "burst", "concurrency", "weight", "buffer", "deadline", "opportunistic-rate");

  public SettingsChange {
    if (!KEYS.contains(key)) {
      throw new IllegalArgumentException(
          "unknown tenant setting '" + key + "'; one of " + String.join(", ", KEYS));
    }
  }

  public static SettingsChange parse(String text) {
    int eq = text.indexOf('=');
    int dot = eq < 0 ? -1 : text.lastIndexOf('.', eq);
    if (eq < 0 || dot <= 0 || dot == eq - 1 || eq == text.length() - 1) {
      throw new IllegalArgumentException(
          "expected TENANT.KEY=VALUE (e.g. acme.rate=50), got '" + text + "'");
    }
    return new SettingsChange(
        text.substring(0, dot),
        text.substring(dot + 1, eq).strip(),
        text.substring(eq + 1).strip());
  }

  /** {@code s} with this change. */
  public TenantSettings applyTo(TenantSettings s) {
    double rate = s.rate();
    int burst = s.burst();
    int concurrency = s.concurrency();
    int weight = s.weight();
    int buffer = s.bufferBound();
    Long deadline = s.defaultDeadlineMs();
    double opportunistic = s.opportunisticRate();
    try {
      switch (key) {
        case "rate" -> rate = Double.parseDouble(value);
        case "burst" -> burst = Integer.parseInt(value);
        case "concurrency" -> concurrency = Integer.parseInt(value);
        case "weight" -> weight = Integer.parseInt(value);
        case "buffer" -> buffer = Integer.parseInt(value);
        case "deadline" -> deadline = millisOrNone(value);
        case "opportunistic-rate" -> opportunistic = Double.parseDouble(value);
        default -> throw new IllegalStateException(key);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(tenant + "." + key + ": not a number: " + value);
    }
    return new TenantSettings(
        s.tenant(),
        rate,
        burst,
        concurrency,
        weight,
        buffer,
        s.functions(),
        deadline,
        opportunistic);
  }

  /**
   * The settings after {@code changes}: a tenant without settings of its own starts from {@code
   * unknownTenant}'s (the job's default quota). Each changed tenant's result must be valid
   * settings.
   */
  public static Map<String, TenantSettings> apply(
      Map<String, TenantSettings> base,
      TenantSettings unknownTenant,
      List<SettingsChange> changes) {
    Map<String, TenantSettings> out = new HashMap<>(base);
    for (SettingsChange c : changes) {
      TenantSettings from = out.get(c.tenant());
      if (from == null) {
        if (unknownTenant == null) {
          throw new IllegalArgumentException(
              "tenant " + c.tenant() + " has no settings to change (unknown tenants are rejected)");
        }
        from = unknownTenant.withTenant(c.tenant());
      }
      out.put(c.tenant(), c.applyTo(from));
    }
    for (SettingsChange c : changes) {
      String problem = out.get(c.tenant()).problem();
      if (problem != null) throw new IllegalArgumentException(c.tenant() + ": " + problem);
    }
    return out;
  }

  private static Long millisOrNone(String v) {
    String s = v.strip().toLowerCase(Locale.ROOT);
    if (s.equals("none") || s.equals("0")) return null;
    long unit = 1;
    String n = s;
    if (s.endsWith("ms")) n = s.substring(0, s.length() - 2);
    else if (s.endsWith("s")) {
      n = s.substring(0, s.length() - 1);
      unit = 1000;
    } else if (s.endsWith("m")) {
      n = s.substring(0, s.length() - 1);
      unit = 60_000;
    } else if (s.endsWith("h")) {
      n = s.substring(0, s.length() - 1);
      unit = 3_600_000;
    }
    return Math.round(Double.parseDouble(n.strip()) * unit);
  }

  @Override
  public String toString() {
    return tenant + "." + key + "=" + value;
  }
}
