package io.xfaas.sidecar.samples;

import io.xfaas.sidecar.CallContext;

/** {@code echo}: returns its payload as its result. The cheapest possible call. */
public final class EchoFunction extends NamedFunction {
  public EchoFunction() {
    super("echo");
  }

  @Override
  public String invoke(String payloadJson, CallContext ctx) {
    return payloadJson;
  }
}
