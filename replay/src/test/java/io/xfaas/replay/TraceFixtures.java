package io.xfaas.replay;

import io.xfaas.replay.AzureTrace.RunTimes;
import io.xfaas.replay.AzureTrace.TraceFunction;
import java.nio.file.Path;
import java.util.List;

/** The shared trace of the repository, and small hand-made traces. */
final class TraceFixtures {
  /** The trace the README names, from the cli module's folder. */
  static final Path SAMPLE100 =
      Path.of("../workloads/azure-functions-2019-sample100").toAbsolutePath().normalize();

  private TraceFixtures() {}

  /** Two functions of two tenants; a: 10 calls a minute, b: the minute's index. */
  static AzureTrace tiny() {
    int[] a = new int[AzureTrace.MINUTES];
    int[] b = new int[AzureTrace.MINUTES];
    for (int m = 0; m < AzureTrace.MINUTES; m++) {
      a[m] = 10;
      b[m] = m;
    }
    return new AzureTrace(
        List.of(
            new TraceFunction("t-aaaaaaaa", "f-aaaaaaaa", a, RunTimes.constant(1000)),
            new TraceFunction(
                "t-bbbbbbbb",
                "f-bbbbbbbb",
                b,
                new RunTimes(500, new double[] {100, 100, 200, 400, 600, 900, 1000}))));
  }

  static ReplaySettings settings(
      int start, int minutes, double compress, double sample, ReplaySettings.Spike spike) {
    return new ReplaySettings(
        start,
        minutes,
        compress,
        sample,
        ReplaySettings.Spread.EVEN,
        ReplaySettings.RunTime.AVERAGE,
        0.01,
        0,
        0.0,
        0.0,
        1_800_000,
        spike,
        7);
  }
}
