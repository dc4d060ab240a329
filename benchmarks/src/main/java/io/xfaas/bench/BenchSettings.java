package io.xfaas.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

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
    boolean quick) {

  public BenchSettings {
    if (runs < 1) throw new IllegalArgumentException("runs must be >= 1: " + runs);
    if (duration.toMillis() < 1000) throw new IllegalArgumentException("duration must be >= 1 s");
    tenantCounts = List.copyOf(tenantCounts);
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
        false);
  }

  /** One short run of everything: proves the command works, in about a minute. */
  public static BenchSettings quickDefaults() {
    return new BenchSettings(
        1,
        Duration.ofSeconds(2),
        List.of(10, 10_000, 1_000_000),
        8_000,
        Duration.ofSeconds(2),
        3_000,
        100,
        4,
        1,
        100,
        defaultOut(),
        false,
        true);
  }

  public BenchSettings withRuns(int r) {
    return new BenchSettings(
        r,
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
        quick);
  }

  public BenchSettings withDuration(Duration d) {
    return new BenchSettings(
        runs,
        d,
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
        quick);
  }

  public BenchSettings withOut(Path p) {
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
        p,
        profile,
        quick);
  }

  public BenchSettings withProfile(boolean p) {
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
        p,
        quick);
  }

  public BenchSettings withTenantCounts(List<Integer> t) {
    return new BenchSettings(
        runs,
        duration,
        t,
        maxInvocations,
        latencyDuration,
        stateInvocations,
        stateTenants,
        partitions,
        sidecars,
        payloadBytes,
        out,
        profile,
        quick);
  }
}
