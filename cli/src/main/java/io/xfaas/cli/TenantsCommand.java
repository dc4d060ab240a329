package io.xfaas.cli;

import io.xfaas.config.TenantConfigClient;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.TenantSettings;
import io.xfaas.security.TenantPrincipals;
import io.xfaas.serde.Json;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code xfaas tenants set|get|list|remove}: a tenant's settings on the compacted config topic,
 * which the scheduler job applies without a restart.
 */
@Command(
    name = "tenants",
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Shows and changes tenant settings (quotas, weight, buffer, functions, default deadline) on"
          + " the config topic. The scheduler applies changes within about a second, without a"
          + " restart."
    },
    subcommands = {
      TenantsCommand.Set.class,
      TenantsCommand.Get.class,
      TenantsCommand.ListTenants.class,
      TenantsCommand.Remove.class
    })
final class TenantsCommand extends SubcommandsOnly {

  /** A subcommand with a tenant config client. */
  abstract static class TenantSubcommand extends KafkaSubcommand<TenantConfigClient> {
    @Override
    final TenantConfigClient open(XfaasConfig config) {
      return TenantConfigClient.create(config);
    }

    ParameterException usageError(String message) {
      return new ParameterException(spec.commandLine(), message);
    }
  }

  @Command(
      name = "set",
      description = {
        "Creates or changes a tenant's settings and prints the result as JSON.",
        "Flags not given keep their current value; a new tenant starts from the"
            + " xfaas.tenants.default.* options."
      })
  static final class Set extends TenantSubcommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The tenant.")
    String name;

    @Option(
        names = "--rate",
        paramLabel = "R",
        description = "Reserved dispatches per second (token bucket refill); > 0.")
    Double rate;

    @Option(
        names = "--burst",
        paramLabel = "B",
        description = "Dispatches allowed at once after idling (token bucket size); >= 1.")
    Integer burst;

    @Option(
        names = "--concurrency",
        paramLabel = "C",
        description = "Most invocations in flight at once; >= 1.")
    Integer concurrency;

    @Option(
        names = "--weight",
        paramLabel = "W",
        description = "Share of contended capacity relative to other tenants; >= 1.")
    Integer weight;

    @Option(
        names = "--buffer",
        paramLabel = "N",
        description = "Most invocations waiting in the tenant's buffer; more are rejected.")
    Integer buffer;

    @Option(
        names = "--functions",
        paramLabel = "F1,F2",
        description = "Functions the tenant may call, comma-separated; '' for any.")
    String functions;

    @Option(
        names = "--default-deadline",
        paramLabel = "DURATION",
        description =
            "Deadline after submittedAt for invocations that give none: e.g. 500ms, 30s, 10m, 2h,"
                + " or none.")
    String defaultDeadline;

    @Option(
        names = "--opportunistic-rate",
        paramLabel = "R",
        description = "Extra dispatches per second above --rate, from spare capacity only; >= 0.")
    Double opportunisticRate;

    private OptionalLong deadline;

    @Override
    void check(XfaasConfig config) {
      if (defaultDeadline != null) deadline = Durations.parseOrNone(defaultDeadline);
      // Fail on a bad name or flag value before reading the topic: the flags over a valid base.
      TenantSettings probe = merge(new TenantSettings(name, 1, 1, 1, 1, 1, List.of(), null, 0));
      String problem = TenantConfigClient.problem(probe);
      if (problem != null) throw new IllegalArgumentException(problem);
    }

    @Override
    int run(XfaasConfig config, TenantConfigClient client, PrintWriter out, PrintWriter err) {
      Optional<TenantSettings> current = client.get(name);
      TenantSettings next = merge(current.orElseGet(() -> newTenant(config).withTenant(name)));
      String problem = TenantConfigClient.problem(next);
      if (problem != null) throw usageError(problem);
      client.put(next);
      err.println(
          (current.isPresent() ? "updated" : "created")
              + " tenant "
              + name
              + " on "
              + client.topic());
      String credentials = config.get(XfaasOptions.SECURITY_CREDENTIALS_DIR);
      if (!credentials.isBlank()) {
        TenantPrincipals.Credentials c =
            TenantPrincipals.ensure(config, name, java.nio.file.Path.of(credentials));
        err.println(
            (c.created() ? "created principal " : "principal ")
                + c.principal()
                + (c.created() ? "" : " (exists; files unchanged)")
                + ": submit with --config "
                + c.config());
      }
      out.println(pretty(next));
      return 0;
    }

