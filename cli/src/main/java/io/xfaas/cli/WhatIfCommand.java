package io.xfaas.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.TenantSettings;
import io.xfaas.replay.AzureTrace;
import io.xfaas.replay.PlannedCall;
import io.xfaas.replay.ReplayPlan;
import io.xfaas.replay.ReplaySettings;
import io.xfaas.scheduler.SchedulerJob;
import io.xfaas.scheduler.buffer.FuncBuffer;
import io.xfaas.scheduler.sim.FidelityCheck;
import io.xfaas.scheduler.sim.PolicySimulator;
import io.xfaas.scheduler.sim.RecordedHistory;
import io.xfaas.scheduler.sim.SettingsChange;
import io.xfaas.scheduler.sim.SimCall;
import io.xfaas.scheduler.sim.SimResult;
import io.xfaas.scheduler.sim.WhatIfChart;
import io.xfaas.scheduler.sim.WhatIfReport;
import io.xfaas.serde.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code xfaas whatif}: simulates a trace window twice through the scheduler's own policy classes
 * ({@link PolicySimulator}), as recorded and with changed tenant settings or capacity, and reports
 * per tenant side by side. Nothing touches Kafka.
 */
@Command(
    name = "whatif",
    description = {
      "Replays a trace window through the scheduler's FuncBuffer on a virtual clock, twice: with"
          + " the settings as they are, and with the changes given (tenant settings, sidecar"
          + " slots). Prints per tenant, side by side: dispatched, throttled, deferred, expired,"
          + " rejected, queueing delay p50/p99, deadline misses. Nothing touches Kafka.",
      "The window is the one `xfaas replay` plays with the same trace options (the replay's"
          + " defaults, not the benchmark's)."
    })
final class WhatIfCommand extends TraceWindowCommand {
  @Mixin RegionHistoryOptions region;

  @Option(
      names = "--set-tenant",
      paramLabel = "T.KEY=VALUE",
      description =
          "A change to a tenant's settings: rate, burst, concurrency, weight, buffer, deadline"
              + " (e.g. 30s, none), opportunistic-rate; e.g. acme.rate=50. Repeatable.")
  List<String> setTenant = new ArrayList<>();

  @Option(
      names = "--set-option",
      paramLabel = "KEY=VALUE",
      description =
          "An xfaas option changed in the changed run, e.g. xfaas.scheduler.capacity=500 or"
              + " xfaas.scheduler.utilization.target=0.7 (the FuncBuffer's settings are built from"
              + " it, as the job builds them; xfaas.sidecar.threads sets the slots). Repeatable.")
  Map<String, String> setOption = new LinkedHashMap<>();

  @Option(
      names = "--slots",
      paramLabel = "N",
      description = "Sidecar slots (sidecars x threads) in the changed run (default: as recorded).")
  Integer slots;

  @Option(
      names = "--sidecars",
      paramLabel = "N",
      description =
          "Sidecars as recorded; each runs xfaas.sidecar.threads calls at once (default: 2 for a"
              + " trace; with --history the slots the sidecars' feedback reported).")
  Integer sidecars;

  @Option(
      names = "--history",
      description =
          "Input from the region's real history instead of a trace: the calls submitted to"
              + " DurableQ in --from/--to, with the run times their outcomes show, the tenants'"
              + " settings from the config topic and the slots from the sidecars' feedback. Only"
              + " reads topics.")
  boolean history;

  @Option(
      names = "--validate",
      description =
          "Simulates the recorded history (implies --history) with no change and compares it with"
              + " what actually happened, per tenant: dispatched, expired and rejected must be"
              + " equal, queueing delay p50/p99 within --tolerance. Exit code 1 when not.")
  boolean validate;

  @Option(
      names = "--tolerance",
      paramLabel = "FRACTION",
      defaultValue = "0.15",
      description = "--validate's bound on delays, relative (default: ${DEFAULT-VALUE}).")
  double tolerance;

  @Option(
      names = "--slack",
      paramLabel = "DURATION",
      defaultValue = "100ms",
      description =
          "--validate's bound on delays, absolute, where it is wider than --tolerance: Kafka's"
              + " hops (default: ${DEFAULT-VALUE}).")
  String slack;

  @Option(
      names = "--chart",
      paramLabel = "FILE",
      description =
          "Writes a PNG chart: per-tenant delay before and after, executed load over time before"
              + " and after.")
  Path chart;

