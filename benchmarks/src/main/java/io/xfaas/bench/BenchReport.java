package io.xfaas.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code xfaas bench} measured, and its Markdown table. */
public record BenchReport(
    Instant started,
    Duration elapsed,
    String machine,
    String loadAtEnd,
    BenchSettings settings,
    int recordBytes,
    List<Throughput> kafka,
    Throughput passThrough,
    List<Throughput> floor,
    List<Throughput> scheduler,
    List<Throughput> heap,
    Throughput endToEnd,
    Throughput endToEndExactlyOnce,
    Throughput sidecar,
    List<Latency> latencies,
    StateSize state) {

  /** Scheduler alone, at every tenant count but the largest: at least this × pass-through. */
  public static final double SCHEDULER_TARGET = 0.35;

  /** ... and at least this × the keyed-state floor at the same tenant count. */
  public static final double FLOOR_TARGET = 0.7;

  public static final double END_TO_END_TARGET = 0.12;

  /** At half the end-to-end maximum, RunQ at least once: p50 and p99 bounds, ms. */
  public static final long DISPATCH_P50_MS = 50;

  public static final long DISPATCH_P99_MS = 250;
  public static final long OUTCOME_P50_MS = 400;
  public static final long OUTCOME_P99_MS = 1000;

  /** One sidecar running no-op calls, calls/s at least. */
  public static final double SIDECAR_TARGET = 50_000;

  public static final double TENANT_SCALING_TARGET = 1.5;

  /** Checkpointed bytes per buffered invocation, at most (the FuncBuffer v1 figure). */
  public static final double STATE_BYTES_TARGET = 139;

  public BenchReport {
    floor = List.copyOf(floor);
    scheduler = List.copyOf(scheduler);
    heap = List.copyOf(heap);
  }

  /** Every throughput figure, in table order. */
  public List<Throughput> throughputs() {
    List<Throughput> all = new ArrayList<>(kafka);
    all.add(passThrough);
    // Each tenant count's floor beside the scheduler at that count.
    for (Throughput t : scheduler) {
      Throughput f = floorAt(t.tenants());
      if (f != null) all.add(f);
      all.add(t);
    }
    for (Throughput f : floor) if (!all.contains(f)) all.add(f);
    all.addAll(heap);
    all.add(endToEnd);
    if (endToEndExactlyOnce != null) all.add(endToEndExactlyOnce);
    if (sidecar != null) all.add(sidecar);
    return all;
  }

  public double ratio(Throughput t) {
    return t.medianRate() / passThrough.medianRate();
  }

  /** How much slower the largest tenant count runs than 10,000 tenants (NaN without both). */
  public double tenantSlowdown() {
    Throughput tenK = null;
    Throughput max = null;
    for (Throughput t : scheduler) {
      if (t.tenants() == 10_000) tenK = t;
      if (max == null || t.tenants() > max.tenants()) max = t;
    }
    if (tenK == null || max == null || max == tenK) return Double.NaN;
    return tenK.medianRate() / max.medianRate();
  }

  private Throughput schedulerAt(int tenants) {
    return scheduler.stream().filter(t -> t.tenants() == tenants).findFirst().orElse(null);
  }

  /** The keyed-state floor measured at {@code tenants}, or null. */
  public Throughput floorAt(int tenants) {
    return floor.stream().filter(t -> t.tenants() == tenants).findFirst().orElse(null);
  }

  /**
   * A scheduler figure over the floor at its tenant count (heap rows over the heap floor); NaN
   * where there is no floor to compare with.
   */
  public double floorRatio(Throughput t) {
    Throughput f = null;
    if (heap.contains(t)) {
      f = heap.stream().filter(h -> h.name().startsWith(FLOOR_NAME)).findFirst().orElse(null);
    } else if (scheduler.contains(t)) {
      f = floorAt(t.tenants());
    }
    return f == null || f == t ? Double.NaN : t.medianRate() / f.medianRate();
  }

  /** How floor rows' names start; the bench names them so. */
  public static final String FLOOR_NAME = "Keyed-state floor";

  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# xfaas bench, ").append(started).append("\n\n");
    b.append(
        String.format(
            "%s mode: %d run(s) per figure (median), about %d s per throughput run, %d partitions,"
                + " scheduler parallelism 1, %d-byte invocation records; took %d min %d s.%n%n",
            settings.quick() ? "Quick" : "Full",
            settings.runs(),
            settings.duration().toSeconds(),
            settings.partitions(),
            recordBytes,
            elapsed.toMinutes(),
            elapsed.toSecondsPart()));
    if (!settings.overrides().isEmpty()) {
      // A run with changed options is not the shipped configuration: say so where it is read.
      b.append("Options set for this run (not the defaults): ");
      b.append(
          String.join(
              ", ",
              settings.overrides().entrySet().stream()
                  .map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                  .toList()));
      b.append(".\n\n");
    }
    b.append("## Machine\n\n")
        .append(machine)
        .append("\n- load average at end: ")
        .append(loadAtEnd);
    b.append("\n\n## Targets\n\n").append(targetsMarkdown());
    b.append("\n## Throughput\n\n");
    b.append(
        "| measurement | records/run | tenants touched | records/s (median) | runs (records/s) | × pass-through | × floor |\n");
    b.append("|---|---:|---:|---:|---|---:|---:|\n");
    for (Throughput t : throughputs()) {
      List<String> each = new ArrayList<>();
      for (Throughput.Run r : t.runs())
        each.add(String.format("%,.0f%s", r.rate(), r.complete() ? "" : "*"));
      b.append(
          String.format(
              "| %s | %,d | %s | %,.0f | %s | %.2f | %s |%n",
              t.name(),
              t.medianRecords(),
              t.tenants() == 0 ? "–" : String.format("%,d", t.medianTenantsTouched()),
              t.medianRate(),
              String.join(" / ", each),
              ratio(t),
              Double.isNaN(floorRatio(t)) ? "–" : String.format("%.2f", floorRatio(t))));
    }
    b.append("\n`*` a run that hit its time limit: its rate counts the records moved by then.\n");
    b.append(
        "\nThe keyed-state floor: DurableQ, the scheduler's parser, keyBy(tenant), one RocksDB"
            + " value state read and written per event, the scheduler's RunQ sink (at least once, as"
            + " shipped) and Flink configuration: what any keyed scheduler pays on this backend. \"heap\" rows"
            + " run the same jobs on the heap state backend (HashMap); RocksDB stays the"
            + " default.\n");
    b.append("\n## Latency (paced submitter; visible to a read_committed reader)\n\n");
    b.append(
        "| path | load | offered/s | p50 ms | p99 ms | samples |\n|---|---:|---:|---:|---:|---:|\n");
    for (Latency l : latencies) {
      b.append(
          String.format(
              "| %s | %.0f %% | %,.0f | %d | %d | %,d |%n",
              l.path(), l.load() * 100, l.offeredRate(), l.p50Ms(), l.p99Ms(), l.samples()));
    }
    b.append(
        "\nLoad: share of the measured maximum (scheduler alone at 10,000 tenants for the"
            + " scheduler-alone rows, or at the first --tenants count, with that many tenants,"
            + " when 10,000 is not measured; end to end for the end-to-end rows).\n");
    b.append("\n## CPU per invocation (µs, median of runs)\n\n");
    b.append("| measurement |");
    for (Component c : Component.values()) b.append(' ').append(c.label).append(" |");
    b.append(" total |\n|---|");
    for (int i = 0; i <= Component.values().length; i++) b.append("---:|");
    b.append('\n');
    for (Throughput t : throughputs()) {
      Map<Component, Double> cpu = t.cpuMicrosPerRecord();
      if (cpu.isEmpty()) continue;
      b.append("| ").append(t.name()).append(" |");
      double total = 0;
      for (Component c : Component.values()) {
        double v = cpu.getOrDefault(c, 0.0);
        total += v;
        b.append(String.format(" %.1f |", v));
      }
      b.append(String.format(" %.1f |%n", total));
    }
    b.append(
        "\nMethod: everything runs in this one JVM; CPU time of each Java thread (ThreadMXBean)"
            + " over the run, grouped by thread name into components, divided by the records"
            + " moved. The process's CPU time beyond the threads' sum (GC, JIT, RocksDB's native"
            + " compaction and flush threads) is the unattributed column. The harness column is"
            + " the bench's own reader.\n");
    b.append("\n## State per buffered invocation\n\n");
    b.append(
        String.format(
            "| invocations | tenants | buffered | checkpoint full size (bytes) | empty job (bytes) | bytes per buffered invocation |%n"
                + "|---:|---:|---:|---:|---:|---:|%n| %,d | %,d | %,d | %,d | %,d | %,.0f |%n",
            state.invocations(),
            state.tenants(),
            state.buffered(),
            state.fullStateBytes(),
            state.emptyStateBytes(),
            state.bytesPerBuffered()));
    b.append(
        "\nQuotas binding (concurrency 1 per tenant, no sidecars): all but one invocation per"
            + " tenant stays in the FuncBuffer. Full checkpointed size (RocksDB SST files, as"
            + " written) of the loaded job minus the empty job's, over the buffered invocations;"
            + " it includes the dedup record each id leaves.\n");
    return b.toString();
  }

  public String targetsMarkdown() {
    StringBuilder b = new StringBuilder();
    b.append("| target | reached | met |\n|---|---:|:---:|\n");
    int largest = scheduler.stream().mapToInt(Throughput::tenants).max().orElse(0);
    for (Throughput t : scheduler) {
      // The largest tenant count has a target of its own: its slowdown against 10,000.
      if (t.tenants() == largest && scheduler.size() > 1) continue;
      double r = ratio(t);
      b.append(
          String.format(
              "| scheduler alone, %,d tenants ≥ %.2f× pass-through | %.2f× | %s |%n",
              t.tenants(), SCHEDULER_TARGET, r, met(r >= SCHEDULER_TARGET)));
      double f = floorRatio(t);
      if (!Double.isNaN(f)) {
        b.append(
            String.format(
                "| scheduler alone, %,d tenants ≥ %.1f× keyed-state floor | %.2f× | %s |%n",
                t.tenants(), FLOOR_TARGET, f, met(f >= FLOOR_TARGET)));
      }
    }
    double e = ratio(endToEnd);
    b.append(
        String.format(
            "| end to end ≥ %.2f× pass-through | %.2f× | %s |%n",
            END_TO_END_TARGET, e, met(e >= END_TO_END_TARGET)));
    for (Latency l : latencies) {
      if (l.load() != 0.5
          || !l.path().endsWith("(end to end)") && !l.path().equals("submit→outcome")) {
        continue;
      }
      boolean dispatch = l.path().startsWith("submit→dispatch");
      long p50 = dispatch ? DISPATCH_P50_MS : OUTCOME_P50_MS;
      long p99 = dispatch ? DISPATCH_P99_MS : OUTCOME_P99_MS;
      b.append(
          String.format(
              "| %s at 50 %%: p50 ≤ %d ms, p99 ≤ %d ms | %d / %d ms | %s |%n",
              l.path(), p50, p99, l.p50Ms(), l.p99Ms(), met(l.p50Ms() <= p50 && l.p99Ms() <= p99)));
    }
    if (sidecar != null) {
      b.append(
          String.format(
              "| one sidecar, no-op calls ≥ %,.0f/s | %,.0f/s | %s |%n",
              SIDECAR_TARGET, sidecar.medianRate(), met(sidecar.medianRate() >= SIDECAR_TARGET)));
    }
    double slow = tenantSlowdown();
    Throughput max = scheduler.isEmpty() ? null : scheduler.get(scheduler.size() - 1);
    if (!Double.isNaN(slow) && schedulerAt(10_000) != null) {
      b.append(
          String.format(
              "| %,d tenants ≤ %.1f× slower than 10,000 | %.2f× slower | %s |%n",
              max.tenants(), TENANT_SCALING_TARGET, slow, met(slow <= TENANT_SCALING_TARGET)));
    }
    if (state != null) {
      double bytes = state.bytesPerBuffered();
      b.append(
          String.format(
              "| checkpointed bytes per buffered invocation ≤ %.0f | %.0f | %s |%n",
              STATE_BYTES_TARGET, bytes, met(bytes <= STATE_BYTES_TARGET)));
    }
    return b.toString();
  }

  private static String met(boolean yes) {
    return yes ? "yes" : "**no**";
  }

  public void write(Path file) throws IOException {
    if (file.getParent() != null) Files.createDirectories(file.getParent());
    Files.writeString(file, markdown());
  }
}
