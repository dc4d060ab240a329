package io.xfaas.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the time-shifting benchmark runs ({@code xfaas replay --bench}): the same replay of a trace
 * twice, on an embedded stack, with the scheduler's time-shifting controller off and on. {@code
 * xfaas replay} builds it from its options; the benchmark, in the benchmarks module, runs it in a
 * JVM of its own, which reads it from a JSON file.
 *
 * @param traceDir the trace
 * @param replay the replay (one day of the trace, or the window played), with its spike
 * @param days how many times the day is played back to back; the last is measured, the ones before
 *     teach the controller the day's shape (at least 1)
 * @param deadlineMixMs DEFERRABLE deadlines in trace ms, one drawn per call with equal chances
 *     (empty: the replay's one deadline)
 * @param spikeDeadlineMs the spike tenant's DEFERRABLE deadline in trace ms (a batch tenant whose
 *     burst may run any time within it), or null: drawn from the mix like the others
 * @param sidecars in-process sidecars per run
 * @param sidecarThreads calls each runs at once
 * @param bucketMs analysis bucket width (wall ms)
 * @param edgeBuckets buckets left out at each end
 * @param warmUpMs how long the throwaway warm-up replay lasts (0: none)
 * @param drainMs longest wait for outcomes after the replay
 * @param feasibilityMarginMs deadline slack for "feasible"
 * @param outDir where the report and chart go
 * @param scratchDir where the broker's log and the checkpoints go (a fresh folder in it, deleted at
 *     the end)
 * @param quick the quick variant (named in the report)
 * @param configFile the properties file the runs' configuration starts from, or null
 * @param overrides options on top of the file ({@code -D}); they win over the benchmark's own
 */
public record TimeshiftSettings(
    Path traceDir,
    ReplaySettings replay,
    int days,
    List<Long> deadlineMixMs,
    Long spikeDeadlineMs,
    int sidecars,
    int sidecarThreads,
    long bucketMs,
    int edgeBuckets,
    long warmUpMs,
    long drainMs,
    long feasibilityMarginMs,
    Path outDir,
    Path scratchDir,
    boolean quick,
    Path configFile,
    Map<String, String> overrides) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public TimeshiftSettings {
    overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    deadlineMixMs = deadlineMixMs == null ? List.of() : List.copyOf(deadlineMixMs);
    if (days < 1) throw new IllegalArgumentException("expected --days >= 1");
    if (spikeDeadlineMs != null && spikeDeadlineMs < 1) {
      throw new IllegalArgumentException("expected a spike deadline > 0");
    }
  }

  /** The longest DEFERRABLE deadline, in replay (wall) ms. */
  public long longestDeadlineWallMs() {
    long longest = replay.deferrableDeadlineWallMs();
    if (!deadlineMixMs.isEmpty()) {
      longest = 1;
      for (long d : deadlineMixMs) longest = Math.max(longest, Math.round(d / replay.compress()));
    }
    if (spikeDeadlineMs != null && replay.spike() != null) {
      longest = Math.max(longest, Math.round(spikeDeadlineMs / replay.compress()));
    }
    return longest;
  }

  /** Writes these settings to {@code file}, for the benchmark's JVM. */
  public void write(Path file) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(this), StandardCharsets.UTF_8);
  }

  /** The settings {@link #write} wrote. */
  public static TimeshiftSettings read(Path file) throws IOException {
    return JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), TimeshiftSettings.class);
  }
}
