package io.xfaas.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What {@code xfaas bench} measures and for how long.
 *
 * @param runs measured runs per figure; each figure is their median
 * @param duration the time budget of one throughput run: invocations are sized from the rate seen
 *     so far so that a run takes about this long
 * @param tenantCounts the scheduler-alone tenant counts
 * @param maxInvocations cap on invocations per run (bounds memory and disk)
 * @param latencyDuration how long each paced latency run submits
 * @param stateInvocations invocations buffered for the state-size probe
 * @param stateTenants tenants they are spread over
 * @param partitions partitions of every region topic
 * @param sidecars in-process worker sidecars for the end-to-end runs
 * @param payloadBytes bytes of padding in each invocation's payload
 * @param out where the results table is written
 * @param profile record a JFR profile of the scheduler and end-to-end runs
 * @param overrides xfaas options set for every job and sidecar the bench runs (after its own, so
 *     they win): to measure a change of a default before making it
 */
public record BenchSettings(
    int runs,
    Duration duration,
    List<Integer> tenantCounts,
    long maxInvocations,
    Duration latencyDuration,
    int stateInvocations,
    int stateTenants,
    int partitions,
    int sidecars,
    int payloadBytes,
    Path out,
    boolean profile,
    boolean quick,
    Map<String, String> overrides) {

  public BenchSettings {
    if (runs < 1) throw new IllegalArgumentException("runs must be >= 1: " + runs);
    if (duration.toMillis() < 1000) throw new IllegalArgumentException("duration must be >= 1 s");
    tenantCounts = List.copyOf(tenantCounts);
    overrides = Collections.unmodifiableMap(new TreeMap<>(overrides));
  }

  public static Path defaultOut() {
    return Path.of("benchmarks", "results", "bench-" + LocalDate.now() + ".md");
  }

  /** The full bench: about 15-20 minutes on a 2-core machine. */
  public static BenchSettings defaults() {
    return new BenchSettings(
        3,
        Duration.ofSeconds(15),
        List.of(10, 10_000, 1_000_000),
        1_500_000,
        Duration.ofSeconds(12),
        200_000,
        1_000,
        8,
        2,
        100,
        defaultOut(),
        false,
        false,
        Map.of());
  }

  /** One short run of everything: proves the command works, in about a minute. */
  public static BenchSettings quickDefaults() {
    return defaults()
        .with(
            b -> {
              b.runs = 1;
              b.duration = Duration.ofSeconds(2);
              b.maxInvocations = 8_000;
              b.latencyDuration = Duration.ofSeconds(2);
              b.stateInvocations = 3_000;
              b.stateTenants = 100;
              b.partitions = 4;
              b.sidecars = 1;
              b.quick = true;
            });
  }

  public BenchSettings withOut(Path p) {
    return with(b -> b.out = p);
  }

  /** A copy with the fields {@code change} sets on a {@link Builder} of these settings. */
  public BenchSettings with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** A copy of these settings to change a few fields of: the one place that lists them all. */
  public static final class Builder {
    public int runs;
    public Duration duration;
    public List<Integer> tenantCounts;
    public long maxInvocations;
    public Duration latencyDuration;
    public int stateInvocations;
    public int stateTenants;
    public int partitions;
    public int sidecars;
    public int payloadBytes;
    public Path out;
    public boolean profile;
    public boolean quick;
    public Map<String, String> overrides;

    private Builder(BenchSettings s) {
      runs = s.runs;
      duration = s.duration;
      tenantCounts = s.tenantCounts;
      maxInvocations = s.maxInvocations;
      latencyDuration = s.latencyDuration;
      stateInvocations = s.stateInvocations;
      stateTenants = s.stateTenants;
      partitions = s.partitions;
      sidecars = s.sidecars;
      payloadBytes = s.payloadBytes;
      out = s.out;
      profile = s.profile;
      quick = s.quick;
      overrides = s.overrides;
    }

    private BenchSettings build() {
      return new BenchSettings(
          runs,
          duration,
          tenantCounts,
          maxInvocations,
          latencyDuration,
          stateInvocations,
          stateTenants,
          partitions,
          sidecars,
          payloadBytes,
          out,
          profile,
          quick,
          overrides);
    }
  }
}
