package io.xfaas.sidecar;

import java.util.concurrent.atomic.LongAdder;

/** Counts of what a sidecar has done; a record is counted once its outputs are acknowledged. */
final class SidecarStats {
  private final LongAdder processed = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();

  void count(Decision d) {
    processed.increment();
    if (d instanceof Decision.Succeeded) {
      succeeded.increment();
    } else if (d instanceof Decision.Retry) {
      retried.increment();
    } else if (d instanceof Decision.Failed) {
      failed.increment();
      deadLettered.increment();
    } else if (d instanceof Decision.Unparseable) {
      deadLettered.increment();
    }
  }

  long processed() {
    return processed.sum();
  }

  long succeeded() {
    return succeeded.sum();
  }

  long failed() {
    return failed.sum();
  }

  long retried() {
    return retried.sum();
  }

  long deadLettered() {
    return deadLettered.sum();
  }
}
