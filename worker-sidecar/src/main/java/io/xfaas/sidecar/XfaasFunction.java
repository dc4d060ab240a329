package io.xfaas.sidecar;

/**
 * A function the sidecar can run: the service-provider interface. Implementations are found with
 * {@link java.util.ServiceLoader} (list them in {@code
 * META-INF/services/io.xfaas.sidecar.XfaasFunction}) or registered with {@link
 * FunctionRegistry#register}.
 *
 * <p>An implementation is called concurrently from several threads, so it must be thread-safe. It
 * runs at least once per invocation (a crash between the run and the offset commit runs it again):
 * side effects should be idempotent, keyed by {@link CallContext#id()}. A call that exceeds the
 * sidecar's timeout is interrupted; long-running work should honour interruption.
 */
public interface XfaasFunction {

  /** The name invocations use in their {@code function} field; unique in a registry. */
  String name();

  /**
   * Runs one call.
   *
   * @param payloadJson the invocation's payload as raw JSON text, or null when it has none
   * @param ctx who is calling and which attempt this is
   * @return the result as JSON text (it must parse as one JSON value), or null for none
   * @throws Exception any failure; the call is then retried while attempts are left
   */
  String invoke(String payloadJson, CallContext ctx) throws Exception;
}
