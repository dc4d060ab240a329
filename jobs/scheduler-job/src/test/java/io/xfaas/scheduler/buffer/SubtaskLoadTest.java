package io.xfaas.scheduler.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xfaas.records.Criticality;
import io.xfaas.records.LoadReport;
import org.junit.jupiter.api.Test;

class SubtaskLoadTest {
  private static final long T0 = 1_000_000;

  @Test
  void reportsRatesPerPeriodAndSmoothsTheNonDeferrableDispatchRate() {
    SubtaskLoad load = new SubtaskLoad(T0);
    for (int i = 0; i < 10; i++) load.dispatched(Criticality.NORMAL);
    for (int i = 0; i < 10; i++) load.dispatched(Criticality.CRITICAL);
    for (int i = 0; i < 30; i++) load.dispatched(Criticality.DEFERRABLE);
    load.arrived();

    LoadReport r = load.report("eu", "s-0", T0 + 1000, 42.0);
    assertThat(r.dispatchRate()).isCloseTo(50.0, within(1e-9));
    assertThat(r.levelRate()).as("the controller's level, for the dashboard").isEqualTo(42.0);
    assertThat(r.arrivalRate()).isCloseTo(1.0, within(1e-9));
    // Released DEFERRABLE work does not count: it is what the rest of the capacity runs.
    assertThat(load.nonDeferrableRate()).isCloseTo(10.0, within(1e-9)); // half of 20/s
    LoadReport unlearned = load.report("eu", "s-0", T0 + 2000, Double.NaN);
    assertThat(load.nonDeferrableRate()).isCloseTo(5.0, within(1e-9)); // an idle second halves it
    assertThat(unlearned.levelRate()).as("no level learned: 0, not NaN in JSON").isZero();
  }

  @Test
  void waitingCountsNeverGoNegative() {
    SubtaskLoad load = new SubtaskLoad(T0);
    load.waiting(Criticality.DEFERRABLE, 2);
    load.waiting(Criticality.DEFERRABLE, -5);
    assertThat(load.waiting(Criticality.DEFERRABLE)).isZero();
  }
}
