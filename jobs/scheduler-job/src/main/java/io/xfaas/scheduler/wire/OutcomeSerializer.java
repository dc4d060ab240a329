package io.xfaas.scheduler.wire;

import io.xfaas.records.Outcome;

/** An {@link Outcome} between the scheduler's tasks (a worker's result on its way to dedup). */
public final class OutcomeSerializer extends ImmutableRecordSerializer<Outcome> {
  private static final long serialVersionUID = 1L;
  public static final OutcomeSerializer INSTANCE = new OutcomeSerializer();

  public OutcomeSerializer() {
    super(Outcome.class, WireFormat::writeOutcome, WireFormat::readOutcome);
  }
}
