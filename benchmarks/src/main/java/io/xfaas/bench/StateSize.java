package io.xfaas.bench;

/**
 * Bytes of scheduler state per buffered invocation, from a checkpoint.
 *
 * @param invocations invocations submitted
 * @param tenants tenants they were spread over
 * @param buffered invocations held in the FuncBuffer when the checkpoint was taken (submitted minus
 *     the one per tenant that the quota let through)
 * @param fullStateBytes the checkpoint's full state size (all SST files it references)
 * @param emptyStateBytes the same job's full state size before any invocation, to subtract
 */
public record StateSize(
    long invocations, long tenants, long buffered, long fullStateBytes, long emptyStateBytes) {
  public double bytesPerBuffered() {
    return buffered <= 0 ? Double.NaN : (double) (fullStateBytes - emptyStateBytes) / buffered;
  }
}
