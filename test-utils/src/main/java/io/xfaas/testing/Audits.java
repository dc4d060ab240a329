package io.xfaas.testing;

import static org.awaitility.Awaitility.await;

import io.xfaas.audit.AuditReport;
import java.time.Duration;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/** Waiting on the auditor, failing with its table (which calls are lost) rather than a timeout. */
public final class Audits {
  private Audits() {}

  /**
   * Asks {@code audit} once a second until it reports nothing lost; otherwise fails, after {@code
   * atMost}, with {@code what}, a sample of the lost ids and the whole audit table.
   */
  public static void awaitNothingLost(String what, Duration atMost, Supplier<AuditReport> audit) {
    try {
      await("every accepted call to reach a terminal outcome")
          .atMost(atMost)
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> audit.get().lost() == 0);
    } catch (ConditionTimeoutException e) {
      AuditReport r = audit.get();
      throw new AssertionError(
          what
              + ": "
              + r.lost()
              + " calls without an outcome, e.g. "
              + r.lostSample()
              + "\n"
              + r.table(),
          e);
    }
  }
}
