package io.xfaas.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import java.util.List;

/** Assertions on the outcomes an integration test read from the outcomes topic. */
final class OutcomeAssertions {
  private OutcomeAssertions() {}

  /** Exactly one outcome among {@code seen} for {@code id}, with this status and reason. */
  static void assertOneOutcome(
      List<Outcome> seen, String id, OutcomeStatus status, ReasonCode reason) {
    List<Outcome> ofId = seen.stream().filter(o -> o.id().equals(id)).toList();
    assertThat(ofId).hasSize(1);
    assertThat(ofId.get(0).status()).isEqualTo(status);
    assertThat(ofId.get(0).reason()).isEqualTo(reason);
  }
}