    /** {@code base} with the flags given applied. */
    TenantSettings merge(TenantSettings base) {
      return new TenantSettings(
          name,
          rate != null ? rate : base.rate(),
          burst != null ? burst : base.burst(),
          concurrency != null ? concurrency : base.concurrency(),
          weight != null ? weight : base.weight(),
          buffer != null ? buffer : base.bufferBound(),
          functions != null ? functionList(functions) : base.functions(),
          deadline != null
              ? (deadline.isPresent() ? deadline.getAsLong() : null)
              : base.defaultDeadlineMs(),
          opportunisticRate != null ? opportunisticRate : base.opportunisticRate());
    }

    static List<String> functionList(String text) {
      List<String> names = new ArrayList<>();
      for (String f : text.split(",")) {
        if (!f.isBlank() && !names.contains(f.strip())) names.add(f.strip());
      }
      return names;
    }
  }

  @Command(
      name = "get",
      description = "Prints a tenant's settings as JSON; exit code 1 if it has none.")
  static final class Get extends TenantSubcommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The tenant.")
    String name;

    @Override
    int run(XfaasConfig config, TenantConfigClient client, PrintWriter out, PrintWriter err) {
      Optional<TenantSettings> settings = client.get(name);
      if (settings.isEmpty()) {
        err.println(noSettings(name, client, config));
        return FAILED;
      }
      out.println(pretty(settings.get()));
      return 0;
    }
  }

  @Command(name = "list", description = "Prints a table of every tenant with settings, by name.")
  static final class ListTenants extends TenantSubcommand {
    @Override
    int run(XfaasConfig config, TenantConfigClient client, PrintWriter out, PrintWriter err) {
      List<TenantSettings> all = client.list();
      if (all.isEmpty()) {
        err.println(
            "no tenant settings on "
                + client.topic()
                + "; every tenant gets the unknown-tenant policy ("
                + policy(config)
                + ")");
        return 0;
      }
      table(all).forEach(out::println);
      return 0;
    }
  }

  @Command(
      name = "remove",
      description = {
        "Removes a tenant's settings (a tombstone on the config topic); the tenant then gets the"
            + " unknown-tenant policy.",
        "Exit code 1 if it had none."
      })
  static final class Remove extends TenantSubcommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The tenant.")
    String name;

    @Override
    int run(XfaasConfig config, TenantConfigClient client, PrintWriter out, PrintWriter err) {
      if (client.get(name).isEmpty()) {
        err.println(noSettings(name, client, config));
        return FAILED;
      }
      try {
        client.remove(name);
      } catch (IllegalArgumentException e) {
        throw usageError(e.getMessage());
      }
      out.println(
          "removed tenant "
              + name
              + "; it now gets the unknown-tenant policy ("
              + policy(config)
              + ")");
      return 0;
    }
  }

  /**
   * Where a new tenant's settings start: the configured default quota, also when unknown tenants
   * are rejected (the {@code xfaas.tenants.default.*} values still say what a quota looks like).
   */
  static TenantSettings newTenant(XfaasConfig config) {
    TenantSettings defaults = config.defaultTenantSettings();
    if (defaults != null) return defaults;
    return config
        .with(Map.of(XfaasOptions.TENANTS_UNKNOWN_POLICY.key(), "default-quota"))
        .defaultTenantSettings();
  }

  static String policy(XfaasConfig config) {
    return XfaasOptions.TENANTS_UNKNOWN_POLICY.key()
        + "="
        + config.text(XfaasOptions.TENANTS_UNKNOWN_POLICY);
  }

  static String noSettings(String name, TenantConfigClient client, XfaasConfig config) {
    return "tenant "
        + name
        + " has no settings on "
        + client.topic()
        + "; it gets the unknown-tenant policy ("
        + policy(config)
        + ")";
  }

  static String pretty(TenantSettings settings) {
    return Json.pretty(settings);
  }

  private static final String[] HEADER = {
    "TENANT",
    "RATE",
    "BURST",
    "CONCURRENCY",
    "WEIGHT",
    "BUFFER",
    "DEADLINE",
    "OPPORTUNISTIC",
    "FUNCTIONS"
  };

  /** The settings as aligned text lines, a header first; the last column is not padded. */
  static List<String> table(List<TenantSettings> settings) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (TenantSettings s : settings) {
      rows.add(
          new String[] {
            s.tenant(),
            number(s.rate()),
            Integer.toString(s.burst()),
            Integer.toString(s.concurrency()),
            Integer.toString(s.weight()),
            Integer.toString(s.bufferBound()),
            s.defaultDeadlineMs() == null ? "none" : Durations.format(s.defaultDeadlineMs()),
            number(s.opportunisticRate()),
            s.functions().isEmpty() ? "(any)" : String.join(",", s.functions())
          });
    }
    return TextTable.aligned(rows);
  }

  /** 20 rather than 20.0, and 0.5 as 0.5. */
  static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return Double.toString(d);
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }
}
