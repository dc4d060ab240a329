package io.xfaas.scheduler.wire;

import io.xfaas.records.Invocation;

/** A dispatched {@link Invocation} on its way from the FuncBuffer to the RunQ writer. */
public final class InvocationSerializer extends ImmutableRecordSerializer<Invocation> {
  private static final long serialVersionUID = 1L;
  public static final InvocationSerializer INSTANCE = new InvocationSerializer();

  public InvocationSerializer() {
    super(Invocation.class, WireFormat::writeInvocation, WireFormat::readInvocation);
  }
}
