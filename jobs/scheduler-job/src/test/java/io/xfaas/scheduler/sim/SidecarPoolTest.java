package io.xfaas.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Criticality;
import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.Invocation;
import io.xfaas.scheduler.buffer.FuncBufferFixtures;
import io.xfaas.window.WindowSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The modelled sidecars share their slots as the real ones do: a function runs only at the sidecar
 * that owns its partition, within its window, and a busy function cannot keep another out; each
 * sidecar reports on its own clock, with its utilization averaged over the period.
 */
class SidecarPoolTest {
  private static final WindowSettings WIDE = new WindowSettings(64, 1, 64, 0.5, 2);

  private static Invocation call(String id, String function) {
    return FuncBufferFixtures.invocation(
        id, "t", function, Criticality.NORMAL, 0, 0, null, null, null);
  }

  private static SidecarLayout twoOfTwo(WindowSettings w) {
    return new SidecarLayout(
        List.of(2, 2),
        List.of(0L, 500L),
        Map.of(
            "f", List.of(new SidecarLayout.Move(0, 0)),
            "g", List.of(new SidecarLayout.Move(0, 0)),
            "h", List.of(new SidecarLayout.Move(0, 1))),
        w);
  }

  @Test
  void aFunctionWaitsAtItsOwnSidecarWhileTheOtherIsIdle() {
    SidecarPool pool = new SidecarPool(twoOfTwo(WIDE), 0, 1000);
    assertThat(pool.dispatched(call("1", "f"), 100, 0)).hasSize(1);
    assertThat(pool.dispatched(call("2", "f"), 100, 0)).hasSize(1);
    // Its sidecar's two slots are taken; the other sidecar's two are free, but not its.
    assertThat(pool.dispatched(call("3", "f"), 100, 0)).isEmpty();
    assertThat(pool.dispatched(call("4", "h"), 100, 0))
        .extracting(SidecarPool.Run::sidecar)
        .containsExactly(1);

    List<SidecarPool.Run> ended = new ArrayList<>();
    List<SidecarPool.Run> started = pool.end(ended);
    assertThat(ended).extracting(r -> r.inv().id()).containsExactly("1");
    assertThat(started).extracting(r -> r.inv().id()).containsExactly("3");
    assertThat(started.get(0).startAt()).isEqualTo(100);
  }

  @Test
  void aFunctionBelowItsFairShareStartsEvenAtCapacity() {
    SidecarPool pool = new SidecarPool(twoOfTwo(WIDE), 0, 1000);
    pool.dispatched(call("1", "f"), 100, 0);
    pool.dispatched(call("2", "f"), 100, 0);
    pool.dispatched(call("3", "f"), 100, 0); // waits: f holds both slots
    // g has none of its share (2 slots / 2 active functions = 1): the sidecar grants it one.
    assertThat(pool.dispatched(call("4", "g"), 100, 0)).hasSize(1);
    assertThat(pool.dispatched(call("5", "g"), 100, 0)).isEmpty();
  }

  @Test
  void aFunctionRunsWithinItsWindowWhichGrowsWithSuccesses() {
    SidecarPool pool = new SidecarPool(twoOfTwo(new WindowSettings(1, 1, 64, 0.5, 2)), 0, 1000);
    assertThat(pool.dispatched(call("1", "f"), 100, 0)).hasSize(1);
    assertThat(pool.dispatched(call("2", "f"), 100, 0)).isEmpty(); // window 1, a slot free
    assertThat(pool.dispatched(call("3", "f"), 100, 0)).isEmpty();
    // The first success opens the window to 2 (slow start): both waiting calls start.
    assertThat(pool.end(new ArrayList<>())).extracting(r -> r.inv().id()).containsExactly("2", "3");
  }

  @Test
  void eachSidecarReportsOnItsOwnClockWithItsPeriodsUtilization() {
    SidecarPool pool = new SidecarPool(twoOfTwo(WIDE), 0, 1000);
    pool.dispatched(call("1", "h"), 250, 0); // sidecar 2, one of its two slots for 250 ms
    assertThat(pool.nextReportAt()).isEqualTo(500); // sidecar 2's phase; sidecar 1 at 1000
    pool.end(new ArrayList<>());

    List<FunctionFeedback> r = pool.report("r", 1000);
    assertThat(r)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.sidecar()).isEqualTo("sim-sidecar-2");
              assertThat(f.function()).isEqualTo("h");
              assertThat(f.completions()).isEqualTo(1);
              assertThat(f.capacity()).isEqualTo(2);
              assertThat(f.window()).isEqualTo(64);
              assertThat(f.utilization()).isEqualTo(0.25); // 250 slot-ms of 2 x 500
            });
    assertThat(pool.nextReportAt()).isEqualTo(1000);
    assertThat(pool.report("r", 1000)).isEmpty(); // sidecar 1 ran nothing: no feedback
    assertThat(pool.nextReportAt()).isEqualTo(1500);
  }
}
