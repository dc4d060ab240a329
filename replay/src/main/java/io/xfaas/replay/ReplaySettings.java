package io.xfaas.replay;

import java.util.Objects;

/**
 * What to replay of a trace and how (the options of {@code xfaas replay}), checked once.
 *
 * @param startMinute first minute of the day to play, 0 (midnight) to 1439
 * @param minutes how many minutes to play from there
 * @param compress how much faster than real time: a trace minute lasts {@code 60 s / compress}
 * @param sample the fraction of calls kept, in (0, 1]
 * @param spread how a minute's calls are placed within it
 * @param runTime where a call's execution time comes from
 * @param runtimeScale the emulator sleeps the trace's execution time times this
 * @param maxRunMs the longest an emulated call sleeps, in ms (0: no cap); trace run times have a
 *     long tail (up to 10 minutes) that would otherwise hold a worker thread for the whole replay
 * @param criticalShare the fraction of calls marked CRITICAL
 * @param deferrableShare the fraction of calls marked DEFERRABLE (with a deadline); the rest are
 *     NORMAL
 * @param deferrableDeadlineMs a DEFERRABLE call's deadline after its submission, in trace time (it
 *     is compressed like the day)
 * @param spike a tenant burst on top of the trace, or null
 * @param seed the random seed: the same settings give the same plan
 */
public record ReplaySettings(
    int startMinute,
    int minutes,
    double compress,
    double sample,
    Spread spread,
    RunTime runTime,
    double runtimeScale,
    long maxRunMs,
    double criticalShare,
    double deferrableShare,
    long deferrableDeadlineMs,
    Spike spike,
    long seed) {

  /** Even spacing (each minute's calls at equal gaps, a random phase) or Poisson arrivals. */
  public enum Spread {
    EVEN,
    POISSON
  }

  /** The function's Average, or a sample from its recorded percentiles. */
  public enum RunTime {
    AVERAGE,
    PERCENTILES
  }

  /**
   * A burst from one tenant on top of the trace.
   *
   * @param tenant the tenant; its calls go to function {@code f-<tenant>}
   * @param atMinute the minute of the day it starts
   * @param minutes how many minutes it lasts
   * @param perMinute calls per trace minute before sampling (the unit of the trace's counts)
   * @param runMs each call's execution time in trace ms (scaled like the trace's)
   * @param deferrableShare the share of its calls marked DEFERRABLE; null for the replay's {@code
   *     --deferrable-share} (a batch tenant's burst is typically mostly delay-tolerant)
   */
  public record Spike(
      String tenant,
      int atMinute,
      int minutes,
      long perMinute,
      long runMs,
      Double deferrableShare) {
    public Spike {
      require(
          deferrableShare == null || (deferrableShare >= 0 && deferrableShare <= 1),
          "--spike-deferrable-share in [0, 1]");
      Objects.requireNonNull(tenant, "tenant");
      if (!tenant.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,100}")) {
        throw new IllegalArgumentException("spike tenant is not a valid name: " + tenant);
      }
      require(atMinute >= 0 && atMinute < AzureTrace.MINUTES, "spike minute in [0, 1439]");
      require(minutes >= 1, "spike minutes >= 1");
      require(perMinute >= 0, "spike rate >= 0");
      require(runMs >= 0, "spike run time >= 0");
    }

    public String function() {
      return "f-" + tenant;
    }

    boolean covers(int minute) {
      return minute >= atMinute && minute < atMinute + minutes;
    }
  }

  public ReplaySettings {
    Objects.requireNonNull(spread, "spread");
    Objects.requireNonNull(runTime, "runTime");
    require(startMinute >= 0 && startMinute < AzureTrace.MINUTES, "--start-minute in [0, 1439]");
    require(minutes >= 1, "--minutes >= 1");
    require(startMinute + minutes <= AzureTrace.MINUTES, "--start-minute + --minutes <= 1440");
    require(compress >= 1, "--compress >= 1");
    require(sample > 0 && sample <= 1, "--sample in (0, 1]");
    require(runtimeScale >= 0, "--runtime-scale >= 0");
    require(maxRunMs >= 0, "--max-run >= 0");
    require(criticalShare >= 0 && deferrableShare >= 0, "shares >= 0");
    require(criticalShare + deferrableShare <= 1, "--critical-share + --deferrable-share <= 1");
    require(
        spike == null
            || spike.deferrableShare() == null
            || criticalShare + spike.deferrableShare() <= 1,
        "--critical-share + --spike-deferrable-share <= 1");
    require(deferrableDeadlineMs >= 1, "--deferrable-deadline > 0");
  }

  /** The same replay without its spike. */
  public ReplaySettings withoutSpike() {
    return copy(minutes, null, seed);
  }

  /** The same from the same start, {@code minutes} long, with another seed. */
  public ReplaySettings withMinutes(int minutes, long seed) {
    return copy(minutes, spike, seed);
  }

  private ReplaySettings copy(int minutes, Spike spike, long seed) {
    return new ReplaySettings(
        startMinute,
        minutes,
        compress,
        sample,
        spread,
        runTime,
        runtimeScale,
        maxRunMs,
        criticalShare,
        deferrableShare,
        deferrableDeadlineMs,
        spike,
        seed);
  }

  /** How long one trace minute lasts in the replay, in ms. */
  public double wallMsPerMinute() {
    return 60_000.0 / compress;
  }

  /** How long the whole replay lasts, in ms. */
  public long durationMs() {
    return Math.round(minutes * wallMsPerMinute());
  }

  /** A DEFERRABLE call's deadline after its submission, in replay (wall) time, at least 1 ms. */
  public long deferrableDeadlineWallMs() {
    return Math.max(1, Math.round(deferrableDeadlineMs / compress));
  }

  /** How long the emulator sleeps for a call of {@code runMs} trace ms (after the cap). */
  public long emulatedMs(long runMs) {
    return Math.round(runMs * runtimeScale);
  }

  private static void require(boolean ok, String what) {
    if (!ok) throw new IllegalArgumentException("expected " + what);
  }
}
