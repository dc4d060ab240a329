package io.xfaas.sidecar;

import java.util.ArrayList;
import java.util.List;

/**
 * A function the sidecar can run: the service-provider interface. Implementations are found with
 * {@link java.util.ServiceLoader} (list them in {@code
 * META-INF/services/io.xfaas.sidecar.XfaasFunction}) or registered with {@link
 * FunctionRegistry#register}; either way {@link #warmUp()} runs once, at registration, never per
 * call.
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

  /**
   * Most calls this function takes in one {@link #invokeBatch}; 1 (the default) means no batching.
   * The sidecar's {@code xfaas.sidecar.batch-size} bounds it too.
   */
  default int maxBatch() {
    return 1;
  }

  /**
   * Runs a batch of calls; one answer per call, in order. The default runs them one by one with
   * {@link #invoke}; an exception fails that call only, as a retryable error.
   *
   * @throws Exception a failure of the whole batch: every call of it failed, retryably
   */
  default List<CallResult> invokeBatch(List<FunctionCall> calls) throws Exception {
    List<CallResult> out = new ArrayList<>(calls.size());
    for (FunctionCall c : calls) {
      if (Thread.currentThread().isInterrupted()) throw new InterruptedException();
      try {
        out.add(CallResult.ok(invoke(c.payloadJson(), c.context())));
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        out.add(CallResult.error(InvocationRunner.messageOf(e), true));
      }
    }
    return out;
  }

  /**
   * Gets ready for calls (connections, caches, a health check); called once when the function is
   * registered. The default does nothing.
   *
   * @throws Exception if the function cannot serve: it is then not registered
   */
  default void warmUp() throws Exception {}
}
