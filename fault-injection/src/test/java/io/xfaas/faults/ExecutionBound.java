package io.xfaas.faults;

/**
 * The most duplicate executions one fault may cause, from what it found exposed when it struck
 * (docs/fault-injection.md):
 *
 * <ul>
 *   <li>{@code redispatched}: with RunQ at least once, a scheduler job restored from a checkpoint
 *       dispatches again what it had dispatched since that checkpoint: at most the calls first
 *       dispatched between the trigger of the latest checkpoint completed when the fault struck and
 *       the moment the job stopped (0 when no job was restored);
 *   <li>{@code uncommitted}: the RunQ records the sidecars' group had not committed when the fault
 *       struck: all that a replacement sidecar, or a paused sidecar and the one that took over its
 *       partitions, can run a second time.
 * </ul>
 *
 * A scenario without a fault has a bound of 0.
 */
record ExecutionBound(long redispatched, long uncommitted) {
  static final ExecutionBound NONE = new ExecutionBound(0, 0);

  long total() {
    return redispatched + uncommitted;
  }

  @Override
  public String toString() {
    return total() + " = " + redispatched + "+" + uncommitted;
  }
}
