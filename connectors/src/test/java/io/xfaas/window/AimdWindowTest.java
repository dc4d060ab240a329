package io.xfaas.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AimdWindowTest {
  private static final long HEALTHY_MS = 10;

  /** Longer than any cool-down in these tests, so each signal counts. */
  private static final long A_ROUND_TRIP_LATER = 1_000;

  private final AtomicLong clock = new AtomicLong(1_000_000);

  private AimdWindow window(int initial, int min, int max) {
    return new AimdWindow(new WindowSettings(initial, min, max, 0.5, 2.0), clock::get);
  }

  private static void succeed(AimdWindow w, int n) {
    for (int i = 0; i < n; i++) w.onSuccess(HEALTHY_MS);
  }

  @Test
  void slowStartDoublesTheWindowEveryRoundTrip() {
    AimdWindow w = window(1, 1, 64);

    assertThat(w.limit()).isEqualTo(1);
    assertThat(w.inSlowStart()).isTrue();
    succeed(w, 1); // one round trip of a window of 1
    assertThat(w.limit()).isEqualTo(2);
    succeed(w, 2);
    assertThat(w.limit()).isEqualTo(4);
    succeed(w, 4);
    assertThat(w.limit()).isEqualTo(8);
  }

  @Test
  void afterADecreaseItGrowsByOnePerRoundTrip() {
    AimdWindow w = window(1, 1, 64);
    succeed(w, 15); // 16
    w.onError();
    assertThat(w.limit()).isEqualTo(8);
    assertThat(w.inSlowStart()).isFalse();

    succeed(w, 9); // about one round trip: each success adds 1/window
    assertThat(w.limit()).isEqualTo(9);
    succeed(w, 10);
    assertThat(w.limit()).isEqualTo(10);
  }

  @Test
  void everyCongestionSignalHalvesTheWindow() {
    for (Function<AimdWindow, AimdWindow.Signal> signal :
        java.util.List.<Function<AimdWindow, AimdWindow.Signal>>of(
            AimdWindow::onError, AimdWindow::onTimeout, AimdWindow::onThrottle)) {
      AimdWindow w = window(32, 1, 64);
      signal.apply(w);
      assertThat(w.limit()).isEqualTo(16);
      clock.addAndGet(A_ROUND_TRIP_LATER);
      signal.apply(w);
      assertThat(w.limit()).isEqualTo(8);
    }
  }

  @Test
  void risingLatencyHalvesTheWindow() {
    AimdWindow w = window(32, 1, 64);
    succeed(w, 20);
    int healthy = w.limit();

    AimdWindow.Signal last = null;
    for (int i = 0; i < 10 && last != AimdWindow.Signal.LATENCY; i++) {
      last = w.onSuccess(20 * HEALTHY_MS); // 20 times slower
    }

    assertThat(last).isEqualTo(AimdWindow.Signal.LATENCY);
    assertThat(w.limit()).isEqualTo(healthy / 2);
  }

  @Test
  void aFunctionTwentyTimesSlowerKeepsAMinimalWindow() {
    AimdWindow w = window(16, 1, 64);
    succeed(w, 50);
    for (int i = 0; i < 200; i++) {
      clock.addAndGet(20 * HEALTHY_MS);
      w.onSuccess(20 * HEALTHY_MS);
    }
    assertThat(w.limit()).isEqualTo(1);
  }

  @Test
  void jitterWithinTheSlackIsNoCongestion() {
    AimdWindow w = window(8, 1, 64);
    succeed(w, 10);
    for (int i = 0; i < 100; i++) {
      assertThat(w.onSuccess(HEALTHY_MS + (i % 3) * 5)).isEqualTo(AimdWindow.Signal.SUCCESS);
    }
  }

  @Test
  void signalsOfOneRoundTripDecreaseOnce() {
    AimdWindow w = window(32, 1, 64);
    w.onError();
    w.onTimeout();
    w.onThrottle();
    assertThat(w.limit()).isEqualTo(16);

    clock.addAndGet(A_ROUND_TRIP_LATER);
    w.onError();
    assertThat(w.limit()).isEqualTo(8);
  }

  @Test
  void theWindowStaysWithinItsBounds() {
    AimdWindow w = window(4, 3, 10);
    succeed(w, 1000);
    assertThat(w.limit()).isEqualTo(10);
    for (int i = 0; i < 10; i++) {
      clock.addAndGet(A_ROUND_TRIP_LATER);
      w.onError();
    }
    assertThat(w.limit()).isEqualTo(3);
  }
}
