package io.xfaas.scheduler.wire;

import io.xfaas.records.SerializedOutcome;

/** A {@link SerializedOutcome} between the scheduler's tasks, on its way to the outcomes topic. */
public final class SerializedOutcomeSerializer
    extends ImmutableRecordSerializer<SerializedOutcome> {
  private static final long serialVersionUID = 1L;
  public static final SerializedOutcomeSerializer INSTANCE = new SerializedOutcomeSerializer();

  public SerializedOutcomeSerializer() {
    super(
        SerializedOutcome.class,
        WireFormat::writeSerializedOutcome,
        WireFormat::readSerializedOutcome);
  }
}