  @Option(
      names = "--tenants",
      paramLabel = "FILE",
      description =
          "Tenant settings as recorded: a JSON array of settings as `xfaas tenants get` prints"
              + " them (default: every tenant gets the unknown-tenant policy of the"
              + " configuration).")
  Path tenants;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      defaultValue = "10m",
      description =
          "How long the simulation goes on after the last arrival (default: ${DEFAULT-VALUE}).")
  String drain;

  @Option(
      names = "--bucket",
      paramLabel = "DURATION",
      defaultValue = "1s",
      description = "Bucket of the executed load's peak and trough (default: ${DEFAULT-VALUE}).")
  String bucket;

  @Option(
      names = "--no-feedback",
      description =
          "The modelled sidecars send no feedback (by default they report on each function every"
              + " xfaas.sidecar.feedback-interval, as sidecars do, so pacing and the utilization"
              + " controller take part).")
  boolean noFeedback;

  @Option(
      names = "--top",
      paramLabel = "N",
      defaultValue = "20",
      description =
          "Tenants in the terminal table, changed ones first (default: ${DEFAULT-VALUE}; 0: all).")
  int top;

  @Option(names = "--out", paramLabel = "FILE", description = "Writes the report as markdown.")
  Path out;

  @Option(names = "--json", paramLabel = "FILE", description = "Writes the report as JSON.")
  Path json;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    XfaasConfig config = configOptions.resolve();
    if (history || validate) return fromHistory(o, config);
    ReplaySettings window = window();
    ReplayPlan plan = ReplayPlan.build(AzureTrace.read(traceDir()), window);
    StringWriter described = new StringWriter();
    plan.describe(new PrintWriter(described));
    String windowText =
        "Trace "
            + traceWindow.trace
            + ": "
            + described.toString().strip().replaceFirst("^xfaas replay: ", "");

    PolicySimulator.Setup recorded = recordedSetup(config);
    return report(o, windowText, recorded, calls(plan, window));
  }

  /** Simulates {@code calls} as recorded and as changed; prints and writes the report. */
  private int report(
      PrintWriter o, String windowText, PolicySimulator.Setup recorded, List<SimCall> calls)
      throws Exception {
    PolicySimulator.Setup changed = changedSetup(recorded, changedConfig());
    List<String> changes = changes();
    WhatIfReport report = WhatIfReport.run(windowText, changes, recorded, changed, calls);

    o.println("xfaas whatif: " + windowText);
    o.println("changes: " + (changes.isEmpty() ? "none" : String.join(", ", changes)));
    report.summary().forEach(o::println);
    TextTable.aligned(report.rows(top)).forEach(o::println);
    int shown = report.rows(top).size() - 1;
    int all = report.tenants().size();
    if (shown < all) o.printf(Locale.ROOT, "(%d of %d tenants; --top 0 for all)%n", shown, all);
    written(o, "markdown", out, report::markdown);
    written(o, "json", json, report::json);
    if (chart != null) {
      WhatIfChart.write(chart, report, top);
      o.println("chart: " + chart);
    }
    o.flush();
    return 0;
  }

  /** Writes {@code text} to {@code file} and says so, when the file was asked for. */
  private static void written(PrintWriter o, String what, Path file, Supplier<String> text)
      throws IOException {
    if (file == null) return;
    Files.writeString(file, text.get());
    o.println(what + ": " + file);
  }

  private List<String> changes() {
    List<String> changes = new ArrayList<>(setTenant);
    setOption.forEach((k, v) -> changes.add(k + "=" + v));
    if (slots != null) changes.add("slots=" + slots);
    return changes;
  }

  /** --history and --validate: the window of the region's topics. */
  private int fromHistory(PrintWriter o, XfaasConfig config) throws Exception {
    long now = System.currentTimeMillis();
    long fromMs;
    long toMs;
    try {
      Long f = region.fromMs(now);
      Long t = region.toMs(now);
      fromMs = f == null ? 0 : f;
      toMs = t == null ? now : t;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (validate && !(changes().isEmpty())) {
      throw new ParameterException(spec.commandLine(), "--validate simulates with no change");
    }
    RecordedHistory h =
        RecordedHistory.read(config, fromMs, toMs, region.readTimeout(spec.commandLine()));
    PolicySimulator.Setup recorded =
        h.setup(
            SchedulerJob.settings(config).funcBuffer(),
            feedbackMs(config),
            duration(drain, "--drain"),
            duration(bucket, "--bucket"));
    if (tenants != null) recorded = recorded.withTenants(tenantsFile());
    if (sidecars != null) {
      recorded = recorded.withSlots(sidecars * config.getInt(XfaasOptions.SIDECAR_THREADS));
    }
    String windowText =
        String.format(
            Locale.ROOT,
            "History of region %s: %d calls submitted %s to %s; %s sidecar slots (%s)",
            config.region(),
            h.calls().size(),
            Instant.ofEpochMilli(Math.max(fromMs, h.startMs())),
            Instant.ofEpochMilli(toMs),
            recorded.slots() > 0 ? Integer.toString(recorded.slots()) : "unlimited",
            h.feedback() ? "from their feedback" : "no sidecar feedback in the window");
    if (!validate) return report(o, windowText, recorded, h.calls());

    SimResult simulated = PolicySimulator.run(recorded, h.calls());
    FidelityCheck check =
        FidelityCheck.compare(h.actual(), simulated, tolerance, duration(slack, "--slack"));
    o.println("xfaas whatif --validate: " + windowText);
    o.println(check.summary());
    TextTable.aligned(check.table()).forEach(o::println);
    written(o, "markdown", out, check::markdown);
    written(o, "json", json, check::json);
    o.flush();
    return check.passed() ? 0 : 1;
  }

  private Map<String, TenantSettings> tenantsFile() throws Exception {
    Map<String, TenantSettings> own = new HashMap<>();
    List<TenantSettings> list =
        Json.MAPPER.readValue(tenants.toFile(), new TypeReference<List<TenantSettings>>() {});
    for (TenantSettings t : list) own.put(t.tenant(), t);
    return own;
  }

  /** The trace window, as `xfaas replay` would play it with the same options. */
  ReplaySettings window() {
    return window(TraceWindowOptions.Defaults.REPLAY);
  }

  /** The plan's calls, with the run times the sidecars would take for them. */
  static List<SimCall> calls(ReplayPlan plan, ReplaySettings window) {
    List<SimCall> calls = new ArrayList<>(plan.calls().size());
    int i = 0;
    for (PlannedCall c : plan.calls()) {
      calls.add(
          new SimCall(
              "whatif-" + i++,
              c.atMs(),
              c.tenant(),
              c.function(),
              c.criticality(),
              c.deadlineAfterMs(),
              window.emulatedMs(c.runMs())));
    }
    return calls;
  }

  /** The job's FuncBuffer settings from the configuration, the tenants' and the slots. */
  PolicySimulator.Setup recordedSetup(XfaasConfig config) throws Exception {
    FuncBuffer.Settings buffer = SchedulerJob.settings(config).funcBuffer();
    Map<String, TenantSettings> own = tenants == null ? Map.of() : tenantsFile();
    return new PolicySimulator.Setup(
        buffer,
        own,
        recordedSidecars() * config.getInt(XfaasOptions.SIDECAR_THREADS),
        duration(drain, "--drain"),
        duration(bucket, "--bucket"),
        feedbackMs(config));
  }

  /** The configuration with the --set-option changes on top; null when there are none. */
  XfaasConfig changedConfig() {
    if (setOption.isEmpty()) return null;
    for (String key : setOption.keySet()) {
      if (XfaasOptions.byKey(key) == null) {
        throw new ParameterException(spec.commandLine(), "--set-option: unknown option " + key);
      }
    }
    Map<String, String> all = new LinkedHashMap<>(configOptions.overrides.values);
    all.putAll(setOption);
    try {
      return XfaasConfig.load(configOptions.configFile(), all);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--set-option: " + e.getMessage());
    }
  }

  /** {@code recorded} with the changes: options (if {@code config} is not null), tenants, slots. */
  PolicySimulator.Setup changedSetup(PolicySimulator.Setup recorded, XfaasConfig config) {
    try {
      List<SettingsChange> changes = setTenant.stream().map(SettingsChange::parse).toList();
      PolicySimulator.Setup s = recorded;
      if (config != null) {
        s =
            new PolicySimulator.Setup(
                SchedulerJob.settings(config).funcBuffer(),
                recorded.tenants(),
                // From history without --sidecars, the slots stay those the feedback reported.
                history && sidecars == null
                    ? recorded.slots()
                    : recordedSidecars() * config.getInt(XfaasOptions.SIDECAR_THREADS),
                recorded.drainMs(),
                recorded.bucketMs(),
                feedbackMs(config));
      }
      s = s.withTenants(SettingsChange.apply(s.tenants(), s.buffer().unknownTenant(), changes));
      if (slots != null) {
        if (slots < 1) throw new IllegalArgumentException("--slots >= 1");
        s = s.withSlots(slots);
      }
      return s;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Sidecars as recorded, for a trace: --sidecars or 2. */
  private int recordedSidecars() {
    return sidecars == null ? 2 : sidecars;
  }

  private long feedbackMs(XfaasConfig config) {
    return noFeedback ? 0 : config.get(XfaasOptions.SIDECAR_FEEDBACK_INTERVAL).toMillis();
  }
}
