package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sidecar's utilization is the average over a period, on a clock the test sets. */
class CapacityTest {
  private final AtomicLong now = new AtomicLong(10_000);
  private final Capacity capacity = new Capacity(4, now::get);
  // Capacity only keys its per-lane counts by the lane: no lane needs to exist for these.
  private static final FunctionLane lane = null;

  @Test
  void utilizationIsTheSlotTimeInUseOverThePeriod() {
    capacity.periodUtilization(); // starts a period at 10 000
    capacity.acquire(lane, 2, 0); // 2 of 4 slots for 500 ms
    now.addAndGet(500);
    capacity.release(lane, 2); // none for 500 ms
    now.addAndGet(500);

    assertThat(capacity.periodUtilization()).isCloseTo(0.25, within(1e-9));
  }

  @Test
  void eachPeriodStartsAfreshAndACallRunningThroughoutCountsInBoth() {
    capacity.periodUtilization();
    capacity.acquire(lane, 4, 0);
    now.addAndGet(1_000);
    assertThat(capacity.periodUtilization()).isEqualTo(1.0);
    now.addAndGet(250);
    capacity.release(lane, 4);
    now.addAndGet(750);
    assertThat(capacity.periodUtilization()).isCloseTo(0.25, within(1e-9));
    now.addAndGet(1_000);
    assertThat(capacity.periodUtilization()).isZero();
  }
}
