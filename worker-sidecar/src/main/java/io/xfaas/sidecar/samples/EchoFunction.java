package io.xfaas.sidecar.samples;

import io.xfaas.sidecar.CallContext;
import io.xfaas.sidecar.XfaasFunction;

/** {@code echo}: returns its payload as its result. The cheapest possible call. */
public final class EchoFunction implements XfaasFunction {
  @Override
  public String name() {
    return "echo";
  }

  @Override
  public String invoke(String payloadJson, CallContext ctx) {
    return payloadJson;
  }
}
