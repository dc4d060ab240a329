package io.xfaas.sidecar;

/**
 * A function for tests, made of a name, a batch size and a body (the record's accessors are the
 * function's {@code name()} and {@code maxBatch()}).
 */
record TestFunction(String name, int maxBatch, Body body) implements XfaasFunction {

  /** What a test function does with one call. */
  @FunctionalInterface
  interface Body {
    String invoke(String payloadJson, CallContext ctx) throws Exception;
  }

  /** A function that takes one call at a time. */
  static TestFunction fn(String name, Body body) {
    return new TestFunction(name, 1, body);
  }

  static TestFunction fn(String name, int maxBatch, Body body) {
    return new TestFunction(name, maxBatch, body);
  }

  @Override
  public String invoke(String payloadJson, CallContext ctx) throws Exception {
    return body.invoke(payloadJson, ctx);
  }
}
