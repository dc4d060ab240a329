package io.xfaas.bench.jmh;

import io.xfaas.window.AimdWindow;
import io.xfaas.window.WindowSettings;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The sidecar's AIMD window per call result: a success (smoothing, baseline, growth), and a mix
 * with one error in 64 (the decrease path and its cool-down). The clock is a field, not the system
 * clock, so only the window's own work is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AimdWindowBenchmark {
  private AimdWindow window;
  private long clock;
  private long calls;

  @Setup
  public void setUp() {
    window = new AimdWindow(new WindowSettings(8, 1, 64, 0.7, 2.0), () -> clock);
  }

  @Benchmark
  public AimdWindow.Signal onSuccess() {
    clock++;
    return window.onSuccess(5 + (clock & 3));
  }

  @Benchmark
  public int mixedResults() {
    clock++;
    if ((++calls & 63) == 0) window.onError();
    else window.onSuccess(5 + (clock & 3));
    return window.limit();
  }
}
